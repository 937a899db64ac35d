// One generated request, kept in pieces (tokens, key slots, data block; or a binary packet) so that
// it can be rendered under any key prefix and simplified by the shrinker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcconform/binary_packet.hpp"

namespace mcconform::differential {

// A unique no server issues in a run: far beyond any counter, and within a signed 64-bit number.
inline constexpr std::uint64_t kUnissuedCas = 9223372036854775807ull;

struct Token {
  // kShownCas: the cas unique the server showed last, written after `text` (a meta flag's letter,
  // or nothing): each server is sent its own (see Command::render).
  enum class Kind { kPlain, kKey, kBase64Key, kShownCas };
  Token(std::string text_in, Kind kind_in = Kind::kPlain, bool optional_in = false, std::string simpler_in = {})
      : text(std::move(text_in)), kind(kind_in), optional(optional_in), simpler(std::move(simpler_in)) {}
  Token(const char* text_in) : Token(std::string(text_in)) {}  // so that a flag list can be written as strings

  bool is_key() const { return kind == Kind::kKey || kind == Kind::kBase64Key; }

  std::string text;
  Kind kind = Kind::kPlain;
  // The shrinker may leave the token out (a meta flag, noreply) ...
  bool optional = false;
  // ... or write this instead (e.g. flags or exptime 0); empty: no simpler form.
  std::string simpler;
};

// A binary protocol request. Its key is one of the generator's keys, prefixed when rendered, unless
// `literal_key` (a key too long on purpose).
struct BinaryRequest {
  binary::Packet packet;
  bool literal_key = false;
  // memcached closes the connection after it (a protocol error, quit): the batch ends with it.
  bool closes = false;
  // Sent before the packet: a bad magic must not be a connection's first byte, which would make
  // the connection a text one, so it follows a no-op.
  std::string lead;
  // The header's cas is the unique the server showed last (`packet.cas` is then not used).
  bool shown_cas = false;
};

struct Command {
  // A binary request instead of a text line: then `tokens` and `data` are empty.
  std::optional<BinaryRequest> binary;
  std::vector<Token> tokens;  // the command line, joined by single spaces and ended by "\r\n"
  // The data block (without its "\r\n") of a storage command.
  std::optional<std::string> data;
  // The token that announces the data block's length, rewritten when the data changes; -1: the
  // length is written as is (a malformed command whose data does not match on purpose).
  int length_token = -1;
  // Announce one byte less than the data holds (a deliberately bad data chunk).
  bool announce_short = false;

  // The bytes on the wire, every key slot prefixed with `key_prefix` (and base64-encoded where the
  // command says so), and the unique the server showed last, `shown_cas`, where the command carries
  // it (kUnissuedCas when the server has shown none).
  std::string render(const std::string& key_prefix, std::optional<std::uint64_t> shown_cas = std::nullopt) const;
  // One line for people: the text command escaped, or a binary packet's fields; a unique the server
  // showed last is written "<cas last shown>".
  std::string describe(const std::string& key_prefix) const;
  // The server hangs up after it, so nothing may follow it in a batch.
  bool ends_batch() const { return binary && binary->closes; }
  // It carries the unique the server showed last, so it starts a batch: the unique it names must be
  // known when the batch is written.
  bool carries_shown_cas() const;
  // A text command's first word (empty for a binary request).
  std::string_view text_verb() const;
  // get, gets, gat or gats.
  bool is_text_get() const;
  // incr, decr or ma.
  bool is_text_arithmetic() const;
  // Simpler variants of this command, most promising first: a shorter or plainer data block, one
  // optional token fewer, one token in its simpler form.
  std::vector<Command> simplifications() const;
};

// The sequence with one of its keys renamed, everywhere, to a shorter (or printable) unused one
// ("a" to "d"): one variant per key that has such a name free.
std::vector<std::vector<Command>> shorter_keys(const std::vector<Command>& commands);

// The opcode of the same command without its quiet flag (getq -> get, setq -> set, ...); the
// opcode itself when it has no quiet form.
std::uint8_t loud_opcode(std::uint8_t opcode);

// Where the batch that starts at `from` ends: after `size` commands, or sooner where a command
// needs it (see command.cpp); `get_ends_batch` for servers before memcached 1.6.35.
std::size_t batch_end(const std::vector<Command>& commands, std::size_t from, std::size_t size, bool get_ends_batch);

// Renders a sequence of commands.
std::string render_all(const std::vector<Command>& commands, const std::string& key_prefix);

std::string base64(std::string_view bytes);

// Non-empty and made only of C whitespace (space \t \n \v \f \r). Never stored by a generated
// command nor left by a shrunk one: memcached's incr/decr parses the item with strtoull, which
// skips leading whitespace, the item's own "\r\n" included, and reads on past the item into
// whatever memory follows it, so its answer is undefined (1.6.18 and 1.6.38 alike).
bool only_c_whitespace(std::string_view bytes);

}  // namespace mcconform::differential
