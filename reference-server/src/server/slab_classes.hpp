// memcached's default slab classes, so that `me` can report the class an item would live in.
#pragma once

#include <cstddef>

namespace mcrefd::server {

// memcached 1.6 with its defaults (-n 48, -f 1.25, 1 MiB pages): the smallest chunk is the item
// header (48) plus 48 bytes, each class 1.25 times the one before rounded up to 8, and the last
// class holds half a page. mcrefd has no slabs; this only names the class memcached would use.
inline unsigned slab_class_of(std::size_t item_total) {
  constexpr std::size_t kChunkMax = 512 * 1024;
  constexpr double kFactor = 1.25;
  unsigned size = 96;
  unsigned id = 1;
  for (; id < 63; ++id) {
    if (size >= kChunkMax / kFactor) break;
    if (size % 8 != 0) size += 8 - size % 8;
    if (item_total <= size) return id;
    size = static_cast<unsigned>(size * kFactor);
  }
  return id;
}

}  // namespace mcrefd::server
