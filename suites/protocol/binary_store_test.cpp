// Binary set, add, replace, append, prepend and their quiet forms; cas compare and cas shared with text.
#include <string>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryStore : public BinaryTest {};

constexpr std::string_view kSetSpec = "BinaryProtocolRevamped: Set, Add, Replace";
constexpr std::string_view kAppendSpec = "BinaryProtocolRevamped: Append, Prepend";

// BinaryProtocolRevamped, Set: success carries the item's new cas and no body
MC_TEST(BinaryStore, SetAnswersSuccessWithCas, .feature = Feature::kBinaryStore, .level = Level::kSpec,
        .spec = kSetSpec, .checks = "a set answers success, no extras, no key, no value, and a cas other than 0") {
  send(store(Opcode::kSet, key(), "v", 1, 0));
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Set: the opaque is copied into the response
MC_TEST(BinaryStore, SetEchoesOpaque, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a set with opaque 0xdeadbeef answers with opaque 0xdeadbeef") {
  send(with_opaque(store(Opcode::kSet, key(), "v"), 0xdeadbeef));
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kSet), 0xdeadbeef), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Set: the cas a set answers is the one a get then shows
MC_TEST(BinaryStore, SetCasIsTheItemsCas, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "the cas a set answers is the cas a following get answers") {
  const auto k = key();
  const auto cas = set(k, "c");
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "c", 0, *cas)));
}

// BinaryProtocolRevamped, Set: every modification gets a new cas
MC_TEST(BinaryStore, EachSetNewCas, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "two sets of one key answer two different cas values") {
  const auto k = key();
  const auto first = set(k, "1");
  const auto second = set(k, "2");
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
}

// BinaryProtocolRevamped, Set: a set overwrites value and flags
MC_TEST(BinaryStore, SetOverwrites, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a second set replaces both value and flags") {
  const auto k = key();
  ASSERT_TRUE(set(k, "first", 1));
  const auto cas = set(k, "second", 2);
  ASSERT_TRUE(cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "second", 2, *cas)));
}

// BinaryProtocolRevamped, Set: text and binary share one item store
MC_TEST(BinaryStore, TextGetReadsBinarySet, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a binary set (flags 77) is read by a text get on another connection") {
  const auto k = key();
  ASSERT_TRUE(set(k, "bin", 77));
  Connection& text = open_connection();
  text.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(text.expect(value_reply(k, "bin", 77)));
}

// BinaryProtocolRevamped, Set Quietly: success answers nothing
MC_TEST(BinaryStore, SetQIsSilent, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a setq answers nothing (the noop answers next), and the value is stored") {
  const auto k = key();
  send({store(Opcode::kSetQ, k, "q", 4), noop(1), get(Opcode::kGetK, k)});
  EXPECT_TRUE(expect_noop(1));
  Packet got;
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "q", 4, 0, k), CasCheck::kAnyNonZero, &got));
}

// BinaryProtocolRevamped, Add: fails if the item exists
MC_TEST(BinaryStore, AddExistingIsExists, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an add of an existing key answers status 0x0002, \"Data exists for key.\", cas 0") {
  const auto k = key();
  ASSERT_TRUE(set(k, "here"));
  send(store(Opcode::kAdd, k, "new"));
  EXPECT_TRUE(expect(exists(Opcode::kAdd)));
}

// BinaryProtocolRevamped, Add: stores a missing key
MC_TEST(BinaryStore, AddMissingStores, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "an add of a missing key answers success with a cas, and the value is stored") {
  const auto k = key();
  send(store(Opcode::kAdd, k, "added", 6));
  Packet got;
  ASSERT_TRUE(expect(binary::response(Opcode::kAdd), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "added", 6, got.cas)));
}

// BinaryProtocolRevamped, Add Quietly: success answers nothing
MC_TEST(BinaryStore, AddQSuccessIsSilent, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "an addq of a missing key answers nothing before the noop") {
  send({store(Opcode::kAddQ, key(), "a"), noop(2)});
  EXPECT_TRUE(expect_noop(2));
}

