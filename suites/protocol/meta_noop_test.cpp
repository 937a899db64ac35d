// mn, and pipelines mixing meta and classic commands: one cas space, one item store, one order.
#include <array>
#include <string>

#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaNoop : public ProtocolTest {};

// protocol.txt, Meta No-Op: 'This returns the static response: "MN\r\n"'
MC_TEST(MetaNoop, AnswersMn, .feature = Feature::kMetaNoop, .level = Level::kSpec, .spec = "protocol.txt: Meta No-Op",
        .checks = "mn answers MN") {
  conn().send("mn\r\n");
  EXPECT_TRUE(conn().expect("MN\r\n"));
}

// protocol.txt, Meta No-Op: one MN per mn, in order
MC_TEST(MetaNoop, SeveralInOneWrite, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op", .checks = "three mn in one write answer three MN") {
  conn().send("mn\r\nmn\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("MN\r\nMN\r\nMN\r\n"));
}

// memcached behaviour: mn ignores anything after it on the line ('It takes no flags, no arguments')
MC_TEST(MetaNoop, ArgumentsIgnored, .feature = Feature::kMetaNoop, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mn with tokens after it (x, O1) answers a bare MN") {
  conn().send("mn x\r\nmn O1\r\n");
  EXPECT_TRUE(conn().expect("MN\r\nMN\r\n"));
}

// memcached behaviour: command names are case sensitive: 'MN' is an unknown command
MC_TEST(MetaNoop, UpperCaseIsUnknown, .feature = Feature::kMetaNoop, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "an upper-case MN command answers ERROR") {
  conn().send("MN\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\nMN\r\n"));
}

// memcached behaviour: a bare LF ends mn
MC_TEST(MetaNoop, BareLineFeed, .feature = Feature::kMetaNoop, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "an mn ended by a bare LF answers MN") {
  conn().send("mn\n");
  EXPECT_TRUE(conn().expect("MN\r\n"));
}

// protocol.txt, Meta No-Op: mn split across writes is one command
MC_TEST(MetaNoop, SplitAcrossWrites, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op", .checks = "an mn sent one byte per write answers one MN") {
  conn().send_byte_by_byte("mn\r\n");
  EXPECT_TRUE(conn().expect("MN\r\n"));
}

// protocol.txt, Meta No-Op: mn after a classic noreply command proves it was processed
MC_TEST(MetaNoop, SentinelAfterClassicNoreply, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op",
        .checks = "an mn after a classic set noreply answers MN, and the set has taken effect") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1 noreply\r\nx\r\nmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("MN\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta No-Op: mn after a classic multi-get comes after its END
MC_TEST(MetaNoop, AfterClassicMultiGet, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op",
        .checks = "an mn after a classic get of two keys answers MN after the get's END") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  conn().send(fmt::format("get {} {}\r\nmn\r\n", a, b));
  EXPECT_TRUE(conn().expect(fmt::format("VALUE {} 0 1\r\n1\r\nVALUE {} 0 1\r\n2\r\nEND\r\nMN\r\n", a, b)));
}

// protocol.txt, Meta No-Op: a hundred quiet gets with opaques and one mn: only hits answer, in order
MC_TEST(
    MetaNoop, HundredQuietGetsThenMn, .feature = Feature::kMetaNoop, .level = Level::kSpec,
    .spec = "protocol.txt: Meta No-Op",
    .checks =
        "of 100 pipelined mg q v O<n> closed by mn, only the 10 hits answer, in order with their opaques, then MN") {
  std::string request, expected;
  for (int i = 0; i < 100; ++i) {
    const auto k = key(fmt::format("k{}", i));
    if (i % 10 == 0) {
      ASSERT_TRUE(store(k, std::to_string(i)));
      expected += fmt::format("VA {} O{}\r\n{}\r\n", std::to_string(i).size(), i, i);
    }
    request += fmt::format("mg {} q v O{}\r\n", k, i);
  }
  conn().send(request + "mn\r\n");
  EXPECT_TRUE(conn().expect(expected + "MN\r\n"));
}

