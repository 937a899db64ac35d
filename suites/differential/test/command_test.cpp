// Commands: rendering under a key prefix, simplification, the generator's options and determinism.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string_view>

#include "command.hpp"
#include "command_generator.hpp"
#include "differential.hpp"

namespace mcconform::differential {
namespace {

Command storage_command() {
  Command c;
  c.tokens = {Token{"set"},
              Token{"n2", Token::Kind::kKey},
              Token{"77", Token::Kind::kPlain, false, "0"},
              Token{"0"},
              Token{""},
              Token{"noreply", Token::Kind::kPlain, true}};
  c.data = std::string("ab\x01\xff", 4);
  c.length_token = 4;
  return c;
}

TEST(DiffCommand, RendersKeysUnderThePrefixAndTheLengthFromTheData) {
  EXPECT_EQ(storage_command().render(""), std::string("set n2 77 0 4 noreply\r\nab\x01\xff\r\n"));
  EXPECT_EQ(storage_command().render("run-b-"), std::string("set run-b-n2 77 0 4 noreply\r\nab\x01\xff\r\n"));
  Command meta;
  meta.tokens = {Token{"mg"}, Token{"n2", Token::Kind::kBase64Key}, Token{"b"}, Token{"v"}};
  EXPECT_EQ(meta.render(""), "mg bjI= b v\r\n");
  EXPECT_EQ(meta.render("p-"), "mg cC1uMg== b v\r\n");  // base64("p-n2")
}

TEST(DiffCommand, SimplificationsAreSimplerAndKeepTheLengthRight) {
  const auto variants = storage_command().simplifications();
  ASSERT_FALSE(variants.empty());
  EXPECT_EQ(variants[0].render(""), "set n2 77 0 0 noreply\r\n\r\n");  // empty data first
  bool flags_zero = false, noreply_dropped = false;
  for (const Command& v : variants) {
    const std::string text = v.render("");
    if (text.starts_with("set n2 0 0 4 noreply\r\n")) flags_zero = true;
    if (text.starts_with("set n2 77 0 4\r\n")) noreply_dropped = true;
  }
  EXPECT_TRUE(flags_zero);
  EXPECT_TRUE(noreply_dropped);
  // A fully simplified command has nothing simpler left.
  Command plain;
  plain.tokens = {Token{"mn"}};
  EXPECT_TRUE(plain.simplifications().empty());
}

TEST(DiffCommand, Base64KeyCanBeWrittenPlainly) {
  Command meta;
  meta.tokens = {Token{"ms"}, Token{"n2", Token::Kind::kBase64Key}, Token{""}, Token{"b"}, Token{"T0"}};
  meta.data = "xy";
  meta.length_token = 2;
  bool plain = false;
  for (const Command& v : meta.simplifications()) plain = plain || v.render("") == "ms n2 2 T0\r\nxy\r\n";
  EXPECT_TRUE(plain);
}

TEST(DiffCommand, KeysRenamedEverywhereToShorterUnusedOnes) {
  Command set;
  set.tokens = {Token{"set"}, Token{"long-key-name", Token::Kind::kKey}, Token{"0"}, Token{"0"}, Token{""}};
  set.data = "v";
  set.length_token = 4;
  Command get;
  get.tokens = {Token{"get"}, Token{"a", Token::Kind::kKey}, Token{"long-key-name", Token::Kind::kKey}};
  const auto variants = shorter_keys({set, get});
  ASSERT_EQ(variants.size(), 1u) << "\"a\" is as short as it gets";
  EXPECT_EQ(render_all(variants[0], ""), "set b 0 0 1\r\nv\r\nget a b\r\n");
}

TEST(DiffGenerator, SameSeedSameCommands) {
  CommandGenerator a(7), b(7), c(8);
  std::string from_a, from_b, from_c;
  for (int i = 0; i < 500; ++i) {
    from_a += a.next().render("");
    from_b += b.next().render("");
    from_c += c.next().render("");
  }
  EXPECT_EQ(from_a, from_b);
  EXPECT_NE(from_a, from_c);
}

TEST(DiffGenerator, NoFlushAllWhenNotAllowedAndOnlyTheChosenKinds) {
  CommandGenerator no_flush(3, {.classic = true, .meta = false, .flush = false});
  CommandGenerator meta_only(3, {.classic = false, .meta = true, .flush = true});
  for (int i = 0; i < 3000; ++i) {
    const std::string classic = no_flush.next().render("");
    EXPECT_FALSE(classic.starts_with("flush_all")) << classic;
    EXPECT_FALSE(classic.starts_with("m")) << classic;
    const std::string meta = meta_only.next().render("");
    EXPECT_TRUE(meta.starts_with("m")) << meta;
  }
}

TEST(DiffGenerator, EveryKeyTakesThePrefix) {
  CommandGenerator generator(11, {.classic = true, .meta = false, .flush = false});
  for (int i = 0; i < 2000; ++i) {
    const Command c = generator.next();
    for (const Token& t : c.tokens) {
      if (t.kind == Token::Kind::kKey) {
        EXPECT_NE(c.render("zz-").find("zz-" + t.text), std::string::npos);
      }
    }
  }
}

// cas n2 0 0 1 <the unique the server showed last>, and ms n2 with it in a C flag.
Command shown_cas_command(bool meta) {
  Command c;
  if (meta) {
    c.tokens = {Token{"ms"}, Token{"n2", Token::Kind::kKey}, Token{""}, Token{"C", Token::Kind::kShownCas, true}};
    c.length_token = 2;
  } else {
    c.tokens = {Token{"cas"}, Token{"n2", Token::Kind::kKey},   Token{"0"}, Token{"0"},
                Token{""},    Token{"", Token::Kind::kShownCas}};
    c.length_token = 4;
  }
  c.data = "v";
  return c;
}

TEST(DiffCommand, TheUniqueTheServerShowedLastIsWrittenForEachServer) {
  const Command cas = shown_cas_command(false), ms = shown_cas_command(true);
  EXPECT_TRUE(cas.carries_shown_cas());
  EXPECT_FALSE(storage_command().carries_shown_cas());
  EXPECT_EQ(cas.render("p-", 42), "cas p-n2 0 0 1 42\r\nv\r\n");
  EXPECT_EQ(cas.render("p-", 7), "cas p-n2 0 0 1 7\r\nv\r\n");
  EXPECT_EQ(ms.render("", 42), "ms n2 1 C42\r\nv\r\n");
  // A server that has shown no unique yet is sent one no server issues.
  EXPECT_EQ(cas.render(""), "cas n2 0 0 1 9223372036854775807\r\nv\r\n");
  EXPECT_EQ(cas.describe(""), "\"cas n2 0 0 1 <cas last shown>\\r\\nv\\r\\n\"");
  EXPECT_EQ(ms.describe(""), "\"ms n2 1 C<cas last shown>\\r\\nv\\r\\n\"");
}

TEST(DiffCommand, TheUniqueShownLastSimplifiesToAnUnissuedOneAndIsNoKey) {
  bool unissued = false, dropped = false;
  for (const Command& v : shown_cas_command(true).simplifications()) {
    unissued = unissued || (v.render("", 42) == "ms n2 1 C9223372036854775807\r\nv\r\n" && !v.carries_shown_cas());
    dropped = dropped || v.render("", 42) == "ms n2 1\r\nv\r\n";
  }
  EXPECT_TRUE(unissued);
  EXPECT_TRUE(dropped);
  // Renaming keys leaves the flag's letter alone.
  const auto variants = shorter_keys({shown_cas_command(true)});
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_EQ(variants[0][0].render("", 42), "ms a 1 C42\r\nv\r\n");
}

TEST(DiffCommand, BatchesEndAtAHangUpBeforeAShownUniqueAndForOldReleasesAfterAGet) {
  Command get, mn, quit;
  get.tokens = {Token{"gets"}, Token{"n2", Token::Kind::kKey}};
  mn.tokens = {Token{"mn"}};
  quit.binary = BinaryRequest{binary::request(binary::Opcode::kQuit), false, true, {}};
  const std::vector<Command> commands = {mn, get, shown_cas_command(false), mn, mn, get, mn};
  EXPECT_EQ(batch_end(commands, 0, 18, false), 2u) << "the cas behind the gets starts the next batch";
  EXPECT_EQ(batch_end(commands, 2, 18, false), 7u) << "it may start one";
  EXPECT_EQ(batch_end(commands, 2, 3, false), 5u);
  EXPECT_EQ(batch_end(commands, 2, 18, true), 7u) << "no incr, decr or ma behind the get";
  Command decr;
  decr.tokens = {Token{"decr"}, Token{"n2", Token::Kind::kKey}, Token{"1"}};
  const std::vector<Command> get_then_decr = {mn, get, mn, decr, get, mn};
  EXPECT_EQ(batch_end(get_then_decr, 0, 18, false), 6u);
  EXPECT_EQ(batch_end(get_then_decr, 0, 18, true), 2u) << "before 1.6.35, a get ends a batch a decr follows";
  EXPECT_EQ(batch_end(get_then_decr, 2, 18, true), 6u);
  EXPECT_EQ(batch_end(get_then_decr, 0, 3, true), 3u) << "the decr is in the next batch";
  EXPECT_EQ(batch_end({mn, quit, mn}, 0, 18, false), 2u);
}

Command binary_set() {
  Command c;
  binary::Packet p = binary::request(binary::Opcode::kSetQ, "n2", binary::storage_extras(7, 1000), "value");
  p.opaque = 0x11223344;
  p.cas = 5;
  c.binary = BinaryRequest{p, false, false, {}};
  return c;
}

TEST(DiffBinary, RendersThePacketWithThePrefixedKey) {
  const std::string bytes = binary_set().render("p-");
  ASSERT_EQ(bytes.size(), 24u + 8 + 4 + 5);
  EXPECT_EQ(bytes.substr(0, 4), std::string("\x80\x11\x00\x04", 4));  // setq, key length 4
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x00\x00\x00\x11", 4));  // body: 8 + 4 + 5
  EXPECT_EQ(bytes.substr(32), "p-n2value");
  EXPECT_EQ(binary_set().describe("p-"),
            "setq key=\"p-n2\" extras=\"\\x00\\x00\\x00\\x07\\x00\\x00\\x03\\xe8\" value=\"value\" "
            "opaque=0x11223344 cas=5");
}

TEST(DiffBinary, SimplificationsAreSimpler) {
  bool loud = false, no_value = false, no_opaque = false, no_cas = false, zero_extras = false;
  for (const Command& v : binary_set().simplifications()) {
    const binary::Packet& p = v.binary->packet;
    loud = loud || p.opcode == static_cast<std::uint8_t>(binary::Opcode::kSet);
    no_value = no_value || p.value.empty();
    no_opaque = no_opaque || p.opaque == 0;
    no_cas = no_cas || p.cas == 0;
    zero_extras = zero_extras || p.extras == std::string(8, '\0');
  }
  EXPECT_TRUE(loud && no_value && no_opaque && no_cas && zero_extras);
  Command noop;
  noop.binary = BinaryRequest{binary::request(binary::Opcode::kNoop), false, false, {}};
  EXPECT_TRUE(noop.simplifications().empty());
}

TEST(DiffBinary, TheUniqueTheServerShowedLastGoesInTheHeader) {
  Command set = binary_set();
  set.binary->shown_cas = true;
  EXPECT_TRUE(set.carries_shown_cas());
  EXPECT_EQ(set.render("", 42).substr(16, 8), binary::be64(42));
  EXPECT_EQ(set.render("").substr(16, 8), binary::be64(kUnissuedCas));
  EXPECT_TRUE(set.describe("").ends_with(" cas=<cas last shown>")) << set.describe("");
  bool unissued = false;
  for (const Command& v : set.simplifications()) {
    unissued = unissued || (!v.carries_shown_cas() && v.binary->packet.cas == kUnissuedCas);
  }
  EXPECT_TRUE(unissued);
}

TEST(DiffBinary, KeysRenamedInPacketsToo) {
  Command get;
  get.binary = BinaryRequest{binary::request(binary::Opcode::kGet, "long-key-name"), false, false, {}};
  const auto variants = shorter_keys({binary_set(), get});
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0][0].binary->packet.key, "a");
  EXPECT_EQ(variants[1][1].binary->packet.key, "a");
}

