// Malformed requests and limits: memcached's exact error and what the connection does next.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Errors : public ProtocolTest {};

MC_TEST(Errors, UnknownCommandIsErrorAndConnectionStaysUsable, .feature = Feature::kErrors, .level = Level::kSpec,
        .spec = "protocol.txt: Error strings",
        .checks = "an unknown command name answers ERROR and the next command on the connection works") {
  const auto k = key();
  conn().send(fmt::format("bogus {}\r\nset {} 0 0 1\r\nx\r\n", k, k));
  EXPECT_TRUE(conn().expect("ERROR\r\nSTORED\r\n"));
}

MC_TEST(Errors, EmptyLineIsError, .feature = Feature::kErrors, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks = "an empty line answers ERROR") {
  conn().send("\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, LineOfSpacesIsError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a line of spaces only answers ERROR") {
  conn().send("     \r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, CommandsAreCaseSensitive, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "\"GET\" and \"Set\" are unknown commands: ERROR each") {
  conn().send(fmt::format("GET {}\r\nSet {} 0 0 1\r\n", key(), key()));
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\n"));
}

MC_TEST(Errors, GetWithoutKeyIsError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "get and gets without a key answer ERROR") {
  conn().send("get\r\ngets\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\n"));
}

MC_TEST(Errors, SetWithMissingTokenIsError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a set line without its byte count answers ERROR") {
  conn().send(fmt::format("set {} 0 0\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, SetWithTooManyTokensIsError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set line with a seventh token answers ERROR, and its data line is read as a command (ERROR)") {
  // The data line that follows is then taken as a command of its own.
  conn().send(fmt::format("set {} 0 0 1 noreply extra\r\nxx\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\n"));
}

MC_TEST(Errors, UnknownSixthTokenIsIgnored, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set whose sixth token is not \"noreply\" ignores it and answers STORED") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1 whatever\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect("STORED\r\n"));
}

class ErrorsBadNumbers : public ProtocolTest, public ::testing::WithParamInterface<const char*> {};

// "set <key> <fields>" with one bad number: refused before the data, which is then read as a
// command ("xx" is too short to be one: ERROR).
MC_TEST_P(
    ErrorsBadNumbers, StorageLineWithBadNumberIsClientError, .feature = Feature::kErrors, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks =
        "a set whose flags, exptime or length is not a valid number (letters, sign, fraction, hex, over 2^31) answers "
        "\"CLIENT_ERROR bad command line format\" before the data, which is then read as a command (ERROR)") {
  conn().send(fmt::format("set {} {}\r\nxx\r\n", key(), GetParam()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\n"));
}

INSTANTIATE_TEST_SUITE_P(Fields, ErrorsBadNumbers,
                         ::testing::Values("abc 0 2", "-1 0 2", "1x 0 2", "0 abc 2", "0 1.5 2", "0 0 abc", "0 0 2x",
                                           "0 0 -2", "0 0 0x2", "0 0 2147483648"));

MC_TEST(
    Errors, NumbersAreNarrowedTo32BitsWithoutARangeCheck, .feature = Feature::kErrors, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks = "flags of 2^32+1 and a length of 2^32+2 are cut to their low 32 bits (1 and 2) and the set is STORED") {
  // memcached 1.6 parses with strtol/strtoul and keeps the low 32 bits: a length of 2^32 + 2 is 2,
  // flags of 2^32 + 1 are 1.
  const auto k = key();
  conn().send(fmt::format("set {} 4294967297 0 4294967298\r\nxx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "xx", 1)));
}

MC_TEST(Errors, NegativeLengthIsClientError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set with a length of -1 answers \"CLIENT_ERROR bad command line format\"") {
  conn().send(fmt::format("set {} 0 0 -1\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, KeyTooLongOnSetIsClientErrorAndDataIsACommand, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a set with a 251-byte key answers \"CLIENT_ERROR bad command line format\", its data line is read as a "
            "command (ERROR), and the connection goes on") {
  const auto k = key_of_length(251);
  conn().send(fmt::format("set {} 0 0 2\r\nxx\r\nget {}\r\n", k, key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nEND\r\n"));
}

MC_TEST(
    Errors, KeyTooLongOnGetIsClientError, .feature = Feature::kErrors, .level = Level::kSpec,
    .spec = "protocol.txt: Keys",
    .checks =
        "a key over 250 bytes is refused: a get of a 251-byte key answers \"CLIENT_ERROR bad command line format\"") {
  conn().send(fmt::format("get {}\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, KeyTooLongAmongOthersFailsTheWholeGet, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "one 251-byte key among others makes the whole get answer \"CLIENT_ERROR bad command line format\", hits "
            "included") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {} {}\r\n", k, key_of_length(251, "long")));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, KeyTooLongOnTouchIsClientError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "touch of a 251-byte key answers \"CLIENT_ERROR bad command line format\"") {
  conn().send(fmt::format("touch {} 10\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, DataLongerThanDeclaredIsBadDataChunk, .feature = Feature::kErrors, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (data block)",
        .checks =
            "a data block longer than <bytes> is refused with \"CLIENT_ERROR bad data chunk\", nothing is stored, and "
            "the rest of the line is read as a command (ERROR)") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 3\r\nabcde\r\nget {}\r\n", k, k));
  // memcached reads 3 bytes and "\r\n"; "de" is not "\r\n". What follows ("\r\n") is an empty
  // command line, and nothing was stored.
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n"));
}

MC_TEST(Errors, BadDataChunkKeepsTheOldValue, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set refused with \"CLIENT_ERROR bad data chunk\" leaves the key's old value in place") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("set {} 0 0 3\r\nnewXY\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\n" + value_reply(k, "old")));
}

MC_TEST(Errors, DataBlockEndingInBareLineFeedIsBadDataChunk, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a data block followed by a bare \"\\n\" instead of \"\\r\\n\" answers \"CLIENT_ERROR bad data chunk\", "
            "and the rest is read as a command (ERROR)") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1\r\nx\nget {}\r\n", k, k));
  // The two bytes after the data are "\ng": not "\r\n". The rest, "et <key>", is a command.
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\n"));
}

MC_TEST(Errors, DataShorterThanDeclaredWaitsForMore, .feature = Feature::kErrors, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks =
            "the server reads exactly <bytes> bytes: it answers nothing while they are incomplete, and \"\\r\\n\" "
            "inside them is data") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 5\r\nabc\r\n", k));
  // Five bytes have not all arrived: the server must wait, not answer.
  EXPECT_EQ(conn().read_available(std::chrono::milliseconds(200)), "");
  conn().send("\r\n");  // "abc\r\n\r\n": five bytes "abc\r\n", then "\r\n"
  EXPECT_TRUE(conn().expect("STORED\r\n"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "abc\r\n")));
}

MC_TEST(Errors, LongLineWithoutNewlineClosesTheConnection, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "4096 bytes without a newline make memcached close the connection") {
  conn().send(std::string(4096, 'x'));
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

MC_TEST(Errors, LongLineWithNewlineIsAnsweredError, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "an unknown 3000-byte line ending in \"\\r\\n\" answers ERROR") {
  // Under memcached's read size the whole line arrives at once and is simply unknown.
  conn().send(std::string(3000, 'x') + "\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, HttpRequestClosesTheConnection, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an HTTP request (\"GET / HTTP/1.1\") makes memcached close the connection") {
  conn().send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

MC_TEST(Errors, ControlCharactersInKeysAreAccepted, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "keys containing control characters (0x01, 0x7f) and UTF-8 bytes are stored and retrieved, though "
            "protocol.txt forbids control characters") {
  const std::string k = key() + "\x01\x7f\xc3\xa9";
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v")));
}

MC_TEST(Errors, TabIsPartOfTheToken, .feature = Feature::kErrors, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "only spaces separate tokens: \"get\\t<key>\" is one unknown command word (ERROR)") {
  // Only spaces separate tokens: "get\t<key>" is one unknown command word.
  conn().send(fmt::format("get\t{}\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, ValueTooLargeIsServerErrorAndTheBlockIsSwallowed, .feature = Feature::kLimits, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a 2 MiB set answers \"SERVER_ERROR object too large for cache\", its data block is read and dropped, and "
            "the next get misses") {
  const auto k = key();
  const std::string big(2 * 1024 * 1024, 'b');
  conn().send(fmt::format("set {} 0 0 {}\r\n", k, big.size()) + big + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\nEND\r\n"));
}

MC_TEST(Errors, TooLargeSetRemovesTheOldValue, .feature = Feature::kLimits, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a set over the item size limit answers \"SERVER_ERROR object too large for cache\" and removes the key's "
            "old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const std::string big(1024 * 1024 + 1, 'b');
  conn().send(fmt::format("set {} 0 0 {}\r\n", k, big.size()) + big + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\nEND\r\n"));
}

MC_TEST(Errors, TooLargeAddKeepsTheOldValue, .feature = Feature::kLimits, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "an add over the item size limit answers \"SERVER_ERROR object too large for cache\" and keeps the key's "
            "old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const std::string big(1024 * 1024 + 1, 'b');
  conn().send(fmt::format("add {} 0 0 {}\r\n", k, big.size()) + big + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\n" + value_reply(k, "old")));
}

}  // namespace
}  // namespace mcconform::suites
