// The case catalogue: what every registered case checks, listed without running anything.
#include "mcconform/catalogue.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace mcconform {

std::vector<CatalogueEntry> case_catalogue() {
  std::vector<CatalogueEntry> entries;
  std::map<std::string, std::size_t, std::less<>> index;
  auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    const auto* suite = unit->GetTestSuite(i);
    for (int j = 0; j < suite->total_test_count(); ++j) {
      const auto* info = suite->GetTestInfo(j);
      const std::string id = case_id(info->test_suite_name(), info->name());
      const auto tags = find_test_tags(info->test_suite_name(), info->name());
      // A family instantiated under two features (the client cases over text and binary) is
      // one entry per feature.
      const std::string feature = tags ? std::string(feature_name(tags->feature)) : "";
      auto [it, inserted] = index.try_emplace(id + " " + feature, entries.size());
      if (inserted) {
        CatalogueEntry entry;
        entry.id = id;
        if (tags) {
          entry.tagged = true;
          entry.tags = *tags;
        }
        entries.push_back(std::move(entry));
      }
      ++entries[it->second].instances;
    }
  }
  return entries;
}

std::string annotation_problem(const CatalogueEntry& entry) {
  if (!entry.tagged) return "not registered with MC_TEST";
  const std::string_view spec = entry.tags.spec;
  if (spec.empty() || entry.tags.checks.empty()) {
    return spec.empty() && entry.tags.checks.empty() ? "no .spec, no .checks"
           : spec.empty()                            ? "no .spec"
                                                     : "no .checks";
  }
  // The binary protocol's spec is memcached's wiki page and the header that defines it.
  const bool names_a_document =
      spec.starts_with("protocol.txt: ") || spec.starts_with("BinaryProtocolRevamped: ") || spec == "protocol_binary.h";
  if (!names_a_document && spec != "memcached behaviour" && spec != "libmemcached behaviour") {
    return fmt::format(
        "spec '{}' is not 'protocol.txt: <section>', 'BinaryProtocolRevamped: <section>', 'protocol_binary.h', "
        "'memcached behaviour' or 'libmemcached behaviour'",
        spec);
  }
  return "";
}

std::string catalogue_text(const std::vector<CatalogueEntry>& entries) {
  std::size_t id_width = 0, versions_width = 0, spec_width = 0;
  for (const auto& e : entries) {
    id_width = std::max(id_width, e.id.size());
    versions_width = std::max(versions_width, e.tags.versions.describe().size());
    spec_width = std::max(spec_width, e.tags.spec.size());
  }
  std::string out;
  for (const auto& e : entries) {
    if (!e.tagged) {
      out += fmt::format("{:<{}}  (no tags: not registered with MC_TEST)\n", e.id, id_width);
      continue;
    }
    out += fmt::format("{:<{}}  {:<13}  {:<6}  {:<{}}  {:<{}}  {}\n", e.id, id_width, feature_name(e.tags.feature),
                       level_name(e.tags.level), e.tags.versions.describe(), versions_width, e.tags.spec, spec_width,
                       e.tags.checks);
  }
  return out;
}

std::string catalogue_json(const std::vector<CatalogueEntry>& entries) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& e : entries) {
    nlohmann::ordered_json item;
    item["id"] = e.id;
    item["tagged"] = e.tagged;
    item["feature"] = e.tagged ? std::string(feature_name(e.tags.feature)) : "";
    item["level"] = e.tagged ? std::string(level_name(e.tags.level)) : "";
    item["destructive"] = e.tags.destructive;
    item["versions"] = e.tags.versions.describe();
    item["since"] = std::string(e.tags.versions.since);
    item["until"] = std::string(e.tags.versions.until);
    item["spec"] = std::string(e.tags.spec);
    item["checks"] = std::string(e.tags.checks);
    item["instances"] = e.instances;
    out.push_back(std::move(item));
  }
  return out.dump(2) + "\n";
}

}  // namespace mcconform
