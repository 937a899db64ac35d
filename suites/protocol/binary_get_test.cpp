// Binary get, getq, getk, getkq, touch, gat, gatq, gatk: hits, misses, flags, cas, quiet forms.
#include <string>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryGet : public BinaryTest {};

// BinaryProtocolRevamped, Get: the response has the flags as 4 bytes of extras, the value in the body
MC_TEST(BinaryGet, HitReturnsFlagsValueAndCas, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a get hit answers success with the flags in 4 bytes of extras, the value, and the item's cas") {
  const auto k = key();
  const auto cas = set(k, "hello", 0xdeadbeef);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "hello", 0xdeadbeef, *cas)));
}

// memcached behaviour: a miss answers status 0x0001 with the text "Not found" and cas 0
MC_TEST(BinaryGet, MissIsNotFound, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a get miss answers status 0x0001 (key not found), body \"Not found\"") {
  send(get(Opcode::kGet, key()));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Get Key: the response carries the key
MC_TEST(BinaryGet, GetKHitEchoesKey, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a getk hit answers the flags, the key and the value") {
  const auto k = key();
  const auto cas = set(k, "v", 7);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGetK, k));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "v", 7, *cas, k)));
}

// memcached behaviour: a getk miss echoes the key as the body, no extras and no error text
MC_TEST(BinaryGet, GetKMissEchoesKey, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a getk miss answers status 0x0001 with the key (and no error text, no extras)") {
  const auto k = key();
  send(get(Opcode::kGetK, k));
  Packet expected = binary::response(Opcode::kGetK, Status::kKeyNotFound);
  expected.key = k;
  EXPECT_TRUE(expect(expected));
}

// BinaryProtocolRevamped, Get Quietly: a miss is not answered; a hit answers
MC_TEST(BinaryGet, GetQHitAnswers, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a getq hit answers with opcode getq, flags and value, before the noop that follows") {
  const auto k = key();
  const auto cas = set(k, "quiet", 1);
  ASSERT_TRUE(cas);
  send({get(Opcode::kGetQ, k), noop(5)});
  EXPECT_TRUE(expect(hit(Opcode::kGetQ, "quiet", 1, *cas)));
  EXPECT_TRUE(expect_noop(5));
}

// BinaryProtocolRevamped, Get Quietly: a miss sends nothing; the noop proves it
MC_TEST(BinaryGet, GetQMissIsSilent, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a getq miss answers nothing: the next packet is the noop's response") {
  send({get(Opcode::kGetQ, key()), noop(9)});
  EXPECT_TRUE(expect_noop(9));
}

// BinaryProtocolRevamped, Get Key Quietly: a hit answers with the key
MC_TEST(BinaryGet, GetKQHitEchoesKey, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a getkq hit answers with opcode getkq, the flags, the key and the value") {
  const auto k = key();
  const auto cas = set(k, "kq", 3);
  ASSERT_TRUE(cas);
  send({get(Opcode::kGetKQ, k), noop()});
  EXPECT_TRUE(expect(hit(Opcode::kGetKQ, "kq", 3, *cas, k)));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Get Key Quietly: a miss sends nothing
MC_TEST(BinaryGet, GetKQMissIsSilent, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a getkq miss answers nothing: the next packet is the noop's response") {
  send({get(Opcode::kGetKQ, key()), noop(1)});
  EXPECT_TRUE(expect_noop(1));
}

// BinaryProtocolRevamped, Get Key Quietly: the multi-get idiom: getkq per key, noop last
MC_TEST(BinaryGet, GetKQMultiGet, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks =
            "getkq of 6 keys (every other one stored) then noop answers the 3 hits in order with their "
            "keys and opaques, then the noop") {
  std::string request;
  std::vector<Packet> hits;
  for (std::uint32_t i = 0; i < 6; ++i) {
    const auto k = key(fmt::format("k{}", i));
    if (i % 2 == 0) {
      const auto cas = set(k, std::to_string(i), i);
      ASSERT_TRUE(cas);
      hits.push_back(with_opaque(hit(Opcode::kGetKQ, std::to_string(i), i, *cas, k), 100 + i));
    }
    request += with_opaque(get(Opcode::kGetKQ, k), 100 + i).encode();
  }
  conn().send(request + noop(1000).encode());
  for (const auto& h : hits) EXPECT_TRUE(expect(h));
  EXPECT_TRUE(expect_noop(1000));
}

// BinaryProtocolRevamped, Get: the opaque of the request is copied into the response
MC_TEST(BinaryGet, OpaqueOnHit, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a get hit answers with the request's opaque (0xcafef00d)") {
  const auto k = key();
  const auto cas = set(k, "x");
  ASSERT_TRUE(cas);
  send(with_opaque(get(Opcode::kGet, k), 0xcafef00d));
  EXPECT_TRUE(expect(with_opaque(hit(Opcode::kGet, "x", 0, *cas), 0xcafef00d)));
}

// memcached behaviour: the opaque is echoed on a miss too
MC_TEST(BinaryGet, OpaqueOnMiss, .feature = Feature::kBinaryGet, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "a get miss answers Not found with the request's opaque") {
  send(with_opaque(get(Opcode::kGet, key()), 0x01020304));
  EXPECT_TRUE(expect(with_opaque(not_found(Opcode::kGet), 0x01020304)));
}

// BinaryProtocolRevamped, Get: the cas in the response is the item's, the one text gets shows
MC_TEST(BinaryGet, CasMatchesTextGets, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "the cas of a binary get hit equals the cas unique a text gets shows on another connection") {
  const auto k = key();
  ASSERT_TRUE(set(k, "shared"));
  Connection& text = open_connection();
  const auto text_unique = text_cas(text, k);
  ASSERT_TRUE(text_unique);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "shared", 0, *text_unique)));
}

