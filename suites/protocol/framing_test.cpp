// Framing: pipelines, requests split at every byte, one byte at a time, bare LF, big replies.
#include <numeric>

#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Framing : public ProtocolTest {};

MC_TEST(
    Framing, ManyCommandsInOneWriteAnswerInOrder, .feature = Feature::kFraming, .level = Level::kSpec,
    .spec = "protocol.txt: Protocol",
    .checks =
        "set, get, add, multi-get, delete and get sent in one write are answered one after another, in request order") {
  const auto a = key("a"), b = key("b");
  conn().send(fmt::format("set {} 0 0 1\r\n1\r\nget {}\r\nadd {} 0 0 1\r\n2\r\nget {} {}\r\ndelete {}\r\nget {}\r\n", a,
                          a, b, a, b, a, a));
  EXPECT_TRUE(
      conn().expect(fmt::format("STORED\r\nVALUE {} 0 1\r\n1\r\nEND\r\nSTORED\r\nVALUE {} 0 1\r\n1\r\n"
                                "VALUE {} 0 1\r\n2\r\nEND\r\nDELETED\r\nEND\r\n",
                                a, a, b)));
}

MC_TEST(Framing, HundredsOfPipelinedRequests, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks = "300 set and get pairs in one write get their 600 replies, in order") {
  std::string batch, expected;
  for (int i = 0; i < 300; ++i) {
    const auto k = key(fmt::format("k{}", i));
    batch += fmt::format("set {} 0 0 {}\r\n{}\r\nget {}\r\n", k, std::to_string(i).size(), i, k);
    expected += "STORED\r\n" + value_reply(k, std::to_string(i));
  }
  conn().send(batch);
  EXPECT_TRUE(conn().expect(expected));
}

MC_TEST(
    Framing, OneByteAtATime, .feature = Feature::kFraming, .level = Level::kSpec, .spec = "protocol.txt: Protocol",
    .checks =
        "a set (value containing \\r\\n) and a gets sent one byte per write are answered exactly as if sent whole") {
  const auto k = key();
  conn().send_byte_by_byte(fmt::format("set {} 3 0 4\r\nab\r\n\r\ngets {} {}\r\n", k, key("missing"), k));
  const std::string header = conn().read_until("\r\n");
  EXPECT_TRUE(header.starts_with("STORED\r\n")) << header;
  EXPECT_TRUE(conn().read_until("\r\n").starts_with(fmt::format("VALUE {} 3 4 ", k)));
  EXPECT_TRUE(conn().expect("ab\r\n\r\nEND\r\n"));
}

MC_TEST(Framing, BareLineFeedEndsACommandLine, .feature = Feature::kFraming, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a command line ending in a bare \"\\n\" is accepted like one ending in \"\\r\\n\"") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1\nx\r\nget {}\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "x")));
}

MC_TEST(Framing, LargeMultiGetReply, .feature = Feature::kFraming, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks = "a get of 20 values of 100 KiB returns all 2 MB of the reply intact") {
  std::string request = "get", expected;
  const std::string value(100 * 1024, 'z');
  for (int i = 0; i < 20; ++i) {
    const auto k = key(fmt::format("big{}", i));
    ASSERT_TRUE(store(k, value));
    request += " " + k;
    expected += fmt::format("VALUE {} 0 {}\r\n{}\r\n", k, value.size(), value);
  }
  conn().send(request + "\r\n");
  EXPECT_TRUE(conn().expect(expected + "END\r\n"));
}

