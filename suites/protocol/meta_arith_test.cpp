// ma: increment and decrement modes, deltas, auto-create with initial values, wrap, cas and TTL.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaArith : public ProtocolTest {};

// protocol.txt, Meta Arithmetic: '"HD" to indicate success' (default: increment by 1)
MC_TEST(MetaArith, IncrementByDefaultIsHd, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "an ma without flags answers HD and increments the value by 1 (5 reads back as 6)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "6")));
}

// protocol.txt, Meta Arithmetic: 'If the 'v' flag is supplied, the response is formatted as: VA <size>'
MC_TEST(MetaArith, ValueFlagReturnsNumber, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma v answers VA <size> with the new value as its data block (9 becomes 10)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "9"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: '"NF" (NOT_FOUND), to indicate that the item with this key was not found'
MC_TEST(MetaArith, MissIsNotFound, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "an ma of a missing key answers NF and creates nothing (mg then answers EN)") {
  const auto k = key();
  conn().send(fmt::format("ma {} v\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NF\r\nEN\r\n"));
}

// protocol.txt, Meta Arithmetic: 'D(token): delta to apply'
MC_TEST(MetaArith, DeltaToken, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma D10 adds 10 to the value (5 becomes 15)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} D10 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n15\r\n"));
}

// protocol.txt, Meta Arithmetic: 'D(token): delta ... (decimal unsigned 64-bit number)'
MC_TEST(MetaArith, LargestDelta, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma takes a delta of 2^64-1 (0 becomes 18446744073709551615)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "0"));
  conn().send(fmt::format("ma {} D18446744073709551615 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 20\r\n18446744073709551615\r\n"));
}

// protocol.txt, Meta Arithmetic: 'D: Decrement mode'
MC_TEST(MetaArith, DecrementMode, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma MD decrements by 1 (10 becomes 9)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} MD v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\n9\r\n"));
}

// protocol.txt, Meta Arithmetic: '-: Alias for decrement'
MC_TEST(MetaArith, DecrementAlias, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma M- is decrement mode (10 with D3 becomes 7)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} M- D3 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\n7\r\n"));
}

// protocol.txt, Meta Arithmetic: 'I: Increment mode (default)'
MC_TEST(MetaArith, IncrementModeExplicit, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma MI increments by 1 (10 becomes 11)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} MI v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n11\r\n"));
}

// protocol.txt, Meta Arithmetic: '+: Alias for increment'
MC_TEST(MetaArith, IncrementAlias, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma M+ is increment mode (10 with D5 becomes 15)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} M+ D5 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n15\r\n"));
}

// protocol.txt, Meta Arithmetic: 'Decrementing will reach 0 rather than underflow'
MC_TEST(MetaArith, DecrementStopsAtZero, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "a decrement below zero stops at 0 (10 minus 100 is 0, and 0 minus 1 stays 0)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "10"));
  conn().send(fmt::format("ma {} MD D100 v\r\nma {} MD v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n0\r\nVA 1\r\n0\r\n"));
}

// protocol.txt, Meta Arithmetic: 'Incrementing can overflow' (wraps to 0)
MC_TEST(MetaArith, IncrementWrapsAtTwoToTheSixtyFour, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "an increment past 2^64-1 wraps around (2^64-1 plus 1 is 0, plus 5 more is 5)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "18446744073709551615"));
  conn().send(fmt::format("ma {} v\r\nma {} v D5\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n0\r\nVA 1\r\n5\r\n"));
}

// protocol.txt, Meta Arithmetic: 'N(token): auto create item on miss' (initial value 0 by default)
MC_TEST(MetaArith, AutoCreateStartsAtZero, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma N0 v of a missing key creates the counter at 0 and returns 0; the next ma returns 1") {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 v\r\nma {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n0\r\nVA 1\r\n1\r\n"));
}

// protocol.txt, Meta Arithmetic: 'J(token): initial value to use if auto created after miss'
MC_TEST(MetaArith, AutoCreateWithInitialValue, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma N0 J10 v of a missing key creates the counter with the initial value 10 and returns it") {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J10 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: 'J ... An unsigned 64-bit integer'
MC_TEST(MetaArith, AutoCreateWithLargestInitialValue, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma N0 takes an initial value J of 2^64-1, and the next increment wraps it to 0") {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J18446744073709551615 v\r\nma {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 20\r\n18446744073709551615\r\nVA 1\r\n0\r\n"));
}

// protocol.txt, Meta Arithmetic: the initial value is stored as is, whatever the mode
MC_TEST(MetaArith, AutoCreateInDecrementMode, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma N0 J5 MD of a missing key stores and returns 5 as is; the next ma MD gives 4") {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J5 MD v\r\nma {} MD v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n5\r\nVA 1\r\n4\r\n"));
}

