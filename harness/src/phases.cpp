// The run in two phases: every other case first, then the destructive ones.
#include "mcconform/phases.hpp"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "mcconform/split.hpp"

namespace mcconform {
namespace {

bool any_matches(std::string_view patterns, std::string_view name) {
  for (std::string_view pattern : split(patterns, ':')) {
    if (!pattern.empty() && glob_match(pattern, name)) return true;
  }
  return false;
}

// The root element <testsuites ...> of a GoogleTest XML report: where its start tag ends and
// where its end tag begins.
struct Root {
  std::size_t tag_begin, tag_end, close;
};

std::optional<Root> find_root(std::string_view xml) {
  const auto begin = xml.find("<testsuites ");
  if (begin == std::string_view::npos) return std::nullopt;
  const auto end = xml.find('>', begin);
  const auto close = xml.rfind("</testsuites>");
  if (end == std::string_view::npos || close == std::string_view::npos || close < end) return std::nullopt;
  return Root{begin, end + 1, close};
}

std::optional<std::string_view> attribute(std::string_view tag, std::string_view name) {
  const std::string needle = fmt::format(" {}=\"", name);
  const auto at = tag.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  const auto value_begin = at + needle.size();
  const auto value_end = tag.find('"', value_begin);
  if (value_end == std::string_view::npos) return std::nullopt;
  return tag.substr(value_begin, value_end - value_begin);
}

std::string with_attribute(std::string tag, std::string_view name, std::string_view value) {
  const std::string needle = fmt::format(" {}=\"", name);
  const auto at = tag.find(needle);
  if (at == std::string::npos) return tag;
  const auto value_begin = at + needle.size();
  const auto value_end = tag.find('"', value_begin);
  return tag.replace(value_begin, value_end - value_begin, value);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern.front() == '*') {
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (glob_match(pattern.substr(1), text.substr(i))) return true;
    }
    return false;
  }
  return !text.empty() && (pattern.front() == '?' || pattern.front() == text.front()) &&
         glob_match(pattern.substr(1), text.substr(1));
}

bool filter_selects(std::string_view filter, std::string_view name) {
  const auto dash = filter.find('-');
  std::string_view positive = filter.substr(0, dash);
  const std::string_view negative = dash == std::string_view::npos ? std::string_view{} : filter.substr(dash + 1);
  if (positive.empty()) positive = "*";
  return any_matches(positive, name) && !any_matches(negative, name);
}

Phases split_phases(std::string_view filter, const std::vector<RunCase>& cases) {
  Phases phases;
  for (const auto& c : cases) {
    if (!filter_selects(filter, c.name)) continue;
    if (c.destructive) {
      phases.destructive.push_back(c.name);
    } else {
      ++phases.main_cases;
    }
  }
  phases.main_filter = std::string(filter);
  if (phases.destructive.empty()) return phases;
  std::string names;
  for (const auto& name : phases.destructive) names += (names.empty() ? "" : ":") + name;
  phases.main_filter += (filter.find('-') == std::string_view::npos ? "-" : ":") + names;
  phases.destructive_filter = names;
  return phases;
}

std::string merge_junit_reports(std::string_view first, std::string_view second) {
  const auto a = find_root(first);
  const auto b = find_root(second);
  if (!a || !b) return std::string(first);
  const std::string_view tag_a = first.substr(a->tag_begin, a->tag_end - a->tag_begin);
  const std::string_view tag_b = second.substr(b->tag_begin, b->tag_end - b->tag_begin);
  std::string tag(tag_a);
  for (std::string_view name : {"tests", "failures", "disabled", "errors"}) {
    long x = 0, y = 0;
    const auto va = attribute(tag_a, name), vb = attribute(tag_b, name);
    if (!va || !vb) continue;
    std::from_chars(va->data(), va->data() + va->size(), x);
    std::from_chars(vb->data(), vb->data() + vb->size(), y);
    tag = with_attribute(tag, name, std::to_string(x + y));
  }
  if (const auto ta = attribute(tag_a, "time"), tb = attribute(tag_b, "time"); ta && tb) {
    tag = with_attribute(tag, "time", fmt::format("{:.3f}", std::stod(std::string(*ta)) + std::stod(std::string(*tb))));
  }
  std::string out(first.substr(0, a->tag_begin));
  out += tag;
  out += first.substr(a->tag_end, a->close - a->tag_end);
  // The second report's suites, without its own leading newline doubling up.
  std::string_view suites = second.substr(b->tag_end, b->close - b->tag_end);
  if (suites.starts_with('\n') && out.ends_with('\n')) suites.remove_prefix(1);
  out += suites;
  out += first.substr(a->close);
  return out;
}

}  // namespace mcconform
