// mcrefd's command line: memcached's flags accepted, bad ones refused with usage and status 2.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "server/config.hpp"

namespace mcrefd::server {
namespace {

ParsedCommandLine parse(std::vector<std::string> args) {
  args.insert(args.begin(), "mcrefd");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

TEST(CommandLine, MemcachedStyleFlags) {
  auto parsed = parse({"-p", "-1", "-l", "127.0.0.1", "-t", "2", "-m", "128", "-c", "50", "-I", "2m", "-U", "0", "-u",
                       "root", "-vv", "-o", "idle_timeout=5"});
  ASSERT_TRUE(parsed.config);
  EXPECT_EQ(parsed.config->port, -1);
  EXPECT_EQ(parsed.config->threads, 2);
  EXPECT_EQ(parsed.config->memory_limit_mb, 128u);
  EXPECT_EQ(parsed.config->max_connections, 50u);
  EXPECT_EQ(parsed.config->item_size_max, 2u * 1024 * 1024);
  EXPECT_EQ(parsed.config->verbosity, 2);
  EXPECT_EQ(parsed.config->idle_timeout_seconds, 5u);
}

TEST(CommandLine, AttachedValues) {
  auto parsed = parse({"-p12345", "-t4"});
  ASSERT_TRUE(parsed.config);
  EXPECT_EQ(parsed.config->port, 12345);
}

TEST(CommandLine, BadFlagPrintsUsageAndExitsTwo) {
  for (auto args : std::vector<std::vector<std::string>>{{"-Z"}, {"-p", "abc"}, {"-t"}, {"-U", "11211"}}) {
    auto parsed = parse(args);
    EXPECT_FALSE(parsed.config);
    EXPECT_EQ(parsed.exit_code, 2);
    EXPECT_NE(parsed.message.find("usage:"), std::string::npos);
  }
}

TEST(CommandLine, BindingProtocolAsMemcachedsDashB) {
  EXPECT_EQ(parse({}).config->protocols, protocol::Protocols::kAuto);
  EXPECT_EQ(parse({"-B", "binary"}).config->protocols, protocol::Protocols::kBinary);
  EXPECT_EQ(parse({"-Bascii"}).config->protocols, protocol::Protocols::kText);
  EXPECT_EQ(parse({"--protocol=auto"}).config->protocols, protocol::Protocols::kAuto);
  EXPECT_FALSE(parse({"-B", "udp"}).config);
}

// Each `-o` option alone: no configuration, and exit status 2 (usage).
void expect_rejected_extended_options(std::initializer_list<const char*> options) {
  for (const char* bad : options) {
    auto parsed = parse({"-o", bad});
    EXPECT_FALSE(parsed.config) << bad;
    EXPECT_EQ(parsed.exit_code, 2) << bad;
  }
}

TEST(CommandLine, YieldWhenBusyIsAnExtendedOption) {
  EXPECT_EQ(parse({}).config->yield_microseconds, 100u);
  EXPECT_EQ(parse({"-o", "yield_us=0"}).config->yield_microseconds, 0u);
  EXPECT_EQ(parse({"-o", "poll_us=40,yield_us=250"}).config->yield_microseconds, 250u);
  expect_rejected_extended_options({"yield_us=", "yield_us=-1", "yield_us=2000000", "yield_us=1ms"});
}

TEST(CommandLine, PollBeforeSleepIsAnExtendedOption) {
  EXPECT_EQ(parse({}).config->poll_microseconds, 50u);
  EXPECT_EQ(parse({"-o", "poll_us=0"}).config->poll_microseconds, 0u);
  EXPECT_EQ(parse({"-o", "idle_timeout=5,poll_us=40"}).config->poll_microseconds, 40u);
  expect_rejected_extended_options({"poll_us=", "poll_us=-1", "poll_us=2000000", "poll_us=5x"});
}

TEST(CommandLine, HelpExitsZero) {
  auto parsed = parse({"-h"});
  EXPECT_FALSE(parsed.config);
  EXPECT_EQ(parsed.exit_code, 0);
}

}  // namespace
}  // namespace mcrefd::server
