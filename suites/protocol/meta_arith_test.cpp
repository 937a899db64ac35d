// ma: increment and decrement modes, deltas, auto-create with initial values, wrap, cas and TTL.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaArith : public ProtocolTest {};

// protocol.txt, Meta Arithmetic: '"HD" to indicate success' (default: increment by 1)
MC_TEST(MetaArith, IncrementByDefaultIsHd, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "6")));
}

// protocol.txt, Meta Arithmetic: 'If the 'v' flag is supplied, the response is formatted as: VA <size>'
MC_TEST(MetaArith, ValueFlagReturnsNumber, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "9"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: '"NF" (NOT_FOUND), to indicate that the item with this key was not found'
MC_TEST(MetaArith, MissIsNotFound, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} v\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NF\r\nEN\r\n"));
}

// protocol.txt, Meta Arithmetic: 'D(token): delta to apply'
MC_TEST(MetaArith, DeltaToken, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} D10 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n15\r\n"));
}

// protocol.txt, Meta Arithmetic: 'D(token): delta ... (decimal unsigned 64-bit number)'
MC_TEST(MetaArith, LargestDelta, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "0"));
  conn().send(fmt::format("ma {} D18446744073709551615 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 20\r\n18446744073709551615\r\n"));
}

// protocol.txt, Meta Arithmetic: 'D: Decrement mode'
MC_TEST(MetaArith, DecrementMode, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} MD v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\n9\r\n"));
}

// protocol.txt, Meta Arithmetic: '-: Alias for decrement'
MC_TEST(MetaArith, DecrementAlias, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} M- D3 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\n7\r\n"));
}

// protocol.txt, Meta Arithmetic: 'I: Increment mode (default)'
MC_TEST(MetaArith, IncrementModeExplicit, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} MI v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n11\r\n"));
}

// protocol.txt, Meta Arithmetic: '+: Alias for increment'
MC_TEST(MetaArith, IncrementAlias, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} M+ D5 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n15\r\n"));
}

// protocol.txt, Meta Arithmetic: 'Decrementing will reach 0 rather than underflow'
MC_TEST(MetaArith, DecrementStopsAtZero, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} MD D100 v\r\nma {} MD v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n0\r\nVA 1\r\n0\r\n"));
}

// protocol.txt, Meta Arithmetic: 'Incrementing can overflow' (wraps to 0)
MC_TEST(MetaArith, IncrementWrapsAtTwoToTheSixtyFour, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "18446744073709551615"));
  conn().send(fmt::format("ma {} v\r\nma {} v D5\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n0\r\nVA 1\r\n5\r\n"));
}

// protocol.txt, Meta Arithmetic: 'N(token): auto create item on miss' (initial value 0 by default)
MC_TEST(MetaArith, AutoCreateStartsAtZero, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 v\r\nma {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n0\r\nVA 1\r\n1\r\n"));
}

// protocol.txt, Meta Arithmetic: 'J(token): initial value to use if auto created after miss'
MC_TEST(MetaArith, AutoCreateWithInitialValue, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J10 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: 'J ... An unsigned 64-bit integer'
MC_TEST(MetaArith, AutoCreateWithLargestInitialValue, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J18446744073709551615 v\r\nma {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 20\r\n18446744073709551615\r\nVA 1\r\n0\r\n"));
}

// protocol.txt, Meta Arithmetic: the initial value is stored as is, whatever the mode
MC_TEST(MetaArith, AutoCreateInDecrementMode, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J5 MD v\r\nma {} MD v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n5\r\nVA 1\r\n4\r\n"));
}

// protocol.txt, Meta Arithmetic: 'J ... Must be combined with an N flag' (without N a miss is NF)
MC_TEST(MetaArith, InitialValueWithoutAutoCreateIsNotFound, Feature::kMetaArith, Level::kSpec) {
  conn().send(fmt::format("ma {} J5 v\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Arithmetic: J only seeds a miss; an existing value is incremented
MC_TEST(MetaArith, InitialValueIgnoredOnHit, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "11"));
  conn().send(fmt::format("ma {} N0 J99 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n12\r\n"));
}

// protocol.txt, Meta Arithmetic: 'N(token): auto create item on miss with supplied TTL'
MC_TEST(MetaArith, AutoCreateTtl, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N100 J10 t v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2 t100\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: 't: return current TTL'
MC_TEST(MetaArith, TtlFlagUnlimited, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("ma {} t\r\n", k));
  EXPECT_TRUE(conn().expect("HD t-1\r\n"));
}

// protocol.txt, Meta Arithmetic: 'T(token): update TTL on success'
MC_TEST(MetaArith, TouchOnSuccess, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\n5\r\nma {} T30 t\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nHD t30\r\nVA 1 t30\r\n6\r\n"));
}

// memcached behaviour: like mg, a 't' before 'T' reports the TTL before the update
MC_TEST(MetaArith, TtlBeforeTouchReportsOldTtl, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\n5\r\nma {} t v T0\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nVA 1 t100\r\n6\r\nHD t-1\r\n"));
}

// protocol.txt, Meta Arithmetic: an increment keeps the client flags and TTL
MC_TEST(MetaArith, KeepsClientFlagsAndTtl, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F9 T100\r\n5\r\nma {} v\r\nmg {} f t v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\n6\r\nVA 1 f9 t100\r\n6\r\n"));
}

// protocol.txt, Meta Arithmetic: 'c: return current CAS value if successful' (as mg c shows)
MC_TEST(MetaArith, CasFlagReturnsNewCas, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto before = fetch_meta_cas(k);
  conn().send(fmt::format("ma {} c\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto after = fetch_meta_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after);
  EXPECT_EQ(line, fmt::format("HD c{}\r\n", *after));
}

// protocol.txt, Meta Arithmetic: 'C(token): compare CAS value' (matching: applied)
MC_TEST(MetaArith, CompareCasMatch, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} C{} v\r\n", k, *unique));
  EXPECT_TRUE(conn().expect("VA 1\r\n6\r\n"));
}

// protocol.txt, Meta Arithmetic: '"EX" (EXISTS), to indicate that the supplied CAS token does not match'
MC_TEST(MetaArith, CompareCasMismatchIsExists, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} C{} v\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\n5\r\n"));
}

// protocol.txt, Meta Arithmetic: 'E(token): use token as new CAS value'
MC_TEST(MetaArith, CasOverride, .feature = Feature::kMetaArith, .level = Level::kSpec, .versions = Since("1.6.27")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} E42\r\nmg {} c\r\nma {} C42 v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD c42\r\nVA 1\r\n7\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no E flag on ma
MC_TEST(MetaArith, CasOverrideUnknownBefore1627, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .versions = Until("1.6.26")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} E42\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// protocol.txt, Meta Arithmetic: 'k: return key as a token' and 'O(token)' in request order
MC_TEST(MetaArith, KeyAndOpaque, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} k O1 v\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VA 1 k{} O1\r\n6\r\n", k)));
}

// protocol.txt, Meta Arithmetic: opaque and key are copied back on NF
MC_TEST(MetaArith, OpaqueOnNotFound, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} O2 k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("NF O2 k{}\r\n", k)));
}