TEST(DiffGenerator, BinaryOnlyPacketsAndHangUpsEndBatches) {
  CommandGenerator generator(5, {.classic = true, .meta = true, .binary = true, .flush = false});
  int closing = 0;
  for (int i = 0; i < 3000; ++i) {
    const Command c = generator.next();
    ASSERT_TRUE(c.binary);
    const std::string bytes = c.render("zz-");
    ASSERT_EQ(static_cast<unsigned char>(bytes[0]), 0x80) << "a connection's protocol is chosen by its first byte";
    const std::uint8_t opcode = c.binary->packet.opcode;
    EXPECT_NE(loud_opcode(opcode), static_cast<std::uint8_t>(binary::Opcode::kFlush)) << "flush not allowed";
    if (c.ends_batch()) ++closing;
    if (!c.binary->literal_key && !c.binary->packet.key.empty()) {
      EXPECT_NE(bytes.find("zz-" + c.binary->packet.key), std::string::npos);
    }
  }
  EXPECT_GT(closing, 30);
}

// memcached's incr/decr on a value of whitespace alone reads past the item (undefined answers),
// so no generated command may store one, nor may the shrinker make one out of a longer value.
TEST(DiffGenerator, NoValueOfWhitespaceAlone) {
  EXPECT_TRUE(only_c_whitespace("\x0b"));
  EXPECT_TRUE(only_c_whitespace(" \t\n\v\f\r"));
  EXPECT_FALSE(only_c_whitespace(""));
  EXPECT_FALSE(only_c_whitespace(" 1"));
  EXPECT_FALSE(only_c_whitespace(std::string("\0", 1)));
  int values = 0, leading_whitespace = 0;
  for (std::uint64_t seed : {1, 2, 3, 5, 8, 13, 21, 34}) {
    for (const bool binary : {false, true}) {
      SCOPED_TRACE(fmt::format("seed {}, {}", seed, binary ? "binary" : "classic and meta"));
      CommandGenerator generator(seed, {.classic = true, .meta = true, .binary = binary, .flush = true});
      for (int i = 0; i < 40000; ++i) {
        const Command c = generator.next();
        const std::string* value = c.binary ? &c.binary->packet.value : c.data ? &*c.data : nullptr;
        if (value == nullptr || value->empty()) continue;
        ++values;
        if (std::string_view(" \t\n\v\f\r").find(value->front()) != std::string_view::npos) ++leading_whitespace;
        ASSERT_FALSE(only_c_whitespace(*value)) << "command " << i << ": " << c.describe("");
      }
    }
  }
  // The random values still begin with whitespace now and then (memcached skips it: defined).
  EXPECT_GT(values, 100000);
  EXPECT_GT(leading_whitespace, 100);

  Command text = storage_command();
  text.data = " \t\x0b\x01";  // its first half is whitespace alone
  for (const Command& v : text.simplifications()) EXPECT_FALSE(only_c_whitespace(*v.data)) << v.describe("");
  Command packet = binary_set();
  packet.binary->packet.value = "\r\n\x01\x02";
  for (const Command& v : packet.simplifications()) {
    EXPECT_FALSE(only_c_whitespace(v.binary->packet.value)) << v.describe("");
  }
}

