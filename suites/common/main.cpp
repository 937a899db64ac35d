// mcconform: runs the suites against a target and prints the conformance matrix.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <optional>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "bench_main.hpp"
#include "differential.hpp"
#include "mcconform/catalogue.hpp"
#include "mcconform/features.hpp"
#include "mcconform/options.hpp"
#include "mcconform/phases.hpp"
#include "mcconform/report.hpp"
#include "mcconform/run_context.hpp"

#ifndef MCCONFORM_BUILD_MCREFD
#define MCCONFORM_BUILD_MCREFD "mcrefd"
#endif
#ifndef MCCONFORM_VERSION
#define MCCONFORM_VERSION "0.0.0"
#endif

namespace {

// The reference server: beside this binary when installed, else the one this build produced.
std::string default_spawn_command() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string server = MCCONFORM_BUILD_MCREFD;
  if (!ec && std::filesystem::exists(self.parent_path() / "mcrefd")) server = (self.parent_path() / "mcrefd").string();
  return fmt::format("'{}' -p {{port}} -l 127.0.0.1 -U 0", server);
}

// Leaves tests of unselected features out of the run altogether, by adding them to the negative
// part of GoogleTest's filter (whatever the user's own --gtest_filter says still applies).
void exclude_unselected_features(const mcconform::Options& options) {
  if (options.features.empty()) return;
  std::string excluded;
  auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    const auto* suite = unit->GetTestSuite(i);
    for (int j = 0; j < suite->total_test_count(); ++j) {
      const auto* info = suite->GetTestInfo(j);
      auto tags = mcconform::find_test_tags(info->test_suite_name(), info->name());
      if (tags && !options.selected(tags->feature)) {
        excluded += fmt::format("{}{}.{}", excluded.empty() ? "" : ":", info->test_suite_name(), info->name());
      }
    }
  }
  if (excluded.empty()) return;
  std::string filter = GTEST_FLAG_GET(filter);
  filter += (filter.find('-') == std::string::npos ? "-" : ":") + excluded;
  GTEST_FLAG_SET(filter, filter);
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out);
}

// --list-cases: the catalogue of the selected features, without contacting any server. Exits 1
// when a case does not say what it checks, naming it, so that CTest catches unannotated cases.
int list_cases(const mcconform::Options& options) {
  std::vector<mcconform::CatalogueEntry> entries;
  for (auto& entry : mcconform::case_catalogue()) {
    if (!entry.tagged || options.selected(entry.tags.feature)) entries.push_back(std::move(entry));
  }
  if (!options.list_cases_json) {
    std::cout << mcconform::catalogue_text(entries);
  } else if (options.report_json.empty() || options.report_json == "-") {
    std::cout << mcconform::catalogue_json(entries);
  } else if (!write_file(options.report_json, mcconform::catalogue_json(entries))) {
    std::cerr << "mcconform: cannot write " << options.report_json << "\n";
    return 2;
  }
  int incomplete = 0;
  for (const auto& entry : entries) {
    const std::string problem = mcconform::annotation_problem(entry);
    if (problem.empty()) continue;
    if (incomplete++ == 0) std::cerr << "mcconform: cases that do not say what they check (MC_TEST .spec, .checks):\n";
    std::cerr << fmt::format("  {}: {}\n", entry.id, problem);
  }
  if (incomplete > 0) {
    std::cerr << fmt::format("mcconform: {} of {} cases incomplete\n", incomplete, entries.size());
    return 1;
  }
  return 0;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every registered case with whether it is destructive, as GoogleTest's filter names it.
std::vector<mcconform::RunCase> registered_cases() {
  std::vector<mcconform::RunCase> cases;
  auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    const auto* suite = unit->GetTestSuite(i);
    for (int j = 0; j < suite->total_test_count(); ++j) {
      const auto* info = suite->GetTestInfo(j);
      const auto tags = mcconform::find_test_tags(info->test_suite_name(), info->name());
      const std::string_view name = info->name();
      const bool disabled =
          std::string_view(info->test_suite_name()).starts_with("DISABLED_") || name.starts_with("DISABLED_");
      cases.push_back({fmt::format("{}.{}", info->test_suite_name(), name),
                       tags && tags->destructive && (!disabled || GTEST_FLAG_GET(also_run_disabled_tests))});
    }
  }
  return cases;
}

