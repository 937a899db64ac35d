// The concurrent workload: one thread and one connection per client, every operation timed.
#include "mcconform/linearizability/workload.hpp"

#include <charconv>
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "mcconform/connection.hpp"
#include "mcconform/escape.hpp"

namespace mcconform::linearizability {
namespace {

using Clock = std::chrono::steady_clock;

// What a client remembers between operations: the last gets of each key, for its next cas.
struct ClientMemory {
  std::map<std::string, std::pair<std::uint64_t, std::string>> last_gets;  // key -> unique, value
  std::map<std::string, bool> initialised;
  int sequence = 0;
};

class Generator {
 public:
  Generator(const WorkloadOptions& options, int client)
      : options_(options), client_(client), random_(options.seed * 1000003 + static_cast<std::uint64_t>(client)) {}

  Operation next(ClientMemory& memory) {
    Operation op;
    op.client = client_;
    op.key = options_.keys[pick(options_.keys.size())];
    // Every client first tries to create each key it touches (one of them wins).
    if (options_.kind != WorkloadKind::kMixed && !memory.initialised[op.key]) {
      memory.initialised[op.key] = true;
      op.command = Command::kAdd;
      op.value = options_.kind == WorkloadKind::kCounter   ? "1000000"
                 : options_.kind == WorkloadKind::kCasRace ? "0"
                                                           : "";
      return op;
    }
    switch (options_.kind) {
      case WorkloadKind::kMixed: mixed(op, memory); break;
      case WorkloadKind::kCounter: counter(op); break;
      case WorkloadKind::kAppendRace: append_race(op, memory); break;
      case WorkloadKind::kCasRace: cas_race(op, memory); break;
    }
    return op;
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }
  int percent() { return static_cast<int>(pick(100)); }

  // Numbers of six digits that incr and decr by at most 9 never shorten in a few hundred
  // operations (memcached pads a shortened number with spaces in place; the model allows it,
  // but appending to a padded number would read differently on different servers).
  std::string number() { return std::to_string(110000 + pick(770000)); }
  std::string letters(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>('a' + pick(26));
    return out;
  }
  std::string digits(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += static_cast<char>('1' + pick(9));
    return out;
  }

  // A cas with the unique of this client's last gets of the key; a gets when there is none.
  void cas_or_gets(Operation& op, ClientMemory& memory, std::string value) {
    auto it = memory.last_gets.find(op.key);
    if (it == memory.last_gets.end()) {
      op.command = Command::kGets;
      return;
    }
    op.command = Command::kCas;
    op.argument = it->second.first;
    op.value = std::move(value);
  }

  void mixed(Operation& op, ClientMemory& memory) {
    static constexpr std::uint32_t kFlags[] = {0, 7, 300};
    const int roll = percent();
    const std::string value = percent() < 85 ? number() : "v" + letters(3);
    op.flags = kFlags[pick(3)];
    if (roll < 10) {
      op.command = Command::kSet;
      op.value = value;
    } else if (roll < 16) {
      op.command = Command::kAdd;
      op.value = value;
    } else if (roll < 22) {
      op.command = Command::kReplace;
      op.value = value;
    } else if (roll < 29) {
      op.command = Command::kAppend;
      op.value = percent() < 80 ? digits(1 + pick(2)) : letters(1 + pick(2));
    } else if (roll < 33) {
      op.command = Command::kPrepend;
      op.value = percent() < 80 ? digits(1) : letters(1);
    } else if (roll < 43) {
      cas_or_gets(op, memory, value);
    } else if (roll < 48) {
      op.command = Command::kDelete;
    } else if (roll < 57) {
      op.command = Command::kIncr;
      op.argument = 1 + pick(9);
    } else if (roll < 63) {
      op.command = Command::kDecr;
      op.argument = 1 + pick(9);
    } else if (roll < 80) {
      op.command = Command::kGet;
    } else {
      op.command = Command::kGets;
    }
  }

  void counter(Operation& op) {
    const int roll = percent();
    if (roll < 65) {
      op.command = Command::kIncr;
      op.argument = 1 + pick(3);
    } else if (roll < 75) {
      op.command = Command::kDecr;
      op.argument = 1;
    } else {
      op.command = roll < 90 ? Command::kGet : Command::kGets;
    }
  }

  void append_race(Operation& op, ClientMemory& memory) {
    const int roll = percent();
    if (roll < 75) {
      op.command = Command::kAppend;
      op.value = fmt::format("{}{}.", static_cast<char>('a' + client_ % 26), ++memory.sequence);
    } else {
      op.command = Command::kGet;
    }
  }

  void cas_race(Operation& op, ClientMemory& memory) {
    const int roll = percent();
    if (roll < 35) {
      op.command = Command::kGets;
    } else if (roll < 70) {
      std::uint64_t n = 0;
      auto it = memory.last_gets.find(op.key);
      if (it != memory.last_gets.end())
        std::from_chars(it->second.second.data(), it->second.second.data() + it->second.second.size(), n);
      cas_or_gets(op, memory, std::to_string(n + 1));
    } else if (roll < 77) {
      op.command = Command::kDelete;
    } else if (roll < 87) {
      op.command = Command::kAdd;
      op.value = "0";
    } else if (roll < 92) {
      op.command = Command::kSet;
      op.value = std::to_string(1000 + pick(1000));
    } else {
      op.command = Command::kGet;
    }
  }

