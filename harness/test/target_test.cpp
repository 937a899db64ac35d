// The targets a run can have: an external endpoint list starts nothing and gives what it lists.
#include "mcconform/target.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "mcconform/options.hpp"

namespace mcconform {
namespace {

const std::vector<Endpoint> kTwo = {{"127.0.0.1", 11211}, {"127.0.0.1", 11212}};

TEST(ExternalTarget, TheFirstEndpointIsThePrimaryAndTheListIsTheCluster) {
  ExternalTarget target(kTwo);
  EXPECT_EQ(target.primary(), kTwo[0]);
  EXPECT_EQ(target.cluster(2), kTwo);
  EXPECT_EQ(target.cluster(1), std::vector<Endpoint>{kTwo[0]});
}

TEST(ExternalTarget, AClusterLargerThanTheListIsClampedToIt) {
  ExternalTarget target(kTwo);
  EXPECT_EQ(target.cluster(3), kTwo);
  EXPECT_TRUE(target.cluster(0).empty());
}

TEST(ExternalTarget, StartsNothingAndOwnsNothing) {
  ExternalTarget target(kTwo);
  EXPECT_EQ(target.spawn_private_server(""), nullptr);
  EXPECT_EQ(target.spawn_private_server("-c 40"), nullptr);
  EXPECT_EQ(target.running_primary(), nullptr);
  EXPECT_FALSE(target.owns());
  EXPECT_EQ(target.spawn_command(), "");
  EXPECT_EQ(target.describe(), "external 127.0.0.1:11211,127.0.0.1:11212");
}

TEST(MakeTarget, EndpointsMakeAnExternalTargetAndNoneASpawnedOneWithTheDefaultCommandUnlessSpawnNamesOne) {
  Options external;
  external.targets = kTwo;
  external.spawn_command = "ignored {port}";
  EXPECT_FALSE(make_target(external, "mcrefd {port}")->owns());

  Options spawned;
  const auto by_default = make_target(spawned, "mcrefd {port}");
  EXPECT_TRUE(by_default->owns());
  EXPECT_EQ(by_default->spawn_command(), "mcrefd {port}");
  EXPECT_EQ(by_default->describe(), "spawned: mcrefd {port}");  // not started: the template

  spawned.spawn_command = "memcached -p {port}";
  EXPECT_EQ(make_target(spawned, "mcrefd {port}")->spawn_command(), "memcached -p {port}");
}

}  // namespace
}  // namespace mcconform
