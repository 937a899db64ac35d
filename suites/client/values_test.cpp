// libmemcached round trips over value sizes and flags, and the server-wide calls, over both
// protocols.
#include <tuple>
#include <type_traits>

#include "client_protocols.hpp"
#include "mcconform/run_context.hpp"
#include "memc.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

// A libmemcached handle on the target speaking the protocol of the test's parameter.
template <typename Param>
class ClientOver : public ProtocolTest, public ::testing::WithParamInterface<Param> {
 protected:
  void SetUp() override {
    ProtocolTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    memc_ = std::make_unique<Memc>(std::vector<Endpoint>{RunContext::instance().primary()}, protocol());
  }
  Protocol protocol() const {
    if constexpr (std::is_same_v<Param, Protocol>) {
      return this->GetParam();
    } else {
      return std::get<0>(this->GetParam());
    }
  }
  std::unique_ptr<Memc> memc_;
};

class ClientValues : public ClientOver<std::tuple<Protocol, std::size_t>> {
 protected:
  std::size_t size() const { return std::get<1>(GetParam()); }
};

MC_TEST_P(
    ClientValues, SizeRoundTripsByteForByte, .feature = Feature::kClient, .level = Level::kSpec,
    .spec = "protocol.txt: Protocol",
    .checks = "through libmemcached, values of 0 bytes to 1,000,000 bytes come back with the same size and bytes") {
  const auto k = key();
  std::string value(size(), '\0');
  for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>((i * 131 + 7) % 256);
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, memc_->set(k, value));
  memcached_return_t rc;
  auto back = memc_->fetch(k, nullptr, rc);
  ASSERT_TRUE(back) << memcached_strerror(*memc_, rc);
  EXPECT_EQ(back->size(), value.size());
  EXPECT_TRUE(*back == value) << "the value came back altered";
}

std::string bytes_name(std::size_t size) { return fmt::format("Bytes{}", size); }
MC_CLIENT_PROTOCOLS_WITH(ClientValues,
                         ::testing::Values<std::size_t>(0, 1, 2, 100, 1024, 16 * 1024, 100 * 1024, 512 * 1024,
                                                        1000 * 1000),
                         bytes_name);

class ClientFlags : public ClientOver<std::tuple<Protocol, std::uint32_t>> {};

MC_TEST_P(ClientFlags, FlagsRoundTrip, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (flags)",
          .checks = "through libmemcached, flags 0, 1, 65535, 2^31 and 2^32-1 come back unchanged") {
  const auto k = key();
  const std::uint32_t flags = std::get<1>(GetParam());
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, memc_->set(k, "v", 0, flags));
  std::uint32_t back = 12345;
  memcached_return_t rc;
  ASSERT_TRUE(memc_->fetch(k, &back, rc)) << memcached_strerror(*memc_, rc);
  EXPECT_EQ(back, flags);
}

std::string flags_name(std::uint32_t flags) { return fmt::format("Flags{}", flags); }
MC_CLIENT_PROTOCOLS_WITH(ClientFlags, ::testing::Values<std::uint32_t>(0u, 1u, 65535u, 2147483648u, 4294967295u),
                         flags_name);

class ClientServer : public ClientOver<Protocol> {};

MC_TEST_P(ClientServer, VersionIsParsed, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Other commands (version)",
          .checks = "libmemcached parses the server's VERSION line into a major version above 0") {
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, memcached_version(*memc_));
  auto instance = memcached_server_instance_by_position(*memc_, 0);
  EXPECT_GT(memcached_server_major_version(instance), 0) << "libmemcached could not parse the VERSION line";
}

MC_TEST_P(ClientServer, VerbosityIsAccepted, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Other commands (verbosity)",
          .checks =
              "memcached_verbosity succeeds; in binary mode too libmemcached sends the text command \"verbosity 1\", "
              "on a connection of its own (memcached's protocol_binary.h has no verbosity opcode), so the server "
              "must answer text on its binary port") {
  EXPECT_RC(*memc_, MEMCACHED_SUCCESS, memcached_verbosity(*memc_, 1));
  EXPECT_RC(*memc_, MEMCACHED_SUCCESS, memcached_verbosity(*memc_, 0));
}

MC_TEST_P(ClientServer, StatsArePresent, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: General-purpose statistics",
          .checks = "memcached_stat succeeds and the pid statistic is a positive number") {
  memcached_return_t rc;
  memcached_stat_st* stats = memcached_stat(*memc_, nullptr, &rc);
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, rc);
  ASSERT_NE(stats, nullptr);
  char* pid = memcached_stat_get_value(*memc_, stats, "pid", &rc);
  EXPECT_RC(*memc_, MEMCACHED_SUCCESS, rc);
  EXPECT_NE(pid, nullptr);
  if (pid != nullptr) {
    EXPECT_GT(std::atol(pid), 0);
  }
  std::free(pid);
  memcached_stat_free(*memc_, stats);
}

MC_TEST_P(ClientServer, ByKeyCallsUseTheMasterKeyForPlacement, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "libmemcached behaviour",
          .checks = "memcached_set_by_key and memcached_get_by_key store and read the item placed by its master key") {
  const auto master = key("master"), k = key("item");
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS,
            memcached_set_by_key(*memc_, master.data(), master.size(), k.data(), k.size(), "v", 1, 0, 0));
  std::size_t length = 0;
  std::uint32_t flags = 0;
  memcached_return_t rc;
  char* value = memcached_get_by_key(*memc_, master.data(), master.size(), k.data(), k.size(), &length, &flags, &rc);
  ASSERT_NE(value, nullptr) << memcached_strerror(*memc_, rc);
  EXPECT_EQ(std::string(value, length), "v");
  std::free(value);
}

MC_TEST_P(ClientServer, FlushEmptiesTheServer, .feature = Feature::kClient, .level = Level::kSpec, .destructive = true,
          .spec = "protocol.txt: Other commands (flush_all)",
          .checks = "memcached_flush succeeds and a get of an item stored before it is MEMCACHED_NOTFOUND") {
  const auto k = key();
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, memc_->set(k, "v"));
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, memcached_flush(*memc_, 0));
  memcached_return_t rc;
  EXPECT_FALSE(memc_->fetch(k, nullptr, rc));
  EXPECT_RC(*memc_, MEMCACHED_NOTFOUND, rc);
}

MC_TEST_P(ClientServer, FutureExpirationKeepsTheItem, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Expiration times",
          .checks = "through libmemcached, an item set with a 3600 s exptime is readable") {
  const auto k = key();
  ASSERT_RC(*memc_, MEMCACHED_SUCCESS, memc_->set(k, "v", 3600));
  memcached_return_t rc;
  EXPECT_TRUE(memc_->fetch(k, nullptr, rc)) << memcached_strerror(*memc_, rc);
}

MC_CLIENT_PROTOCOLS(ClientServer);

}  // namespace
}  // namespace mcconform::suites
