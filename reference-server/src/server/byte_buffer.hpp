// A growable receive buffer: read into its tail, consume from its head, no zero-filling.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace mcrefd::server {

class ByteBuffer {
 public:
  std::string_view data() const { return {storage_.get() + begin_, end_ - begin_}; }
  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }

  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }

  // Room for at least `n` more bytes at the tail, moving or growing the storage if needed.
  char* prepare(std::size_t n) {
    if (capacity_ - end_ < n) {
      const std::size_t live = size();
      if (begin_ > 0 && capacity_ - live >= n) {
        std::memmove(storage_.get(), storage_.get() + begin_, live);
      } else {
        std::size_t capacity = capacity_ == 0 ? n : capacity_;
        while (capacity - live < n) capacity *= 2;
        auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
        if (live > 0) std::memcpy(bigger.get(), storage_.get() + begin_, live);
        storage_ = std::move(bigger);
        capacity_ = capacity;
      }
      begin_ = 0;
      end_ = live;
    }
    return storage_.get() + end_;
  }
  std::size_t writable() const { return capacity_ - end_; }
  void commit(std::size_t n) { end_ += n; }

  // Gives memory back after a burst (a large value), keeping what is still unread.
  void shrink_if_idle(std::size_t keep) {
    if (capacity_ > keep && size() <= keep / 2) {
      auto smaller = std::make_unique_for_overwrite<char[]>(keep);
      const std::size_t live = size();
      if (live > 0) std::memcpy(smaller.get(), storage_.get() + begin_, live);
      storage_ = std::move(smaller);
      capacity_ = keep;
      begin_ = 0;
      end_ = live;
    }
  }

 private:
  std::unique_ptr<char[]> storage_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace mcrefd::server
