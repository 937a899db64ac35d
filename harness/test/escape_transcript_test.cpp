// Escaping of protocol bytes, mismatch descriptions and transcripts.
#include <gtest/gtest.h>

#include "mcconform/endpoint.hpp"
#include "mcconform/escape.hpp"
#include "mcconform/options.hpp"
#include "mcconform/report.hpp"
#include "mcconform/transcript.hpp"

namespace mcconform {
namespace {

TEST(Escape, ControlBytesAreVisible) {
  EXPECT_EQ(escape_bytes("STORED\r\n"), R"("STORED\r\n")");
  EXPECT_EQ(escape_bytes(std::string("a\0b\t\"\\\x7f\xff", 8)), R"("a\x00b\t\"\\\x7f\xff")");
}

TEST(Escape, LongInputIsElidedInTheMiddle) {
  const std::string text = std::string(1000, 'a') + std::string(1000, 'b');
  const std::string escaped = escape_bytes(text, 10);
  EXPECT_EQ(escaped, R"("aaaaaaaaaa" ... 1980 bytes ... "bbbbbbbbbb")");
}

TEST(Escape, MismatchNamesTheFirstDifference) {
  const std::string text = describe_mismatch("STORED\r\n", "NOT_STORED\r\n");
  EXPECT_NE(text.find(R"(expected: "STORED\r\n" (8 bytes))"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(received: "NOT_STORED\r\n" (12 bytes))"), std::string::npos) << text;
  EXPECT_NE(text.find("first difference at byte 0"), std::string::npos) << text;
}

TEST(Transcript, RecordsBothDirectionsInOrder) {
  Transcript t;
  t.record(1, Transcript::Direction::kSent, "set k 0 0 1\r\n");
  t.record(1, Transcript::Direction::kSent, "x\r\n");
  t.record(1, Transcript::Direction::kReceived, "STORED\r\n");
  t.record(2, Transcript::Direction::kSent, "get k\r\n");
  t.note("closed");
  EXPECT_EQ(t.render(),
            "  #1 > \"set k 0 0 1\\r\\nx\\r\\n\"\n"
            "  #1 < \"STORED\\r\\n\"\n"
            "  #2 > \"get k\\r\\n\"\n"
            "  -- closed\n");
}

TEST(Endpoints, ParseSingleAndLists) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:11211"), (Endpoint{"127.0.0.1", 11211}));
  EXPECT_EQ(parse_endpoint("[::1]:11211"), (Endpoint{"::1", 11211}));
  EXPECT_FALSE(parse_endpoint("localhost"));
  EXPECT_FALSE(parse_endpoint("host:0"));
  EXPECT_FALSE(parse_endpoint("host:99999"));
  auto list = parse_endpoint_list("a:1,b:2");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_FALSE(parse_endpoint_list("a:1,"));
}

TEST(Options, BadArgumentsAreErrors) {
  EXPECT_FALSE(parse_options({"--target", "nope"}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--features", "core,bogus"}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--level", "strict"}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--frobnicate"}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--target", "a:1", "--spawn", "x {port}"}, nullptr).error.empty());
}

TEST(Options, TargetFromEnvironmentAndFeatures) {
  auto parsed = parse_options({"--features=core,arith", "--timeout", "500"}, "127.0.0.1:9999");
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_EQ(parsed.options.targets.front().port, 9999);
  EXPECT_TRUE(parsed.options.selected(Feature::kArith));
  EXPECT_FALSE(parsed.options.selected(Feature::kStorage));
  EXPECT_EQ(parsed.options.timeout.count(), 500);
}

TEST(ExpectedFailuresFile, GlobPatterns) {
  const std::string path = ::testing::TempDir() + "/expect-fail.txt";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("# known deviations\nErrors.*   # all of them\nStorage.AddNew?\n", f);
    std::fclose(f);
  }
  ExpectedFailures expected;
  std::string error;
  ASSERT_TRUE(expected.load(path, error)) << error;
  EXPECT_TRUE(expected.matches("Errors.EmptyLineIsError"));
  EXPECT_TRUE(expected.matches("Storage.AddNewX"));
  EXPECT_FALSE(expected.matches("Storage.AddNew"));
  EXPECT_FALSE(expected.matches("Cas.Anything"));
}

}  // namespace
}  // namespace mcconform
