// The default engine: a hash table split into independently locked shards, each with an LRU.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include "engine/engine.hpp"

namespace mcrefd::engine {

struct LruEngineConfig {
  std::size_t memory_limit = 64u * 1024 * 1024;
  std::size_t item_size_max = 1024 * 1024;
};

class LruEngine final : public Engine {
 public:
  LruEngine(const Clock& clock, LruEngineConfig config);
  ~LruEngine() override;
  LruEngine(const LruEngine&) = delete;
  LruEngine& operator=(const LruEngine&) = delete;

  LookupOutcome get(std::string_view key, const RelTime* touch, FunctionRef<void(const ItemView&)> visit) override;
  LookupOutcome access(std::string_view key, const AccessOptions& options, FunctionRef<void(ItemEdit&)> edit) override;
  StoreReply store(const StoreRequest& request) override;
  bool remove(std::string_view key) override;
  ArithReply arithmetic(const ArithRequest& request) override;
  bool touch(std::string_view key, RelTime exptime) override;
  std::uint64_t next_cas() override { return ++cas_counter_; }
  void for_each_item(FunctionRef<void(const ItemView&)> visit) override;
  void flush_all(RelTime when) override;
  EngineStats stats() const override;

  std::size_t shard_count() const { return shard_count_; }

 private:
  struct Item;
  struct Shard;
  class Locked;

  Shard& shard_for(std::size_t hash) const;
  bool is_flushed(const Item& item, RelTime now) const;
  Item* find_live(Shard& shard, std::string_view key, std::size_t hash, RelTime now, LookupOutcome& outcome) const;

  const Clock& clock_;
  LruEngineConfig config_;
  std::size_t shard_count_;
  std::unique_ptr<Shard[]> shards_;
  // memcached 1.6.38 has used one cas id before its first store: the first item gets cas 2.
  std::atomic<std::uint64_t> cas_counter_{1};
  std::atomic<RelTime> oldest_live_{0};
};

}  // namespace mcrefd::engine
