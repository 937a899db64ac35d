// Meta status lines compared as memcached's one-second clock allows (see clock_tick.hpp).
#include "mcconform/clock_tick.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

namespace mcconform {
namespace {

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t space = std::min(line.find(' ', at), line.size());
    words.push_back(line.substr(at, space - at));
    at = space + 1;
  }
  return words;
}

std::optional<std::int64_t> number_after_flag(std::string_view word) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(word.data() + 1, word.data() + word.size(), n);
  if (ec != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return n;
}

}  // namespace

bool is_meta_status_line(std::string_view line) {
  static constexpr std::string_view kCodes[] = {"HD", "VA", "EN", "NF", "NS", "EX", "MN"};
  for (std::string_view code : kCodes) {
    if (line.starts_with(code) && (line.size() == code.size() || line[code.size()] == ' ' || line[code.size()] == '\r'))
      return true;
  }
  return false;
}

// One status line: the same words, where t and l may have moved by one tick in the clock's direction.
bool same_but_for_a_clock_tick(std::string_view expected, std::string_view actual) {
  if (expected == actual) return true;
  if (!expected.ends_with("\r\n") || !actual.ends_with("\r\n")) return false;
  const auto want = words_of(expected.substr(0, expected.size() - 2));
  const auto got = words_of(actual.substr(0, actual.size() - 2));
  if (want.size() != got.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == got[i]) continue;
    if (i == 0 || want[i].size() < 2 || got[i].empty() || want[i][0] != got[i][0]) return false;
    const auto w = number_after_flag(want[i]);
    const auto g = number_after_flag(got[i]);
    if (!w || !g) return false;
    const bool ttl_ticked = want[i][0] == 't' && *w > 0 && *g == *w - 1;
    const bool access_ticked = want[i][0] == 'l' && *w >= 0 && *g == *w + 1;
    if (!ttl_ticked && !access_ticked) return false;
  }
  return true;
}

}  // namespace mcconform
