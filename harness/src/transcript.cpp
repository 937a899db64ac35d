// Everything a test sent and received, in order, to print when it fails.
#include "mcconform/transcript.hpp"

#include <fmt/format.h>

#include "mcconform/escape.hpp"

namespace mcconform {

void Transcript::record(int connection, Direction direction, std::string_view bytes) {
  // Consecutive chunks in the same direction read better as one.
  if (!entries_.empty() && entries_.back().connection == connection && entries_.back().direction == direction &&
      direction != Direction::kNote) {
    entries_.back().bytes.append(bytes);
    return;
  }
  entries_.push_back({connection, direction, std::string(bytes)});
}

std::string Transcript::render() const {
  std::string out;
  for (const Entry& e : entries_) {
    switch (e.direction) {
      case Direction::kSent: out += fmt::format("  #{} > {}\n", e.connection, escape_bytes(e.bytes, 300)); break;
      case Direction::kReceived: out += fmt::format("  #{} < {}\n", e.connection, escape_bytes(e.bytes, 300)); break;
      case Direction::kNote: out += fmt::format("  -- {}\n", e.bytes); break;
    }
  }
  return out;
}

}  // namespace mcconform
