// The default engine: a hash table split into independently locked shards, each with an LRU.
#include "engine/lru_engine.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <vector>

#include "common/item_size.hpp"
#include "common/numbers.hpp"

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
  bool key_binary = false;
  bool stale = false;
  bool token_sent = false;

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
  std::size_t memcached_size() const { return common::memcached_item_size(key_size, flags, value_size); }

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

  ItemView view() const {
    return ItemView{key(), value(), flags, cas, exptime, time, fetched, key_binary, stale, token_sent};
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

  // A read: memcached marks the item fetched and moves it up the LRU.
  void use(Item* item, RelTime now) {
    item->fetched = true;
    bump(item, now);
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
  return item.time <= oldest_live && oldest_live <= now;
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
  shard.use(item, now);
  visit(item->view());
  return outcome;
}

LookupOutcome LruEngine::access(std::string_view key, const AccessOptions& options, FunctionRef<void(ItemEdit&)> edit) {
  const std::size_t hash = hash_key(key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* item = find_live(shard, key, hash, now, outcome);
  bool created = false;
  if (item == nullptr) {
    if (!options.vivify) return outcome;
    if (!shard.make_room(Item::footprint(key.size(), 0), nullptr, now)) return outcome;
    item = Item::create(key, 0, hash);
    shard.link(item, options.vivify_cas ? *options.vivify_cas : next_cas(), now);
    created = true;
  }

  ItemEdit change;
  change.item = item->view();
  change.created = created;
  change.exptime = item->exptime;
  change.cas = item->cas;
  change.stale = item->stale;
  change.token_sent = item->token_sent;
  change.use = options.use;
  edit(change);

  if (change.unlink) {
    shard.unlink_and_free(item);
    return outcome;
  }
  if (change.replace_with_empty) {
    Item* empty = Item::create(key, 0, hash);
    empty->flags = change.flags;
    shard.unlink_and_free(item);
    shard.link(empty, change.cas, now);
    item = empty;
  } else {
    item->cas = change.cas;
  }
  item->exptime = change.exptime;
  item->stale = change.stale;
  item->token_sent = change.token_sent;
  if (change.use) shard.use(item, now);
  return outcome;
}

StoreReply LruEngine::store(const StoreRequest& request) {
  const std::size_t hash = hash_key(request.key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  Item* old = find_live(shard, request.key, hash, now, outcome);
  StoreReply reply;

  // As memcached, the cas is compared up front for every mode.
  enum class Cas { kNone, kMatch, kStale, kBad } cas = Cas::kNone;
  if (old != nullptr && request.cas_unique != 0) {
    if (request.cas_unique == old->cas) {
      cas = Cas::kMatch;
    } else if (request.allow_stale && request.cas_unique < old->cas) {
      cas = Cas::kStale;
    } else {
      cas = Cas::kBad;
    }
  }

  const bool append = request.mode == StoreMode::kAppend || request.mode == StoreMode::kAppendVivify;
  const bool prepend = request.mode == StoreMode::kPrepend || request.mode == StoreMode::kPrependVivify;
  switch (request.mode) {
    case StoreMode::kAdd:
      if (old != nullptr) {
        shard.bump(old, now);  // a refused add still counts as a use
        return reply;
      }
      break;
    case StoreMode::kReplace:
      if (old == nullptr) return reply;
      break;
    case StoreMode::kCas:
      if (old == nullptr) {
        reply.result = StoreResult::kNotFound;
        return reply;
      }
      if (cas != Cas::kMatch && cas != Cas::kStale) {
        reply.result = StoreResult::kExists;
        return reply;
      }
      break;
    case StoreMode::kAppend:
    case StoreMode::kPrepend:
    case StoreMode::kAppendVivify:
    case StoreMode::kPrependVivify:
      if (old == nullptr) {
        if (request.mode == StoreMode::kAppend || request.mode == StoreMode::kPrepend) return reply;
        break;
      }
      if (cas == Cas::kBad || cas == Cas::kStale) {
        reply.result = StoreResult::kExists;
        return reply;
      }
      break;
    case StoreMode::kSet: break;
  }

  const bool concatenate = old != nullptr && (append || prepend);
  const std::size_t value_size = concatenate ? old->value_size + request.value.size() : request.value.size();
  const std::uint32_t flags = concatenate ? old->flags : request.flags;
  if (concatenate && common::memcached_item_size(request.key.size(), flags, value_size) > config_.item_size_max) {
    return reply;  // memcached cannot allocate the joined item
  }
  if (!shard.make_room(Item::footprint(request.key.size(), value_size), old, now)) {
    // Like memcached, a failed set must not leave the previous value readable.
    if (old != nullptr && request.mode == StoreMode::kSet) shard.unlink_and_free(old);
    reply.result = StoreResult::kNoMemory;
    return reply;
  }

  Item* item = Item::create(request.key, value_size, hash);
  item->flags = flags;
  item->exptime = concatenate ? old->exptime : request.exptime;
  // memcached builds a joined value in a fresh item that does not carry the client's base64 mark.
  item->key_binary = concatenate ? false : request.key_binary;
  if (cas == Cas::kStale && request.mode == StoreMode::kCas) {
    // A stale write keeps the item's expiry and its token, and marks it stale.
    item->exptime = old->exptime;
    item->stale = true;
    item->token_sent = old->token_sent;
  }
  char* out = item->value_data();
  if (concatenate && append) {
    std::memcpy(out, old->value().data(), old->value_size);
    std::memcpy(out + old->value_size, request.value.data(), request.value.size());
  } else if (concatenate) {
    std::memcpy(out, request.value.data(), request.value.size());
    std::memcpy(out + request.value.size(), old->value().data(), old->value_size);
  } else if (!request.value.empty()) {
    std::memcpy(out, request.value.data(), request.value.size());
  }
  if (old != nullptr) shard.unlink_and_free(old);
  shard.link(item, request.new_cas, now);
  reply.result = StoreResult::kStored;
  reply.cas = item->cas;
  reply.value_size = value_size;
  return reply;
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

ArithReply LruEngine::arithmetic(const ArithRequest& request) {
  const std::size_t hash = hash_key(request.key);
  Shard& shard = shard_for(hash);
  const RelTime now = clock_.now();
  std::lock_guard lock(shard.mutex);
  LookupOutcome outcome;
  ArithReply reply;
  Item* item = find_live(shard, request.key, hash, now, outcome);
  if (item == nullptr) return reply;
  reply.result = ArithResult::kNonNumeric;
  if (item->value_size == 0) return reply;
  if (request.cas_unique != 0 && item->cas != request.cas_unique) {
    reply.result = ArithResult::kExists;
    return reply;
  }
  auto current = common::parse_u64(item->value());
  if (!current) return reply;

  std::uint64_t value = *current;
  if (request.incr) {
    value += request.delta;  // wraps at 2^64, as memcached does
  } else {
    value = request.delta > value ? 0 : value - request.delta;
  }
  reply.value = value;
  reply.exptime = item->exptime;

  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  const auto length = static_cast<std::size_t>(end - digits);
  if (length <= item->value_size && !request.in_use) {
    // memcached rewrites in place and pads with spaces: "10" decremented is "9 ".
    item->cas = next_cas();
    std::memcpy(item->value_data(), digits, length);
    std::memset(item->value_data() + length, ' ', item->value_size - length);
    shard.bump(item, now);
    reply.result = ArithResult::kOk;
    reply.cas = item->cas;
    return reply;
  }
  if (!shard.make_room(Item::footprint(request.key.size(), length), item, now)) {
    reply.result = ArithResult::kNoMemory;
    return reply;
  }
  Item* grown = Item::create(request.key, length, hash);
  grown->flags = item->flags;
  grown->exptime = item->exptime;
  std::memcpy(grown->value_data(), digits, length);
  shard.unlink_and_free(item);
  shard.link(grown, next_cas(), now);
  reply.result = ArithResult::kOk;
  reply.cas = grown->cas;
  reply.replaced = true;
  return reply;
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
  shard.use(item, now);
  return true;
}

void LruEngine::for_each_item(FunctionRef<void(const ItemView&)> visit) {
  const RelTime now = clock_.now();
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    std::lock_guard lock(shard.mutex);
    for (Item* item = shard.lru_head; item != nullptr; item = item->lru_next) {
      if (is_flushed(*item, now) || (item->exptime != 0 && item->exptime <= now)) continue;
      visit(item->view());
    }
  }
}

void LruEngine::flush_all(RelTime when) {
  const RelTime now = clock_.now();
  // memcached 1.6.38 marks "everything last used up to the second before `when`".
  const RelTime oldest_live = (when > 0 ? when : now) - 1;
  oldest_live_.store(oldest_live);
  if (oldest_live == 0) return;
  // Items last used at or after the mark are dropped now; older ones lazily, once it passes.
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = shards_[i];
    std::lock_guard lock(shard.mutex);
    for (Item* item = shard.lru_head; item != nullptr;) {
      Item* next = item->lru_next;
      if (item->time >= oldest_live) shard.unlink_and_free(item);
      item = next;
    }
  }
}

EngineStats LruEngine::stats() const {
  EngineStats out;
  out.limit_maxbytes = config_.memory_limit;
  out.oldest_live = oldest_live_.load();
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
