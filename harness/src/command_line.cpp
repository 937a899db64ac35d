// mcconform's command lines (the runner, bench, diff) on CLI11, under one set of conventions.
#include "mcconform/command_line.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

namespace mcconform {

void follow_conventions(CLI::App& app) {
  app.set_help_flag();  // each command answers --help with its own usage text
  app.allow_extras();   // collected, then refused by name in parse_command_line
}

std::string parse_command_line(CLI::App& app, const std::vector<std::string>& args) {
  // CLI11 takes its arguments last first.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  if (const auto extras = app.remaining(); !extras.empty()) return fmt::format("unknown argument '{}'", extras.front());
  return {};
}

std::vector<std::pair<const CLI::Option*, std::string>> values_in_given_order(
    const CLI::App& app, const std::vector<const CLI::Option*>& options) {
  std::vector<std::pair<const CLI::Option*, std::string>> out;
  std::map<const CLI::Option*, std::size_t> taken;
  for (const CLI::Option* option : app.parse_order()) {
    if (std::find(options.begin(), options.end(), option) == options.end()) continue;
    const auto& results = option->results();
    std::size_t& next = taken[option];
    if (next < results.size()) out.emplace_back(option, results[next++]);
  }
  return out;
}

CLI::Validator whole_number(long long min, long long max) {
  const std::string range = max == std::numeric_limits<long long>::max() ? fmt::format("of at least {}", min)
                                                                         : fmt::format("from {} to {}", min, max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        long long n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < min || n > max)
          return fmt::format("'{}' is not a whole number {}", text, range);
        return {};
      },
      "NUMBER");
}

void refuse(std::string message) { throw CLI::ValidationError(std::move(message)); }

}  // namespace mcconform
