// The mcconform command line: what to test, against what, and where to report.
#include "mcconform/options.hpp"

#include <fmt/format.h>

#include "mcconform/command_line.hpp"
#include "mcconform/profile.hpp"

namespace mcconform {
namespace {

bool is_name(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The first word of a command, without quotes and directories: "memcached" for
// "'/usr/bin/memcached' -p {port}".
std::string command_basename(std::string_view command) {
  const auto start = command.find_first_not_of(" \t'\"");
  if (start == std::string_view::npos) return "spawned";
  command.remove_prefix(start);
  std::string_view word = command.substr(0, command.find_first_of(" \t'\""));
  if (const auto slash = word.rfind('/'); slash != std::string_view::npos) word.remove_prefix(slash + 1);
  return word.empty() ? "spawned" : std::string(word);
}

// Every spec gets a readable name, unique in the run: as given, else "mcrefd", the command's
// basename, or the address list; a repeated name gets "-2", "-3", ...
void name_targets(std::vector<TargetSpec>& specs) {
  std::set<std::string> taken;
  for (const auto& spec : specs) {
    if (!spec.name.empty()) taken.insert(spec.name);
  }
  for (auto& spec : specs) {
    if (!spec.name.empty()) continue;
    std::string base;
    if (!spec.endpoints.empty()) {
      for (std::size_t i = 0; i < spec.endpoints.size(); ++i) base += (i ? "," : "") + spec.endpoints[i].to_string();
    } else {
      base = spec.spawn_command.empty() ? "mcrefd" : command_basename(spec.spawn_command);
    }
    std::string name = base;
    for (int n = 2; taken.contains(name); ++n) name = fmt::format("{}-{}", base, n);
    taken.insert(name);
    spec.name = name;
  }
}

}  // namespace

NamedValue split_target_name(std::string_view value) {
  const auto eq = value.find('=');
  if (eq == std::string_view::npos) return {"", "", std::string(value)};
  std::string_view prefix = value.substr(0, eq);
  std::string_view profile;
  if (const auto at = prefix.find('@'); at != std::string_view::npos) {
    profile = prefix.substr(at + 1);
    prefix = prefix.substr(0, at);
    if (!is_name(profile) || (!prefix.empty() && !is_name(prefix))) return {"", "", std::string(value)};
  } else if (!is_name(prefix)) {
    return {"", "", std::string(value)};
  }
  return {std::string(prefix), std::string(profile), std::string(value.substr(eq + 1))};
}

Options Options::for_target(const TargetSpec& spec) const {
  Options out = *this;
  out.targets = spec.endpoints;
  out.spawn_command = spec.spawn_command;
  if (!spec.profile.empty()) out.profile = spec.profile;
  return out;
}

std::string usage_text() {
  return "usage: mcconform [options] [GoogleTest flags]\n"
         "Runs the memcached conformance suites and prints a conformance matrix.\n"
         "\n"
         "Target (default: spawn the built mcrefd on a free loopback port):\n"
         "  --target [NAME=]HOST:PORT[,HOST:PORT...]\n"
         "                                     test a running server; a list is a cluster\n"
         "                                     (also MCCONFORM_TARGET)\n"
         "  --spawn [NAME=]'COMMAND {port}'    start this server for the run; {port} becomes a free port\n"
         "                                     --target and --spawn may be repeated: the same cases run\n"
         "                                     against each in turn and the report compares them. NAME\n"
         "                                     (letters, digits, ._-) labels it (default: mcrefd, the\n"
         "                                     command's basename or HOST:PORT); NAME@PROFILE= gives\n"
         "                                     that target its own --profile\n"
         "  --cluster-size N                   spawned servers for cluster tests (default 3)\n"
         "  --allow-flush                      let destructive tests (flush_all, filling the cache) run\n"
         "                                     against --target; spawned targets always allow them.\n"
         "                                     They run last, each on a spawned server of its own, or on\n"
         "                                     --target followed by a check that the server has settled\n"
         "  --allow-hostile                    let the hostile scenarios (floods, resets, random bytes)\n"
         "                                     run against --target; spawned targets always allow them\n"
         "  --resident-bound MIB               a spawned server's peak resident memory under the hostile\n"
         "                                     scenarios must stay below this (default 64; 0: report only)\n"
         "Selection:\n"
         "  --features LIST                    comma-separated features (see --list-features); default all;\n"
         "                                     'meta' stands for every meta-* feature\n"
         "  --profile NAME                     the memcached release whose behaviour is expected\n"
         "                                     (see --list-profiles; default: the newest)\n"
         "  --level spec|compat                spec: only protocol.txt requirements decide the exit status;\n"
         "                                     compat (default): memcached 1.6's behaviour counts too\n"
         "  --expect-fail FILE                 known deviations, one test name or pattern per line\n"
         "  --timeout MS                       deadline for every connect, read and write (default 2000)\n"
         "  --max-timeouts N                   after N cases in a row time out without an answer, the rest\n"
         "                                     are not run (target unresponsive; fails the run);\n"
         "                                     default 3, 0 never gives up\n"
         "Reports:\n"
         "  --report FILE.md  --json FILE  --junit FILE.xml\n"
         "  --html FILE.html                   one self-contained page: cases x servers, filters, each\n"
         "                                     case's requirement and wire log; FILE.html.json beside it\n"
         "Other:\n"
         "  --list-cases [--json [FILE]]       every case: id, feature, level, versions, the protocol.txt\n"
         "                                     section or memcached behaviour it checks, and what it\n"
         "                                     requires; runs nothing (exit 1 if a case lacks them)\n"
         "  --list-features  --list-profiles  --help (-h)  --version\n"
         "Subcommands: mcconform bench --help (load and latency), mcconform diff --help (two servers\n"
         "side by side on random pipelines; a difference is shrunk and shown)\n"
         "GoogleTest's flags work too (--gtest_filter, --gtest_repeat, --gtest_shuffle, --gtest_brief, ...);\n"
         "--gtest_help lists them.\n"
         "Exit status: 0 when every selected test passed or was an expected failure, 1 otherwise\n"
         "(a test failed, or tests were not run because the target stopped answering), 2 for bad arguments.\n";
}

ParsedOptions parse_options(const std::vector<std::string>& args, const char* env_target) {
  ParsedOptions parsed;
  Options& o = parsed.options;
  auto fail = [&parsed](std::string why) {
    parsed.error = std::move(why);
    return parsed;
  };
  CLI::App app{"", "mcconform"};
  follow_conventions(app);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // the last one given wins
  const auto needs_file = [](const std::string& v) { return v.empty() ? std::string("needs a file name") : ""; };
  int timeout_ms = static_cast<int>(o.timeout.count());
  std::string level = "compat";
  std::vector<std::string> targets, spawns, feature_lists;
  app.add_flag("-h,--help", o.help);
  app.add_flag("--version", o.version);
  app.add_flag("--list-features", o.list_features);
  app.add_flag("--list-profiles", o.list_profiles);
  app.add_flag("--list-cases", o.list_cases);
  app.add_flag("--allow-flush", o.allow_flush);
  app.add_flag("--allow-hostile", o.allow_hostile);
  app.add_option("--resident-bound", o.resident_bound_mib)->check(whole_number(0));
  // Repeatable, and their order is the order of the targets: kept in vectors, read in order below.
  auto* target_option = app.add_option("--target", targets)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  auto* spawn_option = app.add_option("--spawn", spawns)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--features", feature_lists)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--profile", o.profile);
  app.add_option("--level", level)->check(CLI::IsMember({"spec", "compat"}));
  app.add_option("--timeout", timeout_ms)->check(whole_number(1));
  app.add_option("--max-timeouts", o.max_timeouts)->check(whole_number(0));
  app.add_option("--cluster-size", o.cluster_size)->check(whole_number(2, 16));
  app.add_option("--report", o.report_markdown)->check(needs_file);
  // Without a file, --json belongs to --list-cases (the catalogue on standard output).
  auto* json_option = app.add_option("--json", o.report_json)->expected(0, 1);
  app.add_option("--junit", o.junit)->check(needs_file);
  app.add_option("--html", o.report_html)->check(needs_file);
  app.add_option("--expect-fail", o.expect_fail_file)->check(needs_file);
  if (std::string error = parse_command_line(app, args); !error.empty()) return fail(error);

