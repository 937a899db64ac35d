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
  std::int64_t exptime = 0;      // text: 32-bit signed; binary: 32-bit unsigned
  std::uint64_t cas_unique = 0;  // kCas; binary append and prepend may carry one too
  std::string_view value;        // the data block without its terminator
  bool bad_data_chunk = false;   // the data block did not end in "\r\n"
  bool too_large = false;        // value over the item size limit; the block is swallowed
  // A refused set drops the value the key held; so does a binary set that carries a cas.
  bool drop_old_if_too_large = false;
  bool count_too_large = true;  // memcached's binary path does not count store_too_large
};

enum class RetrieveVerb : std::uint8_t { kGet, kGets, kGat, kGats };

struct RetrieveRequest {
  RetrieveVerb verb = RetrieveVerb::kGet;
  std::int64_t exptime = 0;  // gat, gats
  KeyList keys;
};

struct DeleteRequest {
  std::string_view key;
  bool noreply = false;
  std::uint64_t cas_unique = 0;  // binary: when non-zero, the item's cas must match
};

struct ArithRequest {
  bool incr = true;
  std::string_view key;
  std::uint64_t delta = 0;
  bool noreply = false;
  // Binary only: a cas to match, and on a miss a new item holding `initial` (unless the
  // request's expiration was all ones).
  std::uint64_t cas_unique = 0;
  bool create = false;
  std::uint64_t initial = 0;
  std::int64_t exptime = 0;
};

struct TouchRequest {
  std::string_view key;
  std::int32_t exptime = 0;
  bool noreply = false;
};

struct FlushRequest {
  std::int64_t delay = 0;
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
struct NoopRequest {};  // binary only

// A request answered by one error line and nothing else.
struct ErrorRequest {
  std::string_view reply;  // without "\r\n"
  bool noreply = false;
};

using Request = std::variant<StoreRequest, RetrieveRequest, DeleteRequest, ArithRequest, TouchRequest, FlushRequest,
                             VerbosityRequest, StatsRequest, VersionRequest, QuitRequest, ErrorRequest, MetaRequest,
                             AdminRequest, NoopRequest>;

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

// Which protocols a connection may speak (memcached's -B): auto picks binary for the whole
// connection when its first byte is 0x80, and text otherwise.
enum class Protocols : std::uint8_t { kAuto, kText, kBinary };

struct ParserLimits {
  std::size_t item_size_max = 1024 * 1024;
  Protocols protocols = Protocols::kAuto;
};

}  // namespace mcrefd::protocol
