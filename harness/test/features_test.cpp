// Case tags: a parameterised family's instantiation may report under a feature of its own.
#include <gtest/gtest.h>

#include "mcconform/features.hpp"

namespace mcconform {
namespace {

TEST(InstantiationFeature, OnlyTheNamedInstantiationMovesToItsFeature) {
  register_test_tags("FeaturesTestFamily", "Case",
                     TestTags{.feature = Feature::kClient, .level = Level::kSpec, .spec = "libmemcached behaviour"});
  register_instantiation_feature("Binary", "FeaturesTestFamily", Feature::kClientBinary);
  EXPECT_EQ(find_test_tags("Binary/FeaturesTestFamily", "Case/Binary")->feature, Feature::kClientBinary);
  EXPECT_EQ(find_test_tags("Text/FeaturesTestFamily", "Case/Text")->feature, Feature::kClient);
  EXPECT_EQ(find_test_tags("FeaturesTestFamily", "Case")->feature, Feature::kClient);
  // Everything else the family declared stays.
  EXPECT_EQ(find_test_tags("Binary/FeaturesTestFamily", "Case/Binary")->spec, "libmemcached behaviour");
  EXPECT_EQ(case_id("Binary/FeaturesTestFamily", "Case/Binary"), "FeaturesTestFamily.Case");
}

TEST(InstantiationFeature, ClientBinaryIsNamedAndDescribed) {
  EXPECT_EQ(feature_name(Feature::kClientBinary), "client-binary");
  EXPECT_EQ(feature_from_name("client-binary"), Feature::kClientBinary);
  EXPECT_NE(feature_description(Feature::kClientBinary), "");
}

}  // namespace
}  // namespace mcconform
