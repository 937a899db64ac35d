// mg: hits and misses, every return flag alone and together, touch on read, syntax errors.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaGet : public ProtocolTest {};

// protocol.txt, Meta Get: 'If the request did not ask for a value ... HD <flags>*'
MC_TEST(MetaGet, HitWithoutFlagsIsHd, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "an mg hit without flags answers a bare HD") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("mg {}\r\n", k));
  EXPECT_TRUE(conn().expect("HD\r\n"));
}

// protocol.txt, Meta Get: 'If the request resulted in a miss, the response looks like: EN'
MC_TEST(MetaGet, MissWithoutFlagsIsEn, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "an mg of a missing key answers EN") {
  conn().send(fmt::format("mg {}\r\n", key()));
  EXPECT_TRUE(conn().expect("EN\r\n"));
}

// protocol.txt, Meta Get: 'v: return item value in <data block>' as 'VA <size> <flags>*'
MC_TEST(MetaGet, ValueFlagReturnsVaAndData, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg v of a hit answers VA <size> and the value as a data block") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hello"));
  conn().send(fmt::format("mg {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 5\r\nhello\r\n"));
}

// protocol.txt, Meta Get: a miss is 'EN' whatever flags were asked for
MC_TEST(MetaGet, MissWithValueFlagIsEn, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg v of a missing key answers a bare EN") {
  conn().send(fmt::format("mg {} v\r\n", key()));
  EXPECT_TRUE(conn().expect("EN\r\n"));
}

// protocol.txt, Meta Get: '<size> is the size of <data block> in bytes' (an empty value is VA 0)
MC_TEST(MetaGet, EmptyValueIsVaZero, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg v of an empty value answers VA 0 and an empty data block") {
  const auto k = key();
  ASSERT_TRUE(store(k, ""));
  conn().send(fmt::format("mg {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 0\r\n\r\n"));
}

// protocol.txt, Meta Get: '<data block> is the data for this item' (binary, CR LF inside)
MC_TEST(MetaGet, ValueWithCrLfInsideIsSentWhole, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg v of a value with CR LF inside sends all of it (VA 4, \"a\\r\\nb\")") {
  const auto k = key();
  ASSERT_TRUE(store(k, "a\r\nb"));
  conn().send(fmt::format("mg {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 4\r\na\r\nb\r\n"));
}

// protocol.txt, Meta Get: 'k: return key as a token'
MC_TEST(MetaGet, KeyFlagReturnsKey, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg k answers HD k<key>") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} k\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{}\r\n", k)));
}

// protocol.txt, Meta Get: 'f: return client flags token'
MC_TEST(MetaGet, ClientFlagsFlag, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Meta Get",
        .checks = "mg f returns the client flags stored with the item (f4242)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v", 4242));
  conn().send(fmt::format("mg {} f\r\n", k));
  EXPECT_TRUE(conn().expect("HD f4242\r\n"));
}

// protocol.txt, Meta Get: 'f: return client flags token' (zero when stored without flags)
MC_TEST(MetaGet, ClientFlagsZero, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Meta Get",
        .checks = "mg f of an item stored without client flags answers f0") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} f\r\n", k));
  EXPECT_TRUE(conn().expect("HD f0\r\n"));
}

// protocol.txt, Meta Get: 's: return item size token'
MC_TEST(MetaGet, SizeFlag, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Meta Get",
        .checks = "mg s returns the size of the value in bytes (s12)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "twelve bytes"));
  conn().send(fmt::format("mg {} s\r\n", k));
  EXPECT_TRUE(conn().expect("HD s12\r\n"));
}

// protocol.txt, Meta Get: 'c: return item cas token' (the same unique gets shows)
MC_TEST(MetaGet, CasFlagMatchesGets, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg c returns the cas unique classic gets shows") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("mg {} c\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD c{}\r\n", *unique)));
}

// protocol.txt, Meta Get: 'c: return item cas token' (a new value has a new token)
MC_TEST(MetaGet, CasChangesWhenValueChanges, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "the cas mg c returns changes when the item is set again") {
  const auto k = key();
  ASSERT_TRUE(store(k, "one"));
  const auto before = fetch_meta_cas(k);
  ASSERT_TRUE(store(k, "two"));
  const auto after = fetch_meta_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after);
}

