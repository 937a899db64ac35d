// A ByteStream over a non-blocking TCP socket, connected with a deadline.
#include "mcconform/socket_stream.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace mcconform {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

std::unique_ptr<SocketStream> SocketStream::connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw ConnectionError(fmt::format("cannot resolve {}: {}", endpoint.to_string(), gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  const auto deadline = Clock::now() + timeout;
  std::string last_error = "no address";
  bool timed_out = false;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last_error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    pollfd p{fd, POLLOUT, 0};
    const int ready = poll(&p, 1, remaining_ms(deadline));
    int error = 0;
    socklen_t length = sizeof(error);
    if (ready == 1) getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (ready == 1 && error == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      return std::make_unique<SocketStream>(fd);
    }
    timed_out = ready == 0;
    last_error = timed_out ? fmt::format("no answer within {} ms", timeout.count()) : std::strerror(error);
    ::close(fd);
  }
  const std::string message = fmt::format("cannot connect to {}: {}", endpoint.to_string(), last_error);
  if (timed_out) throw DeadlineExpired(message);
  throw ConnectionError(message);
}

SocketStream::~SocketStream() { close(); }

ByteStream::Sent SocketStream::send(std::string_view bytes, Deadline deadline) {
  Sent sent;
  while (sent.count < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent.count, bytes.size() - sent.count, MSG_NOSIGNAL);
    if (n > 0) {
      sent.count += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      if (poll(&p, 1, remaining_ms(deadline)) <= 0) {
        sent.timed_out = true;
        return sent;
      }
      continue;
    }
    sent.error = std::strerror(errno);
    return sent;
  }
  return sent;
}

ByteStream::Received SocketStream::receive(std::string& into, Deadline deadline) {
  if (fd_ < 0) return Received::kEof;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, remaining_ms(deadline)) <= 0) return Received::kTimeout;
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
  if (n > 0) {
    into.append(chunk, static_cast<std::size_t>(n));
    return Received::kBytes;
  }
  // Readable but nothing to read (a signal, a spurious wake-up): the caller waits again.
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return Received::kBytes;
  return Received::kEof;
}

void SocketStream::close() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
}

void SocketStream::reset() {
  if (fd_ < 0) return;
  linger hard{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
  close();
}

}  // namespace mcconform
