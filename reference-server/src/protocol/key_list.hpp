// The keys of a get-family request, split once by the parser and walked by the executor.
#pragma once

#include <cstddef>
#include <string_view>

namespace mcrefd::protocol {

constexpr std::size_t kKeyMaxLength = 250;

// A view of the space-separated key list. memcached fetches the keys before an over-long one
// and then fails the whole request, so the list records where that key is.
class KeyList {
 public:
  KeyList() = default;
  explicit KeyList(std::string_view text) : text_(text) {
    for (std::string_view rest = text; !rest.empty();) {
      const std::string_view key = next(rest);
      if (key.size() > kKeyMaxLength) {
        overlong_at_ = static_cast<std::size_t>(key.data() - text.data());
        return;
      }
    }
  }

  // A list of exactly one key that may hold any byte, spaces included: a binary request's.
  static KeyList single(std::string_view key) {
    KeyList list;
    list.text_ = key;
    list.single_ = true;
    return list;
  }

  // Calls `visit` with each key before the first over-long one; returns false if there is one.
  template <typename Visit>
  bool for_each(Visit&& visit) const {
    if (single_) {
      visit(text_);
      return true;
    }
    std::string_view rest = text_.substr(0, overlong_at_);
    while (!rest.empty()) {
      const std::string_view key = next(rest);
      if (!key.empty()) visit(key);
    }
    return overlong_at_ == std::string_view::npos;
  }
  std::string_view text() const { return text_; }

 private:
  static std::string_view next(std::string_view& rest) {
    const std::size_t space = rest.find(' ');
    const std::string_view key = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    return key;
  }

  std::string_view text_;
  std::size_t overlong_at_ = std::string_view::npos;
  bool single_ = false;
};

}  // namespace mcrefd::protocol
