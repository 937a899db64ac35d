// Reading a `stats` reply: the one parser every suite and the benchmark share.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "mcconform/connection.hpp"

namespace mcconform {

using StatsMap = std::map<std::string, std::string, std::less<>>;

// Sends "stats" and reads "STAT <name> <value>" lines up to "END". Throws ConnectionError on a
// reply that is not a stats block (an "ERROR", say), naming the line.
StatsMap read_stats(Connection& connection);
// The named statistic as a number; 0 when absent or not a number.
std::uint64_t stat_number(const StatsMap& stats, std::string_view name);

}  // namespace mcconform