// protocol.txt, Meta Get: 't: return item TTL remaining in seconds (-1 for unlimited)'
MC_TEST(MetaGet, TtlFlagUnlimited, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg t of an item without expiry answers t-1") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} t\r\n", k));
  EXPECT_TRUE(conn().expect("HD t-1\r\n"));
}

// protocol.txt, Meta Get: 't: return item TTL remaining in seconds'
MC_TEST(MetaGet, TtlFlagRemaining, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg t right after a set with exptime 100 answers t100") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nHD t100\r\n"));
}

// protocol.txt, Meta Get: 'h: return whether item has been hit before as a 0 or 1'
MC_TEST(MetaGet, HitFlagZeroThenOne, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg h answers h0 on the first read of an item and h1 on the next") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} h\r\nmg {} h\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD h0\r\nHD h1\r\n"));
}

// protocol.txt, Meta Get: 'h ... the value of "hit before?" ... before the command was processed'
MC_TEST(MetaGet, ClassicGetCountsAsHit, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "after a classic get of an item, mg h answers h1") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {}\r\nmg {} h\r\n", k, k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v") + "HD h1\r\n"));
}

// protocol.txt, Meta Get: 'l: return time since item was last accessed in seconds'
MC_TEST(MetaGet, LastAccessFlagJustStored, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg l right after a set answers l0") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1\r\nv\r\nmg {} l\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nHD l0\r\n"));
}

// protocol.txt, Meta Get: 'u: don't bump the item in the LRU ... avoids marking an item as being hit'
MC_TEST(
    MetaGet, NoBumpFlagDoesNotMarkHit, .feature = Feature::kMetaGet, .level = Level::kSpec,
    .spec = "protocol.txt: Meta Get",
    .checks = "mg u v returns the value without marking the item hit (the next mg h answers h0, the one after h1)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} u v\r\nmg {} h\r\nmg {} h\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\nHD h0\r\nHD h1\r\n"));
}

// protocol.txt, Meta Get: 'O(token): opaque value, consumes a token and copies back with response'
MC_TEST(MetaGet, OpaqueOnValueHit, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg v O123 copies the opaque back on the VA line") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v O123\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1 O123\r\nv\r\n"));
}

// protocol.txt, Meta Get: 'O(token): opaque value ... copies back with response' (HD)
MC_TEST(MetaGet, OpaqueOnHdHit, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Meta Get",
        .checks = "mg Oabc of a hit answers HD Oabc") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} Oabc\r\n", k));
  EXPECT_TRUE(conn().expect("HD Oabc\r\n"));
}

// protocol.txt, Meta Get: 'O(token): opaque value ... copies back with response' (a miss too)
MC_TEST(MetaGet, OpaqueOnMiss, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Meta Get",
        .checks = "mg v O9 of a missing key answers EN O9") {
  conn().send(fmt::format("mg {} v O9\r\n", key()));
  EXPECT_TRUE(conn().expect("EN O9\r\n"));
}

// memcached behaviour: a miss also echoes the k flag, though protocol.txt shows a bare 'EN'
MC_TEST(MetaGet, KeyEchoedOnMiss, .feature = Feature::kMetaGet, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "mg s v k O1 of a missing key answers EN k<key> O1: k and O are echoed on a miss, s is not") {
  const auto k = key();
  conn().send(fmt::format("mg {} s v k O1\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("EN k{} O1\r\n", k)));
}

// protocol.txt, Meta Get: 'Opaque tokens may be up to 32 bytes in length' (31 are fine)
MC_TEST(MetaGet, OpaqueOfThirtyOneBytes, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg with a 31-byte opaque echoes it (HD O<opaque>)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const std::string opaque(31, 'o');
  conn().send(fmt::format("mg {} O{}\r\n", k, opaque));
  EXPECT_TRUE(conn().expect(fmt::format("HD O{}\r\n", opaque)));
}

// memcached behaviour: an opaque of 32 bytes is already refused, though protocol.txt allows 32
MC_TEST(MetaGet, OpaqueOfThirtyTwoBytesRefused, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with a 32-byte opaque answers 'CLIENT_ERROR opaque token too long'") {
  const auto k = key();
  conn().send(fmt::format("mg {} v O{}\r\nmg {} v\r\n", k, std::string(32, 'o'), k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR opaque token too long\r\nEN\r\n"));
}

// memcached behaviour: an empty opaque token is echoed as a bare 'O'
MC_TEST(MetaGet, EmptyOpaqueEchoed, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg with an empty O token of a missing key answers EN O") {
  conn().send(fmt::format("mg {} O v\r\n", key()));
  EXPECT_TRUE(conn().expect("EN O\r\n"));
}

// protocol.txt, Meta Commands: 'it is returned in the same order as they were in the original command'
MC_TEST(MetaGet, ReturnFlagsInRequestOrder, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands", .checks = "mg s f t c k v returns s, f, t, c and k in request order") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi", 7));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("mg {} s f t c k v\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VA 2 s2 f7 t-1 c{} k{}\r\nhi\r\n", *unique, k)));
}