  const WorkloadOptions& options_;
  int client_;
  std::mt19937_64 random_;
};

std::string request(const Operation& op) {
  switch (op.command) {
    case Command::kSet:
    case Command::kAdd:
    case Command::kReplace:
    case Command::kAppend:
    case Command::kPrepend:
      return fmt::format("{} {} {} 0 {}\r\n{}\r\n", command_name(op.command), op.key, op.flags, op.value.size(),
                         op.value);
    case Command::kCas:
      return fmt::format("cas {} {} 0 {} {}\r\n{}\r\n", op.key, op.flags, op.value.size(), op.argument, op.value);
    case Command::kDelete: return fmt::format("delete {}\r\n", op.key);
    case Command::kIncr:
    case Command::kDecr: return fmt::format("{} {} {}\r\n", command_name(op.command), op.key, op.argument);
    case Command::kGet:
    case Command::kGets: return fmt::format("{} {}\r\n", command_name(op.command), op.key);
  }
  return "";
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const auto space = line.find(' ');
    if (space != 0) out.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return out;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

// Reads the reply to `op` into it; false when the reply is not one memcached gives to it.
bool read_reply(Connection& conn, Operation& op) {
  const std::string line = conn.read_until("\r\n");
  const std::string_view text(line.data(), line.size() - 2);
  auto status = [&](std::initializer_list<std::pair<std::string_view, Reply>> allowed) {
    for (const auto& [word, reply] : allowed) {
      if (text == word) {
        op.reply = reply;
        return true;
      }
    }
    op.note = "unexpected reply " + escape_bytes(line, 80);
    return false;
  };
  switch (op.command) {
    case Command::kSet:
    case Command::kAdd:
    case Command::kReplace:
    case Command::kAppend:
    case Command::kPrepend:
    case Command::kCas:
      return status({{"STORED", Reply::kStored},
                     {"NOT_STORED", Reply::kNotStored},
                     {"EXISTS", Reply::kExists},
                     {"NOT_FOUND", Reply::kNotFound}});
    case Command::kDelete: return status({{"DELETED", Reply::kDeleted}, {"NOT_FOUND", Reply::kNotFound}});
    case Command::kIncr:
    case Command::kDecr:
      if (parse_number(text, op.out_number)) {
        op.reply = Reply::kNumber;
        return true;
      }
      if (text.starts_with("CLIENT_ERROR") && text.find("non-numeric") != std::string_view::npos) {
        op.reply = Reply::kNonNumeric;
        return true;
      }
      return status({{"NOT_FOUND", Reply::kNotFound}});
    case Command::kGet:
    case Command::kGets: {
      if (text == "END") {
        op.reply = Reply::kMiss;
        return true;
      }
      // VALUE <key> <flags> <bytes> [<cas unique>]
      const auto w = words(text);
      std::size_t bytes = 0;
      const std::size_t expected_words = op.command == Command::kGets ? 5 : 4;
      if (w.size() != expected_words || w[0] != "VALUE" || w[1] != op.key || !parse_number(w[2], op.out_flags) ||
          !parse_number(w[3], bytes) || (op.command == Command::kGets && !parse_number(w[4], op.out_unique))) {
        op.note = "unexpected reply " + escape_bytes(line, 80);
        return false;
      }
      std::string data = conn.read_exact(bytes + 2);
      const std::string end = conn.read_until("\r\n");
      if (!data.ends_with("\r\n") || end != "END\r\n") {
        op.note = "unexpected reply " + escape_bytes(line + data + end, 80);
        return false;
      }
      data.resize(bytes);
      op.out_value = std::move(data);
      op.reply = Reply::kHit;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string workload_name(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::kMixed: return "mixed";
    case WorkloadKind::kCounter: return "counter";
    case WorkloadKind::kAppendRace: return "append-race";
    case WorkloadKind::kCasRace: return "cas-race";
  }
  return "?";
}

WorkloadResult run_workload(const Endpoint& target, const WorkloadOptions& options) {
  WorkloadResult result;
  std::mutex mutex;
  std::latch ready(options.connections);
  const auto origin = Clock::now();
  const auto stop_at = origin + options.time_budget;
  auto since_origin = [&] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin).count();
  };

  auto client = [&](int id) {
    History history;
    std::vector<std::string> unexpected;
    std::optional<Connection> conn;
    try {
      conn.emplace(target, options.operation_timeout, nullptr, id);
    } catch (const ConnectionError& e) {
      unexpected.push_back(fmt::format("c{}: cannot connect: {}", id, e.what()));
    }
    ready.arrive_and_wait();
    Generator generator(options, id);
    ClientMemory memory;
    for (int i = 0; conn && i < options.operations_per_connection && Clock::now() < stop_at; ++i) {
      Operation op = generator.next(memory);
      op.call = since_origin();
      bool understood = false;
      try {
        conn->send(request(op));
        understood = read_reply(*conn, op);
      } catch (const ConnectionError& e) {
        op.note = fmt::format("no reply: {}", e.what());
      }
      if (understood) {
        op.ret = since_origin();
        if (op.command == Command::kGets && op.reply == Reply::kHit) {
          memory.last_gets[op.key] = {op.out_unique, op.out_value};
        }
      } else {
        op.reply = Reply::kUnknown;
        op.ret = kNever;
        if (op.note.starts_with("unexpected")) {
          unexpected.push_back(fmt::format("c{}: {} -> {}", id, escape_bytes(request(op), 80), op.note));
        }
      }
      history.push_back(std::move(op));
      if (!understood) break;  // the connection's reply stream can no longer be trusted
    }
    const std::lock_guard lock(mutex);
    for (Operation& op : history) {
      if (op.indeterminate()) ++result.indeterminate;
      result.history.push_back(std::move(op));
    }
    result.unexpected.insert(result.unexpected.end(), unexpected.begin(), unexpected.end());
  };

  std::vector<std::thread> threads;
  for (int id = 1; id <= options.connections; ++id) threads.emplace_back(client, id);
  for (std::thread& t : threads) t.join();
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - origin);
  return result;
}

}  // namespace mcconform::linearizability
