// memcached's accounting of an item's size: what -I limits and what `stats bytes` adds up.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcrefd::common {

// The item header (48), the key and its NUL, the flags when non-zero (4), the value with its
// stored "\r\n", and the cas (8): ITEM_ntotal in memcached 1.6.
constexpr std::size_t memcached_item_size(std::size_t key_size, std::uint32_t flags, std::size_t value_size) {
  return 48 + key_size + 1 + (flags != 0 ? 4 : 0) + value_size + 2 + 8;
}

}  // namespace mcrefd::common
