// The pure request parser: bytes in; a request, a need for more bytes, or a close out.
#include "protocol/request_parser.hpp"

#include <climits>
#include <cstring>

#include "common/item_size.hpp"
#include "common/numbers.hpp"
#include "protocol/meta_parser.hpp"
#include "protocol/tokenizer.hpp"

namespace mcrefd::protocol {
namespace {

using common::parse_i32;
using common::parse_u32;
using common::parse_u64;

// memcached reads at most this much before it looks for a newline.
constexpr std::size_t kReadWindow = 16384;
constexpr std::size_t kMaxLeadingSpaces = 100;

constexpr std::string_view kError = "ERROR";
constexpr std::string_view kBadFormat = "CLIENT_ERROR bad command line format";
constexpr std::string_view kBadExptime = "CLIENT_ERROR invalid exptime argument";
constexpr std::string_view kBadDelta = "CLIENT_ERROR invalid numeric delta argument";
constexpr std::string_view kBadDeleteFormat = "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]";
constexpr std::string_view kBadStatsLine = "CLIENT_ERROR bad command line";

ParseOutcome request_outcome(std::size_t consumed, Request request) {
  ParseOutcome out;
  out.status = ParseOutcome::Status::kRequest;
  out.consumed = consumed;
  out.request = std::move(request);
  return out;
}

ErrorRequest error_request(std::string_view reply, bool noreply = false) { return ErrorRequest{reply, noreply}; }

bool last_is_noreply(const Tokens& t) { return t.last() == "noreply"; }

// Everything on the line from token `index` on, including any unsplit remainder.
std::string_view from_token(std::string_view line, const Tokens& t, std::size_t index) {
  if (index >= t.count) return t.has_rest ? t.rest : std::string_view{};
  return line.substr(static_cast<std::size_t>(t.token[index].data() - line.data()));
}

class LineParser {
 public:
  LineParser(std::string_view input, std::size_t line_end, std::size_t next, const ParserLimits& limits)
      : input_(input), line_(input.substr(0, line_end)), next_(next), limits_(limits) {
    // memcached treats the line as a C string: a NUL byte ends it.
    if (auto nul = line_.find('\0'); nul != std::string_view::npos) line_ = line_.substr(0, nul);
    tokens_ = tokenize(line_);
  }

  ParseOutcome parse() {
    const Tokens& t = tokens_;
    if (t.count == 0 || t.token[0].size() < 2) return reply(error_request(kError));
    const std::string_view cmd = t.token[0];
    const std::size_t n = t.ntokens();

    if (cmd.size() == 2 && cmd[0] == 'm') return parse_meta(input_, t, next_, limits_);
    switch (cmd[0]) {
      case 'g':
        if (n < 3) return reply(error_request(kError));
        if (cmd == "get") return retrieval(RetrieveVerb::kGet);
        if (cmd == "gets") return retrieval(RetrieveVerb::kGets);
        if (cmd == "gat") return retrieval(RetrieveVerb::kGat);
        if (cmd == "gats") return retrieval(RetrieveVerb::kGats);
        return reply(error_request(kError));
      case 's':
        if (cmd == "set") return storage(StoreVerb::kSet);
        if (cmd == "stats") return stats();
        if (cmd == "slabs") return admin(AdminVerb::kSlabs);
        if (cmd == "shutdown") return admin(AdminVerb::kShutdown);
        return reply(error_request(kError));
      case 'a':
        if (cmd == "add") return storage(StoreVerb::kAdd);
        if (cmd == "append") return storage(StoreVerb::kAppend);
        return reply(error_request(kError));
      case 'c':
        if (cmd == "cas") return storage(StoreVerb::kCas);
        if (cmd == "cache_memlimit") {
          if (n != 3 && n != 4) return reply(error_request(kError));
          return admin(AdminVerb::kCacheMemlimit);
        }
        return reply(error_request(kError));
      case 'i':
        if (cmd == "incr") return arithmetic(true);
        return reply(error_request(kError));
      case 'd':
        if (cmd == "delete") return remove();
        if (cmd == "decr") return arithmetic(false);
        return reply(error_request(kError));
      case 't':
        if (cmd == "touch") return touch();
        return reply(error_request(kError));
      default: break;
    }
    if (cmd == "replace") return storage(StoreVerb::kReplace);
    if (cmd == "prepend") return storage(StoreVerb::kPrepend);
    if (cmd == "flush_all") return flush_all();
    if (cmd == "version") return reply(VersionRequest{});
    if (cmd == "quit") return reply(QuitRequest{});
    if (cmd == "verbosity") return verbosity();
    if (cmd == "lru_crawler") return admin(AdminVerb::kLruCrawler);
    // memcached hangs up on what looks like an HTTP request rather than answer it.
    if (t.last().substr(0, 5) == "HTTP/") return close();
    return reply(error_request(kError));
  }

