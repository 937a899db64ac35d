// Everything a test sent and received, in order, with when and who hung up: the case's wire log.
#include "mcconform/transcript.hpp"

#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "mcconform/escape.hpp"

namespace mcconform {
namespace {

std::function<double()> steady_since_now() {
  const auto start = std::chrono::steady_clock::now();
  return
      [start] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(); };
}

std::mutex wire_log_mutex;
std::vector<WireLogEntry> wire_log_slot;

}  // namespace

Transcript::Transcript() : now_ms_(steady_since_now()) {}
Transcript::Transcript(std::function<double()> now_ms) : now_ms_(std::move(now_ms)) {}

void Transcript::record(int connection, Direction direction, std::string_view bytes) {
  // Consecutive chunks in the same direction read better as one; the entry keeps its first time.
  if (!entries_.empty() && entries_.back().connection == connection && entries_.back().direction == direction &&
      (direction == Direction::kSent || direction == Direction::kReceived)) {
    entries_.back().bytes.append(bytes);
    return;
  }
  entries_.push_back({connection, direction, std::string(bytes), now_ms_() - origin_ms_});
}

std::string_view direction_name(Transcript::Direction direction) {
  switch (direction) {
    case Transcript::Direction::kSent: return "sent";
    case Transcript::Direction::kReceived: return "received";
    case Transcript::Direction::kNote: return "note";
    case Transcript::Direction::kClosedByClient: return "closed by client";
    case Transcript::Direction::kClosedByServer: return "closed by server";
  }
  return "?";
}

std::string Transcript::render() const {
  std::string out;
  for (const Entry& e : entries_) {
    const std::string at = fmt::format("  +{:.1f} ms", e.ms);
    switch (e.direction) {
      case Direction::kSent: out += fmt::format("{} #{} > {}\n", at, e.connection, escape_bytes(e.bytes, 300)); break;
      case Direction::kReceived:
        out += fmt::format("{} #{} < {}\n", at, e.connection, escape_bytes(e.bytes, 300));
        break;
      case Direction::kNote: out += fmt::format("{} -- {}\n", at, e.bytes); break;
      case Direction::kClosedByClient: out += fmt::format("{} #{} closed by the client\n", at, e.connection); break;
      case Direction::kClosedByServer: out += fmt::format("{} #{} closed by the server\n", at, e.connection); break;
    }
  }
  return out;
}

void publish_case_wire_log(const Transcript& transcript) {
  std::vector<WireLogEntry> log;
  const auto& entries = transcript.entries();
  for (std::size_t i = 0; i < entries.size() && i < kWireLogEntries; ++i) {
    WireLogEntry out{entries[i], 0};
    if (out.entry.bytes.size() > kWireLogEntryBytes) {
      out.truncated_from = out.entry.bytes.size();
      out.entry.bytes.resize(kWireLogEntryBytes);
    }
    log.push_back(std::move(out));
  }
  if (entries.size() > kWireLogEntries) {
    log.push_back({{0, Transcript::Direction::kNote,
                    fmt::format("{} more entries not kept", entries.size() - kWireLogEntries), entries.back().ms},
                   0});
  }
  std::lock_guard lock(wire_log_mutex);
  wire_log_slot = std::move(log);
}

std::vector<WireLogEntry> take_case_wire_log() {
  std::lock_guard lock(wire_log_mutex);
  return std::exchange(wire_log_slot, {});
}

}  // namespace mcconform
