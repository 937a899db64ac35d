// ms: storing, every flag, the M modes, cas compare, and what follows a bad data block.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaSet : public ProtocolTest {};

// protocol.txt, Meta Set: '"HD" (STORED), to indicate success'
MC_TEST(MetaSet, StoresAndAnswersHd, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 5\r\nhello\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "hello")));
}

// protocol.txt, Meta Set: ms replaces an existing value by default ('S: "set" command. The default mode')
MC_TEST(MetaSet, OverwritesExistingValue, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old", 9));
  conn().send(fmt::format("ms {} 3\r\nnew\r\nmg {} v f\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3 f0\r\nnew\r\n"));
}

// protocol.txt, Meta Set: '<datalen> is the length of the payload data' (zero is an empty value)
MC_TEST(MetaSet, EmptyValue, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 0\r\n\r\nmg {} v s\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 0 s0\r\n\r\n"));
}

// protocol.txt, Meta Set: '<data block> is a chunk of arbitrary 8-bit data'
MC_TEST(MetaSet, BinaryValueWithCrLfInside, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  const std::string value = "\r\n\x01\xff\r\n";
  conn().send(fmt::format("ms {} 6\r\n", k) + value + fmt::format("\r\nmg {} v\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 6\r\n" + value + "\r\n"));
}

// protocol.txt, Meta Set: 'F(token): set client flags to token (32 bit unsigned numeric)'
MC_TEST(MetaSet, ClientFlagsToken, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F4294967295\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "x", 4294967295U)));
}

// protocol.txt, Meta Set: 'F(token) ... Sets flags to 0 if not supplied'
MC_TEST(MetaSet, ClientFlagsZeroWhenAbsent, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F5\r\nx\r\nms {} 1\r\ny\r\nmg {} f\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nHD f0\r\n"));
}

// protocol.txt, Meta Set: 'T(token): Time-To-Live for item'
MC_TEST(MetaSet, TtlToken, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD t100\r\n"));
}

// protocol.txt, Meta Set: a set without T replaces the TTL with none
MC_TEST(MetaSet, SetWithoutTtlClearsTtl, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nms {} 1\r\ny\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nHD t-1\r\n"));
}