// protocol.txt, Meta Arithmetic: 'J ... Must be combined with an N flag' (without N a miss is NF)
MC_TEST(MetaArith, InitialValueWithoutAutoCreateIsNotFound, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma J5 without N of a missing key answers NF") {
  conn().send(fmt::format("ma {} J5 v\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Arithmetic: J only seeds a miss; an existing value is incremented
MC_TEST(MetaArith, InitialValueIgnoredOnHit, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma N0 J99 of an existing counter ignores J and increments it (11 becomes 12)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "11"));
  conn().send(fmt::format("ma {} N0 J99 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n12\r\n"));
}

// protocol.txt, Meta Arithmetic: 'N(token): auto create item on miss with supplied TTL'
MC_TEST(MetaArith, AutoCreateTtl, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma N100 J10 t v of a missing key creates the counter with TTL 100 (VA 2 t100, value 10)") {
  const auto k = key();
  conn().send(fmt::format("ma {} N100 J10 t v\r\n", k));
  EXPECT_TRUE(expect_across_clock_tick("VA 2 t100\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: 't: return current TTL'
MC_TEST(MetaArith, TtlFlagUnlimited, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma t of an item without expiry answers HD t-1") {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("ma {} t\r\n", k));
  EXPECT_TRUE(conn().expect("HD t-1\r\n"));
}

// protocol.txt, Meta Arithmetic: 'T(token): update TTL on success'
MC_TEST(MetaArith, TouchOnSuccess, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma T30 t on an item with TTL 100 sets the TTL to 30 and reports t30, as a later mg t does") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\n5\r\nma {} T30 t\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nHD t30\r\nVA 1 t30\r\n6\r\n"));
}

// memcached behaviour: like mg, a 't' before 'T' reports the TTL before the update
MC_TEST(MetaArith, TtlBeforeTouchReportsOldTtl, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "in ma t v T0, t reports the TTL before the touch (t100), and T0 then removes the TTL (mg t answers t-1)") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\n5\r\nma {} t v T0\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nVA 1 t100\r\n6\r\nHD t-1\r\n"));
}

// protocol.txt, Meta Arithmetic: an increment keeps the client flags and TTL
MC_TEST(MetaArith, KeepsClientFlagsAndTtl, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "an ma keeps the item's client flags and TTL (F9 and T100 still read back after the increment)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F9 T100\r\n5\r\nma {} v\r\nmg {} f t v\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nVA 1\r\n6\r\nVA 1 f9 t100\r\n6\r\n"));
}

// protocol.txt, Meta Arithmetic: 'c: return current CAS value if successful' (as mg c shows)
MC_TEST(MetaArith, CasFlagReturnsNewCas, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma c answers HD c<cas> with the item's new cas, which differs from the cas before the increment") {
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
MC_TEST(MetaArith, CompareCasMatch, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma C with the item's current cas applies the increment (5 becomes 6)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} C{} v\r\n", k, *unique));
  EXPECT_TRUE(conn().expect("VA 1\r\n6\r\n"));
}

// protocol.txt, Meta Arithmetic: '"EX" (EXISTS), to indicate that the supplied CAS token does not match'
MC_TEST(MetaArith, CompareCasMismatchIsExists, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma C with a cas that does not match answers EX and leaves the value unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} C{} v\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\n5\r\n"));
}

// protocol.txt, Meta Arithmetic: 'E(token): use token as new CAS value'
MC_TEST(MetaArith, CasOverride, .feature = Feature::kMetaArith, .level = Level::kSpec, .versions = Since("1.6.27"),
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma E42 gives the item the cas 42 (mg c answers c42, and ma C42 then matches)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} E42\r\nmg {} c\r\nma {} C42 v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD c42\r\nVA 1\r\n7\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no E flag on ma
MC_TEST(
    MetaArith, CasOverrideUnknownBefore1627, .feature = Feature::kMetaArith, .level = Level::kCompat,
    .versions = Until("1.6.26"), .spec = "memcached behaviour",
    .checks = "before 1.6.27, ma E42 answers 'CLIENT_ERROR invalid or duplicate flag' and leaves the value unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} E42\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// protocol.txt, Meta Arithmetic: 'k: return key as a token' and 'O(token)' in request order
MC_TEST(MetaArith, KeyAndOpaque, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma k O1 v returns the key and the opaque in request order on the VA line") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} k O1 v\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VA 1 k{} O1\r\n6\r\n", k)));
}

