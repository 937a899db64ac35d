// The Wing-Gong-Lowe search on its own, with the simplest model: a register of one integer.
#include <gtest/gtest.h>

#include <vector>

#include "mcconform/linearizability/search.hpp"

namespace mcconform::linearizability {
namespace {

struct RegisterOp {
  bool write;
  int value;  // written, or read
  Time call;
  Time ret;
};

struct RegisterModel {
  using State = int;
  using Operation = RegisterOp;
  static Interval interval(const RegisterOp& op) { return {op.call, op.ret}; }
  bool step(int state, const RegisterOp& op, int& next) const {
    next = op.write ? op.value : state;
    return op.write || op.value == state;
  }
  std::size_t hash(int state) const { return static_cast<std::size_t>(state); }
  bool equal(int a, int b) const { return a == b; }
};

Verdict check(const std::vector<RegisterOp>& ops, SearchLimits limits = {}) {
  return search_linearization(RegisterModel{}, std::span<const RegisterOp>(ops), 0, limits).verdict;
}

TEST(LinearizabilitySearch, EmptyHistoryIsLinearizable) { EXPECT_EQ(check({}), Verdict::kLinearizable); }

TEST(LinearizabilitySearch, SequentialWritesAndReads) {
  EXPECT_EQ(check({{true, 1, 0, 10}, {false, 1, 20, 30}, {true, 2, 40, 50}, {false, 2, 60, 70}}),
            Verdict::kLinearizable);
}

TEST(LinearizabilitySearch, ReadConcurrentWithWriteMaySeeEitherValue) {
  EXPECT_EQ(check({{true, 1, 0, 100}, {false, 0, 10, 20}, {false, 1, 30, 40}}), Verdict::kLinearizable);
}

TEST(LinearizabilitySearch, ReadCannotGoBackAfterSeeingTheNewValue) {
  // Both reads overlap the write, but the second starts after the first ended.
  EXPECT_EQ(check({{true, 1, 0, 100}, {false, 1, 10, 20}, {false, 0, 30, 40}}), Verdict::kNotLinearizable);
}

TEST(LinearizabilitySearch, StaleReadAfterTheWriteReturnedIsNot) {
  EXPECT_EQ(check({{true, 1, 0, 10}, {false, 0, 20, 30}}), Verdict::kNotLinearizable);
}

TEST(LinearizabilitySearch, TouchingIntervalsCountAsConcurrent) {
  EXPECT_EQ(check({{true, 1, 0, 10}, {false, 0, 10, 20}}), Verdict::kLinearizable);
}

TEST(LinearizabilitySearch, PendingWriteMayTakeEffectLate) {
  EXPECT_EQ(check({{true, 1, 0, kNever}, {false, 0, 10, 20}, {false, 1, 30, 40}}), Verdict::kLinearizable);
}

TEST(LinearizabilitySearch, ConcurrentWritesNeedAConsistentOrder) {
  // Two readers see 1 then 2 and 2 then 1: no single order of the writes explains both.
  EXPECT_EQ(check({{true, 1, 0, 100},
                   {true, 2, 0, 100},
                   {false, 1, 10, 20},
                   {false, 2, 30, 40},
                   {false, 2, 10, 20},
                   {false, 1, 30, 40}}),
            Verdict::kNotLinearizable);
}

std::vector<RegisterOp> long_concurrent_history() {
  std::vector<RegisterOp> ops;
  for (int i = 0; i < 4000; ++i) ops.push_back({true, i % 7, i, i + 50});
  return ops;
}

TEST(LinearizabilitySearch, DeadlineGivesUnknownNeverAGuess) {
  SearchLimits limits;
  limits.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  EXPECT_EQ(check(long_concurrent_history(), limits), Verdict::kUnknown);
}

TEST(LinearizabilitySearch, FullMemoTableGivesUnknown) {
  SearchLimits limits;
  limits.max_memo_entries = 10;
  EXPECT_EQ(check(long_concurrent_history(), limits), Verdict::kUnknown);
}

TEST(LinearizabilitySearch, ManyOverlappingWritesStayFastThanksToMemoisation) {
  EXPECT_EQ(check(long_concurrent_history()), Verdict::kLinearizable);
}

}  // namespace
}  // namespace mcconform::linearizability
