// A deliberately badly behaved client: non-blocking, never waits for the server, may abandon,
// half-close or reset its connection at any byte. Only the hostile scenarios use it.
#include "raw_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "mcconform/connection.hpp"

namespace mcconform::suites {
namespace {

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

RawClient::RawClient(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw ConnectionError(fmt::format("socket(): {}", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(endpoint.port));
  if (::inet_pton(AF_INET, endpoint.host == "localhost" ? "127.0.0.1" : endpoint.host.c_str(), &address.sin_addr) !=
      1) {
    ::close(fd_);
    throw ConnectionError(fmt::format("hostile clients need an IPv4 address, not '{}'", endpoint.host));
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 && errno != EINPROGRESS) {
    const int error = errno;
    ::close(fd_);
    throw ConnectionError(fmt::format("connect to {}: {}", endpoint.to_string(), std::strerror(error)));
  }
  pollfd p{fd_, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof(error);
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
      ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    ::close(fd_);
    throw ConnectionError(fmt::format("connect to {} did not complete within {} ms{}", endpoint.to_string(),
                                      timeout.count(), error ? fmt::format(": {}", std::strerror(error)) : ""));
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

RawClient::RawClient(RawClient&& other) noexcept : fd_(other.fd_), closed_(other.closed_) { other.fd_ = -1; }

std::size_t RawClient::offer(std::string_view bytes, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::size_t sent = 0;
  while (sent < bytes.size() && !closed_) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      const int wait = remaining_ms(deadline);
      if (wait == 0 || ::poll(&p, 1, wait) <= 0) break;
      continue;
    }
    closed_ = true;  // EPIPE or ECONNRESET: the server hung up on us
  }
  return sent;
}

std::string RawClient::drain() {
  std::string out;
  char chunk[65536];
  while (!closed_) {
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      out.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    closed_ = true;
  }
  return out;
}

std::string RawClient::receive(std::size_t n, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::string out = drain();
  while (out.size() < n && !closed_) {
    pollfd p{fd_, POLLIN, 0};
    const int wait = remaining_ms(deadline);
    if (wait == 0 || ::poll(&p, 1, wait) <= 0) break;
    out += drain();
  }
  return out;
}

void RawClient::half_close() { ::shutdown(fd_, SHUT_WR); }

void RawClient::reset() {
  linger hard{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
  ::close(fd_);
  fd_ = -1;
  closed_ = true;
}

}  // namespace mcconform::suites
