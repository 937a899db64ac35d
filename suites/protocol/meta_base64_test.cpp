// b: base64 keys in mg, ms, md, ma and me, decoded on the way in and encoded when echoed.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaBase64 : public ProtocolTest {};

// protocol.txt, Meta Get: 'b: interpret key as base64 encoded binary value' (the decoded key is the
// key classic get uses)
MC_TEST(MetaBase64, SetEncodedGetDecodedClassic, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks =
            "ms b of a base64-encoded key stores under the decoded key: classic get of the plain key finds the value") {
  const auto k = key();
  conn().send(fmt::format("ms {} 2 b\r\nhi\r\nget {}\r\n", base64(k), k));
  EXPECT_TRUE(conn().expect("HD\r\n" + value_reply(k, "hi")));
}

// protocol.txt, Meta Get: 'b' on mg finds what a classic set stored under the decoded key
MC_TEST(MetaBase64, ClassicSetEncodedGet, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg b of the base64 form of a key finds the value a classic set stored under the plain key") {
  const auto k = key();
  ASSERT_TRUE(store(k, "hi"));
  conn().send(fmt::format("mg {} b v\r\n", base64(k)));
  EXPECT_TRUE(conn().expect("VA 2\r\nhi\r\n"));
}

// protocol.txt, Meta Get: 'If 'b' flag is sent in the response, and a key is returned via 'k', this
// signals to the client that the key is base64 encoded binary'
MC_TEST(MetaBase64, KeyEchoedEncodedWithBFlag, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks =
            "mg b k v of a binary key (space, CR LF, 0x01, 0xff) returns the key base64-encoded in k, followed by a b "
            "flag") {
  const auto encoded = base64(key() + std::string("\x01 \xff\r\n", 5));
  conn().send(fmt::format("ms {} 1 b\r\nx\r\nmg {} b k v\r\n", encoded, encoded));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nVA 1 k{} b\r\nx\r\n", encoded)));
}

// protocol.txt, Meta Get: the b return flag follows k, other flags keep their order
MC_TEST(
    MetaBase64, KeyEchoAmongOtherFlags, .feature = Feature::kMetaBase64, .level = Level::kSpec,
    .spec = "protocol.txt: Meta Get",
    .checks =
        "mg b s k O1 f answers HD s1 k<encoded> b O1 f3: b directly follows k, the other flags keep request order") {
  const auto encoded = base64(key());
  conn().send(fmt::format("ms {} 1 b F3\r\nx\r\nmg {} b s k O1 f\r\n", encoded, encoded));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nHD s1 k{} b O1 f3\r\n", encoded)));
}

// protocol.txt, Meta Get: with b and without k there is no key to flag: no b in the reply
MC_TEST(MetaBase64, NoBFlagWithoutKeyFlag, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg b s v without k answers VA 1 s1 with no b flag") {
  const auto encoded = base64(key());
  conn().send(fmt::format("ms {} 1 b\r\nx\r\nmg {} b s v\r\n", encoded, encoded));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1 s1\r\nx\r\n"));
}

// protocol.txt, Meta Set: 'b: interpret key as base64 encoded binary value' with k echoed
MC_TEST(MetaBase64, SetEchoesEncodedKey, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms b k O1 answers HD k<encoded> b O1") {
  const auto encoded = base64(key());
  conn().send(fmt::format("ms {} 1 b k O1\r\nx\r\n", encoded));
  EXPECT_TRUE(conn().expect(fmt::format("HD k{} b O1\r\n", encoded)));
}

// protocol.txt, Meta Get: a binary key with bytes no text key may hold (space, CR LF, NUL)
MC_TEST(
    MetaBase64, BinaryKeyRoundTrip, .feature = Feature::kMetaBase64, .level = Level::kSpec,
    .spec = "protocol.txt: Meta Get",
    .checks =
        "a binary key holding space, CR LF, NUL and 0xff is stored, read and deleted through b (mg then answers EN)") {
  const auto encoded = base64(key() + std::string("a b\r\n\0\xff", 7));
  conn().send(
      fmt::format("ms {} 3 b\r\nbin\r\nmg {} b v\r\nmd {} b\r\nmg {} b v\r\n", encoded, encoded, encoded, encoded));
  EXPECT_TRUE(conn().expect("HD\r\nVA 3\r\nbin\r\nHD\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: 'b: interpret key as base64 encoded binary value' (echoed on NF)
MC_TEST(MetaBase64, DeleteMissEchoesEncodedKey, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md b k O1 of a missing key answers NF k<encoded> b O1") {
  const auto encoded = base64(key());
  conn().send(fmt::format("md {} b k O1\r\n", encoded));
  EXPECT_TRUE(conn().expect(fmt::format("NF k{} b O1\r\n", encoded)));
}

// protocol.txt, Meta Delete: md with b deletes the decoded key
MC_TEST(MetaBase64, DeleteDecodedKey, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md b deletes the item under the decoded key (classic get then answers END)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} b\r\nget {}\r\n", base64(k), k));
  EXPECT_TRUE(conn().expect("HD\r\nEND\r\n"));
}

// protocol.txt, Meta Arithmetic: 'b: interpret key as base64 encoded binary value'
MC_TEST(MetaBase64, ArithDecodedKey, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma b v increments the counter under the decoded key (41 becomes 42, as classic get shows)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "41"));
  conn().send(fmt::format("ma {} b v\r\nget {}\r\n", base64(k), k));
  EXPECT_TRUE(conn().expect("VA 2\r\n42\r\n" + value_reply(k, "42")));
}

