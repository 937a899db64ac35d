// Cas uniques as the order in which one server first showed them.
#include "cas_renamer.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

namespace mcconform::differential {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (start <= line.size()) {
    const std::size_t space = std::min(line.find(' ', start), line.size());
    tokens.push_back(line.substr(start, space - start));
    start = space + 1;
  }
  return tokens;
}

// A data block's announced length; nullopt when the token is not a length.
std::optional<std::size_t> length_of(std::string_view token) {
  std::size_t n = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), n);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return n;
}

bool is_meta_reply(std::string_view code) {
  return code == "HD" || code == "VA" || code == "EN" || code == "NF" || code == "NS" || code == "EX";
}

std::uint64_t read_be64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return value;
}

void append_be64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

}  // namespace

std::uint64_t CasRenamer::ordinal(std::string_view unique) {
  auto [it, added] = ordinals_.try_emplace(std::string(unique), ordinals_.size() + 1);
  return it->second;
}

std::string CasRenamer::renamed(std::string_view unique) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(unique.data(), unique.data() + unique.size(), value);
  if (error == std::errc() && end == unique.data() + unique.size() && value >= verbatim_from_) {
    return std::string(unique);
  }
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
    std::vector<std::string_view> tokens = split_spaces(replies.substr(at, end - at));
    std::vector<std::string> fields(tokens.begin(), tokens.end());
    std::optional<std::size_t> data;
    const std::string_view code = tokens.front();
    if (code == "VALUE" && tokens.size() >= 4) {
      data = length_of(tokens[3]);
      if (tokens.size() == 5 && all_digits(tokens[4])) fields[4] = renamed(tokens[4]);
    } else if (is_meta_reply(code)) {
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
  constexpr std::size_t kHeader = 24;
  std::string out;
  std::size_t at = 0;
  // A byte that does not start a response header ends the walk: the rest is left as it is.
  while (replies.size() - at >= kHeader && static_cast<unsigned char>(replies[at]) == 0x81) {
    const std::string_view header = replies.substr(at, kHeader);
    const std::uint64_t body = (std::uint64_t{static_cast<unsigned char>(header[8])} << 24) |
                               (std::uint64_t{static_cast<unsigned char>(header[9])} << 16) |
                               (std::uint64_t{static_cast<unsigned char>(header[10])} << 8) |
                               std::uint64_t{static_cast<unsigned char>(header[11])};
    const std::uint64_t cas = read_be64(header.substr(16, 8));
    out += header.substr(0, 16);
    // The unique's digits as the key: the same numbering as the text replies use.
    append_be64(out, cas == 0 || cas >= verbatim_from_ ? cas : ordinal(std::to_string(cas)));
    at += kHeader;
    const std::size_t taken = static_cast<std::size_t>(std::min<std::uint64_t>(body, replies.size() - at));
    out += replies.substr(at, taken);
    at += taken;
  }
  out += replies.substr(at);  // an unfinished header: left as it is
  return out;
}

}  // namespace mcconform::differential
