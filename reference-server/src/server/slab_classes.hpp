// memcached's default slab classes, so that `me`, metadump and the slab stats name a class.
#pragma once

#include <array>
#include <cstddef>

namespace mcrefd::server {

// memcached 1.6 with its defaults (-n 48, -f 1.25, 1 MiB pages): the smallest chunk is the item
// header (48) plus 48 bytes, each class 1.25 times the one before rounded up to 8, and the last
// class holds half a page. mcrefd has no slabs; this only names the class memcached would use.
class SlabClasses {
 public:
  static constexpr std::size_t kPageSize = 1024 * 1024;
  static constexpr std::size_t kChunkMax = kPageSize / 2;

  SlabClasses() {
    constexpr double kFactor = 1.25;
    unsigned size = 96;
    while (largest_ + 1 < sizes_.size() - 1) {
      if (size >= kChunkMax / kFactor) break;
      if (size % 8 != 0) size += 8 - size % 8;
      sizes_[++largest_] = size;
      size = static_cast<unsigned>(size * kFactor);
    }
    sizes_[++largest_] = kChunkMax;
  }

  unsigned largest() const { return largest_; }
  std::size_t chunk_size(unsigned id) const { return sizes_[id]; }
  // The class of an item of `total` bytes (memcached's ITEM_ntotal); larger items are chunked
  // and counted in the largest class.
  unsigned class_of(std::size_t total) const {
    for (unsigned id = 1; id < largest_; ++id) {
      if (total <= sizes_[id]) return id;
    }
    return largest_;
  }

 private:
  std::array<std::size_t, 64> sizes_{};
  unsigned largest_ = 0;
};

inline const SlabClasses& slab_classes() {
  static const SlabClasses classes;
  return classes;
}

inline unsigned slab_class_of(std::size_t item_total) { return slab_classes().class_of(item_total); }

}  // namespace mcrefd::server
