// Reading a `stats` reply: the one parser every suite and the benchmark share.
#include "mcconform/stats_reply.hpp"

#include <charconv>

#include "mcconform/escape.hpp"

namespace mcconform {

StatsMap read_stats(Connection& connection) {
  connection.send("stats\r\n");
  StatsMap stats;
  for (std::string line = connection.read_until("\r\n"); line != "END\r\n"; line = connection.read_until("\r\n")) {
    const std::string_view body(line.data(), line.size() - 2);
    if (!body.starts_with("STAT ")) throw ConnectionError("not a stats line: " + escape_bytes(line));
    const auto space = body.find(' ', 5);
    const std::string_view name = body.substr(5, space == std::string_view::npos ? std::string_view::npos : space - 5);
    stats[std::string(name)] = space == std::string_view::npos ? std::string() : std::string(body.substr(space + 1));
  }
  return stats;
}

std::uint64_t stat_number(const StatsMap& stats, std::string_view name) {
  auto it = stats.find(name);
  std::uint64_t value = 0;
  if (it != stats.end()) std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  return value;
}

}  // namespace mcconform
