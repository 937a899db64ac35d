// A server address, host and port, as given on the command line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcconform {

struct Endpoint {
  std::string host;
  int port = 0;

  std::string to_string() const { return host + ":" + std::to_string(port); }
  bool operator==(const Endpoint&) const = default;
};

// "host:port", "[v6addr]:port"; nullopt when malformed.
std::optional<Endpoint> parse_endpoint(std::string_view text);
// A comma-separated list of endpoints; nullopt when any is malformed or the list is empty.
std::optional<std::vector<Endpoint>> parse_endpoint_list(std::string_view text);

}  // namespace mcconform
