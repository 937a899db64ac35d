// The Wing-Gong-Lowe linearizability search with memoisation (as in Porcupine), for any model.
//
// A model provides:
//   using State; using Operation;
//   static Interval interval(const Operation&);            call and return time (ret may be kNever)
//   bool step(const State&, const Operation&, State& next) const;   may `op` come next, and then?
//   std::size_t hash(const State&) const;  bool equal(const State&, const State&) const;
// and optionally, for pruning:
//   bool viable(const State&, const Operation&) const;   false: no state reachable from here fits op
// The search answers whether some total order of the operations respects real time (an operation
// that returned before another was called comes first) and the model; it gives up, saying so,
// when its deadline passes or its memo table is full.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mcconform/linearizability/history.hpp"

namespace mcconform::linearizability {

struct Interval {
  Time call = 0;
  Time ret = kNever;
};

enum class Verdict { kLinearizable, kNotLinearizable, kUnknown };

struct SearchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::size_t max_memo_entries = 4'000'000;
  // Among the furthest points (most operations with a reply ordered), report the one with the
  // fewest (true) or the most (false) operations without a reply ordered too.
  bool deepest_with_fewest_unknown = true;
};

// The furthest the search got (the most operations with a reply ordered): which operations it
// had ordered, and the state after them.
template <class State>
struct SearchResult {
  Verdict verdict = Verdict::kUnknown;
  std::vector<bool> deepest_linearized;
  std::vector<std::size_t> deepest_order;  // the operations of the deepest prefix, in order
  State deepest_state{};
  std::size_t explored = 0;  // steps taken
  const char* gave_up = "";  // why the verdict is unknown
};

