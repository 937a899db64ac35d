// Seeded random commands, classic and meta: valid, noreply/quiet and malformed, over a small key set.
#include "command_generator.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mcconform::differential {
namespace {

Token word(std::string text) { return Token{std::move(text)}; }
Token key_token(std::string key) { return Token{std::move(key), Token::Kind::kKey}; }
Token optional_word(std::string text) { return Token{std::move(text), Token::Kind::kPlain, true}; }
Token simplifiable(std::string text, std::string simpler) {
  return Token{std::move(text), Token::Kind::kPlain, false, std::move(simpler)};
}

Command line(std::vector<Token> tokens) {
  Command c;
  c.tokens = std::move(tokens);
  return c;
}

Command with_data(Command c, std::string data, int length_token) {
  c.data = std::move(data);
  c.length_token = length_token;
  return c;
}

}  // namespace

// Few keys, so commands keep meeting each other's items.
const std::vector<std::string>& CommandGenerator::keys() {
  static const std::vector<std::string> kKeys = {"a",  "b",   "c",   "d",     "num",
                                                 "n2", "big", "e-f", "k\x01", "long-key-name"};
  return kKeys;
}

std::string CommandGenerator::key() { return keys()[pick(keys().size())]; }

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
      // Never whitespace alone: memcached's incr/decr would read past the item (only_c_whitespace).
      if (only_c_whitespace(v)) v[0] = 'x';
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

Command CommandGenerator::storage(const char* verb, bool with_cas) {
  const std::string v = value();
  Command c = line({word(verb), key_token(key())});
  c.tokens.push_back(simplifiable(std::to_string(pick(3) == 0 ? 4294967295u : pick(100)), "0"));
  c.tokens.push_back(simplifiable(exptime(), "0"));
  c.tokens.push_back(word(""));  // the length, written from the data
  if (with_cas) c.tokens.push_back(cas_token(""));
  if (chance(25)) c.tokens.push_back(optional_word("noreply"));
  return with_data(std::move(c), v, 4);
}

Command CommandGenerator::malformed() {
  switch (pick(10)) {
    case 0: return line({word("bogus"), word("command")});
    case 1: return line({});
    case 2: return with_data(line({word("set"), key_token(key()), word("abc"), word("0"), word("1")}), "x", -1);
    case 3:  // bad data chunk
      return with_data(line({word("set"), key_token(key()), word("0"), word("0"), word("2")}), "abcd", -1);
    case 4: return line({word("incr"), key_token(key()), word("x")});
    case 5: return line({word("delete"), key_token(key()), word("5")});
    case 6: return line({word("touch"), key_token(key())});
    case 7: return line({word("set"), key_token(key()), word("0"), word("0")});
    case 8: return line({word("set"), key_token(key()), word("0"), word("0"), word("abc"), word("noreply")});
    default: return line({word("gat"), word("xyz"), key_token(key())});
  }
}

Command CommandGenerator::meta_start(const char* verb) {
  const bool binary = chance(25);
  Token k = key_token(key());
  if (binary) k.kind = Token::Kind::kBase64Key;
  Command c = line({word(verb), std::move(k)});
  if (binary) c.tokens.push_back(word("b"));
  return c;
}

std::string CommandGenerator::opaque() {
  static const char* const kOpaques[] = {"O1", "Oabc", "O123456789", "Ox-y_z", "O"};
  return kOpaques[pick(std::size(kOpaques))];
}

void CommandGenerator::drop_flag(std::vector<Token>& pool, std::string_view text) {
  std::erase_if(pool, [text](const Token& flag) { return flag.text == text; });
}

void CommandGenerator::add_some_flags(Command& command, std::vector<Token> pool, int percent) {
  std::shuffle(pool.begin(), pool.end(), random_);
  for (Token& flag : pool) {
    if (!chance(percent)) continue;
    flag.optional = true;
    command.tokens.push_back(std::move(flag));
  }
}

