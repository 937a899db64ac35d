// libmemcached against one server, as an application uses it: every call, return codes by name,
// over the text protocol (client) and the binary protocol (client-binary).
#include <atomic>
#include <charconv>
#include <map>
#include <thread>

#include "client_protocols.hpp"
#include "mcconform/run_context.hpp"
#include "memc.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

// A libmemcached handle on the target, speaking the protocol the fixture names.
class OneServer : public ProtocolTest {
 protected:
  void SetUp() override {
    ProtocolTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    memc_ = std::make_unique<Memc>(std::vector<Endpoint>{RunContext::instance().primary()}, protocol());
  }
  virtual Protocol protocol() const = 0;
  Memc& memc() { return *memc_; }
  bool binary() const { return protocol() == Protocol::kBinary; }
  std::string value_of(std::string_view k, std::uint32_t* flags = nullptr) { return memc().value_or_error(k, flags); }

 private:
  std::unique_ptr<Memc> memc_;
};

// The cases that hold over both protocols, with the return codes each protocol gives where they differ.
class Client : public OneServer, public ::testing::WithParamInterface<Protocol> {
 protected:
  Protocol protocol() const override { return GetParam(); }
};

// Cases about something the binary protocol does not have (a key checked for spaces, a signed exptime).
class ClientText : public OneServer {
 protected:
  Protocol protocol() const override { return Protocol::kText; }
};

// Their binary counterparts: what the same calls do over the binary protocol.
class ClientBinaryOnly : public OneServer {
 protected:
  Protocol protocol() const override { return Protocol::kBinary; }
};

MC_TEST_P(Client, SetAndGetWithFlags, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (set)",
          .checks = "through libmemcached, a set with flags 4242 succeeds and a get returns the value and the flags") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "hello", 0, 4242));
  std::uint32_t flags = 0;
  EXPECT_EQ(value_of(k, &flags), "hello");
  EXPECT_EQ(flags, 4242u);
}

MC_TEST_P(Client, GetMissingIsNotFound, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Retrieval command (get)",
          .checks = "through libmemcached, a get of a missing key is MEMCACHED_NOTFOUND") {
  memcached_return_t rc;
  EXPECT_FALSE(memc().fetch(key(), nullptr, rc));
  EXPECT_RC(memc(), MEMCACHED_NOTFOUND, rc);
}

MC_TEST_P(
    Client, EmptyAndBinaryValues, .feature = Feature::kClient, .level = Level::kSpec, .spec = "protocol.txt: Protocol",
    .checks =
        "through libmemcached, an empty value and one holding all 256 bytes and \"\\r\\nEND\\r\\n\" come back byte "
        "for byte") {
  const auto a = key("a"), b = key("b");
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  binary += "\r\nEND\r\n";
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(a, ""));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(b, binary));
  EXPECT_EQ(value_of(a), "");
  EXPECT_EQ(value_of(b), binary);
}

MC_TEST_P(Client, AddOnlyWhenMissing, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (add)",
          .checks =
              "through libmemcached, add succeeds on a missing key and is refused on a present one, which keeps its "
              "value: MEMCACHED_NOTSTORED over text (NOT_STORED), MEMCACHED_DATA_EXISTS over binary (status 0x0002, "
              "key exists)") {
  const auto k = key();
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_add(memc(), k.data(), k.size(), "1", 1, 0, 0));
  EXPECT_RC(memc(), binary() ? MEMCACHED_DATA_EXISTS : MEMCACHED_NOTSTORED,
            memcached_add(memc(), k.data(), k.size(), "2", 1, 0, 0));
  EXPECT_EQ(value_of(k), "1");
}

