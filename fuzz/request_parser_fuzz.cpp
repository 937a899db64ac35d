// Fuzzes mcrefd's pure request parser (text and meta): any bytes, split anywhere, must parse to a
// request, "need more" or "close", never read past the input, and give the same answer however
// TCP cut the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/request_parser.hpp"

namespace {

using mcrefd::protocol::ParseOutcome;

void check_prefixes_need_more(std::string_view input, std::size_t consumed, std::size_t cut,
                              const mcrefd::protocol::ParserLimits& limits) {
  // A complete request is complete only with all its bytes: any shorter prefix needs more.
  if (cut >= consumed) return;
  const ParseOutcome shorter = mcrefd::protocol::parse_request(input.substr(0, cut), limits);
  if (shorter.status != ParseOutcome::Status::kNeedMore) std::abort();
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
