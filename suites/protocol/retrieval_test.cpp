// get, gets, gat, gats: one and many keys, misses, order, duplicates, the VALUE line format.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Retrieval : public ProtocolTest {};

MC_TEST(Retrieval, GetMissingKeyIsJustEnd, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (get)", .checks = "a get of a missing key answers END alone") {
  conn().send(fmt::format("get {}\r\n", key()));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, ValueLineFormat, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (get)",
        .checks = "a hit is \"VALUE <key> <flags> <bytes>\\r\\n<data>\\r\\n\" followed by END") {
  const auto k = key();
  ASSERT_TRUE(store(k, "12345", 123456));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 123456 5\r\n12345\r\nEND\r\n", k)));
}

MC_TEST(Retrieval, GetsAddsTheCasUnique, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (gets)",
        .checks = "gets adds the cas unique, a decimal number, as the fifth field of the VALUE line") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v", 3));
  conn().send(fmt::format("gets {}\r\n", k));
  const std::string header = conn().read_until("\r\n");
  const std::string prefix = fmt::format("VALUE {} 3 1 ", k);
  ASSERT_TRUE(header.starts_with(prefix)) << header;
  const std::string unique = header.substr(prefix.size(), header.size() - prefix.size() - 2);
  EXPECT_FALSE(unique.empty());
  EXPECT_EQ(unique.find_first_not_of("0123456789"), std::string::npos) << "cas unique must be decimal: " << unique;
  EXPECT_TRUE(conn().expect("v\r\nEND\r\n"));
}

MC_TEST(
    Retrieval, MultiGetSkipsMissesAndKeepsOrder, .feature = Feature::kCore, .level = Level::kSpec,
    .spec = "protocol.txt: Retrieval command (get)",
    .checks = "a get of several keys returns the hits in request order, leaves the misses out, and ends with one END") {
  const auto a = key("a"), b = key("b"), c = key("c"), missing = key("missing");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "22"));
  ASSERT_TRUE(store(c, "333"));
  conn().send(fmt::format("get {} {} {} {}\r\n", c, missing, a, b));
  EXPECT_TRUE(
      conn().expect(fmt::format("VALUE {} 0 3\r\n333\r\nVALUE {} 0 1\r\n1\r\nVALUE {} 0 2\r\n22\r\nEND\r\n", c, a, b)));
}

MC_TEST(Retrieval, MultiGetAllMissing, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (get)", .checks = "a get of several missing keys answers END alone") {
  conn().send(fmt::format("get {} {} {}\r\n", key("x"), key("y"), key("z")));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, DuplicateKeysAnswerEachTime, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a key named three times in one get is returned three times") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {} {} {}\r\n", k, k, k));
  const std::string one = fmt::format("VALUE {} 0 1\r\nv\r\n", k);
  EXPECT_TRUE(conn().expect(one + one + one + "END\r\n"));
}

MC_TEST(Retrieval, HundredKeysInOneRequest, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (get)",
        .checks = "a get of 100 keys returns exactly the hits among them, in request order") {
  std::string request = "get";
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    const auto k = key(fmt::format("k{}", i));
    if (i % 3 == 0) {
      ASSERT_TRUE(store(k, fmt::format("value-{}", i)));
      expected += fmt::format("VALUE {} 0 {}\r\nvalue-{}\r\n", k, fmt::format("value-{}", i).size(), i);
    }
    request += " " + k;
  }
  conn().send(request + "\r\n");
  EXPECT_TRUE(conn().expect(expected + "END\r\n"));
}

MC_TEST(Retrieval, LongMultiGetLineBeyondTwoKilobytes, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a get line of over 12000 bytes (60 keys of 200 bytes) is accepted and answered; only get lines may exceed "
            "2048 bytes") {
  // memcached lets only get lines grow past 2048 bytes before their newline.
  std::string request = "get";
  std::string expected;
  for (int i = 0; i < 60; ++i) {
    const auto k = key_of_length(200, fmt::format("long{}", i));
    if (i % 10 == 0) {
      ASSERT_TRUE(store(k, "x"));
      expected += fmt::format("VALUE {} 0 1\r\nx\r\n", k);
    }
    request += " " + k;
  }
  ASSERT_GT(request.size(), 12000u);
  conn().send(request + "\r\n");
  EXPECT_TRUE(conn().expect(expected + "END\r\n"));
}

MC_TEST(Retrieval, GetsOfManyKeysGivesEachItsOwnUnique, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (gets)",
        .checks = "gets of two keys returns each key's own unique, the same ones single-key gets returned") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  const auto ca = fetch_cas(a);
  const auto cb = fetch_cas(b);
  ASSERT_TRUE(ca && cb);
  EXPECT_NE(*ca, *cb);
  conn().send(fmt::format("gets {} {}\r\n", a, b));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1 {}\r\n1\r\nVALUE {} 0 1 {}\r\n2\r\nEND\r\n", a, *ca, b, *cb)));
}

MC_TEST(Retrieval, GetDoesNotChangeTheCasUnique, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (gets)", .checks = "a get leaves the item's cas unique unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto before = fetch_cas(k);
  conn().send(fmt::format("get {}\r\n", k));
  ASSERT_TRUE(conn().expect(value_reply(k, "v")));
  EXPECT_EQ(before, fetch_cas(k));
}

MC_TEST(Retrieval, KeysAreCaseSensitive, .feature = Feature::kCore, .level = Level::kSpec, .spec = "protocol.txt: Keys",
        .checks = "keys differing only in letter case are different keys") {
  const auto lower = key("abc"), upper = key("ABC");
  ASSERT_TRUE(store(lower, "l"));
  conn().send(fmt::format("get {}\r\n", upper));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, GatReturnsValueAndTouches, .feature = Feature::kTouch, .level = Level::kSpec,
        .spec = "protocol.txt: Get And Touch (gat)",
        .checks = "gat of a present key returns its VALUE line and data like get") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v", 5));
  conn().send(fmt::format("gat 100 {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v", 5)));
}

MC_TEST(Retrieval, GatsReturnsCas, .feature = Feature::kTouch, .level = Level::kSpec,
        .spec = "protocol.txt: Get And Touch (gats)",
        .checks = "gats returns the VALUE line with the item's cas unique, the same gets returns") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("gats 100 {}\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1 {}\r\nv\r\nEND\r\n", k, *unique)));
}

MC_TEST(Retrieval, GatManyKeysWithMisses, .feature = Feature::kTouch, .level = Level::kSpec,
        .spec = "protocol.txt: Get And Touch (gat)",
        .checks = "gat of several keys returns only the hits and one END") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  conn().send(fmt::format("gat 0 {} {}\r\n", b, a));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1\r\n1\r\nEND\r\n", a)));
}

MC_TEST(Retrieval, GatWithBadExptime, .feature = Feature::kTouch, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "gat with a non-numeric exptime answers \"CLIENT_ERROR invalid exptime argument\"") {
  conn().send(fmt::format("gat abc {}\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid exptime argument\r\n"));
}

MC_TEST(Retrieval, GatWithoutKeysIsJustEnd, .feature = Feature::kTouch, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "gat with an exptime and no key answers END") {
  conn().send("gat 10\r\n");
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, NoreplyIsAKeyForGet, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "get takes no noreply option: \"noreply\" is read as one more key and END still comes") {
  // get takes no noreply option: the word is just another key, so the reply still comes.
  conn().send(fmt::format("get {} noreply\r\n", key()));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
