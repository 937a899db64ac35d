// flush_all: immediate, delayed, noreply, and what is stored right after. All destructive.
#include <chrono>
#include <thread>

#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Flush : public ProtocolTest {};

MC_TEST(Flush, FlushAllRemovesEverything, .feature = Feature::kFlush, .level = Level::kSpec, .destructive = true,
        .spec = "protocol.txt: Other commands (flush_all)",
        .checks = "flush_all answers OK and every item stored before it is gone") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  conn().send(fmt::format("flush_all\r\nget {} {}\r\n", a, b));
  EXPECT_TRUE(conn().expect("OK\r\nEND\r\n"));
}

MC_TEST(Flush, FlushAllZeroIsImmediate, .feature = Feature::kFlush, .level = Level::kSpec, .destructive = true,
        .spec = "protocol.txt: Other commands (flush_all)",
        .checks = "flush_all 0 answers OK and invalidates the items at once") {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("flush_all 0\r\nget {}\r\n", k));
  EXPECT_TRUE(conn().expect("OK\r\nEND\r\n"));
}

MC_TEST(Flush, ItemsStoredRightAfterAFlushAreKept, .feature = Feature::kFlush, .level = Level::kSpec,
        .destructive = true, .spec = "protocol.txt: Other commands (flush_all)",
        .checks =
            "an item stored again right after flush_all is returned: only items updated before the flush are ignored") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("flush_all\r\nset {} 0 0 3\r\nnew\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("OK\r\nSTORED\r\n" + value_reply(k, "new")));
}

MC_TEST(Flush, AddWorksOnAFlushedKey, .feature = Feature::kFlush, .level = Level::kSpec, .destructive = true,
        .spec = "protocol.txt: Other commands (flush_all)",
        .checks = "after flush_all, an add of a key that was flushed answers STORED") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("flush_all\r\nadd {} 0 0 3\r\nnew\r\n", k));
  EXPECT_TRUE(conn().expect("OK\r\nSTORED\r\n"));
}

MC_TEST(Flush, FlushIsSeenByOtherConnections, .feature = Feature::kFlush, .level = Level::kSpec, .destructive = true,
        .spec = "protocol.txt: Other commands (flush_all)",
        .checks = "a flush_all sent on one connection invalidates items for every connection") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  Connection& other = open_connection();
  other.send("flush_all\r\n");
  ASSERT_TRUE(other.expect("OK\r\n"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(
    Flush, BadDelayIsClientError, .feature = Feature::kFlush, .level = Level::kCompat, .destructive = true,
    .spec = "memcached behaviour",
    .checks =
        "flush_all with a non-numeric delay answers \"CLIENT_ERROR invalid exptime argument\" and flushes nothing") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("flush_all soon\r\nget {}\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid exptime argument\r\n" + value_reply(k, "v")));
}

MC_TEST(Flush, TooManyArgumentsIsError, .feature = Feature::kFlush, .level = Level::kCompat, .destructive = true,
        .spec = "memcached behaviour", .checks = "flush_all with three arguments answers ERROR") {
  conn().send("flush_all 0 noreply extra\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Flush, DelayedFlushKeepsItemsUntilItsTime, .feature = Feature::kFlush, .level = Level::kSpec,
        .destructive = true, .spec = "protocol.txt: Other commands (flush_all)",
        .checks =
            "flush_all 2 answers OK and keeps items readable until the delay passes; 3.5 s later the items stored "
            "before and after it are gone") {
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