  o.timeout = std::chrono::milliseconds(timeout_ms);
  o.level = level == "spec" ? Level::kSpec : Level::kCompat;
  if (json_option->count() > 0 && o.report_json.empty()) o.list_cases_json = true;
  if (!o.profile.empty() && !find_profile(o.profile)) {
    return fail(fmt::format("unknown --profile '{}' (see --list-profiles)", o.profile));
  }
  for (const std::string& list : feature_lists) {
    o.features_explicit = true;
    std::string_view rest = list;
    while (true) {
      const auto comma = rest.find(',');
      const std::string_view name = rest.substr(0, comma);
      const auto group = feature_group(name);
      if (group.empty()) return fail(fmt::format("unknown feature '{}' (see --list-features)", name));
      o.features.insert(group.begin(), group.end());
      if (auto single = feature_from_name(name)) o.features_named.insert(*single);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  for (const auto& [option, value] : values_in_given_order(app, {target_option, spawn_option})) {
    NamedValue named = split_target_name(value);
    if (option == target_option) {
      auto list = parse_endpoint_list(named.rest);
      if (!list) return fail(fmt::format("bad --target '{}': expected [NAME=]HOST:PORT[,HOST:PORT...]", value));
      o.target_specs.push_back({named.name, *list, "", named.profile});
    } else {
      if (named.rest.empty()) return fail(fmt::format("--spawn '{}' names no command", value));
      o.target_specs.push_back({named.name, {}, named.rest, named.profile});
    }
  }
  if (o.list_cases && !o.report_json.empty()) o.list_cases_json = true;
  if (o.list_cases_json && !o.list_cases) return fail("--json needs a file name");
  if (o.target_specs.empty() && env_target != nullptr && *env_target != '\0') {
    auto list = parse_endpoint_list(env_target);
    if (!list) return fail(fmt::format("bad MCCONFORM_TARGET '{}'", env_target));
    o.target_specs.push_back({"", *list, "", ""});
  }
  if (o.target_specs.empty()) o.target_specs.push_back({});  // the built mcrefd
  for (const auto& spec : o.target_specs) {
    if (!spec.profile.empty() && !find_profile(spec.profile)) {
      return fail(fmt::format("unknown profile '{}' for target '{}' (see --list-profiles)", spec.profile, spec.name));
    }
  }
  std::set<std::string> given;
  for (const auto& spec : o.target_specs) {
    if (!spec.name.empty() && !given.insert(spec.name).second) {
      return fail(fmt::format("two targets are named '{}'", spec.name));
    }
  }
  name_targets(o.target_specs);
  // The first target stands for the run until main() takes them one by one.
  o.targets = o.target_specs.front().endpoints;
  o.spawn_command = o.target_specs.front().spawn_command;
  return parsed;
}

}  // namespace mcconform