 private:
  ParseOutcome reply(Request r) const { return request_outcome(next_, std::move(r)); }
  ParseOutcome close() const {
    ParseOutcome out;
    out.status = ParseOutcome::Status::kClose;
    return out;
  }
  ParseOutcome retrieval(RetrieveVerb verb) const {
    RetrieveRequest r;
    r.verb = verb;
    std::size_t first_key = 1;
    if (verb == RetrieveVerb::kGat || verb == RetrieveVerb::kGats) {
      auto exptime = parse_i32(tokens_.token[1]);
      if (!exptime) return reply(error_request(kBadExptime));
      r.exptime = *exptime;
      first_key = 2;
    }
    r.keys = KeyList(from_token(line_, tokens_, first_key));
    return reply(r);
  }

  ParseOutcome storage(StoreVerb verb) const {
    const Tokens& t = tokens_;
    const bool is_cas = verb == StoreVerb::kCas;
    const std::size_t n = t.ntokens();
    if (is_cas ? (n != 7 && n != 8) : (n != 6 && n != 7)) return reply(error_request(kError));

    StoreRequest r;
    r.verb = verb;
    r.noreply = last_is_noreply(t);
    r.key = t.token[1];
    if (r.key.size() > kKeyMaxLength) return reply(error_request(kBadFormat, r.noreply));
    auto flags = parse_u32(t.token[2]);
    auto exptime = flags ? parse_i32(t.token[3]) : std::nullopt;
    auto vlen = exptime ? parse_i32(t.token[4]) : std::nullopt;
    if (!vlen) return reply(error_request(kBadFormat, r.noreply));
    r.flags = *flags;
    r.exptime = *exptime;
    if (is_cas) {
      auto unique = parse_u64(t.token[5]);
      if (!unique) return reply(error_request(kBadFormat, r.noreply));
      r.cas_unique = *unique;
    }
    if (*vlen < 0 || *vlen > INT_MAX - 2) return reply(error_request(kBadFormat, r.noreply));

    const std::size_t data_len = static_cast<std::size_t>(*vlen);
    if (common::memcached_item_size(r.key.size(), r.flags, data_len) > limits_.item_size_max) {
      // Refused before the data arrives; the block that follows is read and dropped.
      r.too_large = true;
      ParseOutcome out = reply(r);
      out.swallow = data_len + 2;
      return out;
    }
    const std::size_t block_end = next_ + data_len + 2;
    if (input_.size() < block_end) return ParseOutcome{};
    r.value = input_.substr(next_, data_len);
    r.bad_data_chunk = input_.substr(next_ + data_len, 2) != "\r\n";
    return request_outcome(block_end, r);
  }

  ParseOutcome remove() const {
    const Tokens& t = tokens_;
    const std::size_t n = t.ntokens();
    if (n < 3 || n > 5) return reply(error_request(kError));
    DeleteRequest r;
    r.key = t.token[1];
    if (n > 3) {
      // Only a legacy hold time of "0" and "noreply" may follow the key.
      const bool hold_is_zero = t.token[2] == "0";
      r.noreply = last_is_noreply(t);
      const bool valid = (n == 4 && (hold_is_zero || r.noreply)) || (n == 5 && hold_is_zero && r.noreply);
      if (!valid) return reply(error_request(kBadDeleteFormat, r.noreply));
    }
    if (r.key.size() > kKeyMaxLength) return reply(error_request(kBadFormat, r.noreply));
    return reply(r);
  }

