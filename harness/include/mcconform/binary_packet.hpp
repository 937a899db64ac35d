// memcached's binary protocol on the wire: build a request (well-formed or broken on purpose), read
// one response packet from a Connection, render it field by field, and compare it with another.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "mcconform/connection.hpp"

namespace mcconform::binary {

inline constexpr std::uint8_t kRequestMagic = 0x80;
inline constexpr std::uint8_t kResponseMagic = 0x81;
inline constexpr std::size_t kHeaderSize = 24;

// The opcodes of protocol_binary.h that memcached 1.6 serves (and verbosity, which it does not).
enum class Opcode : std::uint8_t {
  kGet = 0x00,
  kSet = 0x01,
  kAdd = 0x02,
  kReplace = 0x03,
  kDelete = 0x04,
  kIncrement = 0x05,
  kDecrement = 0x06,
  kQuit = 0x07,
  kFlush = 0x08,
  kGetQ = 0x09,
  kNoop = 0x0a,
  kVersion = 0x0b,
  kGetK = 0x0c,
  kGetKQ = 0x0d,
  kAppend = 0x0e,
  kPrepend = 0x0f,
  kStat = 0x10,
  kSetQ = 0x11,
  kAddQ = 0x12,
  kReplaceQ = 0x13,
  kDeleteQ = 0x14,
  kIncrementQ = 0x15,
  kDecrementQ = 0x16,
  kQuitQ = 0x17,
  kFlushQ = 0x18,
  kAppendQ = 0x19,
  kPrependQ = 0x1a,
  kVerbosity = 0x1b,
  kTouch = 0x1c,
  kGat = 0x1d,
  kGatQ = 0x1e,
  kGatK = 0x23,
  kGatKQ = 0x24,
};

enum class Status : std::uint16_t {
  kSuccess = 0x0000,
  kKeyNotFound = 0x0001,
  kKeyExists = 0x0002,
  kTooLarge = 0x0003,
  kInvalidArguments = 0x0004,
  kNotStored = 0x0005,
  kNonNumeric = 0x0006,
  kAuthError = 0x0020,
  kUnknownCommand = 0x0081,
  kOutOfMemory = 0x0082,
};

std::string_view opcode_name(std::uint8_t opcode);
std::string_view status_name(std::uint16_t status);

// One packet, request or response. The three lengths are derived from extras, key and value
// unless set: a case sets them to send a malformed header on purpose, and a packet read from the
// wire carries the lengths it arrived with.
struct Packet {
  std::uint8_t magic = kRequestMagic;
  std::uint8_t opcode = 0;
  std::uint16_t status = 0;  // the vbucket id in a request
  std::uint8_t data_type = 0;
  std::uint32_t opaque = 0;
  std::uint64_t cas = 0;
  std::string extras;
  std::string key;
  std::string value;
  std::optional<std::uint16_t> key_length;
  std::optional<std::uint8_t> extras_length;
  std::optional<std::uint32_t> body_length;

  std::uint16_t wire_key_length() const;
  std::uint8_t wire_extras_length() const;
  std::uint32_t wire_body_length() const;
  // The header and the body (extras, key, value), lengths as wire_*_length() say.
  std::string encode() const;
};

// A request of `opcode`; the rest is filled in by the case.
Packet request(Opcode opcode, std::string_view key = {}, std::string_view extras = {}, std::string_view value = {});
// The response memcached writes for `opcode` with `status` (body filled in by the case).
Packet response(Opcode opcode, Status status = Status::kSuccess);
// The response to a failed request: `status` and the text memcached puts in the value.
Packet error_response(Opcode opcode, Status status, std::string_view text);

// Network byte order.
std::string be16(std::uint16_t value);
std::string be32(std::uint32_t value);
std::string be64(std::uint64_t value);
// Extras of set/add/replace: flags, expiration.
std::string storage_extras(std::uint32_t flags, std::uint32_t expiration);
// Extras of increment/decrement: delta, initial value, expiration.
std::string arith_extras(std::uint64_t delta, std::uint64_t initial, std::uint32_t expiration);
// Extras of touch/gat, flush with a delay, and verbosity: one 32-bit number.
inline std::string expiration_extras(std::uint32_t expiration) { return be32(expiration); }

// Splits one packet off the front of `bytes`: the packet and the bytes it took, or nullopt when
// `bytes` holds less than a whole packet.
struct Parsed {
  Packet packet;
  std::size_t consumed = 0;
};
std::optional<Parsed> parse_packet(std::string_view bytes);

// Reads one packet: the 24-byte header, then the body its length names. A header whose magic is
// not a response's is returned as it is, body unread (a text reply or garbage: the length means
// nothing). Throws ConnectionError as Connection::read_exact does.
Packet read_packet(Connection& connection);

// The packet field by field, one per line, the body escaped.
std::string describe(const Packet& packet);

// How a comparison treats the cas, where the server assigns it.
enum class CasCheck {
  kExact,       // equal to the expected packet's cas
  kAnyNonZero,  // a fresh cas: any value but 0
};

// Succeeds when `received` is `expected` in every field (and every wire length); on mismatch the
// message lists both packets field by field, marks the fields that differ, and shows the raw bytes.
::testing::AssertionResult same_packet(const Packet& expected, const Packet& received,
                                       CasCheck cas_check = CasCheck::kExact);

}  // namespace mcconform::binary
