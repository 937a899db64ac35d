// Carries out one parsed request against the engine and writes its reply.
#pragma once

#include <string>

#include "engine/clock.hpp"
#include "engine/engine.hpp"
#include "protocol/request.hpp"
#include "server/output.hpp"
#include "server/stats.hpp"

namespace mcrefd::server {

// Whatever can answer `stats`: the server, or a test double.
class StatsSource {
 public:
  virtual ~StatsSource() = default;
  virtual void write_stats(std::string& out) const = 0;
  virtual void reset_stats() = 0;
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

  AfterRequest execute(const protocol::Request& request, Output& out);

 private:
  void retrieve(const protocol::Request& request, Output& out);
  void store(const protocol::Request& request, Output& out);
  void arithmetic(const protocol::Request& request, Output& out);

  engine::Engine& engine_;
  const engine::Clock& clock_;
  ThreadStats& stats_;
  ServerStats& server_;
  StatsSource& stats_source_;
  std::string version_line_;
};

}  // namespace mcrefd::server