MC_TEST_P(Client, ReplaceOnlyWhenPresent, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (replace)",
          .checks =
              "through libmemcached, replace of a missing key is refused, MEMCACHED_NOTSTORED over text, "
              "MEMCACHED_NOTFOUND over binary (status 0x0001, key not found); on a present key it succeeds") {
  const auto k = key();
  EXPECT_RC(memc(), binary() ? MEMCACHED_NOTFOUND : MEMCACHED_NOTSTORED,
            memcached_replace(memc(), k.data(), k.size(), "1", 1, 0, 0));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "0"));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_replace(memc(), k.data(), k.size(), "1", 1, 0, 0));
  EXPECT_EQ(value_of(k), "1");
}

MC_TEST_P(Client, AppendAndPrependKeepFlags, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (append, prepend)",
          .checks =
              "through libmemcached, append to a missing key is MEMCACHED_NOTSTORED over both protocols (binary status "
              "0x0005, item not stored); append and prepend to a present key "
              "concatenate and keep its flags") {
  const auto k = key();
  EXPECT_RC(memc(), MEMCACHED_NOTSTORED, memcached_append(memc(), k.data(), k.size(), "x", 1, 0, 0));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "mid", 0, 7));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_append(memc(), k.data(), k.size(), ">", 1, 0, 99));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_prepend(memc(), k.data(), k.size(), "<", 1, 0, 99));
  std::uint32_t flags = 0;
  EXPECT_EQ(value_of(k, &flags), "<mid>");
  EXPECT_EQ(flags, 7u);
}

MC_TEST_P(
    Client, DeleteExistingAndMissing, .feature = Feature::kClient, .level = Level::kSpec,
    .spec = "protocol.txt: Deletion",
    .checks = "through libmemcached, deleting a present key succeeds and deleting it again is MEMCACHED_NOTFOUND") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v"));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_delete(memc(), k.data(), k.size(), 0));
  EXPECT_RC(memc(), MEMCACHED_NOTFOUND, memcached_delete(memc(), k.data(), k.size(), 0));
}

MC_TEST_P(Client, IncrementAndDecrement, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Increment/Decrement",
          .checks =
              "through libmemcached, incr of a missing key is MEMCACHED_NOTFOUND, 10 incr 5 gives 15, and decr by 100 "
              "stops at 0") {
  const auto k = key();
  std::uint64_t value = 0;
  EXPECT_RC(memc(), MEMCACHED_NOTFOUND, memcached_increment(memc(), k.data(), k.size(), 1, &value));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "10"));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_increment(memc(), k.data(), k.size(), 5, &value));
  EXPECT_EQ(value, 15u);
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_decrement(memc(), k.data(), k.size(), 100, &value));
  EXPECT_EQ(value, 0u);
}

MC_TEST_P(Client, IncrementWrapsAt64Bits, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Increment/Decrement",
          .checks = "through libmemcached, incr of 2^64-1 by 1 wraps to 0") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "18446744073709551615"));
  std::uint64_t value = 99;
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_increment(memc(), k.data(), k.size(), 1, &value));
  EXPECT_EQ(value, 0u);
}

MC_TEST_P(Client, IncrementNonNumericIsRefused, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Increment/Decrement",
          .checks =
              "through libmemcached, incr of a non-numeric value is refused and the connection stays in step: "
              "MEMCACHED_CLIENT_ERROR over text, MEMCACHED_UNKNOWN_READ_FAILURE over binary (libmemcached has no code "
              "for status 0x0006, non-numeric value)") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "abc"));
  std::uint64_t value = 0;
  EXPECT_RC(memc(), binary() ? MEMCACHED_UNKNOWN_READ_FAILURE : MEMCACHED_CLIENT_ERROR,
            memcached_increment(memc(), k.data(), k.size(), 1, &value));
  EXPECT_EQ(value_of(k), "abc");  // and the connection is still in step
}

MC_TEST_P(
    Client, TouchExistingAndMissing, .feature = Feature::kClient, .level = Level::kSpec, .spec = "protocol.txt: Touch",
    .checks = "through libmemcached, touch of a missing key is MEMCACHED_NOTFOUND and of a present key succeeds") {
  const auto k = key();
  EXPECT_RC(memc(), MEMCACHED_NOTFOUND, memcached_touch(memc(), k.data(), k.size(), 100));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v"));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_touch(memc(), k.data(), k.size(), 100));
}

