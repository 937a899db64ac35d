// The reports of a run over several targets: the JSON document, the comparison and the HTML page.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mcconform/report.hpp"

namespace mcconform {
namespace {

TestRecord record(std::string name, Feature feature, Outcome outcome, std::string detail = "") {
  TestRecord r;
  r.name = std::move(name);
  r.tags.feature = feature;
  r.tags.level = Level::kSpec;
  r.tags.spec = "protocol.txt: Storage commands (set)";
  r.tags.checks = "a set answers STORED";
  r.outcome = outcome;
  r.detail = std::move(detail);
  return r;
}

std::vector<TargetReport> two_targets() {
  TargetReport a{"mcrefd", "spawned: mcrefd -p 1", "memcached-1.6.38", true, "PASS", {}, ""};
  a.records.push_back(record("Storage.Set", Feature::kCore, Outcome::kPassed));
  a.records.back().wire = {
      {{1, Transcript::Direction::kSent, "set <k> 0 0 1\r\n\x01\r\n", 0.25}, 0},
      {{1, Transcript::Direction::kReceived, "STORED\r\n", 1.5}, 0},
      {{1, Transcript::Direction::kClosedByServer, "", 2}, 0},
  };
  a.records.push_back(record("MetaGet.Hit", Feature::kMetaGet, Outcome::kPassed));
  TargetReport b{"other", "external 127.0.0.1:1", "memcached-1.6.18", false, "FAIL (1 failed)", {}, ""};
  b.records.push_back(record("Storage.Set", Feature::kCore, Outcome::kFailed, "#1: expected <STORED> & more"));
  b.records.push_back(record("MetaGet.Hit", Feature::kMetaGet, Outcome::kSkipped, "not in profile"));
  return {a, b};
}

TEST(Report, JsonHoldsEveryTargetWithItsTestsAndWireLog) {
  const auto doc = nlohmann::json::parse(report_json(two_targets()));
  EXPECT_EQ(doc.at("verdict"), "fail");
  ASSERT_EQ(doc.at("targets").size(), 2u);
  const auto& a = doc.at("targets")[0];
  EXPECT_EQ(a.at("name"), "mcrefd");
  EXPECT_EQ(a.at("target"), "spawned: mcrefd -p 1");
  EXPECT_EQ(a.at("profile"), "memcached-1.6.38");
  EXPECT_EQ(a.at("verdict"), "pass");
  const auto& wire = a.at("tests")[0].at("wire");
  ASSERT_EQ(wire.size(), 3u);
  EXPECT_EQ(wire[0].at("dir"), "sent");
  EXPECT_EQ(wire[0].at("bytes"), "set <k> 0 0 1\\r\\n\\x01\\r\\n");
  EXPECT_EQ(wire[0].at("size"), 18);
  EXPECT_EQ(wire[0].at("ms"), 0.25);
  EXPECT_EQ(wire[2].at("dir"), "closed by server");
  const auto& b = doc.at("targets")[1];
  EXPECT_EQ(b.at("verdict"), "fail");
  EXPECT_EQ(b.at("tests")[0].at("verdict"), "failed");
  EXPECT_EQ(b.at("tests")[0].at("outcome"), "FAILED");
  EXPECT_EQ(b.at("tests")[0].at("spec"), "protocol.txt: Storage commands (set)");
}

TEST(Report, ComparisonNamesTheCasesThatDiffer) {
  const std::string text = comparison_text(two_targets());
  EXPECT_NE(
      text.find(
          "Cases whose verdicts differ between targets (skips aside): 1\n  Storage.Set: mcrefd passed, other failed\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("1/1"), std::string::npos) << text;
  EXPECT_NE(text.find("0/1 1 FAILED"), std::string::npos) << text;
  EXPECT_FALSE(all_passed(two_targets()));
}

TEST(Report, MarkdownComparisonHasAFeatureTableAndTheCasesThatDiffer) {
  const std::string text = comparison_markdown(two_targets());
  EXPECT_NE(text.find("| feature (passed/run) | mcrefd | other |\n|---|---|---|\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find("| core | 1/1 | 0/1 1 FAILED |\n| meta-get | 1/1 | 0/0 |\n| **verdict** | **PASS** | **FAIL** |\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("Cases whose verdicts differ between targets (skips aside): 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("| Storage.Set | core | spec | passed | failed |"), std::string::npos) << text;
}

TEST(Report, HtmlPageEscapesWhatCameFromTheWireAndTheServer) {
  const std::string page = report_html(two_targets());
  EXPECT_EQ(page.find("<k>"), std::string::npos);
  EXPECT_NE(page.find("set &lt;k&gt; 0 0 1\\r\\n\\x01\\r\\n"), std::string::npos);
  EXPECT_EQ(page.find("expected <STORED>"), std::string::npos);
  EXPECT_NE(page.find("#1: expected &lt;STORED&gt; &amp; more"), std::string::npos);
  EXPECT_NE(page.find("<th class=\"server\">mcrefd</th><th class=\"server\">other</th>"), std::string::npos);
  EXPECT_NE(page.find("data-feature=\"core\" data-level=\"spec\" data-verdicts=\" passed failed \""),
            std::string::npos);
  EXPECT_NE(page.find("<span id=\"shown-count\">2</span> of <span id=\"total-count\">2</span>"), std::string::npos);
  EXPECT_NE(page.find("#1 closed by server"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);  // nothing fetched
}

}  // namespace
}  // namespace mcconform
