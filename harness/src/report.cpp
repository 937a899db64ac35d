// Collects every test's outcome and turns it into the conformance matrix and report files.
#include "mcconform/report.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "mcconform/escape.hpp"
#include "mcconform/phases.hpp"
#include "mcconform/skip_reason.hpp"
#include "report_document.hpp"

namespace mcconform {
namespace {

// The kind the gate recorded. A test body that skips on its own records none: it is kOther,
// except that the older convention of a message starting "not implemented" is still honoured.
SkipKind skip_kind_of(const ::testing::TestResult& result, std::string_view message) {
  for (int i = 0; i < result.test_property_count(); ++i) {
    const auto& property = result.GetTestProperty(i);
    if (std::string_view(property.key()) == kSkipKindProperty) {
      return skip_kind_from_name(property.value()).value_or(SkipKind::kOther);
    }
  }
  return message.starts_with("not implemented") ? SkipKind::kNotImplemented : SkipKind::kOther;
}

}  // namespace

std::string summary_line(std::string_view text) {
  constexpr std::string_view kActual = "Actual: false (";
  if (auto at = text.find(kActual); at != std::string_view::npos) text.remove_prefix(at + kActual.size());
  return std::string(text.substr(0, text.find('\n')));
}

namespace {

// Text that stays inside one markdown table cell.
std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' ? ' ' : c;
    }
  }
  return out;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "passed";
    case Outcome::kFailed: return "FAILED";
    case Outcome::kNonStrict: return "NON-STRICT";
    case Outcome::kExpectedFailure: return "expected failure";
    case Outcome::kUnexpectedPass: return "passed (listed as expected failure)";
    case Outcome::kInformational: return "failed (informational)";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kNotImplemented: return "not implemented";
    case Outcome::kNotRun: return "not run";
  }
  return "?";
}

bool ExpectedFailures::load(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("cannot read --expect-fail file '{}'", path);
    return false;
  }
  for (std::string line; std::getline(in, line);) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    const auto start = line.find_first_not_of(" \t");
    if (start != std::string::npos) patterns_.push_back(line.substr(start));
  }
  return true;
}

bool ExpectedFailures::matches(std::string_view test_name) const {
  for (const auto& pattern : patterns_) {
    if (glob_match(pattern, test_name)) return true;
  }
  return false;
}

void ResultCollector::OnTestEnd(const ::testing::TestInfo& info) {
  const ::testing::TestResult& result = *info.result();
  TestRecord record;
  record.wire = take_case_wire_log();
  record.name = fmt::format("{}.{}", info.test_suite_name(), info.name());
  record.tags = find_test_tags(info.test_suite_name(), info.name()).value_or(TestTags{});
  record.seconds = static_cast<double>(result.elapsed_time()) / 1000.0;
  std::string message;
  for (int i = 0; i < result.total_part_count(); ++i) {
    const auto& part = result.GetTestPartResult(i);
    if (message.empty() || part.failed()) message = part.message();
    if (part.failed()) break;
  }
  const bool listed = expected_.matches(record.name);
  if (result.Skipped()) {
    const SkipKind kind = skip_kind_of(result, message);
    // Tests outside the selected features are left out of the report altogether.
    if (kind == SkipKind::kNotSelected) return;
    record.outcome = kind == SkipKind::kNotImplemented       ? Outcome::kNotImplemented
                     : kind == SkipKind::kTargetUnresponsive ? Outcome::kNotRun
                                                             : Outcome::kSkipped;
    record.detail = message;
  } else if (result.Failed()) {
    record.detail = summary_line(message);
    if (listed) {
      record.outcome = Outcome::kExpectedFailure;
    } else if (record.tags.level == Level::kCompat) {
      // memcached's behaviour where the spec leaves room: it counts under --level compat only.
      record.outcome = counted_level_ == Level::kSpec ? Outcome::kInformational : Outcome::kNonStrict;
    } else {
      record.outcome = Outcome::kFailed;
    }
  } else {
    record.outcome = listed ? Outcome::kUnexpectedPass : Outcome::kPassed;
  }
  records_.push_back(std::move(record));
}

bool ResultCollector::nothing_tested() const {
  if (!require_a_tested_case_) return false;
  return std::all_of(records_.begin(), records_.end(), [](const TestRecord& r) {
    return r.outcome == Outcome::kNotImplemented || r.outcome == Outcome::kSkipped || r.outcome == Outcome::kNotRun;
  });
}