  ParseOutcome arithmetic(bool incr) const {
    const Tokens& t = tokens_;
    const std::size_t n = t.ntokens();
    if (n != 4 && n != 5) return reply(error_request(kError));
    ArithRequest r;
    r.incr = incr;
    r.noreply = last_is_noreply(t);
    r.key = t.token[1];
    if (r.key.size() > kKeyMaxLength) return reply(error_request(kBadFormat, r.noreply));
    auto delta = parse_u64(t.token[2]);
    if (!delta) return reply(error_request(kBadDelta, r.noreply));
    r.delta = *delta;
    return reply(r);
  }

  ParseOutcome touch() const {
    const Tokens& t = tokens_;
    const std::size_t n = t.ntokens();
    if (n != 4 && n != 5) return reply(error_request(kError));
    TouchRequest r;
    r.noreply = last_is_noreply(t);
    r.key = t.token[1];
    if (r.key.size() > kKeyMaxLength) return reply(error_request(kBadFormat, r.noreply));
    auto exptime = parse_i32(t.token[2]);
    if (!exptime) return reply(error_request(kBadExptime, r.noreply));
    r.exptime = *exptime;
    return reply(r);
  }

  ParseOutcome flush_all() const {
    const Tokens& t = tokens_;
    const std::size_t n = t.ntokens();
    if (n < 2 || n > 4) return reply(error_request(kError));
    FlushRequest r;
    r.noreply = last_is_noreply(t);
    if (n != (r.noreply ? 3u : 2u)) {
      auto delay = parse_i32(t.token[1]);
      if (!delay) return reply(error_request(kBadExptime, r.noreply));
      r.delay = *delay;
    }
    return reply(r);
  }

  ParseOutcome verbosity() const {
    const Tokens& t = tokens_;
    const std::size_t n = t.ntokens();
    if (n != 3 && n != 4) return reply(error_request(kError));
    VerbosityRequest r;
    r.noreply = last_is_noreply(t);
    auto level = parse_u32(t.token[1]);
    if (!level) return reply(error_request(kBadFormat, r.noreply));
    r.level = *level;
    return reply(r);
  }

  ParseOutcome stats() const {
    if (tokens_.ntokens() < 2) return reply(error_request(kBadStatsLine));
    StatsRequest r;
    if (tokens_.count > 1) r.group = tokens_.token[1];
    if (tokens_.count > 2) r.arg = tokens_.token[2];
    return reply(r);
  }

  ParseOutcome admin(AdminVerb verb) const {
    AdminRequest r;
    r.verb = verb;
    r.ntokens = tokens_.ntokens();
    for (std::size_t i = 1; i < tokens_.count && i <= r.args.size(); ++i) r.args[i - 1] = tokens_.token[i];
    // memcached honours noreply only for cache_memlimit and slabs automove.
    const bool may_noreply =
        verb == AdminVerb::kCacheMemlimit || (verb == AdminVerb::kSlabs && r.args[0] == "automove");
    r.noreply = may_noreply && last_is_noreply(tokens_);
    return reply(r);
  }

  std::string_view input_;
  std::string_view line_;
  std::size_t next_;  // offset of the first byte after the line's "\n"
  const ParserLimits& limits_;
  Tokens tokens_;
};

bool may_be_long_get(std::string_view pending) {
  std::size_t spaces = 0;
  while (spaces < pending.size() && pending[spaces] == ' ') ++spaces;
  if (spaces > kMaxLeadingSpaces) return false;
  std::string_view rest = pending.substr(spaces);
  return rest.starts_with("get ") || rest.starts_with("gets ");
}

}  // namespace

ParseOutcome parse_request(std::string_view input, const ParserLimits& limits) {
  const std::string_view window = input.substr(0, kReadWindow);
  std::size_t newline = window.find('\n');
  if (newline == std::string_view::npos) {
    // Only a multi-get may legitimately run past 2 KiB before its newline.
    if (window.size() <= kMaxLineWithoutNewline) return ParseOutcome{};
    if (!may_be_long_get(window)) {
      ParseOutcome out;
      out.status = ParseOutcome::Status::kClose;
      return out;
    }
    newline = input.find('\n', window.size());
    if (newline == std::string_view::npos) return ParseOutcome{};
  }
  std::size_t line_end = newline;
  if (line_end > 1 && input[line_end - 1] == '\r') --line_end;
  return LineParser(input, line_end, newline + 1, limits).parse();
}

}  // namespace mcrefd::protocol
