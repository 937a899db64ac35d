// One generated request, kept in pieces so that it can be re-prefixed and simplified.
#include "command.hpp"

#include <algorithm>

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

std::string Command::render(const std::string& key_prefix) const {
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (i > 0) out += ' ';
    if (static_cast<int>(i) == length_token && data) {
      out += std::to_string(data->size() - (announce_short && !data->empty() ? 1 : 0));
      continue;
    }
    switch (token.kind) {
      case Token::Kind::kPlain: out += token.text; break;
      case Token::Kind::kKey: out += key_prefix + token.text; break;
      case Token::Kind::kBase64Key: out += base64(key_prefix + token.text); break;
    }
  }
  out += "\r\n";
  if (data) out += *data + "\r\n";
  return out;
}

std::vector<Command> Command::simplifications() const {
  std::vector<Command> out;
  auto with_data = [&](std::string value) {
    if (!data || value == *data) return;
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
  for (const Command& c : commands) {
    for (const Token& t : c.tokens) {
      if (t.kind != Token::Kind::kPlain && std::find(used.begin(), used.end(), t.text) == used.end()) {
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
        for (Token& t : c.tokens) {
          if (t.kind != Token::Kind::kPlain && t.text == key) t.text = shorter;
        }
      }
      out.push_back(std::move(renamed));
      break;
    }
  }
  return out;
}

std::string render_all(const std::vector<Command>& commands, const std::string& key_prefix) {
  std::string out;
  for (const Command& c : commands) out += c.render(key_prefix);
  return out;
}

}  // namespace mcconform::differential
