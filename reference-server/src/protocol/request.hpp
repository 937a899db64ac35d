// Parsed requests, one type per command family, and the parse outcome that frames them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "protocol/key_list.hpp"
#include "protocol/meta_request.hpp"

namespace mcrefd::protocol {

// Every view points into the caller's input buffer and is valid until that buffer changes.
// memcached decides `noreply` from the last token, once per command; the writer obeys it.

enum class StoreVerb : std::uint8_t { kSet, kAdd, kReplace, kAppend, kPrepend, kCas };

struct StoreRequest {
  StoreVerb verb = StoreVerb::kSet;
  bool noreply = false;
  std::string_view key;
  std::uint32_t flags = 0;
  std::int32_t exptime = 0;
  std::uint64_t cas_unique = 0;  // kCas only
  std::string_view value;        // the data block without its terminator
  bool bad_data_chunk = false;   // the data block did not end in "\r\n"
  bool too_large = false;        // value over the item size limit; the block is swallowed
};

enum class RetrieveVerb : std::uint8_t { kGet, kGets, kGat, kGats };

struct RetrieveRequest {
  RetrieveVerb verb = RetrieveVerb::kGet;
  std::int32_t exptime = 0;  // gat, gats
  KeyList keys;
};

struct DeleteRequest {
  std::string_view key;
  bool noreply = false;
};

struct ArithRequest {
  bool incr = true;
  std::string_view key;
  std::uint64_t delta = 0;
  bool noreply = false;
};

struct TouchRequest {
  std::string_view key;
  std::int32_t exptime = 0;
  bool noreply = false;
};

struct FlushRequest {
  std::int32_t delay = 0;
  bool noreply = false;
};

struct VerbosityRequest {
  std::uint32_t level = 0;
  bool noreply = false;
};

struct StatsRequest {
  std::string_view group;  // empty for the general block
  std::string_view arg;    // the token after the group, if any (stats detail on|off|dump)
};

// memcached's administrative commands that take a subcommand and arguments.
enum class AdminVerb : std::uint8_t { kLruCrawler, kSlabs, kCacheMemlimit, kShutdown };

struct AdminRequest {
  AdminVerb verb = AdminVerb::kShutdown;
  std::array<std::string_view, 4> args{};  // the tokens after the command
  std::size_t ntokens = 0;                 // memcached's count, with its terminal token
  bool noreply = false;
};

struct VersionRequest {};
struct QuitRequest {};

// A request answered by one error line and nothing else.
struct ErrorRequest {
  std::string_view reply;  // without "\r\n"
  bool noreply = false;
};

using Request =
    std::variant<StoreRequest, RetrieveRequest, DeleteRequest, ArithRequest, TouchRequest, FlushRequest,
                 VerbosityRequest, StatsRequest, VersionRequest, QuitRequest, ErrorRequest, MetaRequest, AdminRequest>;

struct ParseOutcome {
  enum class Status : std::uint8_t {
    kNeedMore,  // no complete request yet; nothing consumed
    kRequest,   // `request` is complete; drop `consumed` bytes, then `swallow` more
    kClose,     // memcached closes the connection here without a reply
  };
  Status status = Status::kNeedMore;
  std::size_t consumed = 0;
  std::size_t swallow = 0;  // a refused data block still to arrive, read and dropped
  Request request;
};

struct ParserLimits {
  std::size_t item_size_max = 1024 * 1024;
};

}  // namespace mcrefd::protocol
