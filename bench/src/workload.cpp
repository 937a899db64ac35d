// What a benchmark run does: the traffic shape, and the knobs on the command line.
#include "workload.hpp"

#include <charconv>

#include <fmt/format.h>

#include "placement.hpp"

namespace mcconform::bench {

std::string bench_usage() {
  return "usage: mcconform bench [options]\n"
         "Loads a server and reports ops/s, keys/s and latency percentiles; every value read is checked.\n"
         "  --target HOST:PORT | --spawn 'COMMAND {port}'   what to load (default: spawn the built mcrefd)\n"
         "  --compare 'COMMAND {port}'   also spawn this server; run both alternately and compare medians\n"
         "  --rounds N                   alternations for --compare (default 3)\n"
         "  --connections N (50)  --threads N (2)  --pipeline N (1)  --multiget N (1)\n"
         "  --get-ratio F (0.9)   --value-size BYTES (100)  --keys N (10000)  --distribution uniform|zipf\n"
         "  --duration SECONDS (5)  --no-prefill\n"
         "  --fill X                     write X times the server's limit_maxbytes once (set only) and report\n"
         "                               evictions and the server's peak resident memory\n"
         "Placement (client and server threads are chosen separately):\n"
         "  --client-threads N           the load generator's threads (same as --threads)\n"
         "  --server-threads N           worker threads of every spawned server: replaces {threads} in\n"
         "                               --spawn/--compare, or appends '-t N' when there is none\n"
         "  --pin-server CPULIST         run spawned servers on these CPUs (taskset -c CPULIST), e.g. 0\n"
         "  --pin-client CPULIST         run the load threads on these CPUs (sched_setaffinity), e.g. 1\n"
         "  --markdown-row LABEL         with --compare, also print the medians as a markdown table row\n"
         "  --latency-detail             print each run's latency distribution (p1 to max, and the mean)\n";
}

namespace {

template <typename T>
bool number(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

ParsedBenchOptions parse_bench_options(const std::vector<std::string>& args) {
  ParsedBenchOptions parsed;
  BenchOptions& o = parsed.options;
  Workload& w = o.workload;
  auto fail = [&parsed](std::string why) {
    parsed.error = std::move(why);
    return parsed;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      continue;
    }
    if (arg == "--no-prefill") {
      w.prefill = false;
      continue;
    }
    if (arg == "--latency-detail") {
      o.latency_detail = true;
      continue;
    }
    if (i + 1 >= args.size()) return fail(fmt::format("{} needs a value (or is unknown)", arg));
    const std::string& v = args[++i];
    bool ok = true;
    if (arg == "--target") {
      auto list = parse_endpoint_list(v);
      ok = list.has_value();
      if (ok) o.targets = *list;
    } else if (arg == "--spawn") {
      o.spawn = v;
    } else if (arg == "--compare") {
      o.compare = v;
    } else if (arg == "--rounds") {
      ok = number(v, o.rounds) && o.rounds >= 1;
    } else if (arg == "--connections") {
      ok = number(v, w.connections) && w.connections >= 1;
    } else if (arg == "--threads" || arg == "--client-threads") {
      ok = number(v, w.threads) && w.threads >= 1;
    } else if (arg == "--pipeline") {
      ok = number(v, w.pipeline) && w.pipeline >= 1;
    } else if (arg == "--multiget") {
      ok = number(v, w.multiget) && w.multiget >= 1 && w.multiget <= 100;
    } else if (arg == "--get-ratio") {
      ok = number(v, w.get_ratio) && w.get_ratio >= 0 && w.get_ratio <= 1;
    } else if (arg == "--value-size") {
      ok = number(v, w.value_size) && w.value_size <= kMaxValueSize;
    } else if (arg == "--keys") {
      ok = number(v, w.keys) && w.keys >= 1;
    } else if (arg == "--distribution") {
      ok = v == "uniform" || v == "zipf";
      w.zipf = v == "zipf";
    } else if (arg == "--duration") {
      ok = number(v, w.seconds) && w.seconds > 0;
    } else if (arg == "--fill") {
      ok = number(v, w.fill) && w.fill > 0;
    } else if (arg == "--server-threads") {
      ok = number(v, o.server_threads) && o.server_threads >= 1 && o.server_threads <= 256;
    } else if (arg == "--pin-server" || arg == "--pin-client") {
      const auto cpus = parse_cpu_list(v);
      ok = cpus.has_value();
      if (ok) (arg == "--pin-server" ? o.server_cpus : w.client_cpus) = *cpus;
    } else if (arg == "--markdown-row") {
      o.markdown_row = v;
    } else {
      return fail(fmt::format("unknown argument '{}'", arg));
    }
    if (!ok) return fail(fmt::format("bad value '{}' for {}", v, arg));
  }
  if (!o.targets.empty() && !o.spawn.empty()) return fail("--target and --spawn exclude each other");
  if (!o.targets.empty() && o.compare.empty() && (o.server_threads > 0 || !o.server_cpus.empty())) {
    return fail("--server-threads and --pin-server apply to spawned servers, not to --target");
  }
  for (const std::string* command : {&o.spawn, &o.compare}) {
    if (const std::string problem = server_command_problem(*command, o.server_threads); !problem.empty()) {
      return fail(problem);
    }
  }
  if (w.threads > w.connections) w.threads = w.connections;
  return parsed;
}

std::string key_name(std::size_t index) { return fmt::format("bench:{}", index); }

// Values are windows into one long "abc...zabc..." cycle, starting where the key says: a value
// returned under the wrong key is caught, and checking one is a memcmp.
std::string_view expected_value(std::size_t index, std::size_t size) {
  static const std::string cycle = [] {
    std::string text(kMaxValueSize + 26, '\0');
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
    return text;
  }();
  return std::string_view(cycle).substr((index * 7) % 26, size);
}

void fill_value(std::size_t index, char* out, std::size_t size) {
  const std::string_view value = expected_value(index, size);
  std::copy(value.begin(), value.end(), out);
}

}  // namespace mcconform::bench
