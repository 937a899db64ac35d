// Drives a workload against one server from several threads, each with its own epoll loop.
#include "load_generator.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "mcconform/connection.hpp"
#include "placement.hpp"

namespace mcconform::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count());
}

int connect_to(const Endpoint& server) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(server.host.c_str(), std::to_string(server.port).c_str(), &hints, &found) != 0) return -1;
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool ok = fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  freeaddrinfo(found);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

// xorshift64*: a generator far cheaper than mt19937_64, and random enough to pick keys.
class FastRandom {
 public:
  using result_type = std::uint64_t;
  explicit FastRandom(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull | 1) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }

 private:
  std::uint64_t state_;
};

// Picks keys uniformly, or with a Zipf (s = 1) skew through a shared cumulative table.
class KeyPicker {
 public:
  KeyPicker(std::size_t keys, bool zipf) : keys_(keys) {
    if (!zipf) return;
    cdf_.resize(keys);
    double sum = 0;
    for (std::size_t i = 0; i < keys; ++i) cdf_[i] = (sum += 1.0 / static_cast<double>(i + 1));
    for (double& c : cdf_) c /= sum;
  }
  std::size_t pick(FastRandom& random) const {
    if (cdf_.empty()) return random() % keys_;
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    return static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::size_t keys_;
  std::vector<double> cdf_;
};

// One request of a batch; its keys live in the connection's `keys`, reused batch after batch so
// the generator allocates nothing per request.
struct Request {
  bool get = false;
  std::uint32_t first_key = 0;
  std::uint32_t key_count = 0;
  std::uint32_t hits = 0;
  std::uint64_t sent_ns = 0;
};

void append_key(std::string& out, std::uint32_t index) {
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), index);
  out += "bench:";
  out.append(digits, static_cast<std::size_t>(end - digits));
}

struct LoadConnection {
  int fd = -1;
  std::string out;
  std::size_t out_sent = 0;
  std::string in;
  std::size_t in_pos = 0;
  std::vector<Request> pending;  // this batch, answered in order from `next`
  std::size_t next = 0;
  std::vector<std::uint32_t> keys;
  std::uint32_t interest = 0;  // the epoll events registered, so an unchanged one costs no epoll_ctl
  bool idle() const { return next == pending.size(); }
  ~LoadConnection() {
    if (fd >= 0) ::close(fd);
  }
};

