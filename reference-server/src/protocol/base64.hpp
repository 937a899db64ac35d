// Base64 for meta keys with memcached's leniency: bytes outside the alphabet are skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcrefd::protocol {

// Decodes `text` into `out` (at least text.size() bytes). Returns the decoded length, or 0 when
// memcached would refuse the key: no alphabet bytes, a count not a multiple of 4, or more than
// two '=' in the last block.
std::size_t base64_decode(std::string_view text, char* out);

// Appends the padded encoding of `bytes` to `out`.
void base64_append(std::string_view bytes, std::string& out);

}  // namespace mcrefd::protocol
