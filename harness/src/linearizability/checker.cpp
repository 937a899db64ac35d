// Per-key linearizability verdicts, witness shrinking and the text report.
#include "mcconform/linearizability/checker.hpp"

#include <algorithm>
#include <map>
#include <span>

#include <fmt/format.h>

#include "mcconform/escape.hpp"
#include "mcconform/linearizability/memcached_model.hpp"

namespace mcconform::linearizability {
namespace {

using Clock = std::chrono::steady_clock;

SearchResult<KeyState> run_search(const History& ops, const KeyState& initial, Clock::time_point deadline,
                                  std::size_t max_memo, bool fewest_unknown = true) {
  SearchLimits limits;
  limits.deepest_with_fewest_unknown = fewest_unknown;
  limits.deadline = deadline;
  limits.max_memo_entries = max_memo;
  const MemcachedModel model(MemcachedModel::growth_of(ops));
  return search_linearization(model, std::span<const Operation>(ops), initial, limits);
}

// The outcome of `op` is not needed: it may have happened at any moment after its call, or not.
Operation relaxed(const Operation& op) {
  Operation out = op;
  if (!op.indeterminate()) out.note = "any: it answered " + describe_output(op);
  out.reply = Reply::kUnknown;
  out.ret = kNever;
  return out;
}

bool removable(const Operation& op) {
  if (op.is_read()) return true;  // reads only constrain; without one, every order still fits
  if (op.indeterminate()) return false;
  switch (op.reply) {
    case Reply::kNotStored:
    case Reply::kExists:
    case Reply::kNotFound:
    case Reply::kNonNumeric: return true;  // failed writes change nothing
    default: return false;
  }
}

class Shrinker {
 public:
  Shrinker(const CheckOptions& options)
      : deadline_(Clock::now() + options.shrink_time_limit), max_memo_(options.max_memo_entries) {}

  // Only a proven violation counts: an inconclusive search keeps the larger history.
  bool violates(const History& ops, const KeyState& initial) const {
    return run_search(ops, initial, deadline_, max_memo_).verdict == Verdict::kNotLinearizable;
  }

  // The operations called up to `cut`; those still running then are relaxed. A relaxation of the
  // whole history: if the whole is linearizable, so is this.
  static History prefix(const History& ops, Time cut) {
    History out;
    for (const Operation& op : ops) {
      if (op.call > cut) continue;
      out.push_back(op.ret > cut ? relaxed(op) : op);
    }
    return out;
  }

  // The shortest failing prefix (binary search: a longer prefix of a failing one fails too).
  History shortest_prefix(const History& ops) const {
    std::vector<Time> cuts;
    for (const Operation& op : ops) {
      if (!op.indeterminate()) cuts.push_back(op.ret);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::size_t lo = 0, hi = cuts.size();  // prefix(cuts[hi]) is the known failure (hi == size: all)
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (violates(prefix(ops, cuts[mid]), KeyState::initial())) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return hi == cuts.size() ? ops : prefix(ops, cuts[hi]);
  }

  // The latest moment with no operation in flight from which the rest fails on its own, whatever
  // the key held then (binary search: starting earlier only adds constraints).
  bool latest_window(History& ops) const {
    std::vector<std::size_t> starts;  // indices (ops sorted by call) where nothing earlier is in flight
    Time running_until = -1;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].call > running_until) starts.push_back(i);
      running_until = std::max(running_until, MemcachedModel::interval(ops[i]).ret);
    }
    std::size_t lo = 0, hi = starts.size();  // starts[lo - 1] fails (or none does)
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (violates(History(ops.begin() + static_cast<std::ptrdiff_t>(starts[mid]), ops.end()), KeyState::anything())) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == 0) return false;
    ops.erase(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(starts[lo - 1]));
    return true;
  }

  // Drops every operation that is not needed for the failure and whose removal is sound.
  void drop_unneeded(History& ops, const KeyState& initial) const {
    for (std::size_t i = ops.size(); i-- > 0;) {
      if (!removable(ops[i])) continue;
      History without = ops;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      if (violates(without, initial)) ops = std::move(without);
    }
    // Writes whose outcome is not needed are shown as such.
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].indeterminate() || ops[i].is_read()) continue;
      History loose = ops;
      loose[i] = relaxed(ops[i]);
      if (violates(loose, initial)) ops = std::move(loose);
    }
  }

 private:
  Clock::time_point deadline_;
  std::size_t max_memo_;
};

