// Linearizability: eight connections race on a few keys, and some single order of their operations,
// respecting real time, must explain every reply (memcached's keys are independent: one check each).
#include <random>

#include "mcconform/linearizability/checker.hpp"
#include "mcconform/linearizability/workload.hpp"
#include "mcconform/run_context.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

using namespace mcconform::linearizability;

class Linearizability : public ProtocolTest {
 protected:
  void check_workload(WorkloadKind kind, std::initializer_list<std::string_view> key_names) {
    RunContext& run = RunContext::instance();
    WorkloadOptions options;
    options.kind = kind;
    for (std::string_view name : key_names) options.keys.push_back(key(name));
    options.operation_timeout = run.options().timeout;
    options.seed = std::random_device{}();
    const WorkloadResult result = run_workload(run.primary(), options);
    RecordProperty("workload", workload_name(kind));
    RecordProperty("seed", std::to_string(options.seed));
    RecordProperty("operations", std::to_string(result.history.size()));
    RecordProperty("workload_ms", std::to_string(result.elapsed.count()));
    for (const std::string& reply : result.unexpected)
      ADD_FAILURE() << "not a memcached reply to the command: " << reply;

    const auto started = std::chrono::steady_clock::now();
    const CheckReport report = check_history(result.history);
    const auto check_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    RecordProperty("check_ms", std::to_string(check_ms));
    const std::string summary = fmt::format(
        "{} workload (seed {}): {} connections, {} operations on {} keys in {} ms ({} without a reply); "
        "checked in {} ms\n",
        workload_name(kind), options.seed, options.connections, result.history.size(), options.keys.size(),
        result.elapsed.count(), result.indeterminate, check_ms);
    switch (report.verdict) {
      case Verdict::kLinearizable: break;
      case Verdict::kNotLinearizable:
        ADD_FAILURE() << summary << "No order of the operations explains the replies:\n" << report.render();
        break;
      case Verdict::kUnknown: GTEST_SKIP() << "inconclusive (the search hit its bound): " << summary << report.render();
    }
  }
};

// Every command on three keys: storage, cas with uniques from gets, delete, incr, decr, reads.
MC_TEST(Linearizability, MixedWorkload, .feature = Feature::kConcurrency, .level = Level::kSpec,
        .spec = "protocol.txt: Commands",
        .checks =
            "8 connections mixing every storage, retrieval, cas, delete and arithmetic command on 3 keys produce a "
            "linearizable history") {
  check_workload(WorkloadKind::kMixed, {"a", "b", "c"});
}

// protocol.txt: incr and decr are atomic; no update may be lost, no number returned twice.
MC_TEST(Linearizability, IncrAndDecrAreAtomic, .feature = Feature::kConcurrency, .level = Level::kSpec,
        .spec = "protocol.txt: Increment/Decrement",
        .checks = "concurrent incr and decr on one key lose no update: every reply is explained by one order") {
  check_workload(WorkloadKind::kCounter, {"n1", "n2"});
}

// Every acknowledged append and prepend stays in the value, in one order all readers agree on.
MC_TEST(Linearizability, RacingAppendsAllLand, .feature = Feature::kConcurrency, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands",
        .checks = "racing appends and prepends each land whole: no acknowledged append is lost") {
  check_workload(WorkloadKind::kAppendRace, {"s1", "s2"});
}

// A cas succeeds only with the current unique; a unique is never reused, even after delete and add.
MC_TEST(Linearizability, CasRacesAndRecreatedKeys, .feature = Feature::kConcurrency, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks =
            "racing cas writers and deleted, re-added keys: one cas wins per unique, and a unique is never reused for "
            "the key") {
  check_workload(WorkloadKind::kCasRace, {"r1", "r2"});
}

}  // namespace
}  // namespace mcconform::suites
