// The case catalogue: what every registered case checks, listed without running anything.
#pragma once

#include <string>
#include <vector>

#include "mcconform/features.hpp"

namespace mcconform {

struct CatalogueEntry {
  std::string id;       // Suite.Name; a parameterised family is one entry
  bool tagged = false;  // registered with MC_TEST / MC_TEST_P
  TestTags tags;        // meaningful when tagged
  int instances = 0;    // GoogleTest tests of this case (parameterised families have several)
};

// Every test GoogleTest has registered, grouped by case id, in registration order.
std::vector<CatalogueEntry> case_catalogue();
// One line per case: id, feature, level, versions, spec section, requirement.
std::string catalogue_text(const std::vector<CatalogueEntry>& entries);
// A JSON array of objects with those fields (and destructive, instances).
std::string catalogue_json(const std::vector<CatalogueEntry>& entries);
// Why a case's annotation is incomplete ("no spec", "no checks", "spec is neither ..."), or empty.
std::string annotation_problem(const CatalogueEntry& entry);

}  // namespace mcconform
