// Binary increment and decrement: deltas, initial values, the 0xffffffff expiration, wrap, errors.
#include <string>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryArith : public BinaryTest {};

constexpr std::string_view kSpec = "BinaryProtocolRevamped: Increment, Decrement";
constexpr std::uint32_t kNoCreate = 0xffffffff;

// BinaryProtocolRevamped, Increment: the response body is the new value, 64 bits
MC_TEST(BinaryArith, IncrementExisting, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an increment by 5 of \"10\" answers the value 15 in 8 bytes and a new cas") {
  const auto k = key();
  const auto cas = set(k, "10");
  ASSERT_TRUE(cas);
  send(arith(Opcode::kIncrement, k, 5, 0, 0));
  Packet got;
  EXPECT_TRUE(expect(counter(Opcode::kIncrement, 15), CasCheck::kAnyNonZero, &got));
  EXPECT_NE(got.cas, *cas);
}

// BinaryProtocolRevamped, Decrement: the new value
MC_TEST(BinaryArith, DecrementExisting, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "a decrement by 3 of \"10\" answers the value 7") {
  const auto k = key();
  ASSERT_TRUE(set(k, "10"));
  send(arith(Opcode::kDecrement, k, 3, 0, 0));
  EXPECT_TRUE(expect(counter(Opcode::kDecrement, 7), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment: a missing item is created with the initial value
MC_TEST(BinaryArith, IncrementMissCreatesInitial, .feature = Feature::kBinaryArith, .level = Level::kSpec,
        .spec = kSpec,
        .checks = "an increment of a missing key with initial 100 answers 100 and stores \"100\" (flags 0)") {
  const auto k = key();
  send(arith(Opcode::kIncrement, k, 5, 100, 0));
  Packet got;
  ASSERT_TRUE(expect(counter(Opcode::kIncrement, 100), CasCheck::kAnyNonZero, &got));
  send(get(Opcode::kGet, k));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "100", 0, got.cas)));
}

