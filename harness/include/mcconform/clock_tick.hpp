// Meta return flags that report time, compared as memcached's one-second clock allows.
#pragma once

#include <string_view>

namespace mcconform {

// A meta return line: HD, VA, EN, NF, NS, EX or MN, then flags or the end of the line.
bool is_meta_status_line(std::string_view line);

// Two meta status lines (each ending in "\r\n") are the same word for word, except that `t<N>`
// (N > 0) may read t<N-1> and `l<N>` may read l<N+1>: the server's clock ticks once a second, and
// a tick may fall between a command that set the time and one that reports it.
bool same_but_for_a_clock_tick(std::string_view expected, std::string_view actual);

}  // namespace mcconform
