// Parser, executor and engine together, without sockets: request bytes in, reply bytes out.
#include <gtest/gtest.h>

#include <string>

#include "engine/lru_engine.hpp"
#include "protocol/request_parser.hpp"
#include "server/executor.hpp"

namespace mcrefd::server {
namespace {

class FakeStats final : public StatsSource {
 public:
  void write_stats(std::string& out) const override { out += "STAT fake 1\r\nEND\r\n"; }
  void reset_stats() override {}
};

class ExecutorTest : public ::testing::Test {
 protected:
  engine::ManualClock clock_;
  engine::LruEngine engine_{clock_, engine::LruEngineConfig{}};
  ThreadStats thread_stats_;
  ServerStats server_stats_;
  FakeStats stats_source_;
  Executor executor_{engine_, clock_, thread_stats_, server_stats_, stats_source_, "1.6.18-test"};

  // Runs every complete request in `input` and returns all reply bytes.
  std::string run(std::string input) {
    Output out;
    std::size_t swallow = 0;
    std::string_view rest = input;
    while (!rest.empty()) {
      if (swallow > 0) {
        const auto n = std::min(swallow, rest.size());
        rest.remove_prefix(n);
        swallow -= n;
        continue;
      }
      auto outcome = protocol::parse_request(rest, protocol::ParserLimits{});
      if (outcome.status != protocol::ParseOutcome::Status::kRequest) break;
      executor_.execute(outcome.request, out);
      rest.remove_prefix(outcome.consumed);
      swallow = outcome.swallow;
    }
    return out.bytes;
  }
};

TEST_F(ExecutorTest, SetGetGetsDelete) {
  EXPECT_EQ(run("set k 3 0 2\r\nhi\r\n"), "STORED\r\n");
  EXPECT_EQ(run("get k missing k\r\n"), "VALUE k 3 2\r\nhi\r\nVALUE k 3 2\r\nhi\r\nEND\r\n");
  EXPECT_EQ(run("gets k\r\n"), "VALUE k 3 2 1\r\nhi\r\nEND\r\n");
  EXPECT_EQ(run("delete k\r\ndelete k\r\n"), "DELETED\r\nNOT_FOUND\r\n");
}

TEST_F(ExecutorTest, NoreplySuppressesEveryReplyButErrorOfTokenCount) {
  EXPECT_EQ(run("set k 0 0 1 noreply\r\nx\r\nadd k 0 0 1 noreply\r\ny\r\nincr k 1 noreply\r\n"), "");
  EXPECT_EQ(run("set k 0 0 noreply\r\n"), "");  // the CLIENT_ERROR is suppressed too
  EXPECT_EQ(run("set k noreply\r\n"), "ERROR\r\n");
}

TEST_F(ExecutorTest, BadDataChunkThenTheRestIsACommand) {
  EXPECT_EQ(run("set k 0 0 3\r\nabcde\r\n"), "CLIENT_ERROR bad data chunk\r\nERROR\r\n");
}

TEST_F(ExecutorTest, TooLargeSwallowsTheBlockAndDeletesTheOldValue) {
  run("set k 0 0 1\r\nx\r\n");
  const std::string big(2 * 1024 * 1024, 'v');
  EXPECT_EQ(run("set k 0 0 " + std::to_string(big.size()) + "\r\n" + big + "\r\nget k\r\n"),
            "SERVER_ERROR object too large for cache\r\nEND\r\n");
}

TEST_F(ExecutorTest, ArithmeticReplies) {
  EXPECT_EQ(run("incr n 1\r\n"), "NOT_FOUND\r\n");
  run("set n 0 0 2\r\n10\r\n");
  EXPECT_EQ(run("decr n 1\r\nget n\r\n"), "9\r\nVALUE n 0 2\r\n9 \r\nEND\r\n");
  run("set s 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("incr s 1\r\n"), "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
}

TEST_F(ExecutorTest, OverlongKeyInGetDiscardsTheUnsentBatch) {
  run("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("get k " + std::string(251, 'a') + "\r\n"), "CLIENT_ERROR bad command line format\r\n");
}

TEST_F(ExecutorTest, VersionAndStats) {
  EXPECT_EQ(run("version\r\n"), "VERSION 1.6.18-test\r\n");
  EXPECT_EQ(run("stats\r\n"), "STAT fake 1\r\nEND\r\n");
  EXPECT_EQ(run("stats nonsense\r\n"), "ERROR\r\n");
}

}  // namespace
}  // namespace mcrefd::server
