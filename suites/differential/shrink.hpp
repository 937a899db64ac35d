// Delta debugging: the smallest sequence (and the simplest items in it) that still fails.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <vector>

namespace mcconform::differential {

struct ShrinkStats {
  int tests = 0;           // candidates tried
  bool exhausted = false;  // the budget ran out: the result is smaller, perhaps not minimal
};

// Reduces `items`, for which `fails` holds, to a sequence for which it still holds: first by
// dropping chunks, halves then quarters and so on down to single items (Zeller's ddmin), then by
// replacing each item with one of `simpler(item)` (every candidate must be strictly simpler, so
// that the process ends), and again until nothing changes or `max_tests` candidates were tried.
// Deterministic: candidates are tried in a fixed order.
template <class T>
std::vector<T> shrink(std::vector<T> items, const std::function<bool(const std::vector<T>&)>& fails,
                      const std::function<std::vector<T>(const T&)>& simpler, int max_tests, ShrinkStats* stats) {
  ShrinkStats local;
  ShrinkStats& s = stats != nullptr ? *stats : local;
  auto test = [&](const std::vector<T>& candidate) {
    if (s.tests >= max_tests) {
      s.exhausted = true;
      return false;
    }
    ++s.tests;
    return fails(candidate);
  };
  for (bool changed = true; changed && !s.exhausted;) {
    changed = false;
    // Drop chunks: n chunks of the sequence, each left out in turn.
    for (std::size_t n = 2; items.size() >= 2 && !s.exhausted;) {
      const std::size_t chunk = (items.size() + n - 1) / n;
      bool removed = false;
      for (std::size_t start = 0; start < items.size(); start += chunk) {
        std::vector<T> candidate(items.begin(), items.begin() + static_cast<long>(start));
        candidate.insert(candidate.end(), items.begin() + static_cast<long>(std::min(start + chunk, items.size())),
                         items.end());
        if (!candidate.empty() && test(candidate)) {
          items = std::move(candidate);
          n = std::max<std::size_t>(n - 1, 2);
          removed = changed = true;
          break;
        }
      }
      if (!removed) {
        if (n >= items.size()) break;
        n = std::min(n * 2, items.size());
      }
    }
    // Simplify what is left, item by item.
    for (std::size_t i = 0; i < items.size() && !s.exhausted; ++i) {
      for (bool simplified = true; simplified;) {
        simplified = false;
        for (T& variant : simpler(items[i])) {
          std::vector<T> candidate = items;
          candidate[i] = std::move(variant);
          if (test(candidate)) {
            items = std::move(candidate);
            simplified = changed = true;
            break;
          }
        }
      }
    }
  }
  return items;
}

}  // namespace mcconform::differential
