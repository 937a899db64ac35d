// Carries out one parsed request against the engine and writes its reply.
#include "server/executor.hpp"

#include <charconv>

namespace mcrefd::server {
namespace {

using protocol::Request;
using protocol::Verb;

constexpr std::size_t kKeyMaxLength = 250;

// The single place where `noreply` takes effect.
class Reply {
 public:
  Reply(const Request& request, Output& out) : silent_(request.noreply), out_(out) {}
  void line(std::string_view text) {
    if (silent_) return;
    out_.bytes.append(text);
    out_.bytes.append("\r\n");
  }

 private:
  bool silent_;
  Output& out_;
};

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, static_cast<std::size_t>(end - digits));
}

void append_value(std::string& out, const engine::ItemView& item, bool with_cas) {
  out.append("VALUE ");
  out.append(item.key);
  out.push_back(' ');
  append_number(out, item.flags);
  out.push_back(' ');
  append_number(out, item.value.size());
  if (with_cas) {
    out.push_back(' ');
    append_number(out, item.cas);
  }
  out.append("\r\n");
  out.append(item.value);
  out.append("\r\n");
}

engine::StoreMode store_mode(Verb verb) {
  switch (verb) {
    case Verb::kAdd: return engine::StoreMode::kAdd;
    case Verb::kReplace: return engine::StoreMode::kReplace;
    case Verb::kAppend: return engine::StoreMode::kAppend;
    case Verb::kPrepend: return engine::StoreMode::kPrepend;
    case Verb::kCas: return engine::StoreMode::kCas;
    default: return engine::StoreMode::kSet;
  }
}

}  // namespace

AfterRequest Executor::execute(const Request& request, Output& out) {
  Reply reply(request, out);
  switch (request.verb) {
    case Verb::kGet:
    case Verb::kGets:
    case Verb::kGat:
    case Verb::kGats: retrieve(request, out); break;
    case Verb::kSet:
    case Verb::kAdd:
    case Verb::kReplace:
    case Verb::kAppend:
    case Verb::kPrepend:
    case Verb::kCas: store(request, out); break;
    case Verb::kDelete:
      if (engine_.remove(request.key)) {
        stats_.delete_hits.add();
        reply.line("DELETED");
      } else {
        stats_.delete_misses.add();
        reply.line("NOT_FOUND");
      }
      break;
    case Verb::kIncr:
    case Verb::kDecr: arithmetic(request, out); break;
    case Verb::kTouch:
      stats_.cmd_touch.add();
      if (engine_.touch(request.key, clock_.expiry_from_client(request.exptime))) {
        stats_.touch_hits.add();
        reply.line("TOUCHED");
      } else {
        stats_.touch_misses.add();
        reply.line("NOT_FOUND");
      }
      break;
    case Verb::kFlushAll:
      stats_.cmd_flush.add();
      engine_.flush_all(request.flush_delay > 0 ? clock_.expiry_from_client(request.flush_delay) : 0);
      reply.line("OK");
      break;
    case Verb::kVersion: reply.line(version_line_); break;
    case Verb::kVerbosity:
      server_.verbosity.store(request.verbosity);
      reply.line("OK");
      break;
    case Verb::kStats:
      if (request.stats_group.empty()) {
        stats_source_.write_stats(out.bytes);
      } else if (request.stats_group == "reset") {
        stats_source_.reset_stats();
        reply.line("RESET");
      } else {
        reply.line("ERROR");
      }
      break;
    case Verb::kQuit: return AfterRequest::kClose;
    case Verb::kError: reply.line(request.error_reply); break;
  }
  return AfterRequest::kContinue;
}

void Executor::retrieve(const Request& request, Output& out) {
  const bool with_cas = request.verb == Verb::kGets || request.verb == Verb::kGats;
  const bool touching = request.verb == Verb::kGat || request.verb == Verb::kGats;
  const engine::RelTime touch_expiry = touching ? clock_.expiry_from_client(request.exptime) : 0;

  std::string_view keys = request.keys;
  while (!keys.empty()) {
    const std::size_t space = keys.find(' ');
    const std::string_view key = keys.substr(0, space);
    keys = space == std::string_view::npos ? std::string_view{} : keys.substr(space + 1);
    if (key.empty()) continue;
    if (key.size() > kKeyMaxLength) {
      out.discard_uncommitted();
      out.bytes.append("CLIENT_ERROR bad command line format\r\n");
      return;
    }
    auto outcome = engine_.get(key, touching ? &touch_expiry : nullptr,
                               [&](const engine::ItemView& item) { append_value(out.bytes, item, with_cas); });
    if (outcome == engine::LookupOutcome::kExpired) stats_.get_expired.add();
    if (outcome == engine::LookupOutcome::kFlushed) stats_.get_flushed.add();
    const bool hit = outcome == engine::LookupOutcome::kHit;
    if (touching) {
      stats_.cmd_touch.add();
      (hit ? stats_.touch_hits : stats_.touch_misses).add();
    } else {
      stats_.cmd_get.add();
      (hit ? stats_.get_hits : stats_.get_misses).add();
    }
  }
  out.bytes.append("END\r\n");
}

void Executor::store(const Request& request, Output& out) {
  Reply reply(request, out);
  if (request.too_large) {
    stats_.store_too_large.add();
    // A refused set must not leave the old value behind.
    if (request.verb == Verb::kSet) engine_.remove(request.key);
    reply.line("SERVER_ERROR object too large for cache");
    return;
  }
  stats_.cmd_set.add();
  if (request.bad_data_chunk) {
    reply.line("CLIENT_ERROR bad data chunk");
    return;
  }
  engine::StoreRequest store;
  store.mode = store_mode(request.verb);
  store.key = request.key;
  store.value = request.value;
  store.flags = request.flags;
  store.exptime = clock_.expiry_from_client(request.exptime);
  store.cas_unique = request.cas_unique;
  const engine::StoreResult result = engine_.store(store);
  const bool is_cas = request.verb == Verb::kCas;
  switch (result) {
    case engine::StoreResult::kStored:
      if (is_cas) stats_.cas_hits.add();
      reply.line("STORED");
      break;
    case engine::StoreResult::kNotStored: reply.line("NOT_STORED"); break;
    case engine::StoreResult::kExists:
      stats_.cas_badval.add();
      reply.line("EXISTS");
      break;
    case engine::StoreResult::kNotFound:
      stats_.cas_misses.add();
      reply.line("NOT_FOUND");
      break;
    case engine::StoreResult::kNoMemory:
      stats_.store_no_memory.add();
      reply.line("SERVER_ERROR out of memory storing object");
      break;
  }
}

void Executor::arithmetic(const Request& request, Output& out) {
  Reply reply(request, out);
  const bool incr = request.verb == Verb::kIncr;
  std::uint64_t value = 0;
  switch (engine_.arithmetic(request.key, incr, request.delta, value)) {
    case engine::ArithResult::kOk: {
      (incr ? stats_.incr_hits : stats_.decr_hits).add();
      char digits[24];
      auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
      reply.line(std::string_view(digits, static_cast<std::size_t>(end - digits)));
      break;
    }
    case engine::ArithResult::kNotFound:
      (incr ? stats_.incr_misses : stats_.decr_misses).add();
      reply.line("NOT_FOUND");
      break;
    case engine::ArithResult::kNonNumeric:
      reply.line("CLIENT_ERROR cannot increment or decrement non-numeric value");
      break;
    case engine::ArithResult::kNoMemory: reply.line("SERVER_ERROR out of memory"); break;
  }
}

}  // namespace mcrefd::server
