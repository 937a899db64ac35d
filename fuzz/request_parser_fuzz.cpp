// Fuzzes mcrefd's pure request parser (text and meta): any bytes, split anywhere, must parse to a
// request, "need more" or "close", never read past the input, and give the same answer however
// TCP cut the bytes, but where memcached itself does not: it closes a connection whose buffer holds
// more than 2 KiB without a newline, unless the line is a get, so a long line is answered when it
// arrives whole and closes the connection when a first part of it arrives alone.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/request_parser.hpp"

namespace {

using mcrefd::protocol::ParseOutcome;

// A line memcached keeps reading past 2 KiB: a get or gets after at most 100 spaces. Written out
// here rather than taken from the parser, so that a parser that stops recognising one is caught.
bool long_get(std::string_view line) {
  const std::size_t spaces = std::min(line.find_first_not_of(' '), line.size());
  const std::string_view rest = line.substr(spaces);
  return spaces <= 100 && (rest.starts_with("get ") || rest.starts_with("gets "));
}

void check_prefixes_need_more(std::string_view input, std::size_t consumed, std::size_t cut,
                              const mcrefd::protocol::ParserLimits& limits) {
  // A complete request is complete only with all its bytes: any shorter prefix needs more, or
  // closes where memcached would (more than 2 KiB, no newline yet, and not a get).
  if (cut >= consumed) return;
  const std::string_view prefix = input.substr(0, cut);
  const ParseOutcome shorter = mcrefd::protocol::parse_request(prefix, limits);
  if (shorter.status == ParseOutcome::Status::kNeedMore) return;
  const bool line_too_long_so_far = shorter.status == ParseOutcome::Status::kClose &&
                                    cut > mcrefd::protocol::kMaxLineWithoutNewline &&
                                    prefix.find('\n') == prefix.npos && !long_get(prefix);
  if (!line_too_long_so_far) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  mcrefd::protocol::ParserLimits limits;
  limits.item_size_max = 1024 + data[0] * 64;  // small, so that "too large" is reachable
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  // Parse the stream request by request, as a connection does.
  for (int requests = 0; !input.empty() && requests < 1000; ++requests) {
    const ParseOutcome outcome = mcrefd::protocol::parse_request(input, limits);
    if (outcome.status == ParseOutcome::Status::kNeedMore) {
      if (outcome.consumed != 0) std::abort();
      break;
    }
    if (outcome.status == ParseOutcome::Status::kClose) break;
    if (outcome.consumed == 0 || outcome.consumed > input.size()) std::abort();
    check_prefixes_need_more(input, outcome.consumed, outcome.consumed * data[0] / 256, limits);
    input.remove_prefix(outcome.consumed);
    // A refused data block is dropped as it arrives, whatever it holds.
    input.remove_prefix(std::min(outcome.swallow, input.size()));
  }
  return 0;
}
