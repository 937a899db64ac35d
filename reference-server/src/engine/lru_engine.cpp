// The default engine: a hash table split into independently locked shards, each with an LRU.
#include "engine/lru_engine.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <vector>

#include "protocol/item_size.hpp"
#include "protocol/numbers.hpp"

namespace mcrefd::engine {
namespace {

constexpr std::size_t kMaxShards = 16;
// What the allocator spends beyond the bytes asked for; counted against the memory limit so that
// the process's resident size stays close to -m.
constexpr std::size_t kAllocatorOverhead = 16;
// memcached refreshes an item's access time at most once a minute.
constexpr RelTime kItemUpdateInterval = 60;

std::size_t pick_shard_count(const LruEngineConfig& config) {
  // Every shard must be able to hold at least two of the largest items.
  std::size_t shards = kMaxShards;
  while (shards > 1 && config.memory_limit / shards < 2 * config.item_size_max) shards /= 2;
  return shards;
}

}  // namespace

struct LruEngine::Item {
  Item* hash_next = nullptr;
  Item* lru_prev = nullptr;
  Item* lru_next = nullptr;
  std::uint64_t cas = 0;
  std::size_t hash = 0;
  std::uint32_t flags = 0;
  RelTime exptime = 0;
  RelTime time = 0;  // last access, as memcached's it->time
  std::uint32_t value_size = 0;
  std::uint8_t key_size = 0;
  bool fetched = false;

  char* key_data() { return reinterpret_cast<char*>(this + 1); }
  const char* key_data() const { return reinterpret_cast<const char*>(this + 1); }
  char* value_data() { return key_data() + key_size; }
  std::string_view key() const { return {key_data(), key_size}; }
  std::string_view value() const { return {key_data() + key_size, value_size}; }

  static std::size_t footprint(std::size_t key_size, std::size_t value_size) {
    return sizeof(Item) + key_size + value_size + kAllocatorOverhead;
  }
  std::size_t footprint() const { return footprint(key_size, value_size); }
  // memcached's ITEM_ntotal: what its `bytes` statistic adds up.
  std::size_t memcached_size() const { return protocol::memcached_item_size(key_size, flags, value_size); }

  static Item* create(std::string_view key, std::size_t value_size, std::size_t hash) {
    void* memory = ::operator new(sizeof(Item) + key.size() + value_size);
    auto* item = new (memory) Item;
    item->hash = hash;
    item->key_size = static_cast<std::uint8_t>(key.size());
    item->value_size = static_cast<std::uint32_t>(value_size);
    std::memcpy(item->key_data(), key.data(), key.size());
    return item;
  }
  static void destroy(Item* item) {
    item->~Item();
    ::operator delete(item);
  }
};

// One lock, one bucket array and one LRU list. Every member function expects the lock held.
struct alignas(64) LruEngine::Shard {
  std::mutex mutex;
  std::vector<Item*> buckets = std::vector<Item*>(1024, nullptr);
  std::size_t count = 0;
  Item* lru_head = nullptr;  // most recently used
  Item* lru_tail = nullptr;
  std::size_t used = 0;
  std::size_t limit = 0;
  unsigned bucket_shift = 0;

  std::uint64_t total_items = 0;
  std::uint64_t bytes = 0;
  std::uint64_t evictions = 0;
  std::uint64_t reclaimed = 0;
  std::uint64_t expired_unfetched = 0;
  std::uint64_t evicted_unfetched = 0;

  ~Shard() {
    for (Item* item = lru_head; item != nullptr;) {
      Item* next = item->lru_next;
      Item::destroy(item);
      item = next;
    }
  }

  Item*& bucket(std::size_t hash) { return buckets[(hash >> bucket_shift) & (buckets.size() - 1)]; }

  Item* lookup(std::string_view key, std::size_t hash) {
    for (Item* item = bucket(hash); item != nullptr; item = item->hash_next) {
      if (item->hash == hash && item->key() == key) return item;
    }
    return nullptr;
  }

  void lru_unlink(Item* item) {
    (item->lru_prev ? item->lru_prev->lru_next : lru_head) = item->lru_next;
    (item->lru_next ? item->lru_next->lru_prev : lru_tail) = item->lru_prev;
    item->lru_prev = item->lru_next = nullptr;
  }
  void lru_push_front(Item* item) {
    item->lru_prev = nullptr;
    item->lru_next = lru_head;
    if (lru_head) lru_head->lru_prev = item;
    lru_head = item;
    if (!lru_tail) lru_tail = item;
  }
  // Like memcached, an item is moved to the warm end at most once a minute: hot keys would
  // otherwise rewrite the list (and its cache lines) on every read.
  void bump(Item* item, RelTime now) {
    if (now - item->time < kItemUpdateInterval) return;
    item->time = now;
    if (item != lru_head) {
      lru_unlink(item);
      lru_push_front(item);
    }
  }

