// Fuzzes mcrefd's whole request path without sockets: parser, executor (text, meta and admin
// commands), engine and writers, with the clock moved by the input. Each input gets a fresh, tiny
// engine (64 KiB, so that a few stores reach eviction): inputs are independent, a crash replays
// from its own input alone, and no input pays for the items earlier ones left. No bytes may crash
// it, trip a sanitizer or make it consume what it was not given.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/lru_engine.hpp"
#include "server/driver.hpp"
#include "server/executor.hpp"

namespace {

using namespace mcrefd;

class NoStats final : public server::StatsSource {
 public:
  void write_stats(std::string& out) const override { out += "END\r\n"; }
  void reset_stats() override {}
  void write_settings(std::string& out) const override { out += "END\r\n"; }
  void write_conns(std::string& out, int) const override { out += "END\r\n"; }
};

constexpr std::size_t kItemSizeMax = 8 * 1024;

struct World {
  engine::ManualClock clock;
  engine::LruEngine engine{clock, engine::LruEngineConfig{.memory_limit = 64 * 1024, .item_size_max = kItemSizeMax}};
  server::ThreadStats thread_stats;
  server::ServerStats server_stats;
  NoStats stats_source;
  server::Executor executor{engine, clock, thread_stats, server_stats, stats_source, "1.6.38-fuzz"};
  protocol::ParserLimits limits{.item_size_max = kItemSizeMax};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World world;
  server::Driver driver(world.executor, world.limits);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // A byte 0x01 in the stream moves the clock by a few seconds: expiry and flush take effect.
  while (!input.empty()) {
    const std::size_t tick = input.find('\x01');
    const std::string_view chunk = input.substr(0, tick);
    server::Output out;
    std::size_t at = 0;
    for (int rounds = 0; at < chunk.size() && rounds < 10000; ++rounds) {
      const server::Driver::Result result = driver.run(chunk.substr(at), out, 1 << 20);
      if (result.consumed > chunk.size() - at) std::abort();
      at += result.consumed;
      out.bytes.clear();
      out.committed = 0;
      if (result.close || result.need_more || result.consumed == 0) break;
    }
    if (tick == std::string_view::npos) break;
    world.clock.advance(3);
    input.remove_prefix(tick + 1);
  }
  return 0;
}
