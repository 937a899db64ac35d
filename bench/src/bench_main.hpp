// `mcconform bench`: load a server (or two, alternately) and report throughput and latency.
#pragma once

#include <string>
#include <vector>

namespace mcconform::bench {

// Returns the process exit status: 0, 1 when any reply was wrong, 2 for bad arguments.
int bench_main(const std::vector<std::string>& args, const std::string& default_spawn_command);

}  // namespace mcconform::bench
