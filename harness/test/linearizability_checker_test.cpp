// The memcached model and the checker on hand-written histories: no sockets, no clock.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "mcconform/linearizability/checker.hpp"
#include "mcconform/linearizability/memcached_model.hpp"

namespace mcconform::linearizability {
namespace {

Operation base(int client, Time call, Time ret, Command command) {
  Operation op;
  op.client = client;
  op.key = "k";
  op.command = command;
  op.call = call;
  op.ret = ret;
  return op;
}

Operation store(int client, Time call, Time ret, Command command, std::string value, Reply reply,
                std::uint32_t flags = 0) {
  Operation op = base(client, call, ret, command);
  op.value = std::move(value);
  op.flags = flags;
  op.reply = reply;
  return op;
}

Operation set(int client, Time call, Time ret, std::string value, std::uint32_t flags = 0) {
  return store(client, call, ret, Command::kSet, std::move(value), Reply::kStored, flags);
}

Operation cas(int client, Time call, Time ret, std::string value, std::uint64_t unique, Reply reply) {
  Operation op = store(client, call, ret, Command::kCas, std::move(value), reply);
  op.argument = unique;
  return op;
}

Operation del(int client, Time call, Time ret, Reply reply) {
  Operation op = base(client, call, ret, Command::kDelete);
  op.reply = reply;
  return op;
}

Operation arith(int client, Time call, Time ret, Command command, std::uint64_t delta, Reply reply,
                std::uint64_t number = 0) {
  Operation op = base(client, call, ret, command);
  op.argument = delta;
  op.reply = reply;
  op.out_number = number;
  return op;
}

Operation get(int client, Time call, Time ret, std::optional<std::string> value, std::uint32_t flags = 0) {
  Operation op = base(client, call, ret, Command::kGet);
  op.reply = value ? Reply::kHit : Reply::kMiss;
  op.out_value = value.value_or("");
  op.out_flags = flags;
  return op;
}

Operation gets(int client, Time call, Time ret, std::optional<std::string> value, std::uint64_t unique,
               std::uint32_t flags = 0) {
  Operation op = get(client, call, ret, std::move(value), flags);
  op.command = Command::kGets;
  op.out_unique = unique;
  return op;
}

Operation pending(Operation op) {
  op.ret = kNever;
  op.reply = Reply::kUnknown;
  op.note = "timed out";
  return op;
}

Verdict verdict(const History& history) { return check_history(history).verdict; }

constexpr Verdict kOk = Verdict::kLinearizable;
constexpr Verdict kBad = Verdict::kNotLinearizable;

// Storage commands.

TEST(MemcachedModel, EmptyHistoryIsLinearizable) { EXPECT_EQ(verdict({}), kOk); }

TEST(MemcachedModel, KeyStartsAbsent) {
  EXPECT_EQ(verdict({get(1, 0, 1, std::nullopt)}), kOk);
  EXPECT_EQ(verdict({get(1, 0, 1, "x")}), kBad);
}

TEST(MemcachedModel, SetThenGetSeesValueAndFlags) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a", 5), get(2, 20, 30, "a", 5)}), kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "a", 5), get(2, 20, 30, "a", 6)}), kBad);
}

TEST(MemcachedModel, StaleReadAfterAcknowledgedWriteIsAViolation) {
  EXPECT_EQ(verdict({set(1, 0, 10, "old"), set(1, 20, 30, "new"), get(2, 40, 50, "old")}), kBad);
}

TEST(MemcachedModel, ReadConcurrentWithWriteMaySeeEither) {
  EXPECT_EQ(verdict({set(1, 0, 10, "old"), set(1, 20, 60, "new"), get(2, 30, 40, "old"), get(3, 30, 40, "new")}), kOk);
}

TEST(MemcachedModel, OnlyOneOfTwoConcurrentAddsStores) {
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kAdd, "a", Reply::kStored),
                     store(2, 0, 10, Command::kAdd, "b", Reply::kNotStored), get(1, 20, 30, "a")}),
            kOk);
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kAdd, "a", Reply::kStored),
                     store(2, 0, 10, Command::kAdd, "b", Reply::kStored)}),
            kBad);
}

