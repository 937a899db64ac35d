// A server address, host and port, as given on the command line.
#include "mcconform/endpoint.hpp"

#include <charconv>

namespace mcconform {

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with("[")) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535) {
    return std::nullopt;
  }
  return Endpoint{std::string(host), value};
}

std::optional<std::vector<Endpoint>> parse_endpoint_list(std::string_view text) {
  std::vector<Endpoint> out;
  while (true) {
    const auto comma = text.find(',');
    auto endpoint = parse_endpoint(text.substr(0, comma));
    if (!endpoint) return std::nullopt;
    out.push_back(*endpoint);
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace mcconform
