// One generated request, kept in pieces so that it can be re-prefixed and simplified.
#include "command.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "mcconform/escape.hpp"

namespace mcconform::differential {

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

bool only_c_whitespace(std::string_view bytes) {
  return !bytes.empty() && bytes.find_first_not_of(" \t\n\v\f\r") == std::string_view::npos;
}

namespace {

binary::Packet prefixed(const BinaryRequest& request, const std::string& key_prefix) {
  binary::Packet packet = request.packet;
  if (!request.literal_key && !packet.key.empty()) packet.key = key_prefix + packet.key;
  return packet;
}

// Printable, so that escaping leaves it as it is.
constexpr std::string_view kShownCasForPeople = "<cas last shown>";

// A text command's bytes, with `shown_cas` written where it carries the unique the server showed.
std::string render_text(const Command& command, const std::string& key_prefix, std::string_view shown_cas) {
  std::string out;
  for (std::size_t i = 0; i < command.tokens.size(); ++i) {
    const Token& token = command.tokens[i];
    if (i > 0) out += ' ';
    if (static_cast<int>(i) == command.length_token && command.data) {
      out += std::to_string(command.data->size() - (command.announce_short && !command.data->empty() ? 1 : 0));
      continue;
    }
    switch (token.kind) {
      case Token::Kind::kPlain: out += token.text; break;
      case Token::Kind::kKey: out += key_prefix + token.text; break;
      case Token::Kind::kBase64Key: out += base64(key_prefix + token.text); break;
      case Token::Kind::kShownCas: out += token.text + std::string(shown_cas); break;
    }
  }
  out += "\r\n";
  if (command.data) out += *command.data + "\r\n";
  return out;
}

// The packet's fields in one line, those at their defaults left out; `cas`, when not empty, is
// written for the cas field.
std::string describe_packet(const binary::Packet& p, std::string_view cas = {}) {
  std::string out = fmt::format("{}", binary::opcode_name(p.opcode));
  if (out.empty()) out = fmt::format("opcode 0x{:02x}", p.opcode);
  if (p.magic != binary::kRequestMagic) out += fmt::format(" magic=0x{:02x}", p.magic);
  if (!p.key.empty()) out += " key=" + escape_bytes(p.key, 60);
  if (!p.extras.empty()) out += " extras=" + escape_bytes(p.extras, 60);
  if (!p.value.empty() || p.opcode == static_cast<std::uint8_t>(binary::Opcode::kSet)) {
    out += " value=" + escape_bytes(p.value, 60);
  }
  if (p.opaque != 0) out += fmt::format(" opaque=0x{:x}", p.opaque);
  if (!cas.empty()) {
    out += fmt::format(" cas={}", cas);
  } else if (p.cas != 0) {
    out += fmt::format(" cas={}", p.cas);
  }
  if (p.key_length) out += fmt::format(" keylen={}", *p.key_length);
  if (p.extras_length) out += fmt::format(" extlen={}", *p.extras_length);
  if (p.body_length) out += fmt::format(" bodylen={}", *p.body_length);
  return out;
}

}  // namespace

std::uint8_t loud_opcode(std::uint8_t opcode) {
  using binary::Opcode;
  static constexpr std::pair<Opcode, Opcode> kQuiet[] = {
      {Opcode::kGetQ, Opcode::kGet},
      {Opcode::kGetKQ, Opcode::kGetK},
      {Opcode::kSetQ, Opcode::kSet},
      {Opcode::kAddQ, Opcode::kAdd},
      {Opcode::kReplaceQ, Opcode::kReplace},
      {Opcode::kDeleteQ, Opcode::kDelete},
      {Opcode::kIncrementQ, Opcode::kIncrement},
      {Opcode::kDecrementQ, Opcode::kDecrement},
      {Opcode::kFlushQ, Opcode::kFlush},
      {Opcode::kAppendQ, Opcode::kAppend},
      {Opcode::kPrependQ, Opcode::kPrepend},
      {Opcode::kGatQ, Opcode::kGat},
      {Opcode::kGatKQ, Opcode::kGatK},
  };
  for (auto [quiet, loud] : kQuiet) {
    if (opcode == static_cast<std::uint8_t>(quiet)) return static_cast<std::uint8_t>(loud);
  }
  return opcode;
}

bool Command::carries_shown_cas() const {
  if (binary) return binary->shown_cas;
  return std::any_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.kind == Token::Kind::kShownCas; });
}