bool ResultCollector::verdict_passed() const {
  for (const auto& r : records_) {
    if (r.outcome == Outcome::kFailed || r.outcome == Outcome::kNonStrict || r.outcome == Outcome::kNotRun) {
      return false;
    }
  }
  return !nothing_tested();
}

std::string ResultCollector::verdict_line() const {
  int failed = 0, non_strict = 0, not_run = 0;
  const TestRecord* first_not_run = nullptr;
  for (const auto& r : records_) {
    if (r.outcome == Outcome::kFailed) ++failed;
    if (r.outcome == Outcome::kNonStrict) ++non_strict;
    if (r.outcome == Outcome::kNotRun && not_run++ == 0) first_not_run = &r;
  }
  if (failed == 0 && non_strict == 0 && not_run == 0) {
    if (!nothing_tested()) return "PASS";
    // A feature the probe found missing still has its cases for other releases skipped by profile.
    std::set<Feature> features, not_implemented;
    for (const auto& r : records_) {
      features.insert(r.tags.feature);
      if (r.outcome == Outcome::kNotImplemented) not_implemented.insert(r.tags.feature);
    }
    if (!features.empty() && not_implemented == features) {
      return "FAIL: nothing was tested: every selected feature is not implemented by this target";
    }
    const auto not_implemented_cases = std::count_if(
        records_.begin(), records_.end(), [](const TestRecord& r) { return r.outcome == Outcome::kNotImplemented; });
    std::string line = fmt::format(
        "FAIL: nothing was tested: not one of the {} cases of the selected features ran ({} not implemented, {} "
        "skipped)",
        records_.size(), not_implemented_cases, records_.size() - static_cast<std::size_t>(not_implemented_cases));
    // Why the first skipped one was (a permission not given, such as --allow-flush, is the usual cause).
    const auto skipped = std::find_if(records_.begin(), records_.end(),
                                      [](const TestRecord& r) { return r.outcome == Outcome::kSkipped; });
    if (skipped != records_.end()) line += fmt::format("; {}: {}", skipped->name, summary_line(skipped->detail));
    return line;
  }
  std::string line = "FAIL";
  if (failed > 0 && non_strict > 0) {
    line += fmt::format(" ({} failed, {} non-strict)", failed, non_strict);
  } else if (failed > 0 || non_strict > 0) {
    line += failed > 0 ? fmt::format(" ({} failed)", failed) : fmt::format(" ({} non-strict)", non_strict);
  }
  if (first_not_run != nullptr) line += fmt::format("; {} cases {}", not_run, first_not_run->detail);
  return line;
}

std::map<Feature, std::map<Level, ResultCollector::Cell>> ResultCollector::matrix() const {
  std::map<Feature, std::map<Level, Cell>> cells;
  for (const auto& r : records_) {
    Cell& c = cells[r.tags.feature][r.tags.level];
    switch (r.outcome) {
      case Outcome::kPassed:
      case Outcome::kUnexpectedPass: ++c.passed; break;
      case Outcome::kFailed:
      case Outcome::kNonStrict: ++c.failed; break;
      case Outcome::kExpectedFailure: ++c.expected; break;
      case Outcome::kInformational: ++c.informational; break;
      case Outcome::kSkipped: ++c.skipped; break;
      case Outcome::kNotImplemented: ++c.not_implemented; break;
      case Outcome::kNotRun: ++c.not_run; break;
    }
  }
  return cells;
}

std::string ResultCollector::cell_text(const Cell& c) {
  if (c.passed + c.failed + c.skipped + c.not_implemented + c.expected + c.informational + c.not_run == 0) return "-";
  if (c.not_implemented > 0 && c.passed + c.failed + c.not_run == 0) return "not implemented";
  std::string text = fmt::format("{}/{}", c.passed, c.passed + c.failed + c.expected + c.informational);
  if (c.failed) text += fmt::format(" {} FAILED", c.failed);
  if (c.not_run) text += fmt::format(" {} NOT RUN", c.not_run);
  if (c.expected) text += fmt::format(" {} xfail", c.expected);
  if (c.informational) text += fmt::format(" {} info", c.informational);
  if (c.skipped) text += fmt::format(" {} skip", c.skipped);
  if (c.not_implemented) text += fmt::format(" {} not impl", c.not_implemented);
  return text;
}