MC_TEST_P(Client, ExistUsesAnAddThatExpiresAtOnce, .feature = Feature::kClient, .level = Level::kCompat,
          .spec = "memcached behaviour",
          .checks =
              "memcached_exist (an add with exptime 2678400, a unix time in 1970) is NOTFOUND for a missing key and "
              "stores nothing, SUCCESS for a present one, which keeps its value") {
  // memcached_exist sends "add <key> 0 2678400 0": an absolute time in 1970, so nothing stays.
  const auto k = key();
  EXPECT_RC(memc(), MEMCACHED_NOTFOUND, memcached_exist(memc(), k.data(), k.size()));
  EXPECT_EQ(value_of(k), "<NOT FOUND>");
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v"));
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_exist(memc(), k.data(), k.size()));
  EXPECT_EQ(value_of(k), "v");
}

// Text only: the binary protocol's exptime is an unsigned field (ClientBinaryOnly below).
MC_TEST(ClientText, NegativeExpirationIsGone, .feature = Feature::kClient, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (exptime)",
        .checks = "through libmemcached, a set with exptime -1 leaves nothing to get") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v", static_cast<time_t>(-1)));
  EXPECT_EQ(value_of(k), "<NOT FOUND>");
}

MC_TEST(ClientBinaryOnly, ExpirationMinusOneIsAFarFutureTime, .feature = Feature::kClientBinary,
        .level = Level::kCompat, .spec = "memcached behaviour",
        .checks =
            "over binary, exptime is an unsigned 32-bit field: libmemcached sends -1 as 4294967295, an absolute unix "
            "time in 2106, and memcached keeps the item (over text, -1 expires it at once)") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v", static_cast<time_t>(-1)));
  EXPECT_EQ(value_of(k), "v");
}

MC_TEST_P(
    Client, MultiGetFetchesPresentKeysOnly, .feature = Feature::kClient, .level = Level::kSpec,
    .spec = "protocol.txt: Retrieval command (get)",
    .checks =
        "through libmemcached, mget of three present keys and a missing one fetches exactly the three, with their "
        "values and flags") {
  std::vector<std::string> keys = {key("a"), key("missing"), key("b"), key("c")};
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(keys[0], "A", 0, 1));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(keys[2], "B", 0, 2));
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(keys[3], "C", 0, 3));
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (const auto& k : keys) {
    pointers.push_back(k.data());
    lengths.push_back(k.size());
  }
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memcached_mget(memc(), pointers.data(), lengths.data(), keys.size()));
  std::map<std::string, std::pair<std::string, std::uint32_t>> seen;
  memcached_return_t rc;
  while (memcached_result_st* result = memcached_fetch_result(memc(), nullptr, &rc)) {
    seen[std::string(memcached_result_key_value(result), memcached_result_key_length(result))] = {
        std::string(memcached_result_value(result), memcached_result_length(result)), memcached_result_flags(result)};
    memcached_result_free(result);
  }
  EXPECT_TRUE(rc == MEMCACHED_END || rc == MEMCACHED_NOTFOUND) << memcached_strerror(memc(), rc);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[keys[0]], std::make_pair(std::string("A"), 1u));
  EXPECT_EQ(seen[keys[2]], std::make_pair(std::string("B"), 2u));
  EXPECT_EQ(seen[keys[3]], std::make_pair(std::string("C"), 3u));
}

class ClientCas : public Client {
 protected:
  std::uint64_t cas_of(const std::string& k) {
    auto found = memc().fetch_with_cas(k);
    return found ? found->cas : 0;
  }
};

MC_TEST_P(ClientCas, CasWithFetchedUniqueSucceeds, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (cas)",
          .checks = "through libmemcached, a cas with the unique from gets succeeds and stores the new value") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "old"));
  const std::uint64_t cas = cas_of(k);
  ASSERT_NE(cas, 0u);
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memcached_cas(memc(), k.data(), k.size(), "new", 3, 0, 0, cas));
  EXPECT_EQ(value_of(k), "new");
}