  void link(Item* item, std::uint64_t cas, RelTime now) {
    item->cas = cas;
    item->time = now;
    Item*& head = bucket(item->hash);
    item->hash_next = head;
    head = item;
    lru_push_front(item);
    ++count;
    ++total_items;
    used += item->footprint();
    bytes += item->memcached_size();
    if (count > buckets.size() + buckets.size() / 2) grow();
  }

  void unlink_and_free(Item* item) {
    Item** slot = &bucket(item->hash);
    while (*slot != item) slot = &(*slot)->hash_next;
    *slot = item->hash_next;
    lru_unlink(item);
    --count;
    used -= item->footprint();
    bytes -= item->memcached_size();
    Item::destroy(item);
  }

  // Evicts from the cold end until `size` more bytes fit; never evicts `keep`.
  bool make_room(std::size_t size, const Item* keep, RelTime now) {
    if (size > limit) return false;
    Item* victim = lru_tail;
    while (used + size > limit && victim != nullptr) {
      Item* previous = victim->lru_prev;
      if (victim != keep) {
        const bool expired = victim->exptime != 0 && victim->exptime <= now;
        if (expired) {
          ++reclaimed;
          if (!victim->fetched) ++expired_unfetched;
        } else {
          ++evictions;
          if (!victim->fetched) ++evicted_unfetched;
        }
        unlink_and_free(victim);
      }
      victim = previous;
    }
    return used + size <= limit;
  }

  void grow() {
    std::vector<Item*> bigger(buckets.size() * 2, nullptr);
    for (Item* head : buckets) {
      while (head != nullptr) {
        Item* next = head->hash_next;
        Item*& slot = bigger[(head->hash >> bucket_shift) & (bigger.size() - 1)];
        head->hash_next = slot;
        slot = head;
        head = next;
      }
    }
    buckets.swap(bigger);
  }
};

LruEngine::LruEngine(const Clock& clock, LruEngineConfig config)
    : clock_(clock),
      config_(config),
      shard_count_(pick_shard_count(config)),
      shards_(std::make_unique<Shard[]>(shard_count_)) {
  unsigned shift = 0;
  while ((std::size_t{1} << shift) < shard_count_) ++shift;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    shards_[i].limit = config_.memory_limit / shard_count_;
    shards_[i].bucket_shift = shift;
  }
}

LruEngine::~LruEngine() = default;

LruEngine::Shard& LruEngine::shard_for(std::size_t hash) const { return shards_[hash & (shard_count_ - 1)]; }

bool LruEngine::is_flushed(const Item& item, RelTime now) const {
  const RelTime oldest_live = oldest_live_.load(std::memory_order_relaxed);
  if (oldest_live == 0 || oldest_live > now) return false;
  const std::uint64_t oldest_cas = oldest_cas_.load(std::memory_order_relaxed);
  return item.time <= oldest_live || (oldest_cas != 0 && item.cas != 0 && item.cas < oldest_cas);
}

namespace {
std::size_t hash_key(std::string_view key) { return std::hash<std::string_view>{}(key); }
}  // namespace

// memcached drops an expired or flushed item whenever an access finds it.
LruEngine::Item* LruEngine::find_live(Shard& shard, std::string_view key, std::size_t hash, RelTime now,
                                      LookupOutcome& outcome) const {
  Item* item = shard.lookup(key, hash);
  outcome = LookupOutcome::kMiss;
  if (item == nullptr) return nullptr;
  if (is_flushed(*item, now)) {
    shard.unlink_and_free(item);
    outcome = LookupOutcome::kFlushed;
    return nullptr;
  }
  if (item->exptime != 0 && item->exptime <= now) {
    shard.unlink_and_free(item);
    outcome = LookupOutcome::kExpired;
    return nullptr;
  }
  outcome = LookupOutcome::kHit;
  return item;
}

