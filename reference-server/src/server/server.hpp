// The server: listening sockets, the accept loop, the workers, and shutdown on a signal.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "server/config.hpp"
#include "server/executor.hpp"
#include "server/stats.hpp"
#include "server/worker.hpp"

namespace mcrefd::server {

class Server final : public StatsSource {
 public:
  static constexpr const char* kVersion = "1.6.38-mcrefd";

  Server(Config config, engine::Engine& engine, const engine::Clock& clock);
  ~Server() override;

  // Binds the listening sockets; returns the first one's port (useful with port -1).
  int bind_listeners();
  // Accepts until SIGTERM or SIGINT arrives (or request_stop() is called), then stops the workers.
  void run();
  void request_stop();

  void write_stats(std::string& out) const override;
  void reset_stats() override;
  void write_settings(std::string& out) const override;
  void write_conns(std::string& out, int self) const override;

 private:
  void accept_ready(int listen_fd);
  void write_port_file(int port) const;

  Config config_;
  engine::Engine& engine_;
  const engine::Clock& clock_;
  ServerStats stats_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<int> listen_fds_;
  int port_ = 0;
  std::size_t next_worker_ = 0;
  int stop_fd_ = -1;
  int signal_fd_ = -1;
};

}  // namespace mcrefd::server
