// The pure binary-protocol parser: bytes in; a request, an error to answer, a need for more bytes,
// or a close out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/binary_frame.hpp"
#include "protocol/request.hpp"

namespace mcrefd::protocol::binary {

// What the reply writer needs of a request besides the outcome of executing it.
struct Frame {
  std::uint8_t opcode = 0;  // as it arrived, quiet forms included: the reply echoes it
  std::uint32_t opaque = 0;
  bool quiet = false;        // a quiet opcode: memcached's `noreply`
  bool return_key = false;   // getk, gatk and their quiet forms
  bool return_value = true;  // false for touch, which answers the flags only
  std::string_view key;      // the request's key, echoed by getk misses
};

struct ParseResult {
  enum class Kind : std::uint8_t {
    kNeedMore,  // no complete request yet; nothing consumed
    kRequest,   // execute `request`; drop `consumed` bytes, then `swallow` more
    kError,     // answer `error` without executing anything; drop `consumed`, then `swallow`
    kClose,     // not a request packet: memcached hangs up without answering, dropping unsent replies
  };
  Kind kind = Kind::kNeedMore;
  std::size_t consumed = 0;
  std::size_t swallow = 0;
  Frame frame;
  Request request;
  Status error = Status::kSuccess;
  bool close_after_error = false;  // kError: the connection closes once the reply is sent
};

// Parses the first packet at the start of `input`, checking the header as memcached 1.6.38's
// dispatch_bin_command does: the magic, a key and extras that fit in the body, a key of at most
// 250 bytes, then each opcode's own extras, key and body lengths. Like memcached it decides once
// the header, extras and key have arrived; a store waits for its whole value, and a value too
// large for an item is refused at once and swallowed as it arrives.
ParseResult parse_binary_request(std::string_view input, const ParserLimits& limits);

}  // namespace mcrefd::protocol::binary
