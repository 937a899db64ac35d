// The run's bookkeeping: options for it, and when a target counts as unresponsive.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "fake_server.hpp"
#include "mcconform/options.hpp"
#include "mcconform/run_context.hpp"
#include "mcconform/spawned_server.hpp"

namespace mcconform {
namespace {

using testing_support::FakeServer;

RunContext& run_with_max_timeouts(int n) {
  auto parsed = parse_options({"--target", "127.0.0.1:1", "--max-timeouts", std::to_string(n)}, nullptr);
  EXPECT_EQ(parsed.error, "");
  RunContext& run = RunContext::instance();
  run.configure(parsed.options, "");
  return run;
}

TEST(RunContextUnresponsive, ThreeCasesInARowTimingOutMakeTheTargetUnresponsive) {
  RunContext& run = run_with_max_timeouts(3);
  run.record_case_contact(CaseContact::kTimedOut, "A.First", "nothing more within 2000 ms");
  run.record_case_contact(CaseContact::kTimedOut, "A.Second", "nothing more within 2000 ms");
  EXPECT_FALSE(run.unresponsive());
  run.record_case_contact(CaseContact::kTimedOut, "A.Third", "nothing more within 2000 ms");
  const auto why = run.unresponsive();
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "3 consecutive cases timed out; last: A.Third: nothing more within 2000 ms");
}

TEST(RunContextUnresponsive, AnyAnswerResetsTheCountAndCasesWithoutContactDoNot) {
  RunContext& run = run_with_max_timeouts(3);
  run.record_case_contact(CaseContact::kTimedOut, "A.First", "slow");
  run.record_case_contact(CaseContact::kTimedOut, "A.Second", "slow");
  run.record_case_contact(CaseContact::kAnswered, "A.Recovered", "");
  run.record_case_contact(CaseContact::kTimedOut, "A.Third", "slow");
  run.record_case_contact(CaseContact::kNone, "A.Skipped", "");
  run.record_case_contact(CaseContact::kTimedOut, "A.Fourth", "slow");
  EXPECT_FALSE(run.unresponsive());
  run.record_case_contact(CaseContact::kTimedOut, "A.Fifth", "slow");
  EXPECT_TRUE(run.unresponsive());
}

TEST(RunContextUnresponsive, ZeroNeverGivesUp) {
  RunContext& run = run_with_max_timeouts(0);
  for (int i = 0; i < 50; ++i) run.record_case_contact(CaseContact::kTimedOut, "A.Case", "slow");
  EXPECT_FALSE(run.unresponsive());
}

RunContext& run_against(const Endpoint& target) {
  auto parsed = parse_options({"--target", target.to_string(), "--allow-flush", "--timeout", "500"}, nullptr);
  EXPECT_EQ(parsed.error, "");
  RunContext& run = RunContext::instance();
  run.configure(parsed.options, "");
  return run;
}

TEST(RunContextSettle, ASharedTargetThatStoresAndReadsBackHasSettled) {
  SpawnedServer server(std::string(MCCONFORM_BUILD_MCREFD) + " -p {port} -l 127.0.0.1 -U 0");
  RunContext& run = run_against(server.endpoint());
  run.begin_case(TestTags{Feature::kFlush, Level::kSpec, true});
  EXPECT_EQ(run.end_case(), std::nullopt);
}

TEST(RunContextSettle, ATargetThatLosesWhatItStoresHasNotAndTheDestructiveCaseSaysSo) {
  FakeServer forgetful([](int fd, const std::string& received) {
    for (char c : received) {
      if (c == '\n') FakeServer::write_all(fd, "STORED\r\n");
    }
    return true;
  });
  RunContext& run = run_against(forgetful.endpoint());
  run.begin_case(TestTags{Feature::kFlush, Level::kSpec, true});
  const auto why = run.end_case();
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("did not settle after this destructive case"), std::string::npos) << *why;
  EXPECT_NE(why->find("expected: \"STORED\\r\\nVALUE mcconform:settle:"), std::string::npos) << *why;
}

TEST(RunContextSettle, OtherCasesAreNotFollowedByASettleCheck) {
  FakeServer silent([](int, const std::string&) { return true; });
  RunContext& run = run_against(silent.endpoint());
  run.begin_case(TestTags{Feature::kCore, Level::kSpec, false});
  EXPECT_EQ(run.end_case(), std::nullopt);
}

RunContext& run_spawning(const std::string& command) {
  auto parsed = parse_options({"--spawn", command}, nullptr);
  EXPECT_EQ(parsed.error, "");
  RunContext& run = RunContext::instance();
  run.configure(parsed.options, "");
  return run;
}

const std::string kMcrefd = std::string(MCCONFORM_BUILD_MCREFD) + " -p {port} -l 127.0.0.1 -U 0";

