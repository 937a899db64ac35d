// Drives thousands of seeded random commands, pipelined, into memcached and mcrefd side by side
// and requires byte-identical replies. Usage: mcconform_differential MCREFD MEMCACHED [SEED] [N]
#include <chrono>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "command_generator.hpp"
#include "mcconform/connection.hpp"
#include "mcconform/escape.hpp"
#include "mcconform/spawned_server.hpp"

namespace {

using namespace mcconform;

// A batch always ends by storing and reading back a fresh marker, whose reply can be waited for.
std::string marker_commands(int batch, std::string& marker_reply) {
  const std::string value = fmt::format("marker-{:08d}", batch);
  marker_reply = fmt::format("STORED\r\nVALUE __marker 0 {}\r\n{}\r\nEND\r\n", value.size(), value);
  return fmt::format("set __marker 0 0 {}\r\n{}\r\nget __marker\r\n", value.size(), value);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: mcconform_differential MCREFD MEMCACHED [SEED] [COMMANDS]\n";
    return 2;
  }
  const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 20261121;
  const int total = argc > 4 ? std::atoi(argv[4]) : 5000;
  const auto timeout = std::chrono::milliseconds(3000);

  SpawnedServer reference(fmt::format("'{}' -p {{port}} -l 127.0.0.1 -U 0 -t 1", argv[1]));
  // memcached's LRU maintainer and crawler threads hold item references now and then, which
  // makes incr/decr build a new item instead of rewriting in place (no space padding) at random.
  // Without them memcached is deterministic, and so is the comparison.
  SpawnedServer oracle(
      fmt::format("'{}' -p {{port}} -l 127.0.0.1 -U 0 -t 1 -u root -o no_lru_maintainer,no_lru_crawler", argv[2]));
  Connection to_reference(reference.endpoint(), timeout);
  Connection to_oracle(oracle.endpoint(), timeout);

  differential::CommandGenerator generator(seed);
  std::mt19937 sizes(static_cast<unsigned>(seed));
  int sent = 0;
  for (int batch = 0; sent < total; ++batch) {
    // Up to 18 commands and the 2 marker commands: within memcached's 20 requests per event.
    const int size = 1 + static_cast<int>(sizes() % 18);
    std::string requests;
    for (int i = 0; i < size; ++i) requests += generator.next();
    sent += size;
    std::string marker_reply;
    requests += marker_commands(batch, marker_reply);
    // MCCONFORM_DIFF_DUMP=1 prints every batch, to replay a failure by hand.
    if (std::getenv("MCCONFORM_DIFF_DUMP") != nullptr) std::cerr << "BATCH " << escape_bytes(requests, 1 << 20) << "\n";
    to_reference.send(requests);
    to_oracle.send(requests);
    std::string from_reference, from_oracle;
    try {
      from_oracle = to_oracle.read_until(marker_reply);
      from_reference = to_reference.read_until(marker_reply);
    } catch (const ConnectionError& e) {
      std::cerr << fmt::format("batch {} (seed {}): {}\nrequests: {}\n", batch, seed, e.what(),
                               escape_bytes(requests, 4000));
      return 1;
    }
    if (from_reference != from_oracle) {
      std::cerr << fmt::format("replies differ in batch {} (seed {}, after {} commands)\nrequests: {}\n{}\n", batch,
                               seed, sent, escape_bytes(requests, 4000),
                               describe_mismatch(from_oracle, from_reference));
      std::cerr << "(expected = memcached, received = mcrefd)\n";
      return 1;
    }
  }
  std::cout << fmt::format("differential: {} random commands (seed {}), replies byte-identical\n", sent, seed);
  std::cout << "1 passed, 0 failed\n";
  return 0;
}