// BinaryProtocolRevamped, Get: a value stored by a text set reads back with its flags
MC_TEST(BinaryGet, ReadsTextSet, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a value stored by text set (flags 42) on another connection is read by binary get with flags 42") {
  const auto k = key();
  Connection& text = open_connection();
  text.send(fmt::format("set {} 42 0 5\r\nhello\r\n", k));
  ASSERT_TRUE(text.expect("STORED\r\n"));
  const auto cas = text_cas(text, k);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "hello", 42, *cas)));
}

// BinaryProtocolRevamped, Get: an empty value is a response with extras only
MC_TEST(BinaryGet, EmptyValue, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a get of an empty value answers body length 4: the flags, no value") {
  const auto k = key();
  const auto cas = set(k, "", 9);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "", 9, *cas)));
}

// BinaryProtocolRevamped, Get: the value is bytes, any bytes
MC_TEST(BinaryGet, BinaryValue, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a value holding NUL, CR LF, 0x80 and 0xff reads back byte for byte") {
  const auto k = key();
  const std::string value("a\0b\r\nc\x80\xff", 8);
  const auto cas = set(k, value);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, value, 0, *cas)));
}

// memcached behaviour: binary keys may hold bytes text keys cannot (space, CR LF, NUL)
MC_TEST(BinaryGet, KeyWithSpaceAndNul, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a key holding a space, CR LF and NUL is stored and read back by getk with the key echoed") {
  const std::string k = key() + std::string(" a\r\n\0z", 6);
  const auto cas = set(k, "odd");
  ASSERT_TRUE(cas);
  send(get(Opcode::kGetK, k));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "odd", 0, *cas, k)));
}

// protocol.txt's key limit holds in binary: 250 bytes are a key
MC_TEST(BinaryGet, LongestKey, .feature = Feature::kBinaryGet, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "a 250-byte key is stored and read back by getk") {
  const auto k = key_of_length(250);
  const auto cas = set(k, "long");
  ASSERT_TRUE(cas);
  send(get(Opcode::kGetK, k));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "long", 0, *cas, k)));
}

// BinaryProtocolRevamped, Get: a value of 100 KiB arrives whole
MC_TEST(BinaryGet, LargeValue, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "a 100 KiB value reads back whole, body length 4 + 102400") {
  const auto k = key();
  std::string value(100 * 1024, 'v');
  for (std::size_t i = 0; i < value.size(); i += 97) value[i] = static_cast<char>('a' + (i % 26));
  const auto cas = set(k, value);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, value, 0, *cas)));
}

// BinaryProtocolRevamped, Get: flags are 32 bits
MC_TEST(BinaryGet, AllFlagBitsKept, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Get, Get Quietly, Get Key, Get Key Quietly",
        .checks = "flags 0xffffffff set in binary come back in the get extras as ff ff ff ff") {
  const auto k = key();
  const auto cas = set(k, "f", 0xffffffff);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "f", 0xffffffff, *cas)));
}