MC_TEST_P(ClientCas, StaleUniqueIsDataExists, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (cas)",
          .checks = "through libmemcached, a cas with a stale unique is MEMCACHED_DATA_EXISTS and keeps the value") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "one"));
  const std::uint64_t cas = cas_of(k);
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "two"));
  EXPECT_RC(memc(), MEMCACHED_DATA_EXISTS, memcached_cas(memc(), k.data(), k.size(), "three", 5, 0, 0, cas));
  EXPECT_EQ(value_of(k), "two");
}

MC_TEST_P(ClientCas, MissingKeyIsNotFound, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (cas)",
          .checks = "through libmemcached, a cas of a missing key is MEMCACHED_NOTFOUND") {
  const auto k = key();
  EXPECT_RC(memc(), MEMCACHED_NOTFOUND, memcached_cas(memc(), k.data(), k.size(), "x", 1, 0, 0, 12345));
}

MC_TEST_P(ClientCas, ConcurrentCasLoopsLoseNoUpdate, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (cas)",
          .checks =
              "four threads each doing 50 gets/cas increments see only SUCCESS or DATA_EXISTS, and the final value "
              "counts all 200 successes") {
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "0"));
  constexpr int kThreads = 4;
  constexpr int kIncrementsEach = 50;
  std::atomic<int> successes{0};
  std::atomic<bool> broken{false};
  const Endpoint server = RunContext::instance().primary();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Memc own({server}, GetParam());  // one handle per thread: libmemcached handles are not thread-safe
      for (int done = 0, attempts = 0; done < kIncrementsEach && attempts < 10000 && !broken; ++attempts) {
        const auto current = own.fetch_with_cas(k);
        // A value that is not the counter ends the loop: an exception here, off the test's own
        // thread, would abort the whole run.
        long counter = 0;
        if (!current ||
            std::from_chars(current->value.data(), current->value.data() + current->value.size(), counter).ec !=
                std::errc{}) {
          broken = true;
          break;
        }
        const std::string next = std::to_string(counter + 1);
        const memcached_return_t rc =
            memcached_cas(own, k.data(), k.size(), next.data(), next.size(), 0, 0, current->cas);
        if (rc == MEMCACHED_SUCCESS) {
          ++done;
          ++successes;
        } else if (rc != MEMCACHED_DATA_EXISTS) {
          broken = true;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_FALSE(broken) << "a cas loop saw an unexpected return code, a miss or a value that is not the counter";
  EXPECT_EQ(successes.load(), kThreads * kIncrementsEach);
  EXPECT_EQ(value_of(k), std::to_string(successes.load()));
}

MC_TEST_P(Client, KeyAtTheLimitAndOver, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Keys",
          .checks =
              "through libmemcached, a 250-byte key is stored and read; a 251-byte key is refused "
              "(MEMCACHED_BAD_KEY_PROVIDED)") {
  const auto ok = key_of_length(250);
  const auto over = key_of_length(251);
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memc().set(ok, "v"));
  EXPECT_EQ(value_of(ok), "v");
  EXPECT_RC(memc(), MEMCACHED_BAD_KEY_PROVIDED, memc().set(over, "v"));
}

// Text only: libmemcached checks keys only for the text protocol (MEMCACHED_BEHAVIOR_VERIFY_KEY
// cannot be set with the binary one, whose keys are length-prefixed); ClientBinaryOnly below.
MC_TEST(ClientText, KeyWithSpaceIsRefusedByTheClient, .feature = Feature::kClient, .level = Level::kSpec,
        .spec = "protocol.txt: Keys",
        .checks = "libmemcached refuses a key containing a space (MEMCACHED_BAD_KEY_PROVIDED)") {
  const std::string k = key() + " space";
  EXPECT_RC(memc(), MEMCACHED_BAD_KEY_PROVIDED, memc().set(k, "v"));
}

