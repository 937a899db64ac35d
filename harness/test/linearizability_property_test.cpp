// No false alarms: histories produced by a correct memcached (a reference applied at a random
// moment inside each operation's interval) are always linearizable, whatever the overlap.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "mcconform/linearizability/checker.hpp"

namespace mcconform::linearizability {
namespace {

// memcached's semantics, including a global cas counter and in-place padding of shortened numbers.
class ReferenceMemcached {
 public:
  explicit ReferenceMemcached(std::mt19937_64& random) : random_(random) {}

  void apply(Operation& op) {
    auto it = items_.find(op.key);
    const bool present = it != items_.end();
    switch (op.command) {
      case Command::kSet: store(op, Reply::kStored); break;
      case Command::kAdd: present ? reply(op, Reply::kNotStored) : store(op, Reply::kStored); break;
      case Command::kReplace: present ? store(op, Reply::kStored) : reply(op, Reply::kNotStored); break;
      case Command::kAppend:
      case Command::kPrepend:
        if (!present) {
          reply(op, Reply::kNotStored);
        } else {
          Item item = it->second;
          item.value = op.command == Command::kAppend ? item.value + op.value : op.value + item.value;
          put(op.key, item);
          reply(op, Reply::kStored);
        }
        break;
      case Command::kCas:
        if (!present) {
          reply(op, Reply::kNotFound);
        } else if (it->second.cas != op.argument) {
          reply(op, Reply::kExists);
        } else {
          store(op, Reply::kStored);
        }
        break;
      case Command::kDelete:
        if (present) items_.erase(it);
        reply(op, present ? Reply::kDeleted : Reply::kNotFound);
        break;
      case Command::kIncr:
      case Command::kDecr: arith(op, it); break;
      case Command::kGet:
      case Command::kGets:
        if (!present) {
          reply(op, Reply::kMiss);
        } else {
          reply(op, Reply::kHit);
          op.out_value = it->second.value;
          op.out_flags = it->second.flags;
          op.out_unique = it->second.cas;
        }
        break;
    }
  }

 private:
  struct Item {
    std::string value;
    std::uint32_t flags = 0;
    std::uint64_t cas = 0;
  };

  static void reply(Operation& op, Reply r) { op.reply = r; }
  void put(const std::string& key, Item item) {
    item.cas = next_cas_++;
    items_[key] = std::move(item);
  }
  void store(Operation& op, Reply r) {
    put(op.key, Item{op.value, op.flags, 0});
    reply(op, r);
  }
  void arith(Operation& op, std::map<std::string, Item>::iterator it) {
    if (it == items_.end()) return reply(op, Reply::kNotFound);
    const std::string& value = it->second.value;
    // strtoull: leading spaces, digits, then a space or the end.
    std::size_t start = 0;
    while (start < value.size() && value[start] == ' ') ++start;
    std::size_t digits = start;
    while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
    std::uint64_t number = 0;
    const auto parsed = std::from_chars(value.data() + start, value.data() + digits, number);
    if (digits == start || parsed.ec != std::errc{} || (digits < value.size() && value[digits] != ' ')) {
      return reply(op, Reply::kNonNumeric);
    }
    number = op.command == Command::kIncr ? number + op.argument : (number < op.argument ? 0 : number - op.argument);
    Item item = it->second;
    std::string text = std::to_string(number);
    // memcached rewrites a shorter number in place, padded with spaces, unless the item is busy.
    if (text.size() < value.size() && random_() % 2 == 0) text.resize(value.size(), ' ');
    item.value = text;
    put(op.key, item);
    op.reply = Reply::kNumber;
    op.out_number = number;
  }

  std::mt19937_64& random_;
  std::map<std::string, Item> items_;
  std::uint64_t next_cas_ = 1;
};

History random_correct_history(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  static const std::vector<std::string> kValues = {"", "1", "10", "99", "abc", "7 ", "18446744073709551615", "100"};
  static const std::vector<std::string> kPieces = {"5", "x", "0", " "};
  static const std::vector<std::uint64_t> kDeltas = {1, 2, 9, 100, 18446744073709551615ULL};
  static const std::vector<std::string> kKeys = {"a", "b"};

  struct Planned {
    Operation op;
    Time point;    // when it takes effect
    bool happens;  // false: an operation without a reply that never took effect
  };
  std::vector<Planned> plan;
  std::map<std::pair<int, std::string>, std::uint64_t> last_unique;  // per client and key, filled below
  const int clients = 2 + static_cast<int>(pick(4));
  for (int client = 1; client <= clients; ++client) {
    Time t = static_cast<Time>(pick(20));
    const int count = 5 + static_cast<int>(pick(20));
    for (int i = 0; i < count; ++i) {
      Operation op;
      op.client = client;
      op.key = kKeys[pick(kKeys.size())];
      op.command = static_cast<Command>(pick(11));
      op.value = op.command == Command::kAppend || op.command == Command::kPrepend ? kPieces[pick(kPieces.size())]
                                                                                   : kValues[pick(kValues.size())];
      op.flags = static_cast<std::uint32_t>(pick(3));
      if (op.command == Command::kIncr || op.command == Command::kDecr) op.argument = kDeltas[pick(kDeltas.size())];
      if (op.command == Command::kCas) op.argument = pick(8);  // resolved from the client's last gets below
      op.call = t;
      const Time point = t + 1 + static_cast<Time>(pick(30));
      op.ret = point + 1 + static_cast<Time>(pick(30));
      const bool lost = pick(25) == 0;
      plan.push_back({op, point, !(lost && pick(2) == 0)});
      if (lost) {
        plan.back().op.ret = kNever;
        plan.back().op.note = "lost";
        break;  // the connection is gone
      }
      t = op.ret + static_cast<Time>(pick(10));
    }
  }
  // Apply in the order of the moments they take effect; a cas uses its client's last gets when
  // there was one (or else the made-up unique it has).
  std::vector<std::size_t> order(plan.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return plan[a].point < plan[b].point; });
  ReferenceMemcached reference(random);
  History history;
  for (std::size_t i : order) {
    Operation& op = plan[i].op;
    const auto key = std::pair{op.client, op.key};
    if (op.command == Command::kCas && last_unique.contains(key) && pick(4) != 0) op.argument = last_unique[key];
    if (plan[i].happens) reference.apply(op);
    if (op.ret == kNever) {
      op.reply = Reply::kUnknown;
    } else if (op.command == Command::kGets && op.reply == Reply::kHit) {
      last_unique[key] = op.out_unique;
    }
    history.push_back(op);
  }
  return history;
}

TEST(LinearizabilityProperty, CorrectServerHistoriesAreAlwaysLinearizable) {
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    const History history = random_correct_history(seed);
    const CheckReport report = check_history(history);
    ASSERT_EQ(report.verdict, Verdict::kLinearizable) << "seed " << seed << "\n" << report.render();
  }
}

}  // namespace
}  // namespace mcconform::linearizability