TEST(RunContextCaseServer, ADestructiveCaseGetsAServerOfItsOwnAndTheNextCaseTheSharedOne) {
  RunContext& run = run_spawning(kMcrefd);
  const Endpoint shared = run.primary();
  run.begin_case(TestTags{Feature::kFlush, Level::kSpec, true});
  EXPECT_NE(run.primary().port, shared.port);
  EXPECT_EQ(run.end_case(), std::nullopt);
  EXPECT_EQ(run.primary().port, shared.port);
  run.stop_all();
}

TEST(RunContextCaseServer, WhenASecondCopyCannotStartTheCaseRunsOnTheSharedServerAndIsSettled) {
  // The lock directory lets one copy start, not two.
  const std::string dir = ::testing::TempDir() + "mcconform-once-" + std::to_string(::getpid());
  RunContext& run = run_spawning("sh -c 'mkdir " + dir + " || exit 1; exec " + kMcrefd + "'");
  const Endpoint shared = run.primary();
  run.begin_case(TestTags{Feature::kFlush, Level::kSpec, true});
  EXPECT_EQ(run.primary().port, shared.port);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run.end_case(), std::nullopt);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));  // the settle check ran
  run.stop_all();
  std::filesystem::remove(dir);
}

// The binary probe: a noop packet (then CR LF, so that a text server has a line to refuse).
std::optional<std::string> binary_probe(FakeServer::Behaviour behaviour) {
  FakeServer server(std::move(behaviour));
  RunContext& run = run_against(server.endpoint());
  return run.not_implemented(Feature::kBinaryGet);
}

TEST(RunContextBinaryProbe, AServerThatClosesTheConnectionLacksBinary) {
  const auto why = binary_probe([](int, const std::string&) { return false; });
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "the server closed the connection on a binary noop packet");
}

TEST(RunContextBinaryProbe, AServerThatAnswersErrorLacksBinary) {
  const auto why = binary_probe([](int fd, const std::string& received) {
    if (received.find('\n') != std::string::npos) FakeServer::write_all(fd, "ERROR\r\n");
    return true;
  });
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "the server answered ERROR to a binary noop packet");
}

TEST(RunContextBinaryProbe, ASilentServerLacksBinaryAndCostsOneDeadlineForEveryBinaryFeature) {
  FakeServer silent([](int, const std::string&) { return true; });
  RunContext& run = run_against(silent.endpoint());
  const auto why = run.not_implemented(Feature::kBinaryGet);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "the server did not answer a binary noop packet within 500 ms");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run.not_implemented(Feature::kBinaryErrors), why);
  EXPECT_EQ(run.not_implemented(Feature::kBinaryFraming), why);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
}

TEST(RunContextBinaryProbe, ANoopResponseMeansBinaryIsSpoken) {
  const auto why = binary_probe([](int fd, const std::string&) {
    FakeServer::write_all(fd, std::string("\x81\x0a", 2) + std::string(22, '\0'));
    return true;
  });
  EXPECT_EQ(why, std::nullopt);
}

TEST(RunContextBinaryProbe, AnyOtherReplyProvesNothing) {
  const auto why = binary_probe([](int fd, const std::string&) {
    FakeServer::write_all(fd, "SERVER_ERROR something else\r\n");
    return true;
  });
  EXPECT_EQ(why, std::nullopt);
}

TEST(Options, AGroupOfFeaturesIsNotANameAndStaysProbed) {
  const auto group = parse_options({"--features", "binary"}, nullptr).options;
  EXPECT_TRUE(group.features.contains(Feature::kBinaryGet));
  EXPECT_TRUE(group.features.contains(Feature::kBinaryFraming));
  EXPECT_FALSE(group.features.contains(Feature::kMetaGet));
  EXPECT_TRUE(group.features_named.empty());
  const auto named = parse_options({"--features", "meta,binary-get"}, nullptr).options;
  EXPECT_EQ(named.features_named, std::set<Feature>{Feature::kBinaryGet});
  EXPECT_TRUE(named.features.contains(Feature::kMetaDebug));
}

TEST(RunContextBinaryProbe, TheClientSuitesOverBinaryShareTheProbe) {
  FakeServer text_only([](int, const std::string&) { return false; });
  RunContext& run = run_against(text_only.endpoint());
  EXPECT_EQ(run.not_implemented(Feature::kClientBinary), "the server closed the connection on a binary noop packet");
  EXPECT_EQ(run.not_implemented(Feature::kBinaryGet), run.not_implemented(Feature::kClientBinary));
}

TEST(Options, MaxTimeoutsTakesAWholeNonNegativeNumber) {
  EXPECT_EQ(parse_options({}, nullptr).options.max_timeouts, 3);
  EXPECT_EQ(parse_options({"--max-timeouts=7"}, nullptr).options.max_timeouts, 7);
  EXPECT_NE(parse_options({"--max-timeouts", "-1"}, nullptr).error, "");
  EXPECT_NE(parse_options({"--max-timeouts", "3x"}, nullptr).error, "");
  EXPECT_NE(parse_options({"--max-timeouts"}, nullptr).error, "");
}

}  // namespace
}  // namespace mcconform