// protocol.txt, Meta Arithmetic: opaque is copied back on EX
MC_TEST(MetaArith, OpaqueOnExists, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} C{} O3\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX O3\r\n"));
}

// protocol.txt, Meta Arithmetic: a client's counter read: every return flag together
MC_TEST(MetaArith, ClientCombination, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J1 v t c k O9\r\n", k));
  const std::string line = conn().read_until("\r\n");
  ASSERT_TRUE(conn().expect("1\r\n"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("VA 1 t-1 c{} k{} O9\r\n", *unique, k));
}

// memcached behaviour: leading zeros are read as a number; the shorter result is space-padded in
// place (protocol.txt, Increment/Decrement: 'The number MAY be space-padded at the end')
MC_TEST(MetaArith, LeadingZerosAreParsed, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "007"));
  conn().send(fmt::format("ma {} v\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n8\r\n" + value_reply(k, "8  ")));
}

// memcached behaviour: a non-numeric value is 'CLIENT_ERROR cannot increment or decrement non-numeric value'
MC_TEST(MetaArith, NonNumericValueIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  conn().send(fmt::format("ma {} v\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\nVA 2\r\nab\r\n"));
}

// memcached behaviour: a value over 64 bits is non-numeric
MC_TEST(MetaArith, ValueOverSixtyFourBitsIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "123456789012345678901234"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

// memcached behaviour: a negative stored value is non-numeric
MC_TEST(MetaArith, NegativeValueIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "-1"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

// memcached behaviour: an empty value is non-numeric
MC_TEST(MetaArith, EmptyValueIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, ""));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

// memcached behaviour: an unknown mode is 'CLIENT_ERROR invalid mode for ma M token'
MC_TEST(MetaArith, UnknownModeIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} MZ v\r\nma {} Mi v\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid mode for ma M token\r\nCLIENT_ERROR invalid mode for ma M token\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: a non-numeric delta is 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaArith, NonNumericDeltaIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} Dx\r\nma {} D\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: a delta of 2^64 or a negative delta is refused
MC_TEST(MetaArith, OutOfRangeDeltaIsClientError, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} D18446744073709551616\r\nma {} D-1\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: a non-numeric N or J is 'CLIENT_ERROR invalid or duplicate flag'; nothing created
MC_TEST(MetaArith, NonNumericAutoCreateTokensAreClientErrors, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ma {} Nabc\r\nma {} N0 Jabc\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nEN\r\n"));
}

// memcached behaviour: a key over 250 bytes is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaArith, KeyTooLongIsClientError, Feature::kMetaArith, Level::kCompat) {
  conn().send(fmt::format("ma {}\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// protocol.txt, Meta Arithmetic: ma and classic incr/decr work on the same counter
MC_TEST(MetaArith, MixedWithClassicIncrDecr, Feature::kMetaArith, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J10 v\r\nincr {} 5\r\nma {} MD D3 v\r\ndecr {} 2\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n15\r\nVA 2\r\n12\r\n10\r\n"));
}

// memcached behaviour: a value with a leading space is read as its number
MC_TEST(MetaArith, LeadingSpaceIsParsed, Feature::kMetaArith, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, " 9"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: 'E(token): use token as new CAS value' on an auto-created item
MC_TEST(MetaArith, AutoCreateWithCasOverride, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .versions = Since("1.6.27")) {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 E66 c\r\nmg {} c\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD c66\r\nHD c66\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
