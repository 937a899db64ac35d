// Bounded waiting for a condition: the one way the harness and the suites poll.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace mcconform {

// Checks `done` until it returns true or `timeout` passes, pausing `interval` between checks.
// Returns whether the condition was met.
template <typename Condition>
bool wait_until(std::chrono::milliseconds timeout, std::chrono::milliseconds interval, Condition&& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(interval, deadline - now));
  }
}

}  // namespace mcconform
