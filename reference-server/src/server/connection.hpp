// One client connection: bytes in, requests parsed and executed, replies out.
#pragma once

#include <atomic>
#include <cstddef>

#include "engine/clock.hpp"
#include "protocol/request.hpp"
#include "server/byte_buffer.hpp"
#include "server/driver.hpp"
#include "server/executor.hpp"
#include "server/output.hpp"

namespace mcrefd::server {

class Connection {
 public:
  enum class State { kOpen, kCloseAfterWrite, kClosed };

  Connection(int fd, Executor& executor, const protocol::ParserLimits& limits, engine::RelTime now)
      : fd_(fd), driver_(executor, limits), max_pending_input_(max_pending_input(limits)), last_active_(now) {
    driver_.session().fd = fd;
  }
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }
  State state() const { return state_; }
  bool wants_write() const { return (hold_uncommitted_ ? out_.committed : out_.bytes.size()) > 0; }
  // Back-pressure, as memcached: a connection whose replies pile up unread is not read from until
  // they drain, so a client that never reads cannot grow the server's memory.
  bool wants_read() const;
  engine::RelTime last_active() const { return last_active_.load(std::memory_order_relaxed); }

  // Reads what the socket has, runs every complete request, and tries to send the replies.
  void on_readable(ThreadStats& stats, engine::RelTime now);
  // Sends pending replies; resumes parsing when the output had been holding it back.
  void on_writable(ThreadStats& stats);

 private:
  void process();
  void flush(ThreadStats& stats);
  void pump(ThreadStats& stats);
  // The most unparsed input a connection may hold: one whole request (a line and the largest
  // data block the server accepts), plus one read.
  static std::size_t max_pending_input(const protocol::ParserLimits& limits);

  int fd_;
  Driver driver_;
  std::size_t max_pending_input_;
  ByteBuffer in_;
  bool awaiting_input_ = true;     // `in_` holds no complete request: reading more is useful
  bool hold_uncommitted_ = false;  // send only the committed replies (see Driver::Result)
  Output out_;
  State state_ = State::kOpen;
  std::atomic<engine::RelTime> last_active_;  // read by `stats conns` on other threads
};

}  // namespace mcrefd::server
