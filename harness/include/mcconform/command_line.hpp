// mcconform's command lines (the runner, bench, diff) on CLI11, under one set of conventions.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace mcconform {

// Makes `app` follow the conventions: no generated help (each command prints its own usage
// text), and anything not declared is reported as "unknown argument 'X'".
void follow_conventions(CLI::App& app);

// Parses `args` (in the order given). Returns the message to print above the usage and exit 2
// with, or an empty string when the command line is good.
std::string parse_command_line(CLI::App& app, const std::vector<std::string>& args);

// The values of several repeatable options in the order they were given, across options
// (`--target a --spawn b --target c` keeps a, b, c in that order), as (option, value) pairs.
std::vector<std::pair<const CLI::Option*, std::string>> values_in_given_order(
    const CLI::App& app, const std::vector<const CLI::Option*>& options);

// A validator of a whole decimal number from `min` to `max`, with a message people read easily
// (CLI11's own ranges print doubles).
CLI::Validator whole_number(long long min, long long max = std::numeric_limits<long long>::max());

// For option callbacks: the command line is refused with exactly this message.
[[noreturn]] void refuse(std::string message);

}  // namespace mcconform