TEST(MemcachedModel, ReplaceNeedsThePresentKey) {
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kReplace, "a", Reply::kNotStored), get(1, 20, 30, std::nullopt)}), kOk);
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kReplace, "a", Reply::kStored)}), kBad);
}

TEST(MemcachedModel, AppendAndPrependKeepTheFlags) {
  EXPECT_EQ(verdict({set(1, 0, 10, "b", 9), store(1, 20, 30, Command::kAppend, "c", Reply::kStored, 1),
                     store(1, 40, 50, Command::kPrepend, "a", Reply::kStored, 2), get(1, 60, 70, "abc", 9)}),
            kOk);
}

TEST(MemcachedModel, ConcurrentAppendsMayLandInEitherOrder) {
  const History h = {set(1, 0, 10, ""), store(2, 20, 40, Command::kAppend, "x", Reply::kStored),
                     store(3, 20, 40, Command::kAppend, "y", Reply::kStored)};
  History one = h, other = h;
  one.push_back(get(1, 50, 60, "xy"));
  other.push_back(get(1, 50, 60, "yx"));
  EXPECT_EQ(verdict(one), kOk);
  EXPECT_EQ(verdict(other), kOk);
}

TEST(MemcachedModel, AppendThatDropsAnotherAppendIsAViolation) {
  EXPECT_EQ(verdict({set(1, 0, 10, ""), store(2, 20, 40, Command::kAppend, "x", Reply::kStored),
                     store(3, 20, 40, Command::kAppend, "y", Reply::kStored), get(1, 50, 60, "y")}),
            kBad);
}

TEST(MemcachedModel, AppendToMissingKeyIsNotStored) {
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kAppend, "x", Reply::kNotStored)}), kOk);
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kAppend, "x", Reply::kStored)}), kBad);
}

TEST(MemcachedModel, DeleteRemovesTheKey) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), del(1, 20, 30, Reply::kDeleted), get(2, 40, 50, std::nullopt),
                     del(2, 60, 70, Reply::kNotFound)}),
            kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), del(1, 20, 30, Reply::kDeleted), get(2, 40, 50, "a")}), kBad);
}

// incr and decr.

TEST(MemcachedModel, IncrAndDecrCount) {
  EXPECT_EQ(verdict({set(1, 0, 10, "5", 3), arith(1, 20, 30, Command::kIncr, 10, Reply::kNumber, 15),
                     arith(1, 40, 50, Command::kDecr, 20, Reply::kNumber, 0), get(1, 60, 70, "0 ", 3)}),
            kOk);
}

TEST(MemcachedModel, IncrWrapsAt64Bits) {
  EXPECT_EQ(verdict({set(1, 0, 10, "18446744073709551615"), arith(1, 20, 30, Command::kIncr, 2, Reply::kNumber, 1)}),
            kOk);
}

TEST(MemcachedModel, ShortenedNumberMayBePaddedOrNot) {
  const History h = {set(1, 0, 10, "10"), arith(1, 20, 30, Command::kDecr, 1, Reply::kNumber, 9)};
  History padded = h, exact = h, wrong = h;
  padded.push_back(get(1, 40, 50, "9 "));
  exact.push_back(get(1, 40, 50, "9"));
  wrong.push_back(get(1, 40, 50, "9x"));
  EXPECT_EQ(verdict(padded), kOk);
  EXPECT_EQ(verdict(exact), kOk);
  EXPECT_EQ(verdict(wrong), kBad);
}

TEST(MemcachedModel, IncrOnMissingOrNonNumericValue) {
  EXPECT_EQ(verdict({arith(1, 0, 10, Command::kIncr, 1, Reply::kNotFound), set(1, 20, 30, "1a"),
                     arith(1, 40, 50, Command::kIncr, 1, Reply::kNonNumeric),
                     set(1, 60, 70, "123456789012345678901"),  // beyond 64 bits
                     arith(1, 80, 90, Command::kDecr, 1, Reply::kNonNumeric)}),
            kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "12"), arith(1, 20, 30, Command::kIncr, 1, Reply::kNonNumeric)}), kBad);
}

