// Everything a test sent and received, in order, with when and who hung up: the case's wire log.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcconform {

class Transcript {
 public:
  enum class Direction { kSent, kReceived, kNote, kClosedByClient, kClosedByServer };

  struct Entry {
    int connection = 0;
    Direction direction = Direction::kNote;
    std::string bytes;  // empty for the two closes
    double ms = 0;      // milliseconds since the case began (its server ready: see restart_clock)
  };

  // Times entries by the steady clock from construction; `now_ms` replaces it (tests).
  Transcript();
  explicit Transcript(std::function<double()> now_ms);

  // From now on times count from here: a case calls it when its server is ready, so that the time
  // spent starting a server is not in the log.
  void restart_clock() { origin_ms_ = now_ms_(); }

  void record(int connection, Direction direction, std::string_view bytes);
  void note(std::string_view text) { record(0, Direction::kNote, text); }
  void closed(int connection, bool by_server) {
    record(connection, by_server ? Direction::kClosedByServer : Direction::kClosedByClient, {});
  }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  // One line per exchange: "  +0.4 ms #1 > \"set k 0 0 1\\r\\nx\\r\\n\"", "  +0.9 ms #1 < ...".
  std::string render() const;
  void clear() { entries_.clear(); }

 private:
  std::function<double()> now_ms_;
  double origin_ms_ = 0;
  std::vector<Entry> entries_;
};

std::string_view direction_name(Transcript::Direction direction);  // "sent", "received", ...

// The wire log of the case that has just ended, handed from the test fixture to the report: the
// fixture publishes it in TearDown and the report's listener takes it when the test ends. Each
// entry keeps at most `kWireLogEntryBytes` bytes (`truncated_from` says how many there were).
struct WireLogEntry {
  Transcript::Entry entry;
  std::size_t truncated_from = 0;  // 0: whole
};
inline constexpr std::size_t kWireLogEntryBytes = 2048;
inline constexpr std::size_t kWireLogEntries = 400;
void publish_case_wire_log(const Transcript& transcript);
std::vector<WireLogEntry> take_case_wire_log();

}  // namespace mcconform