// BinaryProtocolRevamped, quiet commands: errors are always sent
MC_TEST(BinaryStore, AddQErrorAnswers, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an addq of an existing key answers the error with opcode addq and its opaque, then the noop") {
  const auto k = key();
  ASSERT_TRUE(set(k, "here"));
  send({with_opaque(store(Opcode::kAddQ, k, "new"), 12), noop(13)});
  EXPECT_TRUE(expect(with_opaque(exists(Opcode::kAddQ), 12)));
  EXPECT_TRUE(expect_noop(13));
}

// BinaryProtocolRevamped, Replace: fails if the item is missing
MC_TEST(BinaryStore, ReplaceMissingIsNotFound, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a replace of a missing key answers status 0x0001, \"Not found\"") {
  send(store(Opcode::kReplace, key(), "r"));
  EXPECT_TRUE(expect(not_found(Opcode::kReplace)));
}

// BinaryProtocolRevamped, Replace: replaces an existing item
MC_TEST(BinaryStore, ReplaceExisting, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a replace of an existing key answers success with a new cas, and the value and flags change") {
  const auto k = key();
  const auto old_cas = set(k, "old", 1);
  ASSERT_TRUE(old_cas);
  send(store(Opcode::kReplace, k, "new", 2));
  Packet got;
  ASSERT_TRUE(expect(binary::response(Opcode::kReplace), CasCheck::kAnyNonZero, &got));
  EXPECT_NE(got.cas, *old_cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "new", 2, got.cas)));
}

// BinaryProtocolRevamped, quiet commands: a replaceq miss is an error, sent
MC_TEST(BinaryStore, ReplaceQMissAnswers, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a replaceq of a missing key answers Not found with opcode replaceq, then the noop") {
  send({store(Opcode::kReplaceQ, key(), "r"), noop()});
  EXPECT_TRUE(expect(not_found(Opcode::kReplaceQ)));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Replace Quietly: success answers nothing
MC_TEST(BinaryStore, ReplaceQSuccessIsSilent, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a replaceq of an existing key answers nothing before the noop; the value changed") {
  const auto k = key();
  ASSERT_TRUE(set(k, "old"));
  send({store(Opcode::kReplaceQ, k, "new"), noop(4), get(Opcode::kGetK, k)});
  EXPECT_TRUE(expect_noop(4));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "new", 0, 0, k), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Set: a nonzero cas in the request lets the operation succeed only on an
// item that exists with that very cas
MC_TEST(BinaryStore, SetWithStaleCasIsExists, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a set carrying a cas the item no longer has answers status 0x0002, \"Data exists for key.\"") {
  const auto k = key();
  const auto first = set(k, "1");
  ASSERT_TRUE(first);
  ASSERT_TRUE(set(k, "2"));
  send(store(Opcode::kSet, k, "3", 0, 0, *first));
  EXPECT_TRUE(expect(exists(Opcode::kSet)));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "2", 0, 0), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Set: with the item's cas the set succeeds and gives a new cas
MC_TEST(BinaryStore, SetWithRightCasSucceeds, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a set carrying the item's cas answers success with a new, different cas") {
  const auto k = key();
  const auto cas = set(k, "1");
  ASSERT_TRUE(cas);
  send(store(Opcode::kSet, k, "2", 0, 0, *cas));
  Packet got;
  ASSERT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  EXPECT_NE(got.cas, *cas);
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "2", 0, got.cas)));
}

// BinaryProtocolRevamped, Set: a cas on a missing item fails (the item must exist)
MC_TEST(BinaryStore, SetWithCasOnMissingIsNotFound, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a set carrying a cas for a missing key answers Not found") {
  send(store(Opcode::kSet, key(), "v", 0, 0, 12345));
  EXPECT_TRUE(expect(not_found(Opcode::kSet)));
}

