// Binary noop, version, flush, stat, verbosity, quit and quitq.
#include <map>
#include <set>
#include <string>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryAdmin : public BinaryTest {
 protected:
  // Reads stat packets up to the empty one that ends them, checking the shape of each (a stat
  // response: opcode stat, success, no extras, cas 0, the request's opaque, a name as the key).
  // The names seen, or nullopt after a failure.
  std::optional<std::set<std::string>> read_stats(std::uint32_t opaque) {
    std::set<std::string> names;
    for (int i = 0; i < 10000; ++i) {
      Packet got = reply();
      Packet shape = with_opaque(binary::response(Opcode::kStat), opaque);
      shape.key = got.key;
      shape.value = got.value;
      if (auto same = binary::same_packet(shape, got); !same) {
        ADD_FAILURE() << "stat packet " << i << ": " << same.message();
        return std::nullopt;
      }
      if (got.key.empty()) {
        if (!got.value.empty()) ADD_FAILURE() << "the closing stat packet carries a value";
        return names;
      }
      names.insert(got.key);
    }
    ADD_FAILURE() << "no empty stat packet after 10000 stats";
    return std::nullopt;
  }

  // The text "version" reply's version on another connection.
  std::string text_version() {
    Connection& text = open_connection();
    text.send("version\r\n");
    const std::string line = text.read_until("\r\n");
    if (!line.starts_with("VERSION ")) {
      ADD_FAILURE() << "text version answered " << line;
      return {};
    }
    return line.substr(8, line.size() - 10);
  }
};

constexpr std::string_view kNoopSpec = "BinaryProtocolRevamped: noop";
constexpr std::string_view kFlushSpec = "BinaryProtocolRevamped: Flush";
constexpr std::string_view kStatSpec = "BinaryProtocolRevamped: Stat";
constexpr std::string_view kQuitSpec = "BinaryProtocolRevamped: quit";

// BinaryProtocolRevamped, noop: a keep-alive whose response also ends a run of quiet gets
MC_TEST(BinaryAdmin, NoopAnswers, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kNoopSpec,
        .checks = "a noop answers a 24-byte success response with opcode noop, no body, cas 0") {
  conn().send(noop().encode());
  EXPECT_TRUE(conn().expect(std::string("\x81\x0a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24)));
}

// BinaryProtocolRevamped, noop: the opaque is copied
MC_TEST(BinaryAdmin, NoopEchoesOpaque, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kNoopSpec,
        .checks = "a noop with opaque 0xffffffff answers with opaque 0xffffffff") {
  send(noop(0xffffffff));
  EXPECT_TRUE(expect_noop(0xffffffff));
}

// BinaryProtocolRevamped, noop: several answer in order, each with its opaque
MC_TEST(BinaryAdmin, NoopsInOrder, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kNoopSpec,
        .checks = "three noops with opaques 1, 2, 3 in one write answer 1, 2, 3 in order") {
  send({noop(1), noop(2), noop(3)});
  EXPECT_TRUE(expect_noop(1));
  EXPECT_TRUE(expect_noop(2));
  EXPECT_TRUE(expect_noop(3));
}

// BinaryProtocolRevamped, version: the version string as the value
MC_TEST(BinaryAdmin, VersionMatchesText, .feature = Feature::kBinaryAdmin, .level = Level::kSpec,
        .spec = "BinaryProtocolRevamped: version",
        .checks = "a version answers success with the version string as the value, the one text version shows") {
  const std::string version = text_version();
  ASSERT_FALSE(version.empty());
  send(with_opaque(binary::request(Opcode::kVersion), 5));
  Packet expected = with_opaque(binary::response(Opcode::kVersion), 5);
  expected.value = version;
  EXPECT_TRUE(expect(expected));
}

// BinaryProtocolRevamped, Flush: flushes the cache now, or later when given a delay
MC_TEST(BinaryAdmin, FlushEmptiesCache, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .destructive = true,
        .spec = kFlushSpec,
        .checks = "a flush answers success (cas 0, no body) and a get of a key stored before then misses") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({with_opaque(binary::request(Opcode::kFlush), 3), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kFlush), 3)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Flush Quietly: success answers nothing
MC_TEST(BinaryAdmin, FlushQIsSilent, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .destructive = true,
        .spec = kFlushSpec, .checks = "a flushq answers nothing before the noop, and the cache is empty") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({binary::request(Opcode::kFlushQ), noop(4), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect_noop(4));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Flush: optional extras hold a delay; items live until then
MC_TEST(BinaryAdmin, FlushWithDelayKeepsItemsUntilThen, .feature = Feature::kBinaryAdmin, .level = Level::kSpec,
        .destructive = true, .spec = kFlushSpec,
        .checks = "a flush with a 100-second delay (4 bytes of extras) answers success; a get right after still hits") {
  const auto k = key();
  const auto cas = set(k, "v");
  ASSERT_TRUE(cas);
  send({binary::request(Opcode::kFlush, "", binary::expiration_extras(100)), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kFlush)));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "v", 0, *cas)));
}

