// A recorded concurrent history of memcached operations: what each client asked, when, and what it got.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace mcconform::linearizability {

// Nanoseconds since the start of the recording.
using Time = std::int64_t;
// The return time of an operation whose outcome is unknown (timed out, connection lost, or an
// unexpected reply): it may take effect at any moment after its call, or never.
inline constexpr Time kNever = std::numeric_limits<Time>::max();

enum class Command : std::uint8_t { kSet, kAdd, kReplace, kAppend, kPrepend, kCas, kDelete, kIncr, kDecr, kGet, kGets };

enum class Reply : std::uint8_t {
  kUnknown,     // indeterminate: no reply, or one that says nothing certain
  kStored,      // STORED
  kNotStored,   // NOT_STORED
  kExists,      // EXISTS
  kNotFound,    // NOT_FOUND
  kDeleted,     // DELETED
  kNumber,      // incr/decr: the new value
  kNonNumeric,  // incr/decr: CLIENT_ERROR cannot increment or decrement non-numeric value
  kHit,         // get/gets: VALUE ... END
  kMiss,        // get/gets: END
};

struct Operation {
  int client = 0;
  std::string key;
  Command command = Command::kGet;
  std::string value;           // the data block of a storage command
  std::uint32_t flags = 0;     // the flags of a storage command
  std::uint64_t argument = 0;  // cas: the unique sent; incr/decr: the delta

  Time call = 0;
  Time ret = kNever;
  Reply reply = Reply::kUnknown;
  std::string out_value;         // kHit: the data
  std::uint32_t out_flags = 0;   // kHit: the flags
  std::uint64_t out_unique = 0;  // kHit of gets: the cas unique
  std::uint64_t out_number = 0;  // kNumber: the new value
  std::string note;              // why the outcome is unknown, or the unexpected reply

  bool indeterminate() const { return ret == kNever || reply == Reply::kUnknown; }
  bool is_read() const { return command == Command::kGet || command == Command::kGets; }
};

using History = std::vector<Operation>;

std::string command_name(Command command);
// "append k 0 \"12\"", "cas \"5\" unique 17", "incr 3", "gets".
std::string describe_input(const Operation& op);
// "STORED", "hit \"12\" flags 0 unique 9", "7", "unknown (timed out)".
std::string describe_output(const Operation& op);

}  // namespace mcconform::linearizability
