// A parsed text-protocol request: what the parser produces and the executor consumes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mcrefd::protocol {

enum class Verb : std::uint8_t {
  kGet,
  kGets,
  kGat,
  kGats,
  kSet,
  kAdd,
  kReplace,
  kAppend,
  kPrepend,
  kCas,
  kDelete,
  kIncr,
  kDecr,
  kTouch,
  kFlushAll,
  kVersion,
  kVerbosity,
  kStats,
  kQuit,
  kError,  // the request is answered by `error_reply` and nothing else happens
};

constexpr bool is_storage(Verb v) { return v >= Verb::kSet && v <= Verb::kCas; }
constexpr bool is_retrieval(Verb v) { return v <= Verb::kGats; }

// Every view points into the caller's input buffer and is valid until that buffer changes.
struct Request {
  Verb verb = Verb::kError;
  // memcached decides `noreply` from the last token, once per command; the executor obeys it.
  bool noreply = false;

  std::string_view key;   // storage, delete, incr/decr, touch
  std::string_view keys;  // retrieval: the space-separated key list, possibly empty
  std::uint32_t flags = 0;
  std::int32_t exptime = 0;  // storage, touch, gat (as sent; the executor converts)
  std::uint64_t cas_unique = 0;
  std::uint64_t delta = 0;
  std::string_view value;  // storage data block without its terminator

  // Storage outcomes decided by framing alone.
  bool bad_data_chunk = false;  // the data block did not end in "\r\n"
  bool too_large = false;       // value over the item size limit; the block is swallowed

  std::int32_t flush_delay = 0;
  std::uint32_t verbosity = 0;
  std::string_view stats_group;  // empty for the general block

  std::string_view error_reply;  // kError: the reply line without "\r\n"
};

struct ParseOutcome {
  enum class Status : std::uint8_t {
    kNeedMore,  // no complete request yet; nothing consumed
    kRequest,   // `request` is complete; drop `consumed` bytes, then `swallow` more
    kClose,     // memcached closes the connection here without a reply
  };
  Status status = Status::kNeedMore;
  std::size_t consumed = 0;
  std::size_t swallow = 0;
  Request request;
};

struct ParserLimits {
  std::size_t item_size_max = 1024 * 1024;
};

}  // namespace mcrefd::protocol
