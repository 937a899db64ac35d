// The fixture of the binary protocol suites: packets in, packets compared, a noop as the sentinel.
#include "binary_test.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace mcconform::suites {

using binary::Packet;

void BinaryTest::send(std::initializer_list<Packet> packets) {
  std::string bytes;
  for (const auto& p : packets) bytes += p.encode();
  conn().send(bytes);
}

::testing::AssertionResult BinaryTest::expect(const Packet& expected, CasCheck cas_check, Packet* received) {
  return expect_on(conn(), expected, cas_check, received);
}

::testing::AssertionResult BinaryTest::expect_on(Connection& c, const Packet& expected, CasCheck cas_check,
                                                 Packet* received) {
  Packet got = binary::read_packet(c);
  auto result = binary::same_packet(expected, got, cas_check);
  if (received != nullptr) *received = std::move(got);
  return result;
}

Packet BinaryTest::noop(std::uint32_t opaque) {
  Packet p = binary::request(Opcode::kNoop);
  p.opaque = opaque;
  return p;
}

Packet BinaryTest::noop_reply(std::uint32_t opaque) {
  Packet p = binary::response(Opcode::kNoop);
  p.opaque = opaque;
  return p;
}

std::optional<std::uint64_t> BinaryTest::set(std::string_view k, std::string_view value, std::uint32_t flags,
                                             std::uint32_t expiration) {
  send(store(Opcode::kSet, k, value, flags, expiration));
  Packet got;
  auto result = expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got);
  if (!result) {
    ADD_FAILURE() << "binary set of " << k << ": " << result.message();
    return std::nullopt;
  }
  return got.cas;
}

Packet BinaryTest::get(Opcode opcode, std::string_view k) { return binary::request(opcode, k); }

Packet BinaryTest::store(Opcode opcode, std::string_view k, std::string_view value, std::uint32_t flags,
                         std::uint32_t expiration, std::uint64_t cas) {
  const bool concatenates = opcode == Opcode::kAppend || opcode == Opcode::kAppendQ || opcode == Opcode::kPrepend ||
                            opcode == Opcode::kPrependQ;
  Packet p = binary::request(opcode, k, concatenates ? "" : binary::storage_extras(flags, expiration), value);
  p.cas = cas;
  return p;
}

Packet BinaryTest::arith(Opcode opcode, std::string_view k, std::uint64_t delta, std::uint64_t initial,
                         std::uint32_t expiration) {
  return binary::request(opcode, k, binary::arith_extras(delta, initial, expiration));
}

Packet BinaryTest::touch(Opcode opcode, std::string_view k, std::uint32_t expiration) {
  return binary::request(opcode, k, binary::expiration_extras(expiration));
}

Packet BinaryTest::hit(Opcode opcode, std::string_view value, std::uint32_t flags, std::uint64_t cas,
                       std::string_view with_key) {
  Packet p = binary::response(opcode);
  p.extras = binary::be32(flags);
  p.key = std::string(with_key);
  p.value = std::string(value);
  p.cas = cas;
  return p;
}

Packet BinaryTest::counter(Opcode opcode, std::uint64_t value, std::uint64_t cas) {
  Packet p = binary::response(opcode);
  p.value = binary::be64(value);
  p.cas = cas;
  return p;
}

std::optional<std::uint64_t> BinaryTest::text_cas(Connection& c, std::string_view k) {
  c.send("gets " + std::string(k) + "\r\n");
  const std::string header = c.read_until("\r\n");
  if (header == "END\r\n") return std::nullopt;
  // VALUE <key> <flags> <bytes> <cas>\r\n
  const auto last_space = header.rfind(' ');
  const auto before = header.rfind(' ', last_space - 1);
  std::size_t bytes = 0;
  std::uint64_t cas = 0;
  if (last_space == std::string::npos || before == std::string::npos ||
      std::from_chars(header.data() + before + 1, header.data() + last_space, bytes).ec != std::errc{} ||
      std::from_chars(header.data() + last_space + 1, header.data() + header.size() - 2, cas).ec != std::errc{}) {
    ADD_FAILURE() << "malformed gets reply header: " << header;
    return std::nullopt;
  }
  c.read_exact(bytes + 2);
  if (!c.expect("END\r\n")) return std::nullopt;
  return cas;
}

::testing::AssertionResult BinaryTest::closing_sentinel() {
  send(noop(kSentinelOpaque));
  return expect(noop_reply(kSentinelOpaque));
}

}  // namespace mcconform::suites
