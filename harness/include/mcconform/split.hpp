// Text cut at a separator, every part kept (empty ones too), so that joining the parts with the
// separator gives the text back.
#pragma once

#include <string_view>
#include <vector>

namespace mcconform {

inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace mcconform