std::vector<std::pair<Feature, std::array<std::string, 2>>> ResultCollector::matrix_rows() const {
  std::vector<std::pair<Feature, std::array<std::string, 2>>> rows;
  const auto cells = matrix();
  for (Feature f : kAllFeatures) {
    auto it = cells.find(f);
    if (it == cells.end()) continue;
    std::array<std::string, 2> columns;
    for (Level level : {Level::kSpec, Level::kCompat}) {
      columns[level == Level::kSpec ? 0 : 1] = cell_text(it->second.contains(level) ? it->second.at(level) : Cell{});
    }
    rows.emplace_back(f, columns);
  }
  return rows;
}

std::string ResultCollector::console_matrix(const std::string& target) const {
  std::string out = fmt::format("\nConformance matrix for {} (profile {})\n", target, profile_);
  out += fmt::format("  {:<14} {:<30} {:<30}\n", "feature", "spec (passed/run)", "compat (passed/run)");
  for (const auto& [feature, columns] : matrix_rows()) {
    out += fmt::format("  {:<14} {:<30} {:<30}\n", feature_name(feature), columns[0], columns[1]);
  }
  int failed = 0, passed = 0, skipped = 0, not_run = 0;
  for (const auto& r : records_) {
    if (r.outcome == Outcome::kFailed || r.outcome == Outcome::kNonStrict) {
      if (failed++ == 0)
        out += "\nFailed tests (NON-STRICT: memcached behaviour where the spec leaves room is not matched):\n";
      out += fmt::format("  {}{} [{} {}]: {}\n", r.outcome == Outcome::kNonStrict ? "NON-STRICT " : "", r.name,
                         feature_name(r.tags.feature), level_name(r.tags.level), r.detail);
    }
    if (r.outcome == Outcome::kPassed) ++passed;
    if (r.outcome == Outcome::kSkipped || r.outcome == Outcome::kNotImplemented) ++skipped;
    if (r.outcome == Outcome::kNotRun) ++not_run;
  }
  for (const auto& r : records_) {
    if (r.outcome == Outcome::kUnexpectedPass)
      out += fmt::format("  now passing (remove from --expect-fail): {}\n", r.name);
  }
  out += fmt::format("\nmcconform: {} passed, {} failed, {} skipped, {} not run\n", passed, failed, skipped, not_run);
  out += fmt::format("mcconform: verdict: {}\n", verdict_line());
  return out;
}

std::string ResultCollector::markdown(const std::string& target) const {
  std::string out = fmt::format("# mcconform report\n\nTarget: `{}`\n\nProfile: `{}`\n\nVerdict: **{}**\n\n", target,
                                profile_, verdict_line());
  out += "| feature | spec | compat |\n|---|---|---|\n";
  for (const auto& [feature, columns] : matrix_rows()) {
    out += fmt::format("| {} | {} | {} |\n", feature_name(feature), columns[0], columns[1]);
  }
  out += "\n| test | feature | level | outcome | detail | spec | checks |\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : records_) {
    std::string detail = r.detail;
    for (auto& c : detail) {
      if (c == '|' || c == '\n') c = ' ';
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", r.name, feature_name(r.tags.feature),
                       level_name(r.tags.level), outcome_name(r.outcome), detail, markdown_cell(r.tags.spec),
                       markdown_cell(r.tags.checks));
  }
  return out;
}

TargetReport ResultCollector::take_target(std::string name, std::string description) {
  TargetReport report;
  report.name = std::move(name);
  report.description = std::move(description);
  report.profile = profile_;
  report.passed = verdict_passed();
  report.verdict_line = verdict_line();
  report.markdown = markdown(fmt::format("{} ({})", report.name, report.description));
  report.records = std::exchange(records_, {});
  return report;
}

std::string_view outcome_slug(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPassed: return "passed";
    case Outcome::kFailed: return "failed";
    case Outcome::kNonStrict: return "non-strict";
    case Outcome::kExpectedFailure: return "expected-failure";
    case Outcome::kUnexpectedPass: return "unexpected-pass";
    case Outcome::kInformational: return "informational";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kNotImplemented: return "not-implemented";
    case Outcome::kNotRun: return "not-run";
  }
  return "?";
}

bool all_passed(const std::vector<TargetReport>& reports) {
  return std::all_of(reports.begin(), reports.end(), [](const TargetReport& r) { return r.passed; });
}

