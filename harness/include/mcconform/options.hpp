// The mcconform command line: what to test, against what, and where to report.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mcconform/endpoint.hpp"
#include "mcconform/features.hpp"

namespace mcconform {

// One server under test, as --target or --spawn named it: "[NAME[@PROFILE]=]HOST:PORT[,...]" or
// "[NAME[@PROFILE]=]COMMAND {port}". Neither endpoints nor a command: the built mcrefd.
struct TargetSpec {
  std::string name;                 // as given, else derived (see target_name); unique in a run
  std::vector<Endpoint> endpoints;  // external (a list is a cluster)
  std::string spawn_command;        // spawned
  std::string profile;              // its own --profile; empty: the run's
};

struct Options {
  // The target being tested: main() sets these from each of `target_specs` in turn.
  std::vector<Endpoint> targets;  // --target / MCCONFORM_TARGET; empty: spawn
  std::string spawn_command;      // --spawn; empty: the built mcrefd
  // Every --target and --spawn in the order given; one unnamed spec (the built mcrefd) when none.
  std::vector<TargetSpec> target_specs;
  std::chrono::milliseconds timeout{2000};
  // Cases in a row that time out unanswered before the target counts as unresponsive; 0: never.
  int max_timeouts = 3;
  std::set<Feature> features;  // empty: all
  bool features_explicit = false;
  // The features --features named one by one (not through a group such as "meta" or "binary"):
  // these run even where the probe says the target lacks them; a group is probed feature by feature.
  std::set<Feature> features_named;
  Level level = Level::kCompat;  // kSpec: compat failures are informational
  bool allow_flush = false;
  bool allow_hostile = false;
  // The hostile scenarios' bound on a spawned server's peak resident memory; 0: measured and
  // reported, not enforced (a sanitizer build holds freed memory in quarantine).
  std::size_t resident_bound_mib = 64;  // hostile scenarios against a server the harness did not start
  std::string report_markdown;
  std::string report_json;
  std::string junit;
  std::string report_html;  // --html FILE: the page, with FILE.json beside it
  std::string expect_fail_file;
  std::size_t cluster_size = 3;
  std::string profile;  // --profile; empty: the newest
  bool list_features = false;
  bool list_profiles = false;
  bool list_cases = false;       // --list-cases: print the catalogue, run nothing
  bool list_cases_json = false;  // --list-cases --json: as JSON (to report_json when a file is given)
  bool help = false;
  bool version = false;

  bool external() const { return !targets.empty(); }
  bool selected(Feature f) const { return features.empty() || features.contains(f); }
  // These options narrowed to one target: its endpoints or command, and its profile if it has one.
  Options for_target(const TargetSpec& spec) const;
};

// Splits "NAME[@PROFILE]=REST" off a --target/--spawn value. A prefix counts as a name only when it
// is made of letters, digits and "._-" (so "-o idle_timeout=5" in a command is no name).
struct NamedValue {
  std::string name, profile, rest;
};
NamedValue split_target_name(std::string_view value);

struct ParsedOptions {
  Options options;
  std::string error;  // non-empty: print it with the usage and exit 2
};

// Parses what GoogleTest left of argv; MCCONFORM_TARGET stands in for a missing --target.
ParsedOptions parse_options(const std::vector<std::string>& args, const char* env_target);
std::string usage_text();

}  // namespace mcconform
