// The binary protocol's 24-byte packet header, its opcodes and its status codes (protocol_binary.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mcrefd::protocol::binary {

inline constexpr std::size_t kHeaderSize = 24;
inline constexpr std::uint8_t kRequestMagic = 0x80;
inline constexpr std::uint8_t kResponseMagic = 0x81;

// The opcodes memcached 1.6.38 knows; any other byte is an unknown command.
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
  kTouch = 0x1c,
  kGat = 0x1d,
  kGatQ = 0x1e,
  kSaslListMechs = 0x20,
  kSaslAuth = 0x21,
  kSaslStep = 0x22,
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

// A request header as it arrived, in host order. The opaque is kept as its four wire bytes read
// big-endian, so writing it back big-endian echoes it unchanged.
struct Header {
  std::uint8_t magic = 0;
  std::uint8_t opcode = 0;
  std::uint16_t key_length = 0;
  std::uint8_t extras_length = 0;
  std::uint8_t data_type = 0;
  std::uint16_t vbucket = 0;
  std::uint32_t body_length = 0;
  std::uint32_t opaque = 0;
  std::uint64_t cas = 0;
};

inline std::uint64_t read_be(std::string_view bytes) {
  std::uint64_t value = 0;
  for (const char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  return value;
}

inline void append_be(std::string& out, std::uint64_t value, int width) {
  for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

// `bytes` holds at least kHeaderSize bytes.
inline Header decode_header(std::string_view bytes) {
  Header h;
  h.magic = static_cast<std::uint8_t>(bytes[0]);
  h.opcode = static_cast<std::uint8_t>(bytes[1]);
  h.key_length = static_cast<std::uint16_t>(read_be(bytes.substr(2, 2)));
  h.extras_length = static_cast<std::uint8_t>(bytes[4]);
  h.data_type = static_cast<std::uint8_t>(bytes[5]);
  h.vbucket = static_cast<std::uint16_t>(read_be(bytes.substr(6, 2)));
  h.body_length = static_cast<std::uint32_t>(read_be(bytes.substr(8, 4)));
  h.opaque = static_cast<std::uint32_t>(read_be(bytes.substr(12, 4)));
  h.cas = read_be(bytes.substr(16, 8));
  return h;
}

// A response header as memcached writes it: data type 0 (raw bytes).
struct ResponseHeader {
  std::uint8_t opcode = 0;
  Status status = Status::kSuccess;
  std::uint16_t key_length = 0;
  std::uint8_t extras_length = 0;
  std::uint32_t body_length = 0;
  std::uint32_t opaque = 0;
  std::uint64_t cas = 0;
};

inline void append_header(std::string& out, const ResponseHeader& h) {
  out.push_back(static_cast<char>(kResponseMagic));
  out.push_back(static_cast<char>(h.opcode));
  append_be(out, h.key_length, 2);
  out.push_back(static_cast<char>(h.extras_length));
  out.push_back('\0');
  append_be(out, static_cast<std::uint16_t>(h.status), 2);
  append_be(out, h.body_length, 4);
  append_be(out, h.opaque, 4);
  append_be(out, h.cas, 8);
}

}  // namespace mcrefd::protocol::binary
