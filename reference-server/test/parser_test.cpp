// The parser alone: whole, split at every fragment size, pipelined, malformed.
#include <gtest/gtest.h>

#include <string>

#include "protocol/request_parser.hpp"

namespace mcrefd::protocol {
namespace {

using Status = ParseOutcome::Status;

ParseOutcome parse(std::string_view input, std::size_t item_size_max = 1024 * 1024) {
  return parse_request(input, ParserLimits{item_size_max});
}

TEST(Parser, SetWithDataBlock) {
  const std::string input = "set k 5 10 3\r\nabc\r\n";
  auto out = parse(input);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_EQ(out.consumed, input.size());
  EXPECT_EQ(out.request.verb, Verb::kSet);
  EXPECT_EQ(out.request.key, "k");
  EXPECT_EQ(out.request.flags, 5u);
  EXPECT_EQ(out.request.exptime, 10);
  EXPECT_EQ(out.request.value, "abc");
  EXPECT_FALSE(out.request.noreply);
  EXPECT_FALSE(out.request.bad_data_chunk);
}

TEST(Parser, EveryPrefixOfARequestNeedsMore) {
  const std::string input = "cas key 4294967295 0 5 18446744073709551615 noreply\r\nhe\r\no\r\n";
  for (std::size_t cut = 0; cut < input.size(); ++cut) {
    SCOPED_TRACE(cut);
    EXPECT_EQ(parse(std::string_view(input).substr(0, cut)).status, Status::kNeedMore);
  }
  auto out = parse(input);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_EQ(out.request.verb, Verb::kCas);
  EXPECT_EQ(out.request.flags, 4294967295u);
  EXPECT_EQ(out.request.cas_unique, 18446744073709551615ull);
  EXPECT_EQ(out.request.value, "he\r\no");
  EXPECT_TRUE(out.request.noreply);
}

// TCP may split a pipeline anywhere: feeding the bytes in fragments of any size must produce the
// same requests as feeding them whole.
class ParserFragments : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ParserFragments, PipelineParsesIdenticallyAtAnyFragmentSize) {
  const std::string pipeline =
      "set a 0 0 1\r\n1\r\nget a b\r\nincr a 5 noreply\r\ndelete a\r\ngets a\r\n"
      "append a 0 0 2\r\nxy\r\nbogus\r\ntouch a 10\r\nflush_all 0\r\nversion\r\n";
  const std::vector<Verb> expected = {Verb::kSet,    Verb::kGet,   Verb::kIncr,  Verb::kDelete,   Verb::kGets,
                                      Verb::kAppend, Verb::kError, Verb::kTouch, Verb::kFlushAll, Verb::kVersion};
  std::string buffer;
  std::vector<Verb> seen;
  std::size_t fed = 0;
  const std::size_t step = GetParam();
  while (fed < pipeline.size() || !buffer.empty()) {
    if (fed < pipeline.size()) {
      buffer.append(pipeline, fed, step);
      fed += std::min(step, pipeline.size() - fed);
    }
    while (true) {
      auto out = parse(buffer);
      if (out.status != Status::kRequest) break;
      seen.push_back(out.request.verb);
      buffer.erase(0, out.consumed);
    }
    if (fed == pipeline.size() && !buffer.empty()) break;
  }
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(buffer.empty());
}

INSTANTIATE_TEST_SUITE_P(Sizes, ParserFragments, ::testing::Values(1, 2, 5, 10, 100, 1000));

TEST(Parser, BareLineFeedEndsALine) {
  auto out = parse("get k\n");
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_EQ(out.request.verb, Verb::kGet);
  EXPECT_EQ(out.request.keys, "k");
}

TEST(Parser, DataBlockMustEndInCrLf) {
  auto out = parse("set k 0 0 3\r\nabcde\r\n");
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_TRUE(out.request.bad_data_chunk);
  EXPECT_EQ(out.consumed, std::string("set k 0 0 3\r\nabcde").size());
}

TEST(Parser, UnknownAndShortCommandsAreError) {
  for (std::string_view line : {"foo\r\n", "\r\n", "g\r\n", "get\r\n", "set k 0 0\r\n", "incr k\r\n", "GET k\r\n"}) {
    SCOPED_TRACE(line);
    auto out = parse(line);
    ASSERT_EQ(out.status, Status::kRequest);
    EXPECT_EQ(out.request.verb, Verb::kError);
    EXPECT_EQ(out.request.error_reply, "ERROR");
    EXPECT_EQ(out.consumed, line.size());
  }
}

TEST(Parser, BadNumbersAreClientErrors) {
  EXPECT_EQ(parse("set k abc 0 1\r\n").request.error_reply, "CLIENT_ERROR bad command line format");
  EXPECT_EQ(parse("set k -1 0 1\r\n").request.error_reply, "CLIENT_ERROR bad command line format");
  EXPECT_EQ(parse("set k 0 0 -1\r\n").request.error_reply, "CLIENT_ERROR bad command line format");
  EXPECT_EQ(parse("incr k abc\r\n").request.error_reply, "CLIENT_ERROR invalid numeric delta argument");
  EXPECT_EQ(parse("incr k -1\r\n").request.error_reply, "CLIENT_ERROR invalid numeric delta argument");
  EXPECT_EQ(parse("touch k x\r\n").request.error_reply, "CLIENT_ERROR invalid exptime argument");
}

TEST(Parser, NoreplyIsTheLastToken) {
  EXPECT_TRUE(parse("set k 0 0 abc noreply\r\n").request.noreply);
  EXPECT_FALSE(parse("set k 0 0 1 garbage\r\nx\r\n").request.noreply);
  EXPECT_TRUE(parse("delete k noreply\r\n").request.noreply);
}

TEST(Parser, KeyLengthLimit) {
  const std::string ok(250, 'k');
  const std::string bad(251, 'k');
  EXPECT_EQ(parse("set " + ok + " 0 0 1\r\nx\r\n").request.verb, Verb::kSet);
  EXPECT_EQ(parse("set " + bad + " 0 0 1\r\nx\r\n").request.error_reply, "CLIENT_ERROR bad command line format");
}

TEST(Parser, TooLargeValueIsRefusedBeforeItsDataAndSwallowed) {
  auto out = parse("set k 0 0 2000\r\n", 1024);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_TRUE(out.request.too_large);
  EXPECT_EQ(out.consumed, std::string("set k 0 0 2000\r\n").size());
  EXPECT_EQ(out.swallow, 2002u);
}

TEST(Parser, LongLineWithoutNewlineClosesUnlessItIsAGet) {
  EXPECT_EQ(parse(std::string(3000, 'x')).status, Status::kClose);
  EXPECT_EQ(parse("get " + std::string(3000, 'x')).status, Status::kNeedMore);
  EXPECT_EQ(parse(std::string(2000, 'x')).status, Status::kNeedMore);
}

TEST(Parser, BinaryProtocolMagicCloses) { EXPECT_EQ(parse(std::string("\x80\x01\x00\x03", 4)).status, Status::kClose); }

TEST(Parser, HttpRequestLineCloses) { EXPECT_EQ(parse("GET / HTTP/1.1\r\n").status, Status::kClose); }

TEST(Parser, MultiGetKeepsEveryKeyBeyondTheTokenLimit) {
  std::string line = "get";
  for (int i = 0; i < 40; ++i) line += " k" + std::to_string(i);
  const std::string input = line + "\r\n";
  auto out = parse(input);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_EQ(out.request.keys, line.substr(4));
}

TEST(Parser, GatTakesExptimeFirst) {
  auto out = parse("gat 10 a b\r\n");
  EXPECT_EQ(out.request.verb, Verb::kGat);
  EXPECT_EQ(out.request.exptime, 10);
  EXPECT_EQ(out.request.keys, "a b");
}

TEST(Parser, DeleteAcceptsOnlyZeroAndNoreply) {
  EXPECT_EQ(parse("delete k 0\r\n").request.verb, Verb::kDelete);
  EXPECT_EQ(parse("delete k 1\r\n").request.error_reply,
            "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]");
}

}  // namespace
}  // namespace mcrefd::protocol