TEST(DiffOutput, PrintfQuotingWritesTheExactBytes) {
  EXPECT_EQ(printf_quoted(std::string("a'b%c\\\r\n\x01\xff", 10)), "'a\\x27b%%c\\\\\\r\\n\\x01\\xff'");
}

TEST(DiffGenerator, AnOlderReleaseIsSentNothingItAnswersOtherwise) {
  GeneratorOptions options{.classic = false, .meta = true};
  options.release = Version::parse("1.6.18");
  CommandGenerator older(3, options);
  int sets = 0, deletes = 0;
  for (int i = 0; i < 20000; ++i) {
    const Command c = older.next();
    const std::string verb = c.tokens[0].text;
    bool appending = false, vivifying = false;
    for (std::size_t t = 1; t < c.tokens.size(); ++t) {
      const std::string& flag = c.tokens[t].text;
      if (c.tokens[t].is_key()) continue;
      ASSERT_FALSE(flag.starts_with("E") && flag.size() > 1) << i << ": E before 1.6.27";
      ASSERT_FALSE(verb == "md" && flag == "x") << i << ": md x before 1.6.27";
      ASSERT_FALSE(verb == "ms" && flag == "s") << i << ": ms s before 1.6.21";
      appending = appending || flag == "MA" || flag == "MP";
      vivifying = vivifying || flag == "N0";
    }
    ASSERT_FALSE(verb == "ms" && appending && vivifying) << i << ": ms append with N before 1.6.20";
    sets += verb == "ms";
    deletes += verb == "md";
  }
  EXPECT_GT(sets, 1000);
  EXPECT_GT(deletes, 1000);
  // 1.6.20 has append/prepend with N as the newest does, and not yet ms s.
  options.release = Version::parse("1.6.20");
  CommandGenerator at_1620(3, options);
  int size_flags = 0, vivifying_appends = 0;
  for (int i = 0; i < 20000; ++i) {
    const Command c = at_1620.next();
    if (c.tokens[0].text != "ms") continue;
    bool appending = false, vivifying = false;
    for (const Token& t : c.tokens) {
      size_flags += !t.is_key() && t.text == "s";
      appending = appending || t.text == "MA" || t.text == "MP";
      vivifying = vivifying || t.text == "N0";
    }
    vivifying_appends += appending && vivifying;
  }
  EXPECT_EQ(size_flags, 0);
  EXPECT_GT(vivifying_appends, 10);
  // The newest release changes nothing: the same commands as with no release at all.
  options.release = Version::parse("1.6.38");
  CommandGenerator newest(3, options), unrestricted(3, GeneratorOptions{.classic = false, .meta = true});
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(newest.next().render(""), unrestricted.next().render("")) << i;
}

