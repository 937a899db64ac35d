// Leases and stale-while-revalidate: N (vivify), R (recache), W (won), X (stale), Z (lost), I.
#include <chrono>
#include <thread>

#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaStale : public ProtocolTest {};

// protocol.txt, Meta Get: 'N(token): vivify on miss ... a 'W' flag is added' (0 bytes of data)
MC_TEST(MetaStale, VivifyOnMissWins, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg N30 s v of a missing key creates an empty item and answers VA 0 s0 W") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 s v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 0 s0 W\r\n\r\n"));
}

// protocol.txt, Meta Get: 'Further requests will see a 'Z' flag'
MC_TEST(MetaStale, SecondVivifyLoses, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "of two mg N30 v of a missing key, the first answers W and the second Z") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 v\r\nmg {} N30 v\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 0 W\r\n\r\nVA 0 Z\r\n\r\n"));
}

// protocol.txt, Meta Get: the won flag goes to one client only (two connections)
MC_TEST(MetaStale, OnlyOneConnectionWins, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "of two connections sending mg N30 for a missing key, the first answers W and the other Z") {
  const auto k = key();
  Connection& other = open_connection();
  conn().send(fmt::format("mg {} N30 O1\r\n", k));
  ASSERT_TRUE(conn().expect("HD O1 W\r\n"));
  other.send(fmt::format("mg {} N30 O2\r\n", k));
  EXPECT_TRUE(other.expect("HD O2 Z\r\n"));
}

// protocol.txt, Meta Get: 'N(token): vivify on miss, takes TTL as a argument'
MC_TEST(MetaStale, VivifiedItemHasTtlOfN, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "an item vivified by mg N30 has TTL 30 (t30 W), and a later mg t sees it with t30 Z") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 t v\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("VA 0 t30 W\r\n\r\nHD t30 Z\r\n"));
}

// protocol.txt, Meta Get: a plain mg of a vivified item also sees Z
MC_TEST(MetaStale, PlainGetOfVivifiedItemSeesZ, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "an mg without N of a vivified item answers its empty value with Z") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD W\r\nVA 0 Z\r\n\r\n"));
}

// protocol.txt, Meta Get: N on a hit does nothing: no W
MC_TEST(MetaStale, VivifyOnHitIsPlainHit, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg N30 v of an existing item returns it without W") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} N30 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\n"));
}

// protocol.txt, Meta Get: the vivified stub is a real item with a cas
MC_TEST(MetaStale, VivifiedItemHasCas, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg N30 c of a missing key answers HD c<cas> W with the cas classic gets then shows") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 c\r\n", k));
  const std::string line = conn().read_until("\r\n");
  conn().send(fmt::format("gets {}\r\n", k));
  const std::string header = conn().read_until("\r\n");
  ASSERT_TRUE(conn().expect("\r\nEND\r\n"));
  const auto space = header.rfind(' ');
  EXPECT_EQ(line, fmt::format("HD c{} W\r\n", header.substr(space + 1, header.size() - space - 3)));
}

// protocol.txt, Meta Get: the winner stores the real value; later reads are plain hits
MC_TEST(MetaStale, WinnerRecachesWithSet, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "after a vivify win, ms stores the real value and a later mg N30 v returns it without W or Z") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 v\r\nms {} 4\r\nreal\r\nmg {} N30 v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("VA 0 W\r\n\r\nHD\r\nVA 4\r\nreal\r\n"));
}

// protocol.txt, Meta Get: 'Can be combined with CAS flags to gate the update further'
MC_TEST(MetaStale, WinnerRecachesWithCas, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "ms C with the cas of a vivified item stores; a second ms with the same cas answers EX") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 c\r\n", k));
  const std::string line = conn().read_until("\r\n");
  ASSERT_TRUE(line.starts_with("HD c") && line.ends_with(" W\r\n")) << line;
  const std::string unique = line.substr(4, line.size() - 8);
  conn().send(fmt::format("ms {} 1 C{}\r\nx\r\nms {} 1 C{}\r\ny\r\nmg {} v\r\n", k, unique, k, unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nEX\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Get: the stub exists: an add (ME) of the key is refused
MC_TEST(MetaStale, VivifiedItemBlocksAdd, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "ms ME of a key vivified by mg N answers NS") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30\r\nms {} 1 ME\r\nx\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD W\r\nNS\r\n"));
}

// protocol.txt, Meta Get: the W of a vivify is no miss: quiet mode returns it
MC_TEST(MetaStale, QuietVivifyStillAnswers, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg N30 q v of a missing key still answers VA 0 W, and a later mg q v answers VA 0 Z") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 q v\r\nmg {} q v\r\nmn\r\n", k, k));
  EXPECT_TRUE(conn().expect("VA 0 W\r\n\r\nVA 0 Z\r\n\r\nMN\r\n"));
}

