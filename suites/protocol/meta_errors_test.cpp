// Meta syntax errors shared by every command: unknown commands, bad and duplicate flags, bad
// numbers, too many flags; after each, the connection still answers.
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaErrors : public ProtocolTest {};

// protocol.txt, Error strings: '"ERROR\r\n" means the client sent a nonexistent command name'
MC_TEST(MetaErrors, UnknownMetaCommandIsError, .feature = Feature::kMetaNoop, .level = Level::kSpec,
        .spec = "protocol.txt: Error strings",
        .checks = "an unknown meta command (mz) answers ERROR and the connection goes on") {
  conn().send(fmt::format("mz {}\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\nMN\r\n"));
}

// memcached behaviour: ms, md and ma without a key are unknown commands
MC_TEST(MetaErrors, CommandsWithoutKeyAreError, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "ms, md and ma without a key each answer ERROR") {
  conn().send("ms\r\nmd\r\nma\r\nmn\r\n");
  EXPECT_TRUE(conn().expect("ERROR\r\nERROR\r\nERROR\r\nMN\r\n"));
}

// memcached behaviour: tabs do not separate meta tokens
MC_TEST(MetaErrors, TabSeparatedIsUnknownCommand, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "an mg whose tokens are separated by tabs answers ERROR") {
  conn().send(fmt::format("mg\t{}\tv\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("ERROR\r\nMN\r\n"));
}

// memcached behaviour: an invalid mg flag is 'CLIENT_ERROR invalid flag'
MC_TEST(MetaErrors, GetInvalidFlag, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with the flag ! answers 'CLIENT_ERROR invalid flag', and the next mg is served") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v !\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: a lower-case letter that is no mg flag is 'CLIENT_ERROR invalid flag'
MC_TEST(MetaErrors, GetUnknownLetterFlag, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with a lower-case letter that is no mg flag (z) answers 'CLIENT_ERROR invalid flag'") {
  conn().send(fmt::format("mg {} zz\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid flag\r\nMN\r\n"));
}

// memcached behaviour: a flag twice is 'CLIENT_ERROR duplicate flag'
MC_TEST(MetaErrors, GetDuplicateValueFlag, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg v v answers 'CLIENT_ERROR duplicate flag'") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} v v\r\nmn\r\n", k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR duplicate flag\r\nMN\r\n"));
}

// memcached behaviour: two opaques are a duplicate flag
MC_TEST(MetaErrors, GetDuplicateOpaque, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg O1 O2 answers 'CLIENT_ERROR duplicate flag'") {
  conn().send(fmt::format("mg {} O1 O2\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR duplicate flag\r\nMN\r\n"));
}

// memcached behaviour: t twice (around T) is a duplicate flag; the touch is not applied
MC_TEST(MetaErrors, GetDuplicateTtlFlagAroundTouch, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg t T50 t answers 'CLIENT_ERROR duplicate flag' and does not touch (the TTL stays 100)") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 100 1\r\nv\r\nmg {} t T50 t\r\nmg {} t\r\n", k, k, k));
  EXPECT_TRUE(expect_across_clock_tick("STORED\r\nCLIENT_ERROR duplicate flag\r\nHD t100\r\n"));
}

// memcached behaviour: a T without a number is 'CLIENT_ERROR bad token in command line format'
MC_TEST(MetaErrors, GetEmptyTouchToken, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with a bare T or with Tabc answers 'CLIENT_ERROR bad token in command line format'") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} T\r\nmg {} Tabc\r\nmn\r\n", k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR bad token in command line format\r\nCLIENT_ERROR bad token in command line format\r\nMN\r\n"));
}

// memcached behaviour: non-numeric N and R tokens are 'CLIENT_ERROR bad token in command line format'
MC_TEST(
    MetaErrors, GetBadLeaseTokens, .feature = Feature::kMetaStale, .level = Level::kCompat,
    .spec = "memcached behaviour",
    .checks =
        "mg with a bare N, Nabc or Rabc answers 'CLIENT_ERROR bad token in command line format' and vivifies nothing") {
  const auto k = key();
  conn().send(fmt::format("mg {} N\r\nmg {} Nabc\r\nmg {} Rabc\r\nmg {} v\r\n", k, k, k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR bad token in command line format\r\n"
                    "CLIENT_ERROR bad token in command line format\r\n"
                    "CLIENT_ERROR bad token in command line format\r\nEN\r\n"));
}

// memcached behaviour: numbers beyond 64 bits in T, N, R are bad tokens
MC_TEST(MetaErrors, GetOverflowingNumbers, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "mg with T or N of 99999999999999999999 (beyond 64 bits), or R-, answers 'CLIENT_ERROR bad token in "
            "command line format'") {
  const auto k = key();
  conn().send(fmt::format("mg {} T99999999999999999999\r\nmg {} N99999999999999999999\r\nmg {} R-\r\nmn\r\n", k, k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR bad token in command line format\r\n"
                    "CLIENT_ERROR bad token in command line format\r\n"
                    "CLIENT_ERROR bad token in command line format\r\nMN\r\n"));
}

// memcached behaviour: too many flags is 'CLIENT_ERROR options flags are too long'
MC_TEST(MetaErrors, GetTooManyFlags, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "mg with v and 40 P tokens answers 'CLIENT_ERROR options flags are too long'") {
  std::string flags;
  for (int i = 0; i < 40; ++i) flags += " Pxx";
  conn().send(fmt::format("mg {} v{}\r\nmn\r\n", key(), flags));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR options flags are too long\r\nMN\r\n"));
}

// memcached behaviour: a long P token is ignored like a short one
MC_TEST(MetaErrors, GetLongProxyTokenIgnored, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg with a P token of 2001 bytes ignores it (the miss answers EN)") {
  conn().send(fmt::format("mg {} P{}\r\nmn\r\n", key(), std::string(2000, 'p')));
  EXPECT_TRUE(conn().expect("EN\r\nMN\r\n"));
}

// memcached behaviour: a key of 3000 bytes is refused and the connection stays usable
MC_TEST(MetaErrors, GetHugeKey, .feature = Feature::kMetaGet, .level = Level::kCompat, .spec = "memcached behaviour",
        .checks =
            "mg with a 3000-byte key answers 'CLIENT_ERROR bad command line format' and the connection stays usable") {
  conn().send(fmt::format("mg {} v\r\nmn\r\n", key_of_length(3000)));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad command line format\r\nMN\r\n"));
}

// memcached behaviour: a negative or non-numeric C on ms is a bad token; the data is swallowed
MC_TEST(MetaErrors, SetBadCasTokens, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ms with C-1 or Cabc answers 'CLIENT_ERROR bad token in command line format', swallows the data and stores "
            "nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 C-1\r\nx\r\nms {} 1 Cabc\r\nx\r\nmg {} v\r\n", k, k, k));
  EXPECT_TRUE(conn().expect(
      "CLIENT_ERROR bad token in command line format\r\nCLIENT_ERROR bad token in command line format\r\nEN\r\n"));
}