// memcached behaviour: a flush whose delay is 0 flushes now
MC_TEST(BinaryAdmin, FlushWithZeroDelayIsImmediate, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .destructive = true, .spec = "memcached behaviour",
        .checks = "a flush with extras holding 0 answers success and a get then misses") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({binary::request(Opcode::kFlush, "", binary::expiration_extras(0)), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kFlush)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: what is stored after a flush survives it
MC_TEST(BinaryAdmin, SetAfterFlushSurvives, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .destructive = true, .spec = "memcached behaviour",
        .checks = "a set right after a flush, in the same write, is read back by a get") {
  const auto k = key();
  send({binary::request(Opcode::kFlush), store(Opcode::kSet, k, "after"), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kFlush)));
  Packet got;
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "after", 0, got.cas)));
}

// BinaryProtocolRevamped, Stat: one response per statistic, and a last one with neither key nor value
MC_TEST(BinaryAdmin, StatAllIsAStreamEndedByAnEmptyPacket, .feature = Feature::kBinaryAdmin, .level = Level::kSpec,
        .spec = kStatSpec,
        .checks =
            "a stat with no key answers stat packets (success, cas 0, the opaque, a name and a value), "
            "ended by one with no key and no value; pid, uptime and curr_items are among the names") {
  send(with_opaque(binary::request(Opcode::kStat), 0x57a7));
  const auto names = read_stats(0x57a7);
  ASSERT_TRUE(names);
  for (const char* name : {"pid", "uptime", "version", "curr_items", "total_items", "get_hits"}) {
    EXPECT_TRUE(names->contains(name)) << name;
  }
}

// BinaryProtocolRevamped, Stat: a group as the key
MC_TEST(BinaryAdmin, StatSettings, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kStatSpec,
        .checks =
            "a stat with key \"settings\" answers a stream holding maxbytes and item_size_max, ended by an "
            "empty packet") {
  send(with_opaque(binary::request(Opcode::kStat, "settings"), 8));
  const auto names = read_stats(8);
  ASSERT_TRUE(names);
  EXPECT_TRUE(names->contains("maxbytes"));
  EXPECT_TRUE(names->contains("item_size_max"));
}

// memcached behaviour: an unknown group is Not found
MC_TEST(BinaryAdmin, StatUnknownGroupIsNotFound, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a stat with key \"bogus\" answers status 0x0001, \"Not found\", and no stream") {
  send(with_opaque(binary::request(Opcode::kStat, "bogus"), 6));
  EXPECT_TRUE(expect(with_opaque(not_found(Opcode::kStat), 6)));
}

