// Each injected concurrency fault is caught and reported; a correct server passes every workload.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "faulty_memcached.hpp"
#include "mcconform/linearizability/checker.hpp"
#include "mcconform/linearizability/memcached_model.hpp"
#include "mcconform/linearizability/workload.hpp"

namespace mcconform::linearizability {
namespace {

using testing_support::Fault;
using testing_support::FaultyMemcached;

CheckReport run_and_check(const FaultyMemcached& server, WorkloadKind kind, std::uint64_t seed) {
  WorkloadOptions options;
  options.kind = kind;
  options.keys = {"k1", "k2"};
  options.operations_per_connection = 150;
  options.seed = seed;
  const WorkloadResult result = run_workload(server.endpoint(), options);
  EXPECT_TRUE(result.unexpected.empty()) << result.unexpected.front();
  EXPECT_EQ(result.indeterminate, 0u);
  // The shrinker's wall-clock budget bounds what a user waits for; these tests judge the witness it
  // finds, so they give it room for a slow machine (under ASan on a loaded 2-core machine, 1 s left
  // a 67-operation witness unshrunk). Shrinking stops as soon as nothing more can go.
  CheckOptions check;
  check.shrink_time_limit = std::chrono::seconds(20);
  return check_history(result.history, check);
}

TEST(FaultInjection, CorrectServerPassesEveryWorkload) {
  for (WorkloadKind kind :
       {WorkloadKind::kMixed, WorkloadKind::kCounter, WorkloadKind::kAppendRace, WorkloadKind::kCasRace}) {
    FaultyMemcached server(Fault::kNone);
    const CheckReport report = run_and_check(server, kind, 7);
    EXPECT_EQ(report.verdict, Verdict::kLinearizable) << workload_name(kind) << "\n" << report.render();
  }
}

TEST(FaultInjection, OperationsWithoutAReplyMayHaveTakenEffect) {
  FaultyMemcached server(Fault::kArithReplyLost);
  WorkloadOptions options;
  options.kind = WorkloadKind::kCounter;
  options.keys = {"k1", "k2"};
  options.operation_timeout = std::chrono::milliseconds(100);
  const WorkloadResult result = run_workload(server.endpoint(), options);
  EXPECT_GT(result.indeterminate, 0u);
  EXPECT_TRUE(result.unexpected.empty());
  const CheckReport report = check_history(result.history);
  EXPECT_EQ(report.verdict, Verdict::kLinearizable) << report.render();
}

// A race shows up in most runs, not all: a few runs, the first violation wins (never a false one).
void expect_caught(Fault fault, WorkloadKind kind, std::initializer_list<std::string_view> reasons) {
  for (std::uint64_t attempt = 1; attempt <= 5; ++attempt) {
    FaultyMemcached server(fault);
    const CheckReport report = run_and_check(server, kind, attempt);
    if (report.verdict != Verdict::kNotLinearizable) continue;
    const std::string text = report.render();
    std::cout << "report (" << workload_name(kind) << " workload, attempt " << attempt << "):\n" << text;
    EXPECT_TRUE(std::any_of(reasons.begin(), reasons.end(), [&](std::string_view r) {
      return text.find(r) != std::string::npos;
    })) << text;
    for (const KeyVerdict& key : report.keys) {
      if (key.verdict == Verdict::kNotLinearizable) {
        // The witness is a proof on its own: no order of it, from the state it claims, works.
        const MemcachedModel model(MemcachedModel::growth_of(key.witness));
        const auto recheck = search_linearization(
            model, std::span<const Operation>(key.witness),
            key.witness_from_any_state ? KeyState::anything() : KeyState::initial(), SearchLimits{});
        EXPECT_EQ(recheck.verdict, Verdict::kNotLinearizable) << text;
        // Small: the operations whose outcome matters, plus writes that may have happened any time.
        const auto determinate = std::count_if(key.witness.begin(), key.witness.end(),
                                               [](const Operation& op) { return !op.indeterminate(); });
        EXPECT_LE(determinate, 8) << text;
      }
    }
    return;
  }
  ADD_FAILURE() << "the fault was not caught in 5 runs";
}

TEST(FaultInjection, NonAtomicIncrIsCaught) {
  expect_caught(Fault::kNonAtomicIncr, WorkloadKind::kCounter, {"so incr", "so decr"});
}

TEST(FaultInjection, CasUniqueReusedAfterDeleteAndAddIsCaught) {
  expect_caught(Fault::kCasReusedAfterDelete, WorkloadKind::kCasRace, {"unique"});
}

TEST(FaultInjection, StaleReadAfterAWriteIsCaught) {
  // The stale read itself must be in the witness. Which operation the explanation then names varies
  // from run to run: any write or read after it may be the one that no longer fits (an append
  // answering NOT_STORED after a read that saw the key, for instance).
  expect_caught(Fault::kStaleRead, WorkloadKind::kMixed, {"| get -> ", "| gets -> "});
}

TEST(FaultInjection, AppendThatDropsAnotherAppendIsCaught) {
  expect_caught(Fault::kAppendDropsOthersData, WorkloadKind::kAppendRace, {"returned"});
}

}  // namespace
}  // namespace mcconform::linearizability
