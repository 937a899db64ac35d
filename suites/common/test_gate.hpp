// Whether a test may run: feature selection, missing features, destructive tests on shared servers.
#pragma once

#include <optional>
#include <string>

#include "mcconform/features.hpp"

namespace mcconform::suites {

// The reason to skip the current test, or nullopt to run it. Reasons starting with
// "not selected" or "not implemented" are recognised by the report.
std::optional<std::string> skip_reason(const TestTags& tags);

// The current test's tags; fails the test when it has none (every test must declare them).
std::optional<TestTags> current_test_tags();

}  // namespace mcconform::suites
