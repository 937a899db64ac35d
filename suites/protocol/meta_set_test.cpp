// ms: storing, every flag, the M modes, cas compare, and what follows a bad data block.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaSet : public ProtocolTest {};

// protocol.txt, Meta Set: '"HD" (STORED), to indicate success'
MC_TEST(MetaSet, StoresAndAnswersHd, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms answers HD and stores the value (classic get reads it)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 5\r\nhello\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "hello")));
}

// protocol.txt, Meta Set: ms replaces an existing value by default ('S: "set" command. The default mode')
MC_TEST(MetaSet, OverwritesExistingValue, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms without a mode replaces an existing value, and its client flags with 0") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old", 9));
  conn().send(fmt::format("ms {} 3\r\nnew\r\nmg {} v f\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3 f0\r\nnew\r\n"));
}

// protocol.txt, Meta Set: '<datalen> is the length of the payload data' (zero is an empty value)
MC_TEST(MetaSet, EmptyValue, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms with datalen 0 stores an empty value (mg v s answers VA 0 s0)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 0\r\n\r\nmg {} v s\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 0 s0\r\n\r\n"));
}

// protocol.txt, Meta Set: '<data block> is a chunk of arbitrary 8-bit data'
MC_TEST(MetaSet, BinaryValueWithCrLfInside, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms stores a 6-byte value holding CR LF, 0x01 and 0xff as is") {
  const auto k = key();
  const std::string value = "\r\n\x01\xff\r\n";
  conn().send(fmt::format("ms {} 6\r\n", k) + value + fmt::format("\r\nmg {} v\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 6\r\n" + value + "\r\n"));
}

// protocol.txt, Meta Set: 'F(token): set client flags to token (32 bit unsigned numeric)'
MC_TEST(MetaSet, ClientFlagsToken, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms F4294967295 stores the largest 32-bit client flags (classic get shows them)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F4294967295\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "x", 4294967295U)));
}

// protocol.txt, Meta Set: 'F(token) ... Sets flags to 0 if not supplied'
MC_TEST(MetaSet, ClientFlagsZeroWhenAbsent, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "an ms without F over an item with flags 5 sets the client flags to 0") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F5\r\nx\r\nms {} 1\r\ny\r\nmg {} f\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nHD f0\r\n"));
}

// protocol.txt, Meta Set: 'T(token): Time-To-Live for item'
MC_TEST(MetaSet, TtlToken, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms T100 stores the item with TTL 100 (mg t answers t100)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nHD t100\r\n"));
}

// protocol.txt, Meta Set: a set without T replaces the TTL with none
MC_TEST(MetaSet, SetWithoutTtlClearsTtl, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "an ms without T over an item with TTL 100 leaves it without expiry (mg t answers t-1)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nms {} 1\r\ny\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nHD t-1\r\n"));
}

