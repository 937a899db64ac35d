// Protocol bytes made readable: CR, LF, tabs and non-printable bytes escaped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcconform {

// "STORED\r\n" becomes STORED\r\n with the backslashes visible; long input is elided in the
// middle, keeping `keep` bytes at each end.
std::string escape_bytes(std::string_view bytes, std::size_t keep = 400);

// Side by side, with the offset of the first difference, for mismatch messages.
std::string describe_mismatch(std::string_view expected, std::string_view received);

}  // namespace mcconform
