// One client connection: bytes in, requests parsed and executed, replies out.
#include "server/connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "protocol/request_parser.hpp"

namespace mcrefd::server {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// Stop parsing, and reading, while this much output waits for a slow reader. One request may
// overshoot it by its own reply; the next waits until the client has read.
constexpr std::size_t kOutputHighWater = 64 * 1024;
// The line of a command, and the longest multi-get line accepted. memcached streams a multi-get
// of any length; mcrefd parses a line whole, so it bounds the line instead (docs/mcrefd-design.md).
constexpr std::size_t kMaxCommandLine = 1024 * 1024;

}  // namespace

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t Connection::max_pending_input(const protocol::ParserLimits& limits) {
  return std::max(kMaxCommandLine, limits.item_size_max + 2048) + kReadChunk;
}

// Read only when the parser waits for bytes: requests already buffered are run first, so a
// client pipelining faster than its replies drain keeps its requests in its own socket.
bool Connection::wants_read() const {
  return state_ == State::kOpen && out_.bytes.size() < kOutputHighWater && awaiting_input_;
}

void Connection::on_readable(ThreadStats& stats, engine::RelTime now) {
  last_active_ = now;
  bool peer_closed = false;
  // Read a chunk, run what it completes, and read again only while the replies keep draining:
  // the input buffer holds at most one incomplete request and one read.
  while (wants_read()) {
    char* tail = in_.prepare(kReadChunk);
    const ssize_t n = ::recv(fd_, tail, in_.writable(), 0);
    if (n > 0) {
      in_.commit(static_cast<std::size_t>(n));
      stats.bytes_read.add(static_cast<std::uint64_t>(n));
      process();
      if (static_cast<std::size_t>(n) < kReadChunk) break;
      continue;
    }
    if (n == 0) {
      // Like memcached, answer what arrived before the peer's FIN, then close.
      peer_closed = true;
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    state_ = State::kClosed;
    return;
  }
  if (peer_closed && state_ == State::kOpen) {
    // memcached closes at the end of the stream without sending what waited for a skipped body.
    if (driver_.swallowing()) out_.discard_uncommitted();
    hold_uncommitted_ = false;
    state_ = State::kCloseAfterWrite;
  }
  pump(stats);
}

void Connection::on_writable(ThreadStats& stats) { pump(stats); }

void Connection::pump(ThreadStats& stats) {
  // Send, then run the requests that waited for the replies to drain, until the socket takes no
  // more or no complete request is left: epoll wakes us for whichever comes next.
  while (true) {
    flush(stats);
    if (state_ != State::kOpen || out_.bytes.size() >= kOutputHighWater || awaiting_input_) return;
    process();
  }
}

void Connection::process() {
  if (state_ != State::kOpen) return;
  if (in_.empty()) {
    awaiting_input_ = true;
    return;
  }
  const Driver::Result result = driver_.run(in_.data(), out_, kOutputHighWater);
  in_.consume(result.consumed);
  hold_uncommitted_ = result.hold_uncommitted;
  awaiting_input_ = in_.empty() || result.need_more;
  if (result.close || (result.need_more && in_.size() > max_pending_input_)) state_ = State::kCloseAfterWrite;
  if (in_.empty()) in_.shrink_if_idle(kReadChunk * 2);
}

void Connection::flush(ThreadStats& stats) {
  std::size_t sent_total = 0;
  const std::size_t sendable = hold_uncommitted_ ? out_.committed : out_.bytes.size();
  while (sent_total < sendable) {
    const ssize_t n = ::send(fd_, out_.bytes.data() + sent_total, sendable - sent_total, MSG_NOSIGNAL);
    if (n > 0) {
      sent_total += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    state_ = State::kClosed;
    return;
  }
  stats.bytes_written.add(sent_total);
  out_.consume_front(sent_total);
  // A large reply leaves a large buffer behind; a stalled client must not keep it.
  if (out_.bytes.capacity() > kReadChunk * 4 && out_.bytes.size() < out_.bytes.capacity() / 4)
    out_.bytes.shrink_to_fit();
  if (out_.bytes.empty()) {
    out_.committed = 0;
    if (state_ == State::kCloseAfterWrite) state_ = State::kClosed;
  }
}

}  // namespace mcrefd::server
