// delete: DELETED, NOT_FOUND, the legacy "0" argument, what memcached says to anything else.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Delete : public ProtocolTest {};

MC_TEST(Delete, ExistingKeyIsDeletedAndGone, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Deletion", .checks = "a delete of a present key answers DELETED and a get then misses") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nEND\r\n"));
}

MC_TEST(Delete, MissingKeyIsNotFound, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Deletion", .checks = "a delete of a missing key answers NOT_FOUND") {
  conn().send(fmt::format("delete {}\r\n", key()));
  EXPECT_TRUE(conn().expect("NOT_FOUND\r\n"));
}

MC_TEST(Delete, SecondDeleteIsNotFound, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Deletion", .checks = "deleting the same key twice answers DELETED, then NOT_FOUND") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {}\r\ndelete {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Delete, DeletesOnlyThatKey, .feature = Feature::kCore, .level = Level::kSpec, .spec = "protocol.txt: Deletion",
        .checks = "a delete removes only its own key; another key stays readable") {
  const auto a = key("a"), b = key("b");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(b, "2"));
  conn().send(fmt::format("delete {}\r\nget {} {}\r\n", a, a, b));
  EXPECT_TRUE(conn().expect(fmt::format("DELETED\r\nVALUE {} 0 1\r\n2\r\nEND\r\n", b)));
}

MC_TEST(Delete, ExpiredKeyIsNotFound, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Deletion",
        .checks = "a delete of an item stored already expired (negative exptime) answers NOT_FOUND") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 -1 1\r\nx\r\ndelete {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Delete, NoreplySendsNothingAndDeletes, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Deletion (noreply)", .checks = "delete with noreply sends nothing and the key is gone") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} noreply\r\n", k));
  ASSERT_TRUE(conn().expect_sentinel());
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Delete, NoreplyOnMissingKeySendsNothing, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Deletion (noreply)",
        .checks = "delete with noreply of a missing key sends nothing, not even NOT_FOUND") {
  conn().send(fmt::format("delete {} noreply\r\n", key()));
  EXPECT_TRUE(conn().expect_sentinel());
}

MC_TEST(Delete, LegacyZeroHoldTimeIsAccepted, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "delete accepts the legacy hold time \"0\" and answers DELETED") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} 0\r\n", k));
  EXPECT_TRUE(conn().expect("DELETED\r\n"));
}

MC_TEST(Delete, LegacyZeroWithNoreply, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "\"delete <key> 0 noreply\" deletes and sends nothing") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} 0 noreply\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("END\r\n"));
}

MC_TEST(Delete, NonZeroHoldTimeIsRefusedWithUsage, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a non-zero hold time answers \"CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\" and "
            "keeps the item") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("delete {} 10\r\nget {}\r\n", k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n" + value_reply(k, "v")));
}

MC_TEST(Delete, ExtraWordIsRefusedWithUsage, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "an unknown word after the key answers \"CLIENT_ERROR bad command line format.  Usage: delete <key> "
            "[noreply]\"") {
  conn().send(fmt::format("delete {} extra\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"));
}

MC_TEST(Delete, TooManyWordsIsError, .feature = Feature::kCore, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "a delete line of five words answers ERROR") {
  conn().send(fmt::format("delete {} 0 noreply extra\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Delete, WithoutKeyIsError, .feature = Feature::kCore, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "delete without a key answers ERROR") {
  conn().send("delete\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Delete, KeyTooLongIsClientError, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a delete with a 251-byte key answers \"CLIENT_ERROR bad command line format\"") {
  conn().send(fmt::format("delete {}\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
