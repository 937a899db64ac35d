// Protocol bytes made readable: CR, LF, tabs and non-printable bytes escaped.
#include "mcconform/escape.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace mcconform {
namespace {

void escape_into(std::string& out, std::string_view bytes) {
  for (unsigned char c : bytes) {
    switch (c) {
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

}  // namespace

std::string escape_bytes(std::string_view bytes, std::size_t keep) {
  std::string out = "\"";
  if (bytes.size() <= 2 * keep + 32) {
    escape_into(out, bytes);
  } else {
    escape_into(out, bytes.substr(0, keep));
    out += fmt::format("\" ... {} bytes ... \"", bytes.size() - 2 * keep);
    escape_into(out, bytes.substr(bytes.size() - keep));
  }
  out += "\"";
  return out;
}

std::string describe_mismatch(std::string_view expected, std::string_view received) {
  const auto differ = std::mismatch(expected.begin(), expected.end(), received.begin(), received.end());
  const auto offset = static_cast<std::size_t>(differ.first - expected.begin());
  // Show the neighbourhood of the first difference when the replies are long.
  const std::size_t from = offset > 200 ? offset - 100 : 0;
  std::string note = from > 0 ? fmt::format(" (from byte {})", from) : std::string{};
  return fmt::format(
      "  expected{}: {} ({} bytes)\n"
      "  received{}: {} ({} bytes)\n"
      "  first difference at byte {}",
      note, escape_bytes(expected.substr(std::min(from, expected.size()))), expected.size(), note,
      escape_bytes(received.substr(std::min(from, received.size()))), received.size(), offset);
}

}  // namespace mcconform
