// noreply: every command that takes it answers nothing, alone and pipelined, proved by a sentinel.
#include "protocol_test.hpp"

#include "test_gate.hpp"

namespace mcconform::suites {
namespace {

struct NoreplyCase {
  const char* name;
  Feature feature;
  // The setup (with its own expected replies) and the noreply command, given the test's key.
  std::string (*setup)(const std::string& key);
  std::string (*command)(const std::string& key);
  // What a get of the key must show afterwards.
  std::string (*after)(const std::string& key);
};

std::string none(const std::string&) { return ""; }
std::string stored_v(const std::string& k) { return fmt::format("set {} 0 0 1\r\nv\r\n", k); }
std::string stored_5(const std::string& k) { return fmt::format("set {} 0 0 1\r\n5\r\n", k); }
std::string value_of(const std::string& k, std::string_view v) {
  return fmt::format("VALUE {} 0 {}\r\n{}\r\nEND\r\n", k, v.size(), v);
}

const NoreplyCase kCases[] = {
    {"SetNew", Feature::kCore, none,
     [](const std::string& k) { return fmt::format("set {} 0 0 1 noreply\r\nn\r\n", k); },
     [](const std::string& k) { return value_of(k, "n"); }},
    {"SetExisting", Feature::kCore, stored_v,
     [](const std::string& k) { return fmt::format("set {} 0 0 1 noreply\r\nn\r\n", k); },
     [](const std::string& k) { return value_of(k, "n"); }},
    {"AddNew", Feature::kStorage, none,
     [](const std::string& k) { return fmt::format("add {} 0 0 1 noreply\r\nn\r\n", k); },
     [](const std::string& k) { return value_of(k, "n"); }},
    {"AddExisting", Feature::kStorage, stored_v,
     [](const std::string& k) { return fmt::format("add {} 0 0 1 noreply\r\nn\r\n", k); },
     [](const std::string& k) { return value_of(k, "v"); }},
    {"ReplaceExisting", Feature::kStorage, stored_v,
     [](const std::string& k) { return fmt::format("replace {} 0 0 1 noreply\r\nn\r\n", k); },
     [](const std::string& k) { return value_of(k, "n"); }},
    {"ReplaceMissing", Feature::kStorage, none,
     [](const std::string& k) { return fmt::format("replace {} 0 0 1 noreply\r\nn\r\n", k); },
     [](const std::string&) { return std::string("END\r\n"); }},
    {"AppendExisting", Feature::kStorage, stored_v,
     [](const std::string& k) { return fmt::format("append {} 0 0 1 noreply\r\na\r\n", k); },
     [](const std::string& k) { return value_of(k, "va"); }},
    {"AppendMissing", Feature::kStorage, none,
     [](const std::string& k) { return fmt::format("append {} 0 0 1 noreply\r\na\r\n", k); },
     [](const std::string&) { return std::string("END\r\n"); }},
    {"PrependExisting", Feature::kStorage, stored_v,
     [](const std::string& k) { return fmt::format("prepend {} 0 0 1 noreply\r\np\r\n", k); },
     [](const std::string& k) { return value_of(k, "pv"); }},
    {"DeleteExisting", Feature::kCore, stored_v,
     [](const std::string& k) { return fmt::format("delete {} noreply\r\n", k); },
     [](const std::string&) { return std::string("END\r\n"); }},
    {"DeleteMissing", Feature::kCore, none,
     [](const std::string& k) { return fmt::format("delete {} noreply\r\n", k); },
     [](const std::string&) { return std::string("END\r\n"); }},
    {"IncrExisting", Feature::kArith, stored_5,
     [](const std::string& k) { return fmt::format("incr {} 3 noreply\r\n", k); },
     [](const std::string& k) { return value_of(k, "8"); }},
    {"IncrMissing", Feature::kArith, none, [](const std::string& k) { return fmt::format("incr {} 3 noreply\r\n", k); },
     [](const std::string&) { return std::string("END\r\n"); }},
    {"IncrNonNumeric", Feature::kArith, stored_v,
     [](const std::string& k) { return fmt::format("incr {} 3 noreply\r\n", k); },
     [](const std::string& k) { return value_of(k, "v"); }},
    {"DecrExisting", Feature::kArith, stored_5,
     [](const std::string& k) { return fmt::format("decr {} 2 noreply\r\n", k); },
     [](const std::string& k) { return value_of(k, "3"); }},
    {"TouchExisting", Feature::kTouch, stored_v,
     [](const std::string& k) { return fmt::format("touch {} 100 noreply\r\n", k); },
     [](const std::string& k) { return value_of(k, "v"); }},
    {"TouchMissing", Feature::kTouch, none,
     [](const std::string& k) { return fmt::format("touch {} 100 noreply\r\n", k); },
     [](const std::string&) { return std::string("END\r\n"); }},
};

class Noreply : public ProtocolTest, public ::testing::WithParamInterface<NoreplyCase> {
 protected:
  // The case's own feature decides whether it runs; the test is registered under core.
  void run_case(bool pipelined) {
    const NoreplyCase& c = GetParam();
    if (auto why = skip_reason(TestTags{c.feature, Level::kSpec})) GTEST_SKIP() << *why;
    const auto k = key();
    const std::string setup = c.setup(k);
    if (!setup.empty()) {
      conn().send(setup);
      ASSERT_TRUE(conn().expect("STORED\r\n"));
    }
    if (pipelined) {
      // The noreply command, then a command that answers, in one write: the first reply must be
      // the second command's.
      conn().send(c.command(k) + "get " + k + "\r\n");
      EXPECT_TRUE(conn().expect(c.after(k)));
    } else {
      conn().send(c.command(k));
      ASSERT_TRUE(conn().expect_sentinel());
      conn().send(fmt::format("get {}\r\n", k));
      EXPECT_TRUE(conn().expect(c.after(k)));
    }
  }
};

MC_TEST_P(Noreply, SendsNothingAndTakesEffect, .feature = Feature::kCore, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (noreply)",
          .checks =
              "each command that takes noreply (set, add, replace, append, prepend, delete, incr, decr, touch; hit and "
              "miss) sends no reply, the next bytes are the sentinel's, and the command took effect") {
  run_case(false);
}
MC_TEST_P(Noreply, PipelinedWithAReplyingCommand, .feature = Feature::kCore, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (noreply)",
          .checks =
              "a noreply command pipelined with a get in one write: the first bytes received are the get's reply, "
              "showing the command's effect") {
  run_case(true);
}

INSTANTIATE_TEST_SUITE_P(Commands, Noreply, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<NoreplyCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

class NoreplyMixed : public ProtocolTest {};

MC_TEST(NoreplyMixed, ManyNoreplyCommandsThenOneAnswer, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (noreply)",
        .checks = "50 set noreply then a get in one write: only the get's reply comes, with the last value") {
  std::string batch;
  std::string expected;
  for (int i = 0; i < 50; ++i) {
    const auto k = key(fmt::format("k{}", i));
    batch += fmt::format("set {} {} 0 {} noreply\r\n{}\r\n", k, i, std::to_string(i).size(), i);
  }
  const auto last = key("k49");
  batch += fmt::format("get {}\r\n", last);
  conn().send(batch);
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 49 2\r\n49\r\nEND\r\n", last)));
}

MC_TEST(NoreplyMixed, AlternatingNoreplyAndReplies, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (noreply)",
        .checks = "noreply and replying commands alternated in one write: only the replying ones answer, in order") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1 noreply\r\na\r\nget {}\r\nset {} 0 0 1\r\nb\r\ndelete {} noreply\r\nget {}\r\n",
                          k, k, k, k, k));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1\r\na\r\nEND\r\nSTORED\r\nEND\r\n", k)));
}

