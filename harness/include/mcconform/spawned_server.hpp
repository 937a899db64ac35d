// A server process the harness starts, watches and stops (the only user of Boost.Process).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcconform/endpoint.hpp"

namespace mcconform {

class SpawnError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `command` is a shell-like command line. "{port}" in it is replaced by a free loopback port;
// without "{port}" the server must accept memcached's "-p -1" convention and is given
// MEMCACHED_PORT_FILENAME to report the port it bound.
class SpawnedServer {
 public:
  explicit SpawnedServer(std::string command, std::chrono::milliseconds startup_timeout = std::chrono::seconds(10));
  // For servers whose port is set elsewhere (a config file): the command is run as given and the
  // server is expected on `port`.
  static std::unique_ptr<SpawnedServer> on_fixed_port(
      std::string command, int port, std::chrono::milliseconds startup_timeout = std::chrono::seconds(10));
  ~SpawnedServer();
  SpawnedServer(const SpawnedServer&) = delete;
  SpawnedServer& operator=(const SpawnedServer&) = delete;

  // Starts the process (again, on the same port when it had one) and waits until it answers;
  // a server reporting a `stats` pid that is not the child's (or its descendant's) is an error.
  void start();
  // SIGTERM, then SIGKILL after `grace`.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(3));
  // SIGTERM without waiting (memcached takes up to a second to exit): stop() or the destructor
  // later waits for the rest.
  void request_stop();
  // SIGKILL at once: a crash, as failover tests need.
  void kill_hard();

  bool running();
  // If the process has exited: how (exit status or signal) and the last lines it wrote to stderr.
  std::optional<std::string> death_report();
  std::string stderr_tail(std::size_t lines) const;

  const Endpoint& endpoint() const { return endpoint_; }
  int pid() const;
  const std::string& command() const { return command_; }
  // The command line as actually run, with the port filled in.
  const std::string& resolved_command() const { return resolved_; }

 private:
  struct Process;
  struct FixedPort {};
  SpawnedServer(std::string command, int port, std::chrono::milliseconds startup_timeout, FixedPort);
  void launch_once(int attempt);
  // The port may be answered by a process other than ours (a server already there, or one that
  // survived a run): when the server reports its pid in `stats` and it is neither the child nor
  // a process the child started, says so.
  std::optional<std::string> answered_by_another_process();

  std::string command_;
  std::string resolved_;
  std::chrono::milliseconds startup_timeout_;
  Endpoint endpoint_{"127.0.0.1", 0};
  std::string work_dir_;
  bool fixed_port_ = false;
  std::unique_ptr<Process> process_;
};

// Splits a command line on blanks, honouring single and double quotes.
std::vector<std::string> split_command_line(const std::string& command);
// The full path of a program found on PATH, or an empty string.
std::string find_program(const std::string& name);
// A TCP port on 127.0.0.1 that was free a moment ago.
int pick_free_port();

}  // namespace mcconform