// protocol.txt, Meta Get: 'R(token): if remaining TTL is less than token, win for recache'
MC_TEST(MetaStale, RecacheWinsBelowThreshold, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg R200 t v of an item with TTL 100 answers W") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nmg {} R200 t v\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nVA 1 t100 W\r\nx\r\n"));
}

// protocol.txt, Meta Get: R does not win while the TTL is above the token
MC_TEST(MetaStale, RecacheAboveThresholdIsPlainHit, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg R30 v of an item with TTL 100 answers without W") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nmg {} R30 v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Get: after a win, 'Z: item has already sent a winning flag'
MC_TEST(MetaStale, RecacheSecondRequestLoses, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "after one mg R200 wins (W), a second mg R200 and a plain mg answer Z") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nmg {} R200 O1 v\r\nmg {} R200 O2 v\r\nmg {} v\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 O1 W\r\nx\r\nVA 1 O2 Z\r\nx\r\nVA 1 Z\r\nx\r\n"));
}

// memcached behaviour: an item without TTL never wins a recache
MC_TEST(MetaStale, RecacheNeverWinsWithoutTtl, .feature = Feature::kMetaStale, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg R30 v of an item without expiry answers without W") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} R30 v\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1\r\nv\r\n"));
}

// protocol.txt, Meta Get: R and N together: N wins the miss
MC_TEST(MetaStale, RecacheAndVivifyTogether, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg N30 R100 of a missing key wins the vivify (t30 W); a second one loses (t30 Z)") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 R100 t v\r\nmg {} N30 R100 t v\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("VA 0 t30 W\r\n\r\nVA 0 t30 Z\r\n\r\n"));
}

// protocol.txt, Meta Get: 'X: item is stale' after md I, with the win for the first reader
MC_TEST(MetaStale, InvalidatedItemIsStaleAndWins, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "the first mg of an item invalidated by md I answers X W and the old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("md {} I\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3 X W\r\nold\r\n"));
}

// protocol.txt, Meta Get: 'Z ... When combined with the X flag' (later readers); memcached puts Z first
MC_TEST(MetaStale, InvalidatedItemLaterReadersSeeZ, .feature = Feature::kMetaStale, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "after md I, the first mg answers X W and a later one Z X, Z before X and after k") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("md {} I\r\nmg {} v\r\nmg {} v k\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nVA 3 X W\r\nold\r\nVA 3 k{} Z X\r\nold\r\n", k)));
}

// protocol.txt, Meta Delete: a second invalidation gives the win again
MC_TEST(MetaStale, SecondInvalidateResetsWin, .feature = Feature::kMetaStale, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a second md I of a stale item lets the next mg win again (HD X W twice)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I\r\nmg {}\r\nmd {} I\r\nmg {}\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD X W\r\nHD\r\nHD X W\r\n"));
}

