// flush_all: immediate, delayed, noreply, and what is stored right after. All destructive.
#include <chrono>
#include <thread>

#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Flush : public ProtocolTest {};

MC_TEST(Flush, FlushAllRemovesEverything, Feature::kFlush, Level::kSpec, true) {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  conn().send(fmt::format("flush_all\r\nget {} {}\r\n", a, b));
  EXPECT_TRUE(conn().expect("OK\r\nEND\r\n"));
}

MC_TEST(Flush, FlushAllZeroIsImmediate, Feature::kFlush, Level::kSpec, true) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("flush_all 0\r\nget {}\r\n", k));
  EXPECT_TRUE(conn().expect("OK\r\nEND\r\n"));
}

MC_TEST(Flush, ItemsStoredRightAfterAFlushAreKept, Feature::kFlush, Level::kSpec, true) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("flush_all\r\nset {} 0 0 3\r\nnew\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("OK\r\nSTORED\r\n" + value_reply(k, "new")));
}

MC_TEST(Flush, AddWorksOnAFlushedKey, Feature::kFlush, Level::kSpec, true) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("flush_all\r\nadd {} 0 0 3\r\nnew\r\n", k));
  EXPECT_TRUE(conn().expect("OK\r\nSTORED\r\n"));
}

MC_TEST(Flush, FlushIsSeenByOtherConnections, Feature::kFlush, Level::kSpec, true) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  Connection& other = open_connection();
  other.send("flush_all\r\n");
  ASSERT_TRUE(other.expect("OK\r\n"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Flush, BadDelayIsClientError, Feature::kFlush, Level::kCompat, true) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("flush_all soon\r\nget {}\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid exptime argument\r\n" + value_reply(k, "v")));
}

MC_TEST(Flush, TooManyArgumentsIsError, Feature::kFlush, Level::kCompat, true) {
  conn().send("flush_all 0 noreply extra\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Flush, DelayedFlushKeepsItemsUntilItsTime, Feature::kFlush, Level::kSpec, true) {
  const auto before = key("before"), between = key("between");
  ASSERT_TRUE(store(before, "b"));
  conn().send("flush_all 2\r\n");
  ASSERT_TRUE(conn().expect("OK\r\n"));
  ASSERT_TRUE(store(between, "x"));
  conn().send(fmt::format("get {}\r\n", before));
  ASSERT_TRUE(conn().expect(value_reply(before, "b")));
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  conn().send(fmt::format("get {} {}\r\n", before, between));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
