// Meta time flags may move by one clock tick, in the clock's direction only, and nothing else may.
#include <gtest/gtest.h>

#include "mcconform/clock_tick.hpp"

namespace mcconform {
namespace {

TEST(ClockTick, IdenticalLinesMatch) { EXPECT_TRUE(same_but_for_a_clock_tick("HD t100\r\n", "HD t100\r\n")); }

TEST(ClockTick, TtlMayDropByOneSecond) {
  EXPECT_TRUE(same_but_for_a_clock_tick("HD t100\r\n", "HD t99\r\n"));
  EXPECT_TRUE(same_but_for_a_clock_tick("VA 1 t30 s1 X W\r\n", "VA 1 t29 s1 X W\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100\r\n", "HD t98\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100\r\n", "HD t101\r\n"));
  // No expiry (-1) is not a time: it must match exactly.
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t-1\r\n", "HD t-2\r\n"));
  EXPECT_TRUE(same_but_for_a_clock_tick("HD t1\r\n", "HD t0\r\n"));
}

TEST(ClockTick, LastAccessMayGrowByOneSecond) {
  EXPECT_TRUE(same_but_for_a_clock_tick("HD l0\r\n", "HD l1\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD l1\r\n", "HD l0\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD l0\r\n", "HD l2\r\n"));
}

TEST(ClockTick, EverythingElseMustMatch) {
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100\r\n", "EN\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100\r\n", "HD t99 O1\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("VA 2 t100\r\n", "VA 3 t99\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100 f9\r\n", "HD f9 t99\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD f10\r\n", "HD f9\r\n"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100\r\n", "HD t99"));
  EXPECT_FALSE(same_but_for_a_clock_tick("HD t100\r\n", "HD tx\r\n"));
}

TEST(ClockTick, StatusLinesAreRecognised) {
  EXPECT_TRUE(is_meta_status_line("HD\r\n"));
  EXPECT_TRUE(is_meta_status_line("VA 1 t5\r\n"));
  EXPECT_FALSE(is_meta_status_line("HDX\r\n"));
  EXPECT_FALSE(is_meta_status_line("STORED\r\n"));
  EXPECT_FALSE(is_meta_status_line("x\r\n"));
}

}  // namespace
}  // namespace mcconform