std::string_view Command::text_verb() const {
  if (binary || tokens.empty() || tokens[0].kind != Token::Kind::kPlain) return {};
  return tokens[0].text;
}

bool Command::is_text_get() const {
  const std::string_view verb = text_verb();
  return verb == "get" || verb == "gets" || verb == "gat" || verb == "gats";
}

bool Command::is_text_arithmetic() const {
  const std::string_view verb = text_verb();
  return verb == "incr" || verb == "decr" || verb == "ma";
}

std::string Command::describe(const std::string& key_prefix) const {
  if (!binary) return escape_bytes(render_text(*this, key_prefix, kShownCasForPeople), 1 << 16);
  std::string out =
      describe_packet(prefixed(*binary, key_prefix), binary->shown_cas ? kShownCasForPeople : std::string_view());
  if (!binary->lead.empty()) out = "noop, then " + out;
  return out;
}

std::string Command::render(const std::string& key_prefix, std::optional<std::uint64_t> shown_cas) const {
  const std::uint64_t shown = shown_cas.value_or(kUnissuedCas);
  if (!binary) return render_text(*this, key_prefix, std::to_string(shown));
  binary::Packet packet = prefixed(*binary, key_prefix);
  if (binary->shown_cas) packet.cas = shown;
  return binary->lead + packet.encode();
}

