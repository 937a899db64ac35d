// Why a case did not run, as a kind the report classifies by, never by the wording of a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcconform {

enum class SkipKind {
  kNotSelected,           // its feature is not in --features: left out of the report
  kNotInProfile,          // the case encodes another memcached release's behaviour
  kDestructiveForbidden,  // flushes or fills an external target without --allow-flush
  kHostileForbidden,      // attacks an external target without --allow-hostile
  kNotImplemented,        // the server answered ERROR to the feature's probe
  kTargetUnresponsive,    // the target stopped answering: the case is not run, and that fails the run
  kOther,                 // a precondition the case itself checked (GTEST_SKIP in a test body)
};

// The test property that carries the kind from the gate to the report (and into the JUnit XML).
inline constexpr const char* kSkipKindProperty = "mcconform_skip";

std::string_view skip_kind_name(SkipKind kind);
std::optional<SkipKind> skip_kind_from_name(std::string_view name);

struct SkipReason {
  SkipKind kind = SkipKind::kOther;
  std::string message;
};

}  // namespace mcconform
