// Carries out parsed requests against the engine and reports outcomes; it writes no bytes.
#pragma once

#include <optional>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "protocol/request.hpp"
#include "server/expiry.hpp"
#include "server/outcome.hpp"
#include "server/stats.hpp"

namespace mcrefd::server {

// Whatever can answer `stats`: the server, or a test double.
class StatsSource {
 public:
  virtual ~StatsSource() = default;
  virtual void write_stats(std::string& out) const = 0;
  virtual void reset_stats() = 0;
  // `stats settings`: memcached's lines, ending in "END\r\n".
  virtual void write_settings(std::string& out) const = 0;
  // `stats conns`: every listening socket and connection; `self` is the asking connection's.
  virtual void write_conns(std::string& out, int self) const = 0;
};

// Receives the outcomes of one request; the driver turns them into bytes with a writer.
class OutcomeSink {
 public:
  virtual ~OutcomeSink() = default;
  virtual void text(const Outcome& outcome) = 0;
  virtual void meta(const MetaOutcome& outcome) = 0;
  // memcached sends what it has when it meets `mn`.
  virtual void flush_point() = 0;
  // Whether earlier requests of this batch left replies not yet sent.
  virtual bool replies_pending() const = 0;
};

// What one connection carries from one request to the next.
struct Session {
  // memcached takes a cas id for `ms` while parsing it. When the data never gets stored (an
  // error after the id was taken), the id stays with the connection and the next store that
  // completes uses it instead of taking a new one.
  std::uint64_t pending_cas = 0;
  int fd = -1;  // the connection's socket, for `stats conns`
  // Items that replies not yet sent still reference, by key and cas: memcached holds a reference
  // for each hit until the batch is written, and incr/decr will not rewrite such an item in place.
  std::vector<std::pair<std::string, std::uint64_t>> in_replies;

  void hold(std::string_view key, std::uint64_t cas) { in_replies.emplace_back(key, cas); }
  bool held(std::string_view key, std::uint64_t cas) const {
    for (const auto& [k, c] : in_replies) {
      if (c == cas && k == key) return true;
    }
    return false;
  }
  // The batch's replies are written: memcached drops its references.
  void replies_sent() { in_replies.clear(); }
};

enum class AfterRequest { kContinue, kClose };

class Executor {
 public:
  Executor(engine::Engine& engine, const engine::Clock& clock, ThreadStats& stats, ServerStats& server,
           StatsSource& stats_source, std::string version)
      : engine_(engine),
        clock_(clock),
        stats_(stats),
        server_(server),
        stats_source_(stats_source),
        version_line_("VERSION " + std::move(version)) {}

  AfterRequest execute(const protocol::Request& request, Session& session, OutcomeSink& sink);

 private:
  // The data block of a storage command that framing refused (too large, bad chunk), shared by
  // set-family and ms: counts it, drops the old value when `drop_old_if_too_large`, and returns
  // the error line to answer; nullopt when the block is fine and the store goes ahead.
  std::optional<std::string_view> refused_data_block(bool too_large, bool bad_data_chunk, std::string_view key,
                                                     bool drop_old_if_too_large, bool count_too_large = true);
  // The classic text commands (executor.cpp).
  void retrieve(const protocol::RetrieveRequest& request, Session& session, OutcomeSink& sink);
  void store(const protocol::StoreRequest& request, Session& session, OutcomeSink& sink);
  void arithmetic(const protocol::ArithRequest& request, Session& session, OutcomeSink& sink);
  void create_counter(const protocol::ArithRequest& request, Session& session, OutcomeSink& sink);
  void remove(const protocol::DeleteRequest& request, OutcomeSink& sink);
  void touch(const protocol::TouchRequest& request, OutcomeSink& sink);
  void stats(const protocol::StatsRequest& request, const Session& session, OutcomeSink& sink);

  // The admin commands and the stats groups that describe the engine (admin.cpp).
  bool admin_stats(const protocol::StatsRequest& request, const Session& session, OutcomeSink& sink);
  void admin(const protocol::AdminRequest& request, OutcomeSink& sink);
  void lru_crawler(const protocol::AdminRequest& request, OutcomeSink& sink);
  void slabs(const protocol::AdminRequest& request, OutcomeSink& sink);
  void block(OutcomeSink& sink);  // sends scratch_ as it is

  // The meta commands (meta_executor.cpp).
  void meta(const protocol::MetaRequest& request, Session& session, OutcomeSink& sink);
  void meta_get(const protocol::MetaRequest& request, Session& session, OutcomeSink& sink);
  void meta_set(const protocol::MetaRequest& request, Session& session, OutcomeSink& sink);
  void meta_delete(const protocol::MetaRequest& request, Session& session, OutcomeSink& sink);
  void meta_arithmetic(const protocol::MetaRequest& request, Session& session, OutcomeSink& sink);
  // Whether the item under `key` is held by unsent replies.
  bool in_replies(const Session& session, std::string_view key);
  void meta_debug(const protocol::MetaRequest& request, OutcomeSink& sink);

  // The cas a completed store gets: the connection's pending one, or a fresh one.
  std::uint64_t take_cas(Session& session);
  engine::RelTime expiry(std::int64_t exptime) const { return expiry_from_client(clock_, exptime); }

  engine::Engine& engine_;
  const engine::Clock& clock_;
  ThreadStats& stats_;
  ServerStats& server_;
  StatsSource& stats_source_;
  std::string version_line_;
  std::string scratch_;  // stats blocks and debug lines, reused
};

}  // namespace mcrefd::server
