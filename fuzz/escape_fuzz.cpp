// Fuzzes the harness's escaper and mismatch description: every failure message goes through them,
// so no reply a server sends may crash them or make them lie about the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mcconform/escape.hpp"

namespace {

// The inverse of escape_bytes for output it did not elide: "\"...\"" with \r \n \t \\ \" \xNN.
std::string unescape(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') std::abort();
  text = text.substr(1, text.size() - 2);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (++i >= text.size()) std::abort();
    switch (text[i]) {
      case 'r': out += '\r'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case 'x':
        if (i + 2 >= text.size()) std::abort();
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
        break;
      default: std::abort();
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks how much to keep at each end and where to split expected from received.
  const std::size_t keep = data[0] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t kept = keep == 0 ? 400 : keep;
  const std::string escaped = mcconform::escape_bytes(bytes, kept);
  // Escaped text is printable ASCII only, whatever came in.
  for (unsigned char c : escaped) {
    if (c < 0x20 || c > 0x7e) std::abort();
  }
  // Short enough not to be elided: the escaped text says exactly which bytes arrived.
  if (bytes.size() <= 2 * kept + 32 && unescape(escaped) != bytes) std::abort();
  const std::size_t split = bytes.empty() ? 0 : data[0] % bytes.size();
  const std::string message = mcconform::describe_mismatch(bytes.substr(0, split), bytes.substr(split));
  if (message.empty()) std::abort();
  return 0;
}
