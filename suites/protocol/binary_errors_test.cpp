// Binary requests memcached refuses: bad magic, unknown opcodes, lengths the opcode does not allow,
// keys and values too large; what is answered, and whether the connection survives.
#include <string>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryErrors : public BinaryTest {
 protected:
  // Sends `request`, expects `expected`, then the server's close: memcached closes the connection
  // after a protocol error, since it can no longer tell where the next packet starts.
  void expect_error_and_close(const Packet& request, const Packet& expected) {
    send(request);
    EXPECT_TRUE(expect(expected));
    EXPECT_TRUE(conn().expect_closed());
    connection_closed_on_purpose();
  }
  // A request with `opcode` whose lengths are as given; the body is `body` bytes of filler.
  static Packet malformed(std::uint8_t opcode, std::uint8_t extras, std::uint16_t key, std::uint32_t body) {
    Packet p;
    p.opcode = opcode;
    p.extras_length = extras;
    p.key_length = key;
    p.body_length = body;
    p.value = std::string(body, 'b');
    return p;
  }
  static Packet raw_response(std::uint8_t opcode, Status status, std::string_view text) {
    Packet p = binary::error_response(Opcode::kGet, status, text);
    p.opcode = opcode;
    return p;
  }
};

constexpr std::string_view kHeaderSpec = "BinaryProtocolRevamped: Packet Structure";

// BinaryProtocolRevamped, Magic Byte: a request is 0x80; memcached closes on anything else
MC_TEST(BinaryErrors, BadMagicCloses, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a 24-byte header with magic 0x42 (after a noop made the connection binary) is answered by "
            "closing the connection, no reply") {
  send(noop(1));
  ASSERT_TRUE(expect_noop(1));
  Packet bad = noop();
  bad.magic = 0x42;
  send(bad);
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

// memcached behaviour: a response's magic (0x81) in a request is bad magic too
MC_TEST(BinaryErrors, ResponseMagicInRequestCloses, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a request whose magic is the response magic 0x81 closes the connection without a reply") {
  send(noop());
  ASSERT_TRUE(expect_noop());
  Packet bad = noop();
  bad.magic = binary::kResponseMagic;
  send(bad);
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

// memcached behaviour: text on a connection that spoke binary is bad magic
MC_TEST(BinaryErrors, TextAfterBinaryCloses, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "after a noop, 27 bytes of text commands (version x3) close the connection without a reply") {
  send(noop());
  ASSERT_TRUE(expect_noop());
  conn().send("version\r\nversion\r\nversion\r\n");
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

// protocol_binary.h: status 0x81, unknown command; the connection survives
MC_TEST(BinaryErrors, UnknownOpcode, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "opcode 0x50 with no body answers status 0x0081, \"Unknown command\", with its opcode and opaque; "
            "a noop after it answers") {
  Packet p = malformed(0x50, 0, 0, 0);
  p.opaque = 0x50;
  send({p, noop(2)});
  Packet expected = raw_response(0x50, Status::kUnknownCommand, "Unknown command");
  expected.opaque = 0x50;
  EXPECT_TRUE(expect(expected));
  EXPECT_TRUE(expect_noop(2));
}

// memcached behaviour: an unknown opcode's value is skipped
MC_TEST(BinaryErrors, UnknownOpcodeValueSkipped, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "opcode 0x60 with a 5-byte value (no key, no extras) answers Unknown command and skips the value: "
            "a noop after it answers") {
  send({malformed(0x60, 0, 0, 5), noop(3)});
  EXPECT_TRUE(expect(raw_response(0x60, Status::kUnknownCommand, "Unknown command")));
  EXPECT_TRUE(expect_noop(3));
}

// memcached behaviour: for an unknown opcode with a key memcached skips the whole body length
// after the key it has already read: as many bytes again are lost
MC_TEST(BinaryErrors, UnknownOpcodeKeySkippedTwice, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "opcode 0x61 with a 3-byte key answers Unknown command and then skips 3 more bytes: a noop sent "
            "after 3 filler bytes answers") {
  conn().send(malformed(0x61, 0, 3, 3).encode() + "zzz" + noop(4).encode());
  EXPECT_TRUE(expect(raw_response(0x61, Status::kUnknownCommand, "Unknown command")));
  EXPECT_TRUE(expect_noop(4));
}

// memcached behaviour: the SASL opcodes are unknown to a server started without -S
MC_TEST(BinaryErrors, SaslListMechsWithoutSasl, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "sasl list mechs (0x20) on a server without SASL answers Unknown command; a noop after it answers") {
  send({malformed(0x20, 0, 0, 0), noop(5)});
  EXPECT_TRUE(expect(raw_response(0x20, Status::kUnknownCommand, "Unknown command")));
  EXPECT_TRUE(expect_noop(5));
}

// memcached behaviour: a key longer than the body is Unknown command, and the connection closes
MC_TEST(BinaryErrors, KeyLongerThanBody, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a get whose key length (6) exceeds its body length (3) answers status 0x0081 and closes") {
  Packet p = malformed(0x00, 0, 6, 3);
  p.value = "sixsix";
  expect_error_and_close(p, raw_response(0x00, Status::kUnknownCommand, "Unknown command"));
}

// memcached behaviour: extras and key longer than the body: Unknown command, closed
MC_TEST(BinaryErrors, ExtrasAndKeyLongerThanBody, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set with 8 bytes of extras and a 4-byte key but body length 10 answers status 0x0081 and closes") {
  Packet p = malformed(0x01, 8, 4, 10);
  p.value = std::string(12, 'e');
  expect_error_and_close(p, raw_response(0x01, Status::kUnknownCommand, "Unknown command"));
}

// memcached behaviour: a get with extras is invalid, and the connection closes
MC_TEST(BinaryErrors, GetWithExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a get with 4 bytes of extras answers status 0x0004, \"Invalid arguments\", with its opaque, and "
            "closes") {
  Packet p = get(Opcode::kGet, key());
  p.extras = binary::be32(0);
  p.opaque = 0xe0;
  expect_error_and_close(p, with_opaque(invalid(Opcode::kGet), 0xe0));
}

// BinaryProtocolRevamped, Get: a request must carry a key
MC_TEST(BinaryErrors, GetWithoutKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a get without a key answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kGet), invalid(Opcode::kGet));
}

// BinaryProtocolRevamped, Get: a request must carry no value
MC_TEST(BinaryErrors, GetWithValue, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a get with a value after its key answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kGet, key(), "", "value"), invalid(Opcode::kGet));
}

