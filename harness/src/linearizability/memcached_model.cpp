// memcached's semantics for one key, with opaque but constrained cas uniques (see the header).
#include "mcconform/linearizability/memcached_model.hpp"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "mcconform/escape.hpp"

namespace mcconform::linearizability {
namespace {

std::string quoted(const std::string& bytes) { return escape_bytes(bytes, 24); }

std::string reply_text(Reply reply) {
  if (reply == Reply::kHit) return "with the value";
  if (reply == Reply::kMiss) return "a miss";
  Operation probe;
  probe.reply = reply;
  probe.ret = 0;
  return describe_output(probe);
}

void observe(KeyState& state, std::uint64_t unique) {
  auto it = std::lower_bound(state.observed.begin(), state.observed.end(), unique);
  if (it == state.observed.end() || *it != unique) state.observed.insert(it, unique);
}

bool was_observed(const KeyState& state, std::uint64_t unique) {
  return std::binary_search(state.observed.begin(), state.observed.end(), unique);
}

KeyState absent_like(const KeyState& state) {
  KeyState out;
  out.observed = state.observed;
  return out;
}

// A successful modification: a new value, and a unique nobody has seen yet.
KeyState modified(const KeyState& state, Value value, std::uint32_t flags) {
  KeyState out = absent_like(state);
  out.presence = Presence::kPresent;
  out.value = std::move(value);
  out.flags = flags;
  out.unique_knowledge = UniqueKnowledge::kFresh;
  return out;
}

KeyState present_unknown(const KeyState& state) {
  KeyState out = absent_like(state);
  out.presence = Presence::kPresent;
  out.value_known = false;
  out.flags_known = false;
  out.unique_knowledge = UniqueKnowledge::kAny;
  return out;
}

// The least precise state that allows everything either of two states allows.
KeyState join(const KeyState& a, const KeyState& b) {
  if (a.presence != b.presence) {
    KeyState out = KeyState::anything();
    out.observed = a.observed;
    return out;
  }
  if (a.presence == Presence::kAbsent) return a;
  KeyState out = a;
  if (!(a.value_known && b.value_known && a.value == b.value && a.may_pad == b.may_pad)) {
    out.value_known = false;
    out.value = Value();
    out.may_pad = false;
  }
  if (!(a.flags_known && b.flags_known && a.flags == b.flags)) {
    out.flags_known = false;
    out.flags = 0;
  }
  if (a.before_delta != b.before_delta) out.before_delta = KeyState::PriorData{};  // any data
  const bool same_unique = a.unique_knowledge == b.unique_knowledge &&
                           (a.unique_knowledge != UniqueKnowledge::kKnown || a.unique == b.unique);
  if (!same_unique) {
    out.unique_knowledge = UniqueKnowledge::kAny;
    out.unique = 0;
  }
  return out;
}

bool data_matches(bool known, bool may_pad, const Value& value, const std::string& seen, const Value& seen_value) {
  if (!known || seen_value == value) return true;
  if (!may_pad) return false;
  const std::string held = value.str();
  if (!seen.starts_with(held)) return false;
  return std::all_of(seen.begin() + static_cast<std::ptrdiff_t>(held.size()), seen.end(),
                     [](char c) { return c == ' '; });
}

bool value_matches(const KeyState& state, const std::string& seen, const Value& seen_value) {
  return data_matches(state.value_known, state.may_pad, state.value, seen, seen_value);
}

// A gets racing the last incr or decr: the data from before it (see KeyState::before_delta).
bool matches_before_delta(const KeyState& state, const Operation& op, const Value& seen_value) {
  return op.command == Command::kGets && state.before_delta &&
         data_matches(state.before_delta->known, state.before_delta->may_pad, state.before_delta->value, op.out_value,
                      seen_value);
}

// The semantics for a state whose presence is known.
bool apply_known(const KeyState& s, const Operation& op, const Value& seen, KeyState& next, std::string* why) {
  const bool unknown_reply = op.indeterminate();
  const bool present = s.presence == Presence::kPresent;
  auto fail = [&](std::string text) {
    if (why) *why = std::move(text);
    return false;
  };
  // The reply is the one the model predicts (or unknown); otherwise explain what it should be.
  auto expect = [&](Reply expected) {
    if (unknown_reply || op.reply == expected) return true;
    if (why)
      *why = fmt::format("{} here, so {} answers {}", s.describe(), command_name(op.command), reply_text(expected));
    return false;
  };

  switch (op.command) {
    case Command::kSet:
      if (!expect(Reply::kStored)) return false;
      next = modified(s, Value(op.value), op.flags);
      return true;
    case Command::kAdd:
    case Command::kReplace: {
      const bool stores = (op.command == Command::kAdd) != present;
      if (!expect(stores ? Reply::kStored : Reply::kNotStored)) return false;
      next = stores ? modified(s, Value(op.value), op.flags) : s;
      return true;
    }
    case Command::kAppend:
    case Command::kPrepend: {
      if (!expect(present ? Reply::kStored : Reply::kNotStored)) return false;
      if (!present) {
        next = s;
        return true;
      }
      next = modified(s, Value(), s.flags);
      next.flags_known = s.flags_known;
      if (s.value_known && !s.may_pad) {
        next.value = op.command == Command::kAppend ? s.value.appended(op.value) : s.value.prepended(op.value);
      } else {
        next.value_known = false;
      }
      return true;
    }
    case Command::kCas: {
      if (!present) {
        if (!expect(Reply::kNotFound)) return false;
        next = s;
        return true;
      }
      const std::uint64_t c = op.argument;
      KeyState stored = modified(s, Value(op.value), op.flags);
      if (!unknown_reply && op.reply == Reply::kStored) observe(stored, c);
      std::optional<bool> matches;  // nullopt: the model cannot tell
      if (s.unique_knowledge == UniqueKnowledge::kKnown) matches = s.unique == c;
      if (s.unique_knowledge == UniqueKnowledge::kFresh && was_observed(s, c)) matches = false;
      if (matches.has_value()) {
        if (!*matches && !unknown_reply && op.reply == Reply::kStored) {
          if (s.unique_knowledge == UniqueKnowledge::kFresh) {
            return fail(
                fmt::format("unique {} was observed before the key was last modified, so it is no longer the "
                            "key's unique (uniques are never reused) and cas must answer EXISTS",
                            c));
          }
          return fail(fmt::format("the key's unique is {} here, not {}, so cas answers EXISTS", s.unique, c));
        }
        if (!expect(*matches ? Reply::kStored : Reply::kExists)) return false;
        next = *matches ? stored : s;
        return true;
      }
      if (unknown_reply) {
        next = join(stored, s);
        return true;
      }
      if (op.reply == Reply::kStored) {
        next = stored;
        return true;
      }
      if (op.reply == Reply::kExists) {
        next = s;
        return true;
      }
      return fail(fmt::format("{} here, so cas answers STORED or EXISTS", s.describe()));
    }
    case Command::kDelete:
      if (!expect(present ? Reply::kDeleted : Reply::kNotFound)) return false;
      next = present ? absent_like(s) : s;
      return true;
    case Command::kIncr:
    case Command::kDecr: {
      if (!present) {
        if (!expect(Reply::kNotFound)) return false;
        next = s;
        return true;
      }
      auto counted = [&](std::uint64_t number, bool may_pad) {
        next = modified(s, Value(std::to_string(number)), s.flags);
        next.flags_known = s.flags_known;
        next.may_pad = may_pad;
        next.before_delta = KeyState::PriorData{s.value_known, s.may_pad, s.value};
      };
      if (!s.value_known) {
        if (unknown_reply) {
          next = join(s, present_unknown(s));
          next.presence = Presence::kPresent;
          return true;
        }
        if (op.reply == Reply::kNonNumeric) {
          next = s;
          return true;
        }
        if (op.reply == Reply::kNumber) {
          counted(op.out_number, true);
          return true;
        }
        return fail(fmt::format("{} answers a number or that the value is not one", command_name(op.command)));
      }
      const auto number = parse_counter(s.value.str());
      if (!number) {
        if (!expect(Reply::kNonNumeric)) return false;
        next = s;
        return true;
      }
      const std::uint64_t delta = op.argument;
      const std::uint64_t result =
          op.command == Command::kIncr ? *number + delta : (*number < delta ? 0 : *number - delta);  // wraps at 2^64
      if (!unknown_reply && !(op.reply == Reply::kNumber && op.out_number == result)) {
        return fail(fmt::format("{} here, so {} {} answers {}", s.describe(), command_name(op.command), delta, result));
      }
      const std::string text = std::to_string(result);
      counted(result, s.may_pad || text.size() < s.value.size());
      return true;
    }
    case Command::kGet:
    case Command::kGets: {
      if (unknown_reply) {
        next = s;
        return true;
      }
      if (!expect(present ? Reply::kHit : Reply::kMiss)) return false;
      next = s;
      if (!present) return true;
      const bool current = value_matches(s, op.out_value, seen);
      if (!current && !matches_before_delta(s, op, seen)) {
        return fail(
            fmt::format("{} here, but {} returned {}", s.describe(), command_name(op.command), quoted(op.out_value)));
      }
      if (s.flags_known && s.flags != op.out_flags) {
        return fail(
            fmt::format("{} here, but {} returned flags {}", s.describe(), command_name(op.command), op.out_flags));
      }
      if (current) {  // else the item holds the incr's or decr's result, whatever this gets saw
        next.value = seen;
        next.value_known = true;
        next.may_pad = false;
      }
      next.flags = op.out_flags;
      next.flags_known = true;
      if (op.command == Command::kGets) {
        const std::uint64_t u = op.out_unique;
        if (s.unique_knowledge == UniqueKnowledge::kKnown && s.unique != u) {
          return fail(
              fmt::format("the key's unique is {} here and nothing modified it, but gets returned {}", s.unique, u));
        }
        if (s.unique_knowledge == UniqueKnowledge::kFresh && was_observed(s, u)) {
          return fail(
              fmt::format("gets returned unique {}, which was already observed for this key before it was "
                          "last modified: a modification must produce a unique never used before",
                          u));
        }
        next.unique_knowledge = UniqueKnowledge::kKnown;
        next.unique = u;
        observe(next, u);
      }
      return true;
    }
  }
  return fail("unknown command");
}

}  // namespace

KeyState KeyState::anything() {
  KeyState state;
  state.presence = Presence::kUnknown;
  state.value_known = false;
  state.flags_known = false;
  state.unique_knowledge = UniqueKnowledge::kAny;
  return state;
}

std::string KeyState::describe() const {
  if (presence == Presence::kAbsent) return "the key is absent";
  if (presence == Presence::kUnknown) return "the key may or may not exist";
  std::string value_text = value_known ? quoted(value.str()) : std::string("an unknown value");
  if (value_known && may_pad) value_text += " (maybe padded with spaces)";
  std::string unique_text;
  switch (unique_knowledge) {
    case UniqueKnowledge::kKnown: unique_text = fmt::format("unique {}", unique); break;
    case UniqueKnowledge::kFresh: unique_text = "a unique not observed yet"; break;
    case UniqueKnowledge::kAny: unique_text = "an unknown unique"; break;
  }
  return fmt::format("the key holds {}, flags {}, {}", value_text,
                     flags_known ? std::to_string(flags) : std::string("unknown"), unique_text);
}

const Value& MemcachedModel::seen(const Operation& op) const {
  auto it = seen_.find(&op);
  if (it == seen_.end()) it = seen_.emplace(&op, Value(op.out_value)).first;
  return it->second;
}

bool MemcachedModel::step(const State& state, const Operation& op, State& next) const {
  return apply(state, op, seen(op), next, nullptr);
}

MemcachedModel::Growth MemcachedModel::growth_of(const History& ops) {
  bool prepends = false;
  for (const Operation& op : ops) {
    if (op.command == Command::kPrepend) prepends = true;
    if (!op.is_read() && op.command != Command::kAdd && op.command != Command::kAppend &&
        op.command != Command::kPrepend) {
      return Growth::kAny;
    }
  }
  return prepends ? Growth::kGrowsOnly : Growth::kAppendsOnly;
}

bool MemcachedModel::viable(const State& state, const Operation& op) const {
  if (growth_ == Growth::kAny || !op.is_read() || op.indeterminate() || op.reply != Reply::kHit) return true;
  if (state.presence != Presence::kPresent || !state.value_known || state.may_pad) return true;
  // Everything ordered so far comes before this read, and the data only grows from here.
  const Value& data = seen(op);
  if (state.value.size() > data.size()) return false;
  if (state.value.size() == data.size()) return state.value == data;
  if (growth_ == Growth::kGrowsOnly) return true;
  auto it = seen_prefixes_.find(&op);
  if (it == seen_prefixes_.end()) it = seen_prefixes_.emplace(&op, Value::prefix_hashes(op.out_value)).first;
  return state.value.may_be_prefix_of(it->second);
}

bool MemcachedModel::apply(const State& state, const Operation& op, const Value& seen, State& next, std::string* why) {
  if (state.presence != Presence::kUnknown) return apply_known(state, op, seen, next, why);
  // Either the key exists (with anything in it) or it does not: keep what either reading allows.
  std::optional<KeyState> result;
  std::string why_absent, why_present;
  for (bool present : {false, true}) {
    KeyState branch = present ? present_unknown(state) : absent_like(state);
    KeyState out;
    if (apply_known(branch, op, seen, out, why ? (present ? &why_present : &why_absent) : nullptr)) {
      result = result ? join(*result, out) : out;
    }
  }
  if (!result) {
    if (why) *why = fmt::format("if the key is absent: {}; if it exists: {}", why_absent, why_present);
    return false;
  }
  next = std::move(*result);
  return true;
}

std::string MemcachedModel::explain(const State& state, const Operation& op) const {
  State next;
  std::string why;
  if (apply(state, op, Value(op.out_value), next, &why)) return "";
  return why;
}

std::size_t MemcachedModel::hash(const State& s) const {
  std::size_t h = s.value.hash();
  h = h * 31 + static_cast<std::size_t>(s.presence);
  h = h * 31 + (s.value_known ? 1 : 0) + (s.may_pad ? 2 : 0) + (s.flags_known ? 4 : 0);
  h = h * 31 + s.flags;
  h = h * 31 + static_cast<std::size_t>(s.unique_knowledge);
  h = h * 31 + std::hash<std::uint64_t>{}(s.unique);
  if (s.before_delta)
    h = h * 31 + s.before_delta->value.hash() + (s.before_delta->known ? 1 : 2) + (s.before_delta->may_pad ? 4 : 0);
  return h;
}

bool MemcachedModel::equal(const State& a, const State& b) const {
  return a.presence == b.presence && a.value_known == b.value_known && a.may_pad == b.may_pad && a.value == b.value &&
         a.flags_known == b.flags_known && a.flags == b.flags && a.unique_knowledge == b.unique_knowledge &&
         a.unique == b.unique && a.before_delta == b.before_delta;
}

std::optional<std::uint64_t> parse_counter(const std::string& value) {
  std::size_t i = 0;
  while (i < value.size() && value[i] == ' ') ++i;
  const std::size_t digits_start = i;
  std::uint64_t number = 0;
  for (; i < value.size() && value[i] >= '0' && value[i] <= '9'; ++i) {
    const std::uint64_t digit = static_cast<std::uint64_t>(value[i] - '0');
    if (number > (UINT64_MAX - digit) / 10) return std::nullopt;  // strtoull: ERANGE
    number = number * 10 + digit;
  }
  if (i == digits_start) return std::nullopt;
  if (i < value.size() && value[i] != ' ') return std::nullopt;
  return number;
}

}  // namespace mcconform::linearizability
