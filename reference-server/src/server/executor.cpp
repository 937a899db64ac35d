// Carries out parsed requests against the engine and reports outcomes; it writes no bytes.
#include "server/executor.hpp"

#include <string>
#include <type_traits>

namespace mcrefd::server {
namespace {

using protocol::RetrieveVerb;
using protocol::StoreVerb;
using Code = Outcome::Code;

Outcome code(Code c) { return Outcome{c}; }
Outcome error(std::string_view text, Outcome::Fault fault = Outcome::Fault::kNone) {
  Outcome out{Code::kError};
  out.text = text;
  out.fault = fault;
  return out;
}

engine::StoreMode store_mode(StoreVerb verb) {
  switch (verb) {
    case StoreVerb::kAdd: return engine::StoreMode::kAdd;
    case StoreVerb::kReplace: return engine::StoreMode::kReplace;
    case StoreVerb::kAppend: return engine::StoreMode::kAppend;
    case StoreVerb::kPrepend: return engine::StoreMode::kPrepend;
    case StoreVerb::kCas: return engine::StoreMode::kCas;
    case StoreVerb::kSet: break;
  }
  return engine::StoreMode::kSet;
}

constexpr std::string_view kTooLargeError = "SERVER_ERROR object too large for cache";

}  // namespace

std::uint64_t Executor::take_cas(Session& session) {
  const std::uint64_t cas = session.pending_cas != 0 ? session.pending_cas : engine_.next_cas();
  session.pending_cas = 0;
  return cas;
}

AfterRequest Executor::execute(const protocol::Request& request, Session& session, OutcomeSink& sink) {
  using namespace protocol;
  return std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, RetrieveRequest>) {
          retrieve(r, session, sink);
        } else if constexpr (std::is_same_v<T, StoreRequest>) {
          store(r, session, sink);
        } else if constexpr (std::is_same_v<T, DeleteRequest>) {
          remove(r, sink);
        } else if constexpr (std::is_same_v<T, ArithRequest>) {
          arithmetic(r, session, sink);
        } else if constexpr (std::is_same_v<T, TouchRequest>) {
          touch(r, sink);
        } else if constexpr (std::is_same_v<T, FlushRequest>) {
          stats_.cmd_flush.add();
          engine_.flush_all(r.delay > 0 ? expiry(r.delay) : 0);
          sink.text(code(Code::kOk));
        } else if constexpr (std::is_same_v<T, VersionRequest>) {
          Outcome out{Code::kText};
          out.text = version_line_;
          sink.text(out);
        } else if constexpr (std::is_same_v<T, VerbosityRequest>) {
          server_.verbosity.store(r.level);
          sink.text(code(Code::kOk));
        } else if constexpr (std::is_same_v<T, StatsRequest>) {
          stats(r, session, sink);
        } else if constexpr (std::is_same_v<T, QuitRequest>) {
          sink.text(code(Code::kClosing));
          return AfterRequest::kClose;
        } else if constexpr (std::is_same_v<T, NoopRequest>) {
          // memcached sends what it has when it meets a noop.
          sink.text(code(Code::kOk));
          sink.flush_point();
        } else if constexpr (std::is_same_v<T, ErrorRequest>) {
          sink.text(error(r.reply));
        } else if constexpr (std::is_same_v<T, MetaRequest>) {
          meta(r, session, sink);
        } else if constexpr (std::is_same_v<T, AdminRequest>) {
          admin(r, sink);
        }
        return AfterRequest::kContinue;
      },
      request);
}

bool Executor::in_replies(const Session& session, std::string_view key) {
  if (session.in_replies.empty()) return false;
  bool held = false;
  engine::AccessOptions peek;
  peek.use = false;
  engine_.access(key, peek, [&](engine::ItemEdit& edit) { held = session.held(key, edit.item.cas); });
  return held;
}

