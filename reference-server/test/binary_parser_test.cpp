// The binary parser alone: header checks as memcached makes them, each opcode's lengths, every
// fragment size, pipelines.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "protocol/binary_parser.hpp"

namespace mcrefd::protocol::binary {
namespace {

using Kind = ParseResult::Kind;

// A request packet; the lengths are derived unless given, to build broken headers on purpose.
struct Packet {
  std::uint8_t magic = kRequestMagic;
  std::uint8_t opcode = 0;
  std::string extras, key, value;
  std::uint32_t opaque = 0;
  std::uint64_t cas = 0;
  int key_length = -1, extras_length = -1;
  std::int64_t body_length = -1;

  std::string encode() const {
    std::string out;
    out.push_back(static_cast<char>(magic));
    out.push_back(static_cast<char>(opcode));
    append_be(out, key_length >= 0 ? key_length : key.size(), 2);
    out.push_back(static_cast<char>(extras_length >= 0 ? extras_length : extras.size()));
    out.push_back('\0');
    append_be(out, 0, 2);
    append_be(out, body_length >= 0 ? body_length : extras.size() + key.size() + value.size(), 4);
    append_be(out, opaque, 4);
    append_be(out, cas, 8);
    return out + extras + key + value;
  }
};

std::string be(std::uint64_t value, int width) {
  std::string out;
  append_be(out, value, width);
  return out;
}

Packet op(Opcode opcode, std::string key = {}, std::string extras = {}, std::string value = {}) {
  Packet p;
  p.opcode = static_cast<std::uint8_t>(opcode);
  p.key = std::move(key);
  p.extras = std::move(extras);
  p.value = std::move(value);
  return p;
}

Packet set(Opcode opcode, std::string key, std::string value, std::uint32_t flags = 0, std::uint32_t exptime = 0) {
  return op(opcode, std::move(key), be(flags, 4) + be(exptime, 4), std::move(value));
}

ParseResult parse(const std::string& input, std::size_t item_size_max = 1024 * 1024) {
  ParserLimits limits;
  limits.item_size_max = item_size_max;
  return parse_binary_request(input, limits);
}

void expect_error(const Packet& p, Status status, bool close, std::size_t swallow = 0) {
  const ParseResult r = parse(p.encode());
  ASSERT_EQ(r.kind, Kind::kError) << "opcode " << int{p.opcode};
  EXPECT_EQ(r.error, status);
  EXPECT_EQ(r.close_after_error, close);
  EXPECT_EQ(r.swallow, swallow);
}

TEST(BinaryParser, SetIsAStoreWithFlagsExptimeAndValue) {
  Packet p = set(Opcode::kSet, "key", "value", 0xdeadbeef, 100);
  p.opaque = 0x01020304;
  const std::string bytes = p.encode();
  const ParseResult r = parse(bytes);
  ASSERT_EQ(r.kind, Kind::kRequest);
  EXPECT_EQ(r.consumed, bytes.size());
  EXPECT_EQ(r.frame.opaque, 0x01020304u);
  EXPECT_FALSE(r.frame.quiet);
  const auto& store = std::get<StoreRequest>(r.request);
  EXPECT_EQ(store.verb, StoreVerb::kSet);
  EXPECT_EQ(store.key, "key");
  EXPECT_EQ(store.value, "value");
  EXPECT_EQ(store.flags, 0xdeadbeefu);
  EXPECT_EQ(store.exptime, 100);
}

TEST(BinaryParser, QuietOpcodesAreQuietAndKeepTheirOpcode) {
  const std::string input = op(Opcode::kGetKQ, "k").encode();  // the frame's key views it
  const ParseResult r = parse(input);
  ASSERT_EQ(r.kind, Kind::kRequest);
  EXPECT_TRUE(r.frame.quiet);
  EXPECT_TRUE(r.frame.return_key);
  EXPECT_EQ(r.frame.opcode, 0x0d);
  EXPECT_EQ(r.frame.key, "k");
}

TEST(BinaryParser, ACasMakesSetAddAndReplaceACompareAndSwap) {
  for (Opcode opcode : {Opcode::kSet, Opcode::kAdd, Opcode::kReplace}) {
    Packet p = set(opcode, "k", "v");
    p.cas = 42;
    const ParseResult r = parse(p.encode());
    ASSERT_EQ(r.kind, Kind::kRequest);
    EXPECT_EQ(std::get<StoreRequest>(r.request).verb, StoreVerb::kCas);
    EXPECT_EQ(std::get<StoreRequest>(r.request).cas_unique, 42u);
    EXPECT_EQ(std::get<StoreRequest>(r.request).drop_old_if_too_large, opcode == Opcode::kSet);
  }
}

TEST(BinaryParser, ExptimesAreUnsigned) {
  const ParseResult r = parse(set(Opcode::kSet, "k", "v", 0, 0xffffffffU).encode());
  EXPECT_EQ(std::get<StoreRequest>(r.request).exptime, 0xffffffffLL);
  const ParseResult gat = parse(op(Opcode::kGat, "k", be(0x80000000U, 4)).encode());
  EXPECT_EQ(std::get<RetrieveRequest>(gat.request).exptime, 0x80000000LL);
}

TEST(BinaryParser, IncrCarriesDeltaInitialAndWhetherToCreate) {
  const ParseResult r = parse(op(Opcode::kIncrement, "n", be(5, 8) + be(7, 8) + be(30, 4)).encode());
  const auto& a = std::get<ArithRequest>(r.request);
  EXPECT_TRUE(a.incr);
  EXPECT_EQ(a.delta, 5u);
  EXPECT_EQ(a.initial, 7u);
  EXPECT_TRUE(a.create);
  EXPECT_EQ(a.exptime, 30);
  const ParseResult no = parse(op(Opcode::kDecrementQ, "n", be(1, 8) + be(0, 8) + be(0xffffffffU, 4)).encode());
  EXPECT_FALSE(std::get<ArithRequest>(no.request).create);
  EXPECT_TRUE(no.frame.quiet);
}

TEST(BinaryParser, KeysMayHoldAnyByte) {
  const std::string key("a b\0\xff", 5);
  const std::string input = op(Opcode::kGet, key).encode();  // the request's keys view it
  const ParseResult r = parse(input);
  int keys = 0;
  std::get<RetrieveRequest>(r.request).keys.for_each([&](std::string_view k) {
    EXPECT_EQ(k, key);
    ++keys;
  });
  EXPECT_EQ(keys, 1);
}

TEST(BinaryParser, EveryShorterPrefixNeedsMore) {
  const std::string bytes = set(Opcode::kSet, "key", "a value").encode();
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    const ParseResult r = parse(bytes.substr(0, cut));
    EXPECT_EQ(r.kind, Kind::kNeedMore) << "cut at " << cut;
    EXPECT_EQ(r.consumed, 0u);
  }
}

TEST(BinaryParser, PipelinedPacketsOneAtATime) {
  const std::string bytes =
      set(Opcode::kSetQ, "a", "1").encode() + op(Opcode::kGetQ, "a").encode() + op(Opcode::kNoop).encode();
  std::size_t at = 0;
  int requests = 0;
  while (at < bytes.size()) {
    const ParseResult r = parse(bytes.substr(at));
    ASSERT_EQ(r.kind, Kind::kRequest);
    at += r.consumed;
    ++requests;
  }
  EXPECT_EQ(requests, 3);
  EXPECT_TRUE(std::holds_alternative<NoopRequest>(parse(op(Opcode::kNoop).encode()).request));
}

TEST(BinaryParser, NotARequestMagicCloses) {
  Packet p = op(Opcode::kNoop);
  p.magic = kResponseMagic;
  EXPECT_EQ(parse(p.encode()).kind, Kind::kClose);
  EXPECT_EQ(parse(std::string(24, 'g')).kind, Kind::kClose);
}

TEST(BinaryParser, KeyOrExtrasBeyondTheBodyIsUnknownAndCloses) {
  Packet p = op(Opcode::kGet, "sixsix");
  p.body_length = 3;
  expect_error(p, Status::kUnknownCommand, true);
  Packet q = set(Opcode::kSet, "abc", "");
  q.body_length = 9;
  expect_error(q, Status::kUnknownCommand, true);
}

TEST(BinaryParser, KeyOver250BytesIsInvalidAndCloses) {
  expect_error(op(Opcode::kGet, std::string(251, 'k')), Status::kInvalidArguments, true);
  EXPECT_EQ(parse(op(Opcode::kGet, std::string(250, 'k')).encode()).kind, Kind::kRequest);
}

TEST(BinaryParser, EachOpcodesLengthsAreChecked) {
  expect_error(op(Opcode::kGet, "k", be(0, 4)), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kGet), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kGet, "k", {}, "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kSet, "k", {}, "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kSet, "k", be(0, 4), "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kSet, {}, be(0, 8), "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kAppend, "k", be(0, 8), "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kDelete, "k", {}, "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kIncrement, "k", be(0, 8)), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kTouch, "k"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kNoop, "k"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kVersion, {}, {}, "v"), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kFlush, {}, be(0, 2)), Status::kInvalidArguments, true);
  expect_error(op(Opcode::kStat, {}, be(0, 4)), Status::kInvalidArguments, true);
}

