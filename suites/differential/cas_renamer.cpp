// Cas uniques as the order in which one server first showed them.
#include "cas_renamer.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "mcconform/binary_packet.hpp"
#include "mcconform/clock_tick.hpp"
#include "mcconform/split.hpp"

namespace mcconform::differential {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A data block's announced length; nullopt when the token is not a length.
std::optional<std::size_t> length_of(std::string_view token) {
  std::size_t n = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), n);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return n;
}

}  // namespace

std::uint64_t CasRenamer::ordinal(std::string_view unique) {
  auto [it, added] = ordinals_.try_emplace(std::string(unique), ordinals_.size() + 1);
  return it->second;
}

std::string CasRenamer::renamed(std::string_view unique) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(unique.data(), unique.data() + unique.size(), value);
  const bool number = error == std::errc() && end == unique.data() + unique.size();
  if (number) last_shown_ = value;
  if (number && value >= verbatim_from_) return std::string(unique);
  return "#" + std::to_string(ordinal(unique));
}

std::string CasRenamer::text(std::string_view replies) {
  std::string out;
  std::size_t at = 0;
  while (at < replies.size()) {
    const std::size_t end = replies.find("\r\n", at);
    if (end == std::string_view::npos) {  // an unfinished line: left as it is
      out += replies.substr(at);
      break;
    }
    const std::vector<std::string_view> tokens = split(replies.substr(at, end - at), ' ');
    std::vector<std::string> fields(tokens.begin(), tokens.end());
    std::optional<std::size_t> data;
    const std::string_view code = tokens.front();
    if (code == "VALUE" && tokens.size() >= 4) {
      data = length_of(tokens[3]);
      if (tokens.size() == 5 && all_digits(tokens[4])) fields[4] = renamed(tokens[4]);
    } else if (is_meta_status_line(code)) {
      if (code == "VA" && tokens.size() >= 2) data = length_of(tokens[1]);
      for (std::size_t i = code == "VA" ? 2 : 1; i < tokens.size(); ++i) {
        if (tokens[i].size() > 1 && tokens[i][0] == 'c' && all_digits(tokens[i].substr(1))) {
          fields[i] = "c" + renamed(tokens[i].substr(1));
        }
      }
    } else if (code == "ME") {
      for (std::size_t i = 2; i < tokens.size(); ++i) {
        if (tokens[i].starts_with("cas=") && all_digits(tokens[i].substr(4))) {
          fields[i] = "cas=" + renamed(tokens[i].substr(4));
        }
      }
    }
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? " " : "") + fields[i];
    out += "\r\n";
    at = end + 2;
    if (data) {  // the block and its "\r\n", unread: a value may hold any bytes
      const std::size_t left = replies.size() - at;
      const std::size_t block = *data >= left ? left : std::min(*data + 2, left);
      out += replies.substr(at, block);
      at += block;
    }
  }
  return out;
}

std::string CasRenamer::binary(std::string_view replies) {
  constexpr std::size_t kCasOffset = 16;  // in the 24-byte header
  std::string out;
  std::size_t at = 0;
  // Whole response packets only; a byte that starts none, or a packet cut short, ends the walk and
  // the rest is left as it is. The unique is rewritten in place, so every other byte stays the
  // server's own.
  while (const auto parsed = binary::parse_packet(replies.substr(at))) {
    if (parsed->packet.magic != binary::kResponseMagic) break;
    const std::uint64_t cas = parsed->packet.cas;
    std::string packet(replies.substr(at, parsed->consumed));
    // The unique's digits as the key: the same numbering as the text replies use.
    if (cas != 0) last_shown_ = cas;
    if (cas != 0 && cas < verbatim_from_) packet.replace(kCasOffset, 8, binary::be64(ordinal(std::to_string(cas))));
    out += packet;
    at += parsed->consumed;
  }
  out += replies.substr(at);
  return out;
}

}  // namespace mcconform::differential
