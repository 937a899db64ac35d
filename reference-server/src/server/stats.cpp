// Counters behind `stats`: one block per worker thread, summed when a client asks.
#include "server/stats.hpp"

#include <sys/resource.h>

#include <fmt/format.h>

namespace mcrefd::server {

void ThreadStats::reset() {
  for (Counter* c : {&cmd_get,       &cmd_meta,   &get_hits,        &get_misses,      &get_expired, &get_flushed,
                     &cmd_set,       &cmd_touch,  &touch_hits,      &touch_misses,    &cmd_flush,   &delete_hits,
                     &delete_misses, &incr_hits,  &incr_misses,     &decr_hits,       &decr_misses, &cas_hits,
                     &cas_misses,    &cas_badval, &store_too_large, &store_no_memory, &bytes_read,  &bytes_written}) {
    c->reset();
  }
}

namespace {

std::uint64_t sum(const std::vector<const ThreadStats*>& threads, Counter ThreadStats::*field) {
  std::uint64_t total = 0;
  for (const ThreadStats* t : threads) total += (t->*field).get();
  return total;
}

}  // namespace

void write_general_stats(std::string& out, const StatsContext& context, const ServerStats& server,
                         const std::vector<const ThreadStats*>& threads, const engine::EngineStats& engine) {
  auto stat = [&out](std::string_view name, auto value) {
    fmt::format_to(std::back_inserter(out), "STAT {} {}\r\n", name, value);
  };
  auto total = [&threads](Counter ThreadStats::*field) { return sum(threads, field); };

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  stat("pid", context.pid);
  stat("uptime", context.uptime);
  stat("time", context.unix_time);
  stat("version", context.version);
  stat("libevent", "none");
  stat("pointer_size", sizeof(void*) * 8);
  stat("rusage_user", fmt::format("{}.{:06}", usage.ru_utime.tv_sec, usage.ru_utime.tv_usec));
  stat("rusage_system", fmt::format("{}.{:06}", usage.ru_stime.tv_sec, usage.ru_stime.tv_usec));
  stat("max_connections", context.max_connections);
  stat("curr_connections", server.curr_connections.load());
  stat("total_connections", server.total_connections.load());
  stat("rejected_connections", server.rejected_connections.load());
  stat("connection_structures", server.curr_connections.load());
  // memcached's response and read-buffer pools; mcrefd has none.
  for (std::string_view name : {"response_obj_oom", "response_obj_count", "response_obj_bytes", "read_buf_count",
                                "read_buf_bytes", "read_buf_bytes_free", "read_buf_oom", "reserved_fds"}) {
    stat(name, 0);
  }
  stat("cmd_get", total(&ThreadStats::cmd_get));
  stat("cmd_set", total(&ThreadStats::cmd_set));
  stat("cmd_flush", total(&ThreadStats::cmd_flush));
  stat("cmd_touch", total(&ThreadStats::cmd_touch));
  stat("cmd_meta", total(&ThreadStats::cmd_meta));
  stat("get_hits", total(&ThreadStats::get_hits));
  stat("get_misses", total(&ThreadStats::get_misses));
  stat("get_expired", total(&ThreadStats::get_expired));
  stat("get_flushed", total(&ThreadStats::get_flushed));
  stat("delete_misses", total(&ThreadStats::delete_misses));
  stat("delete_hits", total(&ThreadStats::delete_hits));
  stat("incr_misses", total(&ThreadStats::incr_misses));
  stat("incr_hits", total(&ThreadStats::incr_hits));
  stat("decr_misses", total(&ThreadStats::decr_misses));
  stat("decr_hits", total(&ThreadStats::decr_hits));
  stat("cas_misses", total(&ThreadStats::cas_misses));
  stat("cas_hits", total(&ThreadStats::cas_hits));
  stat("cas_badval", total(&ThreadStats::cas_badval));
  stat("touch_hits", total(&ThreadStats::touch_hits));
  stat("touch_misses", total(&ThreadStats::touch_misses));
  stat("store_too_large", total(&ThreadStats::store_too_large));
  stat("store_no_memory", total(&ThreadStats::store_no_memory));
  stat("auth_cmds", 0);
  stat("auth_errors", 0);
  stat("bytes_read", total(&ThreadStats::bytes_read));
  stat("bytes_written", total(&ThreadStats::bytes_written));
  stat("limit_maxbytes", engine.limit_maxbytes);
  stat("accepting_conns", 1);
  stat("listen_disabled_num", 0);
  stat("time_in_listen_disabled_us", 0);
  stat("threads", context.threads);
  stat("conn_yields", 0);
  // memcached's hash table, slab mover, crawler, LRU maintainer and logger: mcrefd has none of
  // them, so their counters stay 0 (the hash table size is memcached's default).
  stat("hash_power_level", 16);
  stat("hash_bytes", 524288);
  for (std::string_view name : {"hash_is_expanding",
                                "slab_reassign_rescues",
                                "slab_reassign_chunk_rescues",
                                "slab_reassign_inline_reclaim",
                                "slab_reassign_busy_items",
                                "slab_reassign_busy_deletes",
                                "slab_reassign_busy_nomem",
                                "slab_reassign_running",
                                "slabs_moved",
                                "lru_crawler_running",
                                "lru_crawler_starts",
                                "lru_maintainer_juggles",
                                "malloc_fails",
                                "log_worker_dropped",
                                "log_worker_written",
                                "log_watcher_skipped",
                                "log_watcher_sent",
                                "log_watchers",
                                "unexpected_napi_ids",
                                "round_robin_fallback"}) {
    stat(name, 0);
  }
  stat("bytes", engine.bytes);
  stat("curr_items", engine.curr_items);
  stat("total_items", engine.total_items);
  stat("slab_global_page_pool", 0);
  stat("expired_unfetched", engine.expired_unfetched);
  stat("evicted_unfetched", engine.evicted_unfetched);
  stat("evicted_active", 0);
  stat("evictions", engine.evictions);
  stat("reclaimed", engine.reclaimed);
  for (std::string_view name : {"crawler_reclaimed", "crawler_items_checked", "lrutail_reflocked", "moves_to_cold",
                                "moves_to_warm", "moves_within_lru", "direct_reclaims", "lru_bumps_dropped"}) {
    stat(name, 0);
  }
  out.append("END\r\n");
}

}  // namespace mcrefd::server
