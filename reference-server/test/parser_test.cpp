// The parser alone: whole, split at every fragment size, pipelined, malformed.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include "protocol/request_parser.hpp"

namespace mcrefd::protocol {
namespace {

using Status = ParseOutcome::Status;

template <typename T>
const T& as(const ParseOutcome& out) {
  return std::get<T>(out.request);
}
std::string_view error_of(const ParseOutcome& out) {
  const auto* error = std::get_if<ErrorRequest>(&out.request);
  return error == nullptr ? std::string_view("<not an error>") : error->reply;
}

// A short name for the request's family, to compare sequences of requests.
std::string kind(const Request& request) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, StoreRequest>) return "store";
        if constexpr (std::is_same_v<T, RetrieveRequest>) return "retrieve";
        if constexpr (std::is_same_v<T, DeleteRequest>) return "delete";
        if constexpr (std::is_same_v<T, ArithRequest>) return r.incr ? "incr" : "decr";
        if constexpr (std::is_same_v<T, TouchRequest>) return "touch";
        if constexpr (std::is_same_v<T, FlushRequest>) return "flush";
        if constexpr (std::is_same_v<T, VerbosityRequest>) return "verbosity";
        if constexpr (std::is_same_v<T, StatsRequest>) return "stats";
        if constexpr (std::is_same_v<T, VersionRequest>) return "version";
        if constexpr (std::is_same_v<T, QuitRequest>) return "quit";
        if constexpr (std::is_same_v<T, ErrorRequest>) return "error";
        if constexpr (std::is_same_v<T, MetaRequest>) {
          constexpr const char* kNames[] = {"mg", "ms", "md", "ma", "mn", "me"};
          return kNames[static_cast<int>(r.verb)];
        }
        return "?";
      },
      request);
}

ParseOutcome parse(std::string_view input, std::size_t item_size_max = 1024 * 1024) {
  return parse_request(input, ParserLimits{item_size_max});
}

TEST(Parser, SetWithDataBlock) {
  const std::string input = "set k 5 10 3\r\nabc\r\n";
  auto out = parse(input);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_EQ(out.consumed, input.size());
  const auto& r = as<StoreRequest>(out);
  EXPECT_EQ(r.verb, StoreVerb::kSet);
  EXPECT_EQ(r.key, "k");
  EXPECT_EQ(r.flags, 5u);
  EXPECT_EQ(r.exptime, 10);
  EXPECT_EQ(r.value, "abc");
  EXPECT_FALSE(r.noreply);
  EXPECT_FALSE(r.bad_data_chunk);
}

TEST(Parser, EveryPrefixOfARequestNeedsMore) {
  const std::string input = "cas key 4294967295 0 5 18446744073709551615 noreply\r\nhe\r\no\r\n";
  for (std::size_t cut = 0; cut < input.size(); ++cut) {
    SCOPED_TRACE(cut);
    EXPECT_EQ(parse(std::string_view(input).substr(0, cut)).status, Status::kNeedMore);
  }
  auto out = parse(input);
  ASSERT_EQ(out.status, Status::kRequest);
  const auto& r = as<StoreRequest>(out);
  EXPECT_EQ(r.verb, StoreVerb::kCas);
  EXPECT_EQ(r.flags, 4294967295u);
  EXPECT_EQ(r.cas_unique, 18446744073709551615ull);
  EXPECT_EQ(r.value, "he\r\no");
  EXPECT_TRUE(r.noreply);
}

