// A worker thread: its own epoll loop, its own connections, its own statistics.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/clock.hpp"
#include "protocol/request.hpp"
#include "server/connection.hpp"
#include "server/executor.hpp"
#include "server/stats.hpp"

struct epoll_event;

namespace mcrefd::server {

struct WorkerSettings {
  protocol::ParserLimits limits;
  unsigned idle_timeout_seconds = 0;
  unsigned poll_microseconds = 0;
  unsigned yield_microseconds = 0;  // 0: never yield
};

class Worker {
 public:
  Worker(engine::Engine& engine, const engine::Clock& clock, ServerStats& server, StatsSource& stats_source,
         const std::string& version, WorkerSettings settings);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  void stop();  // asks the loop to end and waits for it
  // Hands an accepted socket to this worker; callable from any thread.
  void adopt(int fd);
  const ThreadStats& stats() const { return stats_; }
  ThreadStats& stats() { return stats_; }

  struct ConnectionInfo {
    int fd;
    engine::RelTime last_active;
  };
  // This worker's connections; callable from any thread.
  void list_connections(std::vector<ConnectionInfo>& out) const;

 private:
  void run();
  void take_new_connections();
  void close_connection(int fd);
  void close_idle_connections();
  // A connection and the epoll events registered for it. epoll hands back a pointer to its slot
  // (unordered_map nodes do not move), so an event costs no look-up.
  struct Slot {
    std::unique_ptr<Connection> connection;
    std::uint32_t interest = 0;
  };
  void update_interest(Slot& slot);
  // epoll_wait, but when the last wait had work and poll_microseconds is set, polls before sleeping.
  int wait_for_events(epoll_event* events, int max_events, int timeout_ms, bool had_work);
  // This thread's context switches so far: it slept (voluntary), or was preempted or yielded to
  // another thread (involuntary).
  struct Switches {
    long voluntary = 0, involuntary = 0;
    long total() const { return voluntary + involuntary; }
  };
  static Switches switches();
  // Offers the CPU to a thread waiting for it once the worker has run yield_microseconds without
  // leaving it.
  void give_way_if_busy_long();

  const engine::Clock& clock_;
  ServerStats& server_;
  WorkerSettings settings_;
  ThreadStats stats_;
  Executor executor_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::mutex pending_mutex_;
  std::vector<int> pending_;
  bool stopping_ = false;
  // Changed only by the worker's thread, under the mutex so that others may list it.
  mutable std::mutex connections_mutex_;
  std::unordered_map<int, Slot> connections_;
  std::thread thread_;
  // Polling before sleep stops until poll_resumes_at_ after a poll that took the CPU from someone.
  static constexpr std::chrono::milliseconds kMinPollBackoff{10}, kMaxPollBackoff{1000};
  std::chrono::milliseconds poll_backoff_{0};
  std::chrono::steady_clock::time_point poll_resumes_at_{};
  std::chrono::steady_clock::time_point last_look_{};
  long switches_at_last_look_ = -1;
};

}  // namespace mcrefd::server
