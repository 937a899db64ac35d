// Fuzzes mcrefd's pure binary-protocol parser: any bytes must parse to a request, an error to
// answer, "need more" or "close", never read past the input, and a complete packet's every
// shorter prefix must need more bytes, however TCP cut it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/binary_parser.hpp"

namespace {

using mcrefd::protocol::binary::ParseResult;
using Kind = ParseResult::Kind;

void check_prefix_needs_more(std::string_view input, std::size_t consumed, std::size_t cut,
                             const mcrefd::protocol::ParserLimits& limits) {
  if (cut >= consumed) return;
  const ParseResult shorter = mcrefd::protocol::binary::parse_binary_request(input.substr(0, cut), limits);
  if (shorter.kind != Kind::kNeedMore || shorter.consumed != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  mcrefd::protocol::ParserLimits limits;
  limits.item_size_max = 1024 + data[0] * 64;  // small, so that "too large" is reachable
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  for (int packets = 0; !input.empty() && packets < 1000; ++packets) {
    const ParseResult result = mcrefd::protocol::binary::parse_binary_request(input, limits);
    if (result.kind == Kind::kNeedMore) {
      if (result.consumed != 0) std::abort();
      break;
    }
    if (result.kind == Kind::kClose) break;
    if (result.consumed < mcrefd::protocol::binary::kHeaderSize || result.consumed > input.size()) std::abort();
    // The key a reply may echo lies inside the bytes consumed.
    const std::string_view key = result.frame.key;
    if (!key.empty() && (key.data() < input.data() || key.data() + key.size() > input.data() + result.consumed)) {
      std::abort();
    }
    check_prefix_needs_more(input, result.consumed, result.consumed * data[0] / 256, limits);
    input.remove_prefix(result.consumed);
    input.remove_prefix(std::min(result.swallow, input.size()));
    if (result.kind == Kind::kError && result.close_after_error) break;
  }
  return 0;
}