// The destructive cases (flush, filling the memory) run after every other case, as a second
// RUN_ALL_TESTS restricted to them, so that none shares a server's timeline with the cases it
// could make fail. The collector sees both phases; GoogleTest's XML report (--junit) is
// rewritten by the second phase, so the first phase's is kept and the two are joined.
int run_in_phases() {
  const mcconform::Phases phases = mcconform::split_phases(GTEST_FLAG_GET(filter), registered_cases());
  if (phases.destructive.empty()) return RUN_ALL_TESTS();
  GTEST_FLAG_SET(filter, phases.main_filter);
  const int main_status = phases.main_cases > 0 ? RUN_ALL_TESTS() : 0;

  const std::string output = GTEST_FLAG_GET(output);
  const std::string xml_file = output.starts_with("xml:") && !output.ends_with('/') ? output.substr(4) : "";
  const auto first_report = xml_file.empty() || phases.main_cases == 0 ? std::nullopt : read_file(xml_file);
  if (!output.empty() && xml_file.empty() && phases.main_cases > 0) {
    std::cerr << "mcconform: --gtest_output=" << output
              << " will hold only the destructive phase; --junit FILE (or --gtest_output=xml:FILE) holds both\n";
  }

  std::cout << fmt::format(
      "\nmcconform: the {} destructive cases (flush, filling the memory), in a phase of their own\n",
      phases.destructive.size());
  GTEST_FLAG_SET(filter, phases.destructive_filter);
  const int destructive_status = RUN_ALL_TESTS();

  if (first_report) {
    if (const auto second_report = read_file(xml_file)) {
      write_file(xml_file, mcconform::merge_junit_reports(*first_report, *second_report));
    }
  }
  return main_status != 0 ? main_status : destructive_status;
}

// With several targets, GoogleTest's XML report (--junit) is rewritten by each: each target's
// suites are named after it ("mcrefd/Cas") and the reports are joined.
std::string junit_for_target(std::string xml, const std::string& target) {
  std::string prefix;
  for (char c : target) {
    prefix += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : std::string(1, c);
  }
  prefix += "/";
  for (std::size_t at = 0; (at = xml.find("<testsuite name=\"", at)) != std::string::npos;) {
    at += std::string_view("<testsuite name=\"").size();
    xml.insert(at, prefix);
  }
  return xml;
}

// Runs the cases against every target in turn (a fresh RunContext and GoogleTest filter for each)
// and prints each target's matrix as it finishes, then the comparison.
std::vector<mcconform::TargetReport> run_targets(const mcconform::Options& options,
                                                 mcconform::ResultCollector& collector) {
  auto& run = mcconform::RunContext::instance();
  const std::string filter = GTEST_FLAG_GET(filter);
  const std::string output = GTEST_FLAG_GET(output);
  const std::string xml_file = output.starts_with("xml:") && !output.ends_with('/') ? output.substr(4) : "";
  const bool several = options.target_specs.size() > 1;
  std::optional<std::string> junit;
  std::vector<mcconform::TargetReport> reports;
  for (const auto& spec : options.target_specs) {
    run.configure(options.for_target(spec), default_spawn_command());
    collector.set_profile(run.profile().name);
    GTEST_FLAG_SET(filter, filter);
    std::cout << "mcconform " << MCCONFORM_VERSION << ": target " << spec.name << " (" << run.describe_target()
              << "), profile " << run.profile().name << "\n";
    const int status = run_in_phases();
    const std::string description = run.describe_target();
    run.stop_all();
    std::cout << collector.console_matrix(several ? fmt::format("{} ({})", spec.name, description) : description);
    if (several && !xml_file.empty()) {
      if (auto xml = read_file(xml_file)) {
        const std::string named = junit_for_target(*xml, spec.name);
        junit = junit ? mcconform::merge_junit_reports(*junit, named) : named;
      }
    }
    reports.push_back(collector.take_target(spec.name, description));
    if (status != 0 && reports.back().records.empty()) {  // GoogleTest failed something no case reported
      reports.back().passed = false;
      reports.back().verdict_line = "FAIL (GoogleTest reported a failure outside the cases)";
    }
  }
  if (junit) write_file(xml_file, *junit);
  if (several) {
    std::cout << mcconform::comparison_text(reports);
    std::string failing;
    for (const auto& r : reports) {
      if (!r.passed) failing += (failing.empty() ? "" : ", ") + r.name;
    }
    std::cout << fmt::format("mcconform: verdict over {} targets: {}\n", reports.size(),
                             failing.empty() ? "PASS" : "FAIL (" + failing + ")");
  }
  return reports;
}

