// Binary packets on the stream: pipelines in one write, packets split at every byte, a body that
// is still arriving, and a body length that takes in the next packet.
#include <string>
#include <vector>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryFraming : public BinaryTest {};

constexpr std::string_view kSpec = "BinaryProtocolRevamped: Packet Structure";

// BinaryProtocolRevamped, Packet Structure: packets follow one another; responses come in order
MC_TEST(BinaryFraming, HundredSetsAndGetsInOneWrite, .feature = Feature::kBinaryFraming, .level = Level::kSpec,
        .spec = kSpec,
        .checks =
            "100 setq and 100 getkq in one write, then a noop, answer the 100 hits in order with their keys "
            "and opaques, then the noop") {
  std::string bytes;
  for (std::uint32_t i = 0; i < 100; ++i)
    bytes += store(Opcode::kSetQ, key(fmt::format("k{}", i)), std::to_string(i), i).encode();
  for (std::uint32_t i = 0; i < 100; ++i) {
    bytes += with_opaque(get(Opcode::kGetKQ, key(fmt::format("k{}", i))), 1000 + i).encode();
  }
  conn().send(bytes + noop(7).encode());
  for (std::uint32_t i = 0; i < 100; ++i) {
    EXPECT_TRUE(expect(with_opaque(hit(Opcode::kGetKQ, std::to_string(i), i, 0, key(fmt::format("k{}", i))), 1000 + i),
                       CasCheck::kAnyNonZero))
        << "packet " << i;
  }
  EXPECT_TRUE(expect_noop(7));
}

// BinaryProtocolRevamped, Packet Structure: every opcode in one write, each answered with its opaque
MC_TEST(BinaryFraming, MixedPipeline, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks =
            "set, get, append, getk, increment (miss, initial 5), delete, get, noop in one write answer in "
            "order, each with its own opaque") {
  const auto k = key(), n = key("n");
  send({with_opaque(store(Opcode::kSet, k, "a", 1), 1), with_opaque(get(Opcode::kGet, k), 2),
        with_opaque(store(Opcode::kAppend, k, "b"), 3), with_opaque(get(Opcode::kGetK, k), 4),
        with_opaque(arith(Opcode::kIncrement, n, 1, 5, 0), 5), with_opaque(binary::request(Opcode::kDelete, k), 6),
        with_opaque(get(Opcode::kGet, k), 7), noop(8)});
  Packet set_reply;
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kSet), 1), CasCheck::kAnyNonZero, &set_reply));
  EXPECT_TRUE(expect(with_opaque(hit(Opcode::kGet, "a", 1, set_reply.cas), 2)));
  Packet append_reply;
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kAppend), 3), CasCheck::kAnyNonZero, &append_reply));
  EXPECT_TRUE(expect(with_opaque(hit(Opcode::kGetK, "ab", 1, append_reply.cas, k), 4)));
  EXPECT_TRUE(expect(with_opaque(counter(Opcode::kIncrement, 5), 5), CasCheck::kAnyNonZero));
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kDelete), 6)));
  EXPECT_TRUE(expect(with_opaque(not_found(Opcode::kGet), 7)));
  EXPECT_TRUE(expect_noop(8));
}

// BinaryProtocolRevamped, Packet Structure: TCP may cut a packet anywhere
MC_TEST(BinaryFraming, SetAndGetByteByByte, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks = "a set and a get sent one byte per write answer success, then the hit") {
  const auto k = key();
  conn().send_byte_by_byte(store(Opcode::kSet, k, "split", 2).encode() + get(Opcode::kGet, k).encode());
  Packet got;
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "split", 2, got.cas)));
}

// BinaryProtocolRevamped, Packet Structure: a cut at every offset of a set packet
MC_TEST(BinaryFraming, SetSplitAtEveryOffset, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks =
            "a set packet cut in two at each of its offsets (header, extras, key, value) answers success "
            "every time, with the opaque of that cut") {
  const auto k = key();
  const std::size_t size = store(Opcode::kSet, k, "value").encode().size();
  for (std::size_t cut = 1; cut < size; ++cut) {
    SCOPED_TRACE(fmt::format("cut at byte {}", cut));
    const std::string bytes = with_opaque(store(Opcode::kSet, k, "value"), static_cast<std::uint32_t>(cut)).encode();
    const std::size_t cuts[] = {cut};
    conn().send_split(bytes, cuts);
    ASSERT_TRUE(
        expect(with_opaque(binary::response(Opcode::kSet), static_cast<std::uint32_t>(cut)), CasCheck::kAnyNonZero));
  }
}

// BinaryProtocolRevamped, Packet Structure: two packets cut inside the second header
MC_TEST(BinaryFraming, CutInsideSecondHeader, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks = "a noop and the first 10 bytes of another in one write, the rest in a second: both answer") {
  const std::string bytes = noop(1).encode() + noop(2).encode();
  const std::size_t cuts[] = {34};
  conn().send_split(bytes, cuts);
  EXPECT_TRUE(expect_noop(1));
  EXPECT_TRUE(expect_noop(2));
}

