// CasRenamer: uniques become the order of their first appearance; data blocks are never read.
#include <gtest/gtest.h>

#include <string>

#include "cas_renamer.hpp"
#include "command_generator.hpp"
#include "mcconform/binary_packet.hpp"

namespace mcconform::differential {
namespace {

TEST(CasRenamer, TextUniquesBecomeTheirOrderOfAppearance) {
  CasRenamer from_one, from_two;
  const std::string a = "VALUE k 0 1 1\r\nx\r\nVALUE j 5 2 2\r\nyz\r\nEND\r\nVALUE k 0 1 1\r\nx\r\nEND\r\n";
  const std::string b = "VALUE k 0 1 2\r\nx\r\nVALUE j 5 2 3\r\nyz\r\nEND\r\nVALUE k 0 1 2\r\nx\r\nEND\r\n";
  const std::string expected = "VALUE k 0 1 #1\r\nx\r\nVALUE j 5 2 #2\r\nyz\r\nEND\r\nVALUE k 0 1 #1\r\nx\r\nEND\r\n";
  EXPECT_EQ(from_one.text(a), expected);
  EXPECT_EQ(from_two.text(b), expected);
}

TEST(CasRenamer, OrdinalsLastAcrossBatches) {
  CasRenamer names;
  EXPECT_EQ(names.text("HD c900\r\n"), "HD c#1\r\n");
  EXPECT_EQ(names.text("HD c901\r\nHD c900\r\n"), "HD c#2\r\nHD c#1\r\n");
}

TEST(CasRenamer, AUniqueReusedForAChangedItemStillDiffers) {
  CasRenamer honest, reusing;
  // Two versions of one item: the honest server shows two uniques, the other one twice.
  EXPECT_NE(honest.text("VALUE k 0 1 5\r\na\r\nVALUE k 0 1 6\r\nb\r\n"),
            reusing.text("VALUE k 0 1 9\r\na\r\nVALUE k 0 1 9\r\nb\r\n"));
}

TEST(CasRenamer, GetWithoutUniquesAndOtherLinesAreUntouched) {
  CasRenamer names;
  const std::string replies = "VALUE k 0 2\r\nab\r\nEND\r\nSTORED\r\nCLIENT_ERROR bad data chunk\r\nERROR\r\n2  x\r\n";
  EXPECT_EQ(names.text(replies), replies);
}

TEST(CasRenamer, DataBlocksAreSkippedUnread) {
  CasRenamer names;
  // The values look like replies with uniques; only the headers' uniques are renamed.
  const std::string value = "HD c5\r\nVALUE a 0 1 7\r\nz";
  EXPECT_EQ(names.text("VALUE k 0 " + std::to_string(value.size()) + " 44\r\n" + value + "\r\nEND\r\n"),
            "VALUE k 0 " + std::to_string(value.size()) + " #1\r\n" + value + "\r\nEND\r\n");
  EXPECT_EQ(names.text("VA " + std::to_string(value.size()) + " c45 f0\r\n" + value + "\r\nEN\r\n"),
            "VA " + std::to_string(value.size()) + " c#2 f0\r\n" + value + "\r\nEN\r\n");
}

TEST(CasRenamer, MetaFlagsOtherThanTheUniqueAreKept) {
  CasRenamer names;
  EXPECT_EQ(names.text("HD O1 kck c77 f3 b\r\nNS c77 Oc1\r\nEX c78\r\nNF k1\r\nMN\r\n"),
            "HD O1 kck c#1 f3 b\r\nNS c#1 Oc1\r\nEX c#2\r\nNF k1\r\nMN\r\n");
  EXPECT_EQ(names.text("HD cx\r\n"), "HD cx\r\n");
}

TEST(CasRenamer, MetaDebugShowsTheUniqueAsCasEquals) {
  CasRenamer names;
  EXPECT_EQ(names.text("ME k exp=-1 la=2 cas=31 fetch=no cls=1 size=63\r\n"),
            "ME k exp=-1 la=2 cas=#1 fetch=no cls=1 size=63\r\n");
}

TEST(CasRenamer, AnUnfinishedReplyIsLeftAsItIs) {
  CasRenamer names;
  EXPECT_EQ(names.text("VALUE k 0 1 8\r\nx\r\nVALUE k 0 5 8\r\nab"), "VALUE k 0 1 #1\r\nx\r\nVALUE k 0 5 #1\r\nab");
  EXPECT_EQ(names.text("HD c3"), "HD c3");
}

TEST(CasRenamer, BinaryHeadersCarryTheOrdinalAndZeroStaysZero) {
  CasRenamer names;
  binary::Packet stored = binary::response(binary::Opcode::kSet);
  stored.cas = 4000;
  binary::Packet got = binary::response(binary::Opcode::kGet);
  got.extras = binary::be32(0);
  got.value = stored.encode();  // a value that looks like a response with a unique: skipped
  got.cas = 4000;
  binary::Packet noop = binary::response(binary::Opcode::kNoop);
  binary::Packet stored_as_one = stored, got_as_one = got;
  stored_as_one.cas = got_as_one.cas = 1;
  EXPECT_EQ(names.binary(stored.encode() + got.encode() + noop.encode()),
            stored_as_one.encode() + got_as_one.encode() + noop.encode());
  EXPECT_EQ(names.binary(std::string(10, '\x81')), std::string(10, '\x81'));  // an unfinished header
}

TEST(CasRenamer, UniquesTheClientChoseAreKeptAsTheyAre) {
  const std::string chosen = std::to_string(kClientChosenCas + 3);
  CasRenamer honest(kClientChosenCas), ignoring(kClientChosenCas);
  // After "ms k 1 E<chosen> c": a server that applied E shows the chosen unique; one that ignored
  // it shows its own, which renaming must not make look alike.
  EXPECT_EQ(honest.text("HD c" + chosen + "\r\nHD c" + chosen + "\r\n"),
            "HD c" + chosen + "\r\nHD c" + chosen + "\r\n");
  EXPECT_EQ(ignoring.text("HD c17\r\nHD c" + chosen + "\r\n"), "HD c#1\r\nHD c" + chosen + "\r\n");
  binary::Packet set_with_e = binary::response(binary::Opcode::kSet);
  set_with_e.cas = kClientChosenCas + 3;
  EXPECT_EQ(honest.binary(set_with_e.encode()), set_with_e.encode());
}

TEST(CasRenamer, AnAbsurdLengthOrAForeignByteEndsTheWalkWithoutHarm) {
  CasRenamer names;
  EXPECT_EQ(names.text("VALUE k 0 18446744073709551615 5\r\nab"), "VALUE k 0 18446744073709551615 #1\r\nab");
  binary::Packet stored = binary::response(binary::Opcode::kSet);
  stored.cas = 9;
  const std::string text_after = "VALUE k 0 1 9\r\nx\r\nEND\r\n";  // not a response header: kept
  binary::Packet stored_as_one = stored;
  stored_as_one.cas = 2;  // 9 is this renamer's second unique (the text above made 5 its first)
  EXPECT_EQ(names.binary(stored.encode() + text_after), stored_as_one.encode() + text_after);
}

TEST(CasRenamer, LastShownIsTheUniqueOfTheLastReplyThatShowedOneAsWritten) {
  CasRenamer names(kClientChosenCas);
  EXPECT_EQ(names.last_shown(), std::nullopt);
  names.text("STORED\r\nEND\r\n");
  EXPECT_EQ(names.last_shown(), std::nullopt);
  names.text("VALUE k 0 1 17\r\nx\r\nVALUE j 0 1 9\r\ny\r\nEND\r\nSTORED\r\n");
  EXPECT_EQ(names.last_shown(), 9u);  // the last shown, not the newest nor the largest
  names.text("HD c17\r\nNF\r\n");
  EXPECT_EQ(names.last_shown(), 17u);
  names.text("HD c" + std::to_string(kClientChosenCas + 3) + "\r\n");  // shown verbatim, still the last
  EXPECT_EQ(names.last_shown(), kClientChosenCas + 3);
  binary::Packet stored = binary::response(binary::Opcode::kSet);
  stored.cas = 123;
  binary::Packet noop = binary::response(binary::Opcode::kNoop);  // cas 0: shows none
  names.binary(stored.encode() + noop.encode());
  EXPECT_EQ(names.last_shown(), 123u);
}

TEST(DiffGenerator, AUniqueShownLastIsCarriedRightAfterARequestThatShowsItsKey) {
  GeneratorOptions options;
  options.unissued_cas = options.shown_cas = true;
  for (int kinds = 0; kinds < 4; ++kinds) {
    options.binary = kinds == 3;
    options.classic = kinds != 1;
    options.meta = kinds != 2;
    CommandGenerator generator(11, options);
    Command previous = generator.next();
    int carried = 0;
    for (int i = 0; i < 20000; ++i) {
      const Command c = generator.next();
      if (c.carries_shown_cas()) {
        ++carried;
        ASSERT_FALSE(previous.carries_shown_cas()) << i;
        if (options.binary) {
          EXPECT_EQ(previous.binary->packet.opcode, static_cast<std::uint8_t>(binary::Opcode::kGet)) << i;
          EXPECT_EQ(previous.binary->packet.key, c.binary->packet.key) << i;
        } else {
          const std::string shows = previous.render("");
          EXPECT_TRUE(shows.starts_with(options.classic && c.tokens[1].kind == Token::Kind::kKey ? "gets " : "mg "))
              << i << ": " << shows;
          EXPECT_EQ(previous.tokens[1].text, c.tokens[1].text) << i;
          EXPECT_EQ(previous.tokens[1].kind, c.tokens[1].kind) << i;
          if (shows.starts_with("mg ")) {
            EXPECT_TRUE(shows.ends_with(" c\r\n")) << i << ": " << shows;
          }
        }
      }
      previous = c;
    }
    EXPECT_GT(carried, 50) << "kinds " << kinds;
  }
}

TEST(DiffGenerator, UnissuedCasReplacesEveryCarriedUniqueAndNothingElse) {
  GeneratorOptions guessing, unissued;
  unissued.unissued_cas = true;
  for (bool binary : {false, true}) {
    guessing.binary = unissued.binary = binary;
    CommandGenerator a(7, guessing), b(7, unissued);
    int carried = 0;
    for (int i = 0; i < 20000; ++i) {
      const Command ca = a.next(), cb = b.next();
      if (binary) {
        ASSERT_EQ(ca.binary->packet.opcode, cb.binary->packet.opcode) << i;
        const std::uint64_t cas = cb.binary->packet.cas;
        ASSERT_TRUE(cas == 0 || cas == kUnissuedCas || (cas >= kClientChosenCas && cas < kUnissuedCas)) << i;
        carried += cb.binary->packet.cas != 0;
        continue;
      }
      ASSERT_EQ(ca.tokens.size(), cb.tokens.size()) << i;
      for (std::size_t t = 0; t < ca.tokens.size(); ++t) {
        if (ca.tokens[t].text == cb.tokens[t].text) continue;
        const std::string& text = cb.tokens[t].text;
        const std::string digits = text.starts_with("C") || text.starts_with("E") ? text.substr(1) : text;
        const bool a_unique = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos &&
                              std::stoull(digits) >= kClientChosenCas;
        ASSERT_TRUE(a_unique) << i << ": " << ca.tokens[t].text << " against " << text;
        ++carried;
      }
    }
    EXPECT_GT(carried, 100) << (binary ? "binary" : "text");
  }
}

}  // namespace
}  // namespace mcconform::differential