TEST(MemcachedModel, LostIncrementIsAViolation) {
  const History h = {set(1, 0, 10, "5"), arith(2, 20, 40, Command::kIncr, 1, Reply::kNumber, 6)};
  History good = h, lost = h;
  good.push_back(arith(3, 20, 40, Command::kIncr, 1, Reply::kNumber, 7));
  lost.push_back(arith(3, 20, 40, Command::kIncr, 1, Reply::kNumber, 6));
  EXPECT_EQ(verdict(good), kOk);
  EXPECT_EQ(verdict(lost), kBad);
}

// cas uniques.

TEST(MemcachedModel, UniqueStaysUntilAModification) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), gets(2, 40, 50, "a", 7)}), kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), gets(2, 40, 50, "a", 8)}), kBad);
}

TEST(MemcachedModel, ModificationGivesANewUnique) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), set(1, 40, 50, "a"), gets(2, 60, 70, "a", 9)}), kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), set(1, 40, 50, "a"), gets(2, 60, 70, "a", 7)}), kBad);
}

// memcached gives the copy of an item that a racing gets still reads the unique of the incr that
// replaced it: that gets returns the old number with the new unique, which a later gets shows with
// the new number. The same pair after a set, or a stale number with an old unique, is a violation.
TEST(MemcachedModel, GetsRacingAnIncrMaySeeTheOldNumberWithTheNewUnique) {
  EXPECT_EQ(verdict({set(1, 0, 10, "5"), arith(2, 20, 30, Command::kIncr, 1, Reply::kNumber, 6),
                     gets(3, 15, 35, "5", 9), gets(3, 40, 50, "6", 9)}),
            kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "5"), arith(2, 20, 30, Command::kDecr, 1, Reply::kNumber, 4),
                     gets(3, 15, 35, "5", 9), gets(3, 40, 50, "4", 9)}),
            kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "5"), set(2, 20, 30, "6"), gets(3, 15, 35, "5", 9), gets(3, 40, 50, "6", 9)}), kBad);
  // Only the data from just before the last incr or decr: not from two of them ago.
  EXPECT_EQ(verdict({set(1, 0, 10, "5"), arith(2, 20, 30, Command::kIncr, 1, Reply::kNumber, 6),
                     arith(2, 40, 50, Command::kIncr, 1, Reply::kNumber, 7), gets(3, 60, 70, "6", 9)}),
            kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "5"), arith(2, 20, 30, Command::kIncr, 1, Reply::kNumber, 6),
                     arith(2, 40, 50, Command::kIncr, 1, Reply::kNumber, 7), gets(3, 60, 70, "5", 9)}),
            kBad);
  // A plain get has no unique to pair with: after the incr it must see the new number.
  EXPECT_EQ(verdict({set(1, 0, 10, "5"), arith(2, 20, 30, Command::kIncr, 1, Reply::kNumber, 6), get(3, 40, 50, "5")}),
            kBad);
}

TEST(MemcachedModel, UniqueReusedAfterDeleteAndAddIsAViolation) {
  EXPECT_EQ(verdict({store(1, 0, 10, Command::kAdd, "a", Reply::kStored), gets(1, 20, 30, "a", 1),
                     del(2, 40, 50, Reply::kDeleted), store(2, 60, 70, Command::kAdd, "b", Reply::kStored),
                     gets(3, 80, 90, "b", 1)}),
            kBad);
}

TEST(MemcachedModel, CasWithTheCurrentUniqueStores) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), cas(1, 40, 50, "b", 7, Reply::kStored),
                     cas(2, 60, 70, "c", 7, Reply::kExists), get(2, 80, 90, "b")}),
            kOk);
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), cas(1, 40, 50, "b", 7, Reply::kExists)}), kBad);
}

