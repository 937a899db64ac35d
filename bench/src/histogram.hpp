// A latency histogram with about 3% resolution from nanoseconds to minutes, mergeable across threads.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace mcconform::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 5;  // 32 linear steps per power of two

  void record(std::uint64_t nanoseconds) {
    ++counts_[index(nanoseconds)];
    ++total_;
    sum_ += nanoseconds;
  }
  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    sum_ += other.sum_;
  }
  std::uint64_t count() const { return total_; }
  // The exact mean (not bucketed). In a closed loop it is connections / throughput (Little's law),
  // so two servers at the same throughput differ only in how the latency is spread around it.
  double mean() const { return total_ == 0 ? 0 : static_cast<double>(sum_) / static_cast<double>(total_); }

  // The value below which `fraction` of the samples lie (the upper edge of its bucket).
  std::uint64_t percentile(double fraction) const {
    if (total_ == 0) return 0;
    const auto wanted = static_cast<std::uint64_t>(fraction * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= wanted) return upper_edge(i);
    }
    return upper_edge(counts_.size() - 1);
  }

 private:
  static std::size_t index(std::uint64_t v) {
    if (v < (1u << kSubBits)) return static_cast<std::size_t>(v);
    const int exponent = std::bit_width(v) - 1;  // v in [2^e, 2^(e+1))
    const auto sub = static_cast<std::size_t>((v >> (exponent - kSubBits)) & ((1u << kSubBits) - 1));
    return (static_cast<std::size_t>(exponent - kSubBits + 1) << kSubBits) + sub;
  }
  static std::uint64_t upper_edge(std::size_t i) {
    if (i < (1u << kSubBits)) return i;
    const int exponent = static_cast<int>(i >> kSubBits) + kSubBits - 1;
    const std::uint64_t sub = i & ((1u << kSubBits) - 1);
    return ((std::uint64_t{1} << kSubBits) + sub + 1) << (exponent - kSubBits);
  }

  std::array<std::uint64_t, (64 - kSubBits + 1) << kSubBits> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace mcconform::bench
