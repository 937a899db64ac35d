// A ByteStream over a non-blocking TCP socket, connected with a deadline.
#pragma once

#include <chrono>
#include <memory>

#include "mcconform/byte_stream.hpp"
#include "mcconform/endpoint.hpp"

namespace mcconform {

class SocketStream final : public ByteStream {
 public:
  // Connects within `timeout`; throws DeadlineExpired when no address answered in time and
  // ConnectionError when the endpoint cannot be resolved or refuses.
  static std::unique_ptr<SocketStream> connect(const Endpoint& endpoint, std::chrono::milliseconds timeout);

  // Takes ownership of a connected non-blocking socket.
  explicit SocketStream(int fd) : fd_(fd) {}
  ~SocketStream() override;
  SocketStream(const SocketStream&) = delete;
  SocketStream& operator=(const SocketStream&) = delete;

  Sent send(std::string_view bytes, Deadline deadline) override;
  Received receive(std::string& into, Deadline deadline) override;
  void close() override;
  void reset() override;

 private:
  int fd_;
};

}  // namespace mcconform
