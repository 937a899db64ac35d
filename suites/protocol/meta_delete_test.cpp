// md: deleting, cas compare, invalidating, removing the value only, and errors.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaDelete : public ProtocolTest {};

// protocol.txt, Meta Delete: '"HD" (DELETED), to indicate success'
MC_TEST(MetaDelete, DeletesAndAnswersHd, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nEND\r\n"));
}

// protocol.txt, Meta Delete: '"NF" (NOT_FOUND), to indicate that the item with this key was not found'
MC_TEST(MetaDelete, MissIsNotFound, Feature::kMetaDelete, Level::kSpec) {
  conn().send(fmt::format("md {}\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Delete: a second delete finds nothing
MC_TEST(MetaDelete, SecondDeleteIsNotFound, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\nmd {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nNF\r\n"));
}

// protocol.txt, Meta Delete: 'k: return key'
MC_TEST(MetaDelete, KeyFlag, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Delete: 'O(token): opaque to copy back' (on HD)
MC_TEST(MetaDelete, OpaqueOnHd, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} O42\r\n", k));
  EXPECT_TRUE(conn().expect("HD O42\r\n"));
}

// protocol.txt, Meta Delete: 'O(token): opaque to copy back' (on NF), in request order with k
MC_TEST(MetaDelete, OpaqueAndKeyOnNotFound, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("md {} O5 k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("NF O5 k{}\r\n", k)));
}

// protocol.txt, Meta Delete: 'O(token): opaque to copy back' (on EX)
MC_TEST(MetaDelete, OpaqueOnExists, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{} O6\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX O6\r\n"));
}

// protocol.txt, Meta Delete: 'C(token): compare CAS value' (matching: deleted)
MC_TEST(MetaDelete, CompareCasMatchDeletes, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{}\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: '"EX" (EXISTS), to indicate that the supplied CAS token does not match'
MC_TEST(MetaDelete, CompareCasMismatchIsExists, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{}\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Delete: a cas compare on a missing key is 'NF'
MC_TEST(MetaDelete, CompareCasOnMissIsNotFound, Feature::kMetaDelete, Level::kSpec) {
  conn().send(fmt::format("md {} C1\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Delete: the cas from classic 'gets' works with C
MC_TEST(MetaDelete, CompareCasWithGetsToken, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} C{}\r\n", k, *unique));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// protocol.txt, Meta Delete: 'I: invalidate. mark as stale, bumps CAS.'
MC_TEST(MetaDelete, InvalidateKeepsItemAndBumpsCas, Feature::kMetaDelete, Level::kSpec) {
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
MC_TEST(MetaDelete, InvalidateMissIsNotFound, Feature::kMetaDelete, Level::kSpec) {
  conn().send(fmt::format("md {} I\r\n", key()));
  EXPECT_TRUE(conn().expect("NF\r\n"));
}

// protocol.txt, Meta Delete: 'T(token): updates TTL, only when paired with the 'I' flag'
MC_TEST(MetaDelete, InvalidateWithTtl, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I T30\r\nmg {} t s v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 t30 s1 X W\r\nv\r\n"));
}

// protocol.txt, Meta Delete: 'T(token): updates TTL, only when paired with the 'I' flag' (without I
// the item is deleted)
MC_TEST(MetaDelete, TtlWithoutInvalidateDeletes, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmd {} T30\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nHD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: 'I' with a matching C marks stale
MC_TEST(MetaDelete, InvalidateWithMatchingCas, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} I C{}\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 X W\r\nv\r\n"));
}

// protocol.txt, Meta Delete: 'Can be used to only delete or mark-stale if a supplied CAS value matches'
MC_TEST(MetaDelete, InvalidateWithStaleCasIsExists, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} I C{}\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Delete: a plain md removes an item that was marked stale
MC_TEST(MetaDelete, DeleteAfterInvalidate, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I\r\nmd {}\r\nmg {}\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: 'x: removes the item value, but leaves the item.'
MC_TEST(MetaDelete, RemoveValueLeavesEmptyItem, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .versions = Since("1.6.27")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("md {} x\r\nmg {} s v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 0 s0\r\n\r\n"));
}

// memcached behaviour: 'x' also resets the client flags and the TTL of the emptied item
MC_TEST(MetaDelete, RemoveValueResetsFlagsAndTtl, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .versions = Since("1.6.27")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100 F4\r\nx\r\nmd {} x k O1\r\nmg {} t f s\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nHD k{} O1\r\nHD t-1 f0 s0\r\n", k)));
}

// protocol.txt, Meta Delete: 'Combined with I this can leave what is effectively a tombstone'
MC_TEST(MetaDelete, RemoveValueAndInvalidateIsStaleTombstone, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .versions = Since("1.6.27")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("md {} I x\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 0 X W\r\n\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no 'x' flag on md: the item is left alone
MC_TEST(MetaDelete, RemoveValueUnknownBefore1627, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .versions = Until("1.6.26")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("md {} x\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 2\r\nhi\r\n"));
}

// protocol.txt, Meta Delete: 'E(token): use token as new CAS value' (on invalidation)
MC_TEST(MetaDelete, InvalidateWithCasOverride, .feature = Feature::kMetaDelete, .level = Level::kSpec,
        .versions = Since("1.6.27")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I E999\r\nmg {} c\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD c999 X W\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no 'E' flag on md
MC_TEST(MetaDelete, CasOverrideUnknownBefore1627, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .versions = Until("1.6.26")) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I E999\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Commands: 'P' and 'L' are ignored by md
MC_TEST(MetaDelete, ProxyHintsIgnored, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} Pfoo Lbar\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// memcached behaviour: md ignores the mg return flags 's' and 'v'
MC_TEST(MetaDelete, GetFlagsIgnored, Feature::kMetaDelete, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} s v\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// memcached behaviour: an unknown md flag is 'CLIENT_ERROR invalid or duplicate flag'; nothing deleted
MC_TEST(MetaDelete, UnknownFlagIsClientError, Feature::kMetaDelete, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} zz\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: a digit is no flag: 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaDelete, NumericTokenIsClientError, Feature::kMetaDelete, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} 1\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: C without a number is 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaDelete, EmptyCasTokenIsClientError, Feature::kMetaDelete, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} C\r\nmd {} Cabc\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: a key over 250 bytes is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaDelete, KeyTooLongIsClientError, Feature::kMetaDelete, Level::kCompat) {
  conn().send(fmt::format("md {}\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// protocol.txt, Meta Delete: md removes what classic set stored, and classic delete sees it gone
MC_TEST(MetaDelete, ClassicDeleteAfterMetaDelete, Feature::kMetaDelete, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\ndelete {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nNOT_FOUND\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
