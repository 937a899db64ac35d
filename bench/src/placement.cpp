// Where the servers and the load generator run: the server's thread count and CPU pinning.
#include "placement.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "mcconform/spawned_server.hpp"

namespace mcconform::bench {
namespace {

constexpr std::string_view kThreadsPlaceholder = "{threads}";

bool cpu_number(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out >= 0 && out < CPU_SETSIZE;
}

// The numeric field after `name` in a /proc status file, or 0.
std::uint64_t status_field(const std::string& path, std::string_view name) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(name)) {
      std::uint64_t value = 0;
      const auto start = line.find_first_of("0123456789", name.size());
      if (start != std::string::npos) std::from_chars(line.data() + start, line.data() + line.size(), value);
      return value;
    }
  }
  return 0;
}

}  // namespace

std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
  std::vector<int> cpus;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (comma != std::string_view::npos && text.empty()) return std::nullopt;  // "0,"
    const auto dash = part.find('-');
    int first = 0, last = 0;
    if (!cpu_number(part.substr(0, dash), first)) return std::nullopt;
    last = first;
    if (dash != std::string_view::npos && (!cpu_number(part.substr(dash + 1), last) || last < first)) {
      return std::nullopt;
    }
    for (int cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
  }
  if (cpus.empty()) return std::nullopt;
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

std::string format_cpu_list(const std::vector<int>& cpus) {
  std::string out;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", cpus[i]) : fmt::format("{}-{}", cpus[i], cpus[j]);
    i = j + 1;
  }
  return out;
}

std::string server_command_problem(const std::string& command, std::size_t threads) {
  const bool placeholder = command.find(kThreadsPlaceholder) != std::string::npos;
  if (placeholder && threads == 0) return fmt::format("'{}' has {{threads}}: give --server-threads N", command);
  if (placeholder || threads == 0) return {};
  for (const std::string& word : split_command_line(command)) {
    if (word == "-t" || word.starts_with("--threads") || (word.starts_with("-t") && word.size() > 2)) {
      return fmt::format("'{}' already sets its threads: write -t {{threads}} where the count goes", command);
    }
  }
  return {};
}

std::string server_command(const std::string& command, std::size_t threads, const std::vector<int>& cpus) {
  if (const std::string problem = server_command_problem(command, threads); !problem.empty()) {
    throw std::invalid_argument(problem);
  }
  std::string out = command;
  if (threads > 0) {
    const std::string count = std::to_string(threads);
    bool replaced = false;
    for (auto at = out.find(kThreadsPlaceholder); at != std::string::npos; at = out.find(kThreadsPlaceholder, at)) {
      out.replace(at, kThreadsPlaceholder.size(), count);
      at += count.size();
      replaced = true;
    }
    if (!replaced) out += " -t " + count;
  }
  if (!cpus.empty()) out = fmt::format("taskset -c {} {}", format_cpu_list(cpus), out);
  return out;
}

bool pin_this_thread(const std::vector<int>& cpus) {
  if (cpus.empty()) return true;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof(set), &set) == 0;
}

ProcessPlacement placement_of(int pid) {
  ProcessPlacement p;
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("Cpus_allowed_list:")) {
      p.cpus_allowed = line.substr(line.find_first_not_of(" \t", 18));
    } else if (line.starts_with("Threads:")) {
      p.threads = std::stoul(line.substr(8));
    }
  }
  return p;
}

ContextSwitches context_switches_of(int pid) {
  ContextSwitches total;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid), ec)) {
    const std::string status = (task.path() / "status").string();
    total.voluntary += status_field(status, "voluntary_ctxt_switches:");
    total.involuntary += status_field(status, "nonvoluntary_ctxt_switches:");
  }
  return total;
}

}  // namespace mcconform::bench
