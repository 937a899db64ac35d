// Server time in whole seconds, injected so that expiry can be tested without sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stop_token>
#include <thread>

namespace mcrefd::engine {

// Seconds since the server's epoch, as memcached's rel_time_t.
using RelTime = std::uint32_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual RelTime now() const = 0;
  // The unix time at which now() was 0.
  virtual std::int64_t epoch_unix() const = 0;

  std::int64_t unix_now() const { return epoch_unix() + now(); }
};

// Wall-clock seconds since start, read on every request: a background thread refreshes it ten
// times a second, so reading it costs one load. Like memcached it starts at 62 (its item update
// interval plus 2), so that "already expired" (1) is always in the past and the unsigned
// arithmetic memcached shows in meta replies (`t` of an expired TTL) comes out the same.
class SystemClock final : public Clock {
 public:
  static constexpr RelTime kStartOffset = 62;
  // memcached's `uptime` is its clock less this.
  static constexpr RelTime kUptimeOffset = 60;

  SystemClock()
      : start_(std::chrono::steady_clock::now()),
        epoch_unix_(
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count() -
            kStartOffset),
        now_(kStartOffset),
        ticker_([this](std::stop_token stop) {
          while (!stop.stop_requested()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            now_.store(measure(), std::memory_order_relaxed);
          }
        }) {}

  RelTime now() const override { return now_.load(std::memory_order_relaxed); }
  std::int64_t epoch_unix() const override { return epoch_unix_; }

 private:
  RelTime measure() const {
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_);
    return static_cast<RelTime>(elapsed.count()) + kStartOffset;
  }

  std::chrono::steady_clock::time_point start_;
  std::int64_t epoch_unix_;
  std::atomic<RelTime> now_;
  std::jthread ticker_;  // last member: it reads the others
};

// A clock that moves only when told to; for unit tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(RelTime start = 100, std::int64_t epoch_unix = 1'700'000'000)
      : now_(start), epoch_unix_(epoch_unix) {}
  RelTime now() const override { return now_.load(); }
  std::int64_t epoch_unix() const override { return epoch_unix_; }
  void advance(RelTime seconds) { now_ += seconds; }

 private:
  std::atomic<RelTime> now_;
  std::int64_t epoch_unix_;
};

}  // namespace mcrefd::engine