TEST(MemcachedModel, CasWithAUniqueFromBeforeAModificationFails) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), set(2, 40, 50, "x"),
                     cas(1, 60, 70, "b", 7, Reply::kStored)}),
            kBad);
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), cas(1, 40, 50, "b", 7, Reply::kStored),
                     cas(2, 60, 70, "c", 7, Reply::kStored)}),
            kBad);
}

TEST(MemcachedModel, CasRacingAWriteMayWinOrLose) {
  const History h = {set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), set(2, 40, 60, "x")};
  History won = h, lost = h;
  won.push_back(cas(1, 40, 60, "b", 7, Reply::kStored));
  lost.push_back(cas(1, 40, 60, "b", 7, Reply::kExists));
  EXPECT_EQ(verdict(won), kOk);
  EXPECT_EQ(verdict(lost), kOk);
}

TEST(MemcachedModel, CasOnMissingKeyIsNotFound) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), gets(1, 20, 30, "a", 7), del(2, 40, 50, Reply::kDeleted),
                     cas(1, 60, 70, "b", 7, Reply::kNotFound)}),
            kOk);
}

// Operations whose outcome is unknown.

TEST(MemcachedModel, TimedOutWriteMayHaveHappenedLate) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), pending(set(2, 20, 30, "b")), get(1, 40, 50, "a"), get(1, 60, 70, "b")}), kOk);
}

TEST(MemcachedModel, TimedOutWriteMayNeverHaveHappened) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), pending(set(2, 20, 30, "b")), get(1, 40, 50, "a")}), kOk);
}

TEST(MemcachedModel, TimedOutWriteTakesEffectAtMostOnce) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), pending(set(2, 20, 30, "b")), get(1, 40, 50, "b"), get(1, 60, 70, "a")}),
            kBad);
}

TEST(MemcachedModel, TimedOutIncrCountsOnceOrNotAtAll) {
  const History h = {set(1, 0, 10, "5"), pending(arith(2, 20, 30, Command::kIncr, 1, Reply::kNumber, 0))};
  for (const auto& [seen, expected] : {std::pair{"5", kOk}, {"6", kOk}, {"7", kBad}}) {
    History history = h;
    history.push_back(get(1, 40, 50, seen));
    EXPECT_EQ(verdict(history), expected) << seen;
  }
}

TEST(MemcachedModel, TimedOutCasWithAnUnseenUniqueMayHaveStored) {
  EXPECT_EQ(verdict({set(1, 0, 10, "a"), pending(cas(2, 20, 30, "b", 99, Reply::kUnknown)), get(1, 40, 50, "b")}), kOk);
}

TEST(MemcachedModel, AnythingStateAllowsEveryFirstReply) {
  MemcachedModel model;
  KeyState next;
  for (const Operation& op :
       {get(1, 0, 1, "x"), get(1, 0, 1, std::nullopt), gets(1, 0, 1, "x", 4),
        arith(1, 0, 1, Command::kIncr, 1, Reply::kNumber, 4), arith(1, 0, 1, Command::kIncr, 1, Reply::kNotFound),
        cas(1, 0, 1, "v", 3, Reply::kStored), store(1, 0, 1, Command::kAdd, "v", Reply::kStored),
        store(1, 0, 1, Command::kAdd, "v", Reply::kNotStored)}) {
    EXPECT_TRUE(model.step(KeyState::anything(), op, next)) << describe_input(op) << " -> " << describe_output(op);
  }
}

