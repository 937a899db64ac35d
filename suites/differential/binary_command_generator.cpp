// Seeded random binary packets: every opcode memcached serves that neither depends on the server's
// identity (version, stat) nor on the wall clock, their quiet forms, and malformed packets.
#include <array>

#include "command_generator.hpp"

namespace mcconform::differential {
namespace {

using binary::Opcode;

Command packet_command(binary::Packet packet, bool closes = false) {
  Command c;
  c.binary = BinaryRequest{std::move(packet), false, closes, {}, false};
  return c;
}

}  // namespace

// Unsigned on the wire: 0xffffffff is an absolute time in 2106, 2592001 one long past.
std::uint32_t CommandGenerator::binary_exptime() {
  switch (pick(8)) {
    case 0: return 0xffffffffu;
    case 1: return 1000;
    case 2: return 2592001;
    default: return 0;
  }
}

Command CommandGenerator::binary_storage(Opcode opcode) {
  const bool appending = opcode == Opcode::kAppend || opcode == Opcode::kAppendQ || opcode == Opcode::kPrepend ||
                         opcode == Opcode::kPrependQ;
  const std::uint32_t flags = pick(3) == 0 ? 4294967295u : static_cast<std::uint32_t>(pick(100));
  binary::Packet p = binary::request(
      opcode, key(), appending ? std::string() : binary::storage_extras(flags, binary_exptime()), value());
  Command c = packet_command(std::move(p));
  if (chance(15)) carry_cas(c);
  return c;
}

Command CommandGenerator::binary_malformed() {
  switch (pick(9)) {
    case 0: {  // unknown opcodes, with a value only, whose body memcached swallows whole
      static constexpr std::array<std::uint8_t, 5> kUnknown = {0x1b /* verbosity */, 0x25, 0x30, 0x3f, 0xfe};
      binary::Packet p = binary::request(Opcode::kNoop);
      p.opcode = kUnknown[pick(kUnknown.size())];
      p.value = chance(50) ? std::string() : std::string("xyz");
      return packet_command(std::move(p));
    }
    case 1: return packet_command(binary::request(Opcode::kGet, key(), binary::be32(0)), true);  // extras
    case 2: return packet_command(binary::request(Opcode::kSet, key(), {}, "v"), true);          // no extras
    case 3: return packet_command(binary::request(Opcode::kGet), true);                          // no key
    case 4: return packet_command(binary::request(Opcode::kIncrement, key(), binary::be64(1)), true);
    case 5: {  // a key longer than 250 bytes
      Command c = packet_command(binary::request(Opcode::kGet, std::string(251, 'k')), true);
      c.binary->literal_key = true;
      return c;
    }
    case 6: {  // key and extras longer than the body
      binary::Packet p = binary::request(Opcode::kGet, key());
      p.body_length = 0;
      return packet_command(std::move(p), true);
    }
    case 7: {  // a bad magic, after a no-op so that the connection is already a binary one
      binary::Packet p = binary::request(Opcode::kGet, key());
      p.magic = chance(50) ? binary::kResponseMagic : 0x00;
      Command c = packet_command(std::move(p), true);
      c.binary->lead = binary::request(Opcode::kNoop).encode();
      return c;
    }
    default: return packet_command(binary::request(chance(50) ? Opcode::kQuit : Opcode::kQuitQ), true);
  }
}

Command CommandGenerator::binary_request() {
  static constexpr Opcode kGets[] = {Opcode::kGet, Opcode::kGetQ, Opcode::kGetK, Opcode::kGetKQ};
  static constexpr Opcode kStores[] = {Opcode::kSet,     Opcode::kSet,     Opcode::kSetQ,     Opcode::kAdd,
                                       Opcode::kAddQ,    Opcode::kReplace, Opcode::kReplaceQ, Opcode::kAppend,
                                       Opcode::kAppendQ, Opcode::kPrepend, Opcode::kPrependQ};
  static constexpr Opcode kArith[] = {Opcode::kIncrement, Opcode::kIncrementQ, Opcode::kDecrement, Opcode::kDecrementQ};
  static constexpr Opcode kTouches[] = {Opcode::kTouch, Opcode::kGat, Opcode::kGatQ, Opcode::kGatK, Opcode::kGatKQ};
  Command c;
  switch (pick(20)) {
    case 0:
    case 1:
    case 2:
    case 3: c = packet_command(binary::request(kGets[pick(std::size(kGets))], key())); break;
    case 4:
    case 5:
    case 6:
    case 7:
    case 8: c = binary_storage(kStores[pick(std::size(kStores))]); break;
    case 9:
    case 10: {
      c = packet_command(binary::request(chance(50) ? Opcode::kDelete : Opcode::kDeleteQ, key()));
      if (chance(15)) carry_cas(c);
      break;
    }
    case 11:
    case 12:
    case 13: {
      const std::uint64_t delta = chance(10) ? random_() >> 24 : pick(100);
      // 0xffffffff: fail on a miss rather than create the item.
      const std::uint32_t expiration = chance(30) ? 0xffffffffu : 0;
      binary::Packet p =
          binary::request(kArith[pick(std::size(kArith))], key(), binary::arith_extras(delta, pick(1000), expiration));
      c = packet_command(std::move(p));
      if (chance(10)) carry_cas(c);
      break;
    }
    case 14:
    case 15: {
      binary::Packet p =
          binary::request(kTouches[pick(std::size(kTouches))], key(), binary::expiration_extras(binary_exptime()));
      c = packet_command(std::move(p));
      break;
    }
    case 16: {
      const bool flush = options_.flush && chance(15);
      binary::Packet p = binary::request(Opcode::kNoop);
      if (flush) {
        p = binary::request(chance(50) ? Opcode::kFlush : Opcode::kFlushQ, {},
                            chance(50) ? binary::expiration_extras(0) : std::string());
      }
      c = packet_command(std::move(p));
      break;
    }
    default: c = binary_malformed(); break;
  }
  // Opaques make every reply tell which request it answers.
  if (chance(70)) c.binary->packet.opaque = static_cast<std::uint32_t>(random_());
  return c;
}

}  // namespace mcconform::differential
