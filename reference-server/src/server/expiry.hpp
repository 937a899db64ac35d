// The protocol's exptime rule: how a client's expiration time becomes the engine's server time.
#pragma once

#include <cstdint>

#include "engine/clock.hpp"

namespace mcrefd::server {

// Expiration times above this many seconds (30 days) are absolute unix times.
constexpr std::int64_t kMaxRelativeExptime = 60 * 60 * 24 * 30;

// As memcached's realtime(): 0 is "never", a negative value or an absolute time not after the
// server's epoch is already past, anything up to 30 days is relative to now.
inline engine::RelTime expiry_from_client(const engine::Clock& clock, std::int64_t exptime) {
  if (exptime < 0) exptime = kMaxRelativeExptime + 1;
  if (exptime == 0) return 0;
  if (exptime > kMaxRelativeExptime) {
    if (exptime <= clock.epoch_unix()) return 1;
    return static_cast<engine::RelTime>(exptime - clock.epoch_unix());
  }
  return static_cast<engine::RelTime>(exptime + clock.now());
}

}  // namespace mcrefd::server
