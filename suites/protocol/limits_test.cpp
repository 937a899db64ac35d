// Limits: memory (eviction), item size (-I), connections (-c), idle connections.
#include <deque>

#include "mcconform/run_context.hpp"
#include "mcconform/stats_reply.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Limits : public ProtocolTest {
 protected:
  // A server of the same kind as the target, started with extra memcached-style flags.
  std::unique_ptr<SpawnedServer> private_server(const std::string& flags) {
    try {
      return RunContext::instance().spawn_private_server(flags);
    } catch (const SpawnError& e) {
      ADD_FAILURE() << "the server did not start with '" << flags << "': " << e.what();
      return nullptr;
    }
  }
};

MC_TEST(Limits, FillingThreeTimesTheMemoryLimitEvictsWithoutErrors, .feature = Feature::kLimits, .level = Level::kSpec,
        .destructive = true, .spec = "protocol.txt: General-purpose statistics (evictions, bytes, limit_maxbytes)",
        .checks =
            "writing three times limit_maxbytes of 100 KiB items: every set answers STORED, evictions rise, bytes "
            "stays within limit_maxbytes, and the newest item is readable") {
  const auto before = read_stats(conn());
  const std::uint64_t limit = stat_number(before, "limit_maxbytes");
  if (limit == 0) GTEST_SKIP() << "the server reports no limit_maxbytes in stats";
  if (limit > 256u * 1024 * 1024)
    GTEST_SKIP() << "limit_maxbytes is " << limit << ": filling it 3 times is too slow here";
  const std::string value(100 * 1024, 'f');
  const std::uint64_t items = 3 * limit / value.size();
  constexpr std::uint64_t kBatch = 16;
  for (std::uint64_t first = 0; first < items; first += kBatch) {
    std::string batch, expected;
    for (std::uint64_t i = first; i < std::min(items, first + kBatch); ++i) {
      batch += fmt::format("set {} 0 0 {}\r\n{}\r\n", key(fmt::format("fill{}", i)), value.size(), value);
      expected += "STORED\r\n";
    }
    conn().send(batch);
    ASSERT_TRUE(conn().expect(expected)) << "while writing item " << first << " of " << items;
  }
  const auto after = read_stats(conn());
  EXPECT_GT(stat_number(after, "evictions"), stat_number(before, "evictions"))
      << "nothing was evicted after writing " << 3 * limit << " bytes into a " << limit << "-byte cache";
  EXPECT_LE(stat_number(after, "bytes"), limit);
  const auto last = key(fmt::format("fill{}", items - 1));
  conn().send(fmt::format("get {}\r\n", last));
  EXPECT_TRUE(conn().expect(value_reply(last, value))) << "the most recent item must survive";
}

MC_TEST(Limits, ItemSizeLimitFollowsMinusI, .feature = Feature::kLimits, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a server started with -I 2m stores a 1.5 MiB value and refuses one of 2 MiB + 1 with \"SERVER_ERROR "
            "object too large for cache\", removing the key") {
  if (!RunContext::instance().owns_target()) GTEST_SKIP() << "needs a spawned target to start a server with -I 2m";
  auto server = private_server("-I 2m");
  if (!server) return;
  Connection c(server->endpoint(), RunContext::instance().options().timeout, &transcript(), 2);
  const auto k = key();
  const std::string fits(1536 * 1024, 'i'), too_big(2 * 1024 * 1024 + 1, 'j');
  c.send(fmt::format("set {} 0 0 {}\r\n{}\r\n", k, fits.size(), fits));
  EXPECT_TRUE(c.expect("STORED\r\n"));
  c.send(fmt::format("set {} 0 0 {}\r\n{}\r\nget {}\r\n", k, too_big.size(), too_big, k));
  EXPECT_TRUE(c.expect("SERVER_ERROR object too large for cache\r\nEND\r\n"));
}

MC_TEST(Limits, ConnectionsBeyondTheLimitAreRefusedWithAnError, .feature = Feature::kLimits, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a server started with -c 40 refuses a connection at or before the 41st with \"ERROR Too many open "
            "connections\" and closes it") {
  if (!RunContext::instance().owns_target()) GTEST_SKIP() << "needs a spawned target to start a server with -c";
  auto server = private_server("-c 40");
  if (!server) return;
  std::deque<Connection> open;
  bool refused = false;
  // memcached counts a few descriptors of its own against -c, so the refusal may come earlier.
  for (int i = 0; i < 45 && !refused; ++i) {
    open.emplace_back(server->endpoint(), RunContext::instance().options().timeout, &transcript(), 100 + i);
    open.back().send("version\r\n");
    const std::string reply = open.back().read_until("\r\n");
    if (reply == "ERROR Too many open connections\r\n") {
      refused = true;
      EXPECT_TRUE(open.back().expect_closed());
    } else {
      ASSERT_TRUE(reply.starts_with("VERSION ")) << reply;
    }
  }
  EXPECT_TRUE(refused) << "45 connections to a server started with -c 40 were all accepted";
  EXPECT_LE(open.size(), 41u);
}

MC_TEST(Limits, IdleConnectionsAreClosedAfterTheTimeout, .feature = Feature::kLimits, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a server started with -o idle_timeout=1 closes an idle connection within a few seconds") {
  if (!RunContext::instance().owns_target())
    GTEST_SKIP() << "needs a spawned target to start a server with idle_timeout";
  auto server = private_server("-o idle_timeout=1");
  if (!server) return;
  Connection c(server->endpoint(), std::chrono::milliseconds(6000), &transcript(), 2);
  c.send("version\r\n");
  ASSERT_TRUE(c.read_until("\r\n").starts_with("VERSION "));
  // memcached checks idle connections on a timer: the close comes 1 to 4 seconds later.
  EXPECT_TRUE(c.expect_closed());
}

}  // namespace
}  // namespace mcconform::suites
