// mcrefd with one planted bug, for proving that `mcconform diff` finds and shrinks a difference.
// Everything else is mcrefd's own code, so a correct server differs from it in the bug alone.
//   --plant=append (the default): an append to a key that holds a digit answers NOT_STORED (NS in
//     meta) and stores nothing.
//   --plant=issued-cas: a store or incr/decr that compares a unique below 2^62 (one a counter
//     issued; E flags in mcconform diff choose larger ones) compares it with the item's unique
//     minus one (deletes compare outside the engine and are left alone), as a
//     proxy that shows uniques it does not map back would: a cas with the unique just shown
//     answers EXISTS. Uniques still look right, so only a request carrying one the server showed
//     can tell.
//   --plant=counter-ahead: no bug, but the cas counter starts 1000 ahead, as a running server's
//     does: `diff --cas-uniques renamed` must find no difference, which it can only if it sends
//     each server the unique that server showed.
// Usage: [--plant=BUG] and then the same flags as mcrefd.
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>
#include <string_view>

#include <fmt/format.h>

#include "engine/clock.hpp"
#include "engine/lru_engine.hpp"
#include "server/config.hpp"
#include "server/server.hpp"

namespace {

using namespace mcrefd::engine;

enum class Bug { kAppend, kIssuedCas, kNone };

// A store or arithmetic request as the issued-cas bug compares it: a counter's unique off by one.
template <class Request>
Request skewed(Request request) {
  if (request.cas_unique != 0 && request.cas_unique < (1ull << 62)) ++request.cas_unique;
  return request;
}

// Passes every call to the real engine, but for the planted bug.
class PlantedBugEngine final : public Engine {
 public:
  PlantedBugEngine(Engine& real, Bug bug) : real_(real), bug_(bug) {}

  LookupOutcome get(std::string_view key, const RelTime* touch, FunctionRef<void(const ItemView&)> visit) override {
    return real_.get(key, touch, visit);
  }
  LookupOutcome access(std::string_view key, const AccessOptions& options, FunctionRef<void(ItemEdit&)> edit) override {
    return real_.access(key, options, edit);
  }
  StoreReply store(const StoreRequest& request) override {
    if (bug_ == Bug::kIssuedCas) return real_.store(skewed(request));
    const bool digit = std::any_of(request.key.begin(), request.key.end(),
                                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    if (bug_ == Bug::kAppend && request.mode == StoreMode::kAppend && digit) {
      return StoreReply{StoreResult::kNotStored, 0, 0};
    }
    return real_.store(request);
  }
  bool remove(std::string_view key) override { return real_.remove(key); }
  ArithReply arithmetic(const ArithRequest& request) override {
    return real_.arithmetic(bug_ == Bug::kIssuedCas ? skewed(request) : request);
  }
  bool touch(std::string_view key, RelTime exptime) override { return real_.touch(key, exptime); }
  std::uint64_t next_cas() override { return real_.next_cas(); }
  void for_each_item(FunctionRef<void(const ItemView&)> visit) override { real_.for_each_item(visit); }
  void flush_all(RelTime when) override { real_.flush_all(when); }
  EngineStats stats() const override { return real_.stats(); }

 private:
  Engine& real_;
  Bug bug_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace mcrefd;
  Bug bug = Bug::kAppend;
  if (argc > 1 && std::string_view(argv[1]).starts_with("--plant=")) {
    const std::string_view name = std::string_view(argv[1]).substr(8);
    if (name == "issued-cas") {
      bug = Bug::kIssuedCas;
    } else if (name == "counter-ahead") {
      bug = Bug::kNone;
    } else if (name != "append") {
      fmt::print(stderr, "planted-bug server: --plant takes append, issued-cas or counter-ahead\n");
      return 2;
    }
    argv[1] = argv[0];  // mcrefd's parser reads argv[1..] from here on
    ++argv;
    --argc;
  }
  const server::ParsedCommandLine parsed = server::parse_command_line(argc, argv);
  if (!parsed.config) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  const server::Config& config = *parsed.config;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  try {
    engine::SystemClock clock;
    engine::LruEngine real(clock, {config.memory_limit_mb * 1024 * 1024, config.item_size_max});
    if (bug == Bug::kNone) {
      for (int i = 0; i < 1000; ++i) real.next_cas();
    }
    PlantedBugEngine engine(real, bug);
    server::Server server(config, engine, clock);
    server.bind_listeners();
    server.run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "planted-bug server: {}\n", e.what());
    return 1;
  }
  return 0;
}
