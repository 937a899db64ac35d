// The meta-protocol half of the parser: a tokenized mg/ms/md/ma/mn/me line in, a request out.
#include "protocol/meta_parser.hpp"

#include <climits>
#include <cstring>

#include "common/item_size.hpp"
#include "common/numbers.hpp"
#include "protocol/base64.hpp"

namespace mcrefd::protocol {
namespace {

using common::parse_i32;
using common::parse_u32;
using common::parse_u64;

constexpr std::string_view kError = "ERROR";
constexpr std::string_view kBadFormat = "CLIENT_ERROR bad command line format";
constexpr std::string_view kBadToken = "CLIENT_ERROR bad token in command line format";
constexpr std::string_view kInvalidOrDuplicate = "CLIENT_ERROR invalid or duplicate flag";
constexpr std::string_view kOpaqueTooLong = "CLIENT_ERROR opaque token too long";

ParseOutcome answer(std::size_t consumed, Request request, std::size_t swallow = 0) {
  ParseOutcome out;
  out.status = ParseOutcome::Status::kRequest;
  out.consumed = consumed;
  out.swallow = swallow;
  out.request = std::move(request);
  return out;
}

// Meta errors are never hidden by `q`.
ErrorRequest error(std::string_view reply) { return ErrorRequest{reply, false}; }

bool opaque_too_long(const MetaFlags& flags) {
  for (std::size_t i = 0; i < flags.count; ++i) {
    if (flags.tokens[i][0] == 'O' && flags.tokens[i].size() > kMetaMaxOpaqueLength) return true;
  }
  return false;
}

// Reads the flags from token `first` on into `r`. Returns the error memcached reports, or an
// empty view. Like memcached it stops at a duplicate or unknown flag, and otherwise reads on
// after a bad value, so the last bad value names the error.
std::string_view read_flags(const Tokens& t, std::size_t first, MetaRequest& r) {
  MetaFlags& f = r.flags;
  bool failed = false;
  std::string_view error;
  auto bad = [&](std::string_view why) {
    failed = true;
    error = why;
  };
  for (std::size_t i = first; i < t.count; ++i) {
    const std::string_view token = t.token[i];
    const auto letter = static_cast<unsigned char>(token[0]);
    if (letter >= 127 || f.present.test(letter)) return "CLIENT_ERROR duplicate flag";
    f.present.set(letter);
    f.tokens[f.count++] = token;
    const std::string_view arg = token.substr(1);
    switch (letter) {
      case 'b': {
        const std::size_t length = base64_decode(r.key(), r.key_bytes.data());
        if (length == 0) bad("CLIENT_ERROR error decoding key");
        r.key_size = length;
        r.key_binary = true;
        break;
      }
      case 'N':
      case 'T':
      case 'R': {
        auto value = parse_i32(arg);
        if (!value) {
          bad(kBadToken);
          break;
        }
        (letter == 'N' ? f.vivify_ttl : letter == 'T' ? f.ttl : f.recache_ttl) = *value;
        break;
      }
      case 'F':
        if (auto value = parse_u32(arg)) {
          f.client_flags = *value;
        } else {
          failed = true;  // memcached names no reason for this one
        }
        break;
      case 'C':
      case 'E': {
        auto value = parse_u64(arg);
        if (!value) {
          bad(kBadToken);
          break;
        }
        (letter == 'C' ? f.compare_cas : f.new_cas) = *value;
        break;
      }
      case 'M':
        if (token.size() != 2) {
          bad("CLIENT_ERROR incorrect length for M token");
        } else {
          f.mode = token[1];
        }
        break;
      case 'J':
        if (auto value = parse_u64(arg)) {
          f.initial = *value;
        } else {
          bad("CLIENT_ERROR invalid numeric initial value");
        }
        break;
      case 'D':
        if (auto value = parse_u64(arg)) {
          f.delta = *value;
        } else {
          bad("CLIENT_ERROR invalid numeric delta value");
        }
        break;
      case 'O':
      case 'P':
      case 'L':
      case 'k':
      case 's':
      case 't':
      case 'c':
      case 'f':
      case 'v':
      case 'h':
      case 'l':
      case 'u':
      case 'q':
      case 'x':
      case 'I': break;
      default: return "CLIENT_ERROR invalid flag";
    }
  }
  if (!failed) return {};
  return error.empty() ? kBadFormat : error;
}

class MetaLineParser {
 public:
  MetaLineParser(std::string_view input, const Tokens& tokens, std::size_t next, const ParserLimits& limits)
      : input_(input), t_(tokens), next_(next), limits_(limits) {}