MC_TEST(NoreplyMixed, FlushAllNoreply, .feature = Feature::kFlush, .level = Level::kSpec, .destructive = true,
        .spec = "protocol.txt: Other commands (flush_all)",
        .checks = "flush_all noreply sends nothing and a following get misses") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("flush_all noreply\r\nget {}\r\n", k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(NoreplyMixed, VerbosityNoreply, .feature = Feature::kStats, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "verbosity 0 noreply sends nothing") {
  conn().send("verbosity 0 noreply\r\n");
  EXPECT_TRUE(conn().expect_sentinel());
}

MC_TEST(NoreplyMixed, MalformedStorageLineWithNoreplyStaysSilent, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a set with a non-numeric length and noreply sends no CLIENT_ERROR; the data line after it is read as a "
            "command and answered ERROR") {
  // memcached reads noreply before it parses the numbers, so the CLIENT_ERROR is suppressed; the
  // data line that follows is then read as a command and answered.
  conn().send(fmt::format("set {} 0 0 abc noreply\r\nx\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(NoreplyMixed, WrongTokenCountIsAnsweredDespiteNoreply, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "\"incr noreply\" (too few tokens) answers ERROR: the token count is checked before noreply") {
  // A line with the wrong number of tokens is refused before noreply is looked at.
  conn().send("incr noreply\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(NoreplyMixed, BadDataChunkWithNoreplyIsSilent, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a set noreply whose data block is one byte too long suppresses the bad data chunk error; the \"\\r\\n\" "
            "after it is an empty line answered ERROR") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1 noreply\r\nxy\r\n", k));
  // "xy" is one byte too many: the chunk is bad (suppressed by noreply); "\r\n" after it is an
  // empty command line.
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
