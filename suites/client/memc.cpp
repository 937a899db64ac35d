// Small RAII wrappers around libmemcached's C handles, and return-code assertions by name.
#include "memc.hpp"

#include <stdexcept>

namespace mcconform::suites {

std::string_view protocol_name(Protocol protocol) { return protocol == Protocol::kBinary ? "Binary" : "Text"; }

Memc::Memc(const std::vector<Endpoint>& servers, Protocol protocol)
    : st_(memcached_create(nullptr)), protocol_(protocol) {
  if (st_ == nullptr) throw std::runtime_error("memcached_create failed");
  for (const Endpoint& e : servers) {
    if (memcached_server_add(st_, e.host.c_str(), static_cast<in_port_t>(e.port)) != MEMCACHED_SUCCESS) {
      throw std::runtime_error("memcached_server_add failed for " + e.to_string());
    }
  }
  // Keys with spaces would desynchronise the text protocol; have the client refuse them.
  behavior(MEMCACHED_BEHAVIOR_VERIFY_KEY, 1);
  behavior(MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, 2000);
  behavior(MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 2000);
  if (protocol == Protocol::kBinary) behavior(MEMCACHED_BEHAVIOR_BINARY_PROTOCOL, 1);
}

Memc::~Memc() { memcached_free(st_); }

void Memc::behavior(memcached_behavior_t flag, std::uint64_t value) {
  const memcached_return_t rc = memcached_behavior_set(st_, flag, value);
  if (rc != MEMCACHED_SUCCESS) {
    throw std::runtime_error(std::string("memcached_behavior_set failed: ") + memcached_strerror(st_, rc));
  }
}

std::optional<std::string> Memc::fetch(std::string_view key, std::uint32_t* flags, memcached_return_t& rc) {
  std::size_t length = 0;
  std::uint32_t ignored = 0;
  char* value = memcached_get(st_, key.data(), key.size(), &length, flags ? flags : &ignored, &rc);
  if (value == nullptr) {
    if (rc == MEMCACHED_SUCCESS && length == 0) return std::string{};  // an empty value
    return std::nullopt;
  }
  std::string out(value, length);
  std::free(value);
  return out;
}

std::string Memc::value_or_error(std::string_view key, std::uint32_t* flags) {
  memcached_return_t rc;
  auto value = fetch(key, flags, rc);
  return value ? *value : "<" + std::string(memcached_strerror(st_, rc)) + ">";
}

std::optional<Memc::CasValue> Memc::fetch_with_cas(std::string_view key) {
  behavior(MEMCACHED_BEHAVIOR_SUPPORT_CAS, 1);
  const char* keys[] = {key.data()};
  const std::size_t lengths[] = {key.size()};
  if (memcached_mget(st_, keys, lengths, 1) != MEMCACHED_SUCCESS) return std::nullopt;
  std::optional<CasValue> found;
  memcached_return_t rc;
  while (memcached_result_st* result = memcached_fetch_result(st_, nullptr, &rc)) {
    found = CasValue{std::string(memcached_result_value(result), memcached_result_length(result)),
                     memcached_result_cas(result)};
    memcached_result_free(result);
  }
  return found;
}

memcached_return_t Memc::set(std::string_view key, std::string_view value, time_t expiration, std::uint32_t flags) {
  return memcached_set(st_, key.data(), key.size(), value.data(), value.size(), expiration, flags);
}

Endpoint Memc::server_for(std::string_view key) {
  memcached_return_t rc;
  auto instance = memcached_server_by_key(st_, key.data(), key.size(), &rc);
  if (instance == nullptr) return {};
  return Endpoint{memcached_server_name(instance), static_cast<int>(memcached_server_port(instance))};
}

::testing::AssertionResult returned(memcached_st* st, memcached_return_t expected, memcached_return_t actual) {
  if (expected == actual) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "libmemcached returned " << memcached_strerror(st, actual) << " ("
                                       << static_cast<int>(actual) << "), expected " << memcached_strerror(st, expected)
                                       << " (" << static_cast<int>(expected) << ")"
                                       << (memcached_last_error_message(st)
                                               ? std::string("; last error: ") + memcached_last_error_message(st)
                                               : std::string());
}

}  // namespace mcconform::suites
