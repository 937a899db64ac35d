// libmemcached over several servers: ketama placement, spread, remapping, failover. The cases that
// talk to the servers run over both protocols; placement alone (Ketama) never touches the wire.
#include <chrono>
#include <map>
#include <set>

#include "client_protocols.hpp"
#include "mcconform/run_context.hpp"
#include "mcconform/wait.hpp"
#include "memc.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

// The run's cluster (--cluster-size spawned servers, or --target's list).
class OnACluster : public ProtocolTest {
 protected:
  void SetUp() override {
    ProtocolTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    servers_ = RunContext::instance().cluster(RunContext::instance().options().cluster_size);
    if (servers_.size() < 2) GTEST_SKIP() << "needs a cluster: give --target a comma-separated list of servers";
  }
  // Consistent hashing compatible with other ketama clients (MD5, weighted ketama).
  static std::unique_ptr<Memc> ketama_client(const std::vector<Endpoint>& servers,
                                             Protocol protocol = Protocol::kText) {
    auto memc = std::make_unique<Memc>(servers, protocol);
    memc->behavior(MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1);
    return memc;
  }
  std::vector<Endpoint> servers_;
};

class Cluster : public OnACluster, public ::testing::WithParamInterface<Protocol> {
 protected:
  std::unique_ptr<Memc> ketama_client(const std::vector<Endpoint>& servers) {
    return OnACluster::ketama_client(servers, GetParam());
  }
  // What a raw get of `k` on `server` returns (text: the servers' contents, whatever the client spoke).
  std::string raw_get(const Endpoint& server, const std::string& k) {
    Connection c(server, RunContext::instance().options().timeout, &transcript());
    c.send(fmt::format("get {}\r\n", k));
    return c.read_until("END\r\n");
  }
};

MC_TEST_P(Cluster, EveryKeyIsReadableThroughTheClient, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "libmemcached behaviour",
          .checks = "200 keys set through a ketama client over the cluster are all read back through it") {
  auto memc = ketama_client(servers_);
  for (int i = 0; i < 200; ++i) {
    ASSERT_RC(*memc, MEMCACHED_SUCCESS, memc->set(key(fmt::format("k{}", i)), std::to_string(i)));
  }
  for (int i = 0; i < 200; ++i) {
    memcached_return_t rc;
    auto value = memc->fetch(key(fmt::format("k{}", i)), nullptr, rc);
    ASSERT_TRUE(value) << "key " << i << ": " << memcached_strerror(*memc, rc);
    EXPECT_EQ(*value, std::to_string(i));
  }
}

MC_TEST_P(
    Cluster, EachKeyLivesOnTheServerTheClientNames, .feature = Feature::kClient, .level = Level::kSpec,
    .spec = "libmemcached behaviour",
    .checks = "each key set through the ketama client is on the server the client names for it, and on no other") {
  auto memc = ketama_client(servers_);
  for (int i = 0; i < 60; ++i) {
    const auto k = key(fmt::format("k{}", i));
    ASSERT_RC(*memc, MEMCACHED_SUCCESS, memc->set(k, "v"));
    const Endpoint owner = memc->server_for(k);
    for (const Endpoint& server : servers_) {
      const bool here = raw_get(server, k) != "END\r\n";
      EXPECT_EQ(here, server == owner) << k << " on " << server.to_string() << " (owner " << owner.to_string() << ")";
    }
  }
}

// Where ketama places keys: the client's hashing alone, whatever protocol it would then speak, so
// text only.
class Ketama : public OnACluster {};

MC_TEST(Ketama, KeysSpreadOverAllServers, .feature = Feature::kClient, .level = Level::kSpec,
        .spec = "libmemcached behaviour",
        .checks = "ketama places 3000 keys on every server, each getting more than a third of its fair share") {
  auto memc = ketama_client(servers_);
  std::map<std::string, int> per_server;
  constexpr int kKeys = 3000;
  for (int i = 0; i < kKeys; ++i) ++per_server[memc->server_for(key(fmt::format("k{}", i))).to_string()];
  EXPECT_EQ(per_server.size(), servers_.size());
  for (const auto& [server, count] : per_server) {
    EXPECT_GT(count, kKeys / static_cast<int>(servers_.size()) / 3) << server << " gets too few keys";
  }
}

MC_TEST(Ketama, AddingAServerMovesAboutOneNthOfTheKeys, .feature = Feature::kClient, .level = Level::kSpec,
        .spec = "libmemcached behaviour",
        .checks =
            "adding a server to the ketama ring moves between half and one and a half times 1/N of the keys, all of "
            "them to the new server") {
  auto before = ketama_client(servers_);
  std::vector<Endpoint> grown = servers_;
  grown.push_back(Endpoint{"127.0.0.1", 1});  // never contacted: placement only
  auto after = ketama_client(grown);
  constexpr int kKeys = 10000;
  int moved = 0;
  for (int i = 0; i < kKeys; ++i) {
    const auto k = key(fmt::format("k{}", i));
    const Endpoint a = before->server_for(k), b = after->server_for(k);
    if (!(a == b)) {
      ++moved;
      EXPECT_EQ(b, grown.back()) << "a key moved between two old servers";
    }
  }
  const double expected = 1.0 / static_cast<double>(grown.size());
  const double fraction = static_cast<double>(moved) / kKeys;
  EXPECT_GT(fraction, expected * 0.5);
  EXPECT_LT(fraction, expected * 1.5);
}