// memcached behaviour: a negative T stores an item that is already expired
MC_TEST(MetaSet, NegativeTtlExpiresAtOnce, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "ms T-1 answers HD, but the item is already expired (mg answers EN)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T-1\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 'k: return key as a token'
MC_TEST(MetaSet, KeyFlag, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms k answers HD k<key>") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 k\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Set: 'O(token): opaque value, consumes a token and copies back with response'
MC_TEST(MetaSet, OpaqueOnHd, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms O77 answers HD O77") {
  conn().send(fmt::format("ms {} 1 O77\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("HD O77\r\n"));
}

// protocol.txt, Meta Set: opaque is copied back on 'NS'
MC_TEST(MetaSet, OpaqueOnNotStored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms MR O2 of a missing key answers NS O2") {
  conn().send(fmt::format("ms {} 1 MR O2\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("NS O2\r\n"));
}

// protocol.txt, Meta Set: opaque is copied back on 'EX'
MC_TEST(MetaSet, OpaqueOnExists, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms with a mismatching C copies the opaque back on EX (EX O4)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 C{} O4\r\nx\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX O4\r\n"));
}

// protocol.txt, Meta Set: opaque is copied back on 'NF'
MC_TEST(MetaSet, OpaqueOnNotFound, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms C1 O5 of a missing key answers NF O5") {
  conn().send(fmt::format("ms {} 1 C1 O5\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("NF O5\r\n"));
}

// protocol.txt, Meta Set: 'c: return CAS value if successfully stored' (the token mg c shows)
MC_TEST(MetaSet, CasFlagReturnsNewCas, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms c answers HD c<cas> with the cas mg c then shows") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 c\r\nx\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD c{}\r\n", *unique));
}

// protocol.txt, Meta Set: 'C(token): compare CAS value when storing item'
MC_TEST(MetaSet, CompareCasMatchStores, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms C with the item's current cas stores the new value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 3 C{}\r\nnew\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: '"EX" (EXISTS) ... has been modified since you last fetched it'
MC_TEST(MetaSet, CompareCasMismatchIsExists, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms C with a mismatching cas answers EX and keeps the old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 3 C{}\r\nnew\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 3\r\nold\r\n"));
}

// protocol.txt, Meta Set: '"NF" (NOT_FOUND) ... with CAS semantics did not exist'
MC_TEST(MetaSet, CompareCasOnMissIsNotFound, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms C of a missing key answers NF and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 C12345\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NF\r\nEN\r\n"));
}

// protocol.txt, Meta Set: a cas token from 'gets' works with C (one cas space)
MC_TEST(
    MetaSet, CompareCasWithGetsToken, .feature = Feature::kMetaSet, .level = Level::kSpec,
    .spec = "protocol.txt: Meta Set",
    .checks = "ms C with the unique classic gets returned stores (HD); a second ms with the same unique answers EX") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 C{}\r\nn\r\nms {} 1 C{}\r\nm\r\n", k, *unique, k, *unique));
  EXPECT_TRUE(conn().expect("HD\r\nEX\r\n"));
}

// protocol.txt, Meta Set: 'E: "add" command ... return NS if item exists'
MC_TEST(MetaSet, ModeAddOnExistingIsNotStored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms ME of an existing key answers NS and keeps the old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("ms {} 3 ME\r\nnew\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nVA 3\r\nold\r\n"));
}

// protocol.txt, Meta Set: 'E: "add" command ... Else add'
MC_TEST(MetaSet, ModeAddOnMissingStores, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms ME of a missing key stores the value (HD)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 3 ME\r\nnew\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: 'R: "replace" command. Set only if item already exists'
MC_TEST(MetaSet, ModeReplaceOnMissingIsNotStored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms MR of a missing key answers NS and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MR\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 'R: "replace" command. Set only if item already exists'
MC_TEST(MetaSet, ModeReplaceOnExistingStores, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms MR of an existing key replaces the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("ms {} 3 MR\r\nnew\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: 'A: "append" command. If item exists, append the new value to its data'
MC_TEST(MetaSet, ModeAppend, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms MA appends to the existing value and keeps its client flags (ab and cd give abcd, f3)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab", 3));
  conn().send(fmt::format("ms {} 2 MA\r\ncd\r\nmg {} v f\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 4 f3\r\nabcd\r\n"));
}

// protocol.txt, Meta Set: 'P: "prepend" command. If item exists, prepend the new value to its data'
MC_TEST(MetaSet, ModePrepend, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms MP prepends to the existing value (ab becomes cdab)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  conn().send(fmt::format("ms {} 2 MP\r\ncd\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 4\r\ncdab\r\n"));
}

// protocol.txt, Meta Set: append 'If item exists' (on a miss nothing is stored: NS)
MC_TEST(MetaSet, ModeAppendOnMissingIsNotStored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms MA of a missing key answers NS and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MA\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: prepend 'If item exists' (on a miss nothing is stored: NS)
MC_TEST(MetaSet, ModePrependOnMissingIsNotStored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms MP of a missing key answers NS and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MP\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 'S: "set" command. The default mode, added for completeness'
MC_TEST(MetaSet, ModeSetExplicit, .feature = Feature::kMetaSet, .level = Level::kSpec, .spec = "protocol.txt: Meta Set",
        .checks = "ms MS replaces an existing value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("ms {} 1 MS\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Set: 'Append and Prepend modes will also respect a supplied cas value'
MC_TEST(MetaSet, ModeAppendWithStaleCasIsExists, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms MA with a mismatching C answers EX and appends nothing; with the current cas it appends") {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 MA C{}\r\nx\r\nms {} 1 MA C{}\r\ny\r\nmg {} v\r\n", k, *unique + 1, k, *unique, k));
  EXPECT_TRUE(conn().expect("EX\r\nHD\r\nVA 3\r\naby\r\n"));
}

// protocol.txt, Meta Set: 'Append and Prepend modes normally ignore the T argument'
MC_TEST(MetaSet, ModeAppendIgnoresTtl, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms MA T5 appends but leaves the item's TTL at 100") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nms {} 1 MA T5\r\ny\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nHD\r\nVA 2 t100\r\nxy\r\n"));
}

// protocol.txt, Meta Set: 'N(token): if in append mode, autovivify on miss with supplied TTL'
MC_TEST(MetaSet, ModeAppendVivifiesWithN, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.20"), .spec = "protocol.txt: Meta Set",
        .checks = "ms MA N100 of a missing key creates the item with the value and TTL 100") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MA N100\r\nx\r\nmg {} v t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nVA 1 t100\r\nx\r\n"));
}

// protocol.txt, Meta Set: N with prepend on a miss creates the item
MC_TEST(MetaSet, ModePrependVivifiesWithN, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.20"), .spec = "protocol.txt: Meta Set",
        .checks = "ms MP N0 of a missing key creates the item with the value and no expiry") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MP N0\r\nx\r\nmg {} v t\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 t-1\r\nx\r\n"));
}

// memcached 1.6.18 and 1.6.19 ignore N in append mode: a miss stays 'NS'
MC_TEST(MetaSet, ModeAppendIgnoresNBefore1620, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .versions = Until("1.6.19"), .spec = "memcached behaviour",
        .checks = "before 1.6.20, ms MA N100 of a missing key answers NS and creates nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MA N100\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 's: return the size of the stored item on success (ie; new size on append)'
MC_TEST(MetaSet, SizeFlagAfterAppend, .feature = Feature::kMetaSet, .level = Level::kSpec, .versions = Since("1.6.20"),
        .spec = "protocol.txt: Meta Set",
        .checks = "ms s returns the size of the stored item: s2 after the set, s3 after appending one byte") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 s\r\nab\r\nms {} 1 MA s\r\nc\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD s2\r\nHD s3\r\n"));
}

// protocol.txt, Meta Set: 's' and 'c' each return their own token in request order (1.6.20 printed
// the size as the cas)
MC_TEST(MetaSet, SizeAndCasFlagsDoNotBleed, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.21"), .spec = "protocol.txt: Meta Set",
        .checks = "ms s c k answers HD s2 c<cas> k<key>: each flag with its own token, in request order") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 s c k\r\nab\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD s2 c{} k{}\r\n", *unique, k));
}

// memcached 1.6.18 and 1.6.19 have no 's' flag on ms and ignore it
MC_TEST(MetaSet, SizeFlagIgnoredBefore1620, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .versions = Until("1.6.19"), .spec = "memcached behaviour",
        .checks = "before 1.6.20, ms s k ignores s and answers HD k<key>") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 s k\r\nab\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Set: 'E(token): use token as new CAS value'
MC_TEST(MetaSet, CasOverride, .feature = Feature::kMetaSet, .level = Level::kSpec, .versions = Since("1.6.27"),
        .spec = "protocol.txt: Meta Set",
        .checks = "ms E12345 c stores the item with the cas 12345, as ms c, mg c and classic gets all show") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 E12345 c\r\nx\r\nmg {} c\r\ngets {}\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD c12345\r\nHD c12345\r\nVALUE {} 0 1 12345\r\nx\r\nEND\r\n", k)));
}

// protocol.txt, Meta Set: C compares against the cas set by E, E gives the next one
MC_TEST(MetaSet, CasOverrideThenCompare, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Set",
        .checks =
            "ms C500 E777 of an item with the cas 500 stores and gives it the cas 777, so a later ms C500 answers EX") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 E500\r\nx\r\nms {} 1 C500 E777 c\r\ny\r\nms {} 1 C500\r\nz\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD c777\r\nEX\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no E flag; the data block is swallowed
MC_TEST(
    MetaSet, CasOverrideUnknownBefore1627, .feature = Feature::kMetaSet, .level = Level::kCompat,
    .versions = Until("1.6.26"), .spec = "memcached behaviour",
    .checks = "before 1.6.27, ms E12345 answers 'CLIENT_ERROR invalid flag', swallows the data and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 E12345 c\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nEN\r\n"));
}

// protocol.txt, Meta Commands: 'P' and 'L' are ignored by ms too
MC_TEST(MetaSet, ProxyHintsIgnored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands", .checks = "ms ignores the P and L tokens and stores the value") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 P/x Lfoo\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Set: what clients send together: flags, TTL, opaque, cas and key back
MC_TEST(MetaSet, ClientCombination, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms F9 T100 O1 k c answers HD O1 k<key> c<cas> and stores the client flags 9 and TTL 100") {
  const auto k = key();
  conn().send(fmt::format("ms {} 3 F9 T100 O1 k c\r\nabc\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD O1 k{} c{}\r\n", k, *unique));
  conn().send(fmt::format("mg {} f t v\r\n", k));
  EXPECT_TRUE(expect_across_clock_tick("VA 3 f9 t100\r\nabc\r\n"));
}

// memcached behaviour: 'f' is no ms flag that returns a token; it is ignored
MC_TEST(MetaSet, ClientFlagsReturnFlagIgnored, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "ms ignores an f flag: ms F3 f O1 answers HD O1") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F3 f O1\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect("HD O1\r\n"));
}

// memcached behaviour: a data block longer than datalen is 'CLIENT_ERROR bad data chunk'; the rest
// of the line is then read as a command
MC_TEST(MetaSet, DataLongerThanLengthIsBadChunk, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "an ms data block longer than datalen answers 'CLIENT_ERROR bad data chunk' and stores nothing; the rest "
            "of the block answers ERROR as a command") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2\r\nabc\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\nEN\r\n"));
}

// memcached behaviour: a data block not ended by CR LF is 'CLIENT_ERROR bad data chunk'
MC_TEST(MetaSet, DataWithoutCrLfIsBadChunk, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "an ms data block not ended by CR LF answers 'CLIENT_ERROR bad data chunk' and stores nothing; the mn "
            "after it still answers MN") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2\r\nabXYmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nMN\r\nEN\r\n"));
}

// memcached behaviour: a value over the item size limit is refused and its data swallowed
MC_TEST(
    MetaSet, ValueTooLargeIsServerError, .feature = Feature::kMetaSet, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks =
        "ms of a 2 MiB value answers 'SERVER_ERROR object too large for cache', swallows the data and stores nothing") {
  const auto k = key();
  const std::string value(2 * 1024 * 1024, 'a');
  conn().send(fmt::format("ms {} {}\r\n{}\r\nmg {} v\r\n", k, value.size(), value, k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\nEN\r\n"));
}

// memcached behaviour: a non-numeric datalen is 'CLIENT_ERROR bad command line format'; the data
// line is then read as a command
MC_TEST(MetaSet, NonNumericLengthIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ms with the datalen abc answers 'CLIENT_ERROR bad command line format', and its data line answers ERROR "
            "as a command") {
  conn().send(fmt::format("ms {} abc\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: a negative datalen is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, NegativeLengthIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ms with the datalen -1 answers 'CLIENT_ERROR bad command line format', and its data line answers ERROR as "
            "a command") {
  conn().send(fmt::format("ms {} -1\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: ms without datalen is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, MissingLengthIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms without a datalen answers 'CLIENT_ERROR bad command line format'") {
  conn().send(fmt::format("ms {}\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// memcached behaviour: a key over 250 bytes is refused; the data line is read as a command
MC_TEST(MetaSet, KeyTooLongIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ms with a 251-byte key answers 'CLIENT_ERROR bad command line format', and its data line answers ERROR as "
            "a command") {
  conn().send(fmt::format("ms {} 1\r\nx\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: an unknown mode is refused and the data block swallowed
MC_TEST(MetaSet, UnknownModeIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms MX answers 'CLIENT_ERROR invalid mode for ms M token', swallows the data and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MX\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid mode for ms M token\r\nEN\r\n"));
}

// memcached behaviour: modes are upper case only ('Ms' is refused)
MC_TEST(MetaSet, LowerCaseModeIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms Ms answers 'CLIENT_ERROR invalid mode for ms M token' and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 Ms\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid mode for ms M token\r\nEN\r\n"));
}

// memcached behaviour: a mode token of two characters is refused
MC_TEST(MetaSet, LongModeTokenIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms MEE and ms with a bare M answer 'CLIENT_ERROR incorrect length for M token' and store nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MEE\r\nx\r\nms {} 1 M\r\ny\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR incorrect length for M token\r\nCLIENT_ERROR incorrect length for M token\r\nEN\r\n"));
}

// memcached behaviour: a non-numeric T is 'CLIENT_ERROR bad token in command line format'
MC_TEST(MetaSet, NonNumericTtlIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms Tabc answers 'CLIENT_ERROR bad token in command line format' and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 Tabc\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad token in command line format\r\nEN\r\n"));
}

// memcached behaviour: a non-numeric F is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, NonNumericClientFlagsIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms Fabc answers 'CLIENT_ERROR bad command line format' and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 Fabc\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nEN\r\n"));
}

// memcached behaviour: a negative F is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, NegativeClientFlagsIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms F-1 answers 'CLIENT_ERROR bad command line format' and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F-1\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nEN\r\n"));
}

// memcached behaviour: a duplicate flag is 'CLIENT_ERROR duplicate flag' and the data is swallowed
MC_TEST(MetaSet, DuplicateFlagIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms F1 F2 answers 'CLIENT_ERROR duplicate flag', swallows the data and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F1 F2\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR duplicate flag\r\nEN\r\n"));
}

// memcached behaviour: an unknown flag is 'CLIENT_ERROR invalid flag' and the data is swallowed
MC_TEST(MetaSet, UnknownFlagIsClientError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ms with an unknown flag answers 'CLIENT_ERROR invalid flag', swallows the data and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 zz\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nEN\r\n"));
}

// protocol.txt, Meta Set: the stored value is what classic commands see (incr on an ms value)
MC_TEST(MetaSet, ClassicIncrOnMetaValue, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "a classic incr works on a value ms stored (41 becomes 42)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2\r\n41\r\nincr {} 1\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n42\r\n"));
}

// protocol.txt, Meta Set: k and O are returned on 'NS' too
MC_TEST(MetaSet, KeyAndOpaqueOnNotStored, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms ME k O2 of an existing key answers NS k<key> O2, as the first ms ME answered HD k<key> O1") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 ME k O1\r\nx\r\nms {} 1 ME k O2\r\ny\r\n", k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{} O1\r\nNS k{} O2\r\n", k, k)));
}

// memcached behaviour: c on a failed store returns c0 (protocol.txt: 'Will return 0 on error, but
// clients must not depend on the return value being zero')
MC_TEST(MetaSet, CasFlagOnFailureIsZero, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "ms MR k c of a missing key answers NS k<key> c0") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MR k c\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("NS k{} c0\r\n", k)));
}

}  // namespace
}  // namespace mcconform::suites
