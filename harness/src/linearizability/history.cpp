// Text for operations of a recorded history, as reports show them.
#include "mcconform/linearizability/history.hpp"

#include <fmt/format.h>

#include "mcconform/escape.hpp"

namespace mcconform::linearizability {
namespace {

std::string quoted(const std::string& bytes) { return escape_bytes(bytes, 24); }

}  // namespace

std::string command_name(Command command) {
  switch (command) {
    case Command::kSet: return "set";
    case Command::kAdd: return "add";
    case Command::kReplace: return "replace";
    case Command::kAppend: return "append";
    case Command::kPrepend: return "prepend";
    case Command::kCas: return "cas";
    case Command::kDelete: return "delete";
    case Command::kIncr: return "incr";
    case Command::kDecr: return "decr";
    case Command::kGet: return "get";
    case Command::kGets: return "gets";
  }
  return "?";
}

std::string describe_input(const Operation& op) {
  switch (op.command) {
    case Command::kSet:
    case Command::kAdd:
    case Command::kReplace: return fmt::format("{} {} flags {}", command_name(op.command), quoted(op.value), op.flags);
    case Command::kAppend:
    case Command::kPrepend: return fmt::format("{} {}", command_name(op.command), quoted(op.value));
    case Command::kCas: return fmt::format("cas {} flags {} unique {}", quoted(op.value), op.flags, op.argument);
    case Command::kIncr:
    case Command::kDecr: return fmt::format("{} {}", command_name(op.command), op.argument);
    case Command::kDelete:
    case Command::kGet:
    case Command::kGets: return command_name(op.command);
  }
  return "?";
}

std::string describe_output(const Operation& op) {
  if (op.indeterminate()) return op.note.empty() ? "unknown" : fmt::format("unknown ({})", op.note);
  switch (op.reply) {
    case Reply::kUnknown: return "unknown";
    case Reply::kStored: return "STORED";
    case Reply::kNotStored: return "NOT_STORED";
    case Reply::kExists: return "EXISTS";
    case Reply::kNotFound: return "NOT_FOUND";
    case Reply::kDeleted: return "DELETED";
    case Reply::kNumber: return std::to_string(op.out_number);
    case Reply::kNonNumeric: return "CLIENT_ERROR non-numeric";
    case Reply::kMiss: return "miss";
    case Reply::kHit:
      if (op.command == Command::kGets) {
        return fmt::format("{} flags {} unique {}", quoted(op.out_value), op.out_flags, op.out_unique);
      }
      return fmt::format("{} flags {}", quoted(op.out_value), op.out_flags);
  }
  return "?";
}

}  // namespace mcconform::linearizability
