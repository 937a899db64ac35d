// A raw connection to the target where every connect, read and write has a deadline; the bytes go
// through a ByteStream (a TCP socket in a run, a script in the harness's own tests).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "mcconform/byte_stream.hpp"
#include "mcconform/endpoint.hpp"
#include "mcconform/transcript.hpp"

namespace mcconform {

using Duration = std::chrono::milliseconds;

// ConnectionError and DeadlineExpired, what every operation throws, are in byte_stream.hpp.
class Connection {
 public:
  // Connects within `timeout`; `transcript` (optional) records every byte both ways.
  Connection(const Endpoint& endpoint, Duration timeout, Transcript* transcript = nullptr, int id = 1);
  // Over a given stream (a ScriptedStream in the harness's own tests and fuzzer).
  Connection(std::unique_ptr<ByteStream> stream, Duration timeout, Transcript* transcript = nullptr, int id = 1);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int id() const { return id_; }
  Duration timeout() const { return timeout_; }
  void set_timeout(Duration timeout) { timeout_ = timeout; }

  void send(std::string_view bytes);
  // The same bytes, one write per piece, cut at the given offsets (ascending).
  void send_split(std::string_view bytes, std::span<const std::size_t> cut_points);
  void send_byte_by_byte(std::string_view bytes);

  // Reads exactly `n` bytes, or throws ConnectionError saying what did arrive.
  std::string read_exact(std::size_t n);
  // Reads through the first occurrence of `terminator`.
  std::string read_until(std::string_view terminator);
  // Whatever arrives until the peer has been quiet for `quiet` (never waits past the deadline).
  std::string read_available(Duration quiet);

  // Reads `expected.size()` bytes and compares; on mismatch the message shows both sides escaped.
  ::testing::AssertionResult expect(std::string_view expected);
  // Succeeds when the peer closes the connection (EOF or reset) within the deadline with nothing
  // more to say; fails if it sends bytes or stays open.
  ::testing::AssertionResult expect_closed();
  // The least contentious round trip: a get of a key no test ever stores, answered by "END\r\n".
  // Proves that everything sent before it produced no reply beyond what was already read.
  ::testing::AssertionResult expect_sentinel();

  bool peer_closed() const { return peer_closed_; }
  // Bytes the server has sent on this connection so far.
  std::size_t bytes_received() const { return bytes_received_; }
  // A wait for the server ran out its deadline. The connection is then out of step (a late reply
  // would be taken for the answer to a later request), so every later read fails at once.
  bool timed_out() const { return timed_out_; }
  // Shuts the stream down abruptly (RST), as a crashing client would.
  void abort();

  // The key the sentinel asks for; tests must never store it.
  static std::string sentinel_key();

 private:
  // Waits until `deadline` for more bytes; false when none came (timeout, EOF or reset).
  bool fill(std::chrono::steady_clock::time_point deadline);
  std::string take(std::size_t n);
  [[noreturn]] void fail_read(std::string_view what, std::size_t wanted);
  // After a timeout: the message every later read on this connection fails with.
  std::string out_of_step() const;

  std::unique_ptr<ByteStream> stream_;  // null once aborted
  int id_;
  Endpoint endpoint_;
  Duration timeout_;
  Transcript* transcript_;
  std::string buffer_;
  bool peer_closed_ = false;
  bool timed_out_ = false;
  std::size_t bytes_received_ = 0;
  std::string last_sent_;
};

}  // namespace mcconform
