// memcached's binary protocol on the wire: build, read, render and compare packets.
#include "mcconform/binary_packet.hpp"

#include <fmt/format.h>

#include "mcconform/escape.hpp"

namespace mcconform::binary {
namespace {

struct OpcodeInfo {
  std::uint8_t code;
  std::string_view name;
};

constexpr OpcodeInfo kOpcodes[] = {
    {0x00, "get"},       {0x01, "set"},        {0x02, "add"},        {0x03, "replace"},
    {0x04, "delete"},    {0x05, "increment"},  {0x06, "decrement"},  {0x07, "quit"},
    {0x08, "flush"},     {0x09, "getq"},       {0x0a, "noop"},       {0x0b, "version"},
    {0x0c, "getk"},      {0x0d, "getkq"},      {0x0e, "append"},     {0x0f, "prepend"},
    {0x10, "stat"},      {0x11, "setq"},       {0x12, "addq"},       {0x13, "replaceq"},
    {0x14, "deleteq"},   {0x15, "incrementq"}, {0x16, "decrementq"}, {0x17, "quitq"},
    {0x18, "flushq"},    {0x19, "appendq"},    {0x1a, "prependq"},   {0x1b, "verbosity"},
    {0x1c, "touch"},     {0x1d, "gat"},        {0x1e, "gatq"},       {0x20, "sasl list mechs"},
    {0x21, "sasl auth"}, {0x22, "sasl step"},  {0x23, "gatk"},       {0x24, "gatkq"},
};

std::uint64_t read_be(std::string_view bytes, std::size_t offset, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

std::string be(std::uint64_t value, std::size_t width) {
  std::string out(width, '\0');
  for (std::size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<char>((value >> (8 * i)) & 0xffU);
  return out;
}

// The header fields of `bytes` (at least 24), the body left empty.
Packet parse_header(std::string_view bytes) {
  Packet p;
  p.magic = static_cast<std::uint8_t>(bytes[0]);
  p.opcode = static_cast<std::uint8_t>(bytes[1]);
  p.key_length = static_cast<std::uint16_t>(read_be(bytes, 2, 2));
  p.extras_length = static_cast<std::uint8_t>(bytes[4]);
  p.data_type = static_cast<std::uint8_t>(bytes[5]);
  p.status = static_cast<std::uint16_t>(read_be(bytes, 6, 2));
  p.body_length = static_cast<std::uint32_t>(read_be(bytes, 8, 4));
  p.opaque = static_cast<std::uint32_t>(read_be(bytes, 12, 4));
  p.cas = read_be(bytes, 16, 8);
  return p;
}

// Splits a body by the header's lengths; lengths that do not fit leave the rest in the value, so
// that a broken packet still shows every byte it carried.
void split_body(Packet& p, std::string_view body) {
  const std::size_t extras = std::min<std::size_t>(p.wire_extras_length(), body.size());
  p.extras = std::string(body.substr(0, extras));
  body.remove_prefix(extras);
  const std::size_t key = std::min<std::size_t>(p.wire_key_length(), body.size());
  p.key = std::string(body.substr(0, key));
  body.remove_prefix(key);
  p.value = std::string(body);
}

std::string magic_text(std::uint8_t magic) {
  const std::string_view kind = magic == kRequestMagic ? " (request)" : magic == kResponseMagic ? " (response)" : "";
  return fmt::format("0x{:02x}{}", magic, kind);
}

struct Field {
  std::string_view name;
  std::string expected, received;
};

}  // namespace

std::string_view opcode_name(std::uint8_t opcode) {
  for (const auto& info : kOpcodes) {
    if (info.code == opcode) return info.name;
  }
  return "unknown opcode";
}

std::string_view status_name(std::uint16_t status) {
  switch (static_cast<Status>(status)) {
    case Status::kSuccess: return "success";
    case Status::kKeyNotFound: return "key not found";
    case Status::kKeyExists: return "key exists";
    case Status::kTooLarge: return "value too large";
    case Status::kInvalidArguments: return "invalid arguments";
    case Status::kNotStored: return "item not stored";
    case Status::kNonNumeric: return "incr/decr on a non-numeric value";
    case Status::kAuthError: return "authentication error";
    case Status::kUnknownCommand: return "unknown command";
    case Status::kOutOfMemory: return "out of memory";
  }
  return "unknown status";
}

std::uint16_t Packet::wire_key_length() const { return key_length.value_or(static_cast<std::uint16_t>(key.size())); }

std::uint8_t Packet::wire_extras_length() const {
  return extras_length.value_or(static_cast<std::uint8_t>(extras.size()));
}

std::uint32_t Packet::wire_body_length() const {
  return body_length.value_or(static_cast<std::uint32_t>(extras.size() + key.size() + value.size()));
}

std::string Packet::encode() const {
  std::string out;
  out.reserve(kHeaderSize + extras.size() + key.size() + value.size());
  out += static_cast<char>(magic);
  out += static_cast<char>(opcode);
  out += be16(wire_key_length());
  out += static_cast<char>(wire_extras_length());
  out += static_cast<char>(data_type);
  out += be16(status);
  out += be32(wire_body_length());
  out += be32(opaque);
  out += be64(cas);
  out += extras;
  out += key;
  out += value;
  return out;
}

Packet request(Opcode opcode, std::string_view key, std::string_view extras, std::string_view value) {
  Packet p;
  p.opcode = static_cast<std::uint8_t>(opcode);
  p.key = std::string(key);
  p.extras = std::string(extras);
  p.value = std::string(value);
  return p;
}

Packet response(Opcode opcode, Status status) {
  Packet p;
  p.magic = kResponseMagic;
  p.opcode = static_cast<std::uint8_t>(opcode);
  p.status = static_cast<std::uint16_t>(status);
  return p;
}

Packet error_response(Opcode opcode, Status status, std::string_view text) {
  Packet p = response(opcode, status);
  p.value = std::string(text);
  return p;
}

std::string be16(std::uint16_t value) { return be(value, 2); }
std::string be32(std::uint32_t value) { return be(value, 4); }
std::string be64(std::uint64_t value) { return be(value, 8); }

std::string storage_extras(std::uint32_t flags, std::uint32_t expiration) { return be32(flags) + be32(expiration); }

std::string arith_extras(std::uint64_t delta, std::uint64_t initial, std::uint32_t expiration) {
  return be64(delta) + be64(initial) + be32(expiration);
}

std::optional<Parsed> parse_packet(std::string_view bytes) {
  if (bytes.size() < kHeaderSize) return std::nullopt;
  Packet p = parse_header(bytes);
  const std::size_t total = kHeaderSize + p.wire_body_length();
  if (bytes.size() < total) return std::nullopt;
  split_body(p, bytes.substr(kHeaderSize, total - kHeaderSize));
  return Parsed{std::move(p), total};
}

Packet read_packet(Connection& connection) {
  const std::string header = connection.read_exact(kHeaderSize);
  Packet p = parse_header(header);
  if (p.magic != kResponseMagic) return p;
  split_body(p, connection.read_exact(p.wire_body_length()));
  return p;
}

std::string describe(const Packet& p) {
  std::string out;
  out += fmt::format("  magic          {}\n", magic_text(p.magic));
  out += fmt::format("  opcode         0x{:02x} ({})\n", p.opcode, opcode_name(p.opcode));
  out += fmt::format("  key length     {}\n", p.wire_key_length());
  out += fmt::format("  extras length  {}\n", p.wire_extras_length());
  out += fmt::format("  data type      0x{:02x}\n", p.data_type);
  if (p.magic == kRequestMagic) {
    out += fmt::format("  vbucket        {}\n", p.status);
  } else {
    out += fmt::format("  status         0x{:04x} ({})\n", p.status, status_name(p.status));
  }
  out += fmt::format("  body length    {}\n", p.wire_body_length());
  out += fmt::format("  opaque         0x{:08x}\n", p.opaque);
  out += fmt::format("  cas            {}\n", p.cas);
  out += fmt::format("  extras         {}\n", escape_bytes(p.extras));
  out += fmt::format("  key            {}\n", escape_bytes(p.key));
  out += fmt::format("  value          {}\n", escape_bytes(p.value));
  return out;
}

::testing::AssertionResult same_packet(const Packet& expected, const Packet& received, CasCheck cas_check) {
  const auto hex = [](std::uint64_t v, int width) { return fmt::format("0x{:0{}x}", v, width); };
  const auto quoted = [](const std::string& s) { return escape_bytes(s); };
  const std::string expected_cas =
      cas_check == CasCheck::kAnyNonZero ? std::string("any but 0") : std::to_string(expected.cas);
  const bool cas_ok = cas_check == CasCheck::kAnyNonZero ? received.cas != 0 : received.cas == expected.cas;
  const Field fields[] = {
      {"magic", magic_text(expected.magic), magic_text(received.magic)},
      {"opcode", fmt::format("0x{:02x} ({})", expected.opcode, opcode_name(expected.opcode)),
       fmt::format("0x{:02x} ({})", received.opcode, opcode_name(received.opcode))},
      {"key length", std::to_string(expected.wire_key_length()), std::to_string(received.wire_key_length())},
      {"extras length", std::to_string(expected.wire_extras_length()), std::to_string(received.wire_extras_length())},
      {"data type", hex(expected.data_type, 2), hex(received.data_type, 2)},
      {"status", fmt::format("0x{:04x} ({})", expected.status, status_name(expected.status)),
       fmt::format("0x{:04x} ({})", received.status, status_name(received.status))},
      {"body length", std::to_string(expected.wire_body_length()), std::to_string(received.wire_body_length())},
      {"opaque", hex(expected.opaque, 8), hex(received.opaque, 8)},
      {"cas", expected_cas, cas_ok ? std::string(expected_cas) : std::to_string(received.cas)},
      {"extras", quoted(expected.extras), quoted(received.extras)},
      {"key", quoted(expected.key), quoted(received.key)},
      {"value", quoted(expected.value), quoted(received.value)},
  };
  bool same = true;
  for (const auto& f : fields) same = same && f.expected == f.received;
  if (same) return ::testing::AssertionSuccess();
  std::string message = "binary response differs (fields marked <> differ):\n";
  message += fmt::format("  {:<14} {:<36} {}\n", "field", "expected", "received");
  for (const auto& f : fields) {
    message += fmt::format("{} {:<14} {:<36} {}\n", f.expected == f.received ? "  " : "<>", f.name, f.expected,
                           f.received == f.expected && f.name == "cas" ? std::to_string(received.cas) : f.received);
  }
  Packet shown = expected;
  if (cas_check == CasCheck::kAnyNonZero) shown.cas = received.cas;
  message += fmt::format("expected bytes: {}\nreceived bytes: {}", escape_bytes(shown.encode()),
                         escape_bytes(received.encode()));
  return ::testing::AssertionFailure() << message;
}

}  // namespace mcconform::binary
