// What each test checks (a protocol feature) and how strictly (spec or compat).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcconform/version.hpp"

namespace mcconform {

enum class Feature {
  kCore,     // set, get, gets, delete, cas, noreply
  kStorage,  // add, replace, append, prepend
  kArith,    // incr, decr
  kTouch,    // touch, gat, gats
  kExpiry,
  kFlush,
  kStats,  // stats, version, verbosity
  kErrors,
  kFraming,       // pipelining, split requests, line ends, connections
  kLimits,        // item size, memory, connection and idle limits
  kClient,        // libmemcached
  kClientBinary,  // libmemcached over the binary protocol
  // The meta protocol, split so that a server implementing part of it is reported precisely.
  kMetaGet,     // mg
  kMetaSet,     // ms
  kMetaDelete,  // md
  kMetaArith,   // ma
  kMetaQuiet,   // q: what is suppressed and what is not
  kMetaStale,   // leases and stale-while-revalidate: N, R, W, X, Z, I
  kMetaBase64,  // b: base64 keys in requests and replies
  kMetaNoop,    // mn
  kMetaDebug,   // me
  kHostile,     // broken and hostile clients: the server survives and keeps serving
  // The binary protocol (magic 0x80), split as the meta protocol is.
  kBinaryGet,      // get, getq, getk, getkq, touch, gat, gatq
  kBinaryStore,    // set, add, replace, append, prepend, their quiet forms, cas
  kBinaryDelete,   // delete, deleteq
  kBinaryArith,    // increment, decrement, their quiet forms
  kBinaryAdmin,    // noop, version, flush, stat, verbosity, quit
  kBinaryErrors,   // malformed headers, unknown opcodes, wrong lengths, limits
  kBinaryFraming,  // pipelines, packets split anywhere, a body still arriving

  // Several connections at once: the recorded history must be linearizable.
  kConcurrency,
};

inline constexpr std::array kAllFeatures = {
    Feature::kCore,          Feature::kStorage,     Feature::kArith,       Feature::kTouch,
    Feature::kExpiry,        Feature::kFlush,       Feature::kStats,       Feature::kErrors,
    Feature::kFraming,       Feature::kLimits,      Feature::kClient,      Feature::kClientBinary,
    Feature::kMetaGet,       Feature::kMetaSet,     Feature::kMetaDelete,  Feature::kMetaArith,
    Feature::kMetaQuiet,     Feature::kMetaStale,   Feature::kMetaBase64,  Feature::kMetaNoop,
    Feature::kMetaDebug,     Feature::kHostile,     Feature::kBinaryGet,   Feature::kBinaryStore,
    Feature::kBinaryDelete,  Feature::kBinaryArith, Feature::kBinaryAdmin, Feature::kBinaryErrors,
    Feature::kBinaryFraming, Feature::kConcurrency};

enum class Level {
  kSpec,    // protocol.txt requires it
  kCompat,  // what memcached 1.6 does where the spec is silent or memcached departs from it
};

std::string_view feature_name(Feature feature);
std::string_view feature_description(Feature feature);
std::optional<Feature> feature_from_name(std::string_view name);
// A name that stands for several features on the command line ("meta": every meta-* feature,
// "binary": every binary-* feature).
std::vector<Feature> feature_group(std::string_view name);
std::string_view level_name(Level level);

struct TestTags {
  Feature feature = Feature::kCore;
  Level level = Level::kSpec;
  // Flushes or fills the cache: runs against an external target only with --allow-flush.
  bool destructive = false;
  // The memcached releases whose behaviour the case encodes; a profile outside it does not run it.
  VersionRange versions{};
  // Where the expectation comes from: "protocol.txt: <section>" (the section of memcached's
  // doc/protocol.txt it checks, e.g. "protocol.txt: Storage commands (cas)") for a spec case;
  // "memcached behaviour" where the document is silent and memcached's own answer is the rule
  // (every compat case); for the binary protocol, "BinaryProtocolRevamped: <section>" (memcached's
  // wiki page that specifies it) or "protocol_binary.h" (the header that defines its codes);
  // "libmemcached behaviour" for client cases that check the library itself
  // (ketama placement, failover).
  std::string_view spec{};
  // What the case checks, one sentence: the requirement ("a cas whose unique no longer matches
  // answers EXISTS and stores nothing") or the memcached behaviour observed. --list-cases prints
  // it, the reports carry it, and the catalogue test fails while any case lacks it or `spec`.
  std::string_view checks{};
};

// Tags are registered next to each test by the MC_TEST macros and looked up by name.
bool register_test_tags(std::string_view suite, std::string_view name, TestTags tags);
// Accepts GoogleTest's full names for parameterised tests ("Prefix/Suite", "Name/3").
std::optional<TestTags> find_test_tags(std::string_view suite, std::string_view name);
// The id a test is registered under ("Suite.Name"): GoogleTest's names without the
// instantiation prefix and parameter suffix of a parameterised family.
std::string case_id(std::string_view suite, std::string_view name);
// One instantiation of a parameterised family reports under another feature than the family's
// tags say: "Binary/Client" (libmemcached's binary protocol) is client-binary where "Text/Client"
// is client. find_test_tags applies it, so the gate, the report and the catalogue all see it.
bool register_instantiation_feature(std::string_view instantiation, std::string_view suite, Feature feature);

}  // namespace mcconform