// protocol.txt, Meta Arithmetic: an auto-created binary key echoed encoded
MC_TEST(MetaBase64, ArithAutoCreateEchoesEncodedKey, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma b N0 k v auto-creating a binary key answers VA 1 k<encoded> b and the value 0") {
  const auto encoded = base64(key() + "\x01");
  conn().send(fmt::format("ma {} b N0 k v\r\n", encoded));
  EXPECT_TRUE(conn().expect(fmt::format("VA 1 k{} b\r\n0\r\n", encoded)));
}

// protocol.txt, Meta Debug: 'if <flag> is 'b', then <key> is a base64 encoded binary value. the
// response key will also be base64 encoded'
MC_TEST(MetaBase64, DebugEchoesEncodedKey, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug",
        .checks = "me b of a binary key answers an ME line starting with the base64-encoded key") {
  const auto encoded = base64(key() + "\x02");
  conn().send(fmt::format("ms {} 1 b\r\nx\r\nme {} b\r\n", encoded, encoded));
  ASSERT_TRUE(conn().expect("HD\r\n"));
  const std::string line = conn().read_until("\r\n");
  EXPECT_TRUE(line.starts_with(fmt::format("ME {} exp=-1 la=0 cas=", encoded))) << line;
}

// protocol.txt, Meta Debug: a base64 miss is 'EN'
MC_TEST(MetaBase64, DebugMiss, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Debug", .checks = "me b of a missing key answers EN") {
  conn().send(fmt::format("me {} b\r\n", base64(key())));
  EXPECT_TRUE(conn().expect("EN\r\n"));
}

// memcached behaviour: an item stored under a binary key echoes its key encoded with b even when
// the request had no b
MC_TEST(MetaBase64, BinaryItemEchoedEncodedWithoutB, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an item stored with ms b is echoed by mg k without b with its key base64-encoded and a b flag") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 b\r\nx\r\nmg {} k s\r\n", base64(k), k));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nHD k{} b s1\r\n", base64(k))));
}

// memcached behaviour: an item stored under a text key echoes its key as text, even to a b request
MC_TEST(MetaBase64, TextItemEchoedAsTextToB, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an item stored by a classic set is echoed to mg b k as its plain text key, with no b flag") {
  const auto k = key();
  ASSERT_TRUE(store(k, "x"));
  conn().send(fmt::format("mg {} b k v\r\n", base64(k)));
  EXPECT_TRUE(conn().expect(fmt::format("VA 1 k{}\r\nx\r\n", k)));
}

// memcached behaviour: a key that is no valid base64 is 'CLIENT_ERROR error decoding key'
MC_TEST(MetaBase64, InvalidCharactersAreClientError, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg b of a key that is no base64 (\"!!!!\") answers 'CLIENT_ERROR error decoding key'") {
  conn().send("mg !!!! b v\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("CLIENT_ERROR error decoding key\r\nMN\r\n"));
}

// memcached behaviour: base64 without its padding is refused
MC_TEST(MetaBase64, MissingPaddingIsClientError, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "mg b of base64 without its padding (\"YWJjZA\", \"YWJjZA=\") answers 'CLIENT_ERROR error decoding key'") {
  conn().send("mg YWJjZA b v\r\nmg YWJjZA= b v\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("CLIENT_ERROR error decoding key\r\nCLIENT_ERROR error decoding key\r\nMN\r\n"));
}

// memcached behaviour: a bad base64 key in ms is refused and its data block swallowed
MC_TEST(
    MetaBase64, SetWithInvalidKeySwallowsData, .feature = Feature::kMetaBase64, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks = "ms b with an invalid base64 key answers 'CLIENT_ERROR error decoding key' and swallows its data block") {
  conn().send("ms !!!! 2 b\r\nhi\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("CLIENT_ERROR error decoding key\r\nMN\r\n"));
}

// memcached behaviour: md and ma report a bad base64 key as 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaBase64, DeleteAndArithWithInvalidKey, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "md b and ma b with an invalid base64 key answer 'CLIENT_ERROR invalid or duplicate flag'") {
  conn().send("md !!!! b\r\nma !!!! b\r\nmn\r\n");
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\nMN\r\n"));
}

// memcached behaviour: me with a key that is no valid base64 is 'CLIENT_ERROR bad command line format'
MC_TEST(MetaBase64, DebugWithInvalidKey, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "me b with an invalid base64 key (\"h5\") answers 'CLIENT_ERROR bad command line format'") {
  conn().send("me h5 b\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// memcached behaviour: the 250-byte limit applies to the encoded key
MC_TEST(MetaBase64, EncodedKeyOverLimitRefused, .feature = Feature::kMetaBase64, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg b of a 200-byte key encoded to 268 bytes answers 'CLIENT_ERROR bad command line format'") {
  conn().send(fmt::format("mg {} b v\r\nmn\r\n", base64(key_of_length(200))));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// protocol.txt, Meta Get: a long binary key within the limit round-trips
MC_TEST(MetaBase64, LongEncodedKeyWithinLimit, .feature = Feature::kMetaBase64, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "a 150-byte key encoded to 200 bytes is stored and read through b, and echoed encoded") {
  const auto encoded = base64(key_of_length(150));
  conn().send(fmt::format("ms {} 1 b\r\nx\r\nmg {} b k v\r\n", encoded, encoded));
  EXPECT_TRUE(conn().expect(fmt::format("HD\r\nVA 1 k{} b\r\nx\r\n", encoded)));
}

}  // namespace
}  // namespace mcconform::suites
