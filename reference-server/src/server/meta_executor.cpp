// The meta commands (mg ms md ma mn me) against the engine, as memcached 1.6.38 carries them out.
#include <charconv>

#include "common/item_size.hpp"
#include "protocol/base64.hpp"
#include "server/executor.hpp"
#include "server/slab_classes.hpp"

namespace mcrefd::server {
namespace {

using protocol::MetaRequest;
using protocol::MetaVerb;
using Code = MetaOutcome::Code;

MetaOutcome meta_code(Code c) { return MetaOutcome{c}; }
MetaOutcome meta_error(std::string_view text) {
  MetaOutcome out{Code::kError};
  out.text = text;
  return out;
}

constexpr std::string_view kOpaqueTooLong = "CLIENT_ERROR opaque token too long";

bool is_long_opaque(std::string_view token) { return token[0] == 'O' && token.size() > protocol::kMetaMaxOpaqueLength; }

// What `t` prints: memcached subtracts in unsigned 32-bit arithmetic.
std::int64_t ttl_of(engine::RelTime exptime, engine::RelTime now) {
  if (exptime == 0) return -1;
  return static_cast<std::uint32_t>(exptime - now);
}

void fill_item(MetaOutcome& out, const engine::ItemView& item, engine::RelTime now) {
  out.has_item = true;
  out.item_key = item.key;
  out.item_key_binary = item.key_binary;
  out.cas = item.cas;
  out.client_flags = item.flags;
  out.size = item.value.size();
  out.ttl = ttl_of(item.exptime, now);
  out.last_access = now - item.time;
  out.fetched = item.fetched;
}

}  // namespace

void Executor::meta(const MetaRequest& request, Session& session, OutcomeSink& sink) {
  switch (request.verb) {
    case MetaVerb::kGet: meta_get(request, session, sink); break;
    case MetaVerb::kSet: meta_set(request, session, sink); break;
    case MetaVerb::kDelete: meta_delete(request, session, sink); break;
    case MetaVerb::kArith: meta_arithmetic(request, session, sink); break;
    case MetaVerb::kDebug: meta_debug(request, sink); break;
    case MetaVerb::kNoop:
      sink.meta(meta_code(Code::kMN));
      sink.flush_point();
      break;
  }
}

void Executor::meta_get(const MetaRequest& request, Session& session, OutcomeSink& sink) {
  const protocol::MetaFlags& flags = request.flags;
  engine::AccessOptions options;
  options.use = !flags.has('u');
  options.vivify = flags.has('N');
  if (flags.has('E')) options.vivify_cas = flags.new_cas;
  const engine::RelTime now = clock_.now();
  bool touched = false;

  const engine::LookupOutcome found = engine_.access(request.key(), options, [&](engine::ItemEdit& edit) {
    MetaOutcome out = meta_code(flags.has('v') ? Code::kVA : Code::kHD);
    fill_item(out, edit.item, now);
    out.value = edit.item.value;
    bool won = false;
    // Flags that change the item act in the order they came, as memcached's reply loop does.
    for (std::size_t i = 0; i < flags.count; ++i) {
      const std::string_view token = flags.tokens[i];
      switch (token[0]) {
        case 'T':
          edit.exptime = expiry(flags.ttl);
          touched = true;
          break;
        case 'N':
          if (edit.created) {
            edit.exptime = expiry(flags.vivify_ttl);
            won = true;
          }
          break;
        case 'R':
          if (!edit.token_sent && !edit.created && edit.exptime != 0 && edit.exptime < expiry(flags.recache_ttl)) {
            won = true;
          }
          break;
        case 't': out.ttl = ttl_of(edit.exptime, now); break;
        case 'O':
          if (is_long_opaque(token)) {
            // Without a flag that needs the item's state before this read, memcached counted
            // the read at lookup, before it met the error.
            const bool delayed_use =
                flags.has('N') || flags.has('T') || flags.has('R') || flags.has('l') || flags.has('h');
            edit.use = options.use && !delayed_use;
            sink.meta(meta_error(kOpaqueTooLong));
            return;
          }
          break;
        default: break;
      }
    }
    out.token_sent = edit.token_sent;
    out.stale = edit.stale;
    if (edit.stale && !edit.token_sent) won = true;
    if (won) {
      out.win = true;
      edit.token_sent = true;
    }
    sink.meta(out);
    session.hold(edit.item.key, edit.cas);
  });

  const bool hit = found == engine::LookupOutcome::kHit || options.vivify;
  if (found == engine::LookupOutcome::kExpired) stats_.get_expired.add();
  if (found == engine::LookupOutcome::kFlushed) stats_.get_flushed.add();
  if (touched || (!hit && flags.has('T'))) {
    stats_.cmd_touch.add();
    (hit ? stats_.touch_hits : stats_.touch_misses).add();
  } else {
    stats_.cmd_get.add();
    (hit ? stats_.get_hits : stats_.get_misses).add();
  }
  if (found == engine::LookupOutcome::kHit) return;
  if (options.vivify) return;  // answered from the created item
  for (std::size_t i = 0; i < flags.count; ++i) {
    if (is_long_opaque(flags.tokens[i])) {
      sink.meta(meta_error(kOpaqueTooLong));
      return;
    }
  }
  sink.meta(meta_code(Code::kEN));
}

void Executor::meta_set(const MetaRequest& request, Session& session, OutcomeSink& sink) {
  const protocol::MetaFlags& flags = request.flags;
  // memcached takes the cas id as soon as the flags parse, before anything can still fail.
  session.pending_cas = flags.has('E') ? flags.new_cas : engine_.next_cas();
  switch (request.late_error) {
    case protocol::MetaLateError::kInvalidSetMode:
      sink.meta(meta_error("CLIENT_ERROR invalid mode for ms M token"));
      return;
    case protocol::MetaLateError::kOpaqueTooLong: sink.meta(meta_error(kOpaqueTooLong)); return;
    case protocol::MetaLateError::kNone: break;
  }
  // Whatever the mode, a refused value must not leave the old one behind.
  if (auto refused = refused_data_block(request.too_large, request.bad_data_chunk, request.key(), true)) {
    sink.meta(meta_error(*refused));
    return;
  }

  engine::StoreRequest store;
  store.key = request.key();
  store.value = request.value;
  store.flags = flags.client_flags;
  store.exptime = flags.has('T') ? expiry(flags.ttl) : 0;
  store.cas_unique = flags.compare_cas;
  store.key_binary = request.key_binary;
  const bool vivify = flags.has('N');
  switch (flags.mode) {
    case 'E': store.mode = engine::StoreMode::kAdd; break;
    case 'A': store.mode = vivify ? engine::StoreMode::kAppendVivify : engine::StoreMode::kAppend; break;
    case 'P': store.mode = vivify ? engine::StoreMode::kPrependVivify : engine::StoreMode::kPrepend; break;
    case 'R': store.mode = engine::StoreMode::kReplace; break;
    default: store.mode = engine::StoreMode::kSet; break;
  }
  if (store.mode == engine::StoreMode::kAppendVivify || store.mode == engine::StoreMode::kPrependVivify) {
    store.exptime = expiry(flags.vivify_ttl);
  }
  // A cas turns set and replace into a cas store; add, append and prepend only compare it.
  if (flags.has('C') && (store.mode == engine::StoreMode::kSet || store.mode == engine::StoreMode::kReplace)) {
    store.mode = engine::StoreMode::kCas;
  }
  store.allow_stale = flags.has('I') && store.mode == engine::StoreMode::kCas;
  store.new_cas = take_cas(session);
  const engine::StoreReply reply = engine_.store(store);

  MetaOutcome out;
  switch (reply.result) {
    case engine::StoreResult::kStored: out.code = Code::kHD; break;
    case engine::StoreResult::kExists:
      stats_.cas_badval.add();
      out.code = Code::kEX;
      break;
    case engine::StoreResult::kNotFound:
      stats_.cas_misses.add();
      out.code = Code::kNF;
      break;
    case engine::StoreResult::kNotStored: out.code = Code::kNS; break;
    case engine::StoreResult::kNoMemory:
      stats_.store_no_memory.add();
      sink.meta(meta_error("SERVER_ERROR out of memory storing object"));
      return;
  }
  const bool stored = reply.result == engine::StoreResult::kStored;
  out.has_item = true;
  out.item_key = request.key();
  out.item_key_binary = request.key_binary;
  out.cas = stored ? reply.cas : 0;
  out.size = stored ? reply.value_size : request.value.size();
  sink.meta(out);
}

void Executor::meta_delete(const MetaRequest& request, Session& session, OutcomeSink& sink) {
  const protocol::MetaFlags& flags = request.flags;
  engine::AccessOptions options;
  options.use = false;
  MetaOutcome out = meta_code(Code::kNF);
  const engine::LookupOutcome found = engine_.access(request.key(), options, [&](engine::ItemEdit& edit) {
    if (flags.has('C') && edit.item.cas != flags.compare_cas) {
      out.code = Code::kEX;
      return;
    }
    out.code = Code::kHD;
    const engine::RelTime ttl = flags.has('T') ? expiry(flags.ttl) : 0;
    if (flags.has('x')) {
      // A tombstone: an empty value with the request's client flags, keeping the cas.
      edit.replace_with_empty = true;
      edit.flags = flags.client_flags;
      edit.exptime = ttl;
      edit.cas = flags.has('E') ? flags.new_cas : edit.item.cas;
      edit.stale = false;
      edit.token_sent = false;
    }
    if (flags.has('I')) {
      // Invalidate rather than delete: stale, a fresh cas, and the next reader may recache.
      if (flags.has('T')) edit.exptime = ttl;
      edit.stale = true;
      edit.token_sent = false;
      edit.cas = flags.has('E') ? flags.new_cas : engine_.next_cas();
      // Still the same item: replies that hold it hold it under its new cas too.
      if (!flags.has('x') && session.held(request.key(), edit.item.cas)) session.hold(request.key(), edit.cas);
    } else if (!flags.has('x')) {
      edit.unlink = true;
    }
  });
  if (found == engine::LookupOutcome::kHit && out.code == Code::kHD) {
    stats_.delete_hits.add();
  } else {
    stats_.delete_misses.add();
  }
  sink.meta(out);
}

void Executor::meta_arithmetic(const MetaRequest& request, Session& session, OutcomeSink& sink) {
  const protocol::MetaFlags& flags = request.flags;
  const bool incr = flags.mode != 'D' && flags.mode != '-';
  engine::ArithRequest arith;
  arith.key = request.key();
  arith.incr = incr;
  arith.delta = flags.delta;
  arith.cas_unique = flags.compare_cas;
  arith.in_use = in_replies(session, request.key());
  engine::ArithReply reply = engine_.arithmetic(arith);

  MetaOutcome out;
  bool created = false;
  switch (reply.result) {
    case engine::ArithResult::kOk:
      (incr ? stats_.incr_hits : stats_.decr_hits).add();
      if (flags.has('E')) {
        // memcached overrides the cas after the fact, on the item it changed.
        reply.cas = flags.new_cas;
        if (!reply.replaced) {
          engine::AccessOptions options;
          options.use = false;
          engine_.access(request.key(), options, [&](engine::ItemEdit& edit) { edit.cas = flags.new_cas; });
        }
      }
      break;
    case engine::ArithResult::kNonNumeric:
      sink.meta(meta_error("CLIENT_ERROR cannot increment or decrement non-numeric value"));
      return;
    case engine::ArithResult::kNoMemory: sink.meta(meta_error("SERVER_ERROR out of memory")); return;
    case engine::ArithResult::kExists: out.code = Code::kEX; break;
    case engine::ArithResult::kNotFound: {
      if (!flags.has('N')) {
        (incr ? stats_.incr_misses : stats_.decr_misses).add();
        out.code = Code::kNF;
        break;
      }
      char digits[24];
      const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), flags.initial);
      engine::StoreRequest store;
      store.mode = engine::StoreMode::kAdd;
      store.key = request.key();
      store.value = std::string_view(digits, static_cast<std::size_t>(end - digits));
      store.new_cas = flags.has('E') ? flags.new_cas : engine_.next_cas();
      const engine::StoreReply stored = engine_.store(store);
      if (stored.result != engine::StoreResult::kStored) {
        out.code = Code::kNS;
        break;
      }
      created = true;
      reply.result = engine::ArithResult::kOk;
      reply.value = flags.initial;
      reply.cas = stored.cas;
      reply.exptime = 0;
      break;
    }
  }

  if (reply.result != engine::ArithResult::kOk) {
    for (std::size_t i = 0; i < flags.count; ++i) {
      if (is_long_opaque(flags.tokens[i])) {
        sink.meta(meta_error(kOpaqueTooLong));
        return;
      }
    }
    sink.meta(out);
    return;
  }

  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), reply.value);
  out.code = flags.has('v') ? Code::kVA : Code::kHD;
  out.value = std::string_view(digits, static_cast<std::size_t>(end - digits));
  out.vivified = created;
  out.cas = reply.cas;
  const engine::RelTime now = clock_.now();
  engine::RelTime exptime = reply.exptime;
  bool failed = false;
  for (std::size_t i = 0; i < flags.count && !failed; ++i) {
    const std::string_view token = flags.tokens[i];
    switch (token[0]) {
      case 't': out.ttl = ttl_of(exptime, now); break;
      case 'T': exptime = expiry(flags.ttl); break;
      case 'N':
        if (created) exptime = expiry(flags.vivify_ttl);
        break;
      case 'O': failed = is_long_opaque(token); break;
      default: break;
    }
  }
  // A grown number lives in a new item; memcached's later edits reach only the old one.
  if (exptime != reply.exptime && !reply.replaced) {
    engine::AccessOptions options;
    options.use = false;
    engine_.access(request.key(), options, [&](engine::ItemEdit& edit) { edit.exptime = exptime; });
  }
  if (failed) {
    sink.meta(meta_error(kOpaqueTooLong));
    return;
  }
  sink.meta(out);
}

