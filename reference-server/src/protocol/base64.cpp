// Base64 for meta keys with memcached's leniency: bytes outside the alphabet are skipped.
#include "protocol/base64.hpp"

#include <array>
#include <cstdint>

namespace mcrefd::protocol {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kSkip = 0x80;

// '=' decodes as zero bits; the padding count then trims the output.
constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kSkip;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  table['='] = 0;
  return table;
}
constexpr std::array<std::uint8_t, 256> kTable = make_table();

}  // namespace

std::size_t base64_decode(std::string_view text, char* out) {
  std::size_t symbols = 0;
  for (char c : text) symbols += kTable[static_cast<unsigned char>(c)] != kSkip;
  if (symbols == 0 || symbols % 4 != 0) return 0;

  std::size_t length = 0;
  std::uint8_t block[4];
  std::size_t filled = 0;
  int padding = 0;
  for (char c : text) {
    const std::uint8_t bits = kTable[static_cast<unsigned char>(c)];
    if (bits == kSkip) continue;
    if (c == '=') ++padding;
    block[filled++] = bits;
    if (filled < 4) continue;
    out[length++] = static_cast<char>((block[0] << 2) | (block[1] >> 4));
    out[length++] = static_cast<char>((block[1] << 4) | (block[2] >> 2));
    out[length++] = static_cast<char>((block[2] << 6) | block[3]);
    filled = 0;
    if (padding > 0) {
      // The first padded block ends the input.
      if (padding > 2) return 0;
      length -= static_cast<std::size_t>(padding);
      break;
    }
  }
  return length;
}

void base64_append(std::string_view bytes, std::string& out) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    out.push_back(kAlphabet[at(i) >> 2]);
    out.push_back(kAlphabet[((at(i) & 0x03) << 4) | (at(i + 1) >> 4)]);
    out.push_back(kAlphabet[((at(i + 1) & 0x0f) << 2) | (at(i + 2) >> 6)]);
    out.push_back(kAlphabet[at(i + 2) & 0x3f]);
  }
  const std::size_t left = bytes.size() - i;
  if (left == 0) return;
  out.push_back(kAlphabet[at(i) >> 2]);
  if (left == 1) {
    out.push_back(kAlphabet[(at(i) & 0x03) << 4]);
    out.push_back('=');
  } else {
    out.push_back(kAlphabet[((at(i) & 0x03) << 4) | (at(i + 1) >> 4)]);
    out.push_back(kAlphabet[(at(i + 1) & 0x0f) << 2]);
  }
  out.push_back('=');
}

}  // namespace mcrefd::protocol
