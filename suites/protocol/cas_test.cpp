// cas: success, stale uniques, missing keys, uniques changing on every modification.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Cas : public ProtocolTest {};

MC_TEST(Cas, MatchingUniqueStores, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 4 0 3 {}\r\nnew\r\nget {}\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "new", 4)));
}

MC_TEST(Cas, StaleUniqueIsExistsAndKeepsValue, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "one"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  ASSERT_TRUE(store(k, "two"));
  conn().send(fmt::format("cas {} 0 0 5 {}\r\nthree\r\nget {}\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("EXISTS\r\n" + value_reply(k, "two")));
}

MC_TEST(Cas, MissingKeyIsNotFound, Feature::kCore, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("cas {} 0 0 1 12345\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_FOUND\r\nEND\r\n"));
}

MC_TEST(Cas, DeletedKeyIsNotFound, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("delete {}\r\ncas {} 0 0 1 {}\r\nx\r\n", k, k, *unique));
  EXPECT_TRUE(conn().expect("DELETED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Cas, SecondCasWithSameUniqueFails, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 0 0 1 {}\r\na\r\ncas {} 0 0 1 {}\r\nb\r\n", k, *unique, k, *unique));
  EXPECT_TRUE(conn().expect("STORED\r\nEXISTS\r\n"));
}

MC_TEST(Cas, SuccessfulCasGivesANewUnique, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto first = fetch_cas(k);
  ASSERT_TRUE(first);
  conn().send(fmt::format("cas {} 0 0 1 {}\r\nw\r\n", k, *first));
  ASSERT_TRUE(conn().expect("STORED\r\n"));
  const auto second = fetch_cas(k);
  ASSERT_TRUE(second);
  EXPECT_NE(*first, *second);
}

MC_TEST(Cas, UniquesDifferBetweenKeys, Feature::kCore, Level::kSpec) {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "same"));
  ASSERT_TRUE(store(b, "same"));
  EXPECT_NE(fetch_cas(a), fetch_cas(b));
}

MC_TEST(Cas, UniqueOfOneKeyDoesNotWorkOnAnother, Feature::kCore, Level::kSpec) {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  const auto unique_a = fetch_cas(a);
  ASSERT_TRUE(unique_a);
  conn().send(fmt::format("cas {} 0 0 1 {}\r\nx\r\n", b, *unique_a));
  EXPECT_TRUE(conn().expect("EXISTS\r\n"));
}

MC_TEST(Cas, HugeUniqueIsParsedAs64Bit, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("cas {} 0 0 1 18446744073709551615\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect("EXISTS\r\n"));
}

MC_TEST(Cas, NoreplySuccessSendsNothingAndStores, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 0 0 3 {} noreply\r\nnew\r\n", k, *unique));
  ASSERT_TRUE(conn().expect_sentinel());
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "new")));
}

MC_TEST(Cas, NoreplyFailureSendsNothingAndKeepsValue, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(
      fmt::format("cas {} 0 0 3 {} noreply\r\nnew\r\ncas {} 0 0 1 1 noreply\r\nx\r\n", k, *unique + 1, key("missing")));
  ASSERT_TRUE(conn().expect_sentinel());
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v")));
}

MC_TEST(Cas, MissingUniqueIsError, Feature::kCore, Level::kCompat) {
  conn().send(fmt::format("cas {} 0 0 1\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Cas, NonNumericUniqueIsClientError, Feature::kCore, Level::kCompat) {
  // The line is refused before its data; the data line is then read as a command.
  conn().send(fmt::format("cas {} 0 0 1 abc\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\n"));
}

MC_TEST(Cas, UniqueChangesAfterIncr, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto before = fetch_cas(k);
  conn().send(fmt::format("incr {} 1\r\n", k));
  ASSERT_TRUE(conn().expect("6\r\n"));
  const auto after = fetch_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after);
}

MC_TEST(Cas, UniqueSurvivesTouch, Feature::kTouch, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto before = fetch_cas(k);
  conn().send(fmt::format("touch {} 100\r\n", k));
  ASSERT_TRUE(conn().expect("TOUCHED\r\n"));
  EXPECT_EQ(before, fetch_cas(k));
}

}  // namespace
}  // namespace mcconform::suites
