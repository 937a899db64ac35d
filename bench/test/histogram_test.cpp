// The latency histogram: percentiles within its 3% resolution, merging.
#include <gtest/gtest.h>

#include "histogram.hpp"

namespace mcconform::bench {
namespace {

TEST(Histogram, PercentilesOfAUniformSpread) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100000; ++v) h.record(v * 10);  // 10 ns .. 1 ms
  EXPECT_NEAR(static_cast<double>(h.percentile(0.5)), 500000.0, 500000.0 * 0.04);
  EXPECT_NEAR(static_cast<double>(h.percentile(0.99)), 990000.0, 990000.0 * 0.04);
  EXPECT_GE(h.percentile(1.0), 1000000u);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  h.record(3);
  h.record(7);
  EXPECT_EQ(h.percentile(0.0), 3u);
  EXPECT_EQ(h.percentile(1.0), 7u);
}

TEST(Histogram, MeanIsExact) {
  Histogram h;
  h.record(1000);
  h.record(3001);
  EXPECT_DOUBLE_EQ(h.mean(), 2000.5);
}

TEST(Histogram, MergeAddsCounts) {
  Histogram a, b;
  a.record(1000);
  b.record(1000000);
  a.merge(b);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_GE(a.percentile(1.0), 1000000u);
}

}  // namespace
}  // namespace mcconform::bench
