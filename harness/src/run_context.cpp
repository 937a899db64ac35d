// The state of one mcconform run: options, the target under test, and what it implements.
#include "mcconform/run_context.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>
#include <thread>
#include <utility>

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

// The binary features and the libmemcached suites over binary: one probe answers for all of them.
bool is_binary(Feature feature) {
  return feature == Feature::kClientBinary || feature_name(feature).starts_with("binary-");
}

// Whether the server speaks the binary protocol: a noop packet, then CR LF. memcached answers the
// noop (a 24-byte packet of magic 0x81) and waits for the rest of what it takes for the next
// header; a text-only server sees one line of junk and answers ERROR, closes, or says nothing
// (the packet alone holds no line end). Why it is not implemented, if it is not; nullopt when it
// answers, or when the probe cannot tell (no connection, some other reply): then the cases run and
// report what is wrong.
std::optional<std::string> probe_binary(const Endpoint& server, Duration timeout) {
  // magic 0x80, opcode noop, every length 0, opaque "mcpb"
  static const std::string kNoop("\x80\x0a\0\0\0\0\0\0\0\0\0\0mcpb\0\0\0\0\0\0\0\0", 24);
  try {
    Connection probe(server, timeout);
    probe.send(kNoop + "\r\n");
    try {
      const std::string first = probe.read_exact(1);
      if (first == "\x81") return std::nullopt;
      if (first == "E" && probe.read_until("\r\n") == "RROR\r\n") {
        return std::string("the server answered ERROR to a binary noop packet");
      }
      return std::nullopt;
    } catch (const ConnectionError&) {
      if (probe.bytes_received() > 0) return std::nullopt;
      if (probe.peer_closed()) return std::string("the server closed the connection on a binary noop packet");
      if (probe.timed_out()) {
        return fmt::format("the server did not answer a binary noop packet within {} ms", timeout.count());
      }
      return std::nullopt;
    }
  } catch (const ConnectionError&) {
    return std::nullopt;
  }
}

}  // namespace

RunContext& RunContext::instance() {
  static RunContext context;
  return context;
}

void RunContext::configure(Options options, std::string default_spawn_command) {
  stop_all();  // a run starts afresh: no servers, probes or counts from an earlier one
  {
    std::lock_guard lock(mutex_);
    probes_.clear();
    timeouts_in_a_row_ = 0;
    last_timeout_.clear();
    settle_after_case_ = false;
    case_servers_fail_ = false;
  }
  options_ = std::move(options);
  profile_ = options_.profile.empty() ? default_profile() : find_profile(options_.profile).value_or(default_profile());
  target_ = make_target(options_, std::move(default_spawn_command));
  run_id_ = make_run_id();
}

Endpoint RunContext::primary() {
  std::lock_guard lock(mutex_);
  if (case_server_) return case_server_->endpoint();
  return target_->primary();
}

std::string RunContext::describe_target() {
  std::lock_guard lock(mutex_);  // a spawned target's description reads its primary
  return target_->describe();
}

void RunContext::begin_case(const TestTags& tags) {
  if (!tags.destructive) return;
  if (!owns_target() || case_servers_fail_) {
    settle_after_case_ = true;
    return;
  }
  try {
    auto own = target_->spawn_private_server("");  // never nullptr: the harness owns the target
    std::lock_guard lock(mutex_);
    case_server_ = std::move(own);
  } catch (const SpawnError& e) {
    // A server that cannot run twice at once (a fixed second port, a lock file): the shared one
    // it is, and the settle check after.
    std::cerr << "mcconform: destructive cases run on the shared server, each followed by a settle check: a second "
                 "copy of the server did not start: "
              << e.what() << "\n";
    case_servers_fail_ = true;
    settle_after_case_ = true;
  }
}

std::optional<std::string> RunContext::end_case() {
  {
    // Stopped: nothing it went through can reach another case. It exits while the next case runs.
    std::lock_guard lock(mutex_);
    if (case_server_) {
      case_server_->request_stop();
      retired_.push_back(std::move(case_server_));
    }
  }
  if (!std::exchange(settle_after_case_, false) || unresponsive()) return std::nullopt;
  return wait_until_settled();
}

std::optional<std::string> RunContext::wait_until_settled() {
  using namespace std::chrono_literals;
  constexpr auto kBudget = 5s;
  // Servers count time in whole seconds: a second from now, nothing stored from then on can share
  // a second with what the case did.
  std::this_thread::sleep_for(1s);
  std::string problem = "no attempt completed";
  int attempt = 0;
  const bool settled = wait_until(kBudget, 100ms, [&] {
    try {
      Connection c(primary(), options_.timeout);
      const std::string key = fmt::format("mcconform:settle:{}:{}", run_id_, ++attempt);
      c.send(fmt::format("set {} 0 0 1\r\ns\r\nget {}\r\ndelete {}\r\n", key, key, key));
      auto result = c.expect(fmt::format("STORED\r\nVALUE {} 0 1\r\ns\r\nEND\r\nDELETED\r\n", key));
      if (!result) problem = result.message();
      return static_cast<bool>(result);
    } catch (const ConnectionError& e) {
      problem = e.what();
      return false;
    }
  });
  if (settled) return std::nullopt;
  return fmt::format(
      "the target did not settle after this destructive case: a fresh key stored was not read back within {} s: {}",
      kBudget.count(), problem);
}

std::optional<std::string> RunContext::check_primary_after_test(std::chrono::milliseconds grace) {
  std::lock_guard lock(mutex_);
  SpawnedServer* server = case_server_ ? case_server_.get() : target_->running_primary();
  if (server == nullptr) return std::nullopt;
  std::optional<std::string> death;
  wait_until(grace, std::chrono::milliseconds(10), [&] { return (death = server->death_report()).has_value(); });
  if (death && server == target_->running_primary()) {
    target_->drop_primary();  // the next test spawns a fresh one, which has not timed out yet
    timeouts_in_a_row_ = 0;
  }
  return death;
}

std::vector<Endpoint> RunContext::cluster(std::size_t n) {
  std::lock_guard lock(mutex_);
  return target_->cluster(n);
}

std::unique_ptr<SpawnedServer> RunContext::spawn_private_server(const std::string& extra_arguments) {
  return target_->spawn_private_server(extra_arguments);
}

std::optional<std::string> RunContext::not_implemented(Feature feature) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = probes_.find(feature); it != probes_.end()) return it->second;
  }
  std::optional<std::string> verdict;
  if (is_binary(feature)) {
    // One probe answers for every binary feature: a server that stays silent costs one deadline.
    verdict = probe_binary(primary(), options_.timeout);
    std::lock_guard lock(mutex_);
    for (Feature f : kAllFeatures) {
      if (is_binary(f)) probes_[f] = verdict;
    }
    return verdict;
  }
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
  case_server_.reset();
  retired_.clear();
  target_->stop_servers();
}

}  // namespace mcconform
