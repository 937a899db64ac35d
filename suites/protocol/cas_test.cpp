// cas: success, stale uniques, missing keys, uniques changing on every modification.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Cas : public ProtocolTest {};

MC_TEST(Cas, MatchingUniqueStores, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "a cas with the unique gets returned answers STORED and stores the new value and flags") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 4 0 3 {}\r\nnew\r\nget {}\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "new", 4)));
}

MC_TEST(Cas, StaleUniqueIsExistsAndKeepsValue, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "a cas whose unique no longer matches (the item was set since) answers EXISTS and keeps the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "one"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  ASSERT_TRUE(store(k, "two"));
  conn().send(fmt::format("cas {} 0 0 5 {}\r\nthree\r\nget {}\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("EXISTS\r\n" + value_reply(k, "two")));
}

MC_TEST(Cas, MissingKeyIsNotFound, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "a cas of a missing key answers NOT_FOUND and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("cas {} 0 0 1 12345\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_FOUND\r\nEND\r\n"));
}

MC_TEST(Cas, DeletedKeyIsNotFound, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "a cas of a key deleted since its gets answers NOT_FOUND") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("delete {}\r\ncas {} 0 0 1 {}\r\nx\r\n", k, k, *unique));
  EXPECT_TRUE(conn().expect("DELETED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Cas, SecondCasWithSameUniqueFails, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "of two cas with the same unique, the first answers STORED and the second EXISTS") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 0 0 1 {}\r\na\r\ncas {} 0 0 1 {}\r\nb\r\n", k, *unique, k, *unique));
  EXPECT_TRUE(conn().expect("STORED\r\nEXISTS\r\n"));
}

MC_TEST(Cas, SuccessfulCasGivesANewUnique, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)", .checks = "a successful cas gives the item a new cas unique") {
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

MC_TEST(Cas, UniquesDifferBetweenKeys, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (gets)",
        .checks = "two keys holding the same value have different cas uniques") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "same"));
  ASSERT_TRUE(store(b, "same"));
  EXPECT_NE(fetch_cas(a), fetch_cas(b));
}

MC_TEST(Cas, UniqueOfOneKeyDoesNotWorkOnAnother, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)", .checks = "a cas with another key's unique answers EXISTS") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  const auto unique_a = fetch_cas(a);
  ASSERT_TRUE(unique_a);
  conn().send(fmt::format("cas {} 0 0 1 {}\r\nx\r\n", b, *unique_a));
  EXPECT_TRUE(conn().expect("EXISTS\r\n"));
}

MC_TEST(Cas, HugeUniqueIsParsedAs64Bit, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "a cas unique of 18446744073709551615 (2^64-1) is accepted as a 64-bit value and answers EXISTS") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("cas {} 0 0 1 18446744073709551615\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect("EXISTS\r\n"));
}

MC_TEST(Cas, NoreplySuccessSendsNothingAndStores, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (noreply)",
        .checks = "a successful cas with noreply sends nothing and stores the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 0 0 3 {} noreply\r\nnew\r\n", k, *unique));
  ASSERT_TRUE(conn().expect_sentinel());
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "new")));
}

MC_TEST(Cas, NoreplyFailureSendsNothingAndKeepsValue, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (noreply)",
        .checks = "a cas with noreply that fails (EXISTS or NOT_FOUND) sends nothing and changes nothing") {
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

MC_TEST(Cas, MissingUniqueIsError, .feature = Feature::kCore, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "a cas line without its unique answers ERROR") {
  conn().send(fmt::format("cas {} 0 0 1\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Cas, NonNumericUniqueIsClientError, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a non-numeric cas unique answers \"CLIENT_ERROR bad command line format\" before the data, and the data "
            "line is then read as a command (ERROR)") {
  // The line is refused before its data; the data line is then read as a command.
  conn().send(fmt::format("cas {} 0 0 1 abc\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\n"));
}

MC_TEST(Cas, UniqueChangesAfterIncr, .feature = Feature::kArith, .level = Level::kSpec,
        .spec = "protocol.txt: Increment/Decrement", .checks = "an incr gives the item a new cas unique") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto before = fetch_cas(k);
  conn().send(fmt::format("incr {} 1\r\n", k));
  ASSERT_TRUE(conn().expect("6\r\n"));
  const auto after = fetch_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after);
}

MC_TEST(Cas, UniqueSurvivesTouch, .feature = Feature::kTouch, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "touch keeps the item's cas unique") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto before = fetch_cas(k);
  conn().send(fmt::format("touch {} 100\r\n", k));
  ASSERT_TRUE(conn().expect("TOUCHED\r\n"));
  EXPECT_EQ(before, fetch_cas(k));
}

}  // namespace
}  // namespace mcconform::suites