// FNV-1a: a hash that is the same on every platform and library.
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// A seed names the same commands from release to release, so that a difference reported with a
// seed can be replayed by a later mcconform. When a change to the generator means to change them,
// this is the test that says so (the values are those of the generator before --cas-uniques renamed
// sent shown uniques and before --profile, checked against a build of that commit).
TEST(DiffGenerator, TheDefaultSequencesOfSeed1AreTheSameAsBefore) {
  std::string text, binary;
  CommandGenerator classic_meta(1, {}), packets(1, GeneratorOptions{.binary = true});
  for (int i = 0; i < 2000; ++i) {
    text += classic_meta.next().render("");
    binary += packets.next().render("");
  }
  EXPECT_EQ(fnv1a(text), 17562869783537423669ull);
  EXPECT_EQ(fnv1a(binary), 4961462549035824202ull);
}

TEST(DiffOptions, TargetsAndBadArguments) {
  const std::string mcrefd = "'/x/mcrefd' -p {port} -l 127.0.0.1 -U 0";
  auto parsed = parse_diff_options({"--b", "127.0.0.1:11211", "--seed", "5", "--commands", "meta"}, mcrefd);
  ASSERT_EQ(parsed.error, "");
  EXPECT_TRUE(parsed.options.a.spawned());
  EXPECT_EQ(parsed.options.a.spawn_command, mcrefd + " -t 1");
  ASSERT_TRUE(parsed.options.b.endpoint);
  EXPECT_EQ(parsed.options.b.endpoint->port, 11211);
  EXPECT_EQ(parsed.options.seed, 5u);
  EXPECT_FALSE(parsed.options.generator.classic);
  EXPECT_FALSE(parsed.options.generator.flush) << "an external target: no flush_all without --allow-flush";
  parsed = parse_diff_options({"--a", "memcached:/usr/bin/memcached", "--b=spawn:srv -p {port}"}, mcrefd);
  ASSERT_EQ(parsed.error, "");
  EXPECT_NE(parsed.options.a.spawn_command.find("-o no_lru_maintainer,no_lru_crawler"), std::string::npos);
  EXPECT_EQ(parsed.options.b.spawn_command, "srv -p {port}");
  EXPECT_TRUE(parsed.options.generator.flush);
  EXPECT_NE(parse_diff_options({"--a", "mcrefd"}, mcrefd).error, "");  // no --b
  EXPECT_NE(parse_diff_options({"--b", "nowhere"}, mcrefd).error, "");
  EXPECT_NE(parse_diff_options({"--b", "h:1", "--commands", "binary,meta"}, mcrefd).error, "");
  EXPECT_NE(parse_diff_options({"--b", "h:1", "--commands", "textual"}, mcrefd).error, "");
  parsed = parse_diff_options({"--b", "h:1", "--commands", "binary"}, mcrefd);
  ASSERT_EQ(parsed.error, "");
  EXPECT_TRUE(parsed.options.generator.binary);
  EXPECT_NE(parse_diff_options({"--b", "h:1", "--count", "0"}, mcrefd).error, "");
  EXPECT_FALSE(parsed.options.rename_cas);
  EXPECT_FALSE(parsed.options.generator.unissued_cas);
  parsed = parse_diff_options({"--b", "h:1", "--cas-uniques", "renamed"}, mcrefd);
  ASSERT_EQ(parsed.error, "");
  EXPECT_TRUE(parsed.options.rename_cas);
  EXPECT_TRUE(parsed.options.generator.unissued_cas);  // a guessed unique would name an item on one side only
  EXPECT_TRUE(parsed.options.generator.shown_cas);
  EXPECT_FALSE(parsed.options.generator.release);
  parsed = parse_diff_options({"--b", "h:1", "--profile", "memcached-1.6.18"}, mcrefd);
  ASSERT_EQ(parsed.error, "");
  ASSERT_TRUE(parsed.options.generator.release);
  EXPECT_EQ(parsed.options.generator.release->to_string(), "1.6.18");
  EXPECT_TRUE(parsed.options.get_ends_batch());
  EXPECT_FALSE(parse_diff_options({"--b", "h:1", "--profile", "memcached-1.6.38"}, mcrefd).options.get_ends_batch());
  DiffOptions at_boundary;
  at_boundary.generator.release = Version::parse("1.6.34");
  EXPECT_TRUE(at_boundary.get_ends_batch());
  at_boundary.generator.release = Version::parse("1.6.35");
  EXPECT_FALSE(at_boundary.get_ends_batch());
  EXPECT_FALSE(DiffOptions{}.get_ends_batch());
  EXPECT_EQ(parse_diff_options({"--b", "h:1", "--profile", "memcached-9"}, mcrefd).error,
            "--profile: unknown profile 'memcached-9' (mcconform --list-profiles)");
  EXPECT_FALSE(parse_diff_options({"--b", "h:1", "--cas-uniques", "as-sent"}, mcrefd).options.rename_cas);
  EXPECT_EQ(parse_diff_options({"--b", "h:1", "--cas-uniques", "ignored"}, mcrefd).error,
            "--cas-uniques takes as-sent or renamed, not 'ignored'");
}

}  // namespace
}  // namespace mcconform::differential
