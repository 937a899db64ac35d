// The destructive phase: which cases it takes from GoogleTest's filter, and the joined XML report.
#include <gtest/gtest.h>

#include "mcconform/phases.hpp"

namespace mcconform {
namespace {

const std::vector<RunCase> kCases = {
    {"Storage.SetStores", false},
    {"Flush.FlushAllRemovesEverything", true},
    {"Limits.IdleTimeout", false},
    {"Limits.FillingThreeTimesTheMemoryLimit", true},
    {"Bytes/StorageByte.Survives/3", false},
};

TEST(GtestFilter, PositiveAndNegativeGlobs) {
  EXPECT_TRUE(filter_selects("*", "Flush.FlushAll"));
  EXPECT_TRUE(filter_selects("", "Flush.FlushAll"));
  EXPECT_TRUE(filter_selects("Flush.*:Limits.*", "Limits.IdleTimeout"));
  EXPECT_FALSE(filter_selects("Flush.*", "Limits.IdleTimeout"));
  EXPECT_FALSE(filter_selects("*-Limits.*", "Limits.IdleTimeout"));
  EXPECT_TRUE(filter_selects("-Limits.*", "Flush.FlushAll"));
  EXPECT_TRUE(filter_selects("Bytes/StorageByte.Survives/?", "Bytes/StorageByte.Survives/3"));
}

TEST(Phases, DestructiveCasesMoveToAPhaseOfTheirOwn) {
  const Phases phases = split_phases("*", kCases);
  EXPECT_EQ(phases.destructive,
            (std::vector<std::string>{"Flush.FlushAllRemovesEverything", "Limits.FillingThreeTimesTheMemoryLimit"}));
  EXPECT_EQ(phases.main_filter, "*-Flush.FlushAllRemovesEverything:Limits.FillingThreeTimesTheMemoryLimit");
  EXPECT_EQ(phases.destructive_filter, "Flush.FlushAllRemovesEverything:Limits.FillingThreeTimesTheMemoryLimit");
  EXPECT_EQ(phases.main_cases, 3u);
  EXPECT_EQ(split_phases("Flush.*", kCases).main_cases, 0u);
}

TEST(Phases, TheUsersFilterStillDecides) {
  const Phases limits = split_phases("Limits.*-Limits.Idle*", kCases);
  EXPECT_EQ(limits.destructive, (std::vector<std::string>{"Limits.FillingThreeTimesTheMemoryLimit"}));
  EXPECT_EQ(limits.main_filter, "Limits.*-Limits.Idle*:Limits.FillingThreeTimesTheMemoryLimit");

  const Phases none = split_phases("Storage.*:Limits.Idle*", kCases);
  EXPECT_TRUE(none.destructive.empty());
  EXPECT_EQ(none.main_filter, "Storage.*:Limits.Idle*");
}

TEST(JunitReports, TheSecondPhasesSuitesJoinTheFirstAndTheTotalsAdd) {
  const std::string first =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites tests=\"2\" failures=\"1\" disabled=\"0\" errors=\"0\" time=\"1.5\" name=\"AllTests\">\n"
      "  <testsuite name=\"A\" tests=\"2\"></testsuite>\n"
      "</testsuites>\n";
  const std::string second =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites tests=\"1\" failures=\"1\" disabled=\"0\" errors=\"0\" time=\"0.25\" name=\"AllTests\">\n"
      "  <testsuite name=\"Flush\" tests=\"1\"></testsuite>\n"
      "</testsuites>\n";
  EXPECT_EQ(merge_junit_reports(first, second),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites tests=\"3\" failures=\"2\" disabled=\"0\" errors=\"0\" time=\"1.750\" name=\"AllTests\">\n"
            "  <testsuite name=\"A\" tests=\"2\"></testsuite>\n"
            "  <testsuite name=\"Flush\" tests=\"1\"></testsuite>\n"
            "</testsuites>\n");
  EXPECT_EQ(merge_junit_reports(first, "not xml"), first);
}

}  // namespace
}  // namespace mcconform
