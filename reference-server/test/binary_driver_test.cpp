// The binary protocol through the driver, executor and engine, without sockets: packets in, reply
// packets out, compared as literal bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "protocol/binary_frame.hpp"
#include "server_under_test.hpp"

namespace mcrefd::server {
namespace {

using protocol::binary::append_be;

class FakeStats final : public StatsSource {
 public:
  void write_stats(std::string& out) const override { out += "STAT pid 7\r\nSTAT version 1.6.38\r\nEND\r\n"; }
  void reset_stats() override {}
  void write_settings(std::string& out) const override { out += "STAT maxbytes 64\r\nEND\r\n"; }
  void write_conns(std::string& out, int) const override { out += "END\r\n"; }
};

std::string be(std::uint64_t value, int width) {
  std::string out;
  append_be(out, value, width);
  return out;
}

std::string request(std::uint8_t opcode, const std::string& key = {}, const std::string& extras = {},
                    const std::string& value = {}, std::uint32_t opaque = 0, std::uint64_t cas = 0,
                    std::uint8_t magic = 0x80) {
  return std::string(1, static_cast<char>(magic)) + std::string(1, static_cast<char>(opcode)) + be(key.size(), 2) +
         std::string(1, static_cast<char>(extras.size())) + std::string(3, '\0') +
         be(extras.size() + key.size() + value.size(), 4) + be(opaque, 4) + be(cas, 8) + extras + key + value;
}

std::string response(std::uint8_t opcode, std::uint16_t status, const std::string& key = {},
                     const std::string& extras = {}, const std::string& value = {}, std::uint32_t opaque = 0,
                     std::uint64_t cas = 0) {
  return std::string("\x81", 1) + std::string(1, static_cast<char>(opcode)) + be(key.size(), 2) +
         std::string(1, static_cast<char>(extras.size())) + std::string(1, '\0') + be(status, 2) +
         be(extras.size() + key.size() + value.size(), 4) + be(opaque, 4) + be(cas, 8) + extras + key + value;
}

std::string set(std::uint8_t opcode, const std::string& key, const std::string& value, std::uint32_t flags = 0,
                std::uint64_t cas = 0) {
  return request(opcode, key, be(flags, 4) + be(0, 4), value, 0, cas);
}

const std::string kNoop = request(0x0a, {}, {}, {}, 9);
const std::string kNoopReply = response(0x0a, 0, {}, {}, {}, 9);

class BinaryDriverTest : public ServerUnderTest<FakeStats> {
 protected:
  BinaryDriverTest() : ServerUnderTest("1.6.38-test") {}
};

TEST_F(BinaryDriverTest, SetThenGetAndGetK) {
  // The engine's first cas is 2, as memcached 1.6.38's first store gets.
  EXPECT_EQ(run(set(0x01, "k", "hi", 3)), response(0x01, 0, {}, {}, {}, 0, 2));
  EXPECT_EQ(run(request(0x00, "k", {}, {}, 5)), response(0x00, 0, {}, be(3, 4), "hi", 5, 2));
  EXPECT_EQ(run(request(0x0c, "k")), response(0x0c, 0, "k", be(3, 4), "hi", 0, 2));
}

TEST_F(BinaryDriverTest, MissesAsMemcachedAnswersThem) {
  EXPECT_EQ(run(request(0x00, "nope")), response(0x00, 1, {}, {}, "Not found"));
  EXPECT_EQ(run(request(0x0c, "nope")), response(0x0c, 1, "nope"));
  EXPECT_EQ(run(request(0x09, "nope") + request(0x0d, "nope") + kNoop), kNoopReply);
}

TEST_F(BinaryDriverTest, QuietStoresHideSuccessNotErrors) {
  EXPECT_EQ(run(set(0x11, "k", "v") + kNoop), kNoopReply);
  EXPECT_EQ(run(set(0x12, "k", "w") + kNoop), response(0x12, 2, {}, {}, "Data exists for key.") + kNoopReply);
  EXPECT_EQ(run(set(0x13, "missing", "w")), response(0x13, 1, {}, {}, "Not found"));
  EXPECT_EQ(run(request(0x19, "missing", {}, "w")), response(0x19, 5, {}, {}, "Not stored."));
}

TEST_F(BinaryDriverTest, CasOnStoresAndDeletes) {
  run(set(0x01, "k", "v"));  // cas 2
  EXPECT_EQ(run(set(0x01, "k", "w", 0, 99)), response(0x01, 2, {}, {}, "Data exists for key."));
  EXPECT_EQ(run(set(0x01, "missing", "w", 0, 99)), response(0x01, 1, {}, {}, "Not found"));
  EXPECT_EQ(run(request(0x04, "k", {}, {}, 0, 99)), response(0x04, 2, {}, {}, "Data exists for key."));
  EXPECT_EQ(run(request(0x04, "k", {}, {}, 0, 2)), response(0x04, 0));
}

TEST_F(BinaryDriverTest, IncrCreatesWithItsInitialValueUnlessAllOnes) {
  const std::string extras = be(2, 8) + be(10, 8) + be(0, 4);
  EXPECT_EQ(run(request(0x05, "n", extras)), response(0x05, 0, {}, {}, be(10, 8), 0, 2));
  EXPECT_EQ(run(request(0x05, "n", extras)), response(0x05, 0, {}, {}, be(12, 8), 0, 3));
  EXPECT_EQ(run(request(0x06, "m", be(1, 8) + be(0, 8) + be(0xffffffffU, 4))), response(0x06, 1, {}, {}, "Not found"));
  run(set(0x01, "s", "abc"));
  EXPECT_EQ(run(request(0x05, "s", extras)),
            response(0x05, 6, {}, {}, "Non-numeric server-side value for incr or decr"));
}

TEST_F(BinaryDriverTest, TouchAnswersFlagsWithoutTheValue) {
  run(set(0x01, "t", "value", 4));
  EXPECT_EQ(run(request(0x1c, "t", be(10, 4))), response(0x1c, 0, {}, be(4, 4), {}, 0, 2));
  EXPECT_EQ(run(request(0x23, "t", be(10, 4))), response(0x23, 0, "t", be(4, 4), "value", 0, 2));
}

TEST_F(BinaryDriverTest, StatIsAStreamEndedByAnEmptyPacket) {
  EXPECT_EQ(run(request(0x10, {}, {}, {}, 3)), response(0x10, 0, "pid", {}, "7", 3) +
                                                   response(0x10, 0, "version", {}, "1.6.38", 3) +
                                                   response(0x10, 0, {}, {}, {}, 3));
  EXPECT_EQ(run(request(0x10, "conns")), response(0x10, 1, {}, {}, "Not found"));
}

TEST_F(BinaryDriverTest, VersionQuitAndUnknown) {
  EXPECT_EQ(run(request(0x0b)), response(0x0b, 0, {}, {}, "1.6.38-test"));
  // memcached skips the body length again after the extras it has read: 4 more bytes go.
  EXPECT_EQ(run(request(0x1b, {}, be(1, 4)) + "pad!" + kNoop),
            response(0x1b, 0x81, {}, {}, "Unknown command") + kNoopReply);
  EXPECT_EQ(run(request(0x07) + kNoop), response(0x07, 0));
  EXPECT_TRUE(last_.close);
}

TEST_F(BinaryDriverTest, BadMagicDropsTheRepliesNotYetSent) {
  run(set(0x01, "k", "v"));
  EXPECT_EQ(run(request(0x00, "k") + request(0x0a, {}, {}, {}, 0, 0, 0x81)), "");
  EXPECT_TRUE(last_.close);
}

TEST_F(BinaryDriverTest, ErrorsAreSentAtOnceSoACloseKeepsThem) {
  EXPECT_EQ(run(request(0x00, "nope") + request(0x0a, {}, {}, {}, 0, 0, 0x81)), response(0x00, 1, {}, {}, "Not found"));
}

TEST_F(BinaryDriverTest, TooLargeSkipsTheValueAndDropsTheOldOne) {
  run(set(0x01, "k", "old"));
  const std::string big(2 * 1024 * 1024, 'x');
  EXPECT_EQ(run(set(0x01, "k", big) + request(0x00, "k")),
            response(0x01, 3, {}, {}, "Too large.") + response(0x00, 1, {}, {}, "Not found"));
}

TEST_F(BinaryDriverTest, RepliesWaitWhileARefusedValueIsSkipped) {
  const std::string big(2 * 1024 * 1024, 'x');
  const std::string packet = set(0x01, "k", big);
  Output out;
  Driver::Result r = driver_.run(packet.substr(0, 1000), out);
  EXPECT_TRUE(r.hold_uncommitted);
  EXPECT_EQ(out.committed, 0u);  // "Too large." waits for the value to be skipped
  EXPECT_EQ(out.bytes, response(0x01, 3, {}, {}, "Too large."));
  r = driver_.run(packet.substr(1000) + kNoop, out);
  EXPECT_FALSE(r.hold_uncommitted);
  EXPECT_EQ(out.bytes, response(0x01, 3, {}, {}, "Too large.") + kNoopReply);
}

TEST_F(BinaryDriverTest, ATextConnectionReadsALater0x80AsABadLine) {
  EXPECT_EQ(run("get k\r\n" + std::string("\x80\x01\r\n", 4)), "END\r\nERROR\r\n");
}

TEST_F(BinaryDriverTest, BinaryOnlyClosesOnText) {
  limits_.protocols = protocol::Protocols::kBinary;  // -B binary; the driver reads its limits per request
  EXPECT_EQ(run("version\r\n" + std::string(20, ' ')), "");
  EXPECT_TRUE(last_.close);
}

}  // namespace
}  // namespace mcrefd::server
