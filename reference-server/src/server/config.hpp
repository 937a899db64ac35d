// mcrefd's command line, compatible with memcached's for the flags users pass.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "protocol/request.hpp"

namespace mcrefd::server {

struct Config {
  int port = 11211;  // -1: an ephemeral port, reported through MEMCACHED_PORT_FILENAME
  std::vector<std::string> listen_addresses{"127.0.0.1"};
  int threads = 4;
  std::size_t memory_limit_mb = 64;
  std::size_t max_connections = 1024;
  std::size_t item_size_max = 1024 * 1024;
  int verbosity = 0;
  unsigned idle_timeout_seconds = 0;  // 0: never
  unsigned poll_microseconds = 50;    // -o poll_us: how long a worker that runs out of work polls before it sleeps
  unsigned yield_microseconds = 100;  // -o yield_us: how long a worker runs without a break before it offers its CPU
  protocol::Protocols protocols = protocol::Protocols::kAuto;  // -B
};

struct ParsedCommandLine {
  std::optional<Config> config;  // empty: exit with `exit_code` after printing `message`
  int exit_code = 0;
  std::string message;
};

ParsedCommandLine parse_command_line(int argc, char** argv);
std::string usage_text(const char* program);

}  // namespace mcrefd::server
