// The run in two phases: every other case first, then the destructive ones (flush, filling the
// memory), so that a destructive case never shares a server's timeline with the cases it could
// make fail. Pure helpers; main() drives GoogleTest with them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcconform {

// '*' matches any run of characters, '?' any one character.
bool glob_match(std::string_view pattern, std::string_view text);
// Whether GoogleTest's --gtest_filter ("POSITIVE[-NEGATIVE]", ':'-separated globs) selects `name`.
bool filter_selects(std::string_view filter, std::string_view name);

struct RunCase {
  std::string name;  // "Suite.Test" as GoogleTest's filter sees it
  bool destructive = false;
};

struct Phases {
  std::string main_filter;         // the user's filter without the destructive cases
  std::string destructive_filter;  // exactly the destructive cases the user's filter selects
  std::vector<std::string> destructive;
  std::size_t main_cases = 0;  // how many cases main_filter selects
};

// Splits the cases `filter` selects into the two phases. With no destructive case selected,
// destructive is empty and main_filter is `filter` unchanged.
Phases split_phases(std::string_view filter, const std::vector<RunCase>& cases);

// GoogleTest writes its XML report once per RUN_ALL_TESTS: joins the second phase's report into
// the first one's (suites appended, the totals on <testsuites> summed). Returns `first` unchanged
// when either is not a GoogleTest XML report.
std::string merge_junit_reports(std::string_view first, std::string_view second);

}  // namespace mcconform
