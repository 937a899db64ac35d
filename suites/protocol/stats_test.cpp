// stats, version, verbosity: formats, and counters that must move (as deltas: shared servers).
#include "mcconform/stats_reply.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Stats : public ProtocolTest {
 protected:
  StatsMap read_stats() { return mcconform::read_stats(conn()); }
  // Like stat_number, but a missing or non-numeric statistic fails the test.
  static std::uint64_t number(const StatsMap& stats, const std::string& name) {
    auto it = stats.find(name);
    if (it == stats.end()) {
      ADD_FAILURE() << "stats has no '" << name << "'";
      return 0;
    }
    if (it->second.empty() || it->second.find_first_not_of("0123456789") != std::string::npos) {
      ADD_FAILURE() << "stat " << name << " is not a number: " << it->second;
    }
    return stat_number(stats, name);
  }
};

MC_TEST(Stats, GeneralBlockHasTheUsualCounters, .feature = Feature::kStats, .level = Level::kSpec,
        .spec = "protocol.txt: General-purpose statistics",
        .checks =
            "\"stats\" lists pid, uptime, time, version, curr_connections, total_connections, cmd_get, cmd_set, "
            "get_hits, get_misses, curr_items, total_items, bytes, evictions, limit_maxbytes and threads") {
  const auto stats = read_stats();
  for (const char* name :
       {"pid", "uptime", "time", "version", "curr_connections", "total_connections", "cmd_get", "cmd_set", "get_hits",
        "get_misses", "curr_items", "total_items", "bytes", "evictions", "limit_maxbytes", "threads"}) {
    EXPECT_TRUE(stats.contains(name)) << "missing STAT " << name;
  }
}

MC_TEST(Stats, GetAndSetCountersMove, .feature = Feature::kStats, .level = Level::kSpec,
        .spec = "protocol.txt: General-purpose statistics",
        .checks =
            "a set and a get of a hit and a miss raise cmd_set, total_items and get_hits by at least 1, get_misses by "
            "at least 1 and cmd_get by at least 2") {
  const auto k = key();
  const auto before = read_stats();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {} {}\r\n", k, key("missing")));
  ASSERT_TRUE(conn().expect(fmt::format("VALUE {} 0 1\r\nv\r\nEND\r\n", k)));
  const auto after = read_stats();
  EXPECT_GE(number(after, "cmd_set") - number(before, "cmd_set"), 1u);
  EXPECT_GE(number(after, "cmd_get") - number(before, "cmd_get"), 2u);
  EXPECT_GE(number(after, "get_hits") - number(before, "get_hits"), 1u);
  EXPECT_GE(number(after, "get_misses") - number(before, "get_misses"), 1u);
  EXPECT_GE(number(after, "total_items") - number(before, "total_items"), 1u);
}

MC_TEST(Stats, ConnectionsAreCounted, .feature = Feature::kStats, .level = Level::kSpec,
        .spec = "protocol.txt: General-purpose statistics",
        .checks = "opening a second connection raises total_connections, and curr_connections counts at least 2") {
  const auto before = read_stats();
  Connection& other = open_connection();
  other.send("version\r\n");
  other.read_until("\r\n");
  const auto after = read_stats();
  EXPECT_GE(number(after, "total_connections") - number(before, "total_connections"), 1u);
  EXPECT_GE(number(after, "curr_connections"), 2u);
}

MC_TEST(Stats, UptimeAndTimeAreNumbers, .feature = Feature::kStats, .level = Level::kSpec,
        .spec = "protocol.txt: General-purpose statistics",
        .checks = "time is a plausible unix time, pid is positive, uptime is a number") {
  const auto stats = read_stats();
  EXPECT_GT(number(stats, "time"), 1600000000u);
  EXPECT_GT(number(stats, "pid"), 0u);
  number(stats, "uptime");
}

MC_TEST(Stats, VersionLine, .feature = Feature::kStats, .level = Level::kSpec,
        .spec = "protocol.txt: Other commands (version)",
        .checks = "version answers \"VERSION <version>\\r\\n\" with a non-empty version") {
  conn().send("version\r\n");
  const std::string line = conn().read_until("\r\n");
  EXPECT_TRUE(line.starts_with("VERSION ")) << line;
  EXPECT_GT(line.size(), std::string("VERSION \r\n").size());
}

MC_TEST(Stats, VerbosityIsOk, .feature = Feature::kStats, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "verbosity 0 and verbosity 1 each answer OK") {
  conn().send("verbosity 0\r\nverbosity 1\r\nverbosity 0\r\n");
  EXPECT_TRUE(conn().expect("OK\r\nOK\r\nOK\r\n"));
}

MC_TEST(Stats, VerbosityWithoutLevelIsError, .feature = Feature::kStats, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "verbosity without a level answers ERROR") {
  conn().send("verbosity\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Stats, UnknownStatsGroupIsError, .feature = Feature::kStats, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "\"stats nonsense\" (an unknown group) answers ERROR") {
  conn().send("stats nonsense\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