// passed/run over both levels, as the comparison shows it.
std::string feature_summary(const TargetReport& report, Feature feature) {
  int passed = 0, run = 0, failed = 0, not_implemented = 0, not_run = 0;
  for (const auto& r : report.records) {
    if (r.tags.feature != feature) continue;
    switch (r.outcome) {
      case Outcome::kPassed:
      case Outcome::kUnexpectedPass: ++passed, ++run; break;
      case Outcome::kFailed:
      case Outcome::kNonStrict: ++failed, ++run; break;
      case Outcome::kExpectedFailure:
      case Outcome::kInformational: ++run; break;
      case Outcome::kNotImplemented: ++not_implemented; break;
      case Outcome::kNotRun: ++not_run; break;
      case Outcome::kSkipped: break;
    }
  }
  if (run == 0 && not_implemented > 0 && not_run == 0) return "not implemented";
  std::string text = fmt::format("{}/{}", passed, run);
  if (failed > 0) text += fmt::format(" {} FAILED", failed);
  if (not_run > 0) text += fmt::format(" {} NOT RUN", not_run);
  if (not_implemented > 0) text += fmt::format(" {} not impl", not_implemented);
  return text;
}

std::vector<Feature> features_of(const std::vector<TargetReport>& reports) {
  std::set<Feature> seen;
  for (const auto& report : reports) {
    for (const auto& r : report.records) seen.insert(r.tags.feature);
  }
  std::vector<Feature> out;
  for (Feature f : kAllFeatures) {
    if (seen.contains(f)) out.push_back(f);
  }
  return out;
}

std::vector<CaseRow> case_rows(const std::vector<TargetReport>& reports) {
  std::vector<CaseRow> rows;
  std::map<std::string, std::size_t> index;
  for (std::size_t t = 0; t < reports.size(); ++t) {
    for (const auto& r : reports[t].records) {
      auto [it, fresh] = index.try_emplace(r.name, rows.size());
      if (fresh) rows.push_back({r.name, r.tags, std::vector<const TestRecord*>(reports.size(), nullptr)});
      rows[it->second].per_target[t] = &r;
    }
  }
  return rows;
}