// BinaryProtocolRevamped, Packet Structure: the server waits for the whole body (the wait is the subject)
MC_TEST(BinaryFraming, BodyStillArriving, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks =
            "a set whose value has not all arrived answers nothing for 200 ms; the rest of the value "
            "completes it: success, and the whole value is stored") {
  const auto k = key();
  const std::string bytes = store(Opcode::kSet, k, "0123456789").encode();
  conn().send(bytes.substr(0, bytes.size() - 5));
  EXPECT_EQ(conn().read_available(std::chrono::milliseconds(200)), "");
  conn().send(bytes.substr(bytes.size() - 5));
  Packet got;
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "0123456789", 0, got.cas)));
}

// BinaryProtocolRevamped, Packet Structure: a key still arriving: no reply before the deadline
MC_TEST(BinaryFraming, KeyStillArrivingTimesOutQuietly, .feature = Feature::kBinaryFraming, .level = Level::kSpec,
        .spec = kSpec,
        .checks =
            "a get whose header promises a 20-byte key of which 10 came answers nothing within 200 ms (the "
            "case does not hang); the other 10 bytes complete it: Not found") {
  const std::string k = key_of_length(20);
  const std::string bytes = get(Opcode::kGet, k).encode();
  conn().send(bytes.substr(0, bytes.size() - 10));
  EXPECT_EQ(conn().read_available(std::chrono::milliseconds(200)), "");
  conn().send(bytes.substr(bytes.size() - 10));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Packet Structure: the body length decides where a packet ends
MC_TEST(BinaryFraming, LongBodyTakesTheNextPacket, .feature = Feature::kBinaryFraming, .level = Level::kSpec,
        .spec = kSpec,
        .checks =
            "a set whose body length counts 24 bytes more than its value takes the noop after it as the rest "
            "of its value: the set answers, the noop does not, and the value holds the noop's bytes") {
  const auto k = key();
  Packet p = store(Opcode::kSet, k, "head");
  p.body_length = p.wire_body_length() + 24;
  conn().send(p.encode() + noop(9).encode());
  Packet got;
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "head" + noop(9).encode(), 0, got.cas)));
}

// BinaryProtocolRevamped, Get Quietly: a quiet pipeline answers only its hits, in order
MC_TEST(BinaryFraming, QuietGetsOnlyHitsAnswer, .feature = Feature::kBinaryFraming, .level = Level::kSpec,
        .spec = kSpec,
        .checks = "50 getq (every fifth key stored) then noop answer the 10 hits in order with their opaques") {
  std::string bytes;
  std::vector<Packet> hits;
  for (std::uint32_t i = 0; i < 50; ++i) {
    const auto k = key(fmt::format("k{}", i));
    if (i % 5 == 0) {
      const auto cas = set(k, fmt::format("v{}", i));
      ASSERT_TRUE(cas);
      hits.push_back(with_opaque(hit(Opcode::kGetQ, fmt::format("v{}", i), 0, *cas), i));
    }
    bytes += with_opaque(get(Opcode::kGetQ, k), i).encode();
  }
  conn().send(bytes + noop(50).encode());
  for (const auto& h : hits) EXPECT_TRUE(expect(h));
  EXPECT_TRUE(expect_noop(50));
}

// BinaryProtocolRevamped, noop: 200 noops in one write
MC_TEST(BinaryFraming, TwoHundredNoops, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks = "200 noops in one write answer 200 noop responses in order, opaques 0..199") {
  std::string bytes;
  for (std::uint32_t i = 0; i < 200; ++i) bytes += noop(i).encode();
  conn().send(bytes);
  for (std::uint32_t i = 0; i < 200; ++i) ASSERT_TRUE(expect_noop(i)) << "noop " << i;
}

// BinaryProtocolRevamped, Packet Structure: a large value split across many writes
MC_TEST(BinaryFraming, LargeValueInPieces, .feature = Feature::kBinaryFraming, .level = Level::kSpec, .spec = kSpec,
        .checks = "a set of a 300 KiB value sent in 7 pieces answers success and the value reads back whole") {
  const auto k = key();
  std::string value(300 * 1024, 'p');
  for (std::size_t i = 0; i < value.size(); i += 101) value[i] = static_cast<char>('0' + i % 10);
  const std::string bytes = store(Opcode::kSet, k, value).encode();
  const std::size_t cuts[] = {1, 23, 24, 40, 1000, 150000};
  conn().send_split(bytes, cuts);
  Packet got;
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, value, 0, got.cas)));
}

// memcached behaviour: the protocol is chosen per connection; binary and text connections coexist
MC_TEST(BinaryFraming, BinaryAndTextConnectionsSideBySide, .feature = Feature::kBinaryFraming, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a binary set on one connection, a text append on another, a binary get on the first: the value "
            "is the join, the cas the text gets shows") {
  const auto k = key();
  ASSERT_TRUE(set(k, "bin"));
  Connection& text = open_connection();
  text.send(fmt::format("append {} 0 0 4\r\n+txt\r\n", k));
  ASSERT_TRUE(text.expect("STORED\r\n"));
  const auto cas = text_cas(text, k);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "bin+txt", 0, *cas)));
}

}  // namespace
}  // namespace mcconform::suites