MC_TEST(ClientBinaryOnly, KeyWithSpaceAndLineEndIsStored, .feature = Feature::kClientBinary, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "over binary, keys are length-prefixed: libmemcached sends a key holding a space and \"\\r\\n\" and "
            "memcached stores it and gives it back; the key without them stays missing") {
  const std::string k = key() + " space\r\n";
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v"));
  EXPECT_EQ(value_of(k), "v");
  EXPECT_EQ(value_of(key()), "<NOT FOUND>");
}

MC_TEST_P(Client, LargestValueAndOneByteMore, .feature = Feature::kClient, .level = Level::kCompat,
          .spec = "memcached behaviour",
          .checks =
              "with -I 1m, key and value of 1048517 bytes together are stored; one byte more is MEMCACHED_E2BIG and "
              "removes the old value; the connection stays in step") {
  // With memcached's item accounting (-I 1m), key and value together may take 1048517 bytes.
  const auto k = key_of_length(10);
  const std::string largest(1048517 - k.size(), 'v');
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, largest));
  EXPECT_EQ(value_of(k).size(), largest.size());
  EXPECT_RC(memc(), MEMCACHED_E2BIG, memc().set(k, largest + "v"));
  EXPECT_EQ(value_of(k), "<NOT FOUND>") << "a refused set must not leave the old value";
  EXPECT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "small"));  // still in step
}

MC_TEST_P(Client, NoreplyWithBufferedRequestsLosesNothing, .feature = Feature::kClient, .level = Level::kSpec,
          .spec = "protocol.txt: Storage commands (noreply)",
          .checks =
              "200 buffered noreply sets through libmemcached (over binary, quiet sets) are all applied: after one "
              "round trip another client reads every value; each set returns MEMCACHED_SUCCESS over text, "
              "MEMCACHED_BUFFERED over binary") {
  memc().behavior(MEMCACHED_BEHAVIOR_BUFFER_REQUESTS, 1);
  memc().behavior(MEMCACHED_BEHAVIOR_NOREPLY, 1);
  constexpr int kKeys = 200;
  // libmemcached's text path answers a noreply write SUCCESS before it asks whether the write was
  // buffered; its binary path asks in the other order.
  const memcached_return_t queued = binary() ? MEMCACHED_BUFFERED : MEMCACHED_SUCCESS;
  for (int i = 0; i < kKeys; ++i) {
    const auto k = key(fmt::format("k{}", i));
    ASSERT_RC(memc(), queued, memc().set(k, std::to_string(i)));
  }
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memcached_flush_buffers(memc()));
  // noreply writes carry no acknowledgement: a round trip on the same connection is the point
  // after which the server has applied them all.
  EXPECT_EQ(value_of(key(fmt::format("k{}", kKeys - 1))), std::to_string(kKeys - 1));
  // Another client, without buffering, must now see every write.
  Memc reader({RunContext::instance().primary()}, GetParam());
  for (int i = 0; i < kKeys; ++i) {
    memcached_return_t rc;
    auto value = reader.fetch(key(fmt::format("k{}", i)), nullptr, rc);
    ASSERT_TRUE(value) << "key " << i << ": " << memcached_strerror(reader, rc);
    EXPECT_EQ(*value, std::to_string(i));
  }
}

MC_TEST_P(Client, TcpNodelay, .feature = Feature::kClient, .level = Level::kSpec, .spec = "protocol.txt: Protocol",
          .checks = "with TCP_NODELAY set, libmemcached's set and get work as usual") {
  memc().behavior(MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
  const auto k = key();
  ASSERT_RC(memc(), MEMCACHED_SUCCESS, memc().set(k, "v"));
  EXPECT_EQ(value_of(k), "v");
}

MC_CLIENT_PROTOCOLS(Client);
MC_CLIENT_PROTOCOLS(ClientCas);

}  // namespace
}  // namespace mcconform::suites
