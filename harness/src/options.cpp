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

}  // namespace

std::string usage_text() {
  return "usage: mcconform [options] [GoogleTest flags]\n"
         "Runs the memcached conformance suites and prints a conformance matrix.\n"
         "\n"
         "Target (default: spawn the built mcrefd on a free loopback port):\n"
         "  --target HOST:PORT[,HOST:PORT...]  test a running server; a list is a cluster\n"
         "                                     (also MCCONFORM_TARGET)\n"
         "  --spawn 'COMMAND {port}'           start this server for the run; {port} becomes a free port\n"
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
      auto list = parse_endpoint_list(value);
      if (!list) return fail(fmt::format("bad --target '{}': expected HOST:PORT[,HOST:PORT...]", value));
      o.targets = *list;
    } else if (arg == "--spawn") {
      if (!need_value() || value.empty()) return fail("--spawn needs a command");
      o.spawn_command = value;
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
    } else if (arg == "--report" || arg == "--json" || arg == "--junit" || arg == "--expect-fail") {
      if (!need_value() || value.empty()) return fail(fmt::format("{} needs a file name", arg));
      (arg == "--report"  ? o.report_markdown
       : arg == "--json"  ? o.report_json
       : arg == "--junit" ? o.junit
                          : o.expect_fail_file) = value;
    } else {
      return fail(fmt::format("unknown argument '{}'", args[i]));
    }
  }
  if (o.list_cases && !o.report_json.empty()) o.list_cases_json = true;
  if (o.list_cases_json && !o.list_cases) return fail("--json needs a file name");
  if (!o.targets.empty() && !o.spawn_command.empty()) return fail("--target and --spawn exclude each other");
  if (o.targets.empty() && o.spawn_command.empty() && env_target != nullptr && *env_target != '\0') {
    auto list = parse_endpoint_list(env_target);
    if (!list) return fail(fmt::format("bad MCCONFORM_TARGET '{}'", env_target));
    o.targets = *list;
  }
  return parsed;
}

}  // namespace mcconform
