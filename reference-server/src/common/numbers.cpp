// Number parsing with exactly memcached's acceptance rules (safe_strtoul and friends).
#include "common/numbers.hpp"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>

namespace mcrefd::common {
namespace {

// The C library parsers need a terminated string; tokens are views into the read buffer.
class Terminated {
 public:
  explicit Terminated(std::string_view text) {
    if (text.size() < sizeof(small_)) {
      std::memcpy(small_, text.data(), text.size());
      small_[text.size()] = '\0';
      str_ = small_;
    } else {
      large_.assign(text);
      str_ = large_.c_str();
    }
  }
  const char* c_str() const { return str_; }

 private:
  char small_[64];
  std::string large_;
  const char* str_;
};

bool ends_number(const char* str, const char* end) {
  return std::isspace(static_cast<unsigned char>(*end)) || (*end == '\0' && end != str);
}

}  // namespace

std::optional<std::uint64_t> parse_u64(std::string_view text) {
  Terminated t(text);
  const char* str = t.c_str();
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(str, &end, 10);
  if (errno == ERANGE || end == str) return std::nullopt;
  if (!ends_number(str, end)) return std::nullopt;
  // strtoull negates "-1" into a huge value; memcached refuses a sign only then.
  if (static_cast<long long>(value) < 0 && std::memchr(str, '-', static_cast<std::size_t>(end - str)) != nullptr) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(value);
}

std::optional<std::uint32_t> parse_u32(std::string_view text) {
  Terminated t(text);
  const char* str = t.c_str();
  char* end = nullptr;
  errno = 0;
  unsigned long value = std::strtoul(str, &end, 10);
  if (errno == ERANGE || end == str) return std::nullopt;
  if (!ends_number(str, end)) return std::nullopt;
  if (static_cast<long>(value) < 0 && std::memchr(str, '-', static_cast<std::size_t>(end - str)) != nullptr) {
    return std::nullopt;
  }
  // Like memcached 1.6.18 on a 64-bit host, the value is narrowed, not range-checked.
  return static_cast<std::uint32_t>(value);
}

std::optional<std::int32_t> parse_i32(std::string_view text) {
  Terminated t(text);
  const char* str = t.c_str();
  char* end = nullptr;
  errno = 0;
  long value = std::strtol(str, &end, 10);
  if (errno == ERANGE || end == str) return std::nullopt;
  if (!ends_number(str, end)) return std::nullopt;
  // memcached 1.6.18 narrows without a range check: 4294967298 is 2, 2147483648 is negative.
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
}

}  // namespace mcrefd::common
