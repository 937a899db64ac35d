// set, add, replace, append, prepend: every reply in every state, flags, values, limits.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Storage : public ProtocolTest {};

MC_TEST(Storage, SetNewKeyIsStoredAndReadable, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (set)",
        .checks = "a set of a new key answers STORED and a following get returns the value") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 5\r\nhello\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "hello")));
}

MC_TEST(Storage, SetOverwritesValueAndFlags, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (set)",
        .checks = "a set of an existing key replaces both its value and its flags") {
  const auto k = key();
  ASSERT_TRUE(store(k, "first", 1));
  ASSERT_TRUE(store(k, "second value", 2));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "second value", 2)));
}

MC_TEST(Storage, OverwriteChangesTheCasUnique, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Retrieval command (gets)",
        .checks = "storing the same value again gives the item a new cas unique") {
  const auto k = key();
  ASSERT_TRUE(store(k, "a"));
  const auto before = fetch_cas(k);
  ASSERT_TRUE(store(k, "a"));
  const auto after = fetch_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after) << "a set of the same value must still give a new cas unique";
}

MC_TEST(Storage, FlagsZeroAndMaximumRoundTrip, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (flags)",
        .checks = "flags 0 and 4294967295 (32 bits) come back unchanged in VALUE lines") {
  const auto a = key("a");
  const auto b = key("b");
  conn().send(fmt::format("set {} 0 0 1\r\nx\r\nset {} 4294967295 0 1\r\ny\r\nget {} {}\r\n", a, b, a, b));
  EXPECT_TRUE(conn().expect(
      fmt::format("STORED\r\nSTORED\r\nVALUE {} 0 1\r\nx\r\nVALUE {} 4294967295 1\r\ny\r\nEND\r\n", a, b)));
}

