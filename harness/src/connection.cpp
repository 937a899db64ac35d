// A raw connection to the target where every connect, read and write has a deadline; the bytes go
// through a ByteStream (a TCP socket in a run, a script in the harness's own tests).
#include "mcconform/connection.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "mcconform/escape.hpp"
#include "mcconform/socket_stream.hpp"

namespace mcconform {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::string Connection::sentinel_key() { return "mcconform:sentinel:never-stored"; }

Connection::Connection(const Endpoint& endpoint, Duration timeout, Transcript* transcript, int id)
    : stream_(SocketStream::connect(endpoint, timeout)),
      id_(id),
      endpoint_(endpoint),
      timeout_(timeout),
      transcript_(transcript) {}

Connection::Connection(std::unique_ptr<ByteStream> stream, Duration timeout, Transcript* transcript, int id)
    : stream_(std::move(stream)), id_(id), timeout_(timeout), transcript_(transcript) {}

Connection::Connection(Connection&& other) noexcept
    : stream_(std::move(other.stream_)),
      id_(other.id_),
      endpoint_(std::move(other.endpoint_)),
      timeout_(other.timeout_),
      transcript_(other.transcript_),
      buffer_(std::move(other.buffer_)),
      peer_closed_(other.peer_closed_),
      timed_out_(other.timed_out_),
      bytes_received_(other.bytes_received_),
      last_sent_(std::move(other.last_sent_)) {}

Connection::~Connection() {
  if (!stream_) return;
  stream_->close();
  if (transcript_ && !peer_closed_) transcript_->closed(id_, false);
}

void Connection::abort() {
  if (!stream_) return;
  stream_->reset();
  stream_.reset();
  if (transcript_) {
    transcript_->note(fmt::format("#{} reset by the client", id_));
    if (!peer_closed_) transcript_->closed(id_, false);
  }
}

void Connection::send(std::string_view bytes) {
  if (transcript_) transcript_->record(id_, Transcript::Direction::kSent, bytes);
  last_sent_.assign(bytes.substr(bytes.size() > 200 ? bytes.size() - 200 : 0));
  if (bytes.empty()) return;
  if (!stream_) {
    throw ConnectionError(
        fmt::format("#{}: sending failed after 0 of {} bytes: {}", id_, bytes.size(), std::strerror(EBADF)));
  }
  const ByteStream::Sent sent = stream_->send(bytes, Clock::now() + timeout_);
  if (sent.timed_out) {
    timed_out_ = true;
    throw DeadlineExpired(fmt::format("#{}: the server accepted only {} of {} bytes within {} ms", id_, sent.count,
                                      bytes.size(), timeout_.count()));
  }
  if (!sent.error.empty()) {
    throw ConnectionError(
        fmt::format("#{}: sending failed after {} of {} bytes: {}", id_, sent.count, bytes.size(), sent.error));
  }
}

void Connection::send_split(std::string_view bytes, std::span<const std::size_t> cut_points) {
  std::size_t from = 0;
  for (std::size_t cut : cut_points) {
    if (cut <= from || cut >= bytes.size()) continue;
    send(bytes.substr(from, cut - from));
    from = cut;
  }
  send(bytes.substr(from));
}

void Connection::send_byte_by_byte(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) send(bytes.substr(i, 1));
}

bool Connection::fill(Clock::time_point deadline) {
  if (peer_closed_ || !stream_) return false;
  const std::size_t before = buffer_.size();
  switch (stream_->receive(buffer_, deadline)) {
    case ByteStream::Received::kBytes: {
      const std::size_t n = buffer_.size() - before;
      bytes_received_ += n;
      if (transcript_ && n > 0) {
        transcript_->record(id_, Transcript::Direction::kReceived, std::string_view(buffer_).substr(before));
      }
      return true;
    }
    case ByteStream::Received::kTimeout: return false;
    case ByteStream::Received::kEof: break;
  }
  peer_closed_ = true;
  if (transcript_) transcript_->closed(id_, true);
  return false;
}

std::string Connection::take(std::size_t n) {
  std::string out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return out;
}

std::string Connection::out_of_step() const {
  return fmt::format(
      "#{}: not read: an earlier reply on this connection did not arrive within {} ms, so the connection is out of "
      "step (last sent: {})",
      id_, timeout_.count(), escape_bytes(last_sent_));
}

void Connection::fail_read(std::string_view what, std::size_t wanted) {
  // Nothing to wait for once this side has reset the connection: that is no timeout.
  if (!peer_closed_ && stream_) timed_out_ = true;
  const std::string why = peer_closed_ ? "the server closed the connection"
                          : stream_    ? fmt::format("nothing more arrived within {} ms", timeout_.count())
                                       : std::string("this client has reset the connection");
  const std::string message =
      fmt::format("#{}: waiting for {} ({} bytes): {}; received so far: {} ({} bytes); last sent: {}", id_, what,
                  wanted, why, escape_bytes(buffer_), buffer_.size(), escape_bytes(last_sent_));
  if (timed_out_) throw DeadlineExpired(message);
  throw ConnectionError(message);
}

