// delete: DELETED, NOT_FOUND, the legacy "0" argument, what memcached says to anything else.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Delete : public ProtocolTest {};

MC_TEST(Delete, ExistingKeyIsDeletedAndGone, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nEND\r\n"));
}

MC_TEST(Delete, MissingKeyIsNotFound, Feature::kCore, Level::kSpec) {
  conn().send(fmt::format("delete {}\r\n", key()));
  EXPECT_TRUE(conn().expect("NOT_FOUND\r\n"));
}

MC_TEST(Delete, SecondDeleteIsNotFound, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {}\r\ndelete {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Delete, DeletesOnlyThatKey, Feature::kCore, Level::kSpec) {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  conn().send(fmt::format("delete {}\r\nget {} {}\r\n", a, a, b));
  EXPECT_TRUE(conn().expect(fmt::format("DELETED\r\nVALUE {} 0 1\r\n2\r\nEND\r\n", b)));
}

MC_TEST(Delete, ExpiredKeyIsNotFound, Feature::kCore, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 -1 1\r\nx\r\ndelete {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Delete, NoreplySendsNothingAndDeletes, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} noreply\r\n", k));
  ASSERT_TRUE(conn().expect_sentinel());
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Delete, NoreplyOnMissingKeySendsNothing, Feature::kCore, Level::kSpec) {
  conn().send(fmt::format("delete {} noreply\r\n", key()));
  EXPECT_TRUE(conn().expect_sentinel());
}

MC_TEST(Delete, LegacyZeroHoldTimeIsAccepted, Feature::kCore, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} 0\r\n", k));
  EXPECT_TRUE(conn().expect("DELETED\r\n"));
}

MC_TEST(Delete, LegacyZeroWithNoreply, Feature::kCore, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} 0 noreply\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Delete, NonZeroHoldTimeIsRefusedWithUsage, Feature::kCore, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} 10\r\nget {}\r\n", k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n" + value_reply(k, "v")));
}

MC_TEST(Delete, ExtraWordIsRefusedWithUsage, Feature::kCore, Level::kCompat) {
  conn().send(fmt::format("delete {} extra\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"));
}

MC_TEST(Delete, TooManyWordsIsError, Feature::kCore, Level::kCompat) {
  conn().send(fmt::format("delete {} 0 noreply extra\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Delete, WithoutKeyIsError, Feature::kCore, Level::kCompat) {
  conn().send("delete\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Delete, KeyTooLongIsClientError, Feature::kCore, Level::kCompat) {
  conn().send(fmt::format("delete {}\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
