// Counters behind `stats`: one block per worker thread, summed when a client asks.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace mcrefd::server {

// A counter written by one thread and read by any: a plain load and store, no locked instruction.
class Counter {
 public:
  void add(std::uint64_t n = 1) { value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }
  void reset() { value_.store(0, std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

struct alignas(64) ThreadStats {
  Counter cmd_get, cmd_meta, get_hits, get_misses, get_expired, get_flushed;
  Counter cmd_set, cmd_touch, touch_hits, touch_misses, cmd_flush;
  Counter delete_hits, delete_misses, incr_hits, incr_misses, decr_hits, decr_misses;
  Counter cas_hits, cas_misses, cas_badval;
  Counter store_too_large, store_no_memory;
  Counter bytes_read, bytes_written;

  void reset();
};

// State shared by the whole process.
struct ServerStats {
  std::atomic<std::uint64_t> curr_connections{0};
  std::atomic<std::uint64_t> total_connections{0};
  std::atomic<std::uint64_t> rejected_connections{0};
  std::atomic<std::uint32_t> verbosity{0};

  // Settings the admin commands change. mcrefd has no slab mover or crawler thread; it keeps the
  // values so that `stats settings` reports what a client set.
  std::atomic<std::uint32_t> slab_automove{1};
  std::atomic<bool> lru_crawler{true};
  std::atomic<std::uint32_t> lru_crawler_sleep{100};
  std::atomic<std::uint32_t> lru_crawler_tocrawl{0};
  std::atomic<bool> detail_enabled{false};
};

struct StatsContext {
  std::int64_t pid = 0;
  std::uint64_t uptime = 0;
  std::int64_t unix_time = 0;
  std::string version;
  std::uint64_t max_connections = 0;
  std::uint64_t threads = 0;
  std::uint64_t item_size_max = 0;
};

// The general `stats` block, in memcached 1.6's order and format, ending in "END\r\n".
void write_general_stats(std::string& out, const StatsContext& context, const ServerStats& server,
                         const std::vector<const ThreadStats*>& threads, const engine::EngineStats& engine);

}  // namespace mcrefd::server
