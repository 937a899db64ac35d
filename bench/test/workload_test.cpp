// Benchmark options and the key-to-value derivation.
#include <gtest/gtest.h>

#include "workload.hpp"

namespace mcconform::bench {
namespace {

TEST(BenchOptions, ParsesTheWorkload) {
  auto parsed = parse_bench_options({"--connections", "8",   "--threads",      "2",
                                     "--pipeline",    "32",  "--multiget",     "50",
                                     "--get-ratio",   "0.5", "--value-size",   "4096",
                                     "--keys",        "100", "--distribution", "zipf",
                                     "--duration",    "1.5", "--compare",      "memcached -p {port}"});
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  const Workload& w = parsed.options.workload;
  EXPECT_EQ(w.pipeline, 32u);
  EXPECT_EQ(w.multiget, 50u);
  EXPECT_TRUE(w.zipf);
  EXPECT_DOUBLE_EQ(w.seconds, 1.5);
  EXPECT_EQ(parsed.options.compare, "memcached -p {port}");
}

TEST(BenchOptions, RejectsNonsense) {
  EXPECT_FALSE(parse_bench_options({"--pipeline", "0"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--get-ratio", "2"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--bogus"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--protocol", "binary"}).error.empty());
  EXPECT_TRUE(parse_bench_options({"--protocol", "meta"}).options.workload.meta);
  EXPECT_FALSE(parse_bench_options({}).options.workload.meta);
  EXPECT_FALSE(parse_bench_options({"--threads"}).error.empty());
}

TEST(BenchValues, DependOnTheKey) {
  std::string a(16, '\0'), b(16, '\0');
  fill_value(1, a.data(), a.size());
  fill_value(2, b.data(), b.size());
  EXPECT_NE(a, b);
  EXPECT_EQ(key_name(7), "bench:7");
}

}  // namespace
}  // namespace mcconform::bench
