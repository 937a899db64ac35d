// memcached release numbers, and the range of releases a case's expectation applies to.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace mcconform {

// A release number such as 1.6.38; compares component by component.
struct Version {
  std::array<int, 3> parts{};

  static std::optional<Version> parse(std::string_view text);
  std::string to_string() const;
  auto operator<=>(const Version&) const = default;
};

// The releases a case applies to: both ends inclusive, an empty end is open. The ends are
// literals such as "1.6.20" so that a case reads `.versions = Since("1.6.20")`.
struct VersionRange {
  std::string_view since;
  std::string_view until;

  bool contains(const Version& version) const;
  bool unbounded() const { return since.empty() && until.empty(); }
  // "memcached >= 1.6.20", "memcached 1.6.18 to 1.6.19", "every memcached".
  std::string describe() const;
};

constexpr VersionRange Since(std::string_view first) { return VersionRange{first, {}}; }
constexpr VersionRange Until(std::string_view last) { return VersionRange{{}, last}; }
constexpr VersionRange Between(std::string_view first, std::string_view last) { return VersionRange{first, last}; }

}  // namespace mcconform
