// Seeded random commands, classic and meta: valid, noreply/quiet and malformed, over a small key set.
#include "command_generator.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mcconform::differential {

std::string CommandGenerator::key() {
  // Few keys, so commands keep meeting each other's items.
  static const char* const kKeys[] = {"a", "b", "c", "d", "num", "n2", "big", "e-f", "k\x01", "long-key-name"};
  return kKeys[pick(std::size(kKeys))];
}

std::string CommandGenerator::value() {
  switch (pick(6)) {
    case 0: return "";
    case 1: return std::to_string(pick(1000));
    // Numbers stay well below 2^63. For larger values memcached 1.6.18's incr/decr looks for a
    // '-' past the end of the stored number, into whatever memory follows the item, and so
    // refuses them at random; the 64-bit edges live in the arith suite instead.
    case 2: return std::to_string(random_() >> 2);
    case 3: return "4611686018427387903";
    case 4: {
      std::string v(pick(40), 'x');
      for (auto& c : v) c = static_cast<char>(pick(256));
      return v;
    }
    default: return "text\r\nwith\r\nlines";
  }
}

std::string CommandGenerator::exptime() {
  switch (pick(8)) {
    case 0: return "-1";
    case 1: return "1000";
    case 2: return "2592001";  // an absolute time long past
    default: return "0";
  }
}

std::string CommandGenerator::storage(const char* verb, bool with_cas) {
  const std::string v = value();
  const std::string unique = with_cas ? fmt::format(" {}", pick(60)) : "";
  return fmt::format("{} {} {} {} {}{}{}\r\n{}\r\n", verb, key(), pick(3) == 0 ? 4294967295u : pick(100), exptime(),
                     v.size(), unique, noreply(), v);
}

std::string CommandGenerator::malformed() {
  switch (pick(10)) {
    case 0: return "bogus command\r\n";
    case 1: return "\r\n";
    case 2: return fmt::format("set {} abc 0 1\r\nx\r\n", key());
    case 3: return fmt::format("set {} 0 0 2\r\nabcd\r\n", key());  // bad data chunk
    case 4: return fmt::format("incr {} x\r\n", key());
    case 5: return fmt::format("delete {} 5\r\n", key());
    case 6: return fmt::format("touch {}\r\n", key());
    case 7: return fmt::format("set {} 0 0\r\n", key());
    case 8: return fmt::format("set {} 0 0 abc noreply\r\n", key());
    default: return fmt::format("gat xyz {}\r\n", key());
  }
}

namespace {

std::string base64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

}  // namespace

std::string CommandGenerator::meta_key(bool& binary) {
  binary = chance(25);
  const std::string k = key();
  return binary ? base64(k) : k;
}

std::string CommandGenerator::opaque() {
  static const char* const kOpaques[] = {"O1", "Oabc", "O123456789", "Ox-y_z", "O"};
  return kOpaques[pick(std::size(kOpaques))];
}

std::string CommandGenerator::some_flags(std::vector<std::string> pool, int percent) {
  std::shuffle(pool.begin(), pool.end(), random_);
  std::string out;
  for (const std::string& flag : pool) {
    if (chance(percent)) out += " " + flag;
  }
  return out;
}

// TTLs stay away from what a clock tick between two commands could change: `t` and `l` are not
// asked for, and a recache threshold (R) is either far below or far above any remaining TTL.
std::string CommandGenerator::meta_get() {
  bool binary = false;
  const std::string k = meta_key(binary);
  static const char* const kTtls[] = {"T0", "T-1", "T1000", "T2592001"};
  static const char* const kVivify[] = {"N0", "N1000"};
  static const char* const kRecache[] = {"R2000", "R30"};
  std::vector<std::string> pool = {
      "v", "c", "f", "s", "k", "h", "q", opaque(), kTtls[pick(4)], kVivify[pick(2)], kRecache[pick(2)], "u"};
  if (chance(5)) pool.push_back("E" + std::to_string(1000 + pick(100)));
  std::string line = "mg " + k + (binary ? " b" : "") + some_flags(pool, 35);
  return line + "\r\n";
}

std::string CommandGenerator::meta_set() {
  bool binary = false;
  const std::string k = meta_key(binary);
  static const char* const kModes[] = {"MS", "ME", "MA", "MP", "MR", "Ms", "MZ"};
  static const char* const kTtls[] = {"T0", "T-1", "T1000"};
  std::vector<std::string> pool = {"c",
                                   "k",
                                   "s",
                                   "q",
                                   opaque(),
                                   kTtls[pick(3)],
                                   "F" + std::to_string(pick(3) == 0 ? 4294967295u : pick(100)),
                                   kModes[pick(chance(95) ? 5 : 7)],
                                   "N0",
                                   "I"};
  if (chance(15)) pool.push_back("C" + small_cas());
  if (chance(5)) pool.push_back("E" + std::to_string(1000 + pick(100)));
  const std::string v = value();
  // Now and then the data block is one byte longer than announced.
  const std::size_t announced = chance(4) && !v.empty() ? v.size() - 1 : v.size();
  return fmt::format("ms {} {}{}{}\r\n{}\r\n", k, announced, binary ? " b" : "", some_flags(pool, 30), v);
}

