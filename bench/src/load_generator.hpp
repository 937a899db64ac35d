// Drives a workload against one server from several threads, each with its own epoll loop.
#pragma once

#include <cstdint>
#include <string>

#include "histogram.hpp"
#include "mcconform/endpoint.hpp"
#include "workload.hpp"

namespace mcconform::bench {

struct LoadResult {
  double seconds = 0;
  std::uint64_t requests = 0;   // replies received (a multi-get is one request)
  std::uint64_t keys_read = 0;  // values returned by gets
  std::uint64_t misses = 0;     // keys asked for and not returned
  std::uint64_t errors = 0;     // replies that were not what the command allows
  std::uint64_t wrong_values = 0;
  std::string first_problem;
  Histogram latency;  // per request, nanoseconds
};

// Stores every key once, pipelined, before the timed run.
LoadResult prefill(const Endpoint& server, const Workload& workload);
// Timed traffic for workload.seconds.
LoadResult run_load(const Endpoint& server, const Workload& workload);
// Set-only writes of `total_bytes` of values over fresh sequential keys.
LoadResult fill(const Endpoint& server, const Workload& workload, std::uint64_t total_bytes);

}  // namespace mcconform::bench