MC_TEST_P(Cluster, MultiGetAcrossServers, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Retrieval command (get)",
          .checks = "an mget through the ketama client of 30 keys spread over the servers returns all 30") {
  auto memc = ketama_client(servers_);
  std::vector<std::string> keys;
  for (int i = 0; i < 30; ++i) {
    keys.push_back(key(fmt::format("k{}", i)));
    ASSERT_RC(*memc, MEMCACHED_SUCCESS, memc->set(keys.back(), std::to_string(i)));
  }
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (const auto& k : keys) {
    pointers.push_back(k.data());
    lengths.push_back(k.size());
  }
  ASSERT_RC(*memc, MEMCACHED_SUCCESS, memcached_mget(*memc, pointers.data(), lengths.data(), keys.size()));
  std::set<std::string> seen;
  memcached_return_t rc;
  while (memcached_result_st* result = memcached_fetch_result(*memc, nullptr, &rc)) {
    seen.insert(std::string(memcached_result_key_value(result), memcached_result_key_length(result)));
    memcached_result_free(result);
  }
  EXPECT_EQ(seen.size(), keys.size());
}

MC_CLIENT_PROTOCOLS(Cluster);

// Failover needs servers the test may kill: only with spawned targets.
class Failover : public ProtocolTest, public ::testing::WithParamInterface<Protocol> {
 protected:
  void SetUp() override {
    ProtocolTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (!RunContext::instance().owns_target())
      GTEST_SKIP() << "failover kills servers: needs spawned targets, not --target";
    for (int i = 0; i < 3; ++i) servers_.push_back(RunContext::instance().spawn_private_server());
  }
  std::vector<Endpoint> endpoints() const {
    std::vector<Endpoint> out;
    for (const auto& s : servers_) out.push_back(s->endpoint());
    return out;
  }
  std::unique_ptr<Memc> failover_client() {
    auto memc = std::make_unique<Memc>(endpoints(), GetParam());
    memc->behavior(MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1);
    memc->behavior(MEMCACHED_BEHAVIOR_REMOVE_FAILED_SERVERS, 1);
    memc->behavior(MEMCACHED_BEHAVIOR_SERVER_FAILURE_LIMIT, 1);
    memc->behavior(MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 1);
    memc->behavior(MEMCACHED_BEHAVIOR_DEAD_TIMEOUT, 1);
    memc->behavior(MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, 200);
    memc->behavior(MEMCACHED_BEHAVIOR_POLL_TIMEOUT, 200);
    return memc;
  }
  // A key that ketama places on server `index`.
  std::string key_on(Memc& memc, std::size_t index, std::string_view name) {
    for (int i = 0; i < 10000; ++i) {
      auto k = key(fmt::format("{}{}", name, i));
      if (memc.server_for(k) == servers_[index]->endpoint()) return k;
    }
    ADD_FAILURE() << "no key maps to server " << index;
    return key(name);
  }
  std::vector<std::unique_ptr<SpawnedServer>> servers_;
};

MC_TEST_P(Failover, KeysOnLiveServersKeepWorkingWhenOneDies, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "libmemcached behaviour",
          .checks = "with one of three servers killed, a key on a live server is still read through the client") {
  auto memc = failover_client();
  const auto on_live = key_on(*memc, 1, "live");
  ASSERT_RC(*memc, MEMCACHED_SUCCESS, memc->set(on_live, "still here"));
  servers_[0]->kill_hard();
  EXPECT_EQ(memc->value_or_error(on_live), "still here");
}

MC_TEST_P(Failover, DeadServersKeysMoveAfterTheFailureLimitAndComeBack, .feature = Feature::kClient,
          .level = Level::kSpec, .spec = "libmemcached behaviour",
          .checks =
              "after a server dies, a set of its key succeeds within 10 tries on another server; restarted, the server "
              "receives the key again within 8 s") {
  auto memc = failover_client();
  const auto k = key_on(*memc, 0, "dead");
  ASSERT_RC(*memc, MEMCACHED_SUCCESS, memc->set(k, "before"));
  servers_[0]->kill_hard();

  // libmemcached reports the failure, marks the server dead, then places the key elsewhere.
  std::vector<std::string> seen;
  memcached_return_t rc = MEMCACHED_FAILURE;
  for (int attempt = 0; attempt < 10 && rc != MEMCACHED_SUCCESS; ++attempt) {
    rc = memc->set(k, "during");
    seen.emplace_back(memcached_strerror(*memc, rc));
  }
  ASSERT_RC(*memc, MEMCACHED_SUCCESS, rc) << " after: " << fmt::format("{}", fmt::join(seen, ", "));
  EXPECT_FALSE(memc->server_for(k) == servers_[0]->endpoint()) << "the key still maps to the dead server";

  // Restarted on the same port, the server rejoins once the retry and dead timeouts pass.
  servers_[0]->start();
  // Rejoined means: a set through the client lands on the restarted server again.
  const bool rejoined = wait_until(std::chrono::seconds(8), std::chrono::milliseconds(100), [&] {
    memc->set(k, "after");
    if (!(memc->server_for(k) == servers_[0]->endpoint())) return false;
    Connection c(servers_[0]->endpoint(), std::chrono::milliseconds(1000));
    c.send(fmt::format("get {}\r\n", k));
    return c.read_until("END\r\n") != "END\r\n";
  });
  EXPECT_TRUE(rejoined) << "the restarted server did not receive its keys again within 8 s";
}

MC_CLIENT_PROTOCOLS(Failover);

}  // namespace
}  // namespace mcconform::suites