// memcached behaviour: the stat stream reflects binary commands
MC_TEST(BinaryAdmin, StatCountsBinaryCommands, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a stat stream after binary get hits has cmd_get and get_hits values other than \"0\"") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send(get(Opcode::kGet, k));
  ASSERT_TRUE(expect(hit(Opcode::kGet, "v", 0, 0), CasCheck::kAnyNonZero));
  send(binary::request(Opcode::kStat));
  std::map<std::string, std::string> values;
  for (;;) {
    Packet got = reply();
    if (got.key.empty() || got.magic != binary::kResponseMagic) break;
    values[got.key] = got.value;
  }
  EXPECT_NE(values["cmd_get"], "0");
  EXPECT_NE(values["get_hits"], "0");
  EXPECT_FALSE(values["get_hits"].empty());
}

// memcached behaviour: verbosity (0x1b) is no opcode of memcached's: Unknown command, and it skips
// the body length again after the extras it has read, eating the next 4 bytes
MC_TEST(BinaryAdmin, VerbosityIsUnknown, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a verbosity packet (4 bytes of extras) answers status 0x0081, \"Unknown command\", and the 4 "
            "bytes after it are skipped: a noop after those answers") {
  Packet verbosity = with_opaque(binary::request(Opcode::kVerbosity, "", binary::be32(1)), 0x1b);
  conn().send(verbosity.encode() + "pad!" + noop(2).encode());
  EXPECT_TRUE(expect(with_opaque(unknown(Opcode::kVerbosity), 0x1b)));
  EXPECT_TRUE(expect_noop(2));
}

// BinaryProtocolRevamped, quit: the server closes the connection; quit answers first
MC_TEST(BinaryAdmin, QuitAnswersThenCloses, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kQuitSpec,
        .checks = "a quit answers success with its opaque, then the server closes the connection") {
  send(with_opaque(binary::request(Opcode::kQuit), 0x9));
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kQuit), 0x9)));
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

// BinaryProtocolRevamped, quitq: closes without a word
MC_TEST(BinaryAdmin, QuitQClosesSilently, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kQuitSpec,
        .checks = "a quitq answers nothing: the server closes the connection") {
  send(binary::request(Opcode::kQuitQ));
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

// BinaryProtocolRevamped, quit: what came before is done; what follows is not
MC_TEST(BinaryAdmin, QuitEndsThePipeline, .feature = Feature::kBinaryAdmin, .level = Level::kSpec, .spec = kQuitSpec,
        .checks = "setq a, quit, set b in one write: quit answers, the connection closes; a is stored, b is not") {
  const auto a = key("a"), b = key("b");
  send({store(Opcode::kSetQ, a, "1"), binary::request(Opcode::kQuit), store(Opcode::kSet, b, "2")});
  EXPECT_TRUE(expect(binary::response(Opcode::kQuit)));
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
  Connection& text = open_connection();
  text.send(fmt::format("get {} {}\r\n", a, b));
  EXPECT_TRUE(text.expect(fmt::format("VALUE {} 0 1\r\n1\r\nEND\r\n", a)));
}

// memcached behaviour: the quiet quit after quiet sets: they are stored, nothing answers
MC_TEST(BinaryAdmin, QuitQAfterQuietSets, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "setq then quitq answer nothing and close the connection; the value is stored") {
  const auto k = key();
  send({store(Opcode::kSetQ, k, "kept"), binary::request(Opcode::kQuitQ)});
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
  Connection& text = open_connection();
  text.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(text.expect(value_reply(k, "kept")));
}

// memcached behaviour: the stat named version equals the version command's value
MC_TEST(BinaryAdmin, StatVersionMatchesVersion, .feature = Feature::kBinaryAdmin, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "the value of the stat named version is the version command's value") {
  send({binary::request(Opcode::kVersion), binary::request(Opcode::kStat)});
  Packet version = reply();
  std::string stat_version;
  for (;;) {
    Packet got = reply();
    if (got.key.empty() || got.magic != binary::kResponseMagic) break;
    if (got.key == "version") stat_version = got.value;
  }
  EXPECT_EQ(stat_version, version.value);
  EXPECT_FALSE(stat_version.empty());
}

}  // namespace
}  // namespace mcconform::suites
