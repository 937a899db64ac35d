// What each test checks (a protocol feature) and how strictly (spec or compat).
#include "mcconform/features.hpp"

#include <map>
#include <string>

namespace mcconform {
namespace {

struct FeatureInfo {
  Feature feature;
  std::string_view name;
  std::string_view description;
};

constexpr FeatureInfo kFeatureInfo[] = {
    {Feature::kCore, "core", "set, get, gets, delete, cas and noreply"},
    {Feature::kStorage, "storage", "add, replace, append, prepend"},
    {Feature::kArith, "arith", "incr and decr"},
    {Feature::kTouch, "touch", "touch, gat and gats"},
    {Feature::kExpiry, "expiry", "relative, absolute and negative expiration times (waits: slow)"},
    {Feature::kFlush, "flush", "flush_all, immediate and delayed (destructive)"},
    {Feature::kStats, "stats", "stats counters, version, verbosity"},
    {Feature::kErrors, "errors", "malformed requests, limits on keys and lines, the connection afterwards"},
    {Feature::kFraming, "framing", "pipelining, requests split anywhere, line ends, several connections"},
    {Feature::kLimits, "limits", "item size limit, eviction, connection limit, idle timeout"},
    {Feature::kClient, "client", "libmemcached against the target: single server, cluster, failover"},
    {Feature::kClientBinary, "client-binary",
     "the libmemcached cases again over the binary protocol (MEMCACHED_BEHAVIOR_BINARY_PROTOCOL)"},
    {Feature::kMetaGet, "meta-get", "mg: every flag, hits and misses"},
    {Feature::kMetaSet, "meta-set", "ms: every flag and mode, data-block errors"},
    {Feature::kMetaDelete, "meta-delete", "md: delete, cas compare, invalidate, remove value"},
    {Feature::kMetaArith, "meta-arith", "ma: modes, initial values, deltas, wrap"},
    {Feature::kMetaQuiet, "meta-quiet", "q: which replies quiet mode hides and which it never hides"},
    {Feature::kMetaStale, "meta-stale", "leases and stale-while-revalidate: N, R, W, X, Z, I"},
    {Feature::kMetaBase64, "meta-base64", "b: base64 keys in requests and replies"},
    {Feature::kMetaNoop, "meta-noop", "mn, and pipelines mixing meta and classic commands"},
    {Feature::kMetaDebug, "meta-debug", "me: the debug line of an item"},
    {Feature::kHostile, "hostile",
     "trickling, flooding, never-reading, random-byte and resetting clients (--allow-hostile for --target)"},
    {Feature::kBinaryGet, "binary-get", "binary get, getq, getk, getkq, touch, gat, gatq: hits, misses, flags, cas"},
    {Feature::kBinaryStore, "binary-store",
     "binary set, add, replace, append, prepend, their quiet forms, cas compare and cas shared with text"},
    {Feature::kBinaryDelete, "binary-delete", "binary delete and deleteq, with and without a cas"},
    {Feature::kBinaryArith, "binary-arith", "binary increment and decrement: initial values, expiry, wrap, errors"},
    {Feature::kBinaryAdmin, "binary-admin", "binary noop, version, flush, stat, verbosity, quit and quitq"},
    {Feature::kBinaryErrors, "binary-errors",
     "binary bad magic, unknown opcodes, lengths that do not match the opcode, keys and values too large"},
    {Feature::kBinaryFraming, "binary-framing",
     "binary pipelines in one write, packets split at every byte, a body still arriving"},
    {Feature::kConcurrency, "concurrency",
     "8 connections racing on a few keys; the history must be linearizable (uniques never reused)"},
};

std::map<std::string, TestTags, std::less<>>& registry() {
  static std::map<std::string, TestTags, std::less<>> tags;
  return tags;
}

// "Instantiation/Suite" to the feature its cases report under.
std::map<std::string, Feature, std::less<>>& instantiation_features() {
  static std::map<std::string, Feature, std::less<>> features;
  return features;
}

std::string_view strip_parameter_parts(std::string_view text, bool suite) {
  // Suites read "Prefix/Suite", names read "Name/3".
  const auto slash = suite ? text.rfind('/') : text.find('/');
  if (slash == std::string_view::npos) return text;
  return suite ? text.substr(slash + 1) : text.substr(0, slash);
}

}  // namespace

std::string_view feature_name(Feature feature) {
  for (const auto& info : kFeatureInfo) {
    if (info.feature == feature) return info.name;
  }
  return "unknown";
}

std::string_view feature_description(Feature feature) {
  for (const auto& info : kFeatureInfo) {
    if (info.feature == feature) return info.description;
  }
  return "";
}

std::optional<Feature> feature_from_name(std::string_view name) {
  for (const auto& info : kFeatureInfo) {
    if (info.name == name) return info.feature;
  }
  return std::nullopt;
}

std::vector<Feature> feature_group(std::string_view name) {
  std::vector<Feature> out;
  if (name == "meta" || name == "binary") {
    const std::string prefix = std::string(name) + "-";
    for (const auto& info : kFeatureInfo) {
      if (info.name.starts_with(prefix)) out.push_back(info.feature);
    }
  } else if (auto feature = feature_from_name(name)) {
    out.push_back(*feature);
  }
  return out;
}

std::string_view level_name(Level level) { return level == Level::kSpec ? "spec" : "compat"; }

bool register_test_tags(std::string_view suite, std::string_view name, TestTags tags) {
  registry()[std::string(suite) + "." + std::string(name)] = tags;
  return true;
}

std::string case_id(std::string_view suite, std::string_view name) {
  return std::string(strip_parameter_parts(suite, true)) + "." + std::string(strip_parameter_parts(name, false));
}

bool register_instantiation_feature(std::string_view instantiation, std::string_view suite, Feature feature) {
  instantiation_features()[std::string(instantiation) + "/" + std::string(suite)] = feature;
  return true;
}

std::optional<TestTags> find_test_tags(std::string_view suite, std::string_view name) {
  auto it = registry().find(case_id(suite, name));
  if (it == registry().end()) return std::nullopt;
  TestTags tags = it->second;
  if (auto moved = instantiation_features().find(suite); moved != instantiation_features().end()) {
    tags.feature = moved->second;
  }
  return tags;
}

}  // namespace mcconform
