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

TEST(Transcript, RecordsBothDirectionsInOrderWithTimesAndCloses) {
  double now = 0;
  Transcript t([&now] { return now; });
  t.record(1, Transcript::Direction::kSent, "set k 0 0 1\r\n");
  now = 0.5;
  t.record(1, Transcript::Direction::kSent, "x\r\n");
  now = 1.3;
  t.record(1, Transcript::Direction::kReceived, "STORED\r\n");
  now = 12;
  t.record(2, Transcript::Direction::kSent, "get k\r\n");
  t.note("closed");
  now = 13;
  t.closed(2, true);
  t.closed(1, false);
  EXPECT_EQ(t.render(),
            "  +0.0 ms #1 > \"set k 0 0 1\\r\\nx\\r\\n\"\n"
            "  +1.3 ms #1 < \"STORED\\r\\n\"\n"
            "  +12.0 ms #2 > \"get k\\r\\n\"\n"
            "  +12.0 ms -- closed\n"
            "  +13.0 ms #2 closed by the server\n"
            "  +13.0 ms #1 closed by the client\n");
  ASSERT_EQ(t.entries().size(), 6u);
  EXPECT_EQ(t.entries()[0].bytes, "set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(t.entries()[4].direction, Transcript::Direction::kClosedByServer);
}

TEST(Transcript, TimesCountFromTheRestartedClock) {
  double now = 40;
  Transcript t([&now] { return now; });
  t.restart_clock();
  now = 42.5;
  t.record(1, Transcript::Direction::kSent, "version\r\n");
  ASSERT_EQ(t.entries().size(), 1u);
  EXPECT_EQ(t.entries()[0].ms, 2.5);
}

TEST(Transcript, WireLogIsHandedOverOnceAndCapped) {
  Transcript t([] { return 2.0; });
  t.record(1, Transcript::Direction::kSent, std::string(kWireLogEntryBytes + 10, 'v'));
  t.record(1, Transcript::Direction::kReceived, "STORED\r\n");
  publish_case_wire_log(t);
  const auto log = take_case_wire_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].entry.bytes.size(), kWireLogEntryBytes);
  EXPECT_EQ(log[0].truncated_from, kWireLogEntryBytes + 10);
  EXPECT_EQ(log[1].entry.bytes, "STORED\r\n");
  EXPECT_EQ(log[1].truncated_from, 0u);
  EXPECT_EQ(log[1].entry.ms, 2.0);
  EXPECT_TRUE(take_case_wire_log().empty());
}

TEST(Endpoints, ParseSingleAndLists) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:11211"), (Endpoint{"127.0.0.1", 11211}));
  EXPECT_EQ(parse_endpoint("[::1]:11211"), (Endpoint{"::1", 11211}));
  EXPECT_FALSE(parse_endpoint("localhost"));
  // Found by fuzz_harness_parsers: brackets around anything but an IPv6 literal, and hosts with
  // spaces or control bytes, are typos to refuse (exit 2), not addresses to try.
  EXPECT_FALSE(
      parse_endpoint("[[[[[1[\xf9][\x80"
                     "c]:4"));
  EXPECT_FALSE(parse_endpoint("[localhost]:11211"));
  EXPECT_FALSE(parse_endpoint("my host:11211"));
  EXPECT_EQ(parse_endpoint("cache-1.example_net:11211"), (Endpoint{"cache-1.example_net", 11211}));
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
  EXPECT_FALSE(parse_options({"--target", "a=b:1", "--spawn", "a=x {port}"}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--spawn", "x@no-such-profile=x {port}"}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--spawn", "x="}, nullptr).error.empty());
  EXPECT_FALSE(parse_options({"--html"}, nullptr).error.empty());
}

TEST(Options, RepeatedTargetsAreNamedInOrder) {
  auto parsed = parse_options({"--target", "h:1,h:2", "--spawn", "'/usr/bin/memcached' -o idle_timeout=5 -p {port}",
                               "--spawn", "old@memcached-1.6.18=/usr/bin/memcached -p {port}", "--spawn",
                               "memcached -p {port}", "--target", "local=127.0.0.1:11211", "--html", "page.html"},
                              "127.0.0.1:9999");
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  const auto& specs = parsed.options.target_specs;
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].name, "h:1,h:2");
  EXPECT_EQ(specs[0].endpoints.size(), 2u);
  EXPECT_EQ(specs[1].name, "memcached");
  EXPECT_EQ(specs[1].spawn_command, "'/usr/bin/memcached' -o idle_timeout=5 -p {port}");
  EXPECT_EQ(specs[2].name, "old");
  EXPECT_EQ(specs[2].profile, "memcached-1.6.18");
  EXPECT_EQ(specs[2].spawn_command, "/usr/bin/memcached -p {port}");
  EXPECT_EQ(specs[3].name, "memcached-2");
  EXPECT_EQ(specs[4].name, "local");
  EXPECT_EQ(specs[4].endpoints.front().port, 11211);
  EXPECT_EQ(parsed.options.report_html, "page.html");
  // The first target stands for the run; each is taken in turn with its own profile.
  EXPECT_EQ(parsed.options.targets.size(), 2u);
  const Options old = parsed.options.for_target(specs[2]);
  EXPECT_TRUE(old.targets.empty());
  EXPECT_EQ(old.spawn_command, "/usr/bin/memcached -p {port}");
  EXPECT_EQ(old.profile, "memcached-1.6.18");
}

TEST(Options, LastValueWinsAndJsonTakesAnOptionalFile) {
  auto parsed = parse_options({"--timeout", "500", "--timeout=700", "--list-cases", "--json"}, nullptr);
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_EQ(parsed.options.timeout.count(), 700);
  EXPECT_TRUE(parsed.options.list_cases_json);
  EXPECT_TRUE(parsed.options.report_json.empty());
  parsed = parse_options({"--json", "out.json"}, nullptr);
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_EQ(parsed.options.report_json, "out.json");
  EXPECT_FALSE(parsed.options.list_cases_json);
  EXPECT_EQ(parse_options({"--json"}, nullptr).error, "--json needs a file name");
  EXPECT_EQ(parse_options({"stray"}, nullptr).error, "unknown argument 'stray'");
  EXPECT_EQ(parse_options({"--timeout", "0"}, nullptr).error, "--timeout: '0' is not a whole number of at least 1");
}

TEST(Options, NoTargetIsTheBuiltMcrefd) {
  auto parsed = parse_options({}, nullptr);
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  ASSERT_EQ(parsed.options.target_specs.size(), 1u);
  EXPECT_EQ(parsed.options.target_specs[0].name, "mcrefd");
  EXPECT_FALSE(parsed.options.external());
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
