// The fixture of the binary protocol suites: packets in, packets compared, a noop as the sentinel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mcconform/binary_packet.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {

class BinaryTest : public ProtocolTest {
 protected:
  using Opcode = binary::Opcode;
  using Status = binary::Status;
  using Packet = binary::Packet;
  using CasCheck = binary::CasCheck;

  // The opaque of the noop that closes every case; no case uses it for anything else.
  static constexpr std::uint32_t kSentinelOpaque = 0x5e171e1;

  // Sends the packets in one write on `c` (the first connection by default).
  void send(const Packet& packet) { conn().send(packet.encode()); }
  void send(std::initializer_list<Packet> packets);
  // Reads the next response packet on the first connection.
  Packet reply() { return binary::read_packet(conn()); }
  // Reads the next response and compares it with `expected`; `received` gets what came.
  ::testing::AssertionResult expect(const Packet& expected, CasCheck cas_check = CasCheck::kExact,
                                    Packet* received = nullptr);
  ::testing::AssertionResult expect_on(Connection& c, const Packet& expected, CasCheck cas_check = CasCheck::kExact,
                                       Packet* received = nullptr);
  // The noop response with `opaque`: what proves the quiet packets before it answered nothing.
  ::testing::AssertionResult expect_noop(std::uint32_t opaque = 0) { return expect(noop_reply(opaque)); }
  static Packet noop(std::uint32_t opaque = 0);
  static Packet noop_reply(std::uint32_t opaque = 0);

  // A binary set of `key` answered by success; the cas it was given, or nullopt (and a failure).
  std::optional<std::uint64_t> set(std::string_view key, std::string_view value, std::uint32_t flags = 0,
                                   std::uint32_t expiration = 0);
  // Requests with their usual extras.
  static Packet get(Opcode opcode, std::string_view key);
  static Packet store(Opcode opcode, std::string_view key, std::string_view value, std::uint32_t flags = 0,
                      std::uint32_t expiration = 0, std::uint64_t cas = 0);
  static Packet arith(Opcode opcode, std::string_view key, std::uint64_t delta, std::uint64_t initial,
                      std::uint32_t expiration);
  static Packet touch(Opcode opcode, std::string_view key, std::uint32_t expiration);
  // The response of a get-family hit: flags in the extras, the key when `with_key` is not empty.
  static Packet hit(Opcode opcode, std::string_view value, std::uint32_t flags, std::uint64_t cas,
                    std::string_view with_key = {});
  // memcached's error responses: the status and its fixed text, cas 0.
  static Packet not_found(Opcode opcode) { return binary::error_response(opcode, Status::kKeyNotFound, "Not found"); }
  static Packet exists(Opcode opcode) {
    return binary::error_response(opcode, Status::kKeyExists, "Data exists for key.");
  }
  static Packet not_stored(Opcode opcode) { return binary::error_response(opcode, Status::kNotStored, "Not stored."); }
  static Packet invalid(Opcode opcode) {
    return binary::error_response(opcode, Status::kInvalidArguments, "Invalid arguments");
  }
  static Packet unknown(Opcode opcode) {
    return binary::error_response(opcode, Status::kUnknownCommand, "Unknown command");
  }
  // The response of an increment or decrement: the new value, 8 bytes, as the value.
  static Packet counter(Opcode opcode, std::uint64_t value, std::uint64_t cas = 0);
  static Packet with_opaque(Packet packet, std::uint32_t opaque) {
    packet.opaque = opaque;
    return packet;
  }

  // A text "gets" of `key` on connection `c`: its cas unique, or nullopt on a miss.
  std::optional<std::uint64_t> text_cas(Connection& c, std::string_view key);

  ::testing::AssertionResult closing_sentinel() override;
};

}  // namespace mcconform::suites