std::string client_label(const Operation& op) { return fmt::format("c{}", op.client); }

// Why the search stopped where it got furthest: the state there, and why no candidate fits.
std::string explain_from(const History& ops, const KeyState& initial, const CheckOptions& options,
                         bool fewest_unknown) {
  // The witness failed before, usually within few steps; a short bound of its own suffices.
  const auto result =
      run_search(ops, initial, Clock::now() + options.shrink_time_limit / 4, options.max_memo_entries, fewest_unknown);
  if (result.verdict != Verdict::kNotLinearizable) return "(the witness could not be re-checked in time)";
  std::string text;
  if (result.deepest_order.empty()) {
    text = fmt::format("No operation can come first ({}):\n", initial.describe());
  } else {
    const Operation& last = ops[result.deepest_order.back()];
    text = fmt::format(
        "At most {} of the {} operations can be put in an order that respects real time and "
        "memcached's semantics (the last: {} {} -> {}); then {}, and no operation that may "
        "come next fits:\n",
        result.deepest_order.size(), ops.size(), client_label(last), describe_input(last), describe_output(last),
        result.deepest_state.describe());
  }
  // The candidates: not yet ordered, and called before every not-yet-ordered operation returned.
  Time first_return = kNever;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!result.deepest_linearized[i]) first_return = std::min(first_return, MemcachedModel::interval(ops[i]).ret);
  }
  const MemcachedModel model;
  auto name = [&](std::size_t i) {
    return fmt::format("{} {} -> {}", client_label(ops[i]), describe_input(ops[i]), describe_output(ops[i]));
  };
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (result.deepest_linearized[i] || ops[i].call > first_return) continue;
    std::string why = model.explain(result.deepest_state, ops[i]);
    if (why.empty()) {
      // It fits; say what then cannot: the pending operation that returned first must come next.
      KeyState after;
      MemcachedModel::apply(result.deepest_state, ops[i], Value(ops[i].out_value), after, nullptr);
      std::size_t blocking = ops.size();
      Time earliest = kNever;
      for (std::size_t j = 0; j < ops.size(); ++j) {
        if (j == i || result.deepest_linearized[j] || ops[j].indeterminate()) continue;
        if (ops[j].ret < earliest) {
          earliest = ops[j].ret;
          blocking = j;
        }
      }
      const std::string then_why = blocking < ops.size() ? model.explain(after, ops[blocking]) : "";
      why = then_why.empty()
                ? "it fits here, but then no order of the rest does"
                : fmt::format("it fits here, but then {} must come next (it returned first) and cannot: {}",
                              name(blocking), then_why);
    }
    text += fmt::format("  - {}: {}\n", name(i), why);
  }
  return text;
}

// Two readings of where the search got stuck; the one with fewer vague reasons, then with fewer
// candidates to read, wins.
std::string explain_failure(const History& ops, const KeyState& initial, const CheckOptions& options) {
  auto count = [](const std::string& text, std::string_view what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  auto score = [&](const std::string& text) {
    return std::pair{count(text, "no order of the rest does"), count(text, "\n  - ")};
  };
  std::string fewest = explain_from(ops, initial, options, true);
  std::string most = explain_from(ops, initial, options, false);
  return score(most) < score(fewest) ? most : fewest;
}

std::string render_timeline(const History& ops) {
  if (ops.empty()) return "";
  Time begin = ops.front().call, end = ops.front().call;
  for (const Operation& op : ops) {
    begin = std::min(begin, op.call);
    end = std::max(end, op.indeterminate() ? op.call : op.ret);
  }
  const int width = 40;
  const double span = static_cast<double>(std::max<Time>(end - begin, 1));
  auto column = [&](Time t) {
    return std::clamp(static_cast<int>(static_cast<double>(t - begin) / span * (width - 1)), 0, width - 1);
  };
  std::string out;
  for (const Operation& op : ops) {
    const int from = column(op.call);
    const int to = op.indeterminate() ? width - 1 : std::max(column(op.ret), from);
    std::string bar(width, ' ');
    for (int c = from; c <= to; ++c) bar[static_cast<std::size_t>(c)] = '=';
    bar[static_cast<std::size_t>(from)] = '[';
    if (op.indeterminate()) {
      bar[static_cast<std::size_t>(to)] = '>';
    } else {
      bar[static_cast<std::size_t>(to)] = to == from ? '|' : ']';
    }
    const std::string times = op.indeterminate()
                                  ? fmt::format("[{:9.3f} ..       ...]", static_cast<double>(op.call) / 1e6)
                                  : fmt::format("[{:9.3f} .. {:9.3f}]", static_cast<double>(op.call) / 1e6,
                                                static_cast<double>(op.ret) / 1e6);
    out += fmt::format("    {:>4} {} |{}| {} -> {}\n", client_label(op), times, bar, describe_input(op),
                       describe_output(op));
  }
  return out;
}

}  // namespace

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kLinearizable: return "linearizable";
    case Verdict::kNotLinearizable: return "NOT linearizable";
    case Verdict::kUnknown: return "inconclusive";
  }
  return "?";
}