// protocol.txt, Meta Delete: 'I ... bumps CAS': a set with the stale cas recaches and clears X
MC_TEST(
    MetaStale, RecacheWithStaleCasClearsStale, .feature = Feature::kMetaStale, .level = Level::kSpec,
    .spec = "protocol.txt: Meta Delete",
    .checks =
        "ms C with the cas of an item invalidated by md I stores and clears the stale state (mg answers a plain VA)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("md {} I\r\n", k));
  ASSERT_TRUE(conn().expect("HD\r\n"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 3 C{}\r\nnew\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Delete: the cas from before the invalidation no longer matches
MC_TEST(MetaStale, OldCasAfterInvalidateIsExists, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "ms C with the cas from before md I answers EX") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} I\r\nms {} 3 C{}\r\nnew\r\n", k, k, *unique));
  EXPECT_TRUE(conn().expect("HD\r\nEX\r\n"));
}

// protocol.txt, Meta Set: 'When combined with the 'I' flag, a CAS value that is _lower_ than the
// current value may be accepted, but the item will be marked as "stale"'
MC_TEST(MetaStale, SetInvalidWithLowerCasMarksStale, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms I with a cas lower than the item's stores and marks the item stale (mg answers X W)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique && *unique > 1);
  conn().send(fmt::format("ms {} 2 I C{}\r\nyy\r\nmg {} v\r\n", k, *unique - 1, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 2 X W\r\nyy\r\n"));
}

// protocol.txt, Meta Set: I accepts lower cas values only: a higher one is 'EX'
MC_TEST(MetaStale, SetInvalidWithHigherCasIsExists, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms I with a cas higher than the item's answers EX and keeps the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 I C{}\r\nz\r\nmg {} v\r\n", k, *unique + 10, k));
  EXPECT_TRUE(conn().expect("EX\r\nVA 1\r\nv\r\n"));
}

// protocol.txt, Meta Set: I with the current cas is a plain cas store: not stale
MC_TEST(MetaStale, SetInvalidWithMatchingCasIsPlainStore, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "ms I with the item's current cas stores without marking it stale") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 I C{}\r\nz\r\nmg {} v\r\n", k, *unique, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nz\r\n"));
}

// protocol.txt, Meta Set: 'I ... Functional when combined with 'C' flag' (alone it is a plain set)
MC_TEST(MetaStale, SetInvalidWithoutCasIsPlainSet, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms I without C stores as a plain set, not marked stale") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("ms {} 1 I\r\nz\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nz\r\n"));
}

// protocol.txt, Meta Delete: a stale item is still deleted by md
MC_TEST(MetaStale, StaleItemDeleted, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md deletes an item marked stale by md I (mg then answers EN)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I\r\nmd {}\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nHD\r\nEN\r\n"));
}

// protocol.txt, Meta Get: classic get of a stale item returns the stale data
MC_TEST(MetaStale, ClassicGetOfStaleItem, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "a classic get of an item invalidated by md I returns its old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("md {} I\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "old")));
}

// protocol.txt, Meta Delete: 'T(token) ... limiting the amount of time an item will live while stale'
MC_TEST(MetaStale, InvalidateShortensTtl, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md I T30 of an item with TTL 1000 marks it stale with TTL 30 (t30 X W)") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T1000\r\nx\r\nmd {} I T30\r\nmg {} t v\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("HD\r\nHD\r\nVA 1 t30 X W\r\nx\r\n"));
}

// protocol.txt, Expiration times and Meta Get N: a vivified stub and a stale item expire with their
// TTL (one real wait for several items, so slow)
MC_TEST(MetaStale, StubsAndStaleItemsExpire, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks =
            "a stub vivified with mg N2 and an item invalidated with md I T2 are gone after 3.5 s (the stub vivifies "
            "again with W, the other is EN)") {
  const auto stub = key("stub"), stale = key("stale");
  conn().send(fmt::format("mg {} N2\r\nms {} 1 T100\r\nx\r\nmd {} I T2\r\n", stub, stale, stale));
  ASSERT_TRUE(conn().expect("HD W\r\nHD\r\nHD\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  conn().send(fmt::format("mg {} N30 v\r\nmg {} v\r\n", stub, stale));
  EXPECT_TRUE(conn().expect("VA 0 W\r\n\r\nEN\r\n"));
}

// protocol.txt, Meta Get: 'E(token): use token as new CAS value if item is modified' (the vivified
// stub is created with it)
MC_TEST(MetaStale, VivifyWithCasOverride, .feature = Feature::kMetaStale, .level = Level::kSpec,
        .versions = Since("1.6.27"), .spec = "protocol.txt: Meta Get",
        .checks = "mg N30 E55 c of a missing key creates the stub with the cas 55 (HD c55 W, then c55 Z)") {
  const auto k = key();
  conn().send(fmt::format("mg {} N30 E55 c\r\nmg {} c\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD c55 W\r\nHD c55 Z\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
