// The pure request parser: bytes in; a request, a need for more bytes, or a close out.
#pragma once

#include <cstddef>
#include <string_view>

#include "protocol/request.hpp"

namespace mcrefd::protocol {

// memcached closes a connection whose first this-many bytes hold no newline, unless the line is a
// get or gets (a long multi-get), whatever the rest of the line would have been.
inline constexpr std::size_t kMaxLineWithoutNewline = 2048;

// Parses the first request at the start of `input`. It never reads past what it reports as
// consumed, keeps no state between calls and does no I/O, so it can be driven by a socket
// buffer, a test, or a fuzzer alike.
//
// Grammar (protocol.txt), with memcached 1.6's leniency: a line ends at "\n", an optional "\r"
// before it is dropped, tokens are separated by one or more spaces.
//   <storage> <key> <flags> <exptime> <bytes> [noreply]\r\n<data>\r\n
//   cas <key> <flags> <exptime> <bytes> <cas unique> [noreply]\r\n<data>\r\n
//   get|gets <key>*\r\n            gat|gats <exptime> <key>*\r\n
//   delete <key> [0] [noreply]\r\n  incr|decr <key> <value> [noreply]\r\n
//   touch <key> <exptime> [noreply]\r\n
//   flush_all [delay] [noreply]\r\n  verbosity <level> [noreply]\r\n
//   stats [group]\r\n  version\r\n  quit\r\n
ParseOutcome parse_request(std::string_view input, const ParserLimits& limits);

}  // namespace mcrefd::protocol
