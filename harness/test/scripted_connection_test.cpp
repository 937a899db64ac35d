// The connection's reply reading over a scripted stream: split replies, EOF, resets, timeouts and
// the poisoning after them, expect's verdicts, all deterministic (no sockets, no sleeps).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "mcconform/connection.hpp"
#include "mcconform/scripted_stream.hpp"

namespace mcconform {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kHit = "VALUE k 0 5\r\nhello\r\nEND\r\n";

// A connection over a fresh script; `script()` stays valid while the connection lives.
class ScriptedConnection : public ::testing::Test {
 protected:
  ScriptedStream& script() { return *script_; }
  Connection& conn() {
    if (!conn_) conn_ = std::make_unique<Connection>(std::move(owned_), 250ms, &transcript_);
    return *conn_;
  }
  bool contains(const ::testing::AssertionResult& result, std::string_view text) {
    return std::string_view(result.message()).find(text) != std::string_view::npos;
  }

  Transcript transcript_{[] { return 0.0; }};

 private:
  std::unique_ptr<ScriptedStream> owned_ = std::make_unique<ScriptedStream>();
  ScriptedStream* script_ = owned_.get();
  std::unique_ptr<Connection> conn_;
};

TEST(ScriptedConnectionSplits, ReplySplitAtEveryByteIsReadWhole) {
  for (std::size_t cut = 1; cut < kHit.size(); ++cut) {
    SCOPED_TRACE(::testing::Message() << "cut at " << cut);
    for (int op = 0; op < 3; ++op) {
      auto stream = std::make_unique<ScriptedStream>();
      stream->bytes(kHit.substr(0, cut)).bytes(kHit.substr(cut));
      Connection c(std::move(stream), 250ms);
      if (op == 0) {
        EXPECT_TRUE(c.expect(kHit));
      } else if (op == 1) {
        EXPECT_EQ(c.read_exact(kHit.size()), kHit);
      } else {
        EXPECT_EQ(c.read_until("\r\n"), "VALUE k 0 5\r\n");
        EXPECT_EQ(c.read_until("END\r\n"), "hello\r\nEND\r\n");
      }
      EXPECT_FALSE(c.timed_out());
      EXPECT_EQ(c.bytes_received(), kHit.size());
    }
  }
}

TEST(ScriptedConnectionSplits, ReplyByteByByteIsReadWhole) {
  auto stream = std::make_unique<ScriptedStream>();
  ScriptedStream& script = *stream;
  script.bytes_in_pieces(kHit, 1);
  Connection c(std::move(stream), 250ms);
  EXPECT_TRUE(c.expect(kHit));
  EXPECT_EQ(script.receive_calls(), kHit.size());
}

TEST_F(ScriptedConnection, ReadUntilStopsAtTheFirstTerminatorAndKeepsTheRest) {
  script().bytes("a\r").bytes("\nb\r\nc").bytes("\r\n");
  EXPECT_EQ(conn().read_until("\r\n"), "a\r\n");
  EXPECT_EQ(conn().read_until("\r\n"), "b\r\n");
  EXPECT_EQ(conn().read_exact(3), "c\r\n");
}

TEST_F(ScriptedConnection, ReplyInPiecesThenEofIsReadThenClosed) {
  script().bytes_in_pieces("STORED\r\n", 3).eof();
  EXPECT_TRUE(conn().expect("STORED\r\n"));
  EXPECT_TRUE(conn().expect_closed());
  EXPECT_TRUE(conn().peer_closed());
  EXPECT_FALSE(conn().timed_out());
}

TEST_F(ScriptedConnection, EofMidReplyFailsSayingWhatArrived) {
  script().bytes("VALUE k 0 5\r\nhe").eof();
  try {
    conn().read_exact(kHit.size());
    FAIL() << "read past EOF";
  } catch (const DeadlineExpired& e) {
    FAIL() << "EOF taken for a timeout: " << e.what();
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("the server closed the connection"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(R"("VALUE k 0 5\r\nhe")"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(conn().peer_closed());
  EXPECT_FALSE(conn().timed_out());
}

TEST_F(ScriptedConnection, EofMidExpectIsAClosedConnectionNotATimeout) {
  script().bytes("STOR").eof();
  auto result = conn().expect("STORED\r\n");
  EXPECT_FALSE(result);
  EXPECT_TRUE(contains(result, "closed the connection before the reply was complete")) << result.message();
  EXPECT_FALSE(conn().timed_out());
}

TEST_F(ScriptedConnection, ResetByThePeerIsAHangUpAndLaterSendsFail) {
  script().bytes("SERVER_ERROR out of memory\r\n").reset_by_peer();
  EXPECT_EQ(conn().read_until("\r\n"), "SERVER_ERROR out of memory\r\n");
  EXPECT_TRUE(conn().expect_closed());
  EXPECT_THROW(conn().send("get k\r\n"), ConnectionError);
  EXPECT_FALSE(conn().timed_out());
}

TEST_F(ScriptedConnection, AfterATimeoutEveryLaterReadFailsAtOnce) {
  script().bytes("VAL").timeout().bytes("UE k 0 5\r\nhello\r\nEND\r\n");
  EXPECT_THROW(conn().read_until("END\r\n"), DeadlineExpired);
  EXPECT_TRUE(conn().timed_out());
  const std::size_t calls = script().receive_calls();
  for (int op = 0; op < 2; ++op) {
    try {
      if (op == 0) conn().read_exact(1);
      if (op == 1) conn().read_until("\r\n");
      FAIL() << "read " << op << " went on after the timeout";
    } catch (const ConnectionError& e) {
      EXPECT_NE(std::string(e.what()).find("out of step"), std::string::npos) << e.what();
    }
  }
  auto expected = conn().expect("UE");
  EXPECT_FALSE(expected);
  EXPECT_TRUE(contains(expected, "out of step")) << expected.message();
  auto closed = conn().expect_closed();
  EXPECT_FALSE(closed);
  EXPECT_TRUE(contains(closed, "out of step")) << closed.message();
  EXPECT_EQ(script().receive_calls(), calls) << "a read after the timeout waited for the stream";
}

TEST_F(ScriptedConnection, ExpectLongerReplyLeavesTheRestForTheSentinel) {
  script().bytes("STORED\r\nSTORED\r\n");
  EXPECT_TRUE(conn().expect("STORED\r\n"));
  auto sentinel = conn().expect_sentinel();
  EXPECT_FALSE(sentinel);
  EXPECT_TRUE(contains(sentinel, R"(unexpected extra bytes before the sentinel: "STORED\r\n")")) << sentinel.message();
  EXPECT_EQ(script().sent(), "");
}

TEST_F(ScriptedConnection, ExpectShorterReplyTimesOutAndShowsWhatCame) {
  script().bytes("STOR").timeout();
  auto result = conn().expect("STORED\r\n");
  EXPECT_FALSE(result);
  EXPECT_TRUE(contains(result, "the reply stopped short; nothing more within 250 ms")) << result.message();
  EXPECT_TRUE(contains(result, R"(received: "STOR" (4 bytes))")) << result.message();
  EXPECT_TRUE(conn().timed_out());
}

TEST_F(ScriptedConnection, ExpectDifferentReplyShowsBothSidesEscaped) {
  script().bytes("ERR").bytes("OR\r\n").bytes("STORED\r\n");
  conn().send("set k 0 0 1\r\nx\r\n");
  auto result = conn().expect("STORED\r\n");
  EXPECT_FALSE(result);
  EXPECT_TRUE(contains(result, "the reply differs")) << result.message();
  EXPECT_TRUE(contains(result, R"(expected: "STORED\r\n")")) << result.message();
  EXPECT_TRUE(contains(result, R"(received: "ERROR\r\n")")) << result.message();
  EXPECT_TRUE(contains(result, R"(last sent: "set k 0 0 1\r\nx\r\n")")) << result.message();
  // A wrong reply is not a timeout: the connection is still in step.
  EXPECT_FALSE(conn().timed_out());
  EXPECT_TRUE(conn().expect("STORED\r\n"));
}

// Regression: a reply that completes only after its deadline was reported as "the reply differs"
// (the trailing burst completed it) and left the connection in use though out of step.
TEST_F(ScriptedConnection, ReplyCompletingAfterTheDeadlineIsATimeout) {
  script().bytes("STO").timeout().bytes("RED\r\n");
  auto result = conn().expect("STORED\r\n");
  EXPECT_FALSE(result);
  EXPECT_TRUE(contains(result, "the reply stopped short; nothing more within 250 ms")) << result.message();
  EXPECT_FALSE(contains(result, "differs")) << result.message();
  EXPECT_TRUE(contains(result, R"(after the deadline came: "RED\r\n")")) << result.message();
  EXPECT_TRUE(conn().timed_out());
  EXPECT_FALSE(conn().expect("STORED\r\n"));
}

TEST_F(ScriptedConnection, ExpectClosedFailsOnBytesOrSilence) {
  script().bytes("END\r\n").timeout();
  auto sent_bytes = conn().expect_closed();
  EXPECT_FALSE(sent_bytes);
  EXPECT_TRUE(contains(sent_bytes, R"(but it sent "END\r\n")")) << sent_bytes.message();
  auto silent = conn().expect_closed();
  EXPECT_FALSE(silent);
  EXPECT_TRUE(contains(silent, "still open after 250 ms")) << silent.message();
}

TEST_F(ScriptedConnection, SentinelAsksForTheNeverStoredKey) {
  script().bytes("EN").bytes("D\r\n");
  EXPECT_TRUE(conn().expect_sentinel());
  EXPECT_EQ(script().sent(), "get " + Connection::sentinel_key() + "\r\n");
}

TEST_F(ScriptedConnection, ReadAvailableStopsWhenThePeerFallsQuiet) {
  script().bytes("a").bytes("b").timeout().bytes("c").eof();
  EXPECT_EQ(conn().read_available(10ms), "ab");
  EXPECT_EQ(conn().read_available(10ms), "c");
  EXPECT_TRUE(conn().peer_closed());
  EXPECT_EQ(conn().read_available(10ms), "");
}

TEST_F(ScriptedConnection, SendThePeerStopsAcceptingIsADeadline) {
  script().accept_at_most(4);
  EXPECT_THROW(conn().send("version\r\n"), DeadlineExpired);
  EXPECT_TRUE(conn().timed_out());
  EXPECT_EQ(script().sent(), "vers");
}

TEST_F(ScriptedConnection, TranscriptHoldsEveryChunkAndTheClose) {
  script().bytes("VERSION ").bytes("1.6.38\r\n").eof();
  conn().send("version\r\n");
  EXPECT_EQ(conn().read_until("\r\n"), "VERSION 1.6.38\r\n");
  EXPECT_TRUE(conn().expect_closed());
  // The two chunks read as one entry (the transcript joins consecutive chunks).
  ASSERT_EQ(transcript_.entries().size(), 3u);
  EXPECT_EQ(transcript_.entries()[1].bytes, "VERSION 1.6.38\r\n");
  EXPECT_EQ(transcript_.entries()[2].direction, Transcript::Direction::kClosedByServer);
  EXPECT_EQ(conn().bytes_received(), 16u);
}

TEST_F(ScriptedConnection, AbortedConnectionRefusesToSend) {
  script().bytes("END\r\n");
  conn().abort();
  ASSERT_EQ(transcript_.entries().size(), 2u);
  EXPECT_EQ(transcript_.entries()[1].direction, Transcript::Direction::kClosedByClient);
  EXPECT_THROW(conn().send("get k\r\n"), ConnectionError);
  try {
    conn().read_exact(5);
    FAIL() << "read after abort";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("this client has reset the connection"), std::string::npos) << e.what();
  }
  // Reading on after one's own reset is no timeout.
  EXPECT_FALSE(conn().timed_out());
}

}  // namespace
}  // namespace mcconform
