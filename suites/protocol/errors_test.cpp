// Malformed requests and limits: memcached's exact error and what the connection does next.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Errors : public ProtocolTest {};

MC_TEST(Errors, UnknownCommandIsErrorAndConnectionStaysUsable, Feature::kErrors, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("bogus {}\r\nset {} 0 0 1\r\nx\r\n", k, k));
  EXPECT_TRUE(conn().expect("ERROR\r\nSTORED\r\n"));
}

MC_TEST(Errors, EmptyLineIsError, Feature::kErrors, Level::kCompat) {
  conn().send("\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, LineOfSpacesIsError, Feature::kErrors, Level::kCompat) {
  conn().send("     \r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, CommandsAreCaseSensitive, Feature::kErrors, Level::kCompat) {
  conn().send(fmt::format("GET {}\r\nSet {} 0 0 1\r\n", key(), key()));
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\n"));
}

MC_TEST(Errors, GetWithoutKeyIsError, Feature::kErrors, Level::kCompat) {
  conn().send("get\r\ngets\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\n"));
}

MC_TEST(Errors, SetWithMissingTokenIsError, Feature::kErrors, Level::kCompat) {
  conn().send(fmt::format("set {} 0 0\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, SetWithTooManyTokensIsError, Feature::kErrors, Level::kCompat) {
  // The data line that follows is then taken as a command of its own.
  conn().send(fmt::format("set {} 0 0 1 noreply extra\r\nxx\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\n"));
}

MC_TEST(Errors, UnknownSixthTokenIsIgnored, Feature::kErrors, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1 whatever\r\nx\r\n", k));
  EXPECT_TRUE(conn().expect("STORED\r\n"));
}

class ErrorsBadNumbers : public ProtocolTest, public ::testing::WithParamInterface<const char*> {};

// "set <key> <fields>" with one bad number: refused before the data, which is then read as a
// command ("xx" is too short to be one: ERROR).
MC_TEST_P(ErrorsBadNumbers, StorageLineWithBadNumberIsClientError, Feature::kErrors, Level::kCompat) {
  conn().send(fmt::format("set {} {}\r\nxx\r\n", key(), GetParam()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\n"));
}

INSTANTIATE_TEST_SUITE_P(Fields, ErrorsBadNumbers,
                         ::testing::Values("abc 0 2", "-1 0 2", "1x 0 2", "0 abc 2", "0 1.5 2", "0 0 abc", "0 0 2x",
                                           "0 0 -2", "0 0 0x2", "0 0 2147483648"));

MC_TEST(Errors, NumbersAreNarrowedTo32BitsWithoutARangeCheck, Feature::kErrors, Level::kCompat) {
  // memcached 1.6 parses with strtol/strtoul and keeps the low 32 bits: a length of 2^32 + 2 is 2,
  // flags of 2^32 + 1 are 1.
  const auto k = key();
  conn().send(fmt::format("set {} 4294967297 0 4294967298\r\nxx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "xx", 1)));
}

MC_TEST(Errors, NegativeLengthIsClientError, Feature::kErrors, Level::kCompat) {
  conn().send(fmt::format("set {} 0 0 -1\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, KeyTooLongOnSetIsClientErrorAndDataIsACommand, Feature::kErrors, Level::kCompat) {
  const auto k = key_of_length(251);
  conn().send(fmt::format("set {} 0 0 2\r\nxx\r\nget {}\r\n", k, key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nERROR\r\nEND\r\n"));
}

MC_TEST(Errors, KeyTooLongOnGetIsClientError, Feature::kErrors, Level::kSpec) {
  conn().send(fmt::format("get {}\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, KeyTooLongAmongOthersFailsTheWholeGet, Feature::kErrors, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {} {}\r\n", k, key_of_length(251, "long")));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, KeyTooLongOnTouchIsClientError, Feature::kErrors, Level::kCompat) {
  conn().send(fmt::format("touch {} 10\r\n", key_of_length(251)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\n"));
}

MC_TEST(Errors, DataLongerThanDeclaredIsBadDataChunk, Feature::kErrors, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 3\r\nabcde\r\nget {}\r\n", k, k));
  // memcached reads 3 bytes and "\r\n"; "de" is not "\r\n". What follows ("\r\n") is an empty
  // command line, and nothing was stored.
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n"));
}

MC_TEST(Errors, BadDataChunkKeepsTheOldValue, Feature::kErrors, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("set {} 0 0 3\r\nnewXY\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\n" + value_reply(k, "old")));
}

MC_TEST(Errors, DataBlockEndingInBareLineFeedIsBadDataChunk, Feature::kErrors, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1\r\nx\nget {}\r\n", k, k));
  // The two bytes after the data are "\ng": not "\r\n". The rest, "et <key>", is a command.
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\n"));
}

MC_TEST(Errors, DataShorterThanDeclaredWaitsForMore, Feature::kErrors, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 5\r\nabc\r\n", k));
  // Five bytes have not all arrived: the server must wait, not answer.
  EXPECT_EQ(conn().read_available(std::chrono::milliseconds(200)), "");
  conn().send("\r\n");  // "abc\r\n\r\n": five bytes "abc\r\n", then "\r\n"
  EXPECT_TRUE(conn().expect("STORED\r\n"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "abc\r\n")));
}

MC_TEST(Errors, LongLineWithoutNewlineClosesTheConnection, Feature::kErrors, Level::kCompat) {
  conn().send(std::string(4096, 'x'));
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

MC_TEST(Errors, LongLineWithNewlineIsAnsweredError, Feature::kErrors, Level::kCompat) {
  // Under memcached's read size the whole line arrives at once and is simply unknown.
  conn().send(std::string(3000, 'x') + "\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, HttpRequestClosesTheConnection, Feature::kErrors, Level::kCompat) {
  conn().send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_TRUE(conn().expect_closed());
  connection_closed_on_purpose();
}

MC_TEST(Errors, ControlCharactersInKeysAreAccepted, Feature::kErrors, Level::kCompat) {
  const std::string k = key() + "\x01\x7f\xc3\xa9";
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v")));
}

MC_TEST(Errors, TabIsPartOfTheToken, Feature::kErrors, Level::kCompat) {
  // Only spaces separate tokens: "get\t<key>" is one unknown command word.
  conn().send(fmt::format("get\t{}\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Errors, ValueTooLargeIsServerErrorAndTheBlockIsSwallowed, Feature::kLimits, Level::kCompat) {
  const auto k = key();
  const std::string big(2 * 1024 * 1024, 'b');
  conn().send(fmt::format("set {} 0 0 {}\r\n", k, big.size()) + big + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\nEND\r\n"));
}

MC_TEST(Errors, TooLargeSetRemovesTheOldValue, Feature::kLimits, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const std::string big(1024 * 1024 + 1, 'b');
  conn().send(fmt::format("set {} 0 0 {}\r\n", k, big.size()) + big + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\nEND\r\n"));
}

MC_TEST(Errors, TooLargeAddKeepsTheOldValue, Feature::kLimits, Level::kCompat) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  const std::string big(1024 * 1024 + 1, 'b');
  conn().send(fmt::format("add {} 0 0 {}\r\n", k, big.size()) + big + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("SERVER_ERROR object too large for cache\r\n" + value_reply(k, "old")));
}

}  // namespace
}  // namespace mcconform::suites
