// The shrinker on synthetic predicates: minimal results, simplification, determinism, budget.
#include "shrink.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <string>

namespace mcconform::differential {
namespace {

std::vector<int> one_to(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 1);
  return v;
}

// Fails when 3 comes somewhere before 7: the minimal failing sequence is {3, 7}.
bool three_before_seven(const std::vector<int>& v) {
  const auto three = std::find(v.begin(), v.end(), 3);
  return three != v.end() && std::find(three, v.end(), 7) != v.end();
}

std::vector<int> nothing_simpler(const int&) { return {}; }

TEST(Shrink, FindsTheTwoItemsThatMatterAmongHundreds) {
  ShrinkStats stats;
  const auto result = shrink<int>(one_to(500), three_before_seven, nothing_simpler, 1000, &stats);
  EXPECT_EQ(result, (std::vector<int>{3, 7}));
  EXPECT_FALSE(stats.exhausted);
  EXPECT_LT(stats.tests, 200) << "delta debugging should need far fewer tests than items squared";
}

TEST(Shrink, KeepsASingleCulprit) {
  const auto result = shrink<int>(
      one_to(64), [](const std::vector<int>& v) { return std::find(v.begin(), v.end(), 42) != v.end(); },
      nothing_simpler, 1000, nullptr);
  EXPECT_EQ(result, (std::vector<int>{42}));
}

TEST(Shrink, SimplifiesItemsAfterDroppingThem) {
  // Fails when some string holds an 'x' and some later string is at least 3 long; simpler forms
  // drop the last character.
  const std::function<bool(const std::vector<std::string>&)> fails = [](const std::vector<std::string>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i].find('x') == std::string::npos) continue;
      for (std::size_t j = i + 1; j < v.size(); ++j) {
        if (v[j].size() >= 3) return true;
      }
    }
    return false;
  };
  const std::function<std::vector<std::string>(const std::string&)> shorter = [](const std::string& s) {
    return s.empty() ? std::vector<std::string>{} : std::vector<std::string>{s.substr(0, s.size() - 1)};
  };
  const std::vector<std::string> input = {"abc", "hello", "xylophone", "q", "zz", "long string here", "end"};
  const auto result = shrink<std::string>(input, fails, shorter, 1000, nullptr);
  // "x" is what is left of "xylophone"; one later string of 3 is left of the others ("end").
  EXPECT_EQ(result, (std::vector<std::string>{"x", "end"}));
}

TEST(Shrink, IsDeterministic) {
  ShrinkStats first, second;
  const auto a = shrink<int>(one_to(300), three_before_seven, nothing_simpler, 1000, &first);
  const auto b = shrink<int>(one_to(300), three_before_seven, nothing_simpler, 1000, &second);
  EXPECT_EQ(a, b);
  EXPECT_EQ(first.tests, second.tests);
}

TEST(Shrink, StopsWhenTheBudgetRunsOutWithAStillFailingSequence) {
  ShrinkStats stats;
  const auto result = shrink<int>(one_to(1000), three_before_seven, nothing_simpler, 5, &stats);
  EXPECT_TRUE(stats.exhausted);
  EXPECT_EQ(stats.tests, 5);
  EXPECT_TRUE(three_before_seven(result)) << "what is returned must still fail";
  EXPECT_LT(result.size(), 1000u);
}

}  // namespace
}  // namespace mcconform::differential
