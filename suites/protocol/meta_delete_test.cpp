// md: deleting, cas compare, invalidating, removing the value only, and errors.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaDelete : public ProtocolTest {};

// protocol.txt, Meta Delete: '"HD" (DELETED), to indicate success'
MC_TEST(MetaDelete, DeletesAndAnswersHd, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md of an existing key answers HD and removes the item (classic get answers END)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nEND\r\n"));
}

// protocol.txt, Meta Delete: '"NF" (NOT_FOUND), to indicate that the item with this key was not found'
MC_TEST(MetaDelete, MissIsNotFound, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md of a missing key answers NF") {
  conn().send(fmt::format("md {}\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Delete: a second delete finds nothing
MC_TEST(MetaDelete, SecondDeleteIsNotFound, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "of two md of one key, the first answers HD and the second NF") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\nmd {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nNF\r\n"));
}

// protocol.txt, Meta Delete: 'k: return key'
MC_TEST(MetaDelete, KeyFlag, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md k answers HD k<key>") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Delete: 'O(token): opaque to copy back' (on HD)
MC_TEST(MetaDelete, OpaqueOnHd, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md O42 of an existing key answers HD O42") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} O42\r\n", k));
  EXPECT_TRUE(conn().expect("HD O42\r\n"));
}

// protocol.txt, Meta Delete: 'O(token): opaque to copy back' (on NF), in request order with k
MC_TEST(MetaDelete, OpaqueAndKeyOnNotFound, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md O5 k of a missing key answers NF O5 k<key>, in request order") {
  const auto k = key();
  conn().send(fmt::format("md {} O5 k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("NF O5 k{}\r\n", k)));
}

// protocol.txt, Meta Delete: 'O(token): opaque to copy back' (on EX)
MC_TEST(MetaDelete, OpaqueOnExists, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md with a mismatching C copies the opaque back on EX (EX O6)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{} O6\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX O6\r\n"));
}

// protocol.txt, Meta Delete: 'C(token): compare CAS value' (matching: deleted)
MC_TEST(MetaDelete, CompareCasMatchDeletes, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md C with the item's current cas answers HD and deletes it") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{}\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: '"EX" (EXISTS), to indicate that the supplied CAS token does not match'
MC_TEST(MetaDelete, CompareCasMismatchIsExists, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md C with a mismatching cas answers EX and keeps the item") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{}\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Delete: a cas compare on a missing key is 'NF'
MC_TEST(MetaDelete, CompareCasOnMissIsNotFound, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md C of a missing key answers NF") {
  conn().send(fmt::format("md {} C1\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Delete: the cas from classic 'gets' works with C
MC_TEST(MetaDelete, CompareCasWithGetsToken, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md C with the unique classic gets returned deletes the item (HD)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{}\r\n", k, *unique));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// protocol.txt, Meta Delete: 'I: invalidate. mark as stale, bumps CAS.'
MC_TEST(MetaDelete, InvalidateKeepsItemAndBumpsCas, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md I answers HD and keeps the item, marked stale (mg s answers s1 X W), with a new cas") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto before = fetch_meta_cas(k);
  conn().send(fmt::format("md {} I\r\n", k));
  ASSERT_TRUE(conn().expect("HD\r\n"));
  conn().send(fmt::format("mg {} s\r\n", k));
  ASSERT_TRUE(conn().expect("HD s1 X W\r\n"));
  const auto after = fetch_meta_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after);
}

// protocol.txt, Meta Delete: 'I ... on a missing key' is still 'NF'
MC_TEST(MetaDelete, InvalidateMissIsNotFound, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md I of a missing key answers NF") {
  conn().send(fmt::format("md {} I\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Delete: 'T(token): updates TTL, only when paired with the 'I' flag'
MC_TEST(MetaDelete, InvalidateWithTtl, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md I T30 keeps the item marked stale with TTL 30 (mg t s v answers t30 s1 X W and the value)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I T30\r\nmg {} t s v\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nVA 1 t30 s1 X W\r\nv\r\n"));
}

// protocol.txt, Meta Delete: 'T(token): updates TTL, only when paired with the 'I' flag' (without I
// the item is deleted)
MC_TEST(MetaDelete, TtlWithoutInvalidateDeletes, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md T30 without I deletes the item (mg then answers EN)") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmd {} T30\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nHD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: 'I' with a matching C marks stale
MC_TEST(MetaDelete, InvalidateWithMatchingCas, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md I with the matching C marks the item stale (mg v answers VA 1 X W)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} I C{}\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 X W\r\nv\r\n"));
}

// protocol.txt, Meta Delete: 'Can be used to only delete or mark-stale if a supplied CAS value matches'
MC_TEST(MetaDelete, InvalidateWithStaleCasIsExists, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md I with a mismatching C answers EX and leaves the item fresh") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} I C{}\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Delete: a plain md removes an item that was marked stale
MC_TEST(MetaDelete, DeleteAfterInvalidate, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "a plain md deletes an item marked stale by md I (mg then answers EN)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I\r\nmd {}\r\nmg {}\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: 'x: removes the item value, but leaves the item.'
MC_TEST(MetaDelete, RemoveValueLeavesEmptyItem, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Delete",
        .checks = "md x answers HD and leaves the item with an empty value (mg s v answers VA 0 s0)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("md {} x\r\nmg {} s v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 0 s0\r\n\r\n"));
}

// memcached behaviour: 'x' also resets the client flags and the TTL of the emptied item
MC_TEST(MetaDelete, RemoveValueResetsFlagsAndTtl, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .versions = Since("1.6.27"), .spec = "memcached behaviour",
        .checks = "md x k O1 answers HD k<key> O1 and resets the client flags to 0 and the TTL to none (t-1 f0 s0)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100 F4\r\nx\r\nmd {} x k O1\r\nmg {} t f s\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nHD k{} O1\r\nHD t-1 f0 s0\r\n", k)));
}

// protocol.txt, Meta Delete: 'Combined with I this can leave what is effectively a tombstone'
MC_TEST(MetaDelete, RemoveValueAndInvalidateIsStaleTombstone, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Delete",
        .checks = "md I x leaves an empty item marked stale (mg v answers VA 0 X W)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("md {} I x\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 0 X W\r\n\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no 'x' flag on md: the item is left alone
MC_TEST(MetaDelete, RemoveValueUnknownBefore1627, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .versions = Until("1.6.26"), .spec = "memcached behaviour",
        .checks = "before 1.6.27, md x answers 'CLIENT_ERROR invalid or duplicate flag' and leaves the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("md {} x\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 2\r\nhi\r\n"));
}

// protocol.txt, Meta Delete: 'E(token): use token as new CAS value' (on invalidation)
MC_TEST(MetaDelete, InvalidateWithCasOverride, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Delete",
        .checks = "md I E999 marks the item stale with the cas 999 (mg c answers c999 X W)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I E999\r\nmg {} c\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD c999 X W\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no 'E' flag on md
MC_TEST(
    MetaDelete, CasOverrideUnknownBefore1627, .feature = Feature::kMetaDelete, .level = Level::kCompat,
    .versions = Until("1.6.26"), .spec = "memcached behaviour",
    .checks = "before 1.6.27, md I E999 answers 'CLIENT_ERROR invalid or duplicate flag' and leaves the item fresh") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I E999\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Commands: 'P' and 'L' are ignored by md
MC_TEST(MetaDelete, ProxyHintsIgnored, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands", .checks = "md ignores the P and L tokens and deletes (HD)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} Pfoo Lbar\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// memcached behaviour: md ignores the mg return flags 's' and 'v'
MC_TEST(MetaDelete, GetFlagsIgnored, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "md ignores the mg flags s and v: it deletes and answers a bare HD") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} s v\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// memcached behaviour: an unknown md flag is 'CLIENT_ERROR invalid or duplicate flag'; nothing deleted
MC_TEST(MetaDelete, UnknownFlagIsClientError, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "md with an unknown flag answers 'CLIENT_ERROR invalid or duplicate flag' and deletes nothing") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} zz\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: a digit is no flag: 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaDelete, NumericTokenIsClientError, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "md with a digit as a flag answers 'CLIENT_ERROR invalid or duplicate flag' and deletes nothing") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} 1\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: C without a number is 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(
    MetaDelete, EmptyCasTokenIsClientError, .feature = Feature::kMetaDelete, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks = "md with a bare C or with Cabc answers 'CLIENT_ERROR invalid or duplicate flag' and deletes nothing") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} C\r\nmd {} Cabc\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: a key over 250 bytes is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaDelete, KeyTooLongIsClientError, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "md with a 251-byte key answers 'CLIENT_ERROR bad command line format'") {
  conn().send(fmt::format("md {}\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// protocol.txt, Meta Delete: md removes what classic set stored, and classic delete sees it gone
MC_TEST(MetaDelete, ClassicDeleteAfterMetaDelete, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "after md deletes an item, a classic delete of it answers NOT_FOUND") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\ndelete {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nNOT_FOUND\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
