// The state of one mcconform run: options, the target under test, and what it implements.
#include "mcconform/run_context.hpp"

#include <unistd.h>

#include <chrono>
#include <random>

#include <fmt/format.h>

#include "mcconform/connection.hpp"
#include "mcconform/escape.hpp"
#include "mcconform/wait.hpp"

namespace mcconform {
namespace {

std::string make_run_id() {
  std::random_device seed;
  std::mt19937 generator(seed() ^ static_cast<unsigned>(getpid()));
  return fmt::format("{:06x}", generator() & 0xffffff);
}

// A command per feature that any server implementing the feature answers with something other
// than ERROR, and that changes nothing: it names a key no test stores.
std::optional<std::string> probe_command(Feature feature) {
  const std::string key = "mcconform:probe:never-stored";
  switch (feature) {
    case Feature::kStorage: return fmt::format("append {} 0 0 1\r\nx\r\n", key);
    case Feature::kArith: return fmt::format("incr {} 1\r\n", key);
    case Feature::kTouch: return fmt::format("touch {} 0\r\n", key);
    case Feature::kStats: return std::string("stats\r\n");
    case Feature::kMetaGet: return fmt::format("mg {} v\r\n", key);
    // Mode "replace" on a missing key stores nothing.
    case Feature::kMetaSet: return fmt::format("ms {} 1 MR\r\nx\r\n", key);
    case Feature::kMetaDelete: return fmt::format("md {}\r\n", key);
    case Feature::kMetaArith: return fmt::format("ma {}\r\n", key);
    case Feature::kMetaDebug: return fmt::format("me {}\r\n", key);
    case Feature::kMetaQuiet:
    case Feature::kMetaStale:
    case Feature::kMetaBase64:
    case Feature::kMetaNoop: return std::string("mn\r\n");
    default: return std::nullopt;
  }
}

}  // namespace

RunContext& RunContext::instance() {
  static RunContext context;
  return context;
}

void RunContext::configure(Options options, std::string default_spawn_command) {
  options_ = std::move(options);
  profile_ = options_.profile.empty() ? default_profile() : find_profile(options_.profile).value_or(default_profile());
  spawn_command_ = options_.external()              ? std::string{}
                   : options_.spawn_command.empty() ? std::move(default_spawn_command)
                                                    : options_.spawn_command;
  run_id_ = make_run_id();
}

Endpoint RunContext::primary() {
  std::lock_guard lock(mutex_);
  if (options_.external()) return options_.targets.front();
  if (!primary_) primary_ = std::make_unique<SpawnedServer>(spawn_command_);
  return primary_->endpoint();
}

std::string RunContext::describe_target() {
  if (options_.external()) {
    std::string out = "external ";
    for (std::size_t i = 0; i < options_.targets.size(); ++i) out += (i ? "," : "") + options_.targets[i].to_string();
    return out;
  }
  return fmt::format("spawned: {}", primary_ ? primary_->resolved_command() : spawn_command_);
}

std::optional<std::string> RunContext::check_primary_after_test(std::chrono::milliseconds grace) {
  std::lock_guard lock(mutex_);
  if (!primary_) return std::nullopt;
  std::optional<std::string> death;
  wait_until(grace, std::chrono::milliseconds(10), [&] { return (death = primary_->death_report()).has_value(); });
  if (death) {
    primary_.reset();  // the next test spawns a fresh one, which has not timed out yet
    timeouts_in_a_row_ = 0;
  }
  return death;
}

std::vector<Endpoint> RunContext::cluster(std::size_t n) {
  std::lock_guard lock(mutex_);
  if (options_.external()) {
    return std::vector<Endpoint>(options_.targets.begin(),
                                 options_.targets.begin() + static_cast<long>(std::min(n, options_.targets.size())));
  }
  while (cluster_.size() < n) cluster_.push_back(std::make_unique<SpawnedServer>(spawn_command_));
  std::vector<Endpoint> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(cluster_[i]->endpoint());
  return out;
}

std::unique_ptr<SpawnedServer> RunContext::spawn_private_server(const std::string& extra_arguments) {
  if (options_.external()) return nullptr;
  return std::make_unique<SpawnedServer>(extra_arguments.empty() ? spawn_command_
                                                                 : spawn_command_ + " " + extra_arguments);
}

std::optional<std::string> RunContext::not_implemented(Feature feature) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = probes_.find(feature); it != probes_.end()) return it->second;
  }
  std::optional<std::string> verdict;
  if (auto command = probe_command(feature)) {
    try {
      Connection probe(primary(), options_.timeout);
      probe.send(*command);
      const std::string first_line = probe.read_until("\r\n");
      if (first_line == "ERROR\r\n") {
        verdict = fmt::format("the server answered ERROR to {}", escape_bytes(command->substr(0, command->find('\r'))));
      }
    } catch (const ConnectionError&) {
      // A probe that cannot complete proves nothing; the tests will report the real problem.
    }
  }
  std::lock_guard lock(mutex_);
  probes_[feature] = verdict;
  return verdict;
}

void RunContext::record_case_contact(CaseContact contact, std::string_view case_name, std::string_view detail) {
  std::lock_guard lock(mutex_);
  if (contact == CaseContact::kAnswered) timeouts_in_a_row_ = 0;
  if (contact != CaseContact::kTimedOut) return;
  ++timeouts_in_a_row_;
  last_timeout_ = fmt::format("{}: {}", case_name, detail);
}

std::optional<std::string> RunContext::unresponsive() {
  std::lock_guard lock(mutex_);
  if (options_.max_timeouts <= 0 || timeouts_in_a_row_ < options_.max_timeouts) return std::nullopt;
  return fmt::format("{} consecutive cases timed out; last: {}", timeouts_in_a_row_, last_timeout_);
}

void RunContext::stop_all() {
  std::lock_guard lock(mutex_);
  primary_.reset();
  cluster_.clear();
}

}  // namespace mcconform