// TTLs stay away from what a clock tick between two commands could change: `t` and `l` are not
// asked for, and a recache threshold (R) is either far below or far above any remaining TTL.
Command CommandGenerator::meta_get() {
  Command c = meta_start("mg");
  static const char* const kTtls[] = {"T0", "T-1", "T1000", "T2592001"};
  static const char* const kVivify[] = {"N0", "N1000"};
  static const char* const kRecache[] = {"R2000", "R30"};
  std::vector<Token> pool = {
      "v", "c", "f", "s", "k", "h", "q", opaque(), kTtls[pick(4)], kVivify[pick(2)], kRecache[pick(2)], "u"};
  if (chance(5) && answers_like_newest("1.6.27")) pool.push_back("E" + std::to_string(explicit_cas()));
  add_some_flags(c, std::move(pool), 35);
  return c;
}

Command CommandGenerator::meta_set() {
  Command c = meta_start("ms");
  c.tokens.insert(c.tokens.begin() + 2, word(""));  // the length, written from the data
  static const char* const kModes[] = {"MS", "ME", "MA", "MP", "MR", "Ms", "MZ"};
  static const char* const kTtls[] = {"T0", "T-1", "T1000"};
  std::vector<Token> pool = {"c",
                             "k",
                             "s",
                             "q",
                             opaque(),
                             kTtls[pick(3)],
                             "F" + std::to_string(pick(3) == 0 ? 4294967295u : pick(100)),
                             kModes[pick(chance(95) ? 5 : 7)],
                             "N0",
                             "I"};
  if (chance(15)) pool.push_back(cas_token("C"));
  if (chance(5) && answers_like_newest("1.6.27")) pool.push_back("E" + std::to_string(explicit_cas()));
  // The mode is drawn in the list above, in its place, so that the sequence stays as it was.
  constexpr std::size_t kModeSlot = 7;
  const std::string mode = pool[kModeSlot].text;
  // Before 1.6.20 N did not create an item to append or prepend to; before 1.6.21 s was ignored,
  // and then (1.6.20) printed as the cas.
  if ((mode == "MA" || mode == "MP") && !answers_like_newest("1.6.20")) drop_flag(pool, "N0");
  if (!answers_like_newest("1.6.21")) drop_flag(pool, "s");
  const std::string v = value();
  // Now and then the data block is one byte longer than announced.
  c.announce_short = chance(4) && !v.empty();
  add_some_flags(c, std::move(pool), 30);
  return with_data(std::move(c), v, 2);
}

Command CommandGenerator::meta_delete() {
  Command c = meta_start("md");
  std::vector<Token> pool = {"q", "k", opaque(), "I", "T0", "x", "F" + std::to_string(pick(100))};
  if (!answers_like_newest("1.6.27")) drop_flag(pool, "x");
  if (chance(20)) pool.push_back(cas_token("C"));
  if (chance(5) && answers_like_newest("1.6.27")) pool.push_back("E" + std::to_string(explicit_cas()));
  add_some_flags(c, std::move(pool), 25);
  return c;
}

Command CommandGenerator::meta_arithmetic() {
  Command c = meta_start("ma");
  static const char* const kModes[] = {"MI", "MD", "M+", "M-", "Mi"};
  std::vector<Token> pool = {"q",
                             "v",
                             "c",
                             "k",
                             opaque(),
                             kModes[pick(chance(95) ? 4 : 5)],
                             "N0",
                             "J" + std::to_string(pick(1000)),
                             "D" + std::to_string(pick(100)),
                             "T0"};
  if (chance(15)) pool.push_back(cas_token("C"));
  if (chance(5) && answers_like_newest("1.6.27")) pool.push_back("E" + std::to_string(explicit_cas()));
  add_some_flags(c, std::move(pool), 35);
  return c;
}