void Executor::retrieve(const protocol::RetrieveRequest& request, Session& session, OutcomeSink& sink) {
  const bool with_cas = request.verb == RetrieveVerb::kGets || request.verb == RetrieveVerb::kGats;
  const bool touching = request.verb == RetrieveVerb::kGat || request.verb == RetrieveVerb::kGats;
  const engine::RelTime touch_expiry = touching ? expiry(request.exptime) : 0;

  const bool all_keys_valid = request.keys.for_each([&](std::string_view key) {
    auto outcome = engine_.get(key, touching ? &touch_expiry : nullptr, [&](const engine::ItemView& item) {
      Outcome hit{Code::kHit};
      hit.item = &item;
      hit.with_cas = with_cas;
      sink.text(hit);
      session.hold(item.key, item.cas);
    });
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
  });
  if (!all_keys_valid) {
    Outcome out{Code::kDiscardThenError};
    out.text = "CLIENT_ERROR bad command line format";
    sink.text(out);
    return;
  }
  sink.text(code(Code::kEnd));
}

std::optional<std::string_view> Executor::refused_data_block(bool too_large, bool bad_data_chunk, std::string_view key,
                                                             bool drop_old_if_too_large, bool count_too_large) {
  if (too_large) {
    if (count_too_large) stats_.store_too_large.add();
    if (drop_old_if_too_large) engine_.remove(key);
    return kTooLargeError;
  }
  stats_.cmd_set.add();
  if (bad_data_chunk) return "CLIENT_ERROR bad data chunk";
  return std::nullopt;
}

void Executor::store(const protocol::StoreRequest& request, Session& session, OutcomeSink& sink) {
  // A refused set must not leave the old value behind; the other verbs keep it.
  const bool drop_old = request.verb == StoreVerb::kSet || request.drop_old_if_too_large;
  if (auto refused = refused_data_block(request.too_large, request.bad_data_chunk, request.key, drop_old,
                                        request.count_too_large)) {
    sink.text(error(*refused, *refused == kTooLargeError ? Outcome::Fault::kTooLarge : Outcome::Fault::kNone));
    return;
  }
  engine::StoreRequest store;
  store.mode = store_mode(request.verb);
  store.key = request.key;
  store.value = request.value;
  store.flags = request.flags;
  store.exptime = expiry(request.exptime);
  store.cas_unique = request.cas_unique;
  // memcached 1.6.38 takes the cas id before it knows whether the store succeeds.
  store.new_cas = take_cas(session);
  const engine::StoreReply reply = engine_.store(store);
  const bool is_cas = request.verb == StoreVerb::kCas;
  switch (reply.result) {
    case engine::StoreResult::kStored: {
      if (is_cas) stats_.cas_hits.add();
      Outcome out{Code::kStored};
      out.cas = reply.cas;
      sink.text(out);
      break;
    }
    case engine::StoreResult::kNotStored: sink.text(code(Code::kNotStored)); break;
    case engine::StoreResult::kExists:
      stats_.cas_badval.add();
      sink.text(code(Code::kExists));
      break;
    case engine::StoreResult::kNotFound:
      stats_.cas_misses.add();
      sink.text(code(Code::kNotFound));
      break;
    case engine::StoreResult::kNoMemory:
      stats_.store_no_memory.add();
      sink.text(error("SERVER_ERROR out of memory storing object", Outcome::Fault::kOutOfMemory));
      break;
  }
}

void Executor::remove(const protocol::DeleteRequest& request, OutcomeSink& sink) {
  if (request.cas_unique != 0) {
    // Binary: the item goes only if its cas matches; a mismatch counts neither hit nor miss.
    bool found = false, matched = false;
    engine::AccessOptions peek;
    peek.use = false;
    engine_.access(request.key, peek, [&](engine::ItemEdit& edit) {
      found = true;
      matched = edit.item.cas == request.cas_unique;
      edit.unlink = matched;
    });
    if (found && !matched) {
      sink.text(code(Code::kExists));
      return;
    }
    (found ? stats_.delete_hits : stats_.delete_misses).add();
    sink.text(code(found ? Code::kDeleted : Code::kNotFound));
    return;
  }
  if (engine_.remove(request.key)) {
    stats_.delete_hits.add();
    sink.text(code(Code::kDeleted));
  } else {
    stats_.delete_misses.add();
    sink.text(code(Code::kNotFound));
  }
}