// protocol.txt, Meta Commands: 'These work mixed with normal protocol commands on the same connection'
MC_TEST(MetaNoop, ClassicAndMetaInterleaved, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands",
        .checks = "set, mg, ms MA, get, md, delete and mn on one key in one write are answered in order") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1\r\na\r\nmg {} v\r\nms {} 1 MA\r\nb\r\nget {}\r\nmd {}\r\ndelete {}\r\nmn\r\n",
                          k, k, k, k, k, k));
  EXPECT_TRUE(conn().expect(
      fmt::format("STORED\r\nVA 1\r\na\r\nHD\r\nVALUE {} 0 2\r\nab\r\nEND\r\nHD\r\nNOT_FOUND\r\nMN\r\n", k)));
}

// protocol.txt, Meta Commands: classic append and meta append on one value
MC_TEST(MetaNoop, ClassicAndMetaAppend, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands",
        .checks = "ms, classic append, ms MA and classic prepend build one value (zabc)") {
  const auto k = key();
  conn().send(
      fmt::format("ms {} 1\r\na\r\nappend {} 0 0 1\r\nb\r\nms {} 1 MA\r\nc\r\nprepend {} 0 0 1\r\nz\r\nmg {} v\r\n", k,
                  k, k, k, k));
  EXPECT_TRUE(conn().expect("HD\r\nSTORED\r\nHD\r\nSTORED\r\nVA 4\r\nzabc\r\n"));
}

// protocol.txt, Meta Get: 'c: return item cas token' is the cas unique 'gets' shows
MC_TEST(MetaNoop, CasFromMetaMatchesGets, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "the cas ms c returns is the cas unique classic gets shows") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 c\r\nx\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD c{}\r\n", *unique));
}

// protocol.txt, cas: a token from mg c works with the classic cas command
MC_TEST(MetaNoop, ClassicCasWithMetaToken, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (cas)",
        .checks = "a classic cas with the cas from mg c answers STORED, and a second with the same token EXISTS") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(
      fmt::format("cas {} 0 0 3 {}\r\nnew\r\ncas {} 0 0 3 {}\r\nbad\r\nmg {} v\r\n", k, *unique, k, *unique, k));
  EXPECT_TRUE(conn().expect("STORED\r\nEXISTS\r\nVA 3\r\nnew\r\n"));
}

// protocol.txt, Meta Set: a classic cas changes the token: the old one is EX for ms C
MC_TEST(MetaNoop, ClassicCasInvalidatesMetaToken, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "after a classic cas, ms C with the old unique answers EX") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("cas {} 0 0 1 {}\r\na\r\nms {} 1 C{}\r\nb\r\n", k, *unique, k, *unique));
  EXPECT_TRUE(conn().expect("STORED\r\nEX\r\n"));
}

// protocol.txt, Meta Arithmetic: the cas ma c returns is the one gets shows afterwards
MC_TEST(MetaNoop, ArithCasMatchesGets, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "the cas ma c returns is the cas unique classic gets shows afterwards") {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("ma {} c\r\n", k));
  const std::string line = conn().read_until("\r\n");
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  EXPECT_EQ(line, fmt::format("HD c{}\r\n", *unique));
}

// protocol.txt, Meta Delete: a gets token deletes with md C; a classic touch keeps it valid
MC_TEST(MetaNoop, TouchKeepsTokenForMetaDelete, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "a classic touch keeps the cas: md C with the unique from before it still deletes (HD)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("touch {} 100\r\nmd {} C{}\r\n", k, k, *unique));
  EXPECT_TRUE(conn().expect("TOUCHED\r\nHD\r\n"));
}

// protocol.txt, Meta Get: a classic touch sets the TTL mg t reports
MC_TEST(MetaNoop, ClassicTouchSeenByMetaTtl, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "after a classic touch 100, mg t answers t100") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("touch {} 100\r\nmg {} t\r\n", k, k));
  EXPECT_TRUE(expect_across_clock_tick("TOUCHED\r\nHD t100\r\n"));
}

// protocol.txt, Meta Get: gat and mg T agree on the TTL
MC_TEST(MetaNoop, GatThenMetaTouch, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "after gat 100, mg t T200 v reports t100 and the next mg t reports t200") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("gat 100 {}\r\nmg {} t T200 v\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick(value_reply(k, "v") + "VA 1 t100\r\nv\r\nHD t200\r\n"));
}

