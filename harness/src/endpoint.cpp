// A server address, host and port, as given on the command line.
#include "mcconform/endpoint.hpp"

#include <charconv>

namespace mcconform {
namespace {

// A host is a name or an IPv4 address (letters, digits, '-', '.', '_'), or inside brackets an IPv6
// literal (hex digits, ':', '.', and a '%zone'). Anything else is a typo to refuse, not to try.
bool valid_host(std::string_view host, bool bracketed) {
  if (host.empty()) return false;
  const bool ipv6 = bracketed;
  for (const unsigned char c : host) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool ok = ipv6 ? (alnum || c == ':' || c == '.' || c == '%') : (alnum || c == '-' || c == '.' || c == '_');
    if (!ok) return false;
  }
  return !ipv6 || host.find(':') != std::string_view::npos;
}

}  // namespace

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  const bool bracketed = text.starts_with("[");
  if (bracketed) {
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
  if (!valid_host(host, bracketed) || ec != std::errc{} || end != port.data() + port.size() || value < 1 ||
      value > 65535) {
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
