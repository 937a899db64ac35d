// Whether a test may run: feature selection, missing features, destructive tests on shared servers.
#include "test_gate.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "mcconform/run_context.hpp"

namespace mcconform::suites {
namespace {

std::optional<SkipReason> decide(const TestTags& tags) {
  RunContext& run = RunContext::instance();
  const Options& options = run.options();
  if (!options.selected(tags.feature)) {
    return SkipReason{SkipKind::kNotSelected,
                      fmt::format("not selected: feature '{}' is not in --features", feature_name(tags.feature))};
  }
  if (!tags.versions.contains(run.profile().version)) {
    return SkipReason{SkipKind::kNotInProfile, fmt::format("not in profile {}: the case applies to {}",
                                                           run.profile().name, tags.versions.describe())};
  }
  if (tags.destructive && !run.owns_target() && !options.allow_flush) {
    return SkipReason{SkipKind::kDestructiveForbidden,
                      "destructive (flushes or fills the cache): runs against --target only with --allow-flush"};
  }
  if (tags.feature == Feature::kHostile && !run.owns_target() && !options.allow_hostile) {
    return SkipReason{SkipKind::kHostileForbidden,
                      "hostile (floods, resets, random bytes): runs against --target only with --allow-hostile"};
  }
  // Before the probes, which would only time out too.
  if (auto why = run.unresponsive()) {
    return SkipReason{SkipKind::kTargetUnresponsive, fmt::format("not run: target unresponsive ({})", *why)};
  }
  // A feature the user asked for by name is tested even if the probe says it is missing; one
  // selected through a group ("meta", "binary") is probed like the rest.
  const bool asked_by_name = options.features_named.contains(tags.feature);
  if (!asked_by_name) {
    if (auto why = run.not_implemented(tags.feature)) {
      return SkipReason{SkipKind::kNotImplemented,
                        fmt::format("not implemented: feature '{}': {}", feature_name(tags.feature), *why)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<TestTags> current_test_tags() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return find_test_tags(info->test_suite_name(), info->name());
}

std::optional<SkipReason> skip_reason(const TestTags& tags) {
  auto reason = decide(tags);
  if (reason) ::testing::Test::RecordProperty(kSkipKindProperty, std::string(skip_kind_name(reason->kind)));
  return reason;
}

}  // namespace mcconform::suites
