// q: which replies quiet mode suppresses and which it never does, proved with mn as the sentinel.
#include "mcconform/escape.hpp"
#include "protocol_test.hpp"

namespace mcconform::suites {
namespace {

class MetaQuiet : public ProtocolTest {
 protected:
  // protocol.txt leaves the error text to the server: one line of the given kind ("CLIENT_ERROR"),
  // then the MN of the sentinel.
  ::testing::AssertionResult expect_error_then_mn(std::string_view kind) {
    const std::string line = conn().read_until("\r\n");
    if (!line.starts_with(fmt::format("{} ", kind))) {
      return ::testing::AssertionFailure() << "expected a " << kind << " line, received: " << escape_bytes(line);
    }
    return conn().expect("MN\r\n");
  }
};

// protocol.txt, Meta Get: 'With noreply enabled, the "EN\r\n" marker is suppressed'
MC_TEST(MetaQuiet, GetMissSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg q v of a missing key sends nothing (only the MN of the next mn)") {
  conn().send(fmt::format("mg {} q v\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("MN\r\n"));
}

// protocol.txt, Meta Get: EN suppressed even when k and O are asked for
MC_TEST(MetaQuiet, GetMissWithKeyAndOpaqueSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg q k O1 v of a missing key sends nothing") {
  conn().send(fmt::format("mg {} q k O1 v\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("MN\r\n"));
}

// protocol.txt, Meta Get: q hides misses only: a value hit is returned
MC_TEST(MetaQuiet, GetHitWithValueReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg q v O1 of a hit returns the value (VA 1 O1)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} q v O1\r\nmn\r\n", k));
  EXPECT_TRUE(conn().expect("VA 1 O1\r\nv\r\nMN\r\n"));
}

// memcached behaviour: q on mg hides only EN; a hit without v still answers HD (protocol.txt names
// only EN for mg, and 'noreply semantics' hide HD for ms)
MC_TEST(MetaQuiet, GetHitWithoutValueReturned, .feature = Feature::kMetaQuiet, .level = Level::kCompat,
        .spec = "memcached behaviour", .checks = "mg q s of a hit still answers HD s1") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("mg {} q s\r\nmn\r\n", k));
  EXPECT_TRUE(conn().expect("HD s1\r\nMN\r\n"));
}

// protocol.txt, Meta No-Op: 'pipeline several mg's ... an "mn\r\n" command can be tagged to the end'
MC_TEST(MetaQuiet, PipelinedGetsOnlyHitsAnswer, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op",
        .checks = "of three pipelined mg q k v closed by mn, only the hit answers, then MN") {
  const auto b = key("b");
  ASSERT_TRUE(store(b, "bee"));
  conn().send(fmt::format("mg {} q k v\r\nmg {} q k v\r\nmg {} q k v\r\nmn\r\n", key("a"), b, key("c")));
  EXPECT_TRUE(conn().expect(fmt::format("VA 3 k{}\r\nbee\r\nMN\r\n", b)));
}

// protocol.txt, Meta Get: pipelined quiet gets matched by opaque
MC_TEST(MetaQuiet, PipelinedGetsMatchedByOpaque, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "of three pipelined mg q O<n> v, the two hits answer with their opaques and the miss sends nothing") {
  const auto a = key("a"), c = key("c");
  ASSERT_TRUE(store(a, "1"));
  ASSERT_TRUE(store(c, "3"));
  conn().send(fmt::format("mg {} q O1 v\r\nmg {} q O2 v\r\nmg {} q O3 v\r\nmn\r\n", a, key("b"), c));
  EXPECT_TRUE(conn().expect("VA 1 O1\r\n1\r\nVA 1 O3\r\n3\r\nMN\r\n"));
}

// protocol.txt, Meta Get: 'Errors are always returned' (q with an invalid flag)
MC_TEST(MetaQuiet, GetErrorNotSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg q with an invalid flag still answers a CLIENT_ERROR line") {
  conn().send(fmt::format("mg {} q !\r\nmn\r\n", key()));
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta Get: 'Errors are always returned' (q with a bad base64 key)
MC_TEST(MetaQuiet, GetBadKeyErrorNotSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get",
        .checks = "mg b q with a key that is no base64 still answers a CLIENT_ERROR line") {
  conn().send("mg !!!! b q v\r\nmn\r\n");
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta Get: 'Errors are always returned' (opaque too long)
MC_TEST(MetaQuiet, GetOpaqueErrorNotSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Get", .checks = "mg q with a 40-byte opaque still answers a CLIENT_ERROR line") {
  conn().send(fmt::format("mg {} q O{}\r\nmn\r\n", key(), std::string(40, 'o')));
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta Set: 'a response that would start with "HD" will not be sent'
MC_TEST(MetaQuiet, SetStoredSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q that stores sends no HD, and the value is stored") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 q\r\nx\r\nmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("MN\r\nVA 1\r\nx\r\n"));
}

// protocol.txt, Meta Set: 'HD' suppressed even with c, k and O asked for
MC_TEST(MetaQuiet, SetStoredWithReturnFlagsSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q c k O1 that stores sends nothing") {
  conn().send(fmt::format("ms {} 1 q c k O1\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("MN\r\n"));
}

// protocol.txt, Meta Set: 'Any other code, such as "EX" (EXISTS) will still be returned' (NS)
MC_TEST(MetaQuiet, SetNotStoredReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q ME O7 of an existing key still answers NS O7") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("ms {} 1 q ME O7\r\nx\r\nmn\r\n", k));
  EXPECT_TRUE(conn().expect("NS O7\r\nMN\r\n"));
}

// protocol.txt, Meta Set: quiet replace of a missing key still answers 'NS'
MC_TEST(MetaQuiet, SetReplaceMissReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q MR of a missing key still answers NS") {
  conn().send(fmt::format("ms {} 1 q MR\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("NS\r\nMN\r\n"));
}

// protocol.txt, Meta Set: quiet append and prepend to a missing key still answer 'NS'
MC_TEST(MetaQuiet, SetAppendMissReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q MA and ms q MP of a missing key still answer NS") {
  const auto k = key();
  conn().send(fmt::format("ms {} 1 q MA\r\nx\r\nms {} 1 q MP\r\nx\r\nmn\r\n", k, k));
  EXPECT_TRUE(conn().expect("NS\r\nNS\r\nMN\r\n"));
}

// protocol.txt, Meta Set: 'Any other code, such as "EX" (EXISTS) will still be returned'
MC_TEST(MetaQuiet, SetExistsReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q with a mismatching C still answers EX") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ms {} 1 q C{}\r\nx\r\nmn\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX\r\nMN\r\n"));
}

// protocol.txt, Meta Set: 'Any other code ... will still be returned' (NF)
MC_TEST(MetaQuiet, SetNotFoundReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q C1 O9 of a missing key still answers NF O9") {
  conn().send(fmt::format("ms {} 1 q C1 O9\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("NF O9\r\nMN\r\n"));
}

// memcached behaviour: a bad data chunk is answered despite q, and the rest of the line is read as a
// command (protocol.txt, Meta Set: 'Errors are always returned')
MC_TEST(MetaQuiet, SetBadDataChunkReturned, .feature = Feature::kMetaQuiet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ms q with a data block longer than datalen answers 'CLIENT_ERROR bad data chunk', then ERROR for the rest "
            "of the block read as a command") {
  conn().send(fmt::format("ms {} 2 q\r\nabc\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("CLIENT_ERROR bad data chunk\r\nERROR\r\nMN\r\n"));
}

// protocol.txt, Meta Set: 'Errors are always returned' (invalid mode)
MC_TEST(MetaQuiet, SetInvalidModeReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q MX still answers a CLIENT_ERROR line") {
  conn().send(fmt::format("ms {} 1 q MX\r\nx\r\nmn\r\n", key()));
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta Set: 'Errors are always returned' (a value too large)
MC_TEST(MetaQuiet, SetTooLargeReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Set", .checks = "ms q of a 2 MiB value still answers a SERVER_ERROR line") {
  const std::string value(2 * 1024 * 1024, 'a');
  conn().send(fmt::format("ms {} {} q\r\n{}\r\nmn\r\n", key(), value.size(), value));
  EXPECT_TRUE(expect_error_then_mn("SERVER_ERROR"));
}

// protocol.txt, Meta Delete: 'this will hide response lines with the code "DE"' (HD)
MC_TEST(MetaQuiet, DeleteSuccessSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md q O2 k that deletes sends nothing, and the item is gone") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} q O2 k\r\nmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("MN\r\nEN\r\n"));
}

// protocol.txt, Meta Delete: 'It will still return any other responses' (NF)
MC_TEST(MetaQuiet, DeleteNotFoundReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md q O3 of a missing key still answers NF O3") {
  conn().send(fmt::format("md {} q O3\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("NF O3\r\nMN\r\n"));
}

// protocol.txt, Meta Delete: 'It will still return any other responses' (EX)
MC_TEST(MetaQuiet, DeleteExistsReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md q with a mismatching C still answers EX") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("md {} q C{}\r\nmn\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX\r\nMN\r\n"));
}

// protocol.txt, Meta Delete: quiet invalidation is a success: suppressed
MC_TEST(MetaQuiet, DeleteInvalidateSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete",
        .checks = "md q I sends nothing and marks the item stale (mg v answers VA 1 X W)") {
  const auto k = key();
  ASSERT_TRUE(store(k, "v"));
  conn().send(fmt::format("md {} q I\r\nmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("MN\r\nVA 1 X W\r\nv\r\n"));
}

// protocol.txt, Meta Delete: errors are returned in quiet mode
MC_TEST(MetaQuiet, DeleteErrorReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Delete", .checks = "md q with an unknown flag still answers a CLIENT_ERROR line") {
  conn().send(fmt::format("md {} q zz\r\nmn\r\n", key()));
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta Arithmetic: 'q: use noreply semantics for return codes (see details under mset)'
MC_TEST(MetaQuiet, ArithSuccessSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma q that increments sends no HD, and the value is incremented") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} q\r\nmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("MN\r\nVA 1\r\n6\r\n"));
}

// memcached behaviour: q also suppresses the VA reply of a successful ma v (protocol.txt names HD only)
MC_TEST(MetaQuiet, ArithValueSuppressed, .feature = Feature::kMetaQuiet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks = "ma q v O1 k that increments sends nothing, not even its VA, and the value is incremented") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  conn().send(fmt::format("ma {} q v O1 k\r\nmn\r\nmg {} v\r\n", k, k));
  EXPECT_TRUE(conn().expect("MN\r\nVA 1\r\n6\r\n"));
}

// protocol.txt, Meta Arithmetic: NF is no HD: returned in quiet mode
MC_TEST(MetaQuiet, ArithNotFoundReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma q O4 of a missing key still answers NF O4") {
  conn().send(fmt::format("ma {} q O4\r\nmn\r\n", key()));
  EXPECT_TRUE(conn().expect("NF O4\r\nMN\r\n"));
}

// protocol.txt, Meta Arithmetic: EX is returned in quiet mode
MC_TEST(MetaQuiet, ArithExistsReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma q with a mismatching C still answers EX") {
  const auto k = key();
  ASSERT_TRUE(store(k, "5"));
  const auto unique = fetch_meta_cas(k);
  ASSERT_TRUE(unique);
  conn().send(fmt::format("ma {} q C{}\r\nmn\r\n", k, *unique + 1));
  EXPECT_TRUE(conn().expect("EX\r\nMN\r\n"));
}

// memcached behaviour: the HD of an ma that auto-created the item is sent despite q
MC_TEST(MetaQuiet, ArithAutoCreateAnswersDespiteQuiet, .feature = Feature::kMetaQuiet, .level = Level::kCompat,
        .spec = "memcached behaviour",
        .checks =
            "ma q N0 O3 that auto-creates the item still answers HD O3, while the next ma q, a plain increment, sends "
            "nothing") {
  const auto k = key();
  conn().send(fmt::format("ma {} q N0 O3\r\nmn\r\nma {} q\r\nmn\r\n", k, k));
  EXPECT_TRUE(conn().expect("HD O3\r\nMN\r\nMN\r\n"));
}

// protocol.txt, Meta Arithmetic: errors are returned in quiet mode (non-numeric value)
MC_TEST(MetaQuiet, ArithNonNumericReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic",
        .checks = "ma q of a non-numeric value still answers a CLIENT_ERROR line") {
  const auto k = key();
  ASSERT_TRUE(store(k, "ab"));
  conn().send(fmt::format("ma {} q\r\nmn\r\n", k));
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta Arithmetic: errors are returned in quiet mode (invalid mode)
MC_TEST(MetaQuiet, ArithInvalidModeReturned, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta Arithmetic", .checks = "ma q MZ still answers a CLIENT_ERROR line") {
  conn().send(fmt::format("ma {} q MZ\r\nmn\r\n", key()));
  EXPECT_TRUE(expect_error_then_mn("CLIENT_ERROR"));
}

// protocol.txt, Meta No-Op: quiet commands of every kind in one pipeline; only failures answer
MC_TEST(MetaQuiet, MixedPipelineOnlyFailuresAnswer, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op",
        .checks =
            "in a pipeline of quiet ms, ma, mg of a missing key, md, md of the now deleted key and mg, only the second "
            "md answers (NF O5), then MN") {
  const auto k = key();
  conn().send(
      fmt::format("ms {} 1 q O1\r\n5\r\nma {} q O2\r\nmg {} q O3\r\nmd {} q O4\r\nmd {} q O5\r\nmg {} q O6 v\r\nmn\r\n",
                  k, k, key("missing"), k, k, k));
  EXPECT_TRUE(conn().expect("NF O5\r\nMN\r\n"));
}

// protocol.txt, Meta No-Op: quiet replies and classic noreply together, closed by mn
MC_TEST(MetaQuiet, WithClassicNoreply, .feature = Feature::kMetaQuiet, .level = Level::kSpec,
        .spec = "protocol.txt: Meta No-Op",
        .checks =
            "a classic set noreply, ms q MA and mg q v closed by mn: only the mg answers, with the appended value ab, "
            "then MN") {
  const auto k = key();
  conn().send(fmt::format("set {} 0 0 1 noreply\r\na\r\nms {} 1 q MA\r\nb\r\nmg {} q v\r\nmn\r\n", k, k, k));
  EXPECT_TRUE(conn().expect("VA 2\r\nab\r\nMN\r\n"));
}

}  // namespace
}  // namespace mcconform::suites