// BinaryProtocolRevamped, Decrement: the initial value on a miss, not decremented
MC_TEST(BinaryArith, DecrementMissCreatesInitial, .feature = Feature::kBinaryArith, .level = Level::kSpec,
        .spec = kSpec, .checks = "a decrement of a missing key with initial 50 answers 50, not 50 minus the delta") {
  send(arith(Opcode::kDecrement, key(), 5, 50, 0));
  EXPECT_TRUE(expect(counter(Opcode::kDecrement, 50), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment: an expiration of all one bits (0xffffffff) means a miss is not
// created but answered as not found
MC_TEST(BinaryArith, IncrementMissNoCreateIsNotFound, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an increment of a missing key with expiration 0xffffffff answers Not found and stores nothing") {
  const auto k = key();
  send({arith(Opcode::kIncrement, k, 1, 0, kNoCreate), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(not_found(Opcode::kIncrement)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Decrement: 0xffffffff on a miss fails too
MC_TEST(BinaryArith, DecrementMissNoCreateIsNotFound, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a decrement of a missing key with expiration 0xffffffff answers Not found") {
  send(arith(Opcode::kDecrement, key(), 1, 0, kNoCreate));
  EXPECT_TRUE(expect(not_found(Opcode::kDecrement)));
}

// BinaryProtocolRevamped, Increment: 0xffffffff does not stop an existing counter
MC_TEST(BinaryArith, NoCreateExpirationOnHit, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an increment of an existing counter with expiration 0xffffffff increments it") {
  const auto k = key();
  ASSERT_TRUE(set(k, "1"));
  send(arith(Opcode::kIncrement, k, 1, 0, kNoCreate));
  EXPECT_TRUE(expect(counter(Opcode::kIncrement, 2), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment: 64-bit wrap
MC_TEST(BinaryArith, IncrementWraps, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an increment by 2 of 18446744073709551615 wraps to 1") {
  const auto k = key();
  ASSERT_TRUE(set(k, "18446744073709551615"));
  send(arith(Opcode::kIncrement, k, 2, 0, 0));
  EXPECT_TRUE(expect(counter(Opcode::kIncrement, 1), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Decrement: a counter never goes below 0
MC_TEST(BinaryArith, DecrementStopsAtZero, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "a decrement by 10 of \"3\" answers 0") {
  const auto k = key();
  ASSERT_TRUE(set(k, "3"));
  send(arith(Opcode::kDecrement, k, 10, 0, 0));
  EXPECT_TRUE(expect(counter(Opcode::kDecrement, 0), CasCheck::kAnyNonZero));
}

// memcached behaviour: a non-numeric value answers status 6 and its text
MC_TEST(BinaryArith, NonNumericIsBadValue, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an increment of \"abc\" answers status 0x0006, \"Non-numeric server-side value for incr or decr\"") {
  const auto k = key();
  ASSERT_TRUE(set(k, "abc"));
  send(arith(Opcode::kIncrement, k, 1, 0, 0));
  EXPECT_TRUE(expect(binary::error_response(Opcode::kIncrement, Status::kNonNumeric,
                                            "Non-numeric server-side value for incr or decr")));
}

// memcached behaviour: decrement of a non-numeric value fails the same way
MC_TEST(BinaryArith, DecrementNonNumeric, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a decrement of \"x1\" answers status 0x0006") {
  const auto k = key();
  ASSERT_TRUE(set(k, "x1"));
  send(arith(Opcode::kDecrement, k, 1, 0, 0));
  EXPECT_TRUE(expect(binary::error_response(Opcode::kDecrement, Status::kNonNumeric,
                                            "Non-numeric server-side value for incr or decr")));
}

// BinaryProtocolRevamped, Increment: the counter is kept as decimal text
MC_TEST(BinaryArith, StoredAsDecimalText, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an increment of \"99\" by 1 leaves the value \"100\" for a text get") {
  const auto k = key();
  ASSERT_TRUE(set(k, "99", 5));
  send(arith(Opcode::kIncrement, k, 1, 0, 0));
  ASSERT_TRUE(expect(counter(Opcode::kIncrement, 100), CasCheck::kAnyNonZero));
  Connection& text = open_connection();
  text.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(text.expect(value_reply(k, "100", 5)));
}

// BinaryProtocolRevamped, Increment Quietly: success answers nothing
MC_TEST(BinaryArith, IncrementQIsSilent, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an incrementq answers nothing before the noop; the counter changed") {
  const auto k = key();
  ASSERT_TRUE(set(k, "1"));
  send({arith(Opcode::kIncrementQ, k, 4, 0, 0), noop(1), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect_noop(1));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "5", 0, 0), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Decrement Quietly: success answers nothing
MC_TEST(BinaryArith, DecrementQIsSilent, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "a decrementq answers nothing before the noop; the counter changed") {
  const auto k = key();
  ASSERT_TRUE(set(k, "9"));
  send({arith(Opcode::kDecrementQ, k, 4, 0, 0), noop(2), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect_noop(2));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "5", 0, 0), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment Quietly: creating the initial value is a success, silent
MC_TEST(BinaryArith, IncrementQCreatesSilently, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an incrementq of a missing key with initial 7 answers nothing; the key holds \"7\"") {
  const auto k = key();
  send({arith(Opcode::kIncrementQ, k, 1, 7, 0), noop(3), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect_noop(3));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "7", 0, 0), CasCheck::kAnyNonZero));
}

// memcached behaviour: a quiet increment that misses with 0xffffffff answers its error
MC_TEST(BinaryArith, IncrementQMissAnswers, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "an incrementq of a missing key with expiration 0xffffffff answers Not found (opcode incrementq, "
            "its opaque), then the noop") {
  send({with_opaque(arith(Opcode::kIncrementQ, key(), 1, 0, kNoCreate), 21), noop(22)});
  EXPECT_TRUE(expect(with_opaque(not_found(Opcode::kIncrementQ), 21)));
  EXPECT_TRUE(expect_noop(22));
}

// memcached behaviour: a quiet decrement of a non-numeric value answers its error
MC_TEST(BinaryArith, DecrementQNonNumericAnswers, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a decrementq of a non-numeric value answers status 0x0006 with opcode decrementq, then the noop") {
  const auto k = key();
  ASSERT_TRUE(set(k, "nan"));
  send({arith(Opcode::kDecrementQ, k, 1, 0, 0), noop()});
  EXPECT_TRUE(expect(binary::error_response(Opcode::kDecrementQ, Status::kNonNumeric,
                                            "Non-numeric server-side value for incr or decr")));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Increment: the opaque is copied
MC_TEST(BinaryArith, OpaqueEchoed, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an increment answers with the request's opaque") {
  send(with_opaque(arith(Opcode::kIncrement, key(), 1, 0, 0), 0x0badf00d));
  EXPECT_TRUE(expect(with_opaque(counter(Opcode::kIncrement, 0), 0x0badf00d), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment: the cas it answers is the item's (text gets agrees)
MC_TEST(BinaryArith, CasMatchesTextGets, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "the cas an increment answers is the cas unique a text gets then shows") {
  const auto k = key();
  ASSERT_TRUE(set(k, "1"));
  send(arith(Opcode::kIncrement, k, 1, 0, 0));
  Packet got;
  ASSERT_TRUE(expect(counter(Opcode::kIncrement, 2), CasCheck::kAnyNonZero, &got));
  Connection& text = open_connection();
  EXPECT_EQ(text_cas(text, k), std::optional<std::uint64_t>(got.cas));
}

// memcached behaviour: an increment carrying a stale cas answers Data exists
MC_TEST(BinaryArith, StaleCasIsExists, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an increment carrying a cas the item does not have answers Data exists") {
  const auto k = key();
  const auto cas = set(k, "1");
  ASSERT_TRUE(cas);
  Packet request = arith(Opcode::kIncrement, k, 1, 0, 0);
  request.cas = *cas + 1;
  send({request, get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(exists(Opcode::kIncrement)));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "1", 0, *cas)));
}

// memcached behaviour: an increment carrying the item's cas succeeds
MC_TEST(BinaryArith, RightCasIncrements, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "an increment carrying the item's cas answers the new value") {
  const auto k = key();
  const auto cas = set(k, "1");
  ASSERT_TRUE(cas);
  Packet request = arith(Opcode::kIncrement, k, 1, 0, 0);
  request.cas = *cas;
  send(request);
  EXPECT_TRUE(expect(counter(Opcode::kIncrement, 2), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment: the delta is 64 bits
MC_TEST(BinaryArith, LargeDelta, .feature = Feature::kBinaryArith, .level = Level::kSpec, .spec = kSpec,
        .checks = "an increment of \"1\" by 0x7fffffffffffffff answers 0x8000000000000000") {
  const auto k = key();
  ASSERT_TRUE(set(k, "1"));
  send(arith(Opcode::kIncrement, k, 0x7fffffffffffffffULL, 0, 0));
  EXPECT_TRUE(expect(counter(Opcode::kIncrement, 0x8000000000000000ULL), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Increment: an initial value expiring in the past is gone at once
MC_TEST(BinaryArith, InitialWithPastExpiration, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "an increment creating its initial value with expiration 2592001 (1970) answers it; a get misses") {
  const auto k = key();
  send({arith(Opcode::kIncrement, k, 1, 3, 2592001), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(counter(Opcode::kIncrement, 3), CasCheck::kAnyNonZero));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// BinaryProtocolRevamped, Decrement: a counter decremented shrinks its text
MC_TEST(BinaryArith, DecrementShrinksText, .feature = Feature::kBinaryArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "a decrement of \"100\" by 1 answers 99 and leaves \"99 \": memcached decrements in place, "
            "padding the shorter number with a space") {
  const auto k = key();
  ASSERT_TRUE(set(k, "100"));
  send({arith(Opcode::kDecrement, k, 1, 0, 0), get(Opcode::kGet, k)});
  Packet got;
  EXPECT_TRUE(expect(counter(Opcode::kDecrement, 99), CasCheck::kAnyNonZero, &got));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "99 ", 0, got.cas)));
}

}  // namespace
}  // namespace mcconform::suites