LookupOutcome LruEngine::get(std::string_view key, const RelTime* touch, FunctionRef<void(const ItemView&)> visit) {
  const std::size_t hash = hash_key(key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* item = find_live(shard, key, hash, now, outcome);
  if (item == nullptr) return outcome;
  if (touch != nullptr) item->exptime = *touch;
  shard.bump(item, now);
  item->fetched = true;
  visit(ItemView{item->key(), item->value(), item->flags, item->cas});
  return outcome;
}

StoreResult LruEngine::store(const StoreRequest& request) {
  const std::size_t hash = hash_key(request.key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* old = find_live(shard, request.key, hash, now, outcome);

  switch (request.mode) {
    case StoreMode::kAdd:
      if (old != nullptr) {
        shard.bump(old, now);  // a refused add still counts as a use
        return StoreResult::kNotStored;
      }
      break;
    case StoreMode::kReplace:
      if (old == nullptr) return StoreResult::kNotStored;
      break;
    case StoreMode::kCas:
      if (old == nullptr) return StoreResult::kNotFound;
      if (request.cas_unique == 0 || old->cas != request.cas_unique) return StoreResult::kExists;
      break;
    case StoreMode::kAppend:
    case StoreMode::kPrepend:
      if (old == nullptr) return StoreResult::kNotStored;
      break;
    case StoreMode::kSet: break;
  }

  const bool concatenate = request.mode == StoreMode::kAppend || request.mode == StoreMode::kPrepend;
  const std::size_t value_size = concatenate ? old->value_size + request.value.size() : request.value.size();
  const std::uint32_t flags = concatenate ? old->flags : request.flags;
  if (concatenate && protocol::memcached_item_size(request.key.size(), flags, value_size) > config_.item_size_max) {
    return StoreResult::kNotStored;  // memcached cannot allocate the joined item
  }
  if (!shard.make_room(Item::footprint(request.key.size(), value_size), old, now)) {
    // Like memcached, a failed set must not leave the previous value readable.
    if (old != nullptr && request.mode == StoreMode::kSet) shard.unlink_and_free(old);
    return StoreResult::kNoMemory;
  }

  Item* item = Item::create(request.key, value_size, hash);
  item->flags = flags;
  item->exptime = concatenate ? old->exptime : request.exptime;
  char* out = item->value_data();
  if (request.mode == StoreMode::kAppend) {
    std::memcpy(out, old->value().data(), old->value_size);
    std::memcpy(out + old->value_size, request.value.data(), request.value.size());
  } else if (request.mode == StoreMode::kPrepend) {
    std::memcpy(out, request.value.data(), request.value.size());
    std::memcpy(out + request.value.size(), old->value().data(), old->value_size);
  } else if (!request.value.empty()) {
    std::memcpy(out, request.value.data(), request.value.size());
  }
  if (old != nullptr) shard.unlink_and_free(old);
  shard.link(item, next_cas(), now);
  return StoreResult::kStored;
}

bool LruEngine::remove(std::string_view key) {
  const std::size_t hash = hash_key(key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* item = find_live(shard, key, hash, now, outcome);
  if (item == nullptr) return false;
  shard.unlink_and_free(item);
  return true;
}

ArithResult LruEngine::arithmetic(std::string_view key, bool incr, std::uint64_t delta, std::uint64_t& result) {
  const std::size_t hash = hash_key(key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* item = find_live(shard, key, hash, now, outcome);
  if (item == nullptr) return ArithResult::kNotFound;
  if (item->value_size == 0) return ArithResult::kNonNumeric;
  auto current = protocol::parse_u64(item->value());
  if (!current) return ArithResult::kNonNumeric;

  std::uint64_t value = *current;
  if (incr) {
    value += delta;  // wraps at 2^64, as memcached does
  } else {
    value = delta > value ? 0 : value - delta;
  }
  result = value;

  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  const auto length = static_cast<std::size_t>(end - digits);
  if (length <= item->value_size) {
    // memcached rewrites in place and pads with spaces: "10" decremented is "9 ".
    std::memcpy(item->value_data(), digits, length);
    std::memset(item->value_data() + length, ' ', item->value_size - length);
    item->cas = next_cas();
    shard.bump(item, now);
    return ArithResult::kOk;
  }
  if (!shard.make_room(Item::footprint(key.size(), length), item, now)) return ArithResult::kNoMemory;
  Item* grown = Item::create(key, length, hash);
  grown->flags = item->flags;
  grown->exptime = item->exptime;
  std::memcpy(grown->value_data(), digits, length);
  shard.unlink_and_free(item);
  shard.link(grown, next_cas(), now);
  return ArithResult::kOk;
}

bool LruEngine::touch(std::string_view key, RelTime exptime) {
  const std::size_t hash = hash_key(key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* item = find_live(shard, key, hash, now, outcome);
  if (item == nullptr) return false;
  item->exptime = exptime;
  shard.bump(item, now);
  return true;
}

void LruEngine::flush_all(RelTime when) {
  const RelTime now = clock_.now();
  // memcached marks "everything last used before `when`"; items stored in the flush's own second
  // survive an immediate flush only if their cas is newer than the flush.
  const RelTime oldest_live = (when > 0 ? when : now) - 1;
  oldest_live_.store(oldest_live);
  if (oldest_live <= now) oldest_cas_.store(next_cas());
}

EngineStats LruEngine::stats() const {
  EngineStats out;
  out.limit_maxbytes = config_.memory_limit;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    std::lock_guard lock(shard.mutex);
    out.curr_items += shard.count;
    out.total_items += shard.total_items;
    out.bytes += shard.bytes;
    out.evictions += shard.evictions;
    out.reclaimed += shard.reclaimed;
    out.expired_unfetched += shard.expired_unfetched;
    out.evicted_unfetched += shard.evicted_unfetched;
  }
  return out;
}

}  // namespace mcrefd::engine