// protocol.txt, Meta Commands: return flags follow the request's order (the reverse order)
MC_TEST(MetaGet, ReturnFlagsInReverseRequestOrder, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands", .checks = "mg v k c t f s returns k, c, t, f and s in request order") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi", 7));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("mg {} v k c t f s\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VA 2 k{} c{} t-1 f7 s2\r\nhi\r\n", k, *unique)));
}

// protocol.txt, Meta Get: every flag at once, as a client fetching everything would send them
MC_TEST(MetaGet, EveryReturnFlagTogether, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks =
            "mg v k s f t c h l O1 q u of a hit answers VA 1 with k, s, f, t, c, h1, l0 and O1 in request order, and "
            "the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "x", 3));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  // The gets above was the first hit: h1.
  conn().send(fmt::format("mg {} v k s f t c h l O1 q u\r\n", k));
  EXPECT_TRUE(expect_across_clock_tick(fmt::format("VA 1 k{} s1 f3 t-1 c{} h1 l0 O1\r\nx\r\n", k, *unique)));
}

// protocol.txt, Meta Get: 'v' may come anywhere among the flags
MC_TEST(MetaGet, ValueFlagLastStillReturnsValue, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg k v (v after k) returns the value, with k on the VA line") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} k v\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VA 1 k{}\r\nv\r\n", k)));
}

// protocol.txt, Meta Get: 'T(token): update remaining TTL'
MC_TEST(MetaGet, TouchFlagSetsTtl, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg T300 answers HD and sets the TTL to 300 (the next mg t answers t300)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} T300\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nHD t300\r\n"));
}

// protocol.txt, Meta Get: 'T(token)' with 't' after it reports the new TTL
MC_TEST(MetaGet, TouchThenTtlReportsNewTtl, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg T40 t v of an item with TTL 100 reports the new TTL, t40") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmg {} T40 t v\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nVA 1 t40\r\nv\r\n"));
}

// memcached behaviour: a 't' before 'T' reports the TTL the item had before the touch
MC_TEST(MetaGet, TtlBeforeTouchReportsOldTtl, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "in mg t T30, t reports the TTL before the touch (t100); the next mg t answers t30") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmg {} t T30\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nHD t100\r\nHD t30\r\n"));
}

// protocol.txt, Expiration times: 'If it's 0, the item never expires' (T0 removes the TTL)
MC_TEST(MetaGet, TouchZeroMakesItemPermanent, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Expiration times",
        .checks = "mg T0 of an item with TTL 100 removes its TTL (the next mg t answers t-1)") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmg {} T0\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nHD\r\nHD t-1\r\n"));
}

// memcached behaviour: a negative T expires the item right after this read
MC_TEST(MetaGet, TouchNegativeExpiresItem, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg T-1 v still returns the value, and the next mg of the item answers EN") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} T-1 v\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\nEN\r\n"));
}

// protocol.txt, Meta Get: 'updates the remaining TTL of an item if hit' (a miss stays a miss)
MC_TEST(MetaGet, TouchOnMissIsEn, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Meta Get",
        .checks = "mg T100 t of a missing key answers EN and creates nothing") {
  const auto k = key();
  conn().send(fmt::format("mg {} T100 t\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("EN\r\nEN\r\n"));
}

// protocol.txt, Meta Commands: 'All commands accept a tokens 'P' and 'L' which are completely ignored'
MC_TEST(MetaGet, ProxyHintsIgnored, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands",
        .checks = "mg ignores the P and L tokens (mg v Pabc L/def answers a plain VA 1 and the value)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v Pabc L/def\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\n"));
}