namespace {

std::string_view verdict_slug(const TestRecord* record) {
  return record ? outcome_slug(record->outcome) : std::string_view("absent");
}

std::string repeated(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

}  // namespace

std::vector<CaseRow> differing_rows(const std::vector<TargetReport>& reports) {
  std::vector<CaseRow> out;
  for (auto& row : case_rows(reports)) {
    // A skip (the case is for another memcached release, or a precondition did not hold) says
    // nothing about the server: only the verdicts of targets that ran the case are compared.
    std::set<std::string_view> verdicts;
    for (const auto* r : row.per_target) {
      if (!r || r->outcome != Outcome::kSkipped) verdicts.insert(verdict_slug(r));
    }
    if (verdicts.size() >= 2) out.push_back(std::move(row));
  }
  return out;
}

std::string comparison_text(const std::vector<TargetReport>& reports) {
  // Columns as wide as their widest cell or name.
  std::size_t width = 16;
  for (const auto& report : reports) {
    width = std::max(width, report.name.size());
    for (Feature f : features_of(reports)) width = std::max(width, feature_summary(report, f).size());
  }
  std::string out =
      fmt::format("\nComparison of {} targets (passed/run, both levels)\n  {:<14}", reports.size(), "feature");
  for (const auto& report : reports) out += fmt::format(" {:<{}}", report.name, width);
  out += "\n";
  for (Feature f : features_of(reports)) {
    out += fmt::format("  {:<14}", feature_name(f));
    for (const auto& report : reports) out += fmt::format(" {:<{}}", feature_summary(report, f), width);
    out += "\n";
  }
  out += fmt::format("  {:<14}", "verdict");
  for (const auto& report : reports) out += fmt::format(" {:<{}}", report.passed ? "PASS" : "FAIL", width);
  out += "\n";
  constexpr std::size_t kShown = 20;
  const auto differing = differing_rows(reports);
  out += fmt::format("\nCases whose verdicts differ between targets (skips aside): {}\n", differing.size());
  for (std::size_t i = 0; i < std::min(differing.size(), kShown); ++i) {
    out += fmt::format("  {}:", differing[i].name);
    for (std::size_t t = 0; t < reports.size(); ++t) {
      out += fmt::format(" {} {}", reports[t].name, verdict_slug(differing[i].per_target[t]));
      if (t + 1 < reports.size()) out += ",";
    }
    out += "\n";
  }
  if (differing.size() > kShown)
    out += fmt::format("  ... and {} more (--json or --html has them all)\n", differing.size() - kShown);
  return out;
}

std::string comparison_markdown(const std::vector<TargetReport>& reports) {
  std::string out = fmt::format("# mcconform comparison of {} targets\n\n| feature (passed/run) |", reports.size());
  for (const auto& report : reports) out += fmt::format(" {} |", markdown_cell(report.name));
  out += "\n|---|" + repeated("---|", reports.size()) + "\n";
  for (Feature f : features_of(reports)) {
    out += fmt::format("| {} |", feature_name(f));
    for (const auto& report : reports) out += fmt::format(" {} |", feature_summary(report, f));
    out += "\n";
  }
  out += "| **verdict** |";
  for (const auto& report : reports) out += fmt::format(" **{}** |", report.passed ? "PASS" : "FAIL");
  out += "\n";
  const auto differing = differing_rows(reports);
  out += fmt::format("\nCases whose verdicts differ between targets (skips aside): {}\n", differing.size());
  if (differing.empty()) return out;
  out += "\n| case | feature | level |";
  for (const auto& report : reports) out += fmt::format(" {} |", markdown_cell(report.name));
  out += " checks |\n|---|---|---|" + repeated("---|", reports.size()) + "---|\n";
  for (const auto& row : differing) {
    out += fmt::format("| {} | {} | {} |", row.name, feature_name(row.tags.feature), level_name(row.tags.level));
    for (const auto* r : row.per_target) out += fmt::format(" {} |", verdict_slug(r));
    out += fmt::format(" {} |\n", markdown_cell(row.tags.checks));
  }
  return out;
}

nlohmann::ordered_json wire_log_json(const std::vector<WireLogEntry>& wire) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& w : wire) {
    nlohmann::ordered_json entry;
    entry["conn"] = w.entry.connection;
    entry["dir"] = direction_name(w.entry.direction);
    entry["ms"] = std::round(w.entry.ms * 1000) / 1000;
    const bool bytes =
        w.entry.direction == Transcript::Direction::kSent || w.entry.direction == Transcript::Direction::kReceived;
    if (bytes) {
      std::string escaped = escape_bytes(w.entry.bytes, kWireLogEntryBytes);
      if (escaped.size() >= 2) escaped = escaped.substr(1, escaped.size() - 2);  // without the quotes
      entry["bytes"] = escaped;
      entry["size"] = w.truncated_from ? w.truncated_from : w.entry.bytes.size();
    } else if (!w.entry.bytes.empty()) {
      entry["text"] = w.entry.bytes;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

nlohmann::ordered_json report_document(const std::vector<TargetReport>& reports) {
  nlohmann::ordered_json doc;
  doc["verdict"] = all_passed(reports) ? "pass" : "fail";
  doc["targets"] = nlohmann::ordered_json::array();
  for (const auto& report : reports) {
    nlohmann::ordered_json target;
    target["name"] = report.name;
    target["target"] = report.description;
    target["profile"] = report.profile;
    target["verdict"] = report.passed ? "pass" : "fail";
    target["verdict_line"] = report.verdict_line;
    auto tests = nlohmann::ordered_json::array();
    for (const auto& r : report.records) {
      nlohmann::ordered_json test;
      test["name"] = r.name;
      test["feature"] = feature_name(r.tags.feature);
      test["level"] = level_name(r.tags.level);
      test["destructive"] = r.tags.destructive;
      test["outcome"] = outcome_name(r.outcome);
      test["verdict"] = outcome_slug(r.outcome);
      test["seconds"] = std::round(r.seconds * 1000) / 1000;
      test["detail"] = r.detail;
      test["spec"] = r.tags.spec;
      test["checks"] = r.tags.checks;
      test["wire"] = wire_log_json(r.wire);
      tests.push_back(std::move(test));
    }
    target["tests"] = std::move(tests);
    doc["targets"].push_back(std::move(target));
  }
  return doc;
}

std::string report_json(const std::vector<TargetReport>& reports) {
  // Failure messages may quote a server's bytes that are not UTF-8: replaced, not thrown on.
  return report_document(reports).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace mcconform
