// Seeded random commands, classic and meta: valid, noreply/quiet and malformed, over a small key set.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mcconform::differential {

class CommandGenerator {
 public:
  explicit CommandGenerator(std::uint64_t seed) : random_(seed) {}

  // One request, with its data block if it has one. Never a command whose reply depends on the
  // server's identity or the wall clock (version, stats, small positive exptimes).
  std::string next();

 private:
  std::uint64_t pick(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random_); }
  bool chance(int percent) { return static_cast<int>(pick(100)) < percent; }
  std::string key();
  std::string value();
  std::string exptime();
  std::string noreply() { return chance(25) ? " noreply" : ""; }
  std::string storage(const char* verb, bool with_cas);
  std::string malformed();

  // Meta commands (mg ms md ma mn). Flags come in random order; replies echo them in that order.
  std::string meta();
  std::string meta_key(bool& binary);
  std::string opaque();
  std::string small_cas() { return std::to_string(pick(60)); }
  // Picks some of `pool` in random order, each a whole flag token.
  std::string some_flags(std::vector<std::string> pool, int percent);
  std::string meta_get();
  std::string meta_set();
  std::string meta_delete();
  std::string meta_arithmetic();
  std::string meta_malformed();

  std::mt19937_64 random_;
};

}  // namespace mcconform::differential
