// The report as one JSON document, shared by the JSON report and the HTML page (harness-private).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcconform/report.hpp"

namespace mcconform {

// One case across targets: its record on each (nullptr where a target did not report it).
struct CaseRow {
  std::string name;
  TestTags tags;
  std::vector<const TestRecord*> per_target;
};
std::vector<CaseRow> case_rows(const std::vector<TargetReport>& reports);
// The cases whose verdicts differ between the targets that ran them (a skip compares with nothing).
std::vector<CaseRow> differing_rows(const std::vector<TargetReport>& reports);
// The features any target reported, in the feature table's order.
std::vector<Feature> features_of(const std::vector<TargetReport>& reports);
// A target's passed/run for a feature over both levels ("12/12", "3/4 1 FAILED", "not implemented").
std::string feature_summary(const TargetReport& report, Feature feature);

nlohmann::ordered_json wire_log_json(const std::vector<WireLogEntry>& wire);
nlohmann::ordered_json report_document(const std::vector<TargetReport>& reports);

}  // namespace mcconform
