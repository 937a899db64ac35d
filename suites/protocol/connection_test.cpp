// Connections: quit, several clients sharing data, a client vanishing mid-request.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Connections : public ProtocolTest {};

MC_TEST(Connections, QuitClosesTheConnection, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Other commands (quit)", .checks = "quit makes the server close the connection") {
  conn().send("quit\r\n");
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

MC_TEST(Connections, QuitAnswersEarlierPipelinedCommandsFirst, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Other commands (quit)",
        .checks =
            "commands pipelined before quit are answered, then the connection closes and the command after quit is not "
            "answered") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1\r\nx\r\nget {}\r\nquit\r\nget {}\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "x")));
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

MC_TEST(Connections, WritesAreSeenByOtherConnections, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks = "a set on one connection is read and deleted from another, and the delete is seen by the first") {
  const auto k = key();
  Connection& other = open_connection();
  ASSERT_TRUE(store(k, "shared"));
  other.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(other.expect(value_reply(k, "shared")));
  other.send(fmt::format("delete {}\r\n", k));
  EXPECT_TRUE(other.expect("DELETED\r\n"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("END\r\n"));
  EXPECT_TRUE(other.expect_sentinel());
}

MC_TEST(Connections, ClientVanishingMidValueDisturbsNoOne, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks =
            "a client closing the connection in the middle of a data block stores nothing: the key keeps its value for "
            "others") {
  const auto k = key();
  ASSERT_TRUE(store(k, "intact"));
  Connection& doomed = open_connection();
  doomed.send(fmt::format("set {} 0 0 100\r\nonly part of the value", k));
  doomed.abort();
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "intact")));
}

MC_TEST(Connections, ClientVanishingMidLineDisturbsNoOne, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks = "a client closing the connection in the middle of a command line leaves the server serving others") {
  Connection& doomed = open_connection();
  doomed.send("get half-a-comm");
  doomed.abort();
  const auto k = key();
  EXPECT_TRUE(store(k, "v"));
}

MC_TEST(Connections, ManyConnectionsAtOnce, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks = "20 connections open at once each store a value and read another's") {
  std::vector<Connection*> clients;
  for (int i = 0; i < 20; ++i) clients.push_back(&open_connection());
  for (std::size_t i = 0; i < clients.size(); ++i) {
    clients[i]->send(fmt::format("set {} 0 0 1\r\n{}\r\n", key(fmt::format("c{}", i)), i % 10));
  }
  for (auto* c : clients) ASSERT_TRUE(c->expect("STORED\r\n"));
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const auto k = key(fmt::format("c{}", (i + 1) % clients.size()));
    clients[i]->send(fmt::format("get {}\r\n", k));
    EXPECT_TRUE(clients[i]->expect(value_reply(k, std::to_string(((i + 1) % clients.size()) % 10))));
  }
}

}  // namespace
}  // namespace mcconform::suites
