// Spawning a server: start, the port it answers on, death reports, restarts.
#include <gtest/gtest.h>

#include <chrono>

#include "fake_server.hpp"
#include "mcconform/connection.hpp"
#include "mcconform/spawned_server.hpp"

namespace mcconform {
namespace {

using namespace std::chrono_literals;
using testing_support::FakeServer;

TEST(SpawnedServer, StartsAnswersAndStops) {
  SpawnedServer server(std::string(MCCONFORM_BUILD_MCREFD) + " -p {port} -l 127.0.0.1 -U 0");
  Connection c(server.endpoint(), 1s);
  c.send("version\r\n");
  EXPECT_TRUE(c.read_until("\r\n").starts_with("VERSION "));
  server.stop();
  EXPECT_FALSE(server.running());
  auto report = server.death_report();
  ASSERT_TRUE(report);
  EXPECT_NE(report->find("exited with status 0"), std::string::npos) << *report;
}

TEST(SpawnedServer, PortFileModeWithoutPlaceholder) {
  SpawnedServer server(std::string(MCCONFORM_BUILD_MCREFD) + " -p -1 -l 127.0.0.1");
  EXPECT_GT(server.endpoint().port, 0);
  Connection c(server.endpoint(), 1s);
  c.send("get nothing\r\n");
  EXPECT_TRUE(c.expect("END\r\n"));
}

TEST(SpawnedServer, ACrashIsReportedWithTheSignal) {
  SpawnedServer server(std::string(MCCONFORM_BUILD_MCREFD) + " -p {port} -l 127.0.0.1");
  server.kill_hard();
  auto report = server.death_report();
  ASSERT_TRUE(report);
  EXPECT_NE(report->find("killed by signal 9"), std::string::npos) << *report;
}

TEST(SpawnedServer, RestartKeepsThePort) {
  SpawnedServer server(std::string(MCCONFORM_BUILD_MCREFD) + " -p {port} -l 127.0.0.1");
  const int port = server.endpoint().port;
  server.stop();
  server.start();
  EXPECT_EQ(server.endpoint().port, port);
  Connection c(server.endpoint(), 1s);
}

TEST(SpawnedServer, AServerThatExitsAtOnceFailsWithItsStderr) {
  try {
    SpawnedServer server(std::string(MCCONFORM_BUILD_MCREFD) + " -p {port} --no-such-flag");
    FAIL() << "start-up should have failed";
  } catch (const SpawnError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("exited with status 2"), std::string::npos) << what;
    EXPECT_NE(what.find("unknown option"), std::string::npos) << what;
  }
}

TEST(SpawnedServer, MissingProgramIsAClearError) {
  EXPECT_THROW(SpawnedServer("/nonexistent/server -p {port}"), SpawnError);
}

TEST(SpawnedServer, AnotherProcessAnsweringOnThePortIsAClearStartUpError) {
  // Something already listens on the port, and its stats pid is not the child's.
  FakeServer stranger([](int fd, const std::string& received) {
    if (received.find("stats\r\n") != std::string::npos) FakeServer::write_all(fd, "STAT pid 1\r\nEND\r\n");
    return true;
  });
  try {
    auto server = SpawnedServer::on_fixed_port("sleep 30", stranger.endpoint().port, 2s);
    FAIL() << "start-up should have failed";
  } catch (const SpawnError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("another process answers on 127.0.0.1:"), std::string::npos) << what;
    EXPECT_NE(what.find("its stats pid is 1"), std::string::npos) << what;
  }
}

TEST(SpawnedServer, AServerStartedThroughAWrapperIsStillOurs) {
  // The shell starts the server in the background, so the server is the child's child; the
  // shell passes its SIGTERM on, so stopping the child stops the server too.
  SpawnedServer server("sh -c '" + std::string(MCCONFORM_BUILD_MCREFD) +
                       " -p {port} -l 127.0.0.1 -U 0 & trap \"kill $!\" TERM; wait'");
  Connection c(server.endpoint(), 1s);
  c.send("get nothing\r\n");
  EXPECT_TRUE(c.expect("END\r\n"));
}

TEST(CommandLine, SplitHonoursQuotes) {
  EXPECT_EQ(split_command_line("a 'b c' \"d e\"  f"), (std::vector<std::string>{"a", "b c", "d e", "f"}));
}

}  // namespace
}  // namespace mcconform
