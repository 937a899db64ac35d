// Shared data pieces with incremental polynomial hashes modulo 2^61 - 1.
#include "mcconform/linearizability/value.hpp"

#include <vector>

namespace mcconform::linearizability {
namespace {

constexpr std::uint64_t kModulus = (std::uint64_t{1} << 61) - 1;
constexpr std::uint64_t kBase1 = 1'000'003;
constexpr std::uint64_t kBase2 = 998'244'353;

__extension__ typedef unsigned __int128 Wide;  // GCC and Clang; __extension__ keeps -Wpedantic quiet

std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  const Wide product = static_cast<Wide>(a) * b;
  std::uint64_t r = static_cast<std::uint64_t>(product & kModulus) + static_cast<std::uint64_t>(product >> 61);
  if (r >= kModulus) r -= kModulus;
  return r;
}

std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = a + b;
  if (r >= kModulus) r -= kModulus;
  return r;
}

std::uint64_t power(std::uint64_t base, std::size_t exponent) {
  std::uint64_t result = 1;
  while (exponent) {
    if (exponent & 1) result = mul(result, base);
    base = mul(base, base);
    exponent >>= 1;
  }
  return result;
}

// H(s) = sum of (s[i] + 1) * base^(n - 1 - i): so H(a + b) = H(a) * base^|b| + H(b).
std::uint64_t hash_of(std::string_view bytes, std::uint64_t base) {
  std::uint64_t h = 0;
  for (unsigned char c : bytes) h = add(mul(h, base), c + 1u);
  return h;
}

}  // namespace

Value::Value(std::string_view bytes)
    : size_(bytes.size()), hash1_(hash_of(bytes, kBase1)), hash2_(hash_of(bytes, kBase2)) {
  if (!bytes.empty()) last_ = std::make_shared<const Piece>(Piece{nullptr, std::string(bytes), false});
}

Value Value::joined(std::string_view piece, bool in_front) const {
  if (piece.empty()) return *this;
  Value out;
  out.size_ = size_ + piece.size();
  const std::uint64_t p1 = hash_of(piece, kBase1), p2 = hash_of(piece, kBase2);
  if (in_front) {
    out.hash1_ = add(mul(p1, power(kBase1, size_)), hash1_);
    out.hash2_ = add(mul(p2, power(kBase2, size_)), hash2_);
  } else {
    out.hash1_ = add(mul(hash1_, power(kBase1, piece.size())), p1);
    out.hash2_ = add(mul(hash2_, power(kBase2, piece.size())), p2);
  }
  out.last_ = std::make_shared<const Piece>(Piece{last_, std::string(piece), in_front});
  return out;
}

std::vector<std::uint64_t> Value::prefix_hashes(std::string_view bytes) {
  std::vector<std::uint64_t> out(bytes.size() + 1, 0);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[i + 1] = add(mul(out[i], kBase1), static_cast<unsigned char>(bytes[i]) + 1u);
  }
  return out;
}

Value Value::appended(std::string_view piece) const { return joined(piece, false); }
Value Value::prepended(std::string_view piece) const { return joined(piece, true); }

std::string Value::str() const {
  std::vector<const Piece*> pieces;
  for (const Piece* p = last_.get(); p != nullptr; p = p->rest.get()) pieces.push_back(p);
  std::string front, back;  // built outwards from the oldest piece
  for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
    if ((*it)->in_front) {
      front.insert(front.end(), (*it)->bytes.rbegin(), (*it)->bytes.rend());
    } else {
      back += (*it)->bytes;
    }
  }
  return std::string(front.rbegin(), front.rend()) + back;
}

}  // namespace mcconform::linearizability
