// Binary delete and deleteq: hits, misses, cas compare, quiet forms, opaque.
#include <string>

#include "binary_test.hpp"

namespace mcconform::suites {
namespace {

class BinaryDelete : public BinaryTest {};

constexpr std::string_view kSpec = "BinaryProtocolRevamped: Delete";

// BinaryProtocolRevamped, Delete: a key, no extras, no value
MC_TEST(BinaryDelete, HitAnswersSuccess, .feature = Feature::kBinaryDelete, .level = Level::kSpec, .spec = kSpec,
        .checks = "a delete of a stored key answers success with no body, and a get then misses") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({binary::request(Opcode::kDelete, k), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kDelete)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: a delete miss is Not found
MC_TEST(BinaryDelete, MissIsNotFound, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a delete of a missing key answers status 0x0001, \"Not found\"") {
  send(binary::request(Opcode::kDelete, key()));
  EXPECT_TRUE(expect(not_found(Opcode::kDelete)));
}

// BinaryProtocolRevamped, Delete: the opaque is copied on success
MC_TEST(BinaryDelete, OpaqueOnHit, .feature = Feature::kBinaryDelete, .level = Level::kSpec, .spec = kSpec,
        .checks = "a delete hit answers with the request's opaque") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send(with_opaque(binary::request(Opcode::kDelete, k), 0xa5a5a5a5));
  EXPECT_TRUE(expect(with_opaque(binary::response(Opcode::kDelete), 0xa5a5a5a5)));
}

// memcached behaviour: the opaque is copied on a miss
MC_TEST(BinaryDelete, OpaqueOnMiss, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a delete miss answers Not found with the request's opaque") {
  send(with_opaque(binary::request(Opcode::kDelete, key()), 0x11223344));
  EXPECT_TRUE(expect(with_opaque(not_found(Opcode::kDelete), 0x11223344)));
}

// BinaryProtocolRevamped, Delete Quietly: success answers nothing
MC_TEST(BinaryDelete, DeleteQHitIsSilent, .feature = Feature::kBinaryDelete, .level = Level::kSpec, .spec = kSpec,
        .checks = "a deleteq of a stored key answers nothing before the noop, and the key is gone") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({binary::request(Opcode::kDeleteQ, k), noop(8), get(Opcode::kGet, k)});
  EXPECT_TRUE(expect_noop(8));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: a quiet delete of a missing key answers its error
MC_TEST(BinaryDelete, DeleteQMissAnswers, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a deleteq of a missing key answers Not found with opcode deleteq and its opaque, then the noop") {
  send({with_opaque(binary::request(Opcode::kDeleteQ, key()), 99), noop()});
  EXPECT_TRUE(expect(with_opaque(not_found(Opcode::kDeleteQ), 99)));
  EXPECT_TRUE(expect_noop());
}

// BinaryProtocolRevamped, Delete: a cas that matches lets the delete happen
MC_TEST(BinaryDelete, WithRightCas, .feature = Feature::kBinaryDelete, .level = Level::kSpec, .spec = kSpec,
        .checks = "a delete carrying the item's cas answers success") {
  const auto k = key();
  const auto cas = set(k, "v");
  ASSERT_TRUE(cas);
  Packet request = binary::request(Opcode::kDelete, k);
  request.cas = *cas;
  send({request, get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kDelete)));
  EXPECT_TRUE(expect(not_found(Opcode::kGet)));
}

// memcached behaviour: a delete with a stale cas answers Data exists and keeps the item
MC_TEST(BinaryDelete, WithStaleCasIsExists, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "a delete carrying a cas the item does not have answers Data exists; the item stays") {
  const auto k = key();
  const auto cas = set(k, "v");
  ASSERT_TRUE(cas);
  Packet request = binary::request(Opcode::kDelete, k);
  request.cas = *cas + 1;
  send({request, get(Opcode::kGet, k)});
  EXPECT_TRUE(expect(exists(Opcode::kDelete)));
  EXPECT_TRUE(expect(hit(Opcode::kGet, "v", 0, *cas)));
}

// memcached behaviour: a quiet delete with a stale cas answers its error
MC_TEST(BinaryDelete, DeleteQStaleCasAnswers, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a deleteq carrying a stale cas answers Data exists, then the noop") {
  const auto k = key();
  const auto cas = set(k, "v");
  ASSERT_TRUE(cas);
  Packet request = binary::request(Opcode::kDeleteQ, k);
  request.cas = *cas + 7;
  send({request, noop()});
  EXPECT_TRUE(expect(exists(Opcode::kDeleteQ)));
  EXPECT_TRUE(expect_noop());
}

// memcached behaviour: a delete with a cas of a missing key is Not found
MC_TEST(BinaryDelete, CasOnMissingIsNotFound, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "a delete carrying a cas for a missing key answers Not found") {
  Packet request = binary::request(Opcode::kDelete, key());
  request.cas = 42;
  send(request);
  EXPECT_TRUE(expect(not_found(Opcode::kDelete)));
}

// BinaryProtocolRevamped, Delete: an item stored by text is deleted by binary
MC_TEST(BinaryDelete, DeletesTextItem, .feature = Feature::kBinaryDelete, .level = Level::kSpec, .spec = kSpec,
        .checks = "a binary delete removes an item a text set stored; a text get then answers END") {
  const auto k = key();
  Connection& text = open_connection();
  text.send(fmt::format("set {} 0 0 1\r\nt\r\n", k));
  ASSERT_TRUE(text.expect("STORED\r\n"));
  send(binary::request(Opcode::kDelete, k));
  ASSERT_TRUE(expect(binary::response(Opcode::kDelete)));
  text.send(fmt::format("get {}\r\n", k));
  EXPECT_TRUE(text.expect("END\r\n"));
}

// BinaryProtocolRevamped, Delete: after a delete the key is free for add
MC_TEST(BinaryDelete, AddAfterDelete, .feature = Feature::kBinaryDelete, .level = Level::kSpec, .spec = kSpec,
        .checks = "an add after a delete of the key answers success") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({binary::request(Opcode::kDelete, k), store(Opcode::kAdd, k, "w")});
  EXPECT_TRUE(expect(binary::response(Opcode::kDelete)));
  EXPECT_TRUE(expect(binary::response(Opcode::kAdd), CasCheck::kAnyNonZero));
}

// BinaryProtocolRevamped, Delete: a second delete of the same key misses
MC_TEST(BinaryDelete, TwiceMissesSecondTime, .feature = Feature::kBinaryDelete, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "two deletes of one key answer success, then Not found") {
  const auto k = key();
  ASSERT_TRUE(set(k, "v"));
  send({binary::request(Opcode::kDelete, k), binary::request(Opcode::kDelete, k)});
  EXPECT_TRUE(expect(binary::response(Opcode::kDelete)));
  EXPECT_TRUE(expect(not_found(Opcode::kDelete)));
}

}  // namespace
}  // namespace mcconform::suites
