// The run's bookkeeping: options for it, and when a target counts as unresponsive.
#include <gtest/gtest.h>

#include "mcconform/options.hpp"
#include "mcconform/run_context.hpp"

namespace mcconform {
namespace {

RunContext& run_with_max_timeouts(int n) {
  auto parsed = parse_options({"--target", "127.0.0.1:1", "--max-timeouts", std::to_string(n)}, nullptr);
  EXPECT_EQ(parsed.error, "");
  RunContext& run = RunContext::instance();
  run.configure(parsed.options, "");
  run.record_case_contact(CaseContact::kAnswered, "Reset.Count", "");  // each test starts afresh
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

TEST(Options, MaxTimeoutsTakesAWholeNonNegativeNumber) {
  EXPECT_EQ(parse_options({}, nullptr).options.max_timeouts, 3);
  EXPECT_EQ(parse_options({"--max-timeouts=7"}, nullptr).options.max_timeouts, 7);
  EXPECT_NE(parse_options({"--max-timeouts", "-1"}, nullptr).error, "");
  EXPECT_NE(parse_options({"--max-timeouts", "3x"}, nullptr).error, "");
  EXPECT_NE(parse_options({"--max-timeouts"}, nullptr).error, "");
}

}  // namespace
}  // namespace mcconform
