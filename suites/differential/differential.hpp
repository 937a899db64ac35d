// `mcconform diff`: the same seeded random pipelines sent to two servers side by side, replies
// compared byte for byte (cas uniques included); the first difference is shrunk and printed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "command_generator.hpp"
#include "mcconform/endpoint.hpp"

namespace mcconform::differential {

// A server to compare: a running one (HOST:PORT) or one started for each run (a command line).
struct TargetSpec {
  std::string text;  // as given on the command line
  std::optional<Endpoint> endpoint;
  std::string spawn_command;

  bool spawned() const { return !endpoint; }
};

// HOST:PORT; spawn:COMMAND (with {port}); mcrefd[:PATH]; memcached:PATH. Sets `error` on failure.
std::optional<TargetSpec> parse_target(std::string_view text, const std::string& default_mcrefd_command,
                                       std::string& error);
// The command `memcached:PATH` stands for: one worker thread, and neither the LRU maintainer nor
// the LRU crawler, whose threads take item references at random moments (see the usage text).
std::string deterministic_memcached_command(const std::string& path);

struct DiffOptions {
  TargetSpec a, b;
  std::uint64_t seed = 1;
  int count = 5000;
  GeneratorOptions generator;
  bool allow_flush = false;
  std::optional<std::string> key_prefix;  // default: none for two spawned targets, random otherwise
  int timeout_ms = 2000;
  int max_shrink_runs = 400;
  bool shrink = true;
  // --cas-uniques renamed: each server's cas uniques are compared by the order it first showed
  // them in (CasRenamer), and requests carry no guessed unique: a client-chosen or unissued one
  // (GeneratorOptions::unissued_cas), or the one the server showed last, each server its own
  // (GeneratorOptions::shown_cas).
  bool rename_cas = false;
  std::string profile;  // --profile: its release is generator.release

  // Releases before 1.6.35 write out their replies after each text get (batch_end).
  bool get_ends_batch() const { return generator.release && !Since("1.6.35").contains(*generator.release); }
};

struct ParsedDiffOptions {
  DiffOptions options;
  std::string error;
  bool help = false;
};

ParsedDiffOptions parse_diff_options(const std::vector<std::string>& args, const std::string& default_mcrefd_command);
std::string diff_usage();

// The bytes as a bash printf format in single quotes: printf '...' writes exactly `bytes`.
std::string printf_quoted(std::string_view bytes);

// Returns the process exit status: 0 no difference, 1 a difference (shown), 2 bad arguments or a
// target that could not be started or reached.
int diff_main(const std::vector<std::string>& args, const std::string& default_spawn_command);

}  // namespace mcconform::differential