MC_TEST(
    Framing, ValueSentInManySmallPieces, .feature = Feature::kFraming, .level = Level::kSpec,
    .spec = "protocol.txt: Protocol",
    .checks = "a 5000-byte value full of \"\\n\", sent in writes of 333 bytes, is stored and read back byte for byte") {
  const auto k = key();
  std::string value(5000, 'p');
  for (std::size_t i = 0; i < value.size(); i += 7) value[i] = '\n';
  const std::string request = fmt::format("set {} 0 0 {}\r\n{}\r\n", k, value.size(), value);
  std::vector<std::size_t> cuts;
  for (std::size_t at = 1; at < request.size(); at += 333) cuts.push_back(at);
  conn().send_split(request, cuts);
  ASSERT_TRUE(conn().expect("STORED\r\n"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

// Every request kind, split into two writes at every byte boundary: the reply never changes.
struct SplitCase {
  const char* name;
  std::string (*request)(const std::string& key);
  std::string (*reply)(const std::string& key);
  Feature feature;
};

const SplitCase kSplitCases[] = {
    {"Set", [](const std::string& k) { return fmt::format("set {} 5 0 3\r\nabc\r\n", k); },
     [](const std::string&) { return std::string("STORED\r\n"); }, Feature::kCore},
    {"SetThenGet", [](const std::string& k) { return fmt::format("set {} 0 0 2\r\n\r\n\r\nget {}\r\n", k, k); },
     [](const std::string& k) { return fmt::format("STORED\r\nVALUE {} 0 2\r\n\r\n\r\nEND\r\n", k); }, Feature::kCore},
    {"MultiGet", [](const std::string& k) { return fmt::format("get {} {}2 {}3\r\n", k, k, k); },
     [](const std::string&) { return std::string("END\r\n"); }, Feature::kCore},
    {"Delete", [](const std::string& k) { return fmt::format("delete {}\r\n", k); },
     [](const std::string&) { return std::string("NOT_FOUND\r\n"); }, Feature::kCore},
    {"Cas", [](const std::string& k) { return fmt::format("cas {} 0 0 1 99\r\nx\r\n", k); },
     [](const std::string&) { return std::string("NOT_FOUND\r\n"); }, Feature::kCore},
    {"NoreplyThenGet",
     [](const std::string& k) { return fmt::format("set {} 0 0 1 noreply\r\nq\r\nget {}\r\n", k, k); },
     [](const std::string& k) { return fmt::format("VALUE {} 0 1\r\nq\r\nEND\r\n", k); }, Feature::kCore},
    {"Append", [](const std::string& k) { return fmt::format("append {} 0 0 2\r\nzz\r\n", k); },
     [](const std::string&) { return std::string("NOT_STORED\r\n"); }, Feature::kStorage},
    {"Incr", [](const std::string& k) { return fmt::format("set {} 0 0 2\r\n41\r\nincr {} 1\r\n", k, k); },
     [](const std::string&) { return std::string("STORED\r\n42\r\n"); }, Feature::kArith},
    {"Touch", [](const std::string& k) { return fmt::format("touch {} 10\r\n", k); },
     [](const std::string&) { return std::string("NOT_FOUND\r\n"); }, Feature::kTouch},
    {"Unknown", [](const std::string& k) { return fmt::format("nonsense {}\r\n", k); },
     [](const std::string&) { return std::string("ERROR\r\n"); }, Feature::kErrors},
};

class FramingSplit : public ProtocolTest, public ::testing::WithParamInterface<SplitCase> {};

MC_TEST_P(FramingSplit, EveryTwoWaySplitGivesTheSameReply, .feature = Feature::kFraming, .level = Level::kSpec,
          .spec = "protocol.txt: Protocol",
          .checks =
              "each request kind (set, set+get, multi-get, delete, cas, noreply+get, append, incr, touch, unknown), "
              "split into two writes at every byte, gets the same reply as when sent whole") {
  const SplitCase& c = GetParam();
  // Each split uses its own key, so earlier splits cannot change later replies.
  for (std::size_t cut = 1;; ++cut) {
    const auto k = key(fmt::format("s{}", cut));
    const std::string request = c.request(k);
    if (cut >= request.size()) break;
    SCOPED_TRACE(fmt::format("split after byte {} of {}", cut, request.size()));
    const std::size_t cuts[] = {cut};
    conn().send_split(request, cuts);
    ASSERT_TRUE(conn().expect(c.reply(k)));
  }
}

INSTANTIATE_TEST_SUITE_P(Requests, FramingSplit, ::testing::ValuesIn(kSplitCases),
                         [](const ::testing::TestParamInfo<SplitCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace mcconform::suites
