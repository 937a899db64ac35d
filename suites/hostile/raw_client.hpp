// A deliberately badly behaved client: non-blocking, never waits for the server, may abandon,
// half-close or reset its connection at any byte. Only the hostile scenarios use it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "mcconform/endpoint.hpp"

namespace mcconform::suites {

class RawClient {
 public:
  // Connects within `timeout`; throws ConnectionError when the server does not accept.
  RawClient(const Endpoint& endpoint, std::chrono::milliseconds timeout);
  ~RawClient();
  RawClient(RawClient&& other) noexcept;
  RawClient& operator=(RawClient&&) = delete;
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // Writes as much of `bytes` as the server takes within `patience`, never more; returns how many
  // bytes it took. A server that stops reading from a greedy client is doing its job.
  std::size_t offer(std::string_view bytes, std::chrono::milliseconds patience);
  // Whatever has arrived, without waiting; "closed" is set when the server hung up.
  std::string drain();
  // Waits up to `patience` for `n` bytes in all; returns what arrived, perhaps fewer.
  std::string receive(std::size_t n, std::chrono::milliseconds patience);
  bool closed() const { return closed_; }
  // FIN: "I will send no more", the read side stays open.
  void half_close();
  // RST: the connection vanishes, as when a client crashes.
  void reset();

 private:
  int fd_ = -1;
  bool closed_ = false;
};

}  // namespace mcconform::suites
