// Parser, executor and engine together, without sockets: request bytes in, reply bytes out.
#include <gtest/gtest.h>

#include <string>

#include "server_under_test.hpp"

namespace mcrefd::server {
namespace {

class FakeStats final : public StatsSource {
 public:
  void write_stats(std::string& out) const override { out += "STAT fake 1\r\nEND\r\n"; }
  void reset_stats() override {}
  void write_settings(std::string& out) const override { out += "STAT fake_setting 1\r\nEND\r\n"; }
  void write_conns(std::string& out, int self) const override {
    out += "STAT self " + std::to_string(self) + "\r\nEND\r\n";
  }
};

class ExecutorTest : public ServerUnderTest<FakeStats> {
 protected:
  ExecutorTest() : ServerUnderTest("1.6.18-test") {}
};

TEST_F(ExecutorTest, SetGetGetsDelete) {
  EXPECT_EQ(run("set k 3 0 2\r\nhi\r\n"), "STORED\r\n");
  EXPECT_EQ(run("get k missing k\r\n"), "VALUE k 3 2\r\nhi\r\nVALUE k 3 2\r\nhi\r\nEND\r\n");
  EXPECT_EQ(run("gets k\r\n"), "VALUE k 3 2 2\r\nhi\r\nEND\r\n");
  EXPECT_EQ(run("delete k\r\ndelete k\r\n"), "DELETED\r\nNOT_FOUND\r\n");
}

TEST_F(ExecutorTest, NoreplySuppressesEveryReplyButErrorOfTokenCount) {
  EXPECT_EQ(run("set k 0 0 1 noreply\r\nx\r\nadd k 0 0 1 noreply\r\ny\r\nincr k 1 noreply\r\n"), "");
  EXPECT_EQ(run("set k 0 0 noreply\r\n"), "");  // the CLIENT_ERROR is suppressed too
  EXPECT_EQ(run("set k noreply\r\n"), "ERROR\r\n");
}

TEST_F(ExecutorTest, BadDataChunkThenTheRestIsACommand) {
  EXPECT_EQ(run("set k 0 0 3\r\nabcde\r\n"), "CLIENT_ERROR bad data chunk\r\nERROR\r\n");
}

TEST_F(ExecutorTest, TooLargeSwallowsTheBlockAndDeletesTheOldValue) {
  run("set k 0 0 1\r\nx\r\n");
  const std::string big(2 * 1024 * 1024, 'v');
  EXPECT_EQ(run("set k 0 0 " + std::to_string(big.size()) + "\r\n" + big + "\r\nget k\r\n"),
            "SERVER_ERROR object too large for cache\r\nEND\r\n");
}

TEST_F(ExecutorTest, ArithmeticReplies) {
  EXPECT_EQ(run("incr n 1\r\n"), "NOT_FOUND\r\n");
  run("set n 0 0 2\r\n10\r\n");
  EXPECT_EQ(run("decr n 1\r\nget n\r\n"), "9\r\nVALUE n 0 2\r\n9 \r\nEND\r\n");
  run("set s 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("incr s 1\r\n"), "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
}

TEST_F(ExecutorTest, OverlongKeyInGetDiscardsTheUnsentBatch) {
  run("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("get k " + std::string(251, 'a') + "\r\n"), "CLIENT_ERROR bad command line format\r\n");
}

TEST_F(ExecutorTest, VersionAndStats) {
  EXPECT_EQ(run("version\r\n"), "VERSION 1.6.18-test\r\n");
  EXPECT_EQ(run("stats\r\n"), "STAT fake 1\r\nEND\r\n");
  EXPECT_EQ(run("stats nonsense\r\n"), "ERROR\r\n");
}

// memcached 1.6.38: the first item gets cas 2, and every store takes an id, even a failed one.
TEST_F(ExecutorTest, EveryStoreTakesACasId) {
  EXPECT_EQ(run("set a 0 0 1\r\nx\r\nadd a 0 0 1\r\ny\r\nset b 0 0 1\r\nx\r\ngets a b\r\n"),
            "STORED\r\nNOT_STORED\r\nSTORED\r\nVALUE a 0 1 2\r\nx\r\nVALUE b 0 1 4\r\nx\r\nEND\r\n");
  EXPECT_EQ(run("touch b 0\r\nincr z 1\r\ndelete a\r\nset b 0 0 1\r\nx\r\nmg b c\r\n"),
            "TOUCHED\r\nNOT_FOUND\r\nDELETED\r\nSTORED\r\nHD c5\r\n");
}

TEST_F(ExecutorTest, MetaGetReportsFlagsInRequestOrder) {
  run("set k 7 0 5\r\nhello\r\n");
  EXPECT_EQ(run("mg k s v c f k O99 t h\r\n"), "VA 5 s5 c2 f7 kk O99 t-1 h0\r\nhello\r\n");
  EXPECT_EQ(run("mg k h\r\n"), "HD h1\r\n");
  EXPECT_EQ(run("mg missing k O1 v\r\nmg missing q v\r\nmn\r\n"), "EN kmissing O1\r\nMN\r\n");
}

TEST_F(ExecutorTest, MetaSetModesAndQuiet) {
  EXPECT_EQ(run("ms k 2 c q\r\nhi\r\nms k 1 ME c\r\nx\r\nms k 2 MA s c\r\n!!\r\nmg k v\r\n"),
            "NS c0\r\nHD s4 c4\r\nVA 4\r\nhi!!\r\n");
  EXPECT_EQ(run("ms k 1 C1 q\r\nx\r\nms n 1 MR\r\nx\r\nms n 1 MA N0\r\nx\r\n"), "EX\r\nNS\r\nHD\r\n");
  EXPECT_EQ(run("ms k 1 MX\r\nx\r\nms k 1 Tx\r\nx\r\nms k 2\r\nxyz\r\n"),
            "CLIENT_ERROR invalid mode for ms M token\r\nCLIENT_ERROR bad token in command line format\r\n"
            "CLIENT_ERROR bad data chunk\r\nERROR\r\n");
}

TEST_F(ExecutorTest, MetaSetBase64KeyIsEchoedEncoded) {
  EXPECT_EQ(run("ms Zm9v 1 b k\r\nx\r\nmg Zm9v b k v\r\nget foo\r\n"),
            "HD kZm9v b\r\nVA 1 kZm9v b\r\nx\r\nVALUE foo 0 1\r\nx\r\nEND\r\n");
}

// A failed ms keeps the cas id it took; the next completed store on the connection uses it.
TEST_F(ExecutorTest, FailedMetaSetLeavesItsCasToTheNextStore) {
  EXPECT_EQ(run("ms a 1 MZ\r\nx\r\nset a 0 0 1\r\ny\r\nset b 0 0 1\r\ny\r\ngets a b\r\n"),
            "CLIENT_ERROR invalid mode for ms M token\r\nSTORED\r\nSTORED\r\n"
            "VALUE a 0 1 2\r\ny\r\nVALUE b 0 1 3\r\ny\r\nEND\r\n");
}

TEST_F(ExecutorTest, MetaDeleteAndInvalidate) {
  run("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("md k C99 O1\r\nmd k I T30 q\r\nmg k c v\r\nmg k c\r\n"), "EX O1\r\nVA 1 c3 X W\r\nx\r\nHD c3 Z X\r\n");
  // A stale item still takes a cas store; md then deletes it.
  EXPECT_EQ(run("ms k 1 C3 I\r\ny\r\nmd k q\r\nmd k q k\r\n"), "HD\r\nNF kk\r\n");
}

TEST_F(ExecutorTest, MetaGetLeases) {
  EXPECT_EQ(run("mg k N30 c t\r\nmg k N30 c\r\n"), "HD c2 t30 W\r\nHD c2 Z\r\n");
  run("ms r 1 T10\r\nx\r\n");
  EXPECT_EQ(run("mg r R30 c\r\nmg r R30 c\r\n"), "HD c3 W\r\nHD c3 Z\r\n");
}

TEST_F(ExecutorTest, MetaArithmetic) {
  EXPECT_EQ(run("ma n\r\nma n N0 J10 v c\r\nma n MD D3 v\r\nma n q\r\nmg n v\r\n"),
            "NF\r\nVA 2 c2\r\n10\r\nVA 1\r\n7\r\nVA 2\r\n8 \r\n");
  run("set s 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("ma s q\r\nma n C1 O5\r\n"),
            "CLIENT_ERROR cannot increment or decrement non-numeric value\r\nEX O5\r\n");
}

TEST_F(ExecutorTest, MetaNoopAndDebug) {
  run("set k 0 0 1\r\nx\r\n");
  EXPECT_EQ(run("mn\r\nme k\r\nme nope\r\n"), "MN\r\nME k exp=-1 la=0 cas=2 fetch=no cls=1 size=61\r\nEN\r\n");
}

// Admin commands answer in memcached 1.6.38's words; mcrefd has no slabs or crawler thread.
TEST_F(ExecutorTest, AdminCommands) {
  EXPECT_EQ(run("shutdown\r\ncache_memlimit 4\r\ncache_memlimit 64\r\ncache_memlimit 64 noreply\r\nmn\r\n"),
            "ERROR: shutdown not enabled\r\nMEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m\r\nOK\r\nMN\r\n");
  EXPECT_EQ(run("slabs reassign 1 1\r\nslabs reassign 99 2\r\nslabs automove 3\r\nslabs automove 2\r\n"),
            "SAME src and dst class are identical\r\nBADCLASS invalid src or dst class id\r\nERROR\r\nOK\r\n");
  EXPECT_EQ(run("stats settings\r\nstats sizes\r\nstats detail\r\n"),
            "STAT fake_setting 1\r\nEND\r\nSTAT sizes_status disabled\r\nEND\r\n"
            "CLIENT_ERROR usage: stats detail on|off|dump\r\n");
}

TEST_F(ExecutorTest, MetadumpListsItemsAndRefusesAPipeline) {
  run("set a 3 0 1\r\nx\r\nms Zm9v 1 b\r\ny\r\n");
  EXPECT_EQ(run("lru_crawler metadump all\r\n"),
            "key=a exp=-1 la=1700000100 cas=2 fetch=no cls=1 size=65 flags=3\n"
            "key=foo exp=-1 la=1700000100 cas=3 fetch=no cls=1 size=63 flags=0\nEND\r\n");
  EXPECT_EQ(run("lru_crawler mgdump 1\r\n"), "mg a\r\nmg Zm9v b\r\nEN\r\n");
  // `mn` sends what came before, so a dump may follow it.
  EXPECT_EQ(run("mn\r\nlru_crawler mgdump 2\r\n"), "MN\r\nEN\r\n");
  EXPECT_EQ(run("lru_crawler metadump 99\r\n"), "BADCLASS invalid class id\r\n");
  EXPECT_EQ(run("version\r\nlru_crawler metadump all\r\n"),
            "VERSION 1.6.18-test\r\nERROR cannot pipeline other commands before metadump\r\n");
}

}  // namespace
}  // namespace mcrefd::server