// memcached behaviour: a T beyond 64 bits on ms is a bad token; the data is swallowed
MC_TEST(MetaErrors, SetOverflowingTtl, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ms with a T beyond 64 bits answers 'CLIENT_ERROR bad token in command line format', swallows the data and "
            "stores nothing") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 T99999999999999999999\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad token in command line format\r\nEN\r\n"));
}

// memcached behaviour: a datalen with a plus sign is read as a number
MC_TEST(MetaErrors, SetPlusSignedLength, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "ms with the datalen +1 stores the 1-byte value (HD)") {
  const auto k = key();
  conn().send(fmt::format("ms {} +1\r\nx\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD\r\nVA 1\r\nx\r\n"));
}

// memcached behaviour: a long P token on ms is ignored
MC_TEST(MetaErrors, SetLongProxyTokenIgnored, .feature = Feature::kMetaSet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "ms with a P token of 2001 bytes ignores it and stores (HD)") {
  conn().send(fmt::format("ms {} 1 P{}\r\nx\r\nmn\r\n", key(), std::string(2000, 'p')));
  EXPECT_TRUE(conn().expect("HD\r\nMN\r\n"));
}

// memcached behaviour: md duplicate flags are 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaErrors, DeleteDuplicateFlag, .feature = Feature::kMetaDelete, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "md k k answers 'CLIENT_ERROR invalid or duplicate flag' and deletes nothing") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} k k\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\nv\r\n"));
}

// memcached behaviour: ma duplicate flags are 'CLIENT_ERROR invalid or duplicate flag'
MC_TEST(MetaErrors, ArithDuplicateFlag, .feature = Feature::kMetaArith, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma v v answers 'CLIENT_ERROR invalid or duplicate flag' and leaves the value unchanged") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} v v\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR invalid or duplicate flag\r\nVA 1\r\n5\r\n"));
}

// memcached behaviour: errors of one command do not touch the next in a pipeline
MC_TEST(MetaErrors, ErrorsInPipelineAreIsolated, .feature = Feature::kMetaGet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "in one pipeline, an mg with an invalid flag and an ms with an invalid mode answer their CLIENT_ERROR and "
            "the mg after each is answered normally") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} !\r\nmg {} v O1\r\nms {} 1 MX\r\nx\r\nmg {} v O2\r\nmn\r\n", k, k, k, k));
  EXPECT_TRUE(
      conn().expect("CLIENT_ERROR invalid flag\r\nVA 1 O1\r\nv\r\nCLIENT_ERROR invalid mode for ms M token\r\n"
                    "VA 1 O2\r\nv\r\nMN\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
