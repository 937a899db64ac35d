// K connections issue random operations on a few keys at once and record a history to check.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "mcconform/endpoint.hpp"
#include "mcconform/linearizability/history.hpp"

namespace mcconform::linearizability {

enum class WorkloadKind {
  kMixed,       // every command: set, add, replace, append, prepend, cas, delete, incr, decr, get, gets
  kCounter,     // incr and decr racing on counters, with reads
  kAppendRace,  // appends of distinct tokens, with reads
  kCasRace,     // read-modify-write with gets and cas, with delete and add recreating the key
};

std::string workload_name(WorkloadKind kind);

struct WorkloadOptions {
  WorkloadKind kind = WorkloadKind::kMixed;
  std::vector<std::string> keys;  // the caller makes them unique to the run
  int connections = 8;
  int operations_per_connection = 300;
  // No new operation starts after this (the wall time of a run stays bounded on a slow target).
  std::chrono::milliseconds time_budget{3000};
  // An operation without a full reply by then is recorded as indeterminate; its connection stops.
  std::chrono::milliseconds operation_timeout{2000};
  std::uint64_t seed = 1;
};

struct WorkloadResult {
  History history;
  std::size_t indeterminate = 0;
  // Replies that are not memcached's answer to the command (each stops its connection).
  std::vector<std::string> unexpected;
  std::chrono::milliseconds elapsed{0};
};

WorkloadResult run_workload(const Endpoint& target, const WorkloadOptions& options);

}  // namespace mcconform::linearizability