// --report, --json, --html (and the JSON index beside the page). False when one cannot be written.
bool write_reports(const mcconform::Options& options, const std::vector<mcconform::TargetReport>& reports) {
  std::vector<std::pair<std::string, std::string>> files;
  if (!options.report_markdown.empty()) {
    std::string markdown = reports.size() > 1 ? mcconform::comparison_markdown(reports) + "\n" : std::string();
    for (const auto& r : reports) markdown += r.markdown + "\n";
    files.emplace_back(options.report_markdown, markdown);
  }
  if (!options.report_json.empty()) files.emplace_back(options.report_json, mcconform::report_json(reports));
  if (!options.report_html.empty()) {
    files.emplace_back(options.report_html, mcconform::report_html(reports));
    files.emplace_back(options.report_html + ".json", mcconform::report_json(reports));
  }
  for (const auto& [path, text] : files) {
    if (!write_file(path, text)) {
      std::cerr << "mcconform: cannot write " << path << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace

// GoogleTest sets up its XML writer while it parses its flags, so --junit FILE must reach it as
// --gtest_output before InitGoogleTest runs.
std::vector<std::string> with_junit_as_gtest_output(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string file;
    if (args[i] == "--junit" && i + 1 < args.size()) file = args[i + 1];
    if (args[i].starts_with("--junit=")) file = args[i].substr(8);
    if (!file.empty()) {
      args.push_back("--gtest_output=xml:" + file);
      break;
    }
  }
  return args;
}

int main(int raw_argc, char** raw_argv) {
  if (raw_argc > 1 && std::string_view(raw_argv[1]) == "bench") {
    return mcconform::bench::bench_main(std::vector<std::string>(raw_argv + 2, raw_argv + raw_argc),
                                        default_spawn_command());
  }
  if (raw_argc > 1 && std::string_view(raw_argv[1]) == "diff") {
    return mcconform::differential::diff_main(std::vector<std::string>(raw_argv + 2, raw_argv + raw_argc),
                                              default_spawn_command());
  }
  // GoogleTest would answer --help (and -h, -?) with its own help: mcconform's usage comes first,
  // and --gtest_help shows GoogleTest's.
  const std::vector<std::string_view> raw_args(raw_argv + 1, raw_argv + raw_argc);
  const auto has = [&](std::initializer_list<std::string_view> names) {
    return std::find_first_of(raw_args.begin(), raw_args.end(), names.begin(), names.end()) != raw_args.end();
  };
  if (has({"--help", "-h", "-?"})) {
    std::cout << mcconform::usage_text();
    return 0;
  }
  const bool gtest_help = has({"--gtest_help"});
  std::vector<std::string> storage = with_junit_as_gtest_output(raw_argc, raw_argv);
  std::vector<char*> pointers;
  for (auto& arg : storage) pointers.push_back(arg.data());
  int argc = static_cast<int>(pointers.size());
  pointers.push_back(nullptr);  // GoogleTest shifts argv up to and including argv[argc]
  char** argv = pointers.data();
  ::testing::InitGoogleTest(&argc, argv);
  if (gtest_help) return 0;  // GoogleTest has printed its help
  const std::vector<std::string> args(argv + 1, argv + argc);
  mcconform::ParsedOptions parsed = mcconform::parse_options(args, std::getenv("MCCONFORM_TARGET"));
  if (!parsed.error.empty()) {
    std::cerr << "mcconform: " << parsed.error << "\n\n" << mcconform::usage_text();
    return 2;
  }
  mcconform::Options& options = parsed.options;
  if (options.help) {
    std::cout << mcconform::usage_text();
    return 0;
  }
  if (options.version) {
    std::cout << "mcconform " << MCCONFORM_VERSION << "\n";
    return 0;
  }
  if (options.list_features) {
    for (mcconform::Feature f : mcconform::kAllFeatures) {
      std::cout << fmt::format("{:<14} {}\n", mcconform::feature_name(f), mcconform::feature_description(f));
    }
    return 0;
  }
  if (options.list_profiles) {
    for (const auto& p : mcconform::all_profiles()) {
      const bool is_default = p.name == mcconform::default_profile().name;
      std::cout << fmt::format("{:<18} {}{}\n", p.name, p.description, is_default ? " (default)" : "");
    }
    return 0;
  }
  if (options.list_cases) return list_cases(options);
  mcconform::ExpectedFailures expected;
  if (!options.expect_fail_file.empty()) {
    std::string error;
    if (!expected.load(options.expect_fail_file, error)) {
      std::cerr << "mcconform: " << error << "\n";
      return 2;
    }
  }

  auto* collector = new mcconform::ResultCollector(std::move(expected), options.level);
  // Features chosen by hand that the target lacks entirely must not make a green run.
  collector->require_a_tested_case(options.features_explicit);
  ::testing::UnitTest::GetInstance()->listeners().Append(collector);  // GoogleTest owns it
  auto& run = mcconform::RunContext::instance();
  run.configure(options.for_target(options.target_specs.front()), default_spawn_command());
  exclude_unselected_features(options);
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();
  const auto reports = run_targets(options, *collector);
  if (!write_reports(options, reports)) return 2;
  // Expected failures and informational ones do not fail the run; GoogleTest's own status would.
  return mcconform::all_passed(reports) ? 0 : 1;
}
