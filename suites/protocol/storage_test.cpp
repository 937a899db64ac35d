// set, add, replace, append, prepend: every reply in every state, flags, values, limits.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Storage : public ProtocolTest {};

MC_TEST(Storage, SetNewKeyIsStoredAndReadable, Feature::kCore, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 5\r\nhello\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "hello")));
}

MC_TEST(Storage, SetOverwritesValueAndFlags, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "first", 1));
  ASSERT_TRUE(store(k, "second value", 2));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "second value", 2)));
}

MC_TEST(Storage, OverwriteChangesTheCasUnique, Feature::kCore, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "a"));
  const auto before = fetch_cas(k);
  ASSERT_TRUE(store(k, "a"));
  const auto after = fetch_cas(k);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*before, *after) << "a set of the same value must still give a new cas unique";
}

MC_TEST(Storage, FlagsZeroAndMaximumRoundTrip, Feature::kCore, Level::kSpec) {
  const auto a = key("a");
  const auto b = key("b");
  conn().send(fmt::format("set {} 0 0 1\r\nx\r\nset {} 4294967295 0 1\r\ny\r\nget {} {}\r\n", a, b, a, b));
  EXPECT_TRUE(conn().expect(
      fmt::format("STORED\r\nSTORED\r\nVALUE {} 0 1\r\nx\r\nVALUE {} 4294967295 1\r\ny\r\nEND\r\n", a, b)));
}

MC_TEST(Storage, EmptyValue, Feature::kCore, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("set {} 5 0 0\r\n\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect(fmt::format("STORED\r\nVALUE {} 5 0\r\n\r\nEND\r\n", k)));
}

MC_TEST(Storage, ValueMayContainCrLf, Feature::kCore, Level::kSpec) {
  const auto k = key();
  const std::string value = "line1\r\nline2\r\n\r\nEND\r\n";
  ASSERT_TRUE(store(k, value));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

MC_TEST(Storage, ValueWithAllByteValues, Feature::kCore, Level::kSpec) {
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

MC_TEST_P(StorageByte, ByteAtEveryPositionSurvives, Feature::kCore, Level::kSpec) {
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

MC_TEST(Storage, AddNewKeyIsStored, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("add {} 3 0 2\r\nhi\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "hi", 3)));
}

MC_TEST(Storage, AddExistingKeyIsNotStoredAndKeepsValue, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("add {} 0 0 3\r\nnew\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\n" + value_reply(k, "old")));
}

MC_TEST(Storage, AddAfterDeleteIsStored, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old"));
  conn().send(fmt::format("delete {}\r\nadd {} 0 0 3\r\nnew\r\n", k, k));
  EXPECT_TRUE(conn().expect("DELETED\r\nSTORED\r\n"));
}

MC_TEST(Storage, ReplaceMissingKeyIsNotStored, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("replace {} 0 0 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nEND\r\n"));
}

MC_TEST(Storage, ReplaceExistingKeyReplacesValueAndFlags, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "old", 1));
  conn().send(fmt::format("replace {} 9 0 3\r\nnew\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "new", 9)));
}

MC_TEST(Storage, AppendMissingKeyIsNotStored, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("append {} 0 0 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nEND\r\n"));
}

MC_TEST(Storage, PrependMissingKeyIsNotStored, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  conn().send(fmt::format("prepend {} 0 0 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nEND\r\n"));
}

MC_TEST(Storage, AppendAddsAfterAndKeepsFlags, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "abc", 42));
  conn().send(fmt::format("append {} 7 0 3\r\ndef\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "abcdef", 42)));
}

MC_TEST(Storage, PrependAddsBeforeAndKeepsFlags, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  ASSERT_TRUE(store(k, "abc", 42));
  conn().send(fmt::format("prepend {} 7 0 3\r\nxyz\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "xyzabc", 42)));
}

MC_TEST(Storage, AppendAndPrependChangeTheCasUnique, Feature::kStorage, Level::kSpec) {
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

MC_TEST(Storage, AppendEmptyAndToEmpty, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  conn().send(
      fmt::format("set {} 0 0 0\r\n\r\nappend {} 0 0 2\r\nab\r\nappend {} 0 0 0\r\n\r\nget {}\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nSTORED\r\nSTORED\r\n" + value_reply(k, "ab")));
}

MC_TEST(Storage, AppendBinaryData, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  const std::string tail("\r\n\0\xff", 4);
  ASSERT_TRUE(store(k, "a"));
  conn().send(fmt::format("append {} 0 0 4\r\n", k) + tail + "\r\n" + fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "a" + tail)));
}

MC_TEST(Storage, AddReplaceAppendPrependOnExpiredKeyBehaveAsMissing, Feature::kStorage, Level::kSpec) {
  const auto k = key();
  // A negative exptime stores an item that is already expired.
  conn().send(fmt::format("set {} 0 -1 1\r\nx\r\n", k));
  ASSERT_TRUE(conn().expect("STORED\r\n"));
  conn().send(fmt::format(
      "replace {} 0 0 1\r\ny\r\nappend {} 0 0 1\r\ny\r\nprepend {} 0 0 1\r\ny\r\nadd {} 0 0 1\r\nz\r\n", k, k, k, k));
  EXPECT_TRUE(conn().expect("NOT_STORED\r\nNOT_STORED\r\nNOT_STORED\r\nSTORED\r\n"));
}

MC_TEST(Storage, LargeValueRoundTrips, Feature::kCore, Level::kSpec) {
  const auto k = key();
  std::string value(512 * 1024, 'v');
  for (std::size_t i = 0; i < value.size(); i += 997) value[i] = static_cast<char>('a' + i % 26);
  ASSERT_TRUE(store(k, value));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, value)));
}

MC_TEST(Storage, KeyOf250BytesIsAccepted, Feature::kCore, Level::kSpec) {
  const auto k = key_of_length(250);
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v")));
}

MC_TEST(Storage, NumericFieldsWithLeadingZeros, Feature::kCore, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("set {} 007 0 0003\r\nabc\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "abc", 7)));
}

MC_TEST(Storage, ExtraSpacesBetweenTokens, Feature::kCore, Level::kCompat) {
  const auto k = key();
  conn().send(fmt::format("set  {}  1  0  2\r\nhi\r\nget  {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "hi", 1)));
}

}  // namespace
}  // namespace mcconform::suites
