// Number parsing with exactly memcached's acceptance rules (safe_strtoul and friends).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mcrefd::common {

// Each accepts what strtoul/strtol accept (leading white space, a sign) followed by the end of
// the text or a white-space byte, and rejects overflow, as memcached's util.c does.
std::optional<std::uint32_t> parse_u32(std::string_view text);
std::optional<std::int32_t> parse_i32(std::string_view text);
std::optional<std::uint64_t> parse_u64(std::string_view text);

}  // namespace mcrefd::common
