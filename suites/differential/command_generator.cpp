// Seeded random text-protocol commands: valid, noreply and malformed, over a small key set.
#include "command_generator.hpp"

#include <fmt/format.h>

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

std::string CommandGenerator::next() {
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
