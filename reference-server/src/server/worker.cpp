// A worker thread: its own epoll loop, its own connections, its own statistics.
#include "server/worker.hpp"

#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <system_error>

namespace mcrefd::server {

Worker::Worker(engine::Engine& engine, const engine::Clock& clock, ServerStats& server, StatsSource& stats_source,
               const std::string& version, WorkerSettings settings)
    : clock_(clock),
      server_(server),
      settings_(settings),
      executor_(engine, clock, stats_, server, stats_source, version) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll/eventfd");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up eventfd: every connection has a slot
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
}

Worker::~Worker() {
  stop();
  connections_.clear();
  {
    std::lock_guard lock(pending_mutex_);
    for (int fd : pending_) ::close(fd);
  }
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void Worker::start() {
  thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
  {
    std::lock_guard lock(pending_mutex_);
    stopping_ = true;
  }
  std::uint64_t one = 1;
  [[maybe_unused]] auto ignored = ::write(wake_fd_, &one, sizeof(one));
  if (thread_.joinable()) thread_.join();
}

void Worker::adopt(int fd) {
  {
    std::lock_guard lock(pending_mutex_);
    pending_.push_back(fd);
  }
  std::uint64_t one = 1;
  [[maybe_unused]] auto ignored = ::write(wake_fd_, &one, sizeof(one));
}

void Worker::take_new_connections() {
  std::uint64_t drained = 0;
  [[maybe_unused]] auto ignored = ::read(wake_fd_, &drained, sizeof(drained));
  std::vector<int> fresh;
  {
    std::lock_guard lock(pending_mutex_);
    fresh.swap(pending_);
  }
  for (int fd : fresh) {
    Slot* slot = nullptr;
    {
      std::lock_guard lock(connections_mutex_);
      slot = &connections_[fd];
      slot->connection = std::make_unique<Connection>(fd, executor_, settings_.limits, clock_.now());
      slot->interest = EPOLLIN | EPOLLRDHUP;
    }
    epoll_event event{};
    event.events = slot->interest;
    event.data.ptr = slot;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      std::lock_guard lock(connections_mutex_);
      connections_.erase(fd);  // the Connection closes the socket
      server_.curr_connections.fetch_sub(1);
    }
  }
}

void Worker::list_connections(std::vector<ConnectionInfo>& out) const {
  std::lock_guard lock(connections_mutex_);
  for (const auto& [fd, slot] : connections_) out.push_back(ConnectionInfo{fd, slot.connection->last_active()});
}

void Worker::close_connection(int fd) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(fd);
  }
  server_.curr_connections.fetch_sub(1);
}

void Worker::update_interest(Slot& slot) {
  // A closing connection only waits to drain its replies; reading more would spin on the FIN. An
  // open one whose replies pile up unread is not read from until they drain.
  const Connection& connection = *slot.connection;
  const bool reading = connection.wants_read();
  const std::uint32_t wanted = (reading ? (EPOLLIN | EPOLLRDHUP) : 0u) | (connection.wants_write() ? EPOLLOUT : 0u);
  if (wanted == slot.interest) return;
  epoll_event event{};
  event.events = wanted;
  event.data.ptr = &slot;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd(), &event);
  slot.interest = wanted;
}

void Worker::close_idle_connections() {
  const engine::RelTime now = clock_.now();
  std::vector<int> idle;
  for (auto& [fd, slot] : connections_) {
    if (!slot.connection->wants_write() && now - slot.connection->last_active() >= settings_.idle_timeout_seconds) {
      idle.push_back(fd);
    }
  }
  for (int fd : idle) close_connection(fd);
}

