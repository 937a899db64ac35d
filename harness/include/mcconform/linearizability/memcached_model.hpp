// memcached's semantics for one key, as a model for the linearizability search.
//
// The client never learns the cas unique a write produced, so the model keeps uniques opaque but
// constrained: after a modification the current unique is "fresh" (unknown, but different from
// every unique ever observed for the key, since memcached never reuses one); a gets that sees it
// makes it "known"; a cas matches only the current unique. Where an outcome cannot be known (an
// operation whose reply never came, or a state the model only partly knows), the model keeps a
// state that allows every possibility (unknown presence, value, flags, "any" unique): it may
// miss a violation there, but never reports one that did not happen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcconform/linearizability/history.hpp"
#include "mcconform/linearizability/search.hpp"
#include "mcconform/linearizability/value.hpp"

namespace mcconform::linearizability {

enum class Presence : std::uint8_t { kAbsent, kPresent, kUnknown };
enum class UniqueKnowledge : std::uint8_t {
  kKnown,  // `unique` is the current cas unique (a gets saw it)
  kFresh,  // unknown, and different from every unique observed for this key
  kAny,    // unknown, no constraint
};

struct KeyState {
  Presence presence = Presence::kAbsent;
  bool value_known = true;
  // After incr/decr shrank a number, memcached may pad it with spaces in place: the data is
  // `value` followed by any number of spaces.
  bool may_pad = false;
  Value value;
  bool flags_known = true;
  std::uint32_t flags = 0;
  UniqueKnowledge unique_knowledge = UniqueKnowledge::kFresh;
  std::uint64_t unique = 0;
  // memcached's incr and decr copy an item that another connection is reading, and give the old copy
  // the new unique too (do_add_delta in memcached.c, 1.6.18 and 1.6.38). A gets that took the old
  // copy just before, and reads its unique just after, returns the data from before the incr or
  // decr with the unique it produced. Until the next modification, a gets may see that pair.
  struct PriorData {
    bool known = false;
    bool may_pad = false;
    Value value;
    bool operator==(const PriorData&) const = default;
  };
  std::optional<PriorData> before_delta;  // set while the last modification is an incr or decr
  // Every unique observed (by gets, or matched by a successful cas) so far in this order, sorted.
  // Not part of equality or hash: it is a function of which operations have been ordered, which
  // the memo key already holds.
  std::vector<std::uint64_t> observed;

  // The state of a key nobody has written: absent.
  static KeyState initial() { return {}; }
  // A key whose past is unknown (presence, value, flags, unique): for windows of a history.
  static KeyState anything();
  std::string describe() const;
};

class MemcachedModel {
 public:
  using State = KeyState;
  using Operation = linearizability::Operation;

  // kGrowsOnly: the history has no set, replace, cas, delete, incr or decr, so once the key
  // exists its data only grows (append, prepend): a pending read of shorter data can never fit.
  // `appends_only`: moreover no prepend, so the data is always a prefix of what a later read sees.
  enum class Growth { kAny, kGrowsOnly, kAppendsOnly };
  explicit MemcachedModel(Growth growth = Growth::kAny) : growth_(growth) {}
  static Growth growth_of(const History& ops);

  static Interval interval(const Operation& op) { return {op.call, op.indeterminate() ? kNever : op.ret}; }
  bool step(const State& state, const Operation& op, State& next) const;
  bool viable(const State& state, const Operation& op) const;
  std::size_t hash(const State& state) const;
  bool equal(const State& a, const State& b) const;

  // Why `op` cannot come next from `state` (empty when it can).
  std::string explain(const State& state, const Operation& op) const;

  // The semantics: false (with `why` filled when given) when `op`'s reply is impossible here.
  // `seen` is the data `op` returned, as a Value.
  static bool apply(const State& state, const Operation& op, const Value& seen, State& next, std::string* why);

 private:
  // The data each operation returned, hashed once per search (reads are tried many times).
  const Value& seen(const Operation& op) const;

  Growth growth_;
  mutable std::unordered_map<const Operation*, Value> seen_;
  mutable std::unordered_map<const Operation*, std::vector<std::uint64_t>> seen_prefixes_;
};

// memcached's reading of a value as a number for incr/decr (strtoull up to a space or the end).
std::optional<std::uint64_t> parse_counter(const std::string& value);

}  // namespace mcconform::linearizability