// BinaryProtocolRevamped, Set: the cas is one space shared by the binary and text protocols
MC_TEST(BinaryStore, CasSharedWithTextGets, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "the cas a text gets shows on another connection, sent in a binary set, lets the set succeed") {
  const auto k = key();
  Connection& text = open_connection();
  text.send(fmt::format("set {} 0 0 1\r\na\r\n", k));
  ASSERT_TRUE(text.expect("STORED\r\n"));
  const auto unique = text_cas(text, k);
  ASSERT_TRUE(unique);
  send(store(Opcode::kSet, k, "b", 0, 0, *unique));
  Packet got;
  ASSERT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero, &got));
  EXPECT_EQ(text_cas(text, k), std::optional<std::uint64_t>(got.cas));
}

// BinaryProtocolRevamped, Set: a text cas command accepts the cas a binary set answered
MC_TEST(BinaryStore, TextCasAcceptsBinaryCas, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a text cas command with the cas of a binary set answers STORED") {
  const auto k = key();
  const auto cas = set(k, "a");
  ASSERT_TRUE(cas);
  Connection& text = open_connection();
  text.send(fmt::format("cas {} 0 0 1 {}\r\nb\r\n", k, *cas));
  EXPECT_TRUE(text.expect("STORED\r\n"));
}

// memcached behaviour: a quiet set whose cas no longer matches answers the error
MC_TEST(BinaryStore, SetQStaleCasAnswers, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a setq carrying a stale cas answers Data exists with opcode setq, then the noop") {
  const auto k = key();
  const auto first = set(k, "1");
  ASSERT_TRUE(first);
  ASSERT_TRUE(set(k, "2"));
  send({store(Opcode::kSetQ, k, "3", 0, 0, *first), noop()});
  EXPECT_TRUE(expect(exists(Opcode::kSetQ)));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Replace: replace honours the cas too
MC_TEST(BinaryStore, ReplaceWithStaleCasIsExists, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a replace carrying a stale cas answers Data exists") {
  const auto k = key();
  const auto cas = set(k, "1");
  ASSERT_TRUE(cas);
  send(store(Opcode::kReplace, k, "2", 0, 0, *cas + 1000));
  EXPECT_TRUE(expect(exists(Opcode::kReplace)));
}

// BinaryProtocolRevamped, Set: an empty value is a value
MC_TEST(BinaryStore, EmptyValue, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a set of an empty value answers success and a text get shows 0 bytes") {
  const auto k = key();
  ASSERT_TRUE(set(k, ""));
  Connection& text = open_connection();
  text.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(text.expect(value_reply(k, "")));
}

// BinaryProtocolRevamped, Set: an absolute expiration in the past stores an item already expired
MC_TEST(BinaryStore, ExpirationInThePast, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kSetSpec,
        .checks = "a set with expiration 2592001 (1970, absolute) answers success; a get misses") {
  const auto k = key();
  send({store(Opcode::kSet, k, "gone", 0, 2592001), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kSet), CasCheck::kAnyNonZero));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Append: a request must carry no extras; appends to the value
MC_TEST(BinaryStore, AppendAddsAfter, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kAppendSpec,
        .checks =
            "an append answers success with a new cas; the value is the old one followed by the new bytes, "
            "flags kept") {
  const auto k = key();
  ASSERT_TRUE(set(k, "ab", 9));
  send(store(Opcode::kAppend, k, "cd"));
  Packet got;
  ASSERT_TRUE(expect(binary::response(Opcode::kAppend), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "abcd", 9, got.cas)));
}

// BinaryProtocolRevamped, Prepend: prepends to the value
MC_TEST(BinaryStore, PrependAddsBefore, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kAppendSpec,
        .checks = "a prepend answers success; the value is the new bytes then the old ones") {
  const auto k = key();
  ASSERT_TRUE(set(k, "cd", 3));
  send(store(Opcode::kPrepend, k, "ab"));
  Packet got;
  ASSERT_TRUE(expect(binary::response(Opcode::kPrepend), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "abcd", 3, got.cas)));
}

