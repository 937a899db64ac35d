// The listening side every fake server shares: a loopback port announced on stdout, one thread per client.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstdio>
#include <thread>
#include <utility>

namespace mcconform::testing_support {

// Listens on 127.0.0.1:`port` (0: a free one) and prints the port on a line of its own, which the
// check scripts read; -1 when the socket cannot be had.
inline int listen_and_announce(std::uint16_t port = 0) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return -1;
  }
  std::printf("%d\n", ntohs(address.sin_port));
  std::fflush(stdout);
  return fd;
}

// Accepts for ever, each client served by `serve(client_fd)` on a thread of its own.
template <class Serve>
[[noreturn]] void serve_forever(int listener, Serve serve) {
  while (true) {
    const int client = accept(listener, nullptr, nullptr);
    if (client < 0) continue;
    std::thread(serve, client).detach();
  }
}

}  // namespace mcconform::testing_support