// protocol.txt, Keys: a key of 250 bytes is valid
MC_TEST(MetaGet, KeyOfMaximumLength, .feature = Feature::kMetaGet, .level = Level::kSpec, .spec = "protocol.txt: Keys",
        .checks = "mg of a 250-byte key returns its value") {
  const auto k = key_of_length(250);
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\n"));
}

// memcached behaviour: a key over 250 bytes is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaGet, KeyTooLongIsClientError, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with a 251-byte key answers 'CLIENT_ERROR bad command line format'") {
  conn().send(fmt::format("mg {} v\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// memcached behaviour: mg without a key is an unknown command
MC_TEST(MetaGet, WithoutKeyIsError, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg without a key answers ERROR") {
  conn().send("mg\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\nMN\r\n"));
}

// memcached behaviour: a flag that takes no token ignores characters glued to it
MC_TEST(MetaGet, TokenAfterPlainFlagIgnored, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg ignores characters glued to a flag that takes no token (v1 sfoo act as v s)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v1 sfoo\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1 s1\r\nv\r\n"));
}

// memcached behaviour: spaces between flags and before the line end are skipped
MC_TEST(MetaGet, ExtraSpacesBetweenFlags, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg skips repeated spaces between its tokens and a space before the line end") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {}  s   v \r\n", k));
  EXPECT_TRUE(conn().expect("VA 1 s1\r\nv\r\n"));
}

// memcached behaviour: a bare LF ends a meta command line as it ends a classic one
MC_TEST(MetaGet, BareLineFeedEndsCommand, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "an mg line ended by a bare LF is answered") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\n"));
}

// protocol.txt, Meta Get: 'metaget can only take a single key' (the second is read as a flag)
MC_TEST(MetaGet, SecondKeyIsNotAKey, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with a second key answers 'CLIENT_ERROR invalid flag' (the second key is read as a flag)") {
  const auto a = key("a");
  ASSERT_TRUE(store(a, "v"));
  // "mcc-..." starts with 'm', which is no mg flag.
  conn().send(fmt::format("mg {} {}\r\nmn\r\n", a, key("b")));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nMN\r\n"));
}

// protocol.txt, Meta Get: the value seen is the one the last classic command stored
MC_TEST(MetaGet, SeesClassicAppend, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg v s after a classic append returns the appended value (VA 4 s4, abcd)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  conn().send(fmt::format("append {} 0 0 2\r\ncd\r\nmg {} v s\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nVA 4 s4\r\nabcd\r\n"));
}

// protocol.txt, Meta Get: a deleted item is a miss
MC_TEST(MetaGet, DeletedItemIsMiss, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg of an item removed by a classic delete answers EN") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {}\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nEN\r\n"));
}

// protocol.txt, Meta Get: 'E(token): use token as new CAS value if item is modified' (a read is no
// modification: the cas stays)
MC_TEST(MetaGet, CasOverrideWithoutModificationKeepsCas, .feature = Feature::kMetaGet, .level = Level::kSpec,
        .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Get",
        .checks = "mg E5 c of an item it does not modify keeps the item's cas and returns it") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("mg {} E5 c\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("HD c{}\r\n", *unique)));
}

// memcached 1.6.18 to 1.6.26 have no E flag: 'CLIENT_ERROR invalid flag'
MC_TEST(MetaGet, CasOverrideFlagUnknownBefore1627, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .versions = Until("1.6.26"), .spec = "memcached behaviour",
        .checks = "before 1.6.27, mg E5 answers 'CLIENT_ERROR invalid flag'") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} E5 c\r\nmn\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nMN\r\n"));
}

// memcached behaviour: a touch is no modification for E: the cas stays
MC_TEST(MetaGet, TouchKeepsCasDespiteOverride, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .versions = Since("1.6.27"), .spec = "memcached behaviour",
        .checks = "mg T30 E77 c touches the item (TTL 30) but keeps its cas instead of taking 77") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("mg {} T30 E77 c\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick(fmt::format("HD c{}\r\nHD t30\r\n", *unique)));
}

}  // namespace
}  // namespace mcconform::suites