std::string Connection::read_exact(std::size_t n) {
  if (timed_out_) throw ConnectionError(out_of_step());
  const auto deadline = Clock::now() + timeout_;
  while (buffer_.size() < n) {
    if (!fill(deadline)) fail_read("a reply", n);
  }
  return take(n);
}

std::string Connection::read_until(std::string_view terminator) {
  if (timed_out_) throw ConnectionError(out_of_step());
  const auto deadline = Clock::now() + timeout_;
  std::size_t searched = 0;
  while (true) {
    const auto at = buffer_.find(terminator, searched);
    if (at != std::string::npos) return take(at + terminator.size());
    searched = buffer_.size() >= terminator.size() ? buffer_.size() - terminator.size() + 1 : 0;
    if (!fill(deadline)) fail_read(fmt::format("a reply ending in {}", escape_bytes(terminator)), 0);
  }
}

std::string Connection::read_available(Duration quiet) {
  const auto deadline = Clock::now() + timeout_;
  while (true) {
    const auto quiet_deadline = std::min(deadline, Clock::now() + quiet);
    if (!fill(quiet_deadline)) break;
  }
  return take(buffer_.size());
}

::testing::AssertionResult Connection::expect(std::string_view expected) {
  if (timed_out_) return ::testing::AssertionFailure() << out_of_step();
  const auto deadline = Clock::now() + timeout_;
  while (buffer_.size() < expected.size()) {
    // Stop early when what has arrived already differs: the message comes sooner and says more.
    if (std::string_view(buffer_) != expected.substr(0, buffer_.size())) break;
    if (!fill(deadline)) break;
  }
  if (buffer_.size() >= expected.size() && std::string_view(buffer_).substr(0, expected.size()) == expected) {
    take(expected.size());
    return ::testing::AssertionSuccess();
  }
  // Judged on what arrived within the deadline: a reply that completes only after it is late, not
  // different (and the connection is out of step), whatever the trailing burst below brings.
  const bool stopped_short = std::string_view(expected).starts_with(buffer_);
  std::string why;
  if (stopped_short) {
    timed_out_ = !peer_closed_ && stream_;
    why = peer_closed_ ? "the server closed the connection before the reply was complete"
          : stream_    ? fmt::format("the reply stopped short; nothing more within {} ms", timeout_.count())
                       : "this client has reset the connection before the reply was complete";
  } else {
    why = "the reply differs";
  }
  const std::string received = take(buffer_.size());
  // Let a short trailing burst arrive so the message shows the whole wrong reply, or what came late.
  fill(Clock::now() + std::chrono::milliseconds(50));
  std::string late;
  if (stopped_short && !buffer_.empty()) {
    late = fmt::format("\nafter the deadline came: {}", escape_bytes(take(buffer_.size())));
  }
  const std::string shown = received + take(buffer_.size());
  return ::testing::AssertionFailure() << "#" << id_ << ": " << why << " (last sent: " << escape_bytes(last_sent_)
                                       << ")\n"
                                       << describe_mismatch(expected, shown) << late;
}

::testing::AssertionResult Connection::expect_closed() {
  if (timed_out_) return ::testing::AssertionFailure() << out_of_step();
  const auto deadline = Clock::now() + timeout_;
  while (!peer_closed_ && buffer_.empty()) {
    if (!fill(deadline) && !peer_closed_) break;
  }
  if (!buffer_.empty()) {
    return ::testing::AssertionFailure() << "#" << id_ << ": expected the server to close the connection, but it sent "
                                         << escape_bytes(take(buffer_.size()));
  }
  if (!peer_closed_) {
    return ::testing::AssertionFailure() << "#" << id_
                                         << ": expected the server to close the connection; it was still open after "
                                         << timeout_.count() << " ms (last sent: " << escape_bytes(last_sent_) << ")";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Connection::expect_sentinel() {
  if (!buffer_.empty()) {
    return ::testing::AssertionFailure() << "#" << id_ << ": unexpected extra bytes before the sentinel: "
                                         << escape_bytes(take(buffer_.size()));
  }
  send("get " + sentinel_key() + "\r\n");
  auto result = expect("END\r\n");
  if (!result) {
    return ::testing::AssertionFailure()
           << "sentinel round trip failed (a command that should have sent nothing sent something, or the "
              "connection is out of step)\n"
           << result.message();
  }
  return result;
}

}  // namespace mcconform
