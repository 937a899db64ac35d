// Runs a libmemcached family once per wire protocol: "Text/Suite" (client), "Binary/Suite" (client-binary).
#pragma once

#include <tuple>

#include <gtest/gtest.h>

#include "mcconform/features.hpp"
#include "memc.hpp"

namespace mcconform::suites {

// The parameter of a family run over both protocols and nothing else; its name repeats the
// protocol so that a test's full name reads "Binary/Client.AddOnlyWhenMissing/Binary".
inline std::string protocol_param_name(const ::testing::TestParamInfo<Protocol>& info) {
  return std::string(protocol_name(info.param));
}

}  // namespace mcconform::suites

// Instantiates `Suite` (a fixture parameterised by Protocol) once per protocol and moves the
// binary instantiation's cases to the client-binary feature, so that a server without the binary
// protocol is "not implemented" there and a report shows the two protocols apart.
#define MC_CLIENT_PROTOCOLS(Suite)                                                                   \
  INSTANTIATE_TEST_SUITE_P(Text, Suite, ::testing::Values(::mcconform::suites::Protocol::kText),     \
                           ::mcconform::suites::protocol_param_name);                                \
  INSTANTIATE_TEST_SUITE_P(Binary, Suite, ::testing::Values(::mcconform::suites::Protocol::kBinary), \
                           ::mcconform::suites::protocol_param_name);                                \
  static const bool mc_binary_feature_##Suite [[maybe_unused]] =                                     \
      ::mcconform::register_instantiation_feature("Binary", #Suite, ::mcconform::Feature::kClientBinary)

// The same for a family whose parameter is (Protocol, Value): `values` is a ::testing generator of
// the second element, `name` names one (Value) in a test's name.
#define MC_CLIENT_PROTOCOLS_WITH(Suite, values, name)                                                             \
  INSTANTIATE_TEST_SUITE_P(Text, Suite,                                                                           \
                           ::testing::Combine(::testing::Values(::mcconform::suites::Protocol::kText), values),   \
                           [](const auto& param_info) { return name(std::get<1>(param_info.param)); });           \
  INSTANTIATE_TEST_SUITE_P(Binary, Suite,                                                                         \
                           ::testing::Combine(::testing::Values(::mcconform::suites::Protocol::kBinary), values), \
                           [](const auto& param_info) { return name(std::get<1>(param_info.param)); });           \
  static const bool mc_binary_feature_##Suite [[maybe_unused]] =                                                  \
      ::mcconform::register_instantiation_feature("Binary", #Suite, ::mcconform::Feature::kClientBinary)
