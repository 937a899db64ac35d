// memcached's admin commands and engine-describing stats groups, with mcrefd's own values.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "common/item_size.hpp"
#include "common/numbers.hpp"
#include "protocol/base64.hpp"
#include "server/executor.hpp"
#include "server/slab_classes.hpp"

namespace mcrefd::server {
namespace {

using protocol::AdminVerb;
using Code = Outcome::Code;

// memcached accepts class ids up to one below its table size in crawler requests.
constexpr unsigned kMaxCrawlerClass = 62;

Outcome line(std::string_view text) {
  Outcome out{Code::kError};
  out.text = text;
  return out;
}

// Which slab classes a crawler request names: "all", "hash" (dumps only), or "1,2,3".
bool parse_classes(std::string_view spec, bool allow_hash, std::vector<bool>& wanted) {
  wanted.assign(kMaxCrawlerClass + 1, false);
  if (spec == "all" || (allow_hash && spec == "hash")) {
    wanted.assign(kMaxCrawlerClass + 1, true);
    return true;
  }
  while (!spec.empty()) {
    const std::size_t comma = spec.find(',');
    auto id = common::parse_u32(spec.substr(0, comma));
    if (!id || *id < 1 || *id > kMaxCrawlerClass) return false;
    wanted[*id] = true;
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
  }
  return true;
}

// metadump writes keys URI-encoded: everything but letters, digits and -._~ as %XX.
void append_uri_encoded(std::string& out, std::string_view key) {
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
}

struct ClassUsage {
  std::uint64_t items = 0;
  std::uint64_t requested = 0;
  engine::RelTime oldest = 0;
};

}  // namespace

void Executor::block(OutcomeSink& sink) {
  Outcome out{Code::kBlock};
  out.text = scratch_;
  sink.text(out);
}

bool Executor::admin_stats(const protocol::StatsRequest& request, const Session& session, OutcomeSink& sink) {
  const std::string_view group = request.group;
  scratch_.clear();
  if (group == "conns") {
    stats_source_.write_conns(scratch_, session.fd);
    block(sink);
    return true;
  }
  if (group == "settings") {
    stats_source_.write_settings(scratch_);
    block(sink);
    return true;
  }
  if (group == "sizes") {
    scratch_ = "STAT sizes_status disabled\r\nEND\r\n";
    block(sink);
    return true;
  }
  if (group == "detail") {
    if (request.arg == "on" || request.arg == "off") {
      server_.detail_enabled.store(request.arg == "on");
      sink.text(line("OK"));
    } else if (request.arg == "dump") {
      sink.text(line("END"));  // mcrefd keeps no per-prefix statistics
    } else {
      sink.text(line("CLIENT_ERROR usage: stats detail on|off|dump"));
    }
    return true;
  }
  if (group != "items" && group != "slabs") return false;

  // Items grouped by the slab class memcached would store them in.
  const engine::RelTime now = clock_.now();
  std::map<unsigned, ClassUsage> usage;
  engine_.for_each_item([&](const engine::ItemView& item) {
    const std::size_t total = common::memcached_item_size(item.key.size(), item.flags, item.value.size());
    ClassUsage& u = usage[slab_class_of(total)];
    u.oldest = u.items == 0 ? item.time : std::min(u.oldest, item.time);
    ++u.items;
    u.requested += total;
  });
  if (group == "items") {
    for (const auto& [id, u] : usage) {
      // A named copy: clang 14 cannot capture a structured binding in a lambda.
      const auto class_id = id;
      auto stat = [&](std::string_view name, std::uint64_t value) {
        scratch_ += fmt::format("STAT items:{}:{} {}\r\n", class_id, name, value);
      };
      stat("number", u.items);
      stat("number_hot", u.items);  // one LRU per shard: everything counts as hot
      stat("number_warm", 0);
      stat("number_cold", 0);
      stat("age_hot", 0);
      stat("age_warm", 0);
      stat("age", now - u.oldest);
      stat("mem_requested", u.requested);
      for (std::string_view name : {"evicted",        "evicted_nonzero",   "evicted_time",          "outofmemory",
                                    "tailrepairs",    "reclaimed",         "expired_unfetched",     "evicted_unfetched",
                                    "evicted_active", "crawler_reclaimed", "crawler_items_checked", "lrutail_reflocked",
                                    "moves_to_cold",  "moves_to_warm",     "moves_within_lru",      "direct_reclaims",
                                    "hits_to_hot",    "hits_to_warm",      "hits_to_cold",          "hits_to_temp"}) {
        stat(name, 0);
      }
    }
  } else {
    std::uint64_t pages_total = 0;
    for (const auto& [id, u] : usage) {
      const std::size_t chunk = slab_classes().chunk_size(id);
      const std::uint64_t per_page = SlabClasses::kPageSize / chunk;
      const std::uint64_t pages = (u.items + per_page - 1) / per_page;
      pages_total += pages;
      const auto class_id = id;  // clang 14 cannot capture a structured binding in a lambda
      auto stat = [&](std::string_view name, std::uint64_t value) {
        scratch_ += fmt::format("STAT {}:{} {}\r\n", class_id, name, value);
      };
      stat("chunk_size", chunk);
      stat("chunks_per_page", per_page);
      stat("total_pages", pages);
      stat("total_chunks", pages * per_page);
      stat("used_chunks", u.items);
      stat("free_chunks", pages * per_page - u.items);
      stat("free_chunks_end", 0);
      for (std::string_view name :
           {"get_hits", "cmd_set", "delete_hits", "incr_hits", "decr_hits", "cas_hits", "cas_badval", "touch_hits"}) {
        stat(name, 0);  // mcrefd counts these per server, not per class
      }
    }
    scratch_ += fmt::format("STAT active_slabs {}\r\nSTAT total_malloced {}\r\n", usage.size(),
                            pages_total * SlabClasses::kPageSize);
  }
  scratch_ += "END\r\n";
  block(sink);
  return true;
}

void Executor::admin(const protocol::AdminRequest& request, OutcomeSink& sink) {
  switch (request.verb) {
    case AdminVerb::kShutdown: sink.text(line("ERROR: shutdown not enabled")); return;
    case AdminVerb::kCacheMemlimit: {
      auto megabytes = common::parse_u32(request.args[0]);
      if (!megabytes) {
        sink.text(line("ERROR"));
      } else if (*megabytes < 8) {
        sink.text(line("MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m"));
      } else if (*megabytes > 1000000000) {
        sink.text(line("MEMLIMIT_ADJUST_FAILED input value is megabytes not bytes"));
      } else {
        sink.text(line("OK"));  // accepted; mcrefd's engine keeps the limit it started with
      }
      return;
    }
    case AdminVerb::kSlabs: slabs(request, sink); return;
    case AdminVerb::kLruCrawler: lru_crawler(request, sink); return;
  }
}

void Executor::slabs(const protocol::AdminRequest& request, OutcomeSink& sink) {
  const std::string_view sub = request.args[0];
  if (request.ntokens == 5 && sub == "reassign") {
    auto src = common::parse_i32(request.args[1]);
    auto dst = common::parse_i32(request.args[2]);
    if (!src || !dst) {
      sink.text(line("CLIENT_ERROR bad command line format"));
    } else if (*src == *dst) {
      sink.text(line("SAME src and dst class are identical"));
    } else if ((*src != -1 && (*src < 1 || *src > static_cast<int>(slab_classes().largest()))) || *dst < 1 ||
               *dst > static_cast<int>(slab_classes().largest())) {
      sink.text(line("BADCLASS invalid src or dst class id"));
    } else {
      sink.text(line("NOSPARE source class has no spare pages"));  // mcrefd has no pages to move
    }
    return;
  }
  if (request.ntokens >= 4 && sub == "automove") {
    const std::string_view what = request.args[1];
    if (what == "ratio" || what == "freeratio") {
      double ratio = 0;
      const bool ok = request.ntokens >= 5 && !request.args[2].empty() &&
                      std::sscanf(std::string(request.args[2]).c_str(), "%lf", &ratio) == 1;
      sink.text(line(ok ? "OK" : "ERROR"));
    } else if (what == "window") {
      const bool ok = request.ntokens >= 5 && common::parse_u32(request.args[2]).has_value();
      sink.text(line(ok ? "OK" : "CLIENT_ERROR bad command line format"));
    } else if (auto level = common::parse_u32(what); !level) {
      sink.text(line("CLIENT_ERROR bad command line format"));
    } else if (*level > 2) {
      sink.text(line("ERROR"));
    } else {
      server_.slab_automove.store(*level);
      sink.text(line("OK"));
    }
    return;
  }
  sink.text(line("ERROR"));
}

void Executor::lru_crawler(const protocol::AdminRequest& request, OutcomeSink& sink) {
  const std::string_view sub = request.args[0];
  const bool enabled = server_.lru_crawler.load();  // `lru_crawler disable` turns it off for good
  if (request.ntokens == 4 && (sub == "crawl" || sub == "metadump" || sub == "mgdump")) {
    if (!enabled) {
      sink.text(line("CLIENT_ERROR lru crawler disabled"));
      return;
    }
    const bool dump = sub != "crawl";
    if (dump && sink.replies_pending()) {
      sink.text(line(sub == "metadump" ? "ERROR cannot pipeline other commands before metadump"
                                       : "ERROR cannot pipeline other commands before mgdump"));
      return;
    }
    std::vector<bool> wanted;
    if (!parse_classes(request.args[1], dump, wanted)) {
      sink.text(line("BADCLASS invalid class id"));
      return;
    }
    if (!dump) {
      sink.text(line("OK"));  // mcrefd reclaims expired items as it meets them
      return;
    }
    // Class by class, and in each class oldest first, as memcached's crawler walks its LRUs.
    struct Line {
      engine::RelTime time;
      std::uint64_t cas;
      std::string text;
    };
    std::map<unsigned, std::vector<Line>> lines;
    const std::int64_t epoch = clock_.epoch_unix();
    engine_.for_each_item([&](const engine::ItemView& item) {
      const std::size_t total = common::memcached_item_size(item.key.size(), item.flags, item.value.size());
      const unsigned id = slab_class_of(total);
      if (id >= wanted.size() || !wanted[id]) return;
      lines[id].push_back(Line{item.time, item.cas, {}});
      std::string& out = lines[id].back().text;
      if (sub == "mgdump") {
        out += "mg ";
        if (item.key_binary) {
          protocol::base64_append(item.key, out);
          out += " b";
        } else {
          out.append(item.key);
        }
        out += "\r\n";
        return;
      }
      out += "key=";
      append_uri_encoded(out, item.key);
      out += fmt::format(" exp={} la={} cas={} fetch={} cls={} size={} flags={}\n",
                         item.exptime == 0 ? -1 : item.exptime + epoch, item.time + epoch, item.cas,
                         item.fetched ? "yes" : "no", id, total, item.flags);
    });
    scratch_.clear();
    for (auto& [id, in_class] : lines) {
      std::sort(in_class.begin(), in_class.end(),
                [](const Line& a, const Line& b) { return a.time != b.time ? a.time < b.time : a.cas < b.cas; });
      for (const Line& l : in_class) scratch_ += l.text;
    }
    scratch_ += sub == "mgdump" ? "EN\r\n" : "END\r\n";
    block(sink);
    return;
  }
  if (request.ntokens == 4 && sub == "tocrawl") {
    auto count = common::parse_u32(request.args[1]);
    if (!count) {
      sink.text(line("CLIENT_ERROR bad command line format"));
      return;
    }
    server_.lru_crawler_tocrawl.store(*count);
    sink.text(line("OK"));
    return;
  }
  if (request.ntokens == 4 && sub == "sleep") {
    auto micros = common::parse_u32(request.args[1]);
    if (!micros) {
      sink.text(line("CLIENT_ERROR bad command line format"));
    } else if (*micros > 1000000) {
      sink.text(line("CLIENT_ERROR sleep must be one second or less"));
    } else {
      server_.lru_crawler_sleep.store(*micros);
      sink.text(line("OK"));
    }
    return;
  }
  if (request.ntokens == 3 && sub == "enable") {
    // memcached 1.6.38, started with its crawler (the default), cannot start it again, not even
    // after `lru_crawler disable`.
    sink.text(line("ERROR failed to start lru crawler thread"));
    return;
  }
  if (request.ntokens == 3 && sub == "disable") {
    server_.lru_crawler.store(false);
    sink.text(line("OK"));
    return;
  }
  sink.text(line("ERROR"));
}

}  // namespace mcrefd::server
