// The fixture every protocol test derives from: tags, a fresh connection, unique keys, helpers.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "mcconform/connection.hpp"
#include "mcconform/features.hpp"
#include "mcconform/transcript.hpp"

namespace mcconform::suites {

class ProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The test's first connection, opened in SetUp.
  Connection& conn() { return connections_.front(); }
  // One more connection to the same server, recorded in the same transcript.
  Connection& open_connection();

  // A key only this test of this run uses: "mcc-<run>-<test>-<name>".
  std::string key(std::string_view name = "k") const;
  // A unique key of exactly `length` bytes (at least the prefix length).
  std::string key_of_length(std::size_t length, std::string_view name = "k") const;

  // set <key> <flags> <exptime> <bytes>\r\n<value>\r\n, asserting STORED.
  ::testing::AssertionResult store(std::string_view key, std::string_view value, std::uint32_t flags = 0,
                                   std::int64_t exptime = 0);
  // The cas unique from "gets <key>", or nullopt when the key is missing or the reply is malformed.
  std::optional<std::uint64_t> fetch_cas(std::string_view key);
  // The cas token from "mg <key> c" ("HD c<cas>"), or nullopt on a miss or a malformed reply.
  std::optional<std::uint64_t> fetch_meta_cas(std::string_view key);
  // conn().expect(expected), except that the meta return flags that report time may show the one
  // tick of the server's clock (a second) that can pass between two commands: `t<N>` (N > 0) may
  // read t<N-1> and `l<N>` may read l<N+1>. memcached itself answers so when its clock ticks
  // between the commands; without this a correct server would fail about one run in a hundred.
  // Everything else, data blocks included, must match exactly.
  ::testing::AssertionResult expect_across_clock_tick(std::string_view expected);
  // Standard base64 with padding, as meta commands take a key with the b flag.
  static std::string base64(std::string_view bytes);
  // The exact reply a get of one stored key must produce.
  static std::string value_reply(std::string_view key, std::string_view value, std::uint32_t flags = 0);
  // The test has checked that the server closed the connection; skip the closing sentinel.
  void connection_closed_on_purpose() { sentinel_at_end_ = false; }
  // The round trip TearDown makes on the first connection to prove nothing is left unanswered: a
  // text get of the sentinel key; a suite whose connection speaks another protocol overrides it.
  virtual ::testing::AssertionResult closing_sentinel() { return conn().expect_sentinel(); }

  Transcript& transcript() { return transcript_; }
  const TestTags& tags() const { return tags_; }

 private:
  // Tells the run whether the target answered this case, or let it time out (see --max-timeouts).
  void record_contact();

  Transcript transcript_;
  std::deque<Connection> connections_;  // a deque: references stay valid as it grows
  std::string prefix_;
  TestTags tags_;
  bool sentinel_at_end_ = true;
  bool set_up_done_ = false;
  bool connect_timed_out_ = false;
  bool case_begun_ = false;  // RunContext::begin_case ran: end_case must follow
};

}  // namespace mcconform::suites

// TEST_F plus the test's feature and level (and optionally destructive = true), which decide
// whether it runs, how it is reported and whether its failure counts.
#define MC_TEST(Fixture, Name, ...)                                                         \
  static const bool mc_tags_##Fixture##_##Name [[maybe_unused]] =                           \
      ::mcconform::register_test_tags(#Fixture, #Name, ::mcconform::TestTags{__VA_ARGS__}); \
  TEST_F(Fixture, Name)

#define MC_TEST_P(Fixture, Name, ...)                                                       \
  static const bool mc_tags_##Fixture##_##Name [[maybe_unused]] =                           \
      ::mcconform::register_test_tags(#Fixture, #Name, ::mcconform::TestTags{__VA_ARGS__}); \
  TEST_P(Fixture, Name)