// memcached behaviour: getkq breaks the same rules and answers though quiet
MC_TEST(
    BinaryErrors, GetKQWithExtrasAnswers, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks = "a getkq with extras answers Invalid arguments with opcode getkq (quiet hides no error), and closes") {
  expect_error_and_close(binary::request(Opcode::kGetKQ, key(), binary::be32(0)), invalid(Opcode::kGetKQ));
}

// BinaryProtocolRevamped, Set: a request must carry extras (8 bytes)
MC_TEST(BinaryErrors, SetWithoutExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a set without extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kSet, key(), "", "v"), invalid(Opcode::kSet));
}

// memcached behaviour: 4 bytes of extras are not a set's
MC_TEST(BinaryErrors, SetWithShortExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a set with 4 bytes of extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kSet, key(), binary::be32(0), "v"), invalid(Opcode::kSet));
}

// BinaryProtocolRevamped, Set: a request must carry a key
MC_TEST(BinaryErrors, SetWithoutKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a set without a key answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kSet, "", binary::storage_extras(0, 0), "v"), invalid(Opcode::kSet));
}

// memcached behaviour: the quiet set breaks the same rule and answers
MC_TEST(BinaryErrors, SetQWithoutExtrasAnswers, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a setq without extras answers Invalid arguments with opcode setq, and closes") {
  expect_error_and_close(binary::request(Opcode::kSetQ, key(), "", "v"), invalid(Opcode::kSetQ));
}

