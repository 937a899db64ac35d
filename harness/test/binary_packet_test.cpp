// The binary packet builder, parser, rendering and comparison, without a server.
#include "mcconform/binary_packet.hpp"

#include <gtest/gtest.h>

#include <string>

#include "fake_server.hpp"

namespace mcconform::binary {
namespace {

using namespace std::string_literals;

TEST(BinaryPacket, EncodesGetRequestInNetworkOrder) {
  Packet p = request(Opcode::kGet, "key");
  p.opaque = 0x01020304;
  p.cas = 0x0a0b0c0d0e0f1011;
  EXPECT_EQ(p.encode(),
            "\x80\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x03\x01\x02\x03\x04\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11key"s);
}

TEST(BinaryPacket, EncodesSetWithExtrasKeyAndValue) {
  const Packet p = request(Opcode::kSet, "k", storage_extras(0xdeadbeef, 60), "vv");
  EXPECT_EQ(p.encode(), "\x80\x01\x00\x01\x08\x00\x00\x00\x00\x00\x00\x0b"s + std::string(12, '\0') +
                            "\xde\xad\xbe\xef\x00\x00\x00\x3ck"s + "vv");
}

TEST(BinaryPacket, LengthOverridesBuildMalformedHeaders) {
  Packet p = request(Opcode::kGet, "abc");
  p.key_length = 300;
  p.extras_length = 7;
  p.body_length = 1;
  p.magic = 0x42;
  const std::string bytes = p.encode();
  EXPECT_EQ(bytes.substr(0, 12), "\x42\x00\x01\x2c\x07\x00\x00\x00\x00\x00\x00\x01"s);
  EXPECT_EQ(bytes.size(), 27U);  // the body is still the key given
}

TEST(BinaryPacket, ArithExtrasAreDeltaInitialExpiration) {
  EXPECT_EQ(arith_extras(1, 2, 0xffffffff), "\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0\x02\xff\xff\xff\xff"s);
}

TEST(BinaryPacket, ParsesAResponseAndSplitsItsBody) {
  Packet sent = response(Opcode::kGetK);
  sent.extras = be32(5);
  sent.key = "kk";
  sent.value = "value";
  sent.cas = 77;
  sent.opaque = 9;
  const std::string bytes = sent.encode() + "trailing";
  auto parsed = parse_packet(bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->consumed, bytes.size() - 8);
  EXPECT_TRUE(same_packet(sent, parsed->packet));
  EXPECT_EQ(parsed->packet.extras, be32(5));
  EXPECT_EQ(parsed->packet.key, "kk");
  EXPECT_EQ(parsed->packet.value, "value");
}

TEST(BinaryPacket, ParseNeedsTheWholePacket) {
  const std::string bytes = request(Opcode::kSet, "k", storage_extras(0, 0), "v").encode();
  for (std::size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(parse_packet(bytes.substr(0, n)).has_value()) << n;
  EXPECT_TRUE(parse_packet(bytes).has_value());
}

TEST(BinaryPacket, DescribeNamesEveryField) {
  Packet p = error_response(Opcode::kGet, Status::kKeyNotFound, "Not found");
  const std::string text = describe(p);
  EXPECT_NE(text.find("0x81 (response)"), std::string::npos) << text;
  EXPECT_NE(text.find("0x00 (get)"), std::string::npos) << text;
  EXPECT_NE(text.find("0x0001 (key not found)"), std::string::npos) << text;
  EXPECT_NE(text.find("body length    9"), std::string::npos) << text;
  EXPECT_NE(text.find("\"Not found\""), std::string::npos) << text;
}

TEST(BinaryPacket, MismatchMarksTheFieldsThatDifferAndShowsBytes) {
  Packet expected = response(Opcode::kSet);
  expected.opaque = 7;
  Packet received = expected;
  received.opaque = 8;
  received.status = 2;
  const auto result = same_packet(expected, received);
  ASSERT_FALSE(result);
  const std::string message = result.message();
  EXPECT_NE(message.find("<> opaque"), std::string::npos) << message;
  EXPECT_NE(message.find("<> status"), std::string::npos) << message;
  EXPECT_NE(message.find("   opcode"), std::string::npos) << message;
  EXPECT_NE(message.find("expected bytes: \"\\x81\\x01"), std::string::npos) << message;
}

TEST(BinaryPacket, CasCheckAnyNonZero) {
  Packet expected = response(Opcode::kSet);
  Packet received = expected;
  received.cas = 12345;
  EXPECT_FALSE(same_packet(expected, received));
  EXPECT_TRUE(same_packet(expected, received, CasCheck::kAnyNonZero));
  received.cas = 0;
  EXPECT_FALSE(same_packet(expected, received, CasCheck::kAnyNonZero));
}

TEST(BinaryPacket, WireLengthsTakePartInTheComparison) {
  Packet expected = response(Opcode::kGet);
  Packet received = expected;
  received.body_length = 4;  // a header that claims a body it does not carry
  EXPECT_FALSE(same_packet(expected, received));
}

TEST(BinaryPacket, ReadsOnePacketFromAConnection) {
  Packet answer = response(Opcode::kVersion);
  answer.value = "1.6.38";
  answer.opaque = 3;
  testing_support::FakeServer server([&](int fd, const std::string&) {
    testing_support::FakeServer::write_all(fd, answer.encode() + answer.encode());
    return true;
  });
  Connection c(server.endpoint(), std::chrono::milliseconds(2000));
  c.send(request(Opcode::kVersion).encode());
  EXPECT_TRUE(same_packet(answer, read_packet(c)));
  EXPECT_TRUE(same_packet(answer, read_packet(c)));
}

TEST(BinaryPacket, ATextReplyIsReadAsAHeaderWithoutBody) {
  testing_support::FakeServer server([&](int fd, const std::string&) {
    testing_support::FakeServer::write_all(fd, "SERVER_ERROR unknown command\r\n");
    return true;
  });
  Connection c(server.endpoint(), std::chrono::milliseconds(2000));
  c.send(request(Opcode::kNoop).encode());
  const Packet p = read_packet(c);
  EXPECT_EQ(p.magic, 'S');
  EXPECT_FALSE(same_packet(response(Opcode::kNoop), p));
}

TEST(BinaryPacket, OpcodeAndStatusNames) {
  EXPECT_EQ(opcode_name(0x1e), "gatq");
  EXPECT_EQ(opcode_name(0x99), "unknown opcode");
  EXPECT_EQ(status_name(0x81), "unknown command");
  EXPECT_EQ(status_name(0x7777), "unknown status");
}

}  // namespace
}  // namespace mcconform::binary