  ParseOutcome parse() {
    switch (t_.token[0][1]) {
      case 'n': return simple(MetaVerb::kNoop);
      case 'e': return debug();
      case 'g': return keyed(MetaVerb::kGet);
      case 's': return set();
      case 'd': return keyed(MetaVerb::kDelete);
      case 'a': return keyed(MetaVerb::kArith);
      default: return fail(kError);
    }
  }

 private:
  ParseOutcome fail(std::string_view reply, std::size_t swallow = 0) const {
    return answer(next_, error(reply), swallow);
  }
  ParseOutcome simple(MetaVerb verb) const {
    MetaRequest r;
    r.verb = verb;
    return answer(next_, r);
  }

  // The key token as sent; `b` decodes it in place later.
  void take_key(MetaRequest& r) const {
    const std::string_view key = t_.token[1];
    std::memcpy(r.key_bytes.data(), key.data(), key.size());
    r.key_size = key.size();
  }

  ParseOutcome debug() const {
    if (t_.ntokens() < 3 || t_.token[1].size() > kKeyMaxLength) return fail(kBadFormat);
    MetaRequest r;
    r.verb = MetaVerb::kDebug;
    take_key(r);
    if (t_.ntokens() >= 4 && t_.token[2] == "b") {
      r.key_size = base64_decode(t_.token[1], r.key_bytes.data());
      if (r.key_size == 0) return fail(kBadFormat);
      r.key_binary = true;
    }
    return answer(next_, r);
  }

  // mg, md, ma: `<cmd> <key> <flag>*`.
  ParseOutcome keyed(MetaVerb verb) const {
    const std::size_t n = t_.ntokens();
    if (n < 3) return fail(kError);
    if (t_.token[1].size() > kKeyMaxLength) return fail(kBadFormat);
    if (n > kMetaMaxTokens) {
      return fail(verb == MetaVerb::kGet ? "CLIENT_ERROR options flags are too long"
                                         : "CLIENT_ERROR options flags too long");
    }
    MetaRequest r;
    r.verb = verb;
    take_key(r);
    const std::string_view flag_error = read_flags(t_, 2, r);
    if (!flag_error.empty()) return fail(verb == MetaVerb::kGet ? flag_error : kInvalidOrDuplicate);
    if (verb == MetaVerb::kDelete && opaque_too_long(r.flags)) return fail(kOpaqueTooLong);
    if (verb == MetaVerb::kArith) {
      switch (r.flags.mode) {
        case 0:
        case 'I':
        case '+':
        case 'D':
        case '-': break;
        default: return fail("CLIENT_ERROR invalid mode for ma M token");
      }
    }
    return answer(next_, r);
  }

  // ms: `ms <key> <datalen> <flag>*\r\n<data>\r\n`.
  ParseOutcome set() const {
    const std::size_t n = t_.ntokens();
    if (n < 3) return fail(kError);
    if (t_.token[1].size() > kKeyMaxLength || n == 3) return fail(kBadFormat);
    if (n > kMetaMaxTokens) return fail("CLIENT_ERROR options flags too long");
    auto vlen = parse_i32(t_.token[2]);
    if (!vlen || *vlen < 0 || *vlen > INT_MAX - 2) return fail(kBadFormat);
    const std::size_t data_len = static_cast<std::size_t>(*vlen);
    const std::size_t block = data_len + 2;

    MetaRequest r;
    r.verb = MetaVerb::kSet;
    take_key(r);
    // After a bad flag memcached still reads and drops the data block.
    const std::string_view flag_error = read_flags(t_, 3, r);
    if (!flag_error.empty()) return fail(flag_error, block);

    switch (r.flags.mode) {
      case 0:
      case 'E':
      case 'A':
      case 'P':
      case 'R':
      case 'S': break;
      default: r.late_error = MetaLateError::kInvalidSetMode;
    }
    if (r.late_error == MetaLateError::kNone && opaque_too_long(r.flags)) r.late_error = MetaLateError::kOpaqueTooLong;
    if (r.late_error == MetaLateError::kNone &&
        common::memcached_item_size(r.key_size, r.flags.client_flags, data_len) > limits_.item_size_max) {
      r.too_large = true;
    }
    if (r.late_error != MetaLateError::kNone || r.too_large) return answer(next_, r, block);

    const std::size_t block_end = next_ + block;
    if (input_.size() < block_end) return ParseOutcome{};
    r.value = input_.substr(next_, data_len);
    r.bad_data_chunk = input_.substr(next_ + data_len, 2) != "\r\n";
    return answer(block_end, r);
  }

  std::string_view input_;
  const Tokens& t_;
  std::size_t next_;
  const ParserLimits& limits_;
};

}  // namespace

ParseOutcome parse_meta(std::string_view input, const Tokens& tokens, std::size_t next, const ParserLimits& limits) {
  return MetaLineParser(input, tokens, next, limits).parse();
}

}  // namespace mcrefd::protocol