TEST(MemcachedModel, CounterParsingFollowsStrtoull) {
  EXPECT_EQ(parse_counter("42"), 42u);
  EXPECT_EQ(parse_counter("9 "), 9u);
  EXPECT_EQ(parse_counter("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_counter("18446744073709551616").has_value());
  EXPECT_FALSE(parse_counter("").has_value());
  EXPECT_FALSE(parse_counter("4a").has_value());
  EXPECT_FALSE(parse_counter("a4").has_value());
}

// The checker's report.

History lost_increment_in_a_long_history() {
  History h = {store(1, 0, 5, Command::kAdd, "100", Reply::kStored)};
  std::uint64_t counter = 100;
  Time t = 10;
  for (int i = 0; i < 60; ++i, t += 10) {  // three clients taking turns, some reads
    h.push_back(arith(1 + i % 3, t, t + 5, Command::kIncr, 1, Reply::kNumber, ++counter));
    if (i % 4 == 0) h.push_back(get(2, t + 6, t + 8, std::to_string(counter)));
  }
  // Two overlapping increments that both answer the same number: one update was lost.
  h.push_back(arith(1, t, t + 8, Command::kIncr, 1, Reply::kNumber, counter + 1));
  h.push_back(arith(2, t + 1, t + 9, Command::kIncr, 1, Reply::kNumber, counter + 1));
  t += 20;
  for (int i = 0; i < 40; ++i, t += 10) h.push_back(get(3, t, t + 5, std::to_string(counter + 2)));
  return h;
}

TEST(LinearizabilityChecker, WitnessIsTheFewOperationsInvolved) {
  const CheckReport report = check_history(lost_increment_in_a_long_history());
  ASSERT_EQ(report.verdict, kBad);
  ASSERT_EQ(report.keys.size(), 1u);
  const KeyVerdict& key = report.keys.front();
  EXPECT_LE(key.witness.size(), 3u) << report.render();
  EXPECT_TRUE(key.witness_from_any_state);
  const std::string text = report.render();
  EXPECT_NE(text.find("NOT linearizable"), std::string::npos) << text;
  EXPECT_NE(text.find("incr 1 -> 161"), std::string::npos) << text;
  EXPECT_NE(text.find("so incr 1 answers 162"), std::string::npos) << text;
}

TEST(LinearizabilityChecker, KeysAreCheckedIndependently) {
  Operation a = set(1, 0, 10, "x");
  Operation b = get(2, 20, 30, "x");
  b.key = "other";
  const CheckReport report = check_history({a, b});
  EXPECT_EQ(report.verdict, kBad);
  ASSERT_EQ(report.keys.size(), 2u);
  EXPECT_EQ(report.keys[0].verdict, kOk);
  EXPECT_EQ(report.keys[1].verdict, kBad);
  EXPECT_EQ(report.keys[1].key, "other");
}

TEST(LinearizabilityChecker, ReuseWitnessExplainsTheUnique) {
  const CheckReport report = check_history(
      {store(1, 0, 10, Command::kAdd, "a", Reply::kStored), gets(1, 20, 30, "a", 1), del(2, 40, 50, Reply::kDeleted),
       store(2, 60, 70, Command::kAdd, "b", Reply::kStored), get(3, 72, 78, "b"), gets(3, 80, 90, "b", 1)});
  ASSERT_EQ(report.verdict, kBad);
  const std::string text = report.render();
  EXPECT_NE(text.find("already observed"), std::string::npos) << text;
  EXPECT_EQ(report.keys.front().witness.size(), 4u) << text;  // the unneeded get is dropped
}

TEST(LinearizabilityChecker, TimeBoundGivesInconclusive) {
  CheckOptions options;
  options.time_limit = std::chrono::milliseconds(0);
  History h;
  for (int i = 0; i < 3000; ++i) h.push_back(set(1 + i % 8, i, i + 40, std::to_string(i % 5)));
  const CheckReport report = check_history(h, options);
  EXPECT_EQ(report.verdict, Verdict::kUnknown);
  EXPECT_NE(report.render().find("inconclusive"), std::string::npos);
}

}  // namespace
}  // namespace mcconform::linearizability

namespace mcconform::linearizability {
namespace {

TEST(ModelValue, PiecesJoinInOrderAndCompareByContent) {
  const Value built = Value("cd").appended("ef").prepended("b").appended("g").prepended("a");
  EXPECT_EQ(built.str(), "abcdefg");
  EXPECT_EQ(built.size(), 7u);
  EXPECT_TRUE(built == Value("abcdefg"));
  EXPECT_FALSE(built == Value("abcdefh"));
  EXPECT_FALSE(Value("ab").appended("c") == Value("a").appended("bd"));
  EXPECT_TRUE(Value().appended("") == Value(""));
}

}  // namespace
}  // namespace mcconform::linearizability
