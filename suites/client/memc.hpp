// Small RAII wrappers around libmemcached's C handles, and return-code assertions by name.
#pragma once

#include <libmemcached/memcached.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "mcconform/endpoint.hpp"

namespace mcconform::suites {

// The wire protocol libmemcached speaks to the servers.
enum class Protocol { kText, kBinary };
std::string_view protocol_name(Protocol protocol);  // "Text", "Binary": the instantiations' names
// GoogleTest prints a failing test's parameter with it.
inline void PrintTo(Protocol protocol, std::ostream* out) { *out << protocol_name(protocol); }

class Memc {
 public:
  explicit Memc(const std::vector<Endpoint>& servers, Protocol protocol = Protocol::kText);
  ~Memc();
  Memc(const Memc&) = delete;
  Memc& operator=(const Memc&) = delete;

  memcached_st* get() { return st_; }
  operator memcached_st*() { return st_; }  // NOLINT(google-explicit-constructor): a C handle
  void behavior(memcached_behavior_t flag, std::uint64_t value);

  // The stored value, or nullopt with `rc` telling why.
  std::optional<std::string> fetch(std::string_view key, std::uint32_t* flags, memcached_return_t& rc);
  memcached_return_t set(std::string_view key, std::string_view value, time_t expiration = 0, std::uint32_t flags = 0);
  // The stored value, or the return code's text in angle brackets ("<NOT FOUND>"), so that tests
  // can compare it with EXPECT_EQ and a failure says what went wrong.
  std::string value_or_error(std::string_view key, std::uint32_t* flags = nullptr);
  struct CasValue {
    std::string value;
    std::uint64_t cas = 0;
  };
  // A gets through libmemcached (turns SUPPORT_CAS on); nullopt on a miss or an error.
  std::optional<CasValue> fetch_with_cas(std::string_view key);
  // The server libmemcached maps `key` to.
  Endpoint server_for(std::string_view key);
  Protocol protocol() const { return protocol_; }

 private:
  memcached_st* st_;
  Protocol protocol_;
};

// An assertion that names both return codes the way libmemcached does.
::testing::AssertionResult returned(memcached_st* st, memcached_return_t expected, memcached_return_t actual);

}  // namespace mcconform::suites

#define EXPECT_RC(st, expected, expr) EXPECT_TRUE(::mcconform::suites::returned((st), (expected), (expr)))
#define ASSERT_RC(st, expected, expr) ASSERT_TRUE(::mcconform::suites::returned((st), (expected), (expr)))
