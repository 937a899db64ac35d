// Collects every test's outcome and turns it into the conformance matrix and report files.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mcconform/features.hpp"
#include "mcconform/transcript.hpp"

namespace mcconform {

enum class Outcome {
  kPassed,
  kFailed,           // a protocol.txt requirement (a spec-level case) is broken
  kNonStrict,        // a compat-level case failed: memcached's behaviour where the spec leaves room
  kExpectedFailure,  // listed in --expect-fail and failed
  kUnexpectedPass,   // listed in --expect-fail but passed
  kInformational,    // failed, but its level is not counted (--level spec and a compat test)
  kSkipped,
  kNotImplemented,
  kNotRun,  // the target stopped answering before the case's turn: fails the run
};

std::string_view outcome_name(Outcome outcome);
// The most telling line of a failure: for EXPECT_TRUE(assertion) it is the assertion's own
// message ("#1: the reply differs ..."), not GoogleTest's "Value of:" preamble.
std::string summary_line(std::string_view failure_message);

struct TestRecord {
  std::string name;  // Suite.Test as GoogleTest prints it
  TestTags tags;
  Outcome outcome = Outcome::kPassed;
  std::string detail;  // skip reason or first failure message
  double seconds = 0;
  std::vector<WireLogEntry> wire;  // the case's wire log (protocol cases)
};

// One target's finished run, as every report shows it.
struct TargetReport {
  std::string name;         // "mcrefd", "memcached-1.6.18", ...
  std::string description;  // "spawned: ...", "external HOST:PORT"
  std::string profile;
  bool passed = true;
  std::string verdict_line;
  std::vector<TestRecord> records;
  std::string markdown;  // this target's part of --report
};

// A short slug of an outcome for filters and data: "passed", "failed", "not-run", ...
std::string_view outcome_slug(Outcome outcome);
// Whether every target passed.
bool all_passed(const std::vector<TargetReport>& reports);
// Per feature, each target's passed/run; then the cases whose verdicts differ between targets.
std::string comparison_text(const std::vector<TargetReport>& reports);
// The same comparison for --report: a feature x target table, then every case whose verdicts differ.
std::string comparison_markdown(const std::vector<TargetReport>& reports);
// The JSON report: {"verdict", "targets": [{"name", "target", "profile", "verdict", "verdict_line",
// "tests": [{..., "wire": [{"conn", "dir", "ms", "bytes"}]}]}]}.
std::string report_json(const std::vector<TargetReport>& reports);
// The self-contained HTML page of the same data (see html_report.cpp).
std::string report_html(const std::vector<TargetReport>& reports);

// Patterns from an --expect-fail file: one per line, '*' matches any run, '#' starts a comment.
class ExpectedFailures {
 public:
  bool load(const std::string& path, std::string& error);
  bool matches(std::string_view test_name) const;

 private:
  std::vector<std::string> patterns_;
};

class ResultCollector final : public ::testing::EmptyTestEventListener {
 public:
  ResultCollector(ExpectedFailures expected, Level counted_level)
      : expected_(std::move(expected)), counted_level_(counted_level) {}

  void OnTestEnd(const ::testing::TestInfo& info) override;
  // The version profile the run expected; every report names it.
  void set_profile(std::string name) { profile_ = std::move(name); }
  // The user chose the features (--features): a target against which not one of their cases ran
  // (all not implemented, skipped or not run) fails, since the run tested nothing. Without it a
  // run that tested nothing passes, as a full run against a partial server always tests something.
  void require_a_tested_case(bool required) { require_a_tested_case_ = required; }

  const std::vector<TestRecord>& records() const { return records_; }
  // True when nothing failed that counts (expected failures and informational ones do not), no
  // case was left unrun because the target stopped answering, and, when require_a_tested_case,
  // at least one case ran.
  bool verdict_passed() const;
  // PASS, or FAIL and why, on one line.
  std::string verdict_line() const;

  std::string console_matrix(const std::string& target) const;
  std::string markdown(const std::string& target) const;
  // The records so far as one target's report; the collector starts afresh for the next target.
  TargetReport take_target(std::string name, std::string description);

 private:
  struct Cell {
    int passed = 0, failed = 0, skipped = 0, not_implemented = 0, expected = 0, informational = 0, not_run = 0;
  };
  std::map<Feature, std::map<Level, Cell>> matrix() const;
  // One row per feature that has tests: the spec and compat cells as text.
  std::vector<std::pair<Feature, std::array<std::string, 2>>> matrix_rows() const;
  static std::string cell_text(const Cell& cell);
  // require_a_tested_case and not one case ran: every record not implemented, skipped or not run.
  bool nothing_tested() const;

  ExpectedFailures expected_;
  Level counted_level_;
  std::string profile_;
  bool require_a_tested_case_ = false;
  std::vector<TestRecord> records_;
};

}  // namespace mcconform
