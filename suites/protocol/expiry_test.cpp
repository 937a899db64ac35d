// touch, gat and expiration times. Waits are grouped: one real-time wait checks many items.
#include <chrono>
#include <thread>

#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class Expiry : public ProtocolTest {
 protected:
  static std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // A server's clock may tick up to a second late: waiting 2.5 s moves it at least 2 seconds.
  static void wait_past_one_second_expiry() { std::this_thread::sleep_for(std::chrono::milliseconds(2500)); }
};

MC_TEST(Expiry, TouchExistingAndMissing, .feature = Feature::kTouch, .level = Level::kSpec,
        .spec = "protocol.txt: Touch", .checks = "touch of a present key answers TOUCHED, of a missing key NOT_FOUND") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("touch {} 100\r\ntouch {} 100\r\n", k, key("missing")));
  EXPECT_TRUE(conn().expect("TOUCHED\r\nNOT_FOUND\r\n"));
}

MC_TEST(Expiry, TouchKeepsValueAndFlags, .feature = Feature::kTouch, .level = Level::kSpec,
        .spec = "protocol.txt: Touch", .checks = "touch changes neither the value nor the flags") {
  const auto k = key();
  ASSERT_TRUE(store(k, "value", 12));
  conn().send(fmt::format("touch {} 0\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("TOUCHED\r\n" + value_reply(k, "value", 12)));
}

MC_TEST(Expiry, TouchWithBadExptimeIsClientError, .feature = Feature::kTouch, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "touch with a non-numeric exptime answers \"CLIENT_ERROR invalid exptime argument\"") {
  conn().send(fmt::format("touch {} soon\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid exptime argument\r\n"));
}

MC_TEST(Expiry, TouchWithoutExptimeIsError, .feature = Feature::kTouch, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "touch without an exptime answers ERROR") {
  conn().send(fmt::format("touch {}\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\n"));
}

MC_TEST(Expiry, NegativeExptimeIsAlreadyExpired, .feature = Feature::kExpiry, .level = Level::kSpec,
        .spec = "protocol.txt: Storage commands (exptime)",
        .checks = "a set with a negative exptime answers STORED and the item is expired at once") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 -1 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nEND\r\n"));
}

MC_TEST(Expiry, AbsoluteTimeInThePastIsAlreadyExpired, .feature = Feature::kExpiry, .level = Level::kSpec,
        .spec = "protocol.txt: Expiration times",
        .checks = "an exptime above 30 days is a unix time: one an hour in the past is expired at once") {
  const auto k = key();
  // Above 30 days an exptime is a unix time; one hour ago is gone at once.
  conn().send(fmt::format("set {} 0 {} 1\r\nx\r\nget {}\r\n", k, unix_now() - 3600, k));
  EXPECT_TRUE(conn().expect("STORED\r\nEND\r\n"));
}

MC_TEST(Expiry, ThirtyDaysAndOneSecondIsAnAbsoluteTimeLongPast, .feature = Feature::kExpiry, .level = Level::kSpec,
        .spec = "protocol.txt: Expiration times",
        .checks = "an exptime of 2592001 (30 days and a second) is a unix time in 1970, expired at once") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 2592001 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\nEND\r\n"));
}

MC_TEST(Expiry, ThirtyDaysExactlyIsRelative, .feature = Feature::kExpiry, .level = Level::kSpec,
        .spec = "protocol.txt: Expiration times",
        .checks = "an exptime of exactly 2592000 (30 days) is relative and the item is kept") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 2592000 1\r\nx\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "x")));
}

MC_TEST(Expiry, AbsoluteTimeInTheFutureIsKept, .feature = Feature::kExpiry, .level = Level::kSpec,
        .spec = "protocol.txt: Expiration times",
        .checks = "an absolute exptime an hour in the future keeps the item") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 {} 1\r\nx\r\nget {}\r\n", k, unix_now() + 3600, k));
  EXPECT_TRUE(conn().expect("STORED\r\n" + value_reply(k, "x")));
}

MC_TEST(Expiry, TouchWithNegativeExptimeExpires, .feature = Feature::kTouch, .level = Level::kSpec,
        .spec = "protocol.txt: Touch",
        .checks = "touch with a negative exptime answers TOUCHED and the item is then expired") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("touch {} -1\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect("TOUCHED\r\nEND\r\n"));
}

MC_TEST(Expiry, GatWithNegativeExptimeReturnsThenExpires, .feature = Feature::kTouch, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "gat with a negative exptime returns the item, which is then expired") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("gat -1 {}\r\nget {}\r\n", k, k));
  EXPECT_TRUE(conn().expect(value_reply(k, "v") + "END\r\n"));
}

// One wait for everything that depends on the passing of time.
MC_TEST(Expiry, RelativeExpiryTouchAndGatAfterOneWait, .feature = Feature::kExpiry, .level = Level::kSpec,
        .spec = "protocol.txt: Expiration times",
        .checks =
            "after 2.5 s, items with a 1 s or absolute now+1 exptime are gone, items with 100 s or 0 are kept, touch "
            "and gat replace the exptime (both shorter and longer), and append and incr keep it") {
  const auto short_lived = key("short"), long_lived = key("long"), forever = key("forever");
  const auto absolute_soon = key("absolute-soon");
  const auto touched_shorter = key("touched-shorter"), touched_longer = key("touched-longer");
  const auto gat_shorter = key("gat-shorter"), gat_longer = key("gat-longer");
  const auto appended = key("appended"), incremented = key("incremented");
  ASSERT_TRUE(store(short_lived, "s", 0, 1));
  ASSERT_TRUE(store(long_lived, "l", 0, 100));
  ASSERT_TRUE(store(forever, "f", 0, 0));
  ASSERT_TRUE(store(absolute_soon, "a", 0, unix_now() + 1));
  ASSERT_TRUE(store(touched_shorter, "ts", 0, 100));
  ASSERT_TRUE(store(touched_longer, "tl", 0, 1));
  ASSERT_TRUE(store(gat_shorter, "gs", 0, 100));
  ASSERT_TRUE(store(gat_longer, "gl", 0, 1));
  ASSERT_TRUE(store(appended, "x", 0, 1));
  ASSERT_TRUE(store(incremented, "1", 0, 1));
  conn().send(fmt::format("touch {} 1\r\ntouch {} 100\r\n", touched_shorter, touched_longer));
  ASSERT_TRUE(conn().expect("TOUCHED\r\nTOUCHED\r\n"));
  conn().send(fmt::format("gat 1 {}\r\ngat 100 {}\r\n", gat_shorter, gat_longer));
  ASSERT_TRUE(conn().expect(value_reply(gat_shorter, "gs") + value_reply(gat_longer, "gl")));
  // append and incr keep the item's expiration time.
  conn().send(fmt::format("append {} 0 100 1\r\ny\r\nincr {} 1\r\n", appended, incremented));
  ASSERT_TRUE(conn().expect("STORED\r\n2\r\n"));

  wait_past_one_second_expiry();

  conn().send(fmt::format("get {} {} {} {} {} {} {} {} {} {}\r\n", short_lived, long_lived, forever, absolute_soon,
                          touched_shorter, touched_longer, gat_shorter, gat_longer, appended, incremented));
  EXPECT_TRUE(
      conn().expect(fmt::format("VALUE {} 0 1\r\nl\r\nVALUE {} 0 1\r\nf\r\nVALUE {} 0 2\r\ntl\r\n"
                                "VALUE {} 0 2\r\ngl\r\nEND\r\n",
                                long_lived, forever, touched_longer, gat_longer)));
}

}  // namespace
}  // namespace mcconform::suites
