// The mcconform command line: what to test, against what, and where to report.
#include "mcconform/options.hpp"

#include <charconv>

#include <fmt/format.h>

#include "mcconform/profile.hpp"

namespace mcconform {
namespace {

// All of `text` is a decimal number.
bool parse_whole_number(const std::string& text, int& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc{} && ptr == end;
}

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
         "                                     'meta' stands for every meta-* feature, 'binary' for\n"
         "                                     every binary-* feature; a feature named alone runs even\n"
         "                                     where the target's probe says it lacks it\n"
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
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_inline = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    auto need_value = [&]() -> bool {
      if (has_inline) return true;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    };

    if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else if (arg == "--version") {
      o.version = true;
    } else if (arg == "--list-features") {
      o.list_features = true;
    } else if (arg == "--list-cases") {
      o.list_cases = true;
    } else if (arg == "--json" && !has_inline && (i + 1 >= args.size() || args[i + 1].starts_with("--"))) {
      o.list_cases_json = true;  // no file: only --list-cases accepts that, checked below
    } else if (arg == "--allow-flush") {
      o.allow_flush = true;
    } else if (arg == "--allow-hostile") {
      o.allow_hostile = true;
    } else if (arg == "--resident-bound") {
      if (!need_value() ||
          std::from_chars(value.data(), value.data() + value.size(), o.resident_bound_mib).ec != std::errc{}) {
        return fail("--resident-bound takes a number of MiB (0: report, do not enforce)");
      }
    } else if (arg == "--target") {
      if (!need_value()) return fail("--target needs HOST:PORT");
      NamedValue named = split_target_name(value);
      auto list = parse_endpoint_list(named.rest);
      if (!list) return fail(fmt::format("bad --target '{}': expected [NAME=]HOST:PORT[,HOST:PORT...]", value));
      o.target_specs.push_back({named.name, *list, "", named.profile});
    } else if (arg == "--spawn") {
      if (!need_value() || value.empty()) return fail("--spawn needs a command");
      NamedValue named = split_target_name(value);
      if (named.rest.empty()) return fail(fmt::format("--spawn '{}' names no command", value));
      o.target_specs.push_back({named.name, {}, named.rest, named.profile});
    } else if (arg == "--features") {
      if (!need_value()) return fail("--features needs a list");
      o.features_explicit = true;
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view name = rest.substr(0, comma);
        const auto group = feature_group(name);
        if (group.empty()) return fail(fmt::format("unknown feature '{}' (see --list-features)", name));
        o.features.insert(group.begin(), group.end());
        if (auto single = feature_from_name(name)) o.features_named.insert(*single);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (arg == "--profile") {
      if (!need_value() || !find_profile(value)) {
        return fail(fmt::format("unknown --profile '{}' (see --list-profiles)", value));
      }
      o.profile = value;
    } else if (arg == "--list-profiles") {
      o.list_profiles = true;
    } else if (arg == "--level") {
      if (!need_value() || (value != "spec" && value != "compat")) return fail("--level takes spec or compat");
      o.level = value == "spec" ? Level::kSpec : Level::kCompat;
    } else if (arg == "--timeout") {
      int ms = 0;
      if (!need_value() || std::from_chars(value.data(), value.data() + value.size(), ms).ec != std::errc{} ||
          ms <= 0) {
        return fail("--timeout takes a positive number of milliseconds");
      }
      o.timeout = std::chrono::milliseconds(ms);
    } else if (arg == "--max-timeouts") {
      if (!need_value() || !parse_whole_number(value, o.max_timeouts) || o.max_timeouts < 0) {
        return fail("--max-timeouts takes a number of cases (0: never give up on the target)");
      }
    } else if (arg == "--cluster-size") {
      if (!need_value() ||
          std::from_chars(value.data(), value.data() + value.size(), o.cluster_size).ec != std::errc{} ||
          o.cluster_size < 2 || o.cluster_size > 16) {
        return fail("--cluster-size takes a number from 2 to 16");
      }
    } else if (arg == "--report" || arg == "--json" || arg == "--junit" || arg == "--expect-fail" || arg == "--html") {
      if (!need_value() || value.empty()) return fail(fmt::format("{} needs a file name", arg));
      (arg == "--report"  ? o.report_markdown
       : arg == "--json"  ? o.report_json
       : arg == "--junit" ? o.junit
       : arg == "--html"  ? o.report_html
                          : o.expect_fail_file) = value;
    } else {
      return fail(fmt::format("unknown argument '{}'", args[i]));
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
