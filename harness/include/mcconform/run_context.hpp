// The state of one mcconform run: options, the target under test, and what it implements.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcconform/endpoint.hpp"
#include "mcconform/features.hpp"
#include "mcconform/options.hpp"
#include "mcconform/profile.hpp"
#include "mcconform/spawned_server.hpp"
#include "mcconform/target.hpp"

namespace mcconform {

// What a finished case learnt about the target's liveness.
enum class CaseContact {
  kAnswered,  // the target sent it at least one byte
  kTimedOut,  // it waited out a deadline and the target sent it nothing
  kNone,      // neither (skipped, or it only spoke through libmemcached): proves nothing
};

class RunContext {
 public:
  static RunContext& instance();

  void configure(Options options, std::string default_spawn_command);
  const Options& options() const { return options_; }
  // The memcached release whose behaviour this run expects (--profile, else the newest).
  const Profile& profile() const { return profile_; }

  // The server the protocol suites talk to; spawned on first use when not external. During a
  // destructive case that has a server of its own (see begin_case), that server.
  Endpoint primary();

  // A case is about to run. A destructive one gets a freshly spawned server of its own when the
  // harness spawns the target; on an external target (or when a second copy of the spawned
  // server cannot start) it runs on the shared one and is followed by a settle check.
  void begin_case(const TestTags& tags);
  // The case has finished: stops its own server, or, after a destructive case on the shared
  // target, waits until that target has settled. Returns why it did not settle, if it did not.
  std::optional<std::string> end_case();
  // True when the harness started the target itself, so destructive tests are always allowed.
  bool owns_target() const { return target_->owns(); }
  std::string describe_target();
  // The spawn command template in use (empty for external targets).
  const std::string& spawn_command() const { return target_->spawn_command(); }

  // After a test: if a spawned primary died, reports how and drops it, so the next test spawns a
  // fresh one. A server that has just hung up may still be exiting: `grace` waits for that.
  std::optional<std::string> check_primary_after_test(std::chrono::milliseconds grace = std::chrono::milliseconds(0));

  // `n` servers for cluster tests: the --target list, or spawned copies (kept for the run).
  std::vector<Endpoint> cluster(std::size_t n);
  // A private server that the caller may stop and restart; nullptr for external targets.
  // `extra_arguments` are appended to the spawn command (memcached-style flags such as "-c 40").
  std::unique_ptr<SpawnedServer> spawn_private_server(const std::string& extra_arguments = "");

  // Why a feature counts as not implemented (the server answered ERROR to its probe), if so.
  std::optional<std::string> not_implemented(Feature feature);

  // Counts the cases in a row that timed out unanswered; any answer resets the count, and so
  // does a fresh spawned server. `detail` says how the case timed out.
  void record_case_contact(CaseContact contact, std::string_view case_name, std::string_view detail);
  // Once --max-timeouts cases in a row timed out: why the target counts as unresponsive (the
  // rest of the run's cases are not run).
  std::optional<std::string> unresponsive();

  // Unique per run: keys carry it so that runs never see each other's data.
  const std::string& run_id() const { return run_id_; }
  void stop_all();

 private:
  // A destructive case leaves work behind (a flush that drops, in the background, what is stored
  // in the same second, say): waits a second, then until a fresh key stored is read back.
  std::optional<std::string> wait_until_settled();

  Options options_;
  Profile profile_;
  std::string run_id_;
  // Before configure(), what empty options mean: a spawned target (with no command yet).
  std::unique_ptr<Target> target_ = std::make_unique<SpawnedTarget>(std::string{});
  std::unique_ptr<SpawnedServer> case_server_;           // the running destructive case's own server
  std::vector<std::unique_ptr<SpawnedServer>> retired_;  // case servers told to stop, reaped at the end
  bool settle_after_case_ = false;
  bool case_servers_fail_ = false;  // a second copy of the spawned server did not start: stop trying
  std::map<Feature, std::optional<std::string>> probes_;
  int timeouts_in_a_row_ = 0;
  std::string last_timeout_;
  std::mutex mutex_;
};

}  // namespace mcconform