// memcached behaviour: append to a missing key is NOT_STORED (status 5)
MC_TEST(BinaryStore, AppendMissingIsNotStored, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an append to a missing key answers status 0x0005, \"Not stored.\", and stores nothing") {
  const auto k = key();
  send({store(Opcode::kAppend, k, "x"), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(not_stored(Opcode::kAppend)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: prepend to a missing key is NOT_STORED (status 5)
MC_TEST(BinaryStore, PrependMissingIsNotStored, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a prepend to a missing key answers status 0x0005, \"Not stored.\"") {
  send(store(Opcode::kPrepend, key(), "x"));
  EXPECT_TRUE(expect(not_stored(Opcode::kPrepend)));
}

// BinaryProtocolRevamped, Append Quietly: success answers nothing
MC_TEST(BinaryStore, AppendQIsSilent, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kAppendSpec,
        .checks = "an appendq to an existing key answers nothing; the value grew") {
  const auto k = key();
  ASSERT_TRUE(set(k, "a"));
  send({store(Opcode::kAppendQ, k, "b"), noop(6), get(Opcode::kGetK, k)});
  EXPECT_TRUE(expect_noop(6));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "ab", 0, 0, k), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Prepend Quietly: success answers nothing
MC_TEST(BinaryStore, PrependQIsSilent, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kAppendSpec,
        .checks = "a prependq to an existing key answers nothing; the value grew") {
  const auto k = key();
  ASSERT_TRUE(set(k, "b"));
  send({store(Opcode::kPrependQ, k, "a"), noop(7), get(Opcode::kGetK, k)});
  EXPECT_TRUE(expect_noop(7));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "ab", 0, 0, k), CasCheck::kAnyNonZero));
}

// memcached behaviour: a quiet append to a missing key answers its error
MC_TEST(BinaryStore, AppendQMissingAnswers, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an appendq to a missing key answers Not stored with opcode appendq and its opaque, then the noop") {
  send({with_opaque(store(Opcode::kAppendQ, key(), "x"), 0x1234), noop()});
  EXPECT_TRUE(expect(with_opaque(not_stored(Opcode::kAppendQ), 0x1234)));
  EXPECT_TRUE(expect_noop());
}

// memcached behaviour: a quiet prepend to a missing key answers its error
MC_TEST(BinaryStore, PrependQMissingAnswers, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a prependq to a missing key answers Not stored, then the noop") {
  send({store(Opcode::kPrependQ, key(), "x"), noop()});
  EXPECT_TRUE(expect(not_stored(Opcode::kPrependQ)));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Append: the cas applies to append
MC_TEST(BinaryStore, AppendWithStaleCasIsExists, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an append carrying a stale cas answers Data exists; the value is kept") {
  const auto k = key();
  const auto first = set(k, "a");
  ASSERT_TRUE(first);
  ASSERT_TRUE(set(k, "b"));
  send({store(Opcode::kAppend, k, "c", 0, 0, *first), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(exists(Opcode::kAppend)));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "b", 0, 0), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Append: with the item's cas the append succeeds
MC_TEST(BinaryStore, AppendWithRightCas, .feature = Feature::kBinaryStore, .level = Level::kSpec, .spec = kAppendSpec,
        .checks = "an append carrying the item's cas answers success; the value grew") {
  const auto k = key();
  const auto cas = set(k, "a");
  ASSERT_TRUE(cas);
  send({store(Opcode::kAppend, k, "b", 0, 0, *cas), get(Opcode::kGetK, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kAppend), CasCheck::kAnyNonZero));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "ab", 0, 0, k), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, quiet commands: setq, addq and replaceq in one write; only the failure answers
MC_TEST(BinaryStore, QuietMixOnlyErrorsAnswer, .feature = Feature::kBinaryStore, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "setq, addq (of the same key: fails), replaceq, then noop answer the addq error alone, "
            "then the noop; the replaceq took effect") {
  const auto k = key();
  send({with_opaque(store(Opcode::kSetQ, k, "1"), 1), with_opaque(store(Opcode::kAddQ, k, "2"), 2),
        with_opaque(store(Opcode::kReplaceQ, k, "3"), 3), noop(4), get(Opcode::kGetK, k)});
  EXPECT_TRUE(expect(with_opaque(exists(Opcode::kAddQ), 2)));
  EXPECT_TRUE(expect_noop(4));
  EXPECT_TRUE(expect(hit(Opcode::kGetK, "3", 0, 0, k), CasCheck::kAnyNonZero));
}

}  // namespace
}  // namespace mcconform::suites