namespace detail {

class Bitset {
 public:
  explicit Bitset(std::size_t n) : words_((n + 63) / 64, 0) {}
  void set(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
  void reset(std::size_t i) { words_[i / 64] &= ~(std::uint64_t{1} << (i % 64)); }
  bool test(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  std::size_t hash() const {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (std::uint64_t w : words_) h = (h ^ w) * 0x100000001b3ULL + (h >> 29);
    return static_cast<std::size_t>(h);
  }
  bool operator==(const Bitset&) const = default;

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace detail

template <class Model>
SearchResult<typename Model::State> search_linearization(const Model& model,
                                                         std::span<const typename Model::Operation> ops,
                                                         typename Model::State initial, const SearchLimits& limits) {
  using State = typename Model::State;
  SearchResult<State> result;
  const std::size_t n = ops.size();

  // Events: a call and a return per operation, in time order; a call before a return at the same
  // instant (touching intervals count as concurrent: the permissive reading, never a false alarm).
  struct Event {
    Time time;
    bool is_call;
    std::size_t op;
  };
  std::vector<Event> events;
  events.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const Interval in = Model::interval(ops[i]);
    events.push_back({in.call, true, i});
    events.push_back({in.ret, false, i});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.is_call && !b.is_call;
  });

  // A doubly linked list of events; node 0 is the head, node 2n+1 the tail.
  const std::size_t head = 0;
  const std::size_t tail = 2 * n + 1;
  std::vector<std::size_t> next(2 * n + 2), prev(2 * n + 2), match(2 * n + 2), op_of(2 * n + 2);
  std::vector<bool> is_call(2 * n + 2, false);
  std::vector<std::size_t> return_node(n), call_node(n);
  for (std::size_t k = 0; k < events.size(); ++k) {
    const std::size_t node = k + 1;
    op_of[node] = events[k].op;
    is_call[node] = events[k].is_call;
    (events[k].is_call ? call_node : return_node)[events[k].op] = node;
  }
  for (std::size_t node = 0; node <= tail; ++node) {
    next[node] = node + 1;
    prev[node] = node == 0 ? 0 : node - 1;
  }
  for (std::size_t i = 0; i < n; ++i) match[call_node[i]] = return_node[i];

  auto lift = [&](std::size_t call) {
    next[prev[call]] = next[call];
    prev[next[call]] = prev[call];
    const std::size_t ret = match[call];
    next[prev[ret]] = next[ret];
    prev[next[ret]] = prev[ret];
  };
  auto unlift = [&](std::size_t call) {
    const std::size_t ret = match[call];
    prev[next[ret]] = ret;
    next[prev[ret]] = ret;
    prev[next[call]] = call;
    next[prev[call]] = call;
  };

  struct MemoEntry {
    detail::Bitset linearized;
    State state;
  };
  struct MemoHash {
    const Model* model;
    std::size_t operator()(const MemoEntry& e) const { return e.linearized.hash() * 31 + model->hash(e.state); }
  };
  struct MemoEqual {
    const Model* model;
    bool operator()(const MemoEntry& a, const MemoEntry& b) const {
      return a.linearized == b.linearized && model->equal(a.state, b.state);
    }
  };
  std::unordered_set<MemoEntry, MemoHash, MemoEqual> memo(1024, MemoHash{&model}, MemoEqual{&model});

  struct Frame {
    std::size_t call;
    State before;
  };
  std::vector<Frame> stack;
  detail::Bitset linearized(n);
  State state = std::move(initial);
  result.deepest_linearized.assign(n, false);
  result.deepest_state = state;

  // The model's optional lookahead: may `op`, still to be ordered, fit some state reachable from this one?
  auto still_viable = [&]() {
    if constexpr (requires { model.viable(state, ops[0]); }) {
      // The operations still to order that come first in time (each may show up twice: call, return).
      std::size_t looked = 0;
      for (std::size_t k = next[head]; k != tail && looked < 48; k = next[k], ++looked) {
        if (!model.viable(state, ops[op_of[k]])) return false;
      }
    }
    return true;
  };

  std::size_t determinate = 0;  // ordered operations whose reply matters (not returning kNever)
  std::size_t deepest_determinate = 0;
  std::size_t node = next[head];
  while (next[head] != tail) {
    if ((++result.explored & 255) == 0 && std::chrono::steady_clock::now() > limits.deadline) {
      result.verdict = Verdict::kUnknown;
      result.gave_up = "time bound reached";
      return result;
    }
    if (is_call[node]) {
      State after;
      const std::size_t op = op_of[node];
      if (model.step(state, ops[op], after)) {
        linearized.set(op);
        if (memo.size() >= limits.max_memo_entries) {
          result.verdict = Verdict::kUnknown;
          result.gave_up = "memo table full";
          return result;
        }
        if (memo.insert(MemoEntry{linearized, after}).second) {
          stack.push_back(Frame{node, std::move(state)});
          state = std::move(after);
          lift(node);
          if (!still_viable()) {
            // Some pending operation can never fit any more: this branch is dead.
            Frame frame = std::move(stack.back());
            stack.pop_back();
            linearized.reset(op);
            state = std::move(frame.before);
            unlift(frame.call);
            node = next[frame.call];
            continue;
          }
          determinate += Model::interval(ops[op]).ret == kNever ? 0 : 1;
          // The furthest point: the most operations whose reply matters, then the fewest others.
          if (determinate > deepest_determinate ||
              (determinate == deepest_determinate &&
               (stack.size() < result.deepest_order.size()) == limits.deepest_with_fewest_unknown &&
               stack.size() != result.deepest_order.size())) {
            deepest_determinate = determinate;
            result.deepest_order.clear();
            for (const Frame& f : stack) result.deepest_order.push_back(op_of[f.call]);
            for (std::size_t i = 0; i < n; ++i) result.deepest_linearized[i] = linearized.test(i);
            result.deepest_state = state;
          }
          node = next[head];
          continue;
        }
        linearized.reset(op);
      }
      node = next[node];
    } else {
      // A return whose call is not ordered yet: nothing before it fits here; undo the last choice.
      if (stack.empty()) {
        result.verdict = Verdict::kNotLinearizable;
        return result;
      }
      Frame frame = std::move(stack.back());
      stack.pop_back();
      linearized.reset(op_of[frame.call]);
      determinate -= Model::interval(ops[op_of[frame.call]]).ret == kNever ? 0 : 1;
      state = std::move(frame.before);
      unlift(frame.call);
      node = next[frame.call];
    }
  }
  result.verdict = Verdict::kLinearizable;
  return result;
}

}  // namespace mcconform::linearizability
