// memcached release numbers, and the range of releases a case's expectation applies to.
#include "mcconform/version.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace mcconform {

std::optional<Version> Version::parse(std::string_view text) {
  Version v;
  for (std::size_t i = 0; i < v.parts.size(); ++i) {
    const char* end = text.data() + text.size();
    auto [next, ec] = std::from_chars(text.data(), end, v.parts[i]);
    if (ec != std::errc{} || v.parts[i] < 0) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(next - text.data()));
    if (i + 1 < v.parts.size()) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return v;
}

std::string Version::to_string() const { return fmt::format("{}.{}.{}", parts[0], parts[1], parts[2]); }

namespace {
// A malformed literal in a case is a bug in the suite, not in the server: fail loudly.
Version checked(std::string_view text) {
  auto v = Version::parse(text);
  if (!v) throw std::invalid_argument(fmt::format("bad version literal '{}' in a case's range", text));
  return *v;
}
}  // namespace

bool VersionRange::contains(const Version& version) const {
  if (!since.empty() && version < checked(since)) return false;
  if (!until.empty() && checked(until) < version) return false;
  return true;
}

std::string VersionRange::describe() const {
  if (unbounded()) return "every memcached";
  if (until.empty()) return fmt::format("memcached >= {}", since);
  if (since.empty()) return fmt::format("memcached <= {}", until);
  return fmt::format("memcached {} to {}", since, until);
}

}  // namespace mcconform
