// The server: listening sockets, the accept loop, the workers, and shutdown on a signal.
#include "server/server.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace mcrefd::server {
namespace {

std::runtime_error socket_error(const std::string& what) {
  return std::runtime_error(fmt::format("{}: {}", what, std::strerror(errno)));
}

int listen_on(const std::string& address, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port < 0 ? 0 : port);
  const char* host = address.empty() || address == "*" ? nullptr : address.c_str();
  if (int rc = getaddrinfo(host, service.c_str(), &hints, &found); rc != 0) {
    throw std::runtime_error(fmt::format("cannot resolve listen address '{}': {}", address, gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  const int fd = socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw socket_error("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
    ::close(fd);
    throw socket_error(fmt::format("failed to listen on {} port {}", address, service));
  }
  if (listen(fd, 1024) != 0) {
    ::close(fd);
    throw socket_error("listen");
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace

Server::Server(Config config, engine::Engine& engine, const engine::Clock& clock)
    : config_(std::move(config)), engine_(engine), clock_(clock) {
  WorkerSettings settings;
  settings.limits.item_size_max = config_.item_size_max;
  settings.limits.protocols = config_.protocols;
  settings.idle_timeout_seconds = config_.idle_timeout_seconds;
  settings.poll_microseconds = config_.poll_microseconds;
  settings.yield_microseconds = config_.yield_microseconds;
  for (int i = 0; i < config_.threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(engine_, clock_, stats_, *this, kVersion, settings));
  }
  stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Server::~Server() {
  for (int fd : listen_fds_) ::close(fd);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  if (signal_fd_ >= 0) ::close(signal_fd_);
}

int Server::bind_listeners() {
  for (const std::string& address : config_.listen_addresses) {
    // With -p -1 every address shares the port the first one was given.
    const int port = listen_fds_.empty() ? config_.port : bound_port(listen_fds_.front());
    listen_fds_.push_back(listen_on(address, port));
  }
  const int port = bound_port(listen_fds_.front());
  port_ = port;
  write_port_file(port);
  return port;
}

// Like memcached: write "TCP INET: <port>" to a temporary file, then rename it into place, so a
// reader never sees a half-written file.
void Server::write_port_file(int port) const {
  const char* path = std::getenv("MEMCACHED_PORT_FILENAME");
  if (path == nullptr || *path == '\0') return;
  const std::string temporary = std::string(path) + ".lck";
  std::FILE* file = std::fopen(temporary.c_str(), "a");
  if (file == nullptr) throw socket_error(fmt::format("cannot write port file {}", temporary));
  fmt::print(file, "TCP INET: {}\n", port);
  std::fclose(file);
  if (std::rename(temporary.c_str(), path) != 0) throw socket_error(fmt::format("cannot rename {}", temporary));
}

void Server::request_stop() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto ignored = ::write(stop_fd_, &one, sizeof(one));
}

void Server::run() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  signal_fd_ = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);

  for (auto& worker : workers_) worker->start();

  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  auto watch = [epoll_fd](int fd) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
  };
  for (int fd : listen_fds_) watch(fd);
  watch(stop_fd_);
  if (signal_fd_ >= 0) watch(signal_fd_);

  bool running = true;
  while (running) {
    epoll_event events[16];
    const int n = epoll_wait(epoll_fd, events, 16, -1);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == stop_fd_ || fd == signal_fd_) {
        running = false;
      } else {
        accept_ready(fd);
      }
    }
  }
  ::close(epoll_fd);
  for (auto& worker : workers_) worker->stop();
}

void Server::accept_ready(int listen_fd) {
  while (true) {
    const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN, or out of descriptors: try again on the next wake-up
    }
    if (stats_.curr_connections.load() >= config_.max_connections) {
      // memcached's answer when it is full: one error line, then the door.
      static constexpr char kFull[] = "ERROR Too many open connections\r\n";
      [[maybe_unused]] auto ignored = ::send(fd, kFull, sizeof(kFull) - 1, MSG_NOSIGNAL);
      ::close(fd);
      stats_.rejected_connections.fetch_add(1);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    stats_.curr_connections.fetch_add(1);
    stats_.total_connections.fetch_add(1);
    workers_[next_worker_]->adopt(fd);
    next_worker_ = (next_worker_ + 1) % workers_.size();
  }
}

void Server::write_stats(std::string& out) const {
  StatsContext context;
  context.pid = getpid();
  context.uptime = clock_.now() - engine::SystemClock::kUptimeOffset;
  context.unix_time = clock_.unix_now();
  context.version = kVersion;
  context.max_connections = config_.max_connections;
  context.threads = static_cast<std::uint64_t>(config_.threads);
  context.item_size_max = config_.item_size_max;
  std::vector<const ThreadStats*> threads;
  for (const auto& worker : workers_) threads.push_back(&worker->stats());
  write_general_stats(out, context, stats_, threads, engine_.stats());
}

void Server::reset_stats() {
  for (auto& worker : workers_) worker->stats().reset();
  stats_.total_connections.store(stats_.curr_connections.load());
  stats_.rejected_connections.store(0);
}

