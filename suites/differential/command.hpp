// One generated request, kept in pieces (tokens, key slots, data block) so that it can be rendered
// under any key prefix and simplified by the shrinker.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcconform::differential {

struct Token {
  enum class Kind { kPlain, kKey, kBase64Key };
  Token(std::string text_in, Kind kind_in = Kind::kPlain, bool optional_in = false, std::string simpler_in = {})
      : text(std::move(text_in)), kind(kind_in), optional(optional_in), simpler(std::move(simpler_in)) {}

  std::string text;
  Kind kind = Kind::kPlain;
  // The shrinker may leave the token out (a meta flag, noreply) ...
  bool optional = false;
  // ... or write this instead (e.g. flags or exptime 0); empty: no simpler form.
  std::string simpler;
};

struct Command {
  std::vector<Token> tokens;  // the command line, joined by single spaces and ended by "\r\n"
  // The data block (without its "\r\n") of a storage command.
  std::optional<std::string> data;
  // The token that announces the data block's length, rewritten when the data changes; -1: the
  // length is written as is (a malformed command whose data does not match on purpose).
  int length_token = -1;
  // Announce one byte less than the data holds (a deliberately bad data chunk).
  bool announce_short = false;

  // The bytes on the wire, every key slot prefixed with `key_prefix` (and base64-encoded where the
  // command says so).
  std::string render(const std::string& key_prefix) const;
  // Simpler variants of this command, most promising first: a shorter or plainer data block, one
  // optional token fewer, one token in its simpler form.
  std::vector<Command> simplifications() const;
};

// The sequence with one of its keys renamed, everywhere, to a shorter (or printable) unused one
// ("a" to "d"): one variant per key that has such a name free.
std::vector<std::vector<Command>> shorter_keys(const std::vector<Command>& commands);

// Renders a sequence of commands.
std::string render_all(const std::vector<Command>& commands, const std::string& key_prefix);

std::string base64(std::string_view bytes);

}  // namespace mcconform::differential
