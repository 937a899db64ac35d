// What a benchmark run does: the traffic shape, and the knobs on the command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mcconform/endpoint.hpp"

namespace mcconform::bench {

struct Workload {
  std::size_t connections = 50;
  std::size_t threads = 2;
  std::size_t pipeline = 1;  // requests in flight per connection
  std::size_t multiget = 1;  // keys per get
  double get_ratio = 0.9;    // the rest are sets
  std::size_t value_size = 100;
  std::size_t keys = 10000;
  bool zipf = false;  // otherwise uniform
  // The meta protocol: mg <key> k v (several keys: each with q, then mn) and ms <key> <bytes>,
  // instead of get and set.
  bool meta = false;
  double seconds = 5;
  bool prefill = true;
  double fill = 0;               // > 0: instead of timed traffic, write this many times limit_maxbytes once
  std::vector<int> client_cpus;  // the load threads are pinned to these; empty: not pinned
};

struct BenchOptions {
  Workload workload;
  std::vector<Endpoint> targets;
  std::string spawn;    // empty with no --target: the built mcrefd
  std::string compare;  // a second spawn command to run alternately
  std::size_t rounds = 3;
  std::size_t server_threads = 0;  // > 0: given to every spawned server (see server_command)
  std::vector<int> server_cpus;    // every spawned server is pinned to these; empty: not pinned
  std::string markdown_row;        // with --compare: also print the medians as a table row
  bool latency_detail = false;     // print the whole latency distribution of every run
  bool help = false;
};

struct ParsedBenchOptions {
  BenchOptions options;
  std::string error;
};

ParsedBenchOptions parse_bench_options(const std::vector<std::string>& args);
std::string bench_usage();

inline constexpr std::size_t kMaxValueSize = 1000 * 1000;

// The value stored under key number `index`: derived from the index, so any reader can check it.
std::string key_name(std::size_t index);
std::string_view expected_value(std::size_t index, std::size_t size);
void fill_value(std::size_t index, char* out, std::size_t size);

}  // namespace mcconform::bench