Command CommandGenerator::meta_malformed() {
  const std::string long_opaque = "O" + std::string(40, 'o');
  switch (pick(12)) {
    case 0: return line({word("mg"), key_token(key()), word("v"), word("v")});          // duplicate flag
    case 1: return line({word("mg"), key_token(key()), word("!")});                     // invalid flag
    case 2: return line({word("mg"), key_token(key()), word("Tx"), word("c")});         // bad token
    case 3: return line({word("mg"), key_token(key()), word(long_opaque), word("v")});  // opaque too long
    case 4: return line({word("md"), key_token(key()), word(long_opaque)});
    case 5:  // takes a cas id
      return with_data(line({word("ms"), key_token(key()), word(""), word(long_opaque)}), "xy", 2);
    case 6: return line({word("ms"), key_token(key()), word("x")});
    case 7: return line({word("mg"), word(std::string(251, 'k')), word("v")});  // key too long
    case 8: return line({word("mg"), word("@@@"), word("b"), word("v")});       // undecodable key
    case 9: return line({word("ma"), key_token(key()), word("Dx")});
    case 10: return line({word("mz"), word("k")});
    default: {
      Command c = line({word("mg"), key_token(key())});
      for (const char* flag :
           {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "l", "m", "n", "o", "p", "r", "s", "t", "u"}) {
        c.tokens.push_back(word(flag));
      }
      return c;
    }
  }
}

Command CommandGenerator::meta() {
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
    case 10: return line({word("mn")});
    default: return meta_malformed();
  }
}

Command CommandGenerator::classic() {
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
    case 9: return line({word("get"), key_token(key()), key_token(key())});
    case 10: return line({word("gets"), key_token(key())});
    case 11: return line({word(chance(50) ? "gat" : "gats"), simplifiable(exptime(), "0"), key_token(key())});
    case 12: {
      Command c = line({word("delete"), key_token(key())});
      if (chance(25)) c.tokens.push_back(optional_word("noreply"));
      return c;
    }
    case 13: {
      Command c = line({word("incr"), key_token(key())});
      c.tokens.push_back(simplifiable(chance(10) ? std::to_string(random_() >> 24) : std::to_string(pick(100)), "1"));
      if (chance(25)) c.tokens.push_back(optional_word("noreply"));
      return c;
    }
    case 14: {
      Command c = line({word("decr"), key_token(key()), simplifiable(std::to_string(pick(100)), "1")});
      if (chance(25)) c.tokens.push_back(optional_word("noreply"));
      return c;
    }
    case 15: {
      Command c = line({word("touch"), key_token(key()), simplifiable(exptime(), "0")});
      if (chance(25)) c.tokens.push_back(optional_word("noreply"));
      return c;
    }
    case 16: {
      const bool flush = chance(10) && options_.flush;
      Command c = line({word(flush ? "flush_all" : "verbosity")});
      if (!flush) c.tokens.push_back(word("0"));
      if (chance(25)) c.tokens.push_back(optional_word("noreply"));
      return c;
    }
    default: return malformed();
  }
}

Command CommandGenerator::next() {
  if (after_showing_) {
    Command c = std::move(*after_showing_);
    after_showing_.reset();
    return c;
  }
  Command c = draw_request();
  if (!c.carries_shown_cas()) return c;
  std::optional<Command> show = request_showing_unique_of(c);
  if (!show) return c;
  after_showing_ = std::move(c);
  return std::move(*show);
}

Command CommandGenerator::draw_request() {
  if (options_.binary) return binary_request();
  // Meta and classic commands interleave on the same items.
  const bool meta_now = chance(40);
  if (options_.meta && (meta_now || !options_.classic)) return meta();
  return classic();
}

std::optional<Command> CommandGenerator::request_showing_unique_of(const Command& command) const {
  if (command.binary) {
    if (command.binary->literal_key || command.binary->packet.key.empty()) return std::nullopt;
    Command c;
    c.binary =
        BinaryRequest{binary::request(binary::Opcode::kGet, command.binary->packet.key), false, false, {}, false};
    return c;
  }
  const auto key =
      std::find_if(command.tokens.begin(), command.tokens.end(), [](const Token& t) { return t.is_key(); });
  if (key == command.tokens.end()) return std::nullopt;
  // gets where classic commands are sent; mg otherwise, and for a key written in base64.
  if (options_.classic && key->kind == Token::Kind::kKey) return line({word("gets"), *key});
  Command c = line({word("mg"), *key});
  if (key->kind == Token::Kind::kBase64Key) c.tokens.push_back(word("b"));
  c.tokens.push_back(word("c"));
  return c;
}

}  // namespace mcconform::differential
