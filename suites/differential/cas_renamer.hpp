// Cas uniques as the order in which one server first showed them, so that two servers that number
// their uniques differently can still be compared reply for reply (`mcconform diff --cas-uniques
// renamed`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mcconform::differential {

// One server's replies in, the same replies out with every cas unique replaced by its ordinal
// ("#1" for the first unique this server showed, "#2" for the next new one, ...). Two servers whose
// uniques behave alike (the same unique while an item is unchanged, a new one for every change)
// then give the same text even when one counts from 1 and the other from 2, or one is a running
// server whose counter stands at a million. A server that showed one unique for two versions of
// an item, or two uniques for one, still differs.
//
// Replies are walked as memcached frames them: a line, and after a VALUE or VA line the data block
// its length announces, skipped unread; binary responses by their headers. Feed one server's
// replies in order, batch after batch, each batch made of whole replies.
class CasRenamer {
 public:
  // Uniques at or above `verbatim_from` are left as they are: values the client chose (an E flag's),
  // which a server must show exactly as given.
  explicit CasRenamer(std::uint64_t verbatim_from = UINT64_MAX) : verbatim_from_(verbatim_from) {}

  // Text and meta replies: the fifth token of a VALUE line, a meta reply's c<unique> flag, and the
  // cas=<unique> field of an `me` line.
  std::string text(std::string_view replies);
  // Binary responses: the header's cas field, when not 0, as the ordinal (big-endian).
  std::string binary(std::string_view replies);
  // The unique (as the server wrote it, not renamed) in the last reply that showed one, of all the
  // replies fed so far: what a request that carries the unique the server showed last is sent.
  std::optional<std::uint64_t> last_shown() const { return last_shown_; }

 private:
  std::uint64_t ordinal(std::string_view unique);
  // The unique's digits as they go back into a text reply: "#<ordinal>", or the digits themselves.
  std::string renamed(std::string_view unique);
  std::uint64_t verbatim_from_;
  std::unordered_map<std::string, std::uint64_t> ordinals_;
  std::optional<std::uint64_t> last_shown_;
};

}  // namespace mcconform::differential