// BinaryProtocolRevamped, Add: a request must carry extras
MC_TEST(BinaryErrors, AddWithoutExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "an add without extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kAdd, key(), "", "v"), invalid(Opcode::kAdd));
}

// BinaryProtocolRevamped, Append: a request must carry no extras
MC_TEST(BinaryErrors, AppendWithExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an append with 8 bytes of extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kAppend, key(), binary::storage_extras(0, 0), "v"),
                         invalid(Opcode::kAppend));
}

// BinaryProtocolRevamped, Prepend: a request must carry a key
MC_TEST(BinaryErrors, PrependWithoutKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a prepend without a key answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kPrepend, "", "", "v"), invalid(Opcode::kPrepend));
}

// BinaryProtocolRevamped, Delete: a request must carry no extras
MC_TEST(BinaryErrors, DeleteWithExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a delete with 4 bytes of extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kDelete, key(), binary::be32(0)), invalid(Opcode::kDelete));
}

// BinaryProtocolRevamped, Delete: a request must carry no value
MC_TEST(BinaryErrors, DeleteWithValue, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a delete with a value answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kDelete, key(), "", "v"), invalid(Opcode::kDelete));
}

// BinaryProtocolRevamped, Increment: a request must carry extras (20 bytes)
MC_TEST(BinaryErrors, IncrementWithShortExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an increment with 8 bytes of extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kIncrement, key(), binary::be64(1)), invalid(Opcode::kIncrement));
}

// BinaryProtocolRevamped, Decrement: a request must carry no value
MC_TEST(BinaryErrors, DecrementWithValue, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a decrement with a value answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kDecrement, key(), binary::arith_extras(1, 0, 0), "1"),
                         invalid(Opcode::kDecrement));
}

// BinaryProtocolRevamped, Touch: a request must carry extras
MC_TEST(BinaryErrors, TouchWithoutExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a touch without extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kTouch, key()), invalid(Opcode::kTouch));
}

// BinaryProtocolRevamped, Get And Touch: a request must carry a key
MC_TEST(BinaryErrors, GatWithoutKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a gat without a key answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kGat, "", binary::be32(0)), invalid(Opcode::kGat));
}

// BinaryProtocolRevamped, noop: a request must carry no extras, no key and no value
MC_TEST(BinaryErrors, NoopWithKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a noop with a key answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kNoop, "k"), invalid(Opcode::kNoop));
}

// BinaryProtocolRevamped, version: a request must carry no extras, no key and no value
MC_TEST(BinaryErrors, VersionWithValue, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a version with a value answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kVersion, "", "", "v"), invalid(Opcode::kVersion));
}

// BinaryProtocolRevamped, quit: a request must carry no extras, no key and no value
MC_TEST(BinaryErrors, QuitWithKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a quit with a key answers Invalid arguments (not success) and closes") {
  expect_error_and_close(binary::request(Opcode::kQuit, "k"), invalid(Opcode::kQuit));
}

// BinaryProtocolRevamped, Flush: extras are 0 or 4 bytes
MC_TEST(BinaryErrors, FlushWithTwoByteExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a flush with 2 bytes of extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kFlush, "", binary::be16(0)), invalid(Opcode::kFlush));
}

// BinaryProtocolRevamped, Flush: a request must carry no key
MC_TEST(BinaryErrors, FlushWithKey, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a flush with a key answers Invalid arguments and closes, flushing nothing") {
  const auto k = key();
  ASSERT_TRUE(set(k, "kept"));
  expect_error_and_close(binary::request(Opcode::kFlush, "k"), invalid(Opcode::kFlush));
  Connection& text = open_connection();
  text.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(text.expect(value_reply(k, "kept")));
}

// BinaryProtocolRevamped, Stat: a request must carry no extras
MC_TEST(BinaryErrors, StatWithExtras, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a stat with 4 bytes of extras answers Invalid arguments and closes") {
  expect_error_and_close(binary::request(Opcode::kStat, "", binary::be32(0)), invalid(Opcode::kStat));
}