// memcached behaviour: touch (extras: the expiration) answers with the flags and no value
MC_TEST(BinaryGet, TouchHitAnswersFlagsWithoutValue, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a touch hit answers success with the flags as 4 bytes of extras, no value, and the item's cas") {
  const auto k = key();
  const auto cas = set(k, "touched", 11);
  ASSERT_TRUE(cas);
  send(touch(Opcode::kTouch, k, 100));
  EXPECT_TRUE(expect(hit(Opcode::kTouch, "", 11, *cas)));
}

// memcached behaviour: a touch miss is Not found
MC_TEST(BinaryGet, TouchMissIsNotFound, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a touch of a missing key answers status 0x0001, \"Not found\"") {
  send(touch(Opcode::kTouch, key(), 100));
  EXPECT_TRUE(expect(not_found(Opcode::kTouch)));
}

// BinaryProtocolRevamped, Touch: the new expiration applies (an absolute time in the past expires it)
MC_TEST(BinaryGet, TouchIntoThePastExpires, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Touch, Get And Touch",
        .checks = "a touch to an absolute time in 1970 (2592001) answers success, and a get then misses") {
  const auto k = key();
  const auto cas = set(k, "old");
  ASSERT_TRUE(cas);
  send({touch(Opcode::kTouch, k, 2592001), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(hit(Opcode::kTouch, "", 0, *cas)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Get And Touch: answers as get does
MC_TEST(BinaryGet, GatHitReturnsValue, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Touch, Get And Touch",
        .checks = "a gat hit answers the flags, the value and the item's cas, with opcode gat") {
  const auto k = key();
  const auto cas = set(k, "gat", 5);
  ASSERT_TRUE(cas);
  send(with_opaque(touch(Opcode::kGat, k, 100), 77));
  EXPECT_TRUE(expect(with_opaque(hit(Opcode::kGat, "gat", 5, *cas), 77)));
}

// BinaryProtocolRevamped, Get And Touch: the expiration applies
MC_TEST(BinaryGet, GatIntoThePastExpires, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Touch, Get And Touch",
        .checks = "a gat to an absolute time in 1970 returns the value once, and a get then misses") {
  const auto k = key();
  const auto cas = set(k, "last");
  ASSERT_TRUE(cas);
  send({touch(Opcode::kGat, k, 2592001), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(hit(Opcode::kGat, "last", 0, *cas)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: a gat miss is Not found
MC_TEST(BinaryGet, GatMissIsNotFound, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a gat of a missing key answers status 0x0001, \"Not found\"") {
  send(touch(Opcode::kGat, key(), 0));
  EXPECT_TRUE(expect(not_found(Opcode::kGat)));
}

// BinaryProtocolRevamped, Get And Touch Quietly: a hit answers
MC_TEST(BinaryGet, GatQHitAnswers, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Touch, Get And Touch",
        .checks = "a gatq hit answers with opcode gatq, the flags and the value, then the noop") {
  const auto k = key();
  const auto cas = set(k, "gq", 2);
  ASSERT_TRUE(cas);
  send({touch(Opcode::kGatQ, k, 0), noop()});
  EXPECT_TRUE(expect(hit(Opcode::kGatQ, "gq", 2, *cas)));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Get And Touch Quietly: a miss sends nothing
MC_TEST(BinaryGet, GatQMissIsSilent, .feature = Feature::kBinaryGet, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: Touch, Get And Touch",
        .checks = "a gatq miss answers nothing: the next packet is the noop's response") {
  send({touch(Opcode::kGatQ, key(), 0), noop(3)});
  EXPECT_TRUE(expect_noop(3));
}

// memcached behaviour: gatk (0x23) answers with the key as getk does
MC_TEST(BinaryGet, GatKEchoesKey, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a gatk hit answers the flags, the key and the value") {
  const auto k = key();
  const auto cas = set(k, "gk", 4);
  ASSERT_TRUE(cas);
  send(touch(Opcode::kGatK, k, 0));
  EXPECT_TRUE(expect(hit(Opcode::kGatK, "gk", 4, *cas, k)));
}

// memcached behaviour: touch keeps the cas (it modifies no data)
MC_TEST(BinaryGet, TouchKeepsCas, .feature = Feature::kBinaryGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "after a touch, a get answers the cas the set gave") {
  const auto k = key();
  const auto cas = set(k, "same");
  ASSERT_TRUE(cas);
  send({touch(Opcode::kTouch, k, 1000), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(hit(Opcode::kTouch, "", 0, *cas)));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "same", 0, *cas)));
}

}  // namespace
}  // namespace mcconform::suites
