// incr and decr: results, wrap-around, the floor at zero, non-numeric values, bad deltas.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Arith : public ProtocolTest {};

MC_TEST(Arith, IncrReturnsAndStoresTheNewValue, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10", 5));
  conn().send(fmt::format("incr {} 5\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("15\r\n" + value_reply(k, "15", 5)));
}

MC_TEST(Arith, DecrReturnsTheNewValue, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "100"));
  conn().send(fmt::format("decr {} 1\r\n", k));
  EXPECT_TRUE(conn().expect("99\r\n"));
}

MC_TEST(Arith, MissingKeyIsNotFound, Feature::kArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("incr {} 1\r\ndecr {} 1\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_FOUND\r\nNOT_FOUND\r\n"));
}

MC_TEST(Arith, IncrWrapsAt64Bits, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "18446744073709551615"));
  conn().send(fmt::format("incr {} 1\r\n", k));
  EXPECT_TRUE(conn().expect("0\r\n"));
}

MC_TEST(Arith, IncrWrapsPastZero, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "18446744073709551610"));
  conn().send(fmt::format("incr {} 10\r\n", k));
  EXPECT_TRUE(conn().expect("4\r\n"));
}

MC_TEST(Arith, DecrStopsAtZero, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("decr {} 6\r\ndecr {} 1\r\n", k, k));
  EXPECT_TRUE(conn().expect("0\r\n0\r\n"));
}

MC_TEST(Arith, IncrByZero, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "7"));
  conn().send(fmt::format("incr {} 0\r\n", k));
  EXPECT_TRUE(conn().expect("7\r\n"));
}

MC_TEST(Arith, LargestDelta, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("incr {} 18446744073709551615\r\n", k));
  EXPECT_TRUE(conn().expect("0\r\n"));
}

MC_TEST(Arith, IncrGrowsTheValueLength, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "99"));
  conn().send(fmt::format("incr {} 1\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("100\r\n" + value_reply(k, "100")));
}

MC_TEST(Arith, DecrKeepsTheLengthPaddedWithSpaces, Feature::kArith, Level::kCompat) {
  // memcached rewrites the number in place and pads with spaces.
  const auto k = key();
  ASSERT_TRUE(store(k, "100"));
  conn().send(fmt::format("decr {} 91\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("9\r\n" + value_reply(k, "9  ")));
}

MC_TEST(Arith, PaddedValueKeepsCounting, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("decr {} 1\r\nincr {} 5\r\nget {}\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("9\r\n14\r\n" + value_reply(k, "14")));
}

MC_TEST(Arith, NonNumericValueIsClientError, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "abc"));
  conn().send(fmt::format("incr {} 1\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

MC_TEST(Arith, NumberFollowedByLettersIsNonNumeric, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "12abc"));
  conn().send(fmt::format("decr {} 1\r\nget {}\r\n", k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n" + value_reply(k, "12abc")));
}

MC_TEST(Arith, EmptyValueIsNonNumeric, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, ""));
  conn().send(fmt::format("incr {} 1\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

MC_TEST(Arith, ValueBeyond64BitsIsNonNumeric, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "18446744073709551616"));
  conn().send(fmt::format("incr {} 1\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

MC_TEST(Arith, NegativeValueIsNonNumeric, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "-5"));
  conn().send(fmt::format("incr {} 1\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

MC_TEST(Arith, NonNumericDeltaIsClientError, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("incr {} abc\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid numeric delta argument\r\n"));
}

MC_TEST(Arith, NegativeDeltaIsClientError, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("decr {} -1\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid numeric delta argument\r\n"));
}

MC_TEST(Arith, DeltaBeyond64BitsIsClientError, Feature::kArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("incr {} 18446744073709551616\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid numeric delta argument\r\n"));
}

MC_TEST(Arith, MissingDeltaIsError, Feature::kArith, Level::kCompat) {
  conn().send(fmt::format("incr {}\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Arith, KeepsFlags, Feature::kArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1", 77));
  conn().send(fmt::format("incr {} 1\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("2\r\n" + value_reply(k, "2", 77)));
}

MC_TEST(Arith, KeyTooLongIsClientError, Feature::kArith, Level::kCompat) {
  conn().send(fmt::format("incr {} 1\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
