// Version profiles: which memcached release a run expects. The list is data (harness/profiles.json).
#include "mcconform/profile.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "profiles_json.hpp"  // generated from harness/profiles.json: kProfilesJson

namespace mcconform {
namespace {

struct ProfileList {
  std::vector<Profile> profiles;
  std::string default_name;
};

const ProfileList& builtin() {
  static const ProfileList list = [] {
    ProfileList out;
    out.profiles = parse_profiles(kProfilesJson, &out.default_name);
    return out;
  }();
  return list;
}

}  // namespace

std::vector<Profile> parse_profiles(std::string_view text, std::string* default_name) {
  const auto json = nlohmann::json::parse(text);
  std::vector<Profile> out;
  for (const auto& entry : json.at("profiles")) {
    Profile p;
    p.name = entry.at("name").get<std::string>();
    const auto version = entry.at("version").get<std::string>();
    auto parsed = Version::parse(version);
    if (!parsed) throw std::runtime_error(fmt::format("profile {}: bad version '{}'", p.name, version));
    p.version = *parsed;
    p.description = entry.value("description", "");
    out.push_back(std::move(p));
  }
  if (out.empty()) throw std::runtime_error("the profile list is empty");
  std::sort(out.begin(), out.end(), [](const Profile& a, const Profile& b) { return a.version < b.version; });
  const std::string wanted = json.value("default", out.back().name);
  if (std::none_of(out.begin(), out.end(), [&](const Profile& p) { return p.name == wanted; })) {
    throw std::runtime_error(fmt::format("the default profile '{}' is not in the list", wanted));
  }
  if (default_name) *default_name = wanted;
  return out;
}

const std::vector<Profile>& all_profiles() { return builtin().profiles; }

const Profile& default_profile() {
  for (const auto& p : all_profiles()) {
    if (p.name == builtin().default_name) return p;
  }
  return all_profiles().back();
}

std::optional<Profile> find_profile(std::string_view name) {
  for (const auto& p : all_profiles()) {
    if (p.name == name) return p;
  }
  return std::nullopt;
}

}  // namespace mcconform
