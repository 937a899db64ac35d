// get, gets, gat, gats: one and many keys, misses, order, duplicates, the VALUE line format.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Retrieval : public ProtocolTest {};

MC_TEST(Retrieval, GetMissingKeyIsJustEnd, Feature::kCore, Level::kSpec) {
  conn().send(fmt::format("get {}\r\n", key()));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, ValueLineFormat, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "12345", 123456));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 123456 5\r\n12345\r\nEND\r\n", k)));
}

MC_TEST(Retrieval, GetsAddsTheCasUnique, Feature::kCore, Level::kSpec) {
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

MC_TEST(Retrieval, MultiGetSkipsMissesAndKeepsOrder, Feature::kCore, Level::kSpec) {
  const auto a = key("a"), b = key("b"), c = key("c"), missing = key("missing");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "22"));
  ASSERT_TRUE(store(c, "333"));
  conn().send(fmt::format("get {} {} {} {}\r\n", c, missing, a, b));
  EXPECT_TRUE(
      conn().expect(fmt::format("VALUE {} 0 3\r\n333\r\nVALUE {} 0 1\r\n1\r\nVALUE {} 0 2\r\n22\r\nEND\r\n", c, a, b)));
}

MC_TEST(Retrieval, MultiGetAllMissing, Feature::kCore, Level::kSpec) {
  conn().send(fmt::format("get {} {} {}\r\n", key("x"), key("y"), key("z")));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, DuplicateKeysAnswerEachTime, Feature::kCore, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {} {} {}\r\n", k, k, k));
  const std::string one = fmt::format("VALUE {} 0 1\r\nv\r\n", k);
  EXPECT_TRUE(conn().expect(one + one + one + "END\r\n"));
}

MC_TEST(Retrieval, HundredKeysInOneRequest, Feature::kCore, Level::kSpec) {
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

MC_TEST(Retrieval, LongMultiGetLineBeyondTwoKilobytes, Feature::kCore, Level::kCompat) {
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

MC_TEST(Retrieval, GetsOfManyKeysGivesEachItsOwnUnique, Feature::kCore, Level::kSpec) {
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

MC_TEST(Retrieval, GetDoesNotChangeTheCasUnique, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto before = fetch_cas(k);
  conn().send(fmt::format("get {}\r\n", k));
  ASSERT_TRUE(conn().expect(value_reply(k, "v")));
  EXPECT_EQ(before, fetch_cas(k));
}

MC_TEST(Retrieval, KeysAreCaseSensitive, Feature::kCore, Level::kSpec) {
  const auto lower = key("abc"), upper = key("ABC");
  ASSERT_TRUE(store(lower, "l"));
  conn().send(fmt::format("get {}\r\n", upper));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, GatReturnsValueAndTouches, Feature::kTouch, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v", 5));
  conn().send(fmt::format("gat 100 {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v", 5)));
}

MC_TEST(Retrieval, GatsReturnsCas, Feature::kTouch, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("gats 100 {}\r\n", k));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1 {}\r\nv\r\nEND\r\n", k, *unique)));
}

MC_TEST(Retrieval, GatManyKeysWithMisses, Feature::kTouch, Level::kSpec) {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  conn().send(fmt::format("gat 0 {} {}\r\n", b, a));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1\r\n1\r\nEND\r\n", a)));
}

MC_TEST(Retrieval, GatWithBadExptime, Feature::kTouch, Level::kCompat) {
  conn().send(fmt::format("gat abc {}\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid exptime argument\r\n"));
}

MC_TEST(Retrieval, GatWithoutKeysIsJustEnd, Feature::kTouch, Level::kCompat) {
  conn().send("gat 10\r\n");
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Retrieval, NoreplyIsAKeyForGet, Feature::kCore, Level::kCompat) {
  // get takes no noreply option: the word is just another key, so the reply still comes.
  conn().send(fmt::format("get {} noreply\r\n", key()));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
