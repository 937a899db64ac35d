// A parsed meta-protocol request (mg ms md ma mn me) and its table of flags.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mcrefd::protocol {

enum class MetaVerb : std::uint8_t { kGet, kSet, kDelete, kArith, kNoop, kDebug };

// memcached refuses a meta line of more than this many tokens (its count includes a terminal one).
constexpr std::size_t kMetaMaxTokens = 20;
constexpr std::size_t kMetaMaxOpaqueLength = 32;

// The flags of one meta request, parsed once: which are present, their tokens in the order they
// came (replies echo flags in that order), and the values of those that carry one. Times are as
// the client sent them; the server converts them.
struct MetaFlags {
  std::bitset<128> present;
  std::array<std::string_view, kMetaMaxTokens> tokens{};  // whole tokens, flag letter first
  std::size_t count = 0;

  bool has(char flag) const { return present.test(static_cast<unsigned char>(flag)); }

  std::int32_t ttl = 0;            // T
  std::int32_t vivify_ttl = 0;     // N
  std::int32_t recache_ttl = 0;    // R
  std::uint32_t client_flags = 0;  // F
  std::uint64_t compare_cas = 0;   // C
  std::uint64_t new_cas = 0;       // E
  std::uint64_t delta = 1;         // D
  std::uint64_t initial = 0;       // J
  char mode = 0;                   // M
};

// An error that memcached reports only once it has begun executing (after a cas id is taken, an
// item fetched or a counter changed), so the executor must act before it answers.
enum class MetaLateError : std::uint8_t { kNone, kOpaqueTooLong, kInvalidSetMode };

struct MetaRequest {
  MetaVerb verb = MetaVerb::kNoop;
  // The key as the engine sees it: base64-decoded when the `b` flag is present.
  std::array<char, 256> key_bytes{};
  std::size_t key_size = 0;
  bool key_binary = false;
  MetaFlags flags;

  // ms only.
  std::string_view value;
  bool bad_data_chunk = false;
  bool too_large = false;
  MetaLateError late_error = MetaLateError::kNone;

  std::string_view key() const { return {key_bytes.data(), key_size}; }
  bool quiet() const { return flags.has('q'); }
};

}  // namespace mcrefd::protocol
