// Everything a test sent and received, in order, to print when it fails.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcconform {

class Transcript {
 public:
  enum class Direction { kSent, kReceived, kNote };

  void record(int connection, Direction direction, std::string_view bytes);
  void note(std::string_view text) { record(0, Direction::kNote, text); }
  bool empty() const { return entries_.empty(); }
  // One line per exchange: "#1 > set k 0 0 1\r\nx\r\n", "#1 < STORED\r\n".
  std::string render() const;
  void clear() { entries_.clear(); }

 private:
  struct Entry {
    int connection;
    Direction direction;
    std::string bytes;
  };
  std::vector<Entry> entries_;
};

}  // namespace mcconform