KeyVerdict check_key(const std::string& key, const History& operations, const CheckOptions& options) {
  KeyVerdict verdict;
  verdict.key = key;
  verdict.operations = operations.size();
  History ops = operations;
  std::stable_sort(ops.begin(), ops.end(), [](const Operation& a, const Operation& b) { return a.call < b.call; });
  const auto result = run_search(ops, KeyState::initial(), Clock::now() + options.time_limit, options.max_memo_entries);
  verdict.verdict = result.verdict;
  verdict.explored = result.explored;
  verdict.gave_up = result.gave_up;
  if (result.verdict != Verdict::kNotLinearizable) return verdict;

  const Shrinker shrinker(options);
  History witness = shrinker.shortest_prefix(ops);
  KeyState initial = KeyState::initial();
  if (shrinker.latest_window(witness)) {
    initial = KeyState::anything();
    verdict.witness_from_any_state = true;
  }
  shrinker.drop_unneeded(witness, initial);
  if (shrinker.latest_window(witness)) {
    initial = KeyState::anything();
    verdict.witness_from_any_state = true;
  }
  verdict.reason = explain_failure(witness, initial, options);
  verdict.witness = std::move(witness);
  return verdict;
}

CheckReport check_history(const History& history, const CheckOptions& options) {
  std::map<std::string, History> by_key;  // memcached keys are independent: one search per key
  for (const Operation& op : history) by_key[op.key].push_back(op);
  CheckReport report;
  const auto deadline = Clock::now() + options.time_limit;
  for (const auto& [key, ops] : by_key) {
    CheckOptions per_key = options;
    per_key.time_limit = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                                  std::chrono::milliseconds(0));
    report.keys.push_back(check_key(key, ops, per_key));
  }
  bool unknown = false;
  for (const KeyVerdict& k : report.keys) {
    if (k.verdict == Verdict::kNotLinearizable) {
      report.verdict = Verdict::kNotLinearizable;
      return report;
    }
    unknown = unknown || k.verdict == Verdict::kUnknown;
  }
  report.verdict = unknown ? Verdict::kUnknown : Verdict::kLinearizable;
  return report;
}

std::string CheckReport::render() const {
  std::string out;
  for (const KeyVerdict& k : keys) {
    out += fmt::format("key {}: {} ({} operations", escape_bytes(k.key, 60), verdict_name(k.verdict), k.operations);
    out += k.verdict == Verdict::kUnknown ? fmt::format("; gave up: {})\n", k.gave_up)
                                          : fmt::format("; {} search steps)\n", k.explored);
    if (k.verdict != Verdict::kNotLinearizable) continue;
    out += fmt::format("  witness: {} operations that no order explains{}; times in ms since the start:\n",
                       k.witness.size(),
                       k.witness_from_any_state ? ", from a moment when none was in flight, whatever the key held then"
                                                : ", from the start (the key absent)");
    out += render_timeline(k.witness);
    out +=
        "    ([==> : an outcome the violation does not depend on: it may take effect at any time after its "
        "call, or never)\n";
    out += "  why: " + k.reason;
  }
  return out;
}

}  // namespace mcconform::linearizability