// protocol.txt, Meta Arithmetic: opaque and key are copied back on NF
MC_TEST(MetaArith, OpaqueOnNotFound, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma O2 k of a missing key answers NF O2 k<key>, in request order") {
  const auto k = key();
  conn().send(fmt::format("ma {} O2 k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("NF O2 k{}\r\n", k)));
}

// protocol.txt, Meta Arithmetic: opaque is copied back on EX
MC_TEST(MetaArith, OpaqueOnExists, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma with a mismatching C copies the opaque back on EX (EX O3)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} C{} O3\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX O3\r\n"));
}

// protocol.txt, Meta Arithmetic: a client's counter read: every return flag together
MC_TEST(MetaArith, ClientCombination, .feature = Feature::kMetaArith, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks =
            "ma N0 J1 v t c k O9 of a missing key answers VA 1 t-1 c<cas> k<key> O9 and the value 1, the cas being the "
            "one mg c shows") {
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
MC_TEST(MetaArith, LeadingZerosAreParsed, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ma reads \"007\" as 7 and returns 8, rewriting the value in place padded with spaces to its old length "
            "(\"8  \")") {
  const auto k = key();
  ASSERT_TRUE(store(k, "007"));
  conn().send(fmt::format("ma {} v\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\n8\r\n" + value_reply(k, "8  ")));
}

// memcached behaviour: a non-numeric value is 'CLIENT_ERROR cannot increment or decrement non-numeric value'
MC_TEST(MetaArith, NonNumericValueIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ma of a non-numeric value answers 'CLIENT_ERROR cannot increment or decrement non-numeric value' and "
            "leaves it unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  conn().send(fmt::format("ma {} v\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\nVA 2\r\nab\r\n"));
}

// memcached behaviour: a value over 64 bits is non-numeric
MC_TEST(MetaArith, ValueOverSixtyFourBitsIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ma of a stored 24-digit number (beyond 64 bits) answers 'CLIENT_ERROR cannot increment or decrement "
            "non-numeric value'") {
  const auto k = key();
  ASSERT_TRUE(store(k, "123456789012345678901234"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

// memcached behaviour: a negative stored value is non-numeric
MC_TEST(MetaArith, NegativeValueIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma of a stored \"-1\" answers 'CLIENT_ERROR cannot increment or decrement non-numeric value'") {
  const auto k = key();
  ASSERT_TRUE(store(k, "-1"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

// memcached behaviour: an empty value is non-numeric
MC_TEST(MetaArith, EmptyValueIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma of an empty value answers 'CLIENT_ERROR cannot increment or decrement non-numeric value'") {
  const auto k = key();
  ASSERT_TRUE(store(k, ""));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"));
}

// memcached behaviour: an unknown mode is 'CLIENT_ERROR invalid mode for ma M token'
MC_TEST(MetaArith, UnknownModeIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ma MZ and the lower-case ma Mi answer 'CLIENT_ERROR invalid mode for ma M token' and leave the value "
            "unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} MZ v\r\nma {} Mi v\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid mode for ma M token\r\nCLIENT_ERROR invalid mode for ma M token\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: a non-numeric delta is 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaArith, NonNumericDeltaIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma Dx and a bare D answer 'CLIENT_ERROR invalid or duplicate flag' and leave the value unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} Dx\r\nma {} D\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: a delta of 2^64 or a negative delta is refused
MC_TEST(MetaArith, OutOfRangeDeltaIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ma with a delta of 2^64 or of -1 answers 'CLIENT_ERROR invalid or duplicate flag' and leaves the value "
            "unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} D18446744073709551616\r\nma {} D-1\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: a non-numeric N or J is 'CLIENT_ERROR invalid or duplicate flag'; nothing created
MC_TEST(
    MetaArith, NonNumericAutoCreateTokensAreClientErrors, .feature = Feature::kMetaArith, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks =
        "ma Nabc and ma N0 Jabc of a missing key answer 'CLIENT_ERROR invalid or duplicate flag' and create nothing") {
  const auto k = key();
  conn().send(fmt::format("ma {} Nabc\r\nma {} N0 Jabc\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nEN\r\n"));
}

// memcached behaviour: a key over 250 bytes is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaArith, KeyTooLongIsClientError, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma with a 251-byte key answers 'CLIENT_ERROR bad command line format' and the connection goes on") {
  conn().send(fmt::format("ma {}\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// protocol.txt, Meta Arithmetic: ma and classic incr/decr work on the same counter
MC_TEST(
    MetaArith, MixedWithClassicIncrDecr, .feature = Feature::kMetaArith, .level = Level::kSpec,
    .spec = "protocol.txt: Meta Arithmetic",
    .checks = "ma and classic incr/decr change one counter (created at 10, incr 5 gives 15, ma MD D3 12, decr 2 10)") {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 J10 v\r\nincr {} 5\r\nma {} MD D3 v\r\ndecr {} 2\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n15\r\nVA 2\r\n12\r\n10\r\n"));
}

// memcached behaviour: a value with a leading space is read as its number
MC_TEST(MetaArith, LeadingSpaceIsParsed, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma reads a value with a leading space (\" 9\") as its number and returns 10") {
  const auto k = key();
  ASSERT_TRUE(store(k, " 9"));
  conn().send(fmt::format("ma {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 2\r\n10\r\n"));
}

// protocol.txt, Meta Arithmetic: 'E(token): use token as new CAS value' on an auto-created item
MC_TEST(
    MetaArith, AutoCreateWithCasOverride, .feature = Feature::kMetaArith, .level = Level::kSpec,
    .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Arithmetic",
    .checks = "ma N0 E66 c of a missing key creates the item with the cas 66 (ma and a later mg c both answer c66)") {
  const auto k = key();
  conn().send(fmt::format("ma {} N0 E66 c\r\nmg {} c\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD c66\r\nHD c66\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
