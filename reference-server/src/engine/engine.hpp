// The storage engine interface: all the server core knows about where items live.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/clock.hpp"
#include "engine/function_ref.hpp"

namespace mcrefd::engine {

// An item as seen while the engine holds it; valid only inside the callback that receives it.
struct ItemView {
  std::string_view key;
  std::string_view value;
  std::uint32_t flags = 0;
  std::uint64_t cas = 0;
};

enum class StoreMode : std::uint8_t { kSet, kAdd, kReplace, kAppend, kPrepend, kCas };

enum class StoreResult : std::uint8_t {
  kStored,
  kNotStored,
  kExists,    // cas: the unique did not match
  kNotFound,  // cas: no such item
  kNoMemory,  // nothing could be evicted to make room
};

enum class ArithResult : std::uint8_t { kOk, kNotFound, kNonNumeric, kNoMemory };

struct StoreRequest {
  StoreMode mode = StoreMode::kSet;
  std::string_view key;
  std::string_view value;
  std::uint32_t flags = 0;
  RelTime exptime = 0;
  std::uint64_t cas_unique = 0;  // kCas only
};

// What happened inside the engine that the statistics report.
struct EngineStats {
  std::uint64_t curr_items = 0;
  std::uint64_t total_items = 0;
  std::uint64_t bytes = 0;  // memcached's accounting: item header, key, value and cas
  std::uint64_t evictions = 0;
  std::uint64_t reclaimed = 0;
  std::uint64_t expired_unfetched = 0;
  std::uint64_t evicted_unfetched = 0;
  std::uint64_t limit_maxbytes = 0;
};

// What a lookup found besides the item: memcached counts these separately.
enum class LookupOutcome : std::uint8_t { kHit, kMiss, kExpired, kFlushed };

class Engine {
 public:
  virtual ~Engine() = default;

  // Calls `visit` with the live item under `key`, if any. With `touch`, first sets its expiry.
  virtual LookupOutcome get(std::string_view key, const RelTime* touch, FunctionRef<void(const ItemView&)> visit) = 0;
  virtual StoreResult store(const StoreRequest& request) = 0;
  virtual bool remove(std::string_view key) = 0;
  // incr/decr; on kOk `result` holds the new value.
  virtual ArithResult arithmetic(std::string_view key, bool incr, std::uint64_t delta, std::uint64_t& result) = 0;
  virtual bool touch(std::string_view key, RelTime exptime) = 0;
  // Invalidates every item at `when` (0: now), as flush_all does.
  virtual void flush_all(RelTime when) = 0;
  virtual EngineStats stats() const = 0;
};

}  // namespace mcrefd::engine