class Worker {
 public:
  Worker(const Endpoint& server, const Workload& workload, const KeyPicker& picker, std::size_t connections,
         std::uint64_t seed)
      : workload_(workload),
        picker_(picker),
        random_(seed),
        set_suffix_(workload.meta ? fmt::format(" {}\r\n", workload.value_size)
                                  : fmt::format(" 0 0 {}\r\n", workload.value_size)),
        stored_(workload.meta ? "HD" : "STORED"),
        end_(workload.meta ? (workload.multiget > 1 ? "MN" : "EN") : "END"),
        value_prefix_(workload.meta ? "VA " : "VALUE bench:") {
    get_threshold_ = workload.get_ratio >= 1.0
                         ? ~std::uint64_t{0}
                         : static_cast<std::uint64_t>(workload.get_ratio * 18446744073709551616.0);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    for (std::size_t i = 0; i < connections; ++i) {
      auto c = std::make_unique<LoadConnection>();
      c->fd = connect_to(server);
      if (c->fd < 0) {
        problem(fmt::format("cannot connect to {}", server.to_string()));
        continue;
      }
      const int flags = fcntl(c->fd, F_GETFL);
      fcntl(c->fd, F_SETFL, flags | O_NONBLOCK);
      epoll_event event{};
      event.events = c->interest = EPOLLIN;
      event.data.ptr = c.get();
      epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &event);
      connections_.push_back(std::move(c));
    }
  }
  ~Worker() { ::close(epoll_); }

  void run(std::uint64_t deadline_ns) {
    if (!pin_this_thread(workload_.client_cpus)) {
      problem(fmt::format("cannot pin a load thread to CPUs {}: {}", format_cpu_list(workload_.client_cpus),
                          std::strerror(errno)));
    }
    for (auto& c : connections_) issue_batch(*c);
    epoll_event events[64];
    while (now_ns() < deadline_ns && result.errors == 0) {
      const int n = epoll_wait(epoll_, events, 64, 50);
      for (int i = 0; i < n; ++i) {
        auto* c = static_cast<LoadConnection*>(events[i].data.ptr);
        if (events[i].events & EPOLLOUT) flush(*c);
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) receive(*c, deadline_ns);
      }
    }
  }

  LoadResult result;

 private:
  void problem(const std::string& what) {
    ++result.errors;
    if (result.first_problem.empty()) result.first_problem = what;
  }

  void issue_batch(LoadConnection& c) {
    const std::uint64_t sent = now_ns();
    c.pending.clear();
    c.next = 0;
    c.keys.clear();
    for (std::size_t r = 0; r < workload_.pipeline; ++r) {
      Request request;
      request.sent_ns = sent;
      request.first_key = static_cast<std::uint32_t>(c.keys.size());
      request.get = random_() < get_threshold_;
      if (request.get && workload_.meta) {
        // One key: mg <key> k v, answered by VA or EN. Several: mg <key> k v q each (a miss says
        // nothing), then mn, whose MN ends the reply.
        const bool quiet = workload_.multiget > 1;
        for (std::size_t k = 0; k < workload_.multiget; ++k) {
          const auto index = static_cast<std::uint32_t>(picker_.pick(random_));
          c.keys.push_back(index);
          c.out += "mg ";
          append_key(c.out, index);
          c.out += quiet ? " k v q\r\n" : " k v\r\n";
        }
        if (quiet) c.out += "mn\r\n";
      } else if (request.get) {
        c.out += "get";
        for (std::size_t k = 0; k < workload_.multiget; ++k) {
          const auto index = static_cast<std::uint32_t>(picker_.pick(random_));
          c.keys.push_back(index);
          c.out += ' ';
          append_key(c.out, index);
        }
        c.out += "\r\n";
      } else {
        const auto index = static_cast<std::uint32_t>(picker_.pick(random_));
        c.keys.push_back(index);
        c.out += workload_.meta ? "ms " : "set ";
        append_key(c.out, index);
        c.out += set_suffix_;
        c.out += expected_value(index, workload_.value_size);
        c.out += "\r\n";
      }
      request.key_count = static_cast<std::uint32_t>(c.keys.size()) - request.first_key;
      c.pending.push_back(request);
    }
    flush(c);
  }

  void flush(LoadConnection& c) {
    while (c.out_sent < c.out.size()) {
      const ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EAGAIN) {
        break;
      } else {
        problem("send failed: " + std::string(std::strerror(errno)));
        return;
      }
    }
    const bool more = c.out_sent < c.out.size();
    if (!more) {
      c.out.clear();
      c.out_sent = 0;
    }
    // The generator must cost less per request than the servers it measures, or it sets the pace
    // of a closed loop itself: a request that was sent whole changes nothing in epoll.
    const std::uint32_t wanted = EPOLLIN | (more ? EPOLLOUT : 0u);
    if (wanted == c.interest) return;
    epoll_event event{};
    event.events = c.interest = wanted;
    event.data.ptr = &c;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &event);
  }

  void receive(LoadConnection& c, std::uint64_t deadline_ns) {
    char buffer[65536];
    while (true) {
      const ssize_t n = ::recv(c.fd, buffer, sizeof(buffer), 0);
      if (n > 0) {
        c.in.append(buffer, static_cast<std::size_t>(n));
        // A short read took all there was; epoll (level-triggered) reports anything that comes
        // later, so a second recv that would only say EAGAIN is saved.
        if (static_cast<std::size_t>(n) < sizeof(buffer)) break;
        continue;
      }
      if (n == 0) problem("the server closed a connection");
      if (n < 0 && errno != EAGAIN) problem("recv failed: " + std::string(std::strerror(errno)));
      break;
    }
    // Replies that arrived in one read share one timestamp: a clock read per reply would cost the
    // generator more than some servers spend answering.
    parse(c, now_ns());
    if (c.in_pos > 0 && c.in_pos == c.in.size()) {
      c.in.clear();
      c.in_pos = 0;
    }
    if (c.idle() && now_ns() < deadline_ns && result.errors == 0) issue_batch(c);
  }

  // Consumes complete replies for the oldest pending requests.
  void parse(LoadConnection& c, std::uint64_t arrived_ns) {
    while (!c.idle()) {
      Request& request = c.pending[c.next];
      const auto line_end = c.in.find("\r\n", c.in_pos);
      if (line_end == std::string::npos) return;
      const std::string_view line(c.in.data() + c.in_pos, line_end - c.in_pos);
      if (!request.get) {
        if (line != stored_) problem(fmt::format("set answered '{}'", line));
        c.in_pos = line_end + 2;
        complete(c, arrived_ns);
        continue;
      }
      if (line == end_) {
        result.misses += request.key_count - request.hits;
        c.in_pos = line_end + 2;
        complete(c, arrived_ns);
        continue;
      }
      // VALUE bench:<index> <flags> <bytes>, or VA <bytes> kbench:<index>
      if (!line.starts_with(value_prefix_)) {
        problem(fmt::format("get answered '{}'", line.substr(0, 80)));
        c.in_pos = line_end + 2;
        complete(c, arrived_ns);
        continue;
      }
      std::uint32_t index = 0;
      std::size_t bytes = 0;
      const bool well_formed = workload_.meta ? parse_va(line, bytes, index) : parse_value(line, bytes, index);
      if (c.in.size() < line_end + 2 + bytes + 2) return;  // the value is still arriving
      const std::string_view data(c.in.data() + line_end + 2, bytes);
      const auto first = c.keys.begin() + request.first_key;
      const bool asked = std::find(first, first + request.key_count, index) != first + request.key_count;
      if (!well_formed || !asked || data != expected_value(index, workload_.value_size)) {
        ++result.wrong_values;
        if (result.first_problem.empty()) {
          result.first_problem = fmt::format("wrong value for {} ({} bytes)", key_name(index), bytes);
        }
      }
      ++request.hits;
      ++result.keys_read;
      c.in_pos = line_end + 2 + bytes + 2;
      // A one-key mg ends with its VA; a get and a quiet multi-key mg end with END or MN.
      if (workload_.meta && workload_.multiget == 1) complete(c, arrived_ns);
    }
  }

  // VALUE bench:<index> <flags> <bytes>
  static bool parse_value(std::string_view line, std::size_t& bytes, std::uint32_t& index) {
    const std::string_view rest = line.substr(12);
    auto [after_key, ec1] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    const std::string_view tail(after_key, static_cast<std::size_t>(rest.data() + rest.size() - after_key));
    const auto last_space = tail.rfind(' ');
    if (last_space == std::string_view::npos) return false;
    const auto [end, ec2] = std::from_chars(tail.data() + last_space + 1, tail.data() + tail.size(), bytes);
    return ec1 == std::errc{} && ec2 == std::errc{};
  }

  // VA <bytes> kbench:<index>
  static bool parse_va(std::string_view line, std::size_t& bytes, std::uint32_t& index) {
    const std::string_view rest = line.substr(3);
    const auto [after_bytes, ec1] = std::from_chars(rest.data(), rest.data() + rest.size(), bytes);
    const std::string_view tail(after_bytes, static_cast<std::size_t>(rest.data() + rest.size() - after_bytes));
    if (!tail.starts_with(" kbench:")) return false;
    const auto [end, ec2] = std::from_chars(tail.data() + 8, tail.data() + tail.size(), index);
    return ec1 == std::errc{} && ec2 == std::errc{} && end == tail.data() + tail.size();
  }

  void complete(LoadConnection& c, std::uint64_t arrived_ns) {
    result.latency.record(arrived_ns - c.pending[c.next].sent_ns);
    ++result.requests;
    ++c.next;
  }

  const Workload& workload_;
  const KeyPicker& picker_;
  FastRandom random_;
  // A request is a get when a random 64-bit number falls below this.
  std::uint64_t get_threshold_ = 0;
  std::string set_suffix_;  // " 0 0 <bytes>\r\n", or " <bytes>\r\n" for ms
  // The lines that answer a store, end a retrieval, and start a value, in the chosen protocol.
  std::string_view stored_, end_, value_prefix_;
  int epoll_ = -1;
  std::vector<std::unique_ptr<LoadConnection>> connections_;
};