void Executor::meta_debug(const MetaRequest& request, OutcomeSink& sink) {
  stats_.cmd_meta.add();  // memcached counts only `me` as a meta command
  const engine::RelTime now = clock_.now();
  bool found = false;
  engine::AccessOptions options;
  options.use = false;
  engine_.access(request.key(), options, [&](engine::ItemEdit& edit) {
    const engine::ItemView& item = edit.item;
    found = true;
    scratch_.assign("ME ");
    if (item.key_binary) {
      protocol::base64_append(item.key, scratch_);
    } else {
      scratch_.append(item.key);
    }
    const std::size_t total = common::memcached_item_size(item.key.size(), item.flags, item.value.size());
    scratch_ += " exp=" + std::to_string(item.exptime == 0 ? -1 : static_cast<std::int32_t>(item.exptime - now));
    scratch_ += " la=" + std::to_string(now - item.time);
    scratch_ += " cas=" + std::to_string(item.cas);
    scratch_ += item.fetched ? " fetch=yes" : " fetch=no";
    scratch_ += " cls=" + std::to_string(slab_class_of(total));
    scratch_ += " size=" + std::to_string(total);
  });
  if (!found) {
    sink.meta(meta_code(Code::kEN));
    return;
  }
  MetaOutcome out{Code::kText};
  out.text = scratch_;
  sink.meta(out);
}

}  // namespace mcrefd::server
