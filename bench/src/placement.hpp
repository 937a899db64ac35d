// Where the servers and the load generator run: the server's thread count and CPU pinning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcconform::bench {

// A CPU list as taskset and /proc write it: "0", "1,3", "0-3,6". Nullopt when malformed.
std::optional<std::vector<int>> parse_cpu_list(std::string_view text);
std::string format_cpu_list(const std::vector<int>& cpus);

// The command that starts a server with `threads` worker threads (0: as the command says) on
// `cpus` (empty: anywhere). "{threads}" in the command is replaced by the count; without it,
// "-t N" is appended (memcached's flag, and mcrefd's). Pinning prefixes "taskset -c LIST", so
// every thread the server ever starts inherits it from the first instruction on.
// Throws std::invalid_argument when the two cannot be combined (see server_command_problem).
std::string server_command(const std::string& command, std::size_t threads, const std::vector<int>& cpus);
// Why `command` cannot take --server-threads `threads`, or an empty string.
std::string server_command_problem(const std::string& command, std::size_t threads);

// Pins the calling thread to `cpus` (nothing when empty). False when the kernel refuses.
bool pin_this_thread(const std::vector<int>& cpus);

// What /proc says about a running process: the CPUs its main thread may use, its thread count,
// and the context switches of all its threads so far (voluntary ones are the wake-ups).
struct ProcessPlacement {
  std::string cpus_allowed;
  std::size_t threads = 0;
};
ProcessPlacement placement_of(int pid);
struct ContextSwitches {
  std::uint64_t voluntary = 0, involuntary = 0;
};
ContextSwitches context_switches_of(int pid);

}  // namespace mcconform::bench
