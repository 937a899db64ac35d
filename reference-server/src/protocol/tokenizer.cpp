// Splits a command line into tokens the way memcached does: on single spaces, at most 23.
#include "protocol/tokenizer.hpp"

namespace mcrefd::protocol {

Tokens tokenize(std::string_view line) {
  Tokens out;
  std::size_t start = 0;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    if (line[i] != ' ') continue;
    if (i != start) {
      out.token[out.count++] = line.substr(start, i - start);
      if (out.count == Tokens::kMaxTokens) {
        start = i + 1;
        if (start < line.size()) {
          out.rest = line.substr(start);
          out.has_rest = true;
        }
        return out;
      }
    }
    start = i + 1;
  }
  if (start < line.size()) out.token[out.count++] = line.substr(start);
  return out;
}

}  // namespace mcrefd::protocol
