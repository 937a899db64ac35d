// Whether a test may run: feature selection, missing features, destructive tests on shared servers.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "mcconform/features.hpp"
#include "mcconform/skip_reason.hpp"

namespace mcconform::suites {

// The reason to skip the current test, or nullopt to run it. A reason is also recorded as the
// current test's kSkipKindProperty, which is how the report tells the kinds apart.
std::optional<SkipReason> skip_reason(const TestTags& tags);

// The current test's tags; fails the test when it has none (every test must declare them).
std::optional<TestTags> current_test_tags();

}  // namespace mcconform::suites

namespace mcconform {
// GTEST_SKIP() << reason prints the message.
inline std::ostream& operator<<(std::ostream& out, const SkipReason& reason) { return out << reason.message; }
}  // namespace mcconform