std::string CommandGenerator::meta_delete() {
  bool binary = false;
  const std::string k = meta_key(binary);
  std::vector<std::string> pool = {"q", "k", opaque(), "I", "T0", "x", "F" + std::to_string(pick(100))};
  if (chance(20)) pool.push_back("C" + small_cas());
  if (chance(5)) pool.push_back("E" + std::to_string(1000 + pick(100)));
  return "md " + k + (binary ? " b" : "") + some_flags(pool, 25) + "\r\n";
}

std::string CommandGenerator::meta_arithmetic() {
  bool binary = false;
  const std::string k = meta_key(binary);
  static const char* const kModes[] = {"MI", "MD", "M+", "M-", "Mi"};
  std::vector<std::string> pool = {"q",
                                   "v",
                                   "c",
                                   "k",
                                   opaque(),
                                   kModes[pick(chance(95) ? 4 : 5)],
                                   "N0",
                                   "J" + std::to_string(pick(1000)),
                                   "D" + std::to_string(pick(100)),
                                   "T0"};
  if (chance(15)) pool.push_back("C" + small_cas());
  if (chance(5)) pool.push_back("E" + std::to_string(1000 + pick(100)));
  return "ma " + k + (binary ? " b" : "") + some_flags(pool, 35) + "\r\n";
}

std::string CommandGenerator::meta_malformed() {
  switch (pick(12)) {
    case 0: return fmt::format("mg {} v v\r\n", key());                          // duplicate flag
    case 1: return fmt::format("mg {} !\r\n", key());                            // invalid flag
    case 2: return fmt::format("mg {} Tx c\r\n", key());                         // bad token
    case 3: return fmt::format("mg {} O{} v\r\n", key(), std::string(40, 'o'));  // opaque too long
    case 4: return fmt::format("md {} O{}\r\n", key(), std::string(40, 'o'));
    case 5: return fmt::format("ms {} 2 O{}\r\nxy\r\n", key(), std::string(40, 'o'));  // takes a cas id
    case 6: return fmt::format("ms {} x\r\n", key());
    case 7: return fmt::format("mg {} v\r\n", std::string(251, 'k'));  // key too long
    case 8: return "mg @@@ b v\r\n";                                   // undecodable key
    case 9: return fmt::format("ma {} Dx\r\n", key());
    case 10: return "mz k\r\n";
    default: return fmt::format("mg {} a b c d e f g h i j l m n o p r s t u\r\n", key());
  }
}

std::string CommandGenerator::meta() {
  switch (pick(12)) {
    case 0:
    case 1:
    case 2: return meta_get();
    case 3:
    case 4:
    case 5: return meta_set();
    case 6:
    case 7: return meta_delete();
    case 8:
    case 9: return meta_arithmetic();
    case 10: return "mn\r\n";
    default: return meta_malformed();
  }
}

std::string CommandGenerator::next() {
  // Meta and classic commands interleave on the same items.
  if (chance(40)) return meta();
  switch (pick(20)) {
    case 0:
    case 1:
    case 2: return storage("set", false);
    case 3: return storage("add", false);
    case 4: return storage("replace", false);
    case 5: return storage("append", false);
    case 6: return storage("prepend", false);
    case 7: return storage("cas", true);
    case 8:
    case 9: return fmt::format("get {} {}\r\n", key(), key());
    case 10: return fmt::format("gets {}\r\n", key());
    case 11: return fmt::format("{} {} {}\r\n", chance(50) ? "gat" : "gats", exptime(), key());
    case 12: return fmt::format("delete {}{}\r\n", key(), noreply());
    case 13:
      return fmt::format("incr {} {}{}\r\n", key(),
                         chance(10) ? std::to_string(random_() >> 24) : std::to_string(pick(100)), noreply());
    case 14: return fmt::format("decr {} {}{}\r\n", key(), pick(100), noreply());
    case 15: return fmt::format("touch {} {}{}\r\n", key(), exptime(), noreply());
    case 16:
      return chance(10) ? fmt::format("flush_all{}\r\n", noreply()) : fmt::format("verbosity 0{}\r\n", noreply());
    default: return malformed();
  }
}

}  // namespace mcconform::differential
