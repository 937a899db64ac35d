// The meta-protocol half of the parser: a tokenized mg/ms/md/ma/mn/me line in, a request out.
#pragma once

#include <cstddef>
#include <string_view>

#include "protocol/request.hpp"
#include "protocol/tokenizer.hpp"

namespace mcrefd::protocol {

// `input` starts with the line; `next` is the offset just past its "\n". Grammar (protocol.txt):
//   mg <key> <flag>*\r\n          ms <key> <datalen> <flag>*\r\n<data>\r\n
//   md <key> <flag>*\r\n          ma <key> <flag>*\r\n
//   mn\r\n                        me <key> [b]\r\n
// A flag is one letter, optionally followed by its token, e.g. `T30`, `Oabc`, `MA`.
ParseOutcome parse_meta(std::string_view input, const Tokens& tokens, std::size_t next, const ParserLimits& limits);

}  // namespace mcrefd::protocol
