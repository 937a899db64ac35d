// mcrefd: the mcconform reference server, started from memcached-compatible flags.
#include <signal.h>

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "engine/clock.hpp"
#include "engine/lru_engine.hpp"
#include "server/config.hpp"
#include "server/server.hpp"

int main(int argc, char** argv) {
  using namespace mcrefd;
  const server::ParsedCommandLine parsed = server::parse_command_line(argc, argv);
  if (!parsed.config) {
    std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
    return parsed.exit_code;
  }
  const server::Config& config = *parsed.config;

  // Block the stop signals in every thread; the server reads them from a signalfd.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    engine::SystemClock clock;
    engine::LruEngine engine(clock, {config.memory_limit_mb * 1024 * 1024, config.item_size_max});
    server::Server server(config, engine, clock);
    const int port = server.bind_listeners();
    if (config.verbosity > 0) {
      fmt::print(stderr, "mcrefd {} listening on port {} ({} threads, {} MB, {} shards)\n", server::Server::kVersion,
                 port, config.threads, config.memory_limit_mb, engine.shard_count());
    }
    server.run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "mcrefd: {}\n", e.what());
    return 1;
  }
  return 0;
}
