// Checks a recorded history of memcached operations for linearizability, key by key, and explains
// a violation with a small sub-history no order explains.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "mcconform/linearizability/history.hpp"
#include "mcconform/linearizability/search.hpp"

namespace mcconform::linearizability {

struct CheckOptions {
  // For the verdict of all keys together; a key not decided by then is "inconclusive".
  std::chrono::milliseconds time_limit{10000};
  // For shrinking each violation to its witness (the verdict is already known by then; a check
  // that runs out of time keeps the larger witness). Explaining the witness gets a quarter as
  // much. Only a failing case spends it, and shrinking stops as soon as nothing more can go; 1 s
  // left a 1,200-operation key of a loaded CI machine with a 90-operation, unexplained witness.
  std::chrono::milliseconds shrink_time_limit{5000};
  std::size_t max_memo_entries = 1'000'000;
};

struct KeyVerdict {
  std::string key;
  Verdict verdict = Verdict::kUnknown;
  std::size_t operations = 0;
  std::size_t explored = 0;  // search steps for the verdict
  // kNotLinearizable: operations that no order explains, by call time. Operations whose outcome
  // the witness does not need are shown with an unknown outcome.
  History witness;
  // The witness starts at a moment when no operation on the key was in flight, assuming nothing
  // about the key's state then (what came before cannot excuse it).
  bool witness_from_any_state = false;
  std::string reason;
  std::string gave_up;  // kUnknown: which bound was hit
};

struct CheckReport {
  Verdict verdict = Verdict::kLinearizable;
  std::vector<KeyVerdict> keys;

  // Per key: the verdict; for a violation the witness on a timeline and the reason.
  std::string render() const;
};

CheckReport check_history(const History& history, const CheckOptions& options = {});

// One key's operations (any key field is ignored), from the state "absent".
KeyVerdict check_key(const std::string& key, const History& operations, const CheckOptions& options = {});

std::string verdict_name(Verdict verdict);

}  // namespace mcconform::linearizability
