// `mcconform bench`: load a server (or two, alternately) and report throughput and latency.
#include "bench_main.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "load_generator.hpp"
#include "mcconform/connection.hpp"
#include "mcconform/spawned_server.hpp"
#include "mcconform/stats_reply.hpp"
#include "placement.hpp"
#include "workload.hpp"

namespace mcconform::bench {
namespace {

// A server under load: an external address, or a process we started and can look into.
struct Subject {
  std::string label;
  Endpoint endpoint;
  std::unique_ptr<SpawnedServer> process;

  // CPU seconds the server process has used so far (user + system), or -1 if unknown.
  double cpu_seconds() const {
    if (!process) return -1;
    std::ifstream in(fmt::format("/proc/{}/stat", process->pid()));
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; fields >> field; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
      if (i == 15) break;
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  // Context switches of all the server's threads so far; zero when it is not ours.
  ContextSwitches switches() const { return process ? context_switches_of(process->pid()) : ContextSwitches{}; }
  // Peak resident memory of the server in bytes (VmHWM), or 0 if unknown.
  std::uint64_t peak_rss() const {
    if (!process) return 0;
    std::ifstream in(fmt::format("/proc/{}/status", process->pid()));
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
  }
};

StatsMap stats_of(const Endpoint& server) {
  Connection c(server, std::chrono::seconds(5));
  return read_stats(c);
}

std::string micros(std::uint64_t ns) { return fmt::format("{:.0f}us", static_cast<double>(ns) / 1000.0); }

// One timed run of one server. Latencies in nanoseconds; negative figures are unknown.
struct RunFigures {
  double ops = 0, keys = 0, mean = 0, p50 = 0, p99 = 0, p999 = 0, cpu_us = -1, cpu_us_per_key = -1, wakeups = -1,
         preemptions = -1, client_cpu_us = 0, machine_idle = 0;
};

// What the server and the load generator spent so far, and the whole machine's idle time: taken
// before and after a run. On a shared machine the idle share says whether the CPUs were the limit.
struct Costs {
  double server_cpu_seconds = -1;
  ContextSwitches switches;
  double client_cpu_seconds = 0;
  std::uint64_t machine_idle_ticks = 0, machine_ticks = 0;
};

Costs costs_so_far(const Subject& s) {
  Costs c{s.cpu_seconds(), s.switches()};
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  c.client_cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  std::ifstream stat("/proc/stat");
  std::string cpu;
  stat >> cpu;  // "cpu": user nice system idle iowait irq softirq steal ...
  std::uint64_t ticks = 0;
  for (int i = 0; i < 8 && stat >> ticks; ++i) {
    c.machine_ticks += ticks;
    if (i == 3 || i == 4) c.machine_idle_ticks += ticks;
  }
  return c;
}

RunFigures report_run(const Subject& s, const LoadResult& r, const Costs& before, const Costs& after,
                      bool latency_detail) {
  RunFigures f;
  f.ops = static_cast<double>(r.requests) / r.seconds;
  f.keys = static_cast<double>(r.keys_read) / r.seconds;
  f.mean = r.latency.mean();
  f.p50 = static_cast<double>(r.latency.percentile(0.50));
  f.p99 = static_cast<double>(r.latency.percentile(0.99));
  f.p999 = static_cast<double>(r.latency.percentile(0.999));
  const auto requests = static_cast<double>(r.requests);
  if (r.requests > 0) f.client_cpu_us = (after.client_cpu_seconds - before.client_cpu_seconds) * 1e6 / requests;
  const std::uint64_t ticks = after.machine_ticks - before.machine_ticks;
  if (ticks > 0) {
    f.machine_idle =
        static_cast<double>(after.machine_idle_ticks - before.machine_idle_ticks) / static_cast<double>(ticks);
  }
  if (before.server_cpu_seconds >= 0 && r.requests > 0) {
    const double cpu = after.server_cpu_seconds - before.server_cpu_seconds;
    f.cpu_us = cpu * 1e6 / requests;
    if (r.keys_read > 0) f.cpu_us_per_key = cpu * 1e6 / static_cast<double>(r.keys_read);
    f.wakeups = static_cast<double>(after.switches.voluntary - before.switches.voluntary) / requests;
    f.preemptions = static_cast<double>(after.switches.involuntary - before.switches.involuntary) / requests;
  }
  std::cout << fmt::format(
      "  {:<10} {:>10.0f} ops/s {:>11.0f} keys/s  p50 {:>7} p99 {:>7} p99.9 {:>7}  server cpu {}  errors {} wrong "
      "{} misses {}\n",
      s.label, f.ops, f.keys, micros(r.latency.percentile(0.50)), micros(r.latency.percentile(0.99)),
      micros(r.latency.percentile(0.999)), f.cpu_us < 0 ? std::string("n/a") : fmt::format("{:.2f}us/op", f.cpu_us),
      r.errors, r.wrong_values, r.misses);
  std::cout << fmt::format("  {:<10} load generator cpu {:.2f}us/op  machine idle {:.0f}%", "", f.client_cpu_us,
                           f.machine_idle * 100);
  if (f.wakeups >= 0) {
    std::cout << fmt::format("  server context switches per request: {:.3f} voluntary, {:.3f} involuntary", f.wakeups,
                             f.preemptions);
  }
  std::cout << "\n";
  if (latency_detail) {
    std::string line = fmt::format("  {:<10} latency", "");
    for (const double p : {0.01, 0.10, 0.25, 0.50, 0.75, 0.90, 0.99, 0.999, 1.0}) {
      line += fmt::format(" p{} {}", p * 100, micros(r.latency.percentile(p)));
    }
    std::cout << line << fmt::format("  mean {:.0f}us\n", r.latency.mean() / 1000.0);
  }
  if (!r.first_problem.empty()) std::cout << "    first problem: " << r.first_problem << "\n";
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// The median, lowest and highest of a figure over rounds.
struct Spread {
  double median = 0, low = 0, high = 0;
};

Spread spread(const std::vector<double>& v) {
  if (v.empty()) return {};
  return {median(v), *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

// "218357 (217003-227568)", or with a unit and precision: "210us (200-220)".
std::string with_range(const Spread& s, int precision = 0, std::string_view unit = "") {
  return fmt::format("{:.{}f}{} ({:.{}f}-{:.{}f})", s.median, precision, unit, s.low, precision, s.high, precision);
}

std::unique_ptr<Subject> make_subject(const std::string& label, const std::vector<Endpoint>& targets,
                                      const std::string& spawn, const BenchOptions& o) {
  auto s = std::make_unique<Subject>();
  s->label = label;
  if (!targets.empty()) {
    s->endpoint = targets.front();
  } else {
    s->process = std::make_unique<SpawnedServer>(server_command(spawn, o.server_threads, o.server_cpus));
    s->endpoint = s->process->endpoint();
  }
  return s;
}

std::string describe_subject(const Subject& s) {
  if (!s.process) return fmt::format("{}: external {}\n", s.label, s.endpoint.to_string());
  const ProcessPlacement p = placement_of(s.process->pid());
  return fmt::format("{}: {}\n   pid {}, {} threads, allowed CPUs {}\n", s.label, s.process->resolved_command(),
                     s.process->pid(), p.threads, p.cpus_allowed);
}

// Medians over alternating rounds, each with its range, and A's ratio to B with the range of the
// per-round ratios (rounds alternate, so round i of A and of B ran under the same conditions).
// The mean latency comes first: with a fixed number of connections each waiting for its reply, it
// is the connections divided by the throughput (Little's law), so only the percentiles say how
// evenly a server shares its time between connections; a lower p50 with the same mean is a
// longer tail.
void report_comparison(const std::map<std::string, std::vector<RunFigures>>& figures, std::size_t rounds,
                       const Workload& w, const std::string& markdown_row) {
  auto series = [&figures](const std::string& label, double RunFigures::*field) {
    std::vector<double> v;
    for (const auto& f : figures.at(label)) v.push_back(f.*field);
    return v;
  };
  auto ratios = [&](double RunFigures::*field) {
    const auto a = series("A", field), b = series("B", field);
    std::vector<double> v;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) v.push_back(b[i] > 0 ? a[i] / b[i] : 0);
    Spread r = spread(v);
    const double mb = median(b);
    r.median = mb > 0 ? median(a) / mb : 0;
    return r;
  };
  auto us = [&](const std::string& label, double RunFigures::*field) {
    auto v = series(label, field);
    for (double& x : v) x /= 1000.0;
    return spread(v);
  };
  const bool per_key = w.multiget > 1;
  double RunFigures::*const cpu = per_key ? &RunFigures::cpu_us_per_key : &RunFigures::cpu_us;
  const bool known_cpu = median(series("A", cpu)) >= 0 && median(series("B", cpu)) >= 0;
  std::cout << fmt::format("medians over {} rounds (range):\n", rounds);
  std::cout << fmt::format("  {:<3} {:<28} {:<24} {:<24} {:<24} {:<24} {}\n", "", per_key ? "keys/s" : "ops/s",
                           "mean latency", "p50 latency", "p99 latency",
                           per_key ? "server cpu per key" : "server cpu per request", "wake-ups/request");
  for (const std::string label : {"A", "B"}) {
    std::cout << fmt::format("  {:<3} {:<28} {:<24} {:<24} {:<24} {:<24} {}\n", label,
                             with_range(spread(series(label, per_key ? &RunFigures::keys : &RunFigures::ops))),
                             with_range(us(label, &RunFigures::mean), 0, "us"),
                             with_range(us(label, &RunFigures::p50), 0, "us"),
                             with_range(us(label, &RunFigures::p99), 0, "us"),
                             known_cpu ? with_range(spread(series(label, cpu)), 2, "us") : std::string("n/a"),
                             median(series(label, &RunFigures::wakeups)) < 0
                                 ? std::string("n/a")
                                 : fmt::format("{:.3f}", median(series(label, &RunFigures::wakeups))));
  }
  const Spread ops = ratios(&RunFigures::ops), keys = ratios(&RunFigures::keys), mean = ratios(&RunFigures::mean),
               p50 = ratios(&RunFigures::p50), p99 = ratios(&RunFigures::p99), cpu_ratio = ratios(cpu);
  std::cout << fmt::format(
      "ratio A/B: ops/s {}  keys/s {}  mean {}  p50 {}  p99 {}  cpu {}\n"
      "           (throughput above 1 and latency or cpu below 1 favour A)\n",
      with_range(ops, 2), keys.median > 0 ? with_range(keys, 2) : std::string("n/a"), with_range(mean, 2),
      with_range(p50, 2), with_range(p99, 2), known_cpu ? with_range(cpu_ratio, 2) : std::string("n/a"));
  if (markdown_row.empty()) return;
  // | workload | A/B throughput (range) | mean A / B | p50 A / B | p99 A / B | server cpu A / B |
  const Spread& throughput = per_key ? keys : ops;
  std::cout << fmt::format("| {} | {} | {:.0f} / {:.0f} us | {:.0f} / {:.0f} us | {:.0f} / {:.0f} us | {} |\n",
                           markdown_row, with_range(throughput, 2), us("A", &RunFigures::mean).median,
                           us("B", &RunFigures::mean).median, us("A", &RunFigures::p50).median,
                           us("B", &RunFigures::p50).median, us("A", &RunFigures::p99).median,
                           us("B", &RunFigures::p99).median,
                           known_cpu ? fmt::format("{:.2f} / {:.2f} us{}", median(series("A", cpu)),
                                                   median(series("B", cpu)), per_key ? " per key" : "")
                                     : std::string("n/a"));
}

}  // namespace

int bench_main(const std::vector<std::string>& args, const std::string& default_spawn_command) {
  ParsedBenchOptions parsed = parse_bench_options(args);
  if (!parsed.error.empty()) {
    std::cerr << "mcconform bench: " << parsed.error << "\n\n" << bench_usage();
    return 2;
  }
  const BenchOptions& o = parsed.options;
  if (o.help) {
    std::cout << bench_usage();
    return 0;
  }
  const Workload& w = o.workload;
  std::vector<std::unique_ptr<Subject>> subjects;
  try {
    if (!o.server_cpus.empty() && (o.targets.empty() || !o.compare.empty()) && find_program("taskset").empty()) {
      throw std::runtime_error("--pin-server needs taskset (util-linux) on PATH");
    }
    subjects.push_back(make_subject("A", o.targets, o.spawn.empty() ? default_spawn_command : o.spawn, o));
    if (!o.compare.empty()) subjects.push_back(make_subject("B", {}, o.compare, o));
  } catch (const std::exception& e) {
    std::cerr << "mcconform bench: " << e.what() << "\n";
    return 1;
  }
  for (const auto& s : subjects) std::cout << describe_subject(*s);
  bool wrong = false;

  if (w.fill > 0) {
    std::cout << fmt::format("fill: {} times limit_maxbytes with {}-byte values, set only\n", w.fill, w.value_size);
    for (const auto& s : subjects) {
      const auto before = stats_of(s->endpoint);
      const std::uint64_t limit = stat_number(before, "limit_maxbytes");
      const LoadResult r = fill(s->endpoint, w, static_cast<std::uint64_t>(w.fill * static_cast<double>(limit)));
      const auto after = stats_of(s->endpoint);
      const std::uint64_t rss = s->peak_rss();
      std::cout << fmt::format(
          "  {:<10} wrote {} items in {:.1f} s ({:.0f} sets/s)  errors {}  evictions {}  peak RSS {:.1f} MiB = "
          "{:.2f} x limit ({} MiB)\n",
          s->label, r.requests, r.seconds, static_cast<double>(r.requests) / r.seconds, r.errors,
          stat_number(after, "evictions") - stat_number(before, "evictions"), static_cast<double>(rss) / 1048576.0,
          limit ? static_cast<double>(rss) / static_cast<double>(limit) : 0.0, limit / 1048576);
      if (!r.first_problem.empty()) std::cout << "    first problem: " << r.first_problem << "\n";
      wrong = wrong || r.errors > 0;
    }
    return wrong ? 1 : 0;
  }

  std::cout << fmt::format(
      "workload: {} connections x {} threads, pipeline {}, multiget {}, {:.0f}% get, {}-byte values,\n"
      "          {} keys {}, {} s\n",
      w.connections, w.threads, w.pipeline, w.multiget, w.get_ratio * 100, w.value_size, w.keys,
      w.zipf ? "zipf" : "uniform", w.seconds);
  std::cout << fmt::format(
      "placement: server threads {}, server {}; client {} threads, {}\n",
      o.server_threads > 0 ? std::to_string(o.server_threads) : std::string("as its command says"),
      o.server_cpus.empty() ? std::string("not pinned") : "pinned to CPUs " + format_cpu_list(o.server_cpus), w.threads,
      w.client_cpus.empty() ? std::string("not pinned") : "pinned to CPUs " + format_cpu_list(w.client_cpus));
  for (const auto& s : subjects) {
    if (!w.prefill) continue;
    const LoadResult r = prefill(s->endpoint, w);
    if (r.errors > 0) {
      std::cout << fmt::format("  prefill of {} failed: {}\n", s->label, r.first_problem);
      return 1;
    }
  }
  std::map<std::string, std::vector<RunFigures>> figures;
  const std::size_t rounds = subjects.size() > 1 ? o.rounds : 1;
  for (std::size_t round = 1; round <= rounds; ++round) {
    if (rounds > 1) std::cout << fmt::format("round {}\n", round);
    for (const auto& s : subjects) {
      const Costs before = costs_so_far(*s);
      const LoadResult r = run_load(s->endpoint, w);
      const Costs after = costs_so_far(*s);
      figures[s->label].push_back(report_run(*s, r, before, after, o.latency_detail));
      wrong = wrong || r.errors > 0 || r.wrong_values > 0;
    }
  }
  if (subjects.size() > 1) report_comparison(figures, rounds, w, o.markdown_row);
  if (wrong) std::cout << "mcconform bench: the server returned wrong replies (see above)\n";
  return wrong ? 1 : 0;
}

}  // namespace mcconform::bench
