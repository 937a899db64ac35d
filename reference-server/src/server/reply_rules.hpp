// Which replies `noreply` and meta `q` hide: one table per protocol, and nowhere else.
#pragma once

#include "protocol/meta_request.hpp"
#include "server/outcome.hpp"

namespace mcrefd::server {

// Classic text: `noreply` hides every reply of the command, errors included. A command whose
// token count is wrong is parsed as an error without `noreply`, so memcached's ERROR still shows.
constexpr bool text_hides(const Outcome& /*outcome*/, bool noreply) { return noreply; }

// Meta: `q` hides only the reply each command considers nominal, never an error, as memcached
// 1.6.38 does: mg its miss (EN), ms and md their success (HD), ma its success (HD or VA) unless
// it created the item. mg's HD and VA, and NF, NS and EX everywhere, still show.
constexpr bool meta_hides(protocol::MetaVerb verb, const MetaOutcome& outcome, bool quiet) {
  if (!quiet) return false;
  using Code = MetaOutcome::Code;
  switch (verb) {
    case protocol::MetaVerb::kGet: return outcome.code == Code::kEN;
    case protocol::MetaVerb::kSet:
    case protocol::MetaVerb::kDelete: return outcome.code == Code::kHD;
    case protocol::MetaVerb::kArith:
      return (outcome.code == Code::kHD || outcome.code == Code::kVA) && !outcome.vivified;
    case protocol::MetaVerb::kNoop:
    case protocol::MetaVerb::kDebug: return false;
  }
  return false;
}

// Binary: a quiet opcode hides the reply memcached 1.6.38 sends through write_bin_response, the
// success of a store, delete, incr/decr, flush or quit, and a get's or gat's miss. Hits and every
// error (not stored, exists, not found on a store or delete, too large...) still show.
constexpr bool binary_hides(const Outcome& outcome, bool quiet) {
  if (!quiet) return false;
  using Code = Outcome::Code;
  switch (outcome.code) {
    case Code::kStored:
    case Code::kDeleted:
    case Code::kNumber:
    case Code::kOk:
    case Code::kClosing:
    case Code::kEnd: return true;
    default: return false;
  }
}

}  // namespace mcrefd::server