MC_TEST(Storage, EmptyValue, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (bytes)",
        .checks = "a value of zero bytes is stored and returned as an empty data block, flags kept") {
  const auto k = key();
  conn().send(fmt::format("set {} 5 0 0\r\n\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect(fmt::format("STORED\r\nVALUE {} 5 0\r\n\r\nEND\r\n", k)));
}

MC_TEST(Storage, ValueMayContainCrLf, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol",
        .checks =
            "a value containing \\r\\n and \"END\\r\\n\" comes back byte for byte: the length, not \\r\\n, ends a data "
            "block") {
  const auto k = key();
  const std::string value = "line1\r\nline2\r\n\r\nEND\r\n";
  ASSERT_TRUE(store(k, value));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

MC_TEST(Storage, ValueWithAllByteValues, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Protocol", .checks = "a value holding all 256 byte values comes back byte for byte") {
  const auto k = key();
  std::string value;
  for (int i = 0; i < 256; ++i) value += static_cast<char>(i);
  ASSERT_TRUE(store(k, value));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

// One byte value, repeated, at the edges of a value: a server that scans values for a
// terminator, or trims them, fails here.
class StorageByte : public ProtocolTest, public ::testing::WithParamInterface<int> {};

MC_TEST_P(StorageByte, ByteAtEveryPositionSurvives, .feature = Feature::kCore, .level = Level::kSpec,
          .spec = "protocol.txt: Protocol",
          .checks =
              "each byte value (0x00 to 0xff) at the start, middle and end of a value comes back unchanged, neither "
              "trimmed nor treated as a terminator") {
  const char byte = static_cast<char>(GetParam());
  const auto k = key();
  const std::string value = std::string(1, byte) + "mid" + std::string(2, byte);
  ASSERT_TRUE(store(k, value));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

// Every byte value, one test each, so a failure names the byte.
INSTANTIATE_TEST_SUITE_P(Bytes, StorageByte, ::testing::Range(0, 256),
                         [](const ::testing::TestParamInfo<int>& param_info) {
                           return fmt::format("Byte{:02x}", param_info.param);
                         });

MC_TEST(Storage, AddNewKeyIsStored, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (add)",
        .checks = "an add of a missing key answers STORED and stores value and flags") {
  const auto k = key();
  conn().send(fmt::format("add {} 3 0 2\r\nhi\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "hi", 3)));
}

MC_TEST(Storage, AddExistingKeyIsNotStoredAndKeepsValue, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (add)",
        .checks = "an add of a present key answers NOT_STORED and leaves the old value") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("add {} 0 0 3\r\nnew\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\n" + value_reply(k, "old")));
}

MC_TEST(Storage, AddAfterDeleteIsStored, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (add)",
        .checks = "an add right after the key was deleted answers STORED") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("delete {}\r\nadd {} 0 0 3\r\nnew\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nSTORED\r\n"));
}

MC_TEST(Storage, ReplaceMissingKeyIsNotStored, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (replace)",
        .checks = "a replace of a missing key answers NOT_STORED and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("replace {} 0 0 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nEND\r\n"));
}

MC_TEST(Storage, ReplaceExistingKeyReplacesValueAndFlags, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (replace)",
        .checks = "a replace of a present key answers STORED and replaces value and flags") {
  const auto k = key();
  ASSERT_TRUE(store(k, "old", 1));
  conn().send(fmt::format("replace {} 9 0 3\r\nnew\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "new", 9)));
}

MC_TEST(Storage, AppendMissingKeyIsNotStored, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (append)",
        .checks = "an append to a missing key answers NOT_STORED and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("append {} 0 0 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nEND\r\n"));
}

MC_TEST(Storage, PrependMissingKeyIsNotStored, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (prepend)",
        .checks = "a prepend to a missing key answers NOT_STORED and stores nothing") {
  const auto k = key();
  conn().send(fmt::format("prepend {} 0 0 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nEND\r\n"));
}

MC_TEST(Storage, AppendAddsAfterAndKeepsFlags, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (append)",
        .checks = "append adds the data after the existing value and ignores the new flags") {
  const auto k = key();
  ASSERT_TRUE(store(k, "abc", 42));
  conn().send(fmt::format("append {} 7 0 3\r\ndef\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "abcdef", 42)));
}

MC_TEST(Storage, PrependAddsBeforeAndKeepsFlags, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (prepend)",
        .checks = "prepend adds the data before the existing value and ignores the new flags") {
  const auto k = key();
  ASSERT_TRUE(store(k, "abc", 42));
  conn().send(fmt::format("prepend {} 7 0 3\r\nxyz\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "xyzabc", 42)));
}

MC_TEST(Storage, AppendAndPrependChangeTheCasUnique, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (append, prepend)",
        .checks = "each append and prepend gives the item a new cas unique") {
  const auto k = key();
  ASSERT_TRUE(store(k, "m"));
  const auto first = fetch_cas(k);
  conn().send(fmt::format("append {} 0 0 1\r\na\r\n", k));
  ASSERT_TRUE(conn().expect("STORED\r\n"));
  const auto second = fetch_cas(k);
  conn().send(fmt::format("prepend {} 0 0 1\r\np\r\n", k));
  ASSERT_TRUE(conn().expect("STORED\r\n"));
  const auto third = fetch_cas(k);
  ASSERT_TRUE(first && second && third);
  EXPECT_NE(*first, *second);
  EXPECT_NE(*second, *third);
}

MC_TEST(Storage, AppendEmptyAndToEmpty, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (append)",
        .checks = "appending to an empty value and appending zero bytes both answer STORED and concatenate") {
  const auto k = key();
  conn().send(
      fmt::format("set {} 0 0 0\r\n\r\nappend {} 0 0 2\r\nab\r\nappend {} 0 0 0\r\n\r\nget {}\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nSTORED\r\nSTORED\r\n" + value_reply(k, "ab")));
}

MC_TEST(Storage, AppendBinaryData, .feature = Feature::kStorage, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (append)",
        .checks = "appended data containing \\r\\n, NUL and 0xff comes back byte for byte") {
  const auto k = key();
  const std::string tail("\r\n\0\xff", 4);
  ASSERT_TRUE(store(k, "a"));
  conn().send(fmt::format("append {} 0 0 4\r\n", k) + tail + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "a" + tail)));
}

MC_TEST(Storage, AddReplaceAppendPrependOnExpiredKeyBehaveAsMissing, .feature = Feature::kStorage,
        .level = Level::kSpec, .spec = "protocol.txt: Storage commands (exptime)",
        .checks =
            "an item stored with a negative exptime is expired at once: replace, append and prepend answer NOT_STORED "
            "and add answers STORED") {
  const auto k = key();
  // A negative exptime stores an item that is already expired.
  conn().send(fmt::format("set {} 0 -1 1\r\nx\r\n", k));
  ASSERT_TRUE(conn().expect("STORED\r\n"));
  conn().send(fmt::format(
      "replace {} 0 0 1\r\ny\r\nappend {} 0 0 1\r\ny\r\nprepend {} 0 0 1\r\ny\r\nadd {} 0 0 1\r\nz\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nNOT_STORED\r\nNOT_STORED\r\nSTORED\r\n"));
}

MC_TEST(Storage, LargeValueRoundTrips, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands", .checks = "a 512 KiB value comes back byte for byte") {
  const auto k = key();
  std::string value(512 * 1024, 'v');
  for (std::size_t i = 0; i < value.size(); i += 997) value[i] = static_cast<char>('a' + i % 26);
  ASSERT_TRUE(store(k, value));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

MC_TEST(Storage, KeyOf250BytesIsAccepted, .feature = Feature::kCore, .level = Level::kSpec,
        .spec = "protocol.txt: Keys", .checks = "a key of exactly 250 bytes is stored and retrieved") {
  const auto k = key_of_length(250);
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v")));
}

MC_TEST(
    Storage, NumericFieldsWithLeadingZeros, .feature = Feature::kCore, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks = "set accepts flags and byte counts written with leading zeros (\"007\", \"0003\") as decimal numbers") {
  const auto k = key();
  conn().send(fmt::format("set {} 007 0 0003\r\nabc\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "abc", 7)));
}

MC_TEST(Storage, ExtraSpacesBetweenTokens, .feature = Feature::kCore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "set and get accept several spaces between tokens") {
  const auto k = key();
  conn().send(fmt::format("set  {}  1  0  2\r\nhi\r\nget  {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "hi", 1)));
}

}  // namespace
}  // namespace mcconform::suites
