// The harness's raw connection against misbehaving fake servers: deadlines, hang-ups, garbage.
#include <gtest/gtest.h>

#include <chrono>

#include "fake_server.hpp"
#include "mcconform/connection.hpp"

namespace mcconform {
namespace {

using testing_support::FakeServer;
using namespace std::chrono_literals;

TEST(HarnessConnection, SilentServerFailsWithinTheDeadline) {
  FakeServer silent([](int, const std::string&) { return true; });
  Connection c(silent.endpoint(), 300ms);
  c.send("get k\r\n");
  const auto start = std::chrono::steady_clock::now();
  auto result = c.expect("END\r\n");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(result);
  EXPECT_LT(waited, 2s);
  EXPECT_GE(waited, 250ms);
  EXPECT_NE(std::string(result.message()).find("nothing more within 300 ms"), std::string::npos) << result.message();
}

TEST(HarnessConnection, ReadExactThrowsOnSilence) {
  FakeServer silent([](int, const std::string&) { return true; });
  Connection c(silent.endpoint(), 200ms);
  c.send("version\r\n");
  EXPECT_THROW(c.read_exact(5), ConnectionError);
}

TEST(HarnessConnection, AfterATimeoutLaterReadsFailAtOnceAsOutOfStep) {
  FakeServer silent([](int, const std::string&) { return true; });
  Connection c(silent.endpoint(), 300ms);
  c.send("get k\r\n");
  EXPECT_FALSE(c.expect("END\r\n"));
  EXPECT_TRUE(c.timed_out());
  EXPECT_EQ(c.bytes_received(), 0u);
  const auto start = std::chrono::steady_clock::now();
  auto again = c.expect("END\r\n");
  EXPECT_THROW(c.read_until("\r\n"), ConnectionError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_FALSE(again);
  EXPECT_NE(std::string(again.message()).find("out of step"), std::string::npos) << again.message();
}

TEST(HarnessConnection, ATimeoutIsADeadlineExpiredAndAnAnswerIsCounted) {
  FakeServer slow_to_finish([](int fd, const std::string&) {
    FakeServer::write_all(fd, "VAL");
    return true;
  });
  Connection c(slow_to_finish.endpoint(), 200ms);
  c.send("get k\r\n");
  EXPECT_THROW(c.read_until("END\r\n"), DeadlineExpired);
  EXPECT_TRUE(c.timed_out());
  EXPECT_EQ(c.bytes_received(), 3u);
}

TEST(HarnessConnection, ServerClosingMidReplyIsReported) {
  FakeServer half([](int fd, const std::string&) {
    FakeServer::write_all(fd, "VALUE k 0 5\r\nhe");
    return false;
  });
  Connection c(half.endpoint(), 1s);
  c.send("get k\r\n");
  auto result = c.expect("VALUE k 0 5\r\nhello\r\nEND\r\n");
  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("closed the connection"), std::string::npos) << result.message();
  EXPECT_NE(std::string(result.message()).find("VALUE k 0 5\\r\\nhe"), std::string::npos) << result.message();
}

TEST(HarnessConnection, GarbageIsShownEscaped) {
  FakeServer garbage([](int fd, const std::string&) {
    FakeServer::write_all(fd, std::string("\x00\x01\xffSTORED\n", 10));
    return true;
  });
  Connection c(garbage.endpoint(), 500ms);
  c.send("set k 0 0 1\r\nx\r\n");
  auto result = c.expect("STORED\r\n");
  ASSERT_FALSE(result);
  const std::string message = result.message();
  EXPECT_NE(message.find(R"(expected: "STORED\r\n")"), std::string::npos) << message;
  EXPECT_NE(message.find(R"(received: "\x00\x01\xffSTORED\n")"), std::string::npos) << message;
  EXPECT_NE(message.find("first difference at byte 0"), std::string::npos) << message;
}

TEST(HarnessConnection, ExtraBytesAreCaughtByTheSentinel) {
  FakeServer chatty([](int fd, const std::string& got) {
    FakeServer::write_all(fd, got.starts_with("get") ? "END\r\n" : "STORED\r\nSTORED\r\n");
    return true;
  });
  Connection c(chatty.endpoint(), 500ms);
  c.send("set k 0 0 1 noreply\r\nx\r\n");
  auto result = c.expect_sentinel();
  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("STORED"), std::string::npos) << result.message();
}

TEST(HarnessConnection, ConnectToAClosedPortFailsClearly) {
  int port = 0;
  {
    FakeServer gone([](int, const std::string&) { return false; });
    port = gone.endpoint().port;
  }
  try {
    Connection c(Endpoint{"127.0.0.1", port}, 300ms);
    FAIL() << "connected to a closed port";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to 127.0.0.1"), std::string::npos) << e.what();
  }
}

TEST(HarnessConnection, ExpectClosedSeesTheHangUp) {
  FakeServer hangs_up([](int, const std::string&) { return false; });
  Connection c(hangs_up.endpoint(), 1s);
  c.send("quit\r\n");
  EXPECT_TRUE(c.expect_closed());
}

TEST(HarnessConnection, ExpectClosedFailsWhenTheServerStaysOpen) {
  FakeServer stays([](int, const std::string&) { return true; });
  Connection c(stays.endpoint(), 200ms);
  c.send("quit\r\n");
  auto result = c.expect_closed();
  EXPECT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("still open"), std::string::npos) << result.message();
}

TEST(HarnessConnection, SplitSendsArriveInPieces) {
  std::string seen;
  FakeServer echo([&seen](int fd, const std::string& got) {
    seen += got;
    if (seen.ends_with("\r\n")) FakeServer::write_all(fd, "OK\r\n");
    return true;
  });
  Connection c(echo.endpoint(), 1s);
  const std::size_t cuts[] = {1, 3, 5};
  c.send_split("version\r\n", cuts);
  EXPECT_TRUE(c.expect("OK\r\n"));
  EXPECT_EQ(seen, "version\r\n");
}

}  // namespace
}  // namespace mcconform
