// The storage engine interface: all the server core knows about where items live.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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
  RelTime exptime = 0;      // 0: never
  RelTime time = 0;         // last access
  bool fetched = false;     // read at least once since stored
  bool key_binary = false;  // stored by a client that sent the key in base64
  bool stale = false;       // invalidated, still served until recached
  bool token_sent = false;  // a client already holds the right to recache it
};

// The append and prepend "vivify" modes store the value as a new item when there is none.
enum class StoreMode : std::uint8_t { kSet, kAdd, kReplace, kAppend, kPrepend, kAppendVivify, kPrependVivify, kCas };

enum class StoreResult : std::uint8_t {
  kStored,
  kNotStored,
  kExists,    // cas: the unique did not match
  kNotFound,  // cas: no such item
  kNoMemory,  // nothing could be evicted to make room
};

enum class ArithResult : std::uint8_t { kOk, kNotFound, kNonNumeric, kNoMemory, kExists };

struct StoreRequest {
  StoreMode mode = StoreMode::kSet;
  std::string_view key;
  std::string_view value;
  std::uint32_t flags = 0;
  RelTime exptime = 0;
  // Compared with the item's cas in every mode when non-zero; kCas requires it to match.
  std::uint64_t cas_unique = 0;
  std::uint64_t new_cas = 0;  // the cas the stored item gets; the caller takes it from next_cas()
  bool allow_stale = false;   // kCas: an older cas still stores, and marks the item stale
  bool key_binary = false;
};

struct StoreReply {
  StoreResult result = StoreResult::kNotStored;
  std::uint64_t cas = 0;       // of the stored item
  std::size_t value_size = 0;  // of the stored item, after append or prepend
};

struct ArithRequest {
  std::string_view key;
  bool incr = true;
  std::uint64_t delta = 0;
  std::uint64_t cas_unique = 0;  // when non-zero, must match the item's cas
  // The item is still referenced by replies not yet sent (memcached's refcount above 2), so the
  // new number goes into a new item instead of being written in place.
  bool in_use = false;
};

struct ArithReply {
  ArithResult result = ArithResult::kNotFound;
  std::uint64_t value = 0;
  std::uint64_t cas = 0;
  RelTime exptime = 0;
  // The new number did not fit, so a new item replaced the old one; later edits of the old one,
  // as memcached makes them, are lost.
  bool replaced = false;
};

// One item found (or created) under the engine's lock. The callback reads `item` and may ask for
// changes, which the engine applies when it returns.
struct ItemEdit {
  ItemView item;
  bool created = false;
  RelTime exptime = 0;
  std::uint64_t cas = 0;
  bool stale = false;
  bool token_sent = false;
  bool use = true;                  // count as a read: mark fetched and bump in the LRU
  bool unlink = false;              // remove the item
  bool replace_with_empty = false;  // store an empty value in its place, with `flags`
  std::uint32_t flags = 0;
};

struct AccessOptions {
  bool use = true;
  // On a miss, create an empty item (flags 0, no expiry) with this cas, or the next one.
  bool vivify = false;
  std::optional<std::uint64_t> vivify_cas;
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
  RelTime oldest_live = 0;  // the last flush_all's mark
};

// What a lookup found besides the item: memcached counts these separately.
enum class LookupOutcome : std::uint8_t { kHit, kMiss, kExpired, kFlushed };

class Engine {
 public:
  virtual ~Engine() = default;

  // Calls `visit` with the live item under `key`, if any. With `touch`, first sets its expiry.
  virtual LookupOutcome get(std::string_view key, const RelTime* touch, FunctionRef<void(const ItemView&)> visit) = 0;
  // Finds the item under `key` and lets `edit` read and change it; see ItemEdit.
  virtual LookupOutcome access(std::string_view key, const AccessOptions& options,
                               FunctionRef<void(ItemEdit&)> edit) = 0;
  virtual StoreReply store(const StoreRequest& request) = 0;
  virtual bool remove(std::string_view key) = 0;
  // incr/decr; takes a new cas from the counter when it changes the item.
  virtual ArithReply arithmetic(const ArithRequest& request) = 0;
  virtual bool touch(std::string_view key, RelTime exptime) = 0;
  // The cas counter, shared by every store: memcached takes a value before it knows whether the
  // store will succeed, so the caller takes it.
  virtual std::uint64_t next_cas() = 0;
  // Calls `visit` with every live item, shard by shard, each under its shard's lock.
  virtual void for_each_item(FunctionRef<void(const ItemView&)> visit) = 0;
  // Invalidates every item at `when` (0: now), as flush_all does.
  virtual void flush_all(RelTime when) = 0;
  virtual EngineStats stats() const = 0;
};

}  // namespace mcrefd::engine
