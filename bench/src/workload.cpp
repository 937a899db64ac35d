// What a benchmark run does: the traffic shape, and the knobs on the command line.
#include "workload.hpp"

#include <charconv>

#include <fmt/format.h>

#include "mcconform/command_line.hpp"
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
         "  --protocol text|meta         text (default): get and set; meta: mg <key> k v (a multi-get sends\n"
         "                               one mg ... q per key, then mn) and ms <key> <bytes>\n"
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

// A validator of a decimal number that `ok` accepts; `what` says what is expected.
CLI::Validator decimal(bool (*ok)(double), std::string_view what) {
  return CLI::Validator(
      [ok, what = std::string(what)](std::string& text) -> std::string {
        double x = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !ok(x))
          return fmt::format("'{}' is not {}", text, what);
        return {};
      },
      "NUMBER");
}

CLI::Validator cpu_list() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return parse_cpu_list(text) ? std::string() : fmt::format("'{}' is not a CPU list (e.g. 0 or 0-1,3)", text);
      },
      "CPULIST");
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
  CLI::App app{"", "mcconform bench"};
  follow_conventions(app);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // the last one given wins
  std::string target, distribution = "uniform", pin_server, pin_client, protocol = "text";
  app.add_flag("-h,--help", o.help);
  app.add_flag("--no-prefill", [&w](std::int64_t) { w.prefill = false; });
  app.add_flag("--latency-detail", o.latency_detail);
  app.add_option("--target", target);
  app.add_option("--spawn", o.spawn);
  app.add_option("--compare", o.compare);
  app.add_option("--rounds", o.rounds)->check(whole_number(1));
  app.add_option("--connections", w.connections)->check(whole_number(1));
  app.add_option("--threads,--client-threads", w.threads)->check(whole_number(1));
  app.add_option("--pipeline", w.pipeline)->check(whole_number(1));
  app.add_option("--multiget", w.multiget)->check(whole_number(1, 100));
  app.add_option("--get-ratio", w.get_ratio)
      ->check(decimal([](double x) { return x >= 0 && x <= 1; }, "a ratio from 0 to 1"));
  app.add_option("--value-size", w.value_size)->check(whole_number(0, kMaxValueSize));
  app.add_option("--keys", w.keys)->check(whole_number(1));
  app.add_option("--distribution", distribution)->check(CLI::IsMember({"uniform", "zipf"}));
  app.add_option("--protocol", protocol)->check(CLI::IsMember({"text", "meta"}));
  app.add_option("--duration", w.seconds)
      ->check(decimal([](double x) { return x > 0; }, "a number of seconds above 0"));
  app.add_option("--fill", w.fill)
      ->check(decimal([](double x) { return x > 0; }, "a multiple of the memory limit above 0"));
  app.add_option("--server-threads", o.server_threads)->check(whole_number(1, 256));
  app.add_option("--pin-server", pin_server)->check(cpu_list());
  app.add_option("--pin-client", pin_client)->check(cpu_list());
  app.add_option("--markdown-row", o.markdown_row);
  if (std::string error = parse_command_line(app, args); !error.empty()) return fail(error);

  w.zipf = distribution == "zipf";
  w.meta = protocol == "meta";
  if (!target.empty()) {
    auto list = parse_endpoint_list(target);
    if (!list) return fail(fmt::format("bad --target '{}': expected HOST:PORT[,HOST:PORT...]", target));
    o.targets = *list;
  }
  if (!pin_server.empty()) o.server_cpus = *parse_cpu_list(pin_server);
  if (!pin_client.empty()) w.client_cpus = *parse_cpu_list(pin_client);
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
