// Version numbers, version ranges and the built-in profile list.
#include <gtest/gtest.h>

#include "mcconform/profile.hpp"

namespace mcconform {
namespace {

TEST(Version, ParsesAndComparesComponentWise) {
  auto a = Version::parse("1.6.9");
  auto b = Version::parse("1.6.38");
  ASSERT_TRUE(a && b);
  EXPECT_LT(*a, *b);  // 9 < 38 as numbers, not as text
  EXPECT_EQ(b->to_string(), "1.6.38");
  EXPECT_FALSE(Version::parse("1.6"));
  EXPECT_FALSE(Version::parse("1.6.38-rc1"));
  EXPECT_FALSE(Version::parse("1..6"));
}

TEST(VersionRange, BothEndsInclusiveAndOpenEndsOpen) {
  const auto v18 = *Version::parse("1.6.18");
  const auto v20 = *Version::parse("1.6.20");
  const auto v38 = *Version::parse("1.6.38");
  EXPECT_TRUE(VersionRange{}.contains(v18));
  EXPECT_FALSE(Since("1.6.20").contains(v18));
  EXPECT_TRUE(Since("1.6.20").contains(v20));
  EXPECT_TRUE(Until("1.6.19").contains(v18));
  EXPECT_FALSE(Until("1.6.19").contains(v38));
  EXPECT_TRUE(Between("1.6.18", "1.6.38").contains(v38));
  EXPECT_EQ(Since("1.6.20").describe(), "memcached >= 1.6.20");
  EXPECT_THROW((void)Since("one").contains(v18), std::invalid_argument);
}

TEST(Profiles, BuiltInListHasBothOraclesAndTheNewestIsTheDefault) {
  ASSERT_TRUE(find_profile("memcached-1.6.18"));
  ASSERT_TRUE(find_profile("memcached-1.6.38"));
  EXPECT_EQ(default_profile().name, "memcached-1.6.38");
  EXPECT_FALSE(find_profile("memcached-9"));
}

TEST(Profiles, MalformedListsAreRefusedWithAReason) {
  EXPECT_THROW(parse_profiles(R"({"profiles": []})"), std::runtime_error);
  EXPECT_THROW(parse_profiles(R"({"profiles": [{"name": "x", "version": "one"}]})"), std::runtime_error);
  EXPECT_THROW(parse_profiles(R"({"default": "y", "profiles": [{"name": "x", "version": "1.2.3"}]})"),
               std::runtime_error);
  std::string chosen;
  auto list = parse_profiles(
      R"({"profiles": [{"name": "new", "version": "1.6.40"}, {"name": "old", "version": "1.6.2"}]})", &chosen);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.front().name, "old");  // sorted oldest first
  EXPECT_EQ(chosen, "new");             // no default named: the newest
}

}  // namespace
}  // namespace mcconform