void add(LoadResult& total, const LoadResult& part) {
  total.requests += part.requests;
  total.keys_read += part.keys_read;
  total.misses += part.misses;
  total.errors += part.errors;
  total.wrong_values += part.wrong_values;
  if (total.first_problem.empty()) total.first_problem = part.first_problem;
  total.latency.merge(part.latency);
}

// Writes keys [first, last) with pipelined sets and checks every STORED.
void write_keys(const Endpoint& server, std::size_t first, std::size_t last, std::size_t value_size, LoadResult& out) {
  Connection c(server, std::chrono::seconds(10));
  std::string value(value_size, '\0');
  constexpr std::size_t kBatch = 64;
  for (std::size_t from = first; from < last && out.errors == 0; from += kBatch) {
    std::string batch;
    const std::size_t to = std::min(last, from + kBatch);
    for (std::size_t i = from; i < to; ++i) {
      const std::size_t index = i;
      fill_value(index, value.data(), value.size());
      batch += fmt::format("set {} 0 0 {}\r\n", key_name(index), value.size());
      batch += value;
      batch += "\r\n";
    }
    c.send(batch);
    for (std::size_t i = from; i < to; ++i) {
      const std::string reply = c.read_until("\r\n");
      ++out.requests;
      if (reply != "STORED\r\n") {
        ++out.errors;
        if (out.first_problem.empty()) out.first_problem = "set answered " + reply.substr(0, 80);
      }
    }
  }
}

}  // namespace

