// The default engine alone, with a manual clock: store modes, cas, arithmetic, expiry, eviction.
#include <gtest/gtest.h>

#include <string>

#include "engine/lru_engine.hpp"
#include "server/expiry.hpp"

namespace mcrefd::engine {
namespace {

class LruEngineTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  LruEngine engine_{clock_, LruEngineConfig{}};

  StoreResult store(StoreMode mode, std::string_view key, std::string_view value, std::uint32_t flags = 0,
                    RelTime exptime = 0, std::uint64_t cas = 0) {
    StoreRequest request{mode, key, value, flags, exptime, cas};
    request.new_cas = engine_.next_cas();
    return engine_.store(request).result;
  }
  ArithResult arithmetic(std::string_view key, bool incr, std::uint64_t delta, std::uint64_t& result) {
    const ArithReply reply = engine_.arithmetic(ArithRequest{key, incr, delta});
    result = reply.value;
    return reply.result;
  }
  std::optional<ItemView> get(std::string_view key, std::string* value_out) {
    std::optional<ItemView> found;
    engine_.get(key, nullptr, [&](const ItemView& item) {
      found = item;
      *value_out = item.value;
    });
    return found;
  }
  std::string value_of(std::string_view key) {
    std::string value;
    return get(key, &value) ? value : "<missing>";
  }
  std::uint64_t cas_of(std::string_view key) {
    std::string value;
    auto item = get(key, &value);
    return item ? item->cas : 0;
  }
};

TEST_F(LruEngineTest, StoreModes) {
  EXPECT_EQ(store(StoreMode::kReplace, "k", "a"), StoreResult::kNotStored);
  EXPECT_EQ(store(StoreMode::kAppend, "k", "a"), StoreResult::kNotStored);
  EXPECT_EQ(store(StoreMode::kAdd, "k", "a", 7), StoreResult::kStored);
  EXPECT_EQ(store(StoreMode::kAdd, "k", "b"), StoreResult::kNotStored);
  EXPECT_EQ(store(StoreMode::kAppend, "k", "z", 99), StoreResult::kStored);
  EXPECT_EQ(store(StoreMode::kPrepend, "k", "<"), StoreResult::kStored);
  std::string value;
  auto item = get("k", &value);
  ASSERT_TRUE(item);
  EXPECT_EQ(value, "<az");
  EXPECT_EQ(item->flags, 7u);  // append and prepend keep the stored flags
}

TEST_F(LruEngineTest, CasUniqueChangesOnEveryModification) {
  store(StoreMode::kSet, "k", "1");
  const auto first = cas_of("k");
  EXPECT_EQ(store(StoreMode::kCas, "k", "2", 0, 0, first + 100), StoreResult::kExists);
  EXPECT_EQ(store(StoreMode::kCas, "k", "2", 0, 0, first), StoreResult::kStored);
  const auto second = cas_of("k");
  EXPECT_NE(second, first);
  std::uint64_t result = 0;
  EXPECT_EQ(arithmetic("k", true, 1, result), ArithResult::kOk);
  EXPECT_NE(cas_of("k"), second);
  EXPECT_EQ(store(StoreMode::kCas, "missing", "x", 0, 0, 1), StoreResult::kNotFound);
}

TEST_F(LruEngineTest, ArithmeticWrapsFloorsAndPads) {
  std::uint64_t result = 0;
  store(StoreMode::kSet, "n", "18446744073709551615");
  EXPECT_EQ(arithmetic("n", true, 2, result), ArithResult::kOk);
  EXPECT_EQ(result, 1u);
  store(StoreMode::kSet, "d", "10");
  EXPECT_EQ(arithmetic("d", false, 1, result), ArithResult::kOk);
  EXPECT_EQ(value_of("d"), "9 ");
  EXPECT_EQ(arithmetic("d", false, 100, result), ArithResult::kOk);
  EXPECT_EQ(result, 0u);
  store(StoreMode::kSet, "g", "99");
  EXPECT_EQ(arithmetic("g", true, 1, result), ArithResult::kOk);
  EXPECT_EQ(value_of("g"), "100");
  store(StoreMode::kSet, "x", "12abc");
  EXPECT_EQ(arithmetic("x", true, 1, result), ArithResult::kNonNumeric);
  store(StoreMode::kSet, "e", "");
  EXPECT_EQ(arithmetic("e", true, 1, result), ArithResult::kNonNumeric);
  EXPECT_EQ(arithmetic("none", true, 1, result), ArithResult::kNotFound);
}

TEST_F(LruEngineTest, ItemsExpireWithTheClock) {
  store(StoreMode::kSet, "k", "v", 0, server::expiry_from_client(clock_, 2));
  clock_.advance(1);
  EXPECT_EQ(value_of("k"), "v");
  clock_.advance(1);
  EXPECT_EQ(value_of("k"), "<missing>");
  store(StoreMode::kSet, "neg", "v", 0, server::expiry_from_client(clock_, -1));
  EXPECT_EQ(value_of("neg"), "<missing>");
}

TEST_F(LruEngineTest, TouchExtendsLife) {
  store(StoreMode::kSet, "k", "v", 0, server::expiry_from_client(clock_, 1));
  EXPECT_TRUE(engine_.touch("k", server::expiry_from_client(clock_, 10)));
  clock_.advance(5);
  EXPECT_EQ(value_of("k"), "v");
  EXPECT_FALSE(engine_.touch("none", 0));
}

TEST_F(LruEngineTest, FlushAllNowAndLater) {
  store(StoreMode::kSet, "a", "1");
  engine_.flush_all(0);
  EXPECT_EQ(value_of("a"), "<missing>");
  store(StoreMode::kSet, "b", "2");
  EXPECT_EQ(value_of("b"), "2");  // stored after the flush, in the same second
  engine_.flush_all(server::expiry_from_client(clock_, 5));
  EXPECT_EQ(value_of("b"), "2");
  clock_.advance(5);
  EXPECT_EQ(value_of("b"), "<missing>");
}

TEST(LruEngineLimits, EvictsLeastRecentlyUsedWhenFull) {
  ManualClock clock;
  LruEngine engine(clock, LruEngineConfig{4u * 1024 * 1024, 1024 * 1024});
  const std::string value(1000, 'v');
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(engine.store(StoreRequest{StoreMode::kSet, "key" + std::to_string(i), value}).result,
              StoreResult::kStored);
  }
  const EngineStats stats = engine.stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LT(stats.curr_items, 20000u);
  bool newest_present = false;
  engine.get("key19999", nullptr, [&](const ItemView&) { newest_present = true; });
  EXPECT_TRUE(newest_present);
}

}  // namespace
}  // namespace mcrefd::engine
