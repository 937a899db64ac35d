// Seeded random commands, classic and meta, or binary packets: valid, noreply/quiet and malformed,
// over a small key set.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "mcconform/version.hpp"

namespace mcconform::differential {

struct GeneratorOptions {
  bool classic = true;
  bool meta = true;
  // Binary packets only: a connection speaks one protocol, chosen by its first byte.
  bool binary = false;
  // flush_all touches every key of the server, not only ours: only where we own the data.
  bool flush = true;
  // Requests that carry a cas unique (cas, C flags, a binary header's cas) carry kUnissuedCas
  // instead of a guess at a small one: for --cas-uniques renamed, where each server numbers its
  // uniques its own way and a guess would match an item on one server and not on the other.
  bool unissued_cas = false;
  // With unissued_cas, half of those requests carry instead the unique the server showed last
  // (Token::Kind::kShownCas, BinaryRequest::shown_cas), each sent its own, and each such request
  // follows one that shows its key's unique (gets, mg c, a binary get): so that a cas can succeed on
  // a unique the server issued, and a server that shows uniques it does not honour differs.
  bool shown_cas = false;
  // The oldest memcached release the run compares with (--profile): only requests whose answer has
  // not changed since it (docs/version-differences.md): no E flag or md x before 1.6.27, no ms
  // append/prepend with N before 1.6.20, no ms s before 1.6.21. The newest release leaves out none.
  std::optional<Version> release = std::nullopt;
};

// With unissued_cas, E flags give items one of the ten uniques below kUnissuedCas, and some cas
// requests carry one of them, so that a cas succeeds where an E flag set the unique it names.
// mcconform diff shows these as they are, never renamed: the client chose them.
inline constexpr std::uint64_t kClientChosenCas = kUnissuedCas - 10;

class CommandGenerator {
 public:
  explicit CommandGenerator(std::uint64_t seed, GeneratorOptions options = {}) : random_(seed), options_(options) {}

  // One request, with its data block if it has one. Never a command whose reply depends on the
  // server's identity or the wall clock (version, stats, small positive exptimes).
  Command next();
  // Every key a generated command names (before its prefix).
  static const std::vector<std::string>& keys();

 private:
  std::uint64_t pick(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random_); }
  bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }
  std::string key();
  std::string value();
  std::string exptime();
  Command classic();
  Command storage(const char* verb, bool with_cas);
  Command malformed();

  // Meta commands (mg ms md ma mn). Flags come in random order; replies echo them in that order.
  Command meta();
  // The command word and the key (base64-encoded now and then, with its b flag).
  Command meta_start(const char* verb);
  std::string opaque();
  // A cas unique as a request carries it, after `prefix` (a meta flag's letter, or nothing): the
  // unique the server showed last (with shown_cas, half the time), or small_cas().
  Token cas_token(const std::string& prefix) {
    if (const auto unique = carried_cas()) return Token{prefix + std::to_string(*unique)};
    return Token{prefix, Token::Kind::kShownCas};
  }
  // The same for a binary request's header.
  void carry_cas(Command& command) {
    if (const auto unique = carried_cas()) {
      command.binary->packet.cas = *unique;
    } else {
      command.binary->shown_cas = true;
    }
  }
  // small_cas(), or nullopt for the unique the server showed last (with shown_cas, half the time).
  // Draws what it drew before shown_cas existed, and no more without it, so that the other modes'
  // sequences stay as they were.
  std::optional<std::uint64_t> carried_cas() {
    const std::uint64_t unique = small_cas();
    if (options_.shown_cas && chance(50)) return std::nullopt;
    return unique;
  }
  // The request that shows the unique of `command`'s key, put just before it.
  std::optional<Command> request_showing_unique_of(const Command& command) const;
  // The cas unique a request carries: a small guess, which after a fresh start often names a live
  // item; with unissued_cas, half the time one an E flag may have set, else kUnissuedCas. The guess
  // is drawn either way, so that the rest of the sequence is the same.
  std::uint64_t small_cas() {
    const std::uint64_t guess = pick(60);
    if (!options_.unissued_cas) return guess;
    return guess < 30 ? kClientChosenCas + guess % 10 : kUnissuedCas;
  }
  // The unique an E flag gives an item: 1000 to 1099, or with unissued_cas one of the ten from
  // kClientChosenCas, which no server's own counter will issue too.
  std::uint64_t explicit_cas() {
    const std::uint64_t choice = pick(100);
    return options_.unissued_cas ? kClientChosenCas + choice % 10 : 1000 + choice;
  }
  // A request or flag whose answer changed in memcached `since` is answered in options_.release as
  // in the newest release.
  bool answers_like_newest(std::string_view since) const {
    return !options_.release || Since(since).contains(*options_.release);
  }
  static void drop_flag(std::vector<Token>& pool, std::string_view text);
  // Appends some of `pool` in random order, each a whole flag token the shrinker may drop.
  void add_some_flags(Command& command, std::vector<Token> pool, int percent);
  Command meta_get();
  Command meta_set();
  Command meta_delete();
  Command meta_arithmetic();
  Command meta_malformed();

  // Binary packets (binary_command_generator.cpp).
  Command binary_request();
  Command binary_storage(binary::Opcode opcode);
  Command binary_malformed();
  std::uint32_t binary_exptime();

  // A new random request (next() may put one that shows a unique in front of it).
  Command draw_request();

  std::mt19937_64 random_;
  GeneratorOptions options_;
  std::optional<Command> after_showing_;  // the request the last one showed a unique for
};

}  // namespace mcconform::differential
