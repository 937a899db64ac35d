// An item's data as the model holds it: shared pieces (appending is O(piece), copying is O(1)) and
// two 61-bit polynomial hashes kept up to date, so states compare in O(1) however long the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mcconform::linearizability {

class Value {
 public:
  Value() = default;
  explicit Value(std::string_view bytes);

  Value appended(std::string_view piece) const;
  Value prepended(std::string_view piece) const;
  std::size_t size() const { return size_; }
  std::string str() const;

  // Equal by length and both hashes (a false match is about as likely as (size / 2^61)^2).
  bool operator==(const Value& other) const {
    return size_ == other.size_ && hash1_ == other.hash1_ && hash2_ == other.hash2_;
  }
  std::size_t hash() const { return static_cast<std::size_t>(hash1_ ^ (hash2_ << 1)); }

  // The first hash of every prefix of `bytes` (element i: the first i bytes), for is_prefix_of.
  static std::vector<std::uint64_t> prefix_hashes(std::string_view bytes);
  // False when this data is certainly not a prefix of the bytes `prefixes` was computed from.
  bool may_be_prefix_of(const std::vector<std::uint64_t>& prefixes) const {
    return size_ < prefixes.size() && prefixes[size_] == hash1_;
  }

 private:
  struct Piece {
    std::shared_ptr<const Piece> rest;  // the older data
    std::string bytes;
    bool in_front;  // prepended to `rest`, else appended
  };
  Value joined(std::string_view piece, bool in_front) const;

  std::shared_ptr<const Piece> last_;
  std::size_t size_ = 0;
  std::uint64_t hash1_ = 0;
  std::uint64_t hash2_ = 0;
};

}  // namespace mcconform::linearizability
