// Why a case did not run, as a kind the report classifies by, never by the wording of a message.
#include "mcconform/skip_reason.hpp"

#include <array>
#include <utility>

namespace mcconform {
namespace {

constexpr std::array<std::pair<SkipKind, std::string_view>, 7> kNames = {{
    {SkipKind::kNotSelected, "not-selected"},
    {SkipKind::kNotInProfile, "not-in-profile"},
    {SkipKind::kDestructiveForbidden, "destructive-forbidden"},
    {SkipKind::kHostileForbidden, "hostile-forbidden"},
    {SkipKind::kNotImplemented, "not-implemented"},
    {SkipKind::kTargetUnresponsive, "target-unresponsive"},
    {SkipKind::kOther, "other"},
}};

}  // namespace

std::string_view skip_kind_name(SkipKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "other";
}

std::optional<SkipKind> skip_kind_from_name(std::string_view name) {
  for (const auto& [kind, n] : kNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

}  // namespace mcconform