LoadResult prefill(const Endpoint& server, const Workload& workload) {
  LoadResult result;
  const auto start = SteadyClock::now();
  write_keys(server, 0, workload.keys, workload.value_size, result);
  result.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return result;
}

LoadResult fill(const Endpoint& server, const Workload& workload, std::uint64_t total_bytes) {
  LoadResult result;
  const auto start = SteadyClock::now();
  const std::size_t keys = static_cast<std::size_t>(total_bytes / std::max<std::size_t>(1, workload.value_size)) + 1;
  // Several writers, as a loading application would have.
  const std::size_t writers = std::max<std::size_t>(1, std::min<std::size_t>(workload.threads, 8));
  std::vector<LoadResult> parts(writers);
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      pin_this_thread(workload.client_cpus);  // as the timed runs are placed; a refusal shows there
      try {
        write_keys(server, keys * w / writers, keys * (w + 1) / writers, workload.value_size, parts[w]);
      } catch (const std::exception& e) {
        ++parts[w].errors;
        parts[w].first_problem = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& part : parts) add(result, part);
  result.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return result;
}

LoadResult run_load(const Endpoint& server, const Workload& workload) {
  const KeyPicker picker(workload.keys, workload.zipf);
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t t = 0; t < workload.threads; ++t) {
    const std::size_t connections =
        workload.connections * (t + 1) / workload.threads - workload.connections * t / workload.threads;
    workers.push_back(std::make_unique<Worker>(server, workload, picker, connections, 0x5eed + t));
  }
  const auto start = SteadyClock::now();
  const std::uint64_t deadline = now_ns() + static_cast<std::uint64_t>(workload.seconds * 1e9);
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w, deadline] { w->run(deadline); });
  for (auto& t : threads) t.join();
  LoadResult total;
  total.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  for (auto& w : workers) add(total, w->result);
  return total;
}

}  // namespace mcconform::bench
