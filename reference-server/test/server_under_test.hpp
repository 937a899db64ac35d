// One connection's request path without sockets, as the unit tests drive it: a driver, executor
// and engine on a manual clock, bytes in and reply bytes out. `Stats` answers the stats commands
// that reach past the executor (each test file asserts on its own lines).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "engine/lru_engine.hpp"
#include "server/driver.hpp"
#include "server/executor.hpp"

namespace mcrefd::server {

template <class Stats>
class ServerUnderTest : public ::testing::Test {
 protected:
  explicit ServerUnderTest(std::string version)
      : executor_(engine_, clock_, thread_stats_, server_stats_, stats_source_, std::move(version)) {}

  engine::ManualClock clock_;
  engine::LruEngine engine_{clock_, engine::LruEngineConfig{}};
  ThreadStats thread_stats_;
  ServerStats server_stats_;
  Stats stats_source_;
  Executor executor_;
  protocol::ParserLimits limits_;
  // One connection's driver for the whole test, as the server runs it.
  Driver driver_{executor_, limits_};
  Driver::Result last_;

  // Runs every complete request in `input` and returns all reply bytes.
  std::string run(const std::string& input) {
    Output out;
    last_ = driver_.run(input, out);
    return out.bytes;
  }
};

}  // namespace mcrefd::server
