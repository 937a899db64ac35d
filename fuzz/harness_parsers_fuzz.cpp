// Fuzzes what the harness parses from users: endpoints, version numbers and profile lists. Bad
// input must be refused cleanly (nullopt or an exception with a reason), never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mcconform/endpoint.hpp"
#include "mcconform/profile.hpp"
#include "mcconform/version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto endpoint = mcconform::parse_endpoint(text)) {
    // What was accepted prints back as something that parses to the same endpoint.
    auto again = mcconform::parse_endpoint(endpoint->to_string());
    if (endpoint->host.find(':') == std::string::npos && (!again || !(*again == *endpoint))) std::abort();
  }
  (void)mcconform::parse_endpoint_list(text);
  if (auto version = mcconform::Version::parse(text)) {
    if (mcconform::Version::parse(version->to_string()) != version) std::abort();
  }
  try {
    (void)mcconform::parse_profiles(text);
  } catch (const nlohmann::json::exception&) {
  } catch (const std::runtime_error&) {
  }
  return 0;
}