// protocol.txt, Meta Arithmetic: incr and ma share the counter
MC_TEST(MetaNoop, ClassicIncrThenMetaArith, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "classic incr, ma and classic decr change one counter (1 becomes 2, 3, then 2)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "1"));
  conn().send(fmt::format("incr {} 1\r\nma {} v\r\ndecr {} 1\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("2\r\nVA 1\r\n3\r\n2\r\n"));
}

// protocol.txt, Meta Commands: meta commands work after a classic ERROR
MC_TEST(MetaNoop, MetaAfterClassicError, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands", .checks = "after a classic ERROR, ms and mg on the connection work") {
  const auto k = key();
  conn().send(fmt::format("bogus\r\nms {} 1\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("ERROR\r\nHD\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Commands: classic commands work after a meta CLIENT_ERROR
MC_TEST(MetaNoop, ClassicAfterMetaClientError, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands",
        .checks = "after an mg answered with a CLIENT_ERROR, a classic get on the connection returns the value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} !\r\nget {}\r\n", k, k));
  const std::string error = conn().read_until("\r\n");
  EXPECT_TRUE(error.starts_with("CLIENT_ERROR ")) << error;
  EXPECT_TRUE(conn().expect(value_reply(k, "v")));
}

// protocol.txt, Meta Set: an ms split at every byte is one command
MC_TEST(MetaNoop, MetaSetByteByByte, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "an ms T0 O1 sent one byte per write answers HD O1 and stores the value") {
  const auto k = key();
  conn().send_byte_by_byte(fmt::format("ms {} 3 T0 O1\r\nabc\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD O1\r\nVA 3\r\nabc\r\n"));
}

// protocol.txt, Meta Set: an ms whose data block arrives in pieces
MC_TEST(MetaNoop, MetaSetDataSplit, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set",
        .checks = "an ms whose command line and data block arrive split over several writes stores all 10 bytes") {
  const auto k = key();
  const std::string request = fmt::format("ms {} 10\r\n0123456789\r\nmg {} s\r\n", k, k);
  const std::array<std::size_t, 3> cuts{request.find('\n') + 1, request.find('\n') + 5, request.size() - 4};
  conn().send_split(request, cuts);
  EXPECT_TRUE(conn().expect("HD\r\nHD s10\r\n"));
}

// protocol.txt, Meta Get: what one connection stores, another reads, with the same cas
MC_TEST(MetaNoop, TwoConnectionsShareItemsAndCas, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "an item ms stores on one connection is read on another with the cas ms c returned") {
  const auto k = key();
  Connection& other = open_connection();
  conn().send(fmt::format("ms {} 1 c\r\nx\r\n", k));
  const std::string line = conn().read_until("\r\n");
  other.send(fmt::format("mg {} c v\r\nmn\r\n", k));
  ASSERT_TRUE(line.starts_with("HD c")) << line;
  EXPECT_TRUE(other.expect(fmt::format("VA 1 {}\r\nx\r\nMN\r\n", line.substr(3, line.size() - 5))));
}

// protocol.txt, Meta Commands: classic noreply, meta quiet and answers, all in one write
MC_TEST(MetaNoop, MixedQuietNoreplyPipeline, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Commands",
        .checks =
            "classic noreply commands, quiet ms and ma, a get, an mg and mn in one write: only the get, mg and mn "
            "answer, with every update applied") {
  const auto a = key("a"), b = key("b");
  conn().send(
      fmt::format("set {} 0 0 1 noreply\r\n1\r\nms {} 1 q\r\n2\r\nincr {} 5 noreply\r\nma {} q\r\n"
                  "get {} {}\r\nmg {} v O1\r\nmn\r\n",
                  a, b, a, b, a, b, b));
  EXPECT_TRUE(
      conn().expect(fmt::format("VALUE {} 0 1\r\n6\r\nVALUE {} 0 1\r\n3\r\nEND\r\nVA 1 O1\r\n3\r\nMN\r\n", a, b)));
}

}  // namespace
}  // namespace mcconform::suites
