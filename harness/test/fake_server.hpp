// A scripted one-connection-at-a-time TCP server on loopback, for testing the harness itself.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "mcconform/endpoint.hpp"

namespace mcconform::testing_support {

class FakeServer {
 public:
  // Called with each chunk a client sends and the socket; returns false to hang up.
  using Behaviour = std::function<bool(int fd, const std::string& received)>;

  explicit FakeServer(Behaviour behaviour);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  Endpoint endpoint() const { return {"127.0.0.1", port_}; }

  static void write_all(int fd, const std::string& bytes);

 private:
  void serve();

  Behaviour behaviour_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace mcconform::testing_support