// A worker that goes to sleep has to be woken by the next request's sender: the kernel sends an
// inter-processor interrupt, which a virtual machine turns into exits on both CPUs, and the request
// waits for the wake-up. In a closed loop the next request usually comes within microseconds, so a
// worker that has just had work looks again for a while before it sleeps. Polling must never take
// the CPU from anyone: it yields between looks, and a yield that let another thread run counts as an
// involuntary switch, so when a poll sees one (a client or another worker shares this CPU) the
// worker stops polling for a while, longer each time, and polls again once a poll ran undisturbed.
int Worker::wait_for_events(epoll_event* events, int max_events, int timeout_ms, bool had_work) {
  using std::chrono::steady_clock;
  if (settings_.poll_microseconds == 0 || !had_work) return epoll_wait(epoll_fd_, events, max_events, timeout_ms);
  const auto now = steady_clock::now();
  if (now < poll_resumes_at_) return epoll_wait(epoll_fd_, events, max_events, timeout_ms);
  const long switches_before = switches().involuntary;
  const auto until = now + std::chrono::microseconds(settings_.poll_microseconds);
  int n = epoll_wait(epoll_fd_, events, max_events, 0);
  while (n == 0 && steady_clock::now() < until) {
    sched_yield();
    n = epoll_wait(epoll_fd_, events, max_events, 0);
  }
  if (switches().involuntary != switches_before) {
    poll_backoff_ = std::clamp(poll_backoff_ * 2, kMinPollBackoff, kMaxPollBackoff);
    poll_resumes_at_ = steady_clock::now() + poll_backoff_;
  } else {
    poll_backoff_ = std::chrono::milliseconds(0);
  }
  return n != 0 ? n : epoll_wait(epoll_fd_, events, max_events, timeout_ms);
}

// A worker with requests on every look never sleeps, and the fair scheduler preempts a running
// thread only on its tick (4 ms at HZ=250) or when a sleeping thread is woken onto its CPU: a
// thread that is ready but waits for this CPU (another worker, a client on the same machine) waits
// up to a tick, and so does every request queued on it. With two workers and two load threads on two CPUs that put 1%
// of the requests 4-8 ms late. So every yield_us a busy worker looks whether it left its CPU since the last look
// (slept, or was preempted); if it did not, it offers the CPU. The look comes after a whole batch of events, so
// yield_us is the least time between looks. With nobody waiting sched_yield returns at once; at most two getrusage
// calls and one yield per yield_us bound the cost. A yield that lets another thread run counts as an involuntary switch
// (bench's figure).
void Worker::give_way_if_busy_long() {
  if (settings_.yield_microseconds == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_look_ < std::chrono::microseconds(settings_.yield_microseconds)) return;
  last_look_ = now;
  long seen = switches().total();
  if (seen == switches_at_last_look_) {
    sched_yield();
    seen = switches().total();  // a yield that let someone run is not a reason to skip the next
  }
  switches_at_last_look_ = seen;
}

Worker::Switches Worker::switches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return {usage.ru_nvcsw, usage.ru_nivcsw};
}

void Worker::run() {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  const int timeout_ms = settings_.idle_timeout_seconds > 0 ? 1000 : -1;
  bool had_work = false;
  while (true) {
    const int n = wait_for_events(events, kMaxEvents, timeout_ms, had_work);
    had_work = n > 0;
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      // epoll reports a socket at most once per wait, and only the event's own connection is closed
      // in this loop, so no slot is freed before its event is handled.
      auto* slot = static_cast<Slot*>(events[i].data.ptr);
      if (slot == nullptr) {
        {
          std::lock_guard lock(pending_mutex_);
          if (stopping_) return;
        }
        take_new_connections();
        continue;
      }
      Connection& connection = *slot->connection;
      if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        connection.on_readable(stats_, clock_.now());
      }
      if ((events[i].events & EPOLLOUT) && connection.state() != Connection::State::kClosed) {
        connection.on_writable(stats_);
      }
      if (connection.state() == Connection::State::kClosed) {
        close_connection(connection.fd());
      } else {
        update_interest(*slot);
      }
    }
    if (settings_.idle_timeout_seconds > 0) close_idle_connections();
    if (had_work) give_way_if_busy_long();
  }
}

}  // namespace mcrefd::server