// TCP may split a pipeline anywhere: feeding the bytes in fragments of any size must produce the
// same requests as feeding them whole.
class ParserFragments : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ParserFragments, PipelineParsesIdenticallyAtAnyFragmentSize) {
  const std::string pipeline =
      "set a 0 0 1\r\n1\r\nget a b\r\nincr a 5 noreply\r\ndelete a\r\ngets a\r\n"
      "append a 0 0 2\r\nxy\r\nbogus\r\ntouch a 10\r\nflush_all 0\r\nversion\r\n"
      "mg a v c k O123 q\r\nms Zm9v 3 b T0 F5 MS\r\nabc\r\nmd a q\r\nma n N0 J10 MD v\r\nmn\r\nme a\r\n"
      "mg a zz\r\nms a 1 MX\r\nz\r\nmn\r\n";
  const std::vector<std::string> expected = {"store", "retrieve", "incr",    "delete", "retrieve", "store", "error",
                                             "touch", "flush",    "version", "mg",     "ms",       "md",    "ma",
                                             "mn",    "me",       "error",   "ms",     "mn"};
  std::string buffer;
  std::vector<std::string> seen;
  std::size_t fed = 0;
  std::size_t swallow = 0;
  const std::size_t step = GetParam();
  while (fed < pipeline.size() || !buffer.empty()) {
    if (fed < pipeline.size()) {
      buffer.append(pipeline, fed, step);
      fed += std::min(step, pipeline.size() - fed);
    }
    while (true) {
      // A refused data block is dropped after its request, as the driver does.
      const std::size_t dropped = std::min(swallow, buffer.size());
      buffer.erase(0, dropped);
      swallow -= dropped;
      if (swallow > 0) break;
      auto out = parse(buffer);
      if (out.status != Status::kRequest) break;
      seen.push_back(kind(out.request));
      buffer.erase(0, out.consumed);
      swallow = out.swallow;
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
  EXPECT_EQ(as<RetrieveRequest>(out).verb, RetrieveVerb::kGet);
  EXPECT_EQ(as<RetrieveRequest>(out).keys.text(), "k");
}

TEST(Parser, DataBlockMustEndInCrLf) {
  auto out = parse("set k 0 0 3\r\nabcde\r\n");
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_TRUE(as<StoreRequest>(out).bad_data_chunk);
  EXPECT_EQ(out.consumed, std::string("set k 0 0 3\r\nabcde").size());
}

TEST(Parser, UnknownAndShortCommandsAreError) {
  for (std::string_view line : {"foo\r\n", "\r\n", "g\r\n", "get\r\n", "set k 0 0\r\n", "incr k\r\n", "GET k\r\n"}) {
    SCOPED_TRACE(line);
    auto out = parse(line);
    ASSERT_EQ(out.status, Status::kRequest);
    EXPECT_EQ(error_of(out), "ERROR");
    EXPECT_EQ(out.consumed, line.size());
  }
}

TEST(Parser, BadNumbersAreClientErrors) {
  EXPECT_EQ(error_of(parse("set k abc 0 1\r\n")), "CLIENT_ERROR bad command line format");
  EXPECT_EQ(error_of(parse("set k -1 0 1\r\n")), "CLIENT_ERROR bad command line format");
  EXPECT_EQ(error_of(parse("set k 0 0 -1\r\n")), "CLIENT_ERROR bad command line format");
  EXPECT_EQ(error_of(parse("incr k abc\r\n")), "CLIENT_ERROR invalid numeric delta argument");
  EXPECT_EQ(error_of(parse("incr k -1\r\n")), "CLIENT_ERROR invalid numeric delta argument");
  EXPECT_EQ(error_of(parse("touch k x\r\n")), "CLIENT_ERROR invalid exptime argument");
}

TEST(Parser, NoreplyIsTheLastToken) {
  EXPECT_TRUE(as<ErrorRequest>(parse("set k 0 0 abc noreply\r\n")).noreply);
  EXPECT_FALSE(as<StoreRequest>(parse("set k 0 0 1 garbage\r\nx\r\n")).noreply);
  EXPECT_TRUE(as<DeleteRequest>(parse("delete k noreply\r\n")).noreply);
}

TEST(Parser, KeyLengthLimit) {
  const std::string ok(250, 'k');
  const std::string bad(251, 'k');
  EXPECT_EQ(as<StoreRequest>(parse("set " + ok + " 0 0 1\r\nx\r\n")).key, ok);
  EXPECT_EQ(error_of(parse("set " + bad + " 0 0 1\r\nx\r\n")), "CLIENT_ERROR bad command line format");
}

TEST(Parser, TooLargeValueIsRefusedBeforeItsDataAndSwallowed) {
  auto out = parse("set k 0 0 2000\r\n", 1024);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_TRUE(as<StoreRequest>(out).too_large);
  EXPECT_EQ(out.consumed, std::string("set k 0 0 2000\r\n").size());
  EXPECT_EQ(out.swallow, 2002u);
}

TEST(Parser, LongLineWithoutNewlineClosesUnlessItIsAGet) {
  EXPECT_EQ(parse(std::string(3000, 'x')).status, Status::kClose);
  // The same line with its newline, arrived whole, is answered (ERROR), as by memcached.
  EXPECT_EQ(error_of(parse(std::string(3000, 'x') + "\r\n")), "ERROR");
  EXPECT_EQ(parse("get " + std::string(3000, 'x')).status, Status::kNeedMore);
  EXPECT_EQ(parse(std::string(2000, 'x')).status, Status::kNeedMore);
}

// The driver picks the protocol from a connection's first byte; to the text parser a later 0x80 is
// just the start of a line that is no command.
TEST(Parser, BinaryMagicIsABadTextLine) { EXPECT_EQ(error_of(parse(std::string("\x80\x0a\x00\x00\r\n", 6))), "ERROR"); }

TEST(Parser, HttpRequestLineCloses) { EXPECT_EQ(parse("GET / HTTP/1.1\r\n").status, Status::kClose); }

TEST(Parser, MultiGetKeepsEveryKeyBeyondTheTokenLimit) {
  std::string line = "get";
  for (int i = 0; i < 40; ++i) line += " k" + std::to_string(i);
  const std::string input = line + "\r\n";
  auto out = parse(input);
  ASSERT_EQ(out.status, Status::kRequest);
  EXPECT_EQ(as<RetrieveRequest>(out).keys.text(), line.substr(4));
}

TEST(Parser, GatTakesExptimeFirst) {
  auto out = parse("gat 10 a b\r\n");
  EXPECT_EQ(as<RetrieveRequest>(out).verb, RetrieveVerb::kGat);
  EXPECT_EQ(as<RetrieveRequest>(out).exptime, 10);
  EXPECT_EQ(as<RetrieveRequest>(out).keys.text(), "a b");
}

TEST(Parser, DeleteAcceptsOnlyZeroAndNoreply) {
  EXPECT_EQ(as<DeleteRequest>(parse("delete k 0\r\n")).key, "k");
  EXPECT_EQ(error_of(parse("delete k 1\r\n")), "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]");
}

TEST(MetaParser, FlagsKeepTheirOrderAndValues) {
  auto out = parse("mg key v T30 c O123 k N-1 R5 q\r\n");
  ASSERT_EQ(out.status, Status::kRequest);
  const auto& r = as<MetaRequest>(out);
  EXPECT_EQ(r.verb, MetaVerb::kGet);
  EXPECT_EQ(r.key(), "key");
  ASSERT_EQ(r.flags.count, 8u);
  EXPECT_EQ(r.flags.tokens[3], "O123");
  EXPECT_EQ(r.flags.ttl, 30);
  EXPECT_EQ(r.flags.vivify_ttl, -1);
  EXPECT_EQ(r.flags.recache_ttl, 5);
  EXPECT_TRUE(r.quiet());
  EXPECT_TRUE(r.flags.has('k'));
  EXPECT_FALSE(r.flags.has('s'));
}

TEST(MetaParser, Base64KeyIsDecoded) {
  const auto out = parse("md Zm9vIGJhcg== b\r\n");
  const auto& r = as<MetaRequest>(out);
  EXPECT_EQ(r.key(), "foo bar");
  EXPECT_TRUE(r.key_binary);
  EXPECT_EQ(error_of(parse("mg ==== b\r\n")), "CLIENT_ERROR error decoding key");
  EXPECT_EQ(error_of(parse("md abc b\r\n")), "CLIENT_ERROR invalid or duplicate flag");
}

TEST(MetaParser, ErrorsAreMemcachedsStrings) {
  EXPECT_EQ(error_of(parse("mg\r\n")), "ERROR");
  EXPECT_EQ(error_of(parse("mz k\r\n")), "ERROR");
  EXPECT_EQ(error_of(parse("mg k v v\r\n")), "CLIENT_ERROR duplicate flag");
  EXPECT_EQ(error_of(parse("mg k !\r\n")), "CLIENT_ERROR invalid flag");
  EXPECT_EQ(error_of(parse("mg k Tx\r\n")), "CLIENT_ERROR bad token in command line format");
  EXPECT_EQ(error_of(parse("mg " + std::string(251, 'k') + " v\r\n")), "CLIENT_ERROR bad command line format");
  EXPECT_EQ(error_of(parse("mg k a b c d e f g h i j l m n o p r s t u\r\n")),
            "CLIENT_ERROR options flags are too long");
  EXPECT_EQ(error_of(parse("md k a b c d e f g h i j l m n o p r s t u\r\n")), "CLIENT_ERROR options flags too long");
  EXPECT_EQ(error_of(parse("md k O123456789012345678901234567890123\r\n")), "CLIENT_ERROR opaque token too long");
  EXPECT_EQ(error_of(parse("ma k MX\r\n")), "CLIENT_ERROR invalid mode for ma M token");
  EXPECT_EQ(error_of(parse("ma k Dx\r\n")), "CLIENT_ERROR invalid or duplicate flag");
  EXPECT_EQ(error_of(parse("me\r\n")), "CLIENT_ERROR bad command line format");
}

TEST(MetaParser, SetErrorsSwallowTheDataBlockOnlyOnceTheLengthIsKnown) {
  auto bad_flag = parse("ms k 5 Tx\r\n");
  EXPECT_EQ(error_of(bad_flag), "CLIENT_ERROR bad token in command line format");
  EXPECT_EQ(bad_flag.swallow, 7u);
  auto bad_length = parse("ms k x\r\n");
  EXPECT_EQ(error_of(bad_length), "CLIENT_ERROR bad command line format");
  EXPECT_EQ(bad_length.swallow, 0u);
  auto bad_mode = parse("ms k 1 MX\r\n");
  EXPECT_EQ(as<MetaRequest>(bad_mode).late_error, MetaLateError::kInvalidSetMode);
  EXPECT_EQ(bad_mode.swallow, 3u);
  auto too_large = parse("ms k 2000 T0\r\n", 1024);
  EXPECT_TRUE(as<MetaRequest>(too_large).too_large);
  EXPECT_EQ(too_large.swallow, 2002u);
}

TEST(MetaParser, SetWaitsForItsDataBlock) {
  const std::string input = "ms k 5 c\r\nhello\r\n";
  for (std::size_t cut = 0; cut < input.size(); ++cut) {
    EXPECT_EQ(parse(std::string_view(input).substr(0, cut)).status, Status::kNeedMore) << cut;
  }
  auto out = parse(input);
  EXPECT_EQ(out.consumed, input.size());
  EXPECT_EQ(as<MetaRequest>(out).value, "hello");
}

}  // namespace
}  // namespace mcrefd::protocol
