// The byte stream under a Connection: send, receive with a deadline, close. A socket in a run, a script in tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcconform {

// Thrown when the peer cannot be reached, goes silent past the deadline, or hangs up mid-reply.
// GoogleTest reports it as a failure of the test that was running, with this message.
class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The ConnectionError of a deadline that ran out: the peer did not accept, read or answer in time.
class DeadlineExpired : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

class ByteStream {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  enum class Received {
    kBytes,    // bytes were appended (possibly none: wait again with the same deadline)
    kEof,      // the peer closed the connection or reset it; nothing more will come
    kTimeout,  // nothing arrived before the deadline
  };

  struct Sent {
    std::size_t count = 0;   // bytes the peer accepted
    bool timed_out = false;  // it stopped accepting before the deadline ran out
    std::string error;       // set when sending failed otherwise ("Connection reset by peer")
  };

  virtual ~ByteStream() = default;

  // Sends all of `bytes` unless the deadline runs out or the transport fails first.
  virtual Sent send(std::string_view bytes, Deadline deadline) = 0;
  // Waits for bytes until `deadline` and appends what arrives to `into`.
  virtual Received receive(std::string& into, Deadline deadline) = 0;
  // An orderly close from our side.
  virtual void close() = 0;
  // An abrupt close (RST where the transport has one), as a crashing client would.
  virtual void reset() = 0;
};

}  // namespace mcconform
