// CPU lists, the server command with its thread count and pinning, and pinning a thread.
#include <gtest/gtest.h>

#include <sched.h>

#include <thread>

#include "placement.hpp"
#include "workload.hpp"

namespace mcconform::bench {
namespace {

TEST(CpuList, ParsesWhatTasksetWrites) {
  EXPECT_EQ(parse_cpu_list("0"), (std::vector<int>{0}));
  EXPECT_EQ(parse_cpu_list("3,1"), (std::vector<int>{1, 3}));
  EXPECT_EQ(parse_cpu_list("0-2,6"), (std::vector<int>{0, 1, 2, 6}));
  EXPECT_EQ(format_cpu_list({0, 1, 2, 6}), "0-2,6");
  EXPECT_EQ(format_cpu_list({1}), "1");
}

TEST(CpuList, RejectsNonsense) {
  for (const char* bad : {"", "a", "1-", "-1", "2-1", "0,", ",0", "1,,2", "99999"}) {
    EXPECT_FALSE(parse_cpu_list(bad).has_value()) << bad;
  }
}

TEST(ServerCommand, ReplacesThePlaceholderOrAppendsTheFlag) {
  EXPECT_EQ(server_command("memcached -p {port} -t {threads}", 2, {}), "memcached -p {port} -t 2");
  EXPECT_EQ(server_command("mcrefd -p {port}", 1, {}), "mcrefd -p {port} -t 1");
  EXPECT_EQ(server_command("mcrefd -p {port} -t 4", 0, {}), "mcrefd -p {port} -t 4");
  EXPECT_EQ(server_command("mcrefd -p {port}", 1, {0}), "taskset -c 0 mcrefd -p {port} -t 1");
}

TEST(ServerCommand, RefusesTwoThreadCounts) {
  EXPECT_FALSE(server_command_problem("mcrefd -p {port} -t 4", 1).empty());
  EXPECT_FALSE(server_command_problem("mcrefd --threads=4", 1).empty());
  EXPECT_FALSE(server_command_problem("memcached -t {threads}", 0).empty());
  EXPECT_TRUE(server_command_problem("mcrefd -p {port} -t {threads}", 1).empty());
  EXPECT_THROW(server_command("mcrefd -t 4", 2, {}), std::invalid_argument);
}

TEST(BenchOptions, ParsesPlacement) {
  auto parsed = parse_bench_options({"--server-threads", "2", "--client-threads", "3", "--pin-server", "0",
                                     "--pin-client", "1", "--compare", "memcached -p {port} -t {threads}"});
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_EQ(parsed.options.server_threads, 2u);
  EXPECT_EQ(parsed.options.workload.threads, 3u);
  EXPECT_EQ(parsed.options.server_cpus, (std::vector<int>{0}));
  EXPECT_EQ(parsed.options.workload.client_cpus, (std::vector<int>{1}));
}

TEST(BenchOptions, RejectsBadPlacement) {
  EXPECT_FALSE(parse_bench_options({"--pin-server", "x"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--server-threads", "0"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--compare", "memcached -t {threads}"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--server-threads", "1", "--spawn", "mcrefd -t 4"}).error.empty());
  EXPECT_FALSE(parse_bench_options({"--target", "127.0.0.1:11211", "--pin-server", "0"}).error.empty());
}

TEST(Pinning, PinsTheCallingThreadOnly) {
  std::vector<int> allowed;
  std::thread([&allowed] {
    ASSERT_TRUE(pin_this_thread({0}));
    cpu_set_t set;
    CPU_ZERO(&set);
    ASSERT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(cpu, &set)) allowed.push_back(cpu);
    }
  }).join();
  EXPECT_EQ(allowed, (std::vector<int>{0}));
  EXPECT_TRUE(pin_this_thread({}));
}

}  // namespace
}  // namespace mcconform::bench
