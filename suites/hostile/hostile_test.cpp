// Hostile clients: trickling, flooding, never reading, random bytes, giant lines, half-closes and
// resets. The verdict of each: the server stays up, a well-behaved client is answered correctly
// during and after, and a spawned server's resident memory stays under a bound the report shows.
#include <sys/resource.h>

#include <fstream>
#include <random>

#include "mcconform/run_context.hpp"
#include "protocol_test.hpp"
#include "raw_client.hpp"

namespace mcconform::suites {
namespace {

using std::chrono::milliseconds;

// A spawned server starts with memcached's default memory limit (-m 64) and these scenarios store
// under 1 MiB, so whatever its clients do its resident memory must stay under that limit
// (--resident-bound, default 64 MiB): the buffers of a connection are bounded, not the client's to
// grow. memcached 1.6 stays under 10 MiB.
std::size_t resident_bound_mib() { return RunContext::instance().options().resident_bound_mib; }

// The flood needs more descriptors than a shell's usual soft limit of 1024.
void raise_descriptor_limit(rlim_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

class Hostile : public ProtocolTest {
 protected:
  void SetUp() override {
    ProtocolTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    RunContext& run = RunContext::instance();
    if (run.owns_target()) {
      // A server of its own: the attack disturbs no other case, and its memory is measurable.
      try {
        server_ = run.spawn_private_server();
      } catch (const SpawnError& e) {
        FAIL() << "the server to attack did not start: " << e.what();
      }
      victim_ = server_->endpoint();
      RecordProperty("resident_bound_mib", std::to_string(resident_bound_mib()));
    } else {
      victim_ = run.primary();
    }
    good_ = &open_connection_to(victim_);
  }

  void TearDown() override {
    if (server_ && !IsSkipped()) {
      if (auto death = server_->death_report()) ADD_FAILURE() << "the server died under attack: " << *death;
      if (auto peak = peak_resident_mib()) {
        RecordProperty("peak_resident_mib", std::to_string(*peak));
        if (resident_bound_mib() > 0) {
          EXPECT_LE(*peak, resident_bound_mib())
              << "the attacked server's peak resident memory (VmHWM) passed the bound (MiB)";
        }
      }
    }
    ProtocolTest::TearDown();
  }

  const Endpoint& victim() const { return victim_; }
  // The well-behaved connection to the attacked server, for the scenario's own checks.
  Connection& checks() { return *good_; }
  milliseconds timeout() const { return RunContext::instance().options().timeout; }

  Connection& open_connection_to(const Endpoint& endpoint) {
    extra_.emplace_back(endpoint, timeout(), &transcript(), 100 + static_cast<int>(extra_.size()));
    return extra_.back();
  }

  // The well-behaved client: a store and a read back of its own key, answered exactly and within
  // the deadline.
  ::testing::AssertionResult well_behaved_round_trip(std::string_view when) {
    const std::string k = key(fmt::format("good{}", ++round_trips_));
    const std::string value = fmt::format("still-served-{}", round_trips_);
    try {
      good_->send(fmt::format("set {} 0 0 {}\r\n{}\r\nget {}\r\n", k, value.size(), value, k));
      auto result = good_->expect("STORED\r\n" + value_reply(k, value));
      if (!result) result << " (the well-behaved client, " << when << ")";
      return result;
    } catch (const ConnectionError& e) {
      return ::testing::AssertionFailure() << "the well-behaved client, " << when << ": " << e.what();
    }
  }

  // A fresh well-behaved connection after the attack: the server still accepts and serves.
  ::testing::AssertionResult fresh_client_served() {
    try {
      good_ = &open_connection_to(victim_);
    } catch (const ConnectionError& e) {
      return ::testing::AssertionFailure() << "a new client after the attack could not connect: " << e.what();
    }
    return well_behaved_round_trip("on a new connection after the attack");
  }

  std::optional<std::size_t> peak_resident_mib() const {
    if (!server_) return std::nullopt;
    std::ifstream status(fmt::format("/proc/{}/status", server_->pid()));
    std::string line;
    while (std::getline(status, line)) {
      if (line.starts_with("VmHWM:")) return std::stoul(line.substr(6)) / 1024;
    }
    return std::nullopt;
  }

  // A client that offers `bytes` in one go and is then abandoned or closed by the caller.
  RawClient hostile_client() { return RawClient(victim_, timeout()); }

 private:
  std::unique_ptr<SpawnedServer> server_;
  Endpoint victim_;
  std::deque<Connection> extra_;
  Connection* good_ = nullptr;
  int round_trips_ = 0;
};

MC_TEST(Hostile, HundredsOfConnectionsTricklingOneByteAtATime, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "200 connections each trickling a set one byte at a time are all stored, and a well-behaved client is "
            "served throughout") {
  constexpr int kClients = 200;
  std::vector<RawClient> clients;
  std::vector<std::string> commands;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(hostile_client());
    commands.push_back(fmt::format("set {} 0 0 5\r\nbyte{}\r\n", key(fmt::format("t{}", i)), i % 10));
  }
  const std::size_t longest = commands.back().size();
  for (std::size_t offset = 0; offset < longest; ++offset) {
    for (int i = 0; i < kClients; ++i) {
      if (offset >= commands[i].size()) continue;
      ASSERT_EQ(clients[i].offer(std::string_view(commands[i]).substr(offset, 1), timeout()), 1u)
          << "client " << i << " could not send byte " << offset;
    }
    if (offset % 8 == 0) {
      ASSERT_TRUE(well_behaved_round_trip(fmt::format("after {} bytes from each", offset + 1)));
    }
  }
  // Every trickled command was whole in the end and must have been stored.
  for (int i = 0; i < kClients; ++i) {
    ASSERT_EQ(clients[i].receive(8, timeout()), "STORED\r\n") << "trickling client " << i;
  }
  std::string gets, expected;
  for (int i = 0; i < kClients; ++i) {
    const std::string k = key(fmt::format("t{}", i));
    gets += fmt::format("get {}\r\n", k);
    expected += value_reply(k, fmt::format("byte{}", i % 10));
  }
  checks().send(gets);
  EXPECT_TRUE(checks().expect(expected));
  EXPECT_TRUE(fresh_client_served());
}

MC_TEST(Hostile, ConnectionFloodToTheLimitAndPast, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "1,100 connections (past the default -c 1024) leave the server up and serving an established client and "
            "new ones after") {
  // Enough to pass memcached's default limit (-c 1024) when spawned; the descriptors stay within
  // this process's own limit.
  constexpr int kFlood = 1100;
  raise_descriptor_limit(kFlood + 100);
  std::vector<RawClient> flood;
  for (int i = 0; i < kFlood; ++i) {
    try {
      flood.push_back(hostile_client());
    } catch (const ConnectionError&) {
      break;  // a server that stops accepting at its limit is within its rights
    }
    if (i % 200 == 0) {
      ASSERT_TRUE(well_behaved_round_trip(fmt::format("with {} flooding connections open", i + 1)));
    }
  }
  RecordProperty("flood_connections_accepted", std::to_string(flood.size()));
  ASSERT_TRUE(well_behaved_round_trip(fmt::format("with {} flooding connections open", flood.size())));
  flood.clear();
  EXPECT_TRUE(fresh_client_served());
}

MC_TEST(Hostile, PipelinedLargeGetsNeverRead, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "32 clients pipelining 200,000 gets of a 512 KiB value and never reading do not grow the server past its "
            "bound") {
  const std::string k = key("big");
  const std::string value(512 * 1024, 'g');
  checks().send(fmt::format("set {} 0 0 {}\r\n{}\r\n", k, value.size(), value));
  ASSERT_TRUE(checks().expect("STORED\r\n"));
  // Each client asks for 100 GiB of replies (200,000 gets of 512 KiB) and never reads one: the
  // server must stop reading from it rather than buffer its requests or its replies.
  std::string requests;
  for (int i = 0; i < 200000; ++i) requests += fmt::format("get {}\r\n", k);
  std::vector<RawClient> greedy;
  for (int i = 0; i < 32; ++i) {
    greedy.push_back(hostile_client());
    greedy.back().offer(requests, milliseconds(100));
  }
  ASSERT_TRUE(well_behaved_round_trip("while 32 clients never read their replies"));
  greedy.clear();
  EXPECT_TRUE(fresh_client_served());
}

MC_TEST(Hostile, RandomBytes, .feature = Feature::kHostile, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "8 connections of 256 KiB random bytes leave the server up and serving") {
  std::mt19937_64 random(20261201);
  for (int c = 0; c < 8; ++c) {
    std::string noise(256 * 1024, '\0');
    for (auto& byte : noise) byte = static_cast<char>(random() & 0xff);
    RawClient client = hostile_client();
    client.offer(noise, milliseconds(500));
    client.drain();
    ASSERT_TRUE(well_behaved_round_trip(fmt::format("after random bytes from client {}", c + 1)));
  }
  EXPECT_TRUE(fresh_client_served());
}

MC_TEST(Hostile, GiantLineWithoutNewline, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a 32 MiB line without a newline leaves the server up and serving") {
  RawClient client = hostile_client();
  const std::string line(32 * 1024 * 1024, 'a');
  client.offer(line, milliseconds(1000));
  ASSERT_TRUE(well_behaved_round_trip("while a client sends 32 MiB without a newline"));
  client.reset();
  EXPECT_TRUE(fresh_client_served());
}

MC_TEST(Hostile, GiantLinesWithNewlines, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "1 MiB command lines leave the server up and serving") {
  RawClient client = hostile_client();
  std::string lines;
  for (int i = 0; i < 8; ++i) lines += "get " + std::string(1024 * 1024, 'k') + "\r\n";
  client.offer(lines, milliseconds(1000));
  ASSERT_TRUE(well_behaved_round_trip("while a client sends 1 MiB lines"));
  client.reset();
  EXPECT_TRUE(fresh_client_served());
}

MC_TEST(Hostile, HalfCloseInTheMiddleOfAValueStoresNothing, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a client that half-closes in the middle of a data block stores nothing") {
  const std::string k = key("half");
  RawClient client = hostile_client();
  const std::string partial = fmt::format("set {} 0 0 100\r\n{}", k, std::string(50, 'h'));
  ASSERT_EQ(client.offer(partial, timeout()), partial.size());
  client.half_close();
  ASSERT_TRUE(well_behaved_round_trip("after a client half-closed in the middle of a value"));
  checks().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(checks().expect("END\r\n")) << "half a value was stored";
}

MC_TEST(Hostile, ResetInTheMiddleOfAValueStoresNothing, .feature = Feature::kHostile, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a client that resets in the middle of a data block stores nothing") {
  const std::string k = key("reset");
  RawClient client = hostile_client();
  const std::string partial = fmt::format("set {} 0 0 100\r\n{}", k, std::string(50, 'r'));
  ASSERT_EQ(client.offer(partial, timeout()), partial.size());
  client.reset();
  ASSERT_TRUE(well_behaved_round_trip("after a client reset in the middle of a value"));
  checks().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(checks().expect("END\r\n")) << "half a value was stored";
}

}  // namespace
}  // namespace mcconform::suites