// memcached behaviour: a negative T stores an item that is already expired
MC_TEST(MetaSet, NegativeTtlExpiresAtOnce, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T-1\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 'k: return key as a token'
MC_TEST(MetaSet, KeyFlag, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 k\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Set: 'O(token): opaque value, consumes a token and copies back with response'
MC_TEST(MetaSet, OpaqueOnHd, Feature::kMetaSet, Level::kSpec) {
  conn().send(fmt::format("ms {} 1 O77\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("HD O77\r\n"));
}

// protocol.txt, Meta Set: opaque is copied back on 'NS'
MC_TEST(MetaSet, OpaqueOnNotStored, Feature::kMetaSet, Level::kSpec) {
  conn().send(fmt::format("ms {} 1 MR O2\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("NS O2\r\n"));
}

// protocol.txt, Meta Set: opaque is copied back on 'EX'
MC_TEST(MetaSet, OpaqueOnExists, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 C{} O4\r\nx\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX O4\r\n"));
}

// protocol.txt, Meta Set: opaque is copied back on 'NF'
MC_TEST(MetaSet, OpaqueOnNotFound, Feature::kMetaSet, Level::kSpec) {
  conn().send(fmt::format("ms {} 1 C1 O5\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("NF O5\r\n"));
}

// protocol.txt, Meta Set: 'c: return CAS value if successfully stored' (the token mg c shows)
MC_TEST(MetaSet, CasFlagReturnsNewCas, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 c\r\nx\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD c{}\r\n", *unique));
}

// protocol.txt, Meta Set: 'C(token): compare CAS value when storing item'
MC_TEST(MetaSet, CompareCasMatchStores, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 3 C{}\r\nnew\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: '"EX" (EXISTS) ... has been modified since you last fetched it'
MC_TEST(MetaSet, CompareCasMismatchIsExists, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 3 C{}\r\nnew\r\nmg {} v\r\n", k, *unique + 1, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 3\r\nold\r\n"));
}

// protocol.txt, Meta Set: '"NF" (NOT_FOUND) ... with CAS semantics did not exist'
MC_TEST(MetaSet, CompareCasOnMissIsNotFound, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 C12345\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NF\r\nEN\r\n"));
}

// protocol.txt, Meta Set: a cas token from 'gets' works with C (one cas space)
MC_TEST(MetaSet, CompareCasWithGetsToken, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 C{}\r\nn\r\nms {} 1 C{}\r\nm\r\n", k, *unique, k, *unique));
  EXPECT_TRUE(conn().expect("HD\r\nEX\r\n"));
}

// protocol.txt, Meta Set: 'E: "add" command ... return NS if item exists'
MC_TEST(MetaSet, ModeAddOnExistingIsNotStored, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("ms {} 3 ME\r\nnew\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nVA 3\r\nold\r\n"));
}

// protocol.txt, Meta Set: 'E: "add" command ... Else add'
MC_TEST(MetaSet, ModeAddOnMissingStores, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 3 ME\r\nnew\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: 'R: "replace" command. Set only if item already exists'
MC_TEST(MetaSet, ModeReplaceOnMissingIsNotStored, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MR\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 'R: "replace" command. Set only if item already exists'
MC_TEST(MetaSet, ModeReplaceOnExistingStores, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("ms {} 3 MR\r\nnew\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: 'A: "append" command. If item exists, append the new value to its data'
MC_TEST(MetaSet, ModeAppend, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab", 3));
  conn().send(fmt::format("ms {} 2 MA\r\ncd\r\nmg {} v f\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 4 f3\r\nabcd\r\n"));
}

// protocol.txt, Meta Set: 'P: "prepend" command. If item exists, prepend the new value to its data'
MC_TEST(MetaSet, ModePrepend, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  conn().send(fmt::format("ms {} 2 MP\r\ncd\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 4\r\ncdab\r\n"));
}

// protocol.txt, Meta Set: append 'If item exists' (on a miss nothing is stored: NS)
MC_TEST(MetaSet, ModeAppendOnMissingIsNotStored, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MA\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: prepend 'If item exists' (on a miss nothing is stored: NS)
MC_TEST(MetaSet, ModePrependOnMissingIsNotStored, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MP\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 'S: "set" command. The default mode, added for completeness'
MC_TEST(MetaSet, ModeSetExplicit, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("ms {} 1 MS\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Set: 'Append and Prepend modes will also respect a supplied cas value'
MC_TEST(MetaSet, ModeAppendWithStaleCasIsExists, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 MA C{}\r\nx\r\nms {} 1 MA C{}\r\ny\r\nmg {} v\r\n", k, *unique + 1, k, *unique, k));
  EXPECT_TRUE(conn().expect("EX\r\nHD\r\nVA 3\r\naby\r\n"));
}

// protocol.txt, Meta Set: 'Append and Prepend modes normally ignore the T argument'
MC_TEST(MetaSet, ModeAppendIgnoresTtl, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nms {} 1 MA T5\r\ny\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nVA 2 t100\r\nxy\r\n"));
}

// protocol.txt, Meta Set: 'N(token): if in append mode, autovivify on miss with supplied TTL'
MC_TEST(MetaSet, ModeAppendVivifiesWithN, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.20")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MA N100\r\nx\r\nmg {} v t\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 t100\r\nx\r\n"));
}

// protocol.txt, Meta Set: N with prepend on a miss creates the item
MC_TEST(MetaSet, ModePrependVivifiesWithN, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.20")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MP N0\r\nx\r\nmg {} v t\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 t-1\r\nx\r\n"));
}

// memcached 1.6.18 and 1.6.19 ignore N in append mode: a miss stays 'NS'
MC_TEST(MetaSet, ModeAppendIgnoresNBefore1620, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .versions = Until("1.6.19")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MA N100\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nEN\r\n"));
}

// protocol.txt, Meta Set: 's: return the size of the stored item on success (ie; new size on append)'
MC_TEST(MetaSet, SizeFlagAfterAppend, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.20")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 s\r\nab\r\nms {} 1 MA s\r\nc\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD s2\r\nHD s3\r\n"));
}

// protocol.txt, Meta Set: 's' and 'c' each return their own token in request order (1.6.20 printed
// the size as the cas)
MC_TEST(MetaSet, SizeAndCasFlagsDoNotBleed, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.21")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 s c k\r\nab\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD s2 c{} k{}\r\n", *unique, k));
}

// memcached 1.6.18 and 1.6.19 have no 's' flag on ms and ignore it
MC_TEST(MetaSet, SizeFlagIgnoredBefore1620, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .versions = Until("1.6.19")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 s k\r\nab\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Set: 'E(token): use token as new CAS value'
MC_TEST(MetaSet, CasOverride, .feature = Feature::kMetaSet, .level = Level::kSpec, .versions = Since("1.6.27")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 E12345 c\r\nx\r\nmg {} c\r\ngets {}\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD c12345\r\nHD c12345\r\nVALUE {} 0 1 12345\r\nx\r\nEND\r\n", k)));
}

// protocol.txt, Meta Set: C compares against the cas set by E, E gives the next one
MC_TEST(MetaSet, CasOverrideThenCompare, .feature = Feature::kMetaSet, .level = Level::kSpec,
        .versions = Since("1.6.27")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 E500\r\nx\r\nms {} 1 C500 E777 c\r\ny\r\nms {} 1 C500\r\nz\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD c777\r\nEX\r\n"));
}

// memcached 1.6.18 to 1.6.26 have no E flag; the data block is swallowed
MC_TEST(MetaSet, CasOverrideUnknownBefore1627, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .versions = Until("1.6.26")) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 E12345 c\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nEN\r\n"));
}

// protocol.txt, Meta Commands: 'P' and 'L' are ignored by ms too
MC_TEST(MetaSet, ProxyHintsIgnored, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 P/x Lfoo\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Set: what clients send together: flags, TTL, opaque, cas and key back
MC_TEST(MetaSet, ClientCombination, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 3 F9 T100 O1 k c\r\nabc\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD O1 k{} c{}\r\n", k, *unique));
  conn().send(fmt::format("mg {} f t v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 3 f9 t100\r\nabc\r\n"));
}

// memcached behaviour: 'f' is no ms flag that returns a token; it is ignored
MC_TEST(MetaSet, ClientFlagsReturnFlagIgnored, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F3 f O1\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect("HD O1\r\n"));
}

// memcached behaviour: a data block longer than datalen is 'CLIENT_ERROR bad data chunk'; the rest
// of the line is then read as a command
MC_TEST(MetaSet, DataLongerThanLengthIsBadChunk, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 2\r\nabc\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\nEN\r\n"));
}

// memcached behaviour: a data block not ended by CR LF is 'CLIENT_ERROR bad data chunk'
MC_TEST(MetaSet, DataWithoutCrLfIsBadChunk, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 2\r\nabXYmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nMN\r\nEN\r\n"));
}

// memcached behaviour: a value over the item size limit is refused and its data swallowed
MC_TEST(MetaSet, ValueTooLargeIsServerError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  const std::string value(2 * 1024 * 1024, 'a');
  conn().send(fmt::format("ms {} {}\r\n{}\r\nmg {} v\r\n", k, value.size(), value, k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\nEN\r\n"));
}

// memcached behaviour: a non-numeric datalen is 'CLIENT_ERROR bad command line format'; the data
// line is then read as a command
MC_TEST(MetaSet, NonNumericLengthIsClientError, Feature::kMetaSet, Level::kCompat) {
  conn().send(fmt::format("ms {} abc\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: a negative datalen is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, NegativeLengthIsClientError, Feature::kMetaSet, Level::kCompat) {
  conn().send(fmt::format("ms {} -1\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: ms without datalen is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, MissingLengthIsClientError, Feature::kMetaSet, Level::kCompat) {
  conn().send(fmt::format("ms {}\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// memcached behaviour: a key over 250 bytes is refused; the data line is read as a command
MC_TEST(MetaSet, KeyTooLongIsClientError, Feature::kMetaSet, Level::kCompat) {
  conn().send(fmt::format("ms {} 1\r\nx\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: an unknown mode is refused and the data block swallowed
MC_TEST(MetaSet, UnknownModeIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MX\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid mode for ms M token\r\nEN\r\n"));
}

// memcached behaviour: modes are upper case only ('Ms' is refused)
MC_TEST(MetaSet, LowerCaseModeIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 Ms\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid mode for ms M token\r\nEN\r\n"));
}

// memcached behaviour: a mode token of two characters is refused
MC_TEST(MetaSet, LongModeTokenIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MEE\r\nx\r\nms {} 1 M\r\ny\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR incorrect length for M token\r\nCLIENT_ERROR incorrect length for M token\r\nEN\r\n"));
}

// memcached behaviour: a non-numeric T is 'CLIENT_ERROR bad token in command line format'
MC_TEST(MetaSet, NonNumericTtlIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 Tabc\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad token in command line format\r\nEN\r\n"));
}

// memcached behaviour: a non-numeric F is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, NonNumericClientFlagsIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 Fabc\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nEN\r\n"));
}

// memcached behaviour: a negative F is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaSet, NegativeClientFlagsIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F-1\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nEN\r\n"));
}

// memcached behaviour: a duplicate flag is 'CLIENT_ERROR duplicate flag' and the data is swallowed
MC_TEST(MetaSet, DuplicateFlagIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F1 F2\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR duplicate flag\r\nEN\r\n"));
}

// memcached behaviour: an unknown flag is 'CLIENT_ERROR invalid flag' and the data is swallowed
MC_TEST(MetaSet, UnknownFlagIsClientError, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 zz\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nEN\r\n"));
}

// protocol.txt, Meta Set: the stored value is what classic commands see (incr on an ms value)
MC_TEST(MetaSet, ClassicIncrOnMetaValue, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 2\r\n41\r\nincr {} 1\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n42\r\n"));
}

// protocol.txt, Meta Set: k and O are returned on 'NS' too
MC_TEST(MetaSet, KeyAndOpaqueOnNotStored, Feature::kMetaSet, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 ME k O1\r\nx\r\nms {} 1 ME k O2\r\ny\r\n", k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{} O1\r\nNS k{} O2\r\n", k, k)));
}

// memcached behaviour: c on a failed store returns c0 (protocol.txt: 'Will return 0 on error, but
// clients must not depend on the return value being zero')
MC_TEST(MetaSet, CasFlagOnFailureIsZero, Feature::kMetaSet, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 MR k c\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("NS k{} c0\r\n", k)));
}

}  // namespace
}  // namespace mcconform::suites