TEST(BinaryParser, UnknownOpcodesSkipAWholeBodyAfterTheKey) {
  Packet unknown;
  unknown.opcode = 0x61;
  unknown.key = "abc";
  const ParseResult r = parse(unknown.encode() + "zzz");
  ASSERT_EQ(r.kind, Kind::kError);
  EXPECT_EQ(r.error, Status::kUnknownCommand);
  EXPECT_EQ(r.consumed, 27u);
  EXPECT_EQ(r.swallow, 3u);  // memcached's body length again, though the key was already read
  expect_error(op(Opcode::kSaslAuth, "PLAIN", {}, "xy"), Status::kUnknownCommand, false, 2);
  Packet verbosity;
  verbosity.opcode = 0x1b;
  verbosity.extras = be(1, 4);
  expect_error(verbosity, Status::kUnknownCommand, false, 4);
}

TEST(BinaryParser, TooLargeIsDecidedBeforeTheValueArrives) {
  const std::string bytes = set(Opcode::kSet, "k", std::string(5000, 'x')).encode();
  const ParseResult r = parse(bytes.substr(0, 40), 2048);
  ASSERT_EQ(r.kind, Kind::kRequest);
  EXPECT_TRUE(std::get<StoreRequest>(r.request).too_large);
  EXPECT_EQ(r.consumed, 24u + 8 + 1);
  EXPECT_EQ(r.swallow, 5000u);
}

TEST(BinaryParser, StatGroupsAsMemcachedMatchesThem) {
  auto group = [](const std::string& key) {
    const std::string input = op(Opcode::kStat, key).encode();  // the group and argument view it
    const ParseResult r = parse(input);
    if (r.kind != Kind::kRequest) return std::string("<not found>");
    const auto& s = std::get<StatsRequest>(r.request);
    return std::string(s.group) + (s.arg.empty() ? "" : "/" + std::string(s.arg));
  };
  EXPECT_EQ(group(""), "");
  EXPECT_EQ(group("resetxyz"), "reset");
  EXPECT_EQ(group("settings"), "settings");
  EXPECT_EQ(group("detail on"), "detail/on");
  EXPECT_EQ(group("items"), "items");
  EXPECT_EQ(group("itemsx"), "<not found>");
  EXPECT_EQ(group("conns"), "<not found>");
}

}  // namespace
}  // namespace mcrefd::protocol::binary
