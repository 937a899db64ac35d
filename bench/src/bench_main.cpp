// `mcconform bench`: load a server (or two, alternately) and report throughput and latency.
#include "bench_main.hpp"

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

struct RunFigures {
  double ops = 0, keys = 0, p50 = 0, p99 = 0, p999 = 0, cpu_us = -1;
};

RunFigures report_run(const Subject& s, const LoadResult& r, double cpu_used) {
  RunFigures f;
  f.ops = static_cast<double>(r.requests) / r.seconds;
  f.keys = static_cast<double>(r.keys_read) / r.seconds;
  f.p50 = static_cast<double>(r.latency.percentile(0.50));
  f.p99 = static_cast<double>(r.latency.percentile(0.99));
  f.p999 = static_cast<double>(r.latency.percentile(0.999));
  if (cpu_used >= 0 && r.requests > 0) f.cpu_us = cpu_used * 1e6 / static_cast<double>(r.requests);
  std::cout << fmt::format(
      "  {:<10} {:>10.0f} ops/s {:>11.0f} keys/s  p50 {:>7} p99 {:>7} p99.9 {:>7}  server cpu {}  errors {} wrong "
      "{} misses {}\n",
      s.label, f.ops, f.keys, micros(r.latency.percentile(0.50)), micros(r.latency.percentile(0.99)),
      micros(r.latency.percentile(0.999)), f.cpu_us < 0 ? std::string("n/a") : fmt::format("{:.2f}us/op", f.cpu_us),
      r.errors, r.wrong_values, r.misses);
  if (!r.first_problem.empty()) std::cout << "    first problem: " << r.first_problem << "\n";
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::unique_ptr<Subject> make_subject(const std::string& label, const std::vector<Endpoint>& targets,
                                      const std::string& spawn) {
  auto s = std::make_unique<Subject>();
  s->label = label;
  if (!targets.empty()) {
    s->endpoint = targets.front();
  } else {
    s->process = std::make_unique<SpawnedServer>(spawn);
    s->endpoint = s->process->endpoint();
  }
  return s;
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
    subjects.push_back(make_subject("A", o.targets, o.spawn.empty() ? default_spawn_command : o.spawn));
    if (!o.compare.empty()) subjects.push_back(make_subject("B", {}, o.compare));
  } catch (const std::exception& e) {
    std::cerr << "mcconform bench: " << e.what() << "\n";
    return 1;
  }
  for (const auto& s : subjects) {
    std::cout << fmt::format("{}: {}\n", s->label,
                             s->process ? s->process->resolved_command() : "external " + s->endpoint.to_string());
  }
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
      const double cpu_before = s->cpu_seconds();
      const LoadResult r = run_load(s->endpoint, w);
      const double cpu_after = s->cpu_seconds();
      figures[s->label].push_back(report_run(*s, r, cpu_before >= 0 ? cpu_after - cpu_before : -1));
      wrong = wrong || r.errors > 0 || r.wrong_values > 0;
    }
  }
  if (subjects.size() > 1) {
    auto series = [&figures](const std::string& label, double RunFigures::*field) {
      std::vector<double> v;
      for (const auto& f : figures[label]) v.push_back(f.*field);
      return v;
    };
    std::cout << "medians over " << rounds << " rounds:\n";
    for (const auto& s : subjects) {
      const auto ops = series(s->label, &RunFigures::ops);
      std::cout << fmt::format(
          "  {:<10} ops/s {:.0f} (range {:.0f}-{:.0f})  keys/s {:.0f}  p99 {:.0f}us  server cpu {:.2f}us/op\n",
          s->label, median(ops), *std::min_element(ops.begin(), ops.end()), *std::max_element(ops.begin(), ops.end()),
          median(series(s->label, &RunFigures::keys)), median(series(s->label, &RunFigures::p99)) / 1000.0,
          median(series(s->label, &RunFigures::cpu_us)));
    }
    const double a = median(series("A", &RunFigures::ops)), b = median(series("B", &RunFigures::ops));
    const double ka = median(series("A", &RunFigures::keys)), kb = median(series("B", &RunFigures::keys));
    std::cout << fmt::format("ratio A/B: ops/s {:.2f}  keys/s {:.2f}\n", b > 0 ? a / b : 0, kb > 0 ? ka / kb : 0);
  }
  if (wrong) std::cout << "mcconform bench: the server returned wrong replies (see above)\n";
  return wrong ? 1 : 0;
}

}  // namespace mcconform::bench