std::vector<Command> Command::simplifications() const {
  std::vector<Command> out;
  if (binary) {
    const binary::Packet& p = binary->packet;
    // A packet whose lengths are written on purpose keeps its body as it is.
    const bool lengths_given = p.key_length || p.extras_length || p.body_length;
    auto with = [&](auto change) {
      Command c = *this;
      change(c.binary->packet);
      out.push_back(std::move(c));
    };
    if (!lengths_given && !p.value.empty()) {
      with([](binary::Packet& q) { q.value.clear(); });
      // Never a value of whitespace alone (see only_c_whitespace).
      if (p.value.size() > 2 && !only_c_whitespace(std::string_view(p.value).substr(0, p.value.size() / 2))) {
        with([](binary::Packet& q) { q.value.resize(q.value.size() / 2); });
      }
    }
    if (loud_opcode(p.opcode) != p.opcode) with([](binary::Packet& q) { q.opcode = loud_opcode(q.opcode); });
    if (p.opaque != 0) with([](binary::Packet& q) { q.opaque = 0; });
    if (p.cas != 0) with([](binary::Packet& q) { q.cas = 0; });
    if (binary->shown_cas) {  // a unique no server issued instead of the one it showed
      Command c = *this;
      c.binary->shown_cas = false;
      c.binary->packet.cas = kUnissuedCas;
      out.push_back(std::move(c));
    }
    // Extras of all zeros (no flags, no expiry, a zero delta) where they are not zeros already.
    if (!lengths_given && p.extras.find_first_not_of('\0') != std::string::npos) {
      with([](binary::Packet& q) { q.extras.assign(q.extras.size(), '\0'); });
    }
    return out;
  }
  auto with_data = [&](std::string value) {
    // Never a value of whitespace alone (see only_c_whitespace): a difference it shows is noise.
    if (!data || value == *data || only_c_whitespace(value)) return;
    Command c = *this;
    c.data = std::move(value);
    out.push_back(std::move(c));
  };
  // Data can shrink only where its length is announced by a token we rewrite.
  if (data && length_token >= 0) {
    // Each candidate is strictly simpler, so that accepting candidates always ends.
    with_data("");
    if (data->size() > 1) with_data("1");
    if (data->size() > 2) with_data(data->substr(0, data->size() / 2));
    if (std::any_of(data->begin(), data->end(), [](char c) { return c < 0x20 || c >= 0x7f; })) {
      with_data(std::string(data->size(), 'x'));
    }
  }
  if (announce_short) {
    Command c = *this;
    c.announce_short = false;
    out.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    // A base64 key and its b flag: the key written plainly.
    if (tokens[i].kind == Token::Kind::kBase64Key) {
      for (std::size_t j = i + 1; j < tokens.size(); ++j) {
        if (tokens[j].kind != Token::Kind::kPlain || tokens[j].text != "b") continue;
        Command c = *this;
        c.tokens[i].kind = Token::Kind::kKey;
        c.tokens.erase(c.tokens.begin() + static_cast<long>(j));
        if (c.length_token > static_cast<int>(j)) --c.length_token;
        out.push_back(std::move(c));
        break;
      }
    }
    if (tokens[i].optional) {
      Command c = *this;
      c.tokens.erase(c.tokens.begin() + static_cast<long>(i));
      if (c.length_token > static_cast<int>(i)) --c.length_token;
      out.push_back(std::move(c));
    }
    if (tokens[i].kind == Token::Kind::kShownCas) {  // a unique no server issued instead
      Command c = *this;
      c.tokens[i] = Token{tokens[i].text + std::to_string(kUnissuedCas), Token::Kind::kPlain, tokens[i].optional};
      out.push_back(std::move(c));
    }
    if (!tokens[i].simpler.empty() && tokens[i].simpler != tokens[i].text) {
      Command c = *this;
      c.tokens[i].text = tokens[i].simpler;
      c.tokens[i].simpler.clear();
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::vector<std::vector<Command>> shorter_keys(const std::vector<Command>& commands) {
  std::vector<std::string> used;
  const auto slot_key = [](const Command& c) -> const std::string* {
    return c.binary && !c.binary->literal_key && !c.binary->packet.key.empty() ? &c.binary->packet.key : nullptr;
  };
  for (const Command& c : commands) {
    if (const std::string* key = slot_key(c); key && std::find(used.begin(), used.end(), *key) == used.end()) {
      used.push_back(*key);
    }
    for (const Token& t : c.tokens) {
      if (t.is_key() && std::find(used.begin(), used.end(), t.text) == used.end()) {
        used.push_back(t.text);
      }
    }
  }
  std::vector<std::vector<Command>> out;
  for (const std::string& key : used) {
    for (const char* shorter : {"a", "b", "c", "d"}) {
      if (std::string_view(shorter).size() >= key.size() && key != "k\x01") break;
      if (std::find(used.begin(), used.end(), shorter) != used.end()) continue;
      std::vector<Command> renamed = commands;
      for (Command& c : renamed) {
        if (slot_key(c) && c.binary->packet.key == key) c.binary->packet.key = shorter;
        for (Token& t : c.tokens) {
          if (t.is_key() && t.text == key) t.text = shorter;
        }
      }
      out.push_back(std::move(renamed));
      break;
    }
  }
  return out;
}

// Where the batch that starts at `from` ends: after `size` commands, after the first one the server
// hangs up after (nothing sent behind it would be read), before one that carries the unique the
// server showed last (which is known only once the replies before it are in), and with
// `get_ends_batch` after a text get, gets, gat or gats that an incr, decr or ma would follow:
// memcached before 1.6.35 wrote out its replies after one of those before it read on, which lets go
// of the items the replies hold, and later releases read on, so that an arithmetic command behind
// it rewrites an item in place in one and builds a new item in the other
// (docs/version-differences.md). Ended there, the batch is answered alike.
std::size_t batch_end(const std::vector<Command>& commands, std::size_t from, std::size_t size, bool get_ends_batch) {
  const std::size_t end = std::min(from + size, commands.size());
  for (std::size_t i = from; i < end; ++i) {
    if (i > from && commands[i].carries_shown_cas()) return i;
    if (commands[i].ends_batch()) return i + 1;
    if (get_ends_batch && commands[i].is_text_get() &&
        std::any_of(commands.begin() + static_cast<long>(i) + 1, commands.begin() + static_cast<long>(end),
                    [](const Command& c) { return c.is_text_arithmetic(); })) {
      return i + 1;
    }
  }
  return end;
}

std::string render_all(const std::vector<Command>& commands, const std::string& key_prefix) {
  std::string out;
  for (const Command& c : commands) out += c.render(key_prefix);
  return out;
}

}  // namespace mcconform::differential