// memcached behaviour: keys are at most 250 bytes in binary too
MC_TEST(BinaryErrors, KeyTooLong, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a get of a 251-byte key answers Invalid arguments and closes") {
  expect_error_and_close(get(Opcode::kGet, key_of_length(251)), invalid(Opcode::kGet));
}

// memcached behaviour: a set of a key too long is refused the same way
MC_TEST(BinaryErrors, SetKeyTooLong, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set of a 300-byte key answers Invalid arguments with its opaque, and closes") {
  expect_error_and_close(with_opaque(store(Opcode::kSet, key_of_length(300), "v"), 77),
                         with_opaque(invalid(Opcode::kSet), 77));
}

// memcached behaviour: a value over the item size limit is status 3, "Too large."; the value is
// skipped and the connection serves on
MC_TEST(BinaryErrors, ValueTooLarge, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set of a 2 MiB value answers status 0x0003, \"Too large.\"; a noop after it answers") {
  send({with_opaque(store(Opcode::kSet, key(), std::string(2 * 1024 * 1024, 'x')), 3), noop(4)});
  EXPECT_TRUE(expect(with_opaque(binary::error_response(Opcode::kSet, Status::kTooLarge, "Too large."), 3)));
  EXPECT_TRUE(expect_noop(4));
}

// memcached behaviour: a set too large drops the value the key held
MC_TEST(BinaryErrors, ValueTooLargeDropsOldValue, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "after a set too large of a stored key, a get of that key misses") {
  const auto k = key();
  ASSERT_TRUE(set(k, "old"));
  send({store(Opcode::kSet, k, std::string(2 * 1024 * 1024, 'x')), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::error_response(Opcode::kSet, Status::kTooLarge, "Too large.")));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: the quiet set answers its too-large error
MC_TEST(BinaryErrors, SetQTooLargeAnswers, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a setq of a 2 MiB value answers Too large with opcode setq, then the noop") {
  send({store(Opcode::kSetQ, key(), std::string(2 * 1024 * 1024, 'x')), noop()});
  EXPECT_TRUE(expect(binary::error_response(Opcode::kSetQ, Status::kTooLarge, "Too large.")));
  EXPECT_TRUE(expect_noop());
}

// memcached behaviour: an append too large is refused before the item is looked at
MC_TEST(BinaryErrors, AppendTooLarge, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an append of a 2 MiB value to a stored key answers Too large; the value is unchanged") {
  const auto k = key();
  const auto cas = set(k, "base");
  ASSERT_TRUE(cas);
  send({store(Opcode::kAppend, k, std::string(2 * 1024 * 1024, 'x')), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::error_response(Opcode::kAppend, Status::kTooLarge, "Too large.")));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "base", 0, *cas)));
}

// BinaryProtocolRevamped, Packet Structure: the data type and vbucket fields do not change a get
MC_TEST(BinaryErrors, DataTypeAndVbucketIgnored, .feature = Feature::kBinaryErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a get with data type 0x01 and vbucket 7 is served as a plain get (response data type 0)") {
  const auto k = key();
  const auto cas = set(k, "v");
  ASSERT_TRUE(cas);
  Packet p = get(Opcode::kGet, k);
  p.data_type = 0x01;
  p.status = 7;
  send(p);
  EXPECT_TRUE(expect(hit(Opcode::kGet, "v", 0, *cas)));
}

// BinaryProtocolRevamped, Packet Structure: a header is 24 bytes; fewer is not yet a request
MC_TEST(BinaryErrors, HeaderNeedsAll24Bytes, .feature = Feature::kBinaryErrors, .level = Level::kSpec,
        .spec = kHeaderSpec,
        .checks = "23 bytes of a noop header answer nothing; the 24th completes it and the noop answers") {
  const std::string bytes = noop(6).encode();
  conn().send(bytes.substr(0, 23));
  EXPECT_EQ(conn().read_available(std::chrono::milliseconds(200)), "");
  conn().send(bytes.substr(23));
  EXPECT_TRUE(expect_noop(6));
}

}  // namespace
}  // namespace mcconform::suites
