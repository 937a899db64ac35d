// Splits a command line into tokens the way memcached does: on single spaces, at most 23.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace mcrefd::protocol {

// memcached keeps 24 slots: up to 23 tokens and a terminal one. When a line has more tokens, the
// terminal slot holds the unsplit remainder (`rest`), which only the get family goes on to read.
struct Tokens {
  static constexpr std::size_t kMaxTokens = 23;
  std::array<std::string_view, kMaxTokens> token{};
  std::size_t count = 0;
  std::string_view rest;  // non-empty only when the line held more than kMaxTokens tokens
  bool has_rest = false;

  // memcached's `ntokens`, which counts the terminal slot; its argument-count checks use it.
  std::size_t ntokens() const { return count + 1; }
  // The last real token, which memcached compares with "noreply".
  std::string_view last() const { return count == 0 ? std::string_view{} : token[count - 1]; }
};

Tokens tokenize(std::string_view line);

}  // namespace mcrefd::protocol