// memcached's `stats settings` lines, in its order, with what mcrefd actually runs with. Settings
// of parts mcrefd does not have (slab mover, LRU crawler, extstore) report memcached's defaults
// or what a client set with the admin commands.
void Server::write_settings(std::string& out) const {
  auto stat = [&](std::string_view name, const auto& value) {
    fmt::format_to(std::back_inserter(out), "STAT {} {}\r\n", name, value);
  };
  std::string interfaces;
  for (const std::string& address : config_.listen_addresses) {
    if (!interfaces.empty()) interfaces += ',';
    interfaces += address;
  }
  stat("maxbytes", static_cast<std::uint64_t>(config_.memory_limit_mb) * 1024 * 1024);
  stat("maxconns", config_.max_connections);
  stat("tcpport", port_);
  stat("udpport", 0);
  stat("inter", interfaces.empty() ? std::string("NULL") : interfaces);
  stat("verbosity", stats_.verbosity.load());
  stat("oldest", engine_.stats().oldest_live);
  stat("evictions", "on");
  stat("domain_socket", "NULL");
  stat("umask", 700);
  stat("shutdown_command", "no");
  stat("growth_factor", "1.25");
  stat("chunk_size", 48);
  stat("num_threads", config_.threads);
  stat("num_threads_per_udp", config_.threads);
  stat("stat_key_prefix", ':');
  stat("detail_enabled", stats_.detail_enabled.load() ? "yes" : "no");
  stat("reqs_per_event", 20);
  stat("cas_enabled", "yes");
  stat("tcp_backlog", 1024);
  stat("binding_protocol", config_.protocols == protocol::Protocols::kBinary ? "binary"
                           : config_.protocols == protocol::Protocols::kText ? "ascii"
                                                                             : "auto-negotiate");
  stat("auth_enabled_sasl", "no");
  stat("auth_enabled_ascii", "no");
  stat("item_size_max", config_.item_size_max);
  stat("maxconns_fast", "yes");
  stat("hashpower_init", 0);
  stat("slab_reassign", "yes");
  stat("slab_automove", stats_.slab_automove.load());
  stat("slab_automove_ratio", "0.80");
  stat("slab_automove_window", 10);
  stat("slab_chunk_max", config_.item_size_max / 2);
  stat("lru_crawler", stats_.lru_crawler.load() ? "yes" : "no");
  stat("lru_crawler_sleep", stats_.lru_crawler_sleep.load());
  stat("lru_crawler_tocrawl", stats_.lru_crawler_tocrawl.load());
  stat("tail_repair_time", 0);
  stat("flush_enabled", "yes");
  stat("dump_enabled", "yes");
  stat("hash_algorithm", "std_hash");  // mcrefd's shards hash with the standard library
  stat("lru_maintainer_thread", "no");
  stat("lru_segmented", "no");  // one LRU per shard, no hot/warm/cold
  stat("hot_lru_pct", 20);
  stat("warm_lru_pct", 40);
  stat("hot_max_factor", "0.20");
  stat("warm_max_factor", "2.00");
  stat("temp_lru", "no");
  stat("temporary_ttl", 61);
  stat("idle_timeout", config_.idle_timeout_seconds);
  stat("watcher_logbuf_size", 262144);
  stat("worker_logbuf_size", 65536);
  stat("read_buf_mem_limit", 0);
  stat("track_sizes", "no");
  stat("inline_ascii_response", "no");
  stat("num_napi_ids", "(null)");
  stat("memory_file", "(null)");
  stat("client_flags_size", 4);
  out += "END\r\n";
}

namespace {

// "tcp:127.0.0.1:11211", as memcached names a socket's address.
std::string socket_address(int fd, bool peer) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
                      : getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (rc != 0) return "unknown";
  char host[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
    return fmt::format("tcp6:[{}]:{}", host, ntohs(v6->sin6_port));
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
  inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
  return fmt::format("tcp:{}:{}", host, ntohs(v4->sin_port));
}

}  // namespace

void Server::write_conns(std::string& out, int self) const {
  const engine::RelTime now = clock_.now();
  std::vector<Worker::ConnectionInfo> connections;
  for (const auto& worker : workers_) worker->list_connections(connections);
  // Listening sockets first when their descriptors are lower, as memcached lists by descriptor.
  struct Entry {
    int fd;
    bool listening;
    engine::RelTime idle;
  };
  std::vector<Entry> entries;
  for (int fd : listen_fds_) entries.push_back(Entry{fd, true, now - engine::SystemClock::kStartOffset});
  for (const auto& c : connections) entries.push_back(Entry{c.fd, false, now - c.last_active});
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.fd < b.fd; });
  for (const Entry& e : entries) {
    if (e.listening) {
      out += fmt::format("STAT {0}:addr {1}\r\nSTAT {0}:state conn_listening\r\n", e.fd, socket_address(e.fd, false));
    } else {
      out += fmt::format("STAT {0}:addr {1}\r\nSTAT {0}:listen_addr {2}\r\nSTAT {0}:state {3}\r\n", e.fd,
                         socket_address(e.fd, true), socket_address(e.fd, false),
                         e.fd == self ? "conn_parse_cmd" : "conn_read");
    }
    out += fmt::format("STAT {}:secs_since_last_cmd {}\r\n", e.fd, e.fd == self ? 0 : e.idle);
  }
  out += "END\r\n";
}

}  // namespace mcrefd::server
