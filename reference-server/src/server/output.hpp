// A connection's pending reply bytes, with the point before which replies are already committed.
#pragma once

#include <cstddef>
#include <string>

namespace mcrefd::server {

// memcached sends replies in batches; a get that fails on an over-long key discards the replies
// of its batch that are not yet sent. `committed` marks where the current batch starts.
struct Output {
  std::string bytes;
  std::size_t committed = 0;

  void commit() { committed = bytes.size(); }
  void discard_uncommitted() { bytes.resize(committed); }
  void consume_front(std::size_t n) {
    bytes.erase(0, n);
    committed = committed > n ? committed - n : 0;
  }
};

}  // namespace mcrefd::server