void Executor::touch(const protocol::TouchRequest& request, OutcomeSink& sink) {
  stats_.cmd_touch.add();
  if (engine_.touch(request.key, expiry(request.exptime))) {
    stats_.touch_hits.add();
    sink.text(code(Code::kTouched));
  } else {
    stats_.touch_misses.add();
    sink.text(code(Code::kNotFound));
  }
}

void Executor::arithmetic(const protocol::ArithRequest& request, Session& session, OutcomeSink& sink) {
  engine::ArithRequest arith;
  arith.key = request.key;
  arith.incr = request.incr;
  arith.delta = request.delta;
  arith.cas_unique = request.cas_unique;
  arith.in_use = in_replies(session, request.key);
  const engine::ArithReply reply = engine_.arithmetic(arith);
  switch (reply.result) {
    case engine::ArithResult::kOk: {
      (request.incr ? stats_.incr_hits : stats_.decr_hits).add();
      Outcome out{Code::kNumber};
      out.number = reply.value;
      out.cas = reply.cas;
      sink.text(out);
      break;
    }
    case engine::ArithResult::kExists:
      if (request.cas_unique != 0) {
        sink.text(code(Code::kExists));
        break;
      }
      [[fallthrough]];
    case engine::ArithResult::kNotFound:
      if (request.create) {
        create_counter(request, session, sink);
        break;
      }
      (request.incr ? stats_.incr_misses : stats_.decr_misses).add();
      sink.text(code(Code::kNotFound));
      break;
    case engine::ArithResult::kNonNumeric:
      sink.text(error("CLIENT_ERROR cannot increment or decrement non-numeric value", Outcome::Fault::kNonNumeric));
      break;
    case engine::ArithResult::kNoMemory:
      sink.text(error("SERVER_ERROR out of memory", Outcome::Fault::kOutOfMemory));
      break;
  }
}

// Binary incr/decr of a missing key stores its initial value, as memcached does with an add (so a
// racing store wins), and answers that value; it counts no miss.
void Executor::create_counter(const protocol::ArithRequest& request, Session& session, OutcomeSink& sink) {
  const std::string digits = std::to_string(request.initial);
  engine::StoreRequest store;
  store.mode = engine::StoreMode::kAdd;
  store.key = request.key;
  store.value = digits;
  store.exptime = expiry(request.exptime);
  store.new_cas = take_cas(session);
  const engine::StoreReply reply = engine_.store(store);
  if (reply.result == engine::StoreResult::kStored) {
    Outcome out{Code::kNumber};
    out.number = request.initial;
    out.cas = reply.cas;
    sink.text(out);
  } else if (reply.result == engine::StoreResult::kNoMemory) {
    sink.text(error("SERVER_ERROR out of memory", Outcome::Fault::kOutOfMemory));
  } else {
    sink.text(code(Code::kNotStored));
  }
}

void Executor::stats(const protocol::StatsRequest& request, const Session& session, OutcomeSink& sink) {
  if (request.group.empty()) {
    scratch_.clear();
    stats_source_.write_stats(scratch_);
    Outcome out{Code::kBlock};
    out.text = scratch_;
    sink.text(out);
  } else if (request.group == "reset") {
    stats_source_.reset_stats();
    sink.text(code(Code::kReset));
  } else if (!admin_stats(request, session, sink)) {
    sink.text(error("ERROR"));
  }
}

}  // namespace mcrefd::server
