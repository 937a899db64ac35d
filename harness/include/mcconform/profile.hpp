// Version profiles: which memcached release a run expects. The list is data (harness/profiles.json).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcconform/version.hpp"

namespace mcconform {

struct Profile {
  std::string name;  // "memcached-1.6.38"
  Version version;
  std::string description;
};

// Every profile, oldest first, as read from the profile list built into mcconform.
const std::vector<Profile>& all_profiles();
// The profile used when --profile is not given: the newest release.
const Profile& default_profile();
std::optional<Profile> find_profile(std::string_view name);

// Parses a profile list in the format of harness/profiles.json; throws std::runtime_error with
// the reason when it is malformed.
std::vector<Profile> parse_profiles(std::string_view json, std::string* default_name = nullptr);

}  // namespace mcconform
