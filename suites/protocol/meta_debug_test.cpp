// me: the debug line of an item ("ME <key> exp= la= cas= fetch= cls= size="), and its misses.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaDebug : public ProtocolTest {
 protected:
  // memcached's item size for a small item without client flags: a 48-byte header, an 8-byte cas,
  // the key and its NUL, the value and its CR LF.
  static std::size_t item_size(std::string_view k, std::size_t value_length) {
    return 48 + 8 + k.size() + 1 + value_length + 2;
  }
};

// protocol.txt, Meta Debug: 'ME <key> <k>=<v>*' with exp, la, cas, fetch, cls and size
MC_TEST(MetaDebug, LineOfFreshItem, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "me of a fresh item answers 'ME <key> exp=-1 la=0 cas=<cas> fetch=no cls=1 size=<n>' with the cas ms c "
            "returned and memcached's item size") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 c\r\nx\r\nme {}\r\n", k, k));
  const std::string stored = conn().read_until("\r\n");
  ASSERT_TRUE(stored.starts_with("HD c")) << stored;
  const std::string unique = stored.substr(4, stored.size() - 6);
  EXPECT_TRUE(
      conn().expect(fmt::format("ME {} exp=-1 la=0 cas={} fetch=no cls=1 size={}\r\n", k, unique, item_size(k, 1))));
}

// protocol.txt, Meta Debug: 'A miss looks like: EN'
MC_TEST(MetaDebug, MissIsEn, .feature = Feature::kMetaDebug, .level = Level::kSpec, .spec = "protocol.txt: Meta Debug",
        .checks = "me of a missing key answers EN") {
  conn().send(fmt::format("me {}\r\n", key()));
  EXPECT_TRUE(conn().expect("EN\r\n"));
}

// protocol.txt, Meta Debug: 'fetch = whether an item has been fetched before'
MC_TEST(MetaDebug, FetchedAfterGet, .feature = Feature::kMetaDebug, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug", .checks = "me of an item read by a classic get shows fetch=yes") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {}\r\nme {}\r\n", k, k));
  ASSERT_TRUE(conn().expect(value_reply(k, "v")));
  const std::string line = conn().read_until("\r\n");
  EXPECT_NE(line.find(" fetch=yes "), std::string::npos) << line;
}

// memcached behaviour: me itself is no fetch: the item stays unfetched and unhit
MC_TEST(MetaDebug, DebugIsNoFetch, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "me is no fetch: two me of an item give the same line with fetch=no, and mg h then answers h0") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("me {}\r\nme {}\r\n", k, k));
  const std::string first = conn().read_until("\r\n");
  const std::string second = conn().read_until("\r\n");
  EXPECT_NE(second.find(" fetch=no "), std::string::npos) << second;
  EXPECT_EQ(first, second);
  conn().send(fmt::format("mg {} h\r\n", k));
  EXPECT_TRUE(conn().expect("HD h0\r\n"));
}

// protocol.txt, Meta Debug: 'cas = CAS ID' (the token gets shows)
MC_TEST(MetaDebug, CasMatchesGets, .feature = Feature::kMetaDebug, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug", .checks = "me shows the cas unique classic gets returns as cas=<unique>") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("me {}\r\n", k));
  const std::string line = conn().read_until("\r\n");
  EXPECT_NE(line.find(fmt::format(" cas={} ", *unique)), std::string::npos) << line;
}

// protocol.txt, Meta Debug: 'exp = expiration time' (-1: never)
MC_TEST(MetaDebug, NoExpiryIsMinusOne, .feature = Feature::kMetaDebug, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug", .checks = "me of an item without expiry shows exp=-1 la=0") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("me {}\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("ME {} exp=-1 la=0 ", k)));
  conn().read_until("\r\n");
}

// protocol.txt, Meta Debug: 'exp = expiration time' (seconds left)
MC_TEST(MetaDebug, ExpiryInSecondsLeft, .feature = Feature::kMetaDebug, .level = Level::kSpec,
        .versions = Since("1.6.24"), .spec = "protocol.txt: Meta Debug",
        .checks = "me of an item stored with T100 shows exp=100") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nme {}\r\n", k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nME {} exp=100 la=0 ", k)));
  conn().read_until("\r\n");
}

// memcached 1.6.18 to 1.6.23 print the expiry with the wrong sign (fixed in 1.6.24)
MC_TEST(MetaDebug, ExpiryNegatedBefore1624, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .versions = Until("1.6.23"), .spec = "memcached behaviour",
        .checks = "before 1.6.24, me of an item stored with T100 shows exp=-100") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T100\r\nx\r\nme {}\r\n", k, k));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nME {} exp=-100 la=0 ", k)));
  conn().read_until("\r\n");
}

// memcached behaviour: 'size = total size in bytes' counts 4 more bytes for non-zero client flags
MC_TEST(
    MetaDebug, SizeCountsClientFlags, .feature = Feature::kMetaDebug, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks = "me of an item with client flags 5 shows cls=1 and a size 4 bytes over that of an item without flags") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 F5\r\nx\r\nme {}\r\n", k, k));
  ASSERT_TRUE(conn().expect("HD\r\n"));
  const std::string line = conn().read_until("\r\n");
  EXPECT_TRUE(line.ends_with(fmt::format(" cls=1 size={}\r\n", item_size(k, 1) + 4))) << line;
}

// memcached behaviour: 'cls = slab class id' (a 200-byte value is in class 6 with default settings)
MC_TEST(MetaDebug, LargerItemInHigherSlabClass, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "me of an item with a 200-byte value shows fetch=no cls=6 and memcached's item size") {
  const auto k = key();
  ASSERT_TRUE(store(k, std::string(200, 'a')));
  conn().send(fmt::format("me {}\r\n", k));
  const std::string line = conn().read_until("\r\n");
  EXPECT_TRUE(line.ends_with(fmt::format(" fetch=no cls=6 size={}\r\n", item_size(k, 200)))) << line;
}

// protocol.txt, Meta Debug: an invalidated item shows its bumped cas
MC_TEST(MetaDebug, InvalidatedItemShowsNewCas, .feature = Feature::kMetaDebug, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug",
        .checks = "me of an item invalidated by md I shows the bumped cas that mg c reports") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} I\r\n", k));
  ASSERT_TRUE(conn().expect("HD\r\n"));
  conn().send(fmt::format("me {}\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_NE(line.find(fmt::format(" cas={} ", *unique)), std::string::npos) << line;
}

// protocol.txt, Meta Debug: a deleted item is a miss
MC_TEST(MetaDebug, DeletedItemIsMiss, .feature = Feature::kMetaDebug, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug", .checks = "me of an item deleted by md answers EN") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {}\r\nme {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nEN\r\n"));
}

// memcached behaviour: me takes no flags but b; others (even O) are ignored, not echoed
MC_TEST(MetaDebug, OtherFlagsIgnored, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "me ignores flags other than b: me k v q O1 of a missing key answers a bare EN") {
  conn().send(fmt::format("me {} k v q O1\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("EN\r\nMN\r\n"));
}

// memcached behaviour: me without a key is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaDebug, WithoutKeyIsClientError, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "me without a key answers 'CLIENT_ERROR bad command line format'") {
  conn().send("me\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// memcached behaviour: a key over 250 bytes is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaDebug, KeyTooLongIsClientError, .feature = Feature::kMetaDebug, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "me with a 251-byte key answers 'CLIENT_ERROR bad command line format'") {
  conn().send(fmt::format("me {}\r\nmn\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
