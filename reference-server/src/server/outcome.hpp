// What executing a request produced, before any protocol turns it into bytes.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/engine.hpp"

namespace mcrefd::server {

// The outcomes of the classic commands, which the text and binary writers turn into bytes. Views
// are valid only while the writer is called.
struct Outcome {
  enum class Code : std::uint8_t {
    kStored,
    kNotStored,
    kExists,
    kNotFound,
    kDeleted,
    kTouched,
    kOk,
    kReset,
    kHit,               // one item of a retrieval: `item`
    kEnd,               // the end of a retrieval
    kNumber,            // incr/decr: `number`
    kText,              // one line: version
    kBlock,             // bytes as they are: a stats block
    kError,             // an error line: `text`
    kDiscardThenError,  // the unsent replies of the batch are dropped, then the error `text`
    kClosing,           // quit: text says nothing, binary acknowledges
  };
  // What kind of failure a kError is, for the binary writer, which answers by kind, not by text.
  enum class Fault : std::uint8_t { kNone, kTooLarge, kOutOfMemory, kNonNumeric };
  explicit Outcome(Code c = Code::kOk) : code(c) {}

  Code code;
  std::string_view text;
  const engine::ItemView* item = nullptr;
  bool with_cas = false;  // kHit: gets, gats
  std::uint64_t number = 0;
  std::uint64_t cas = 0;  // kStored, kNumber: the item's cas afterwards
  Fault fault = Fault::kNone;
};

// The meta protocol's outcome: a return code and what the requested flags report.
struct MetaOutcome {
  enum class Code : std::uint8_t { kHD, kVA, kEN, kNF, kNS, kEX, kMN, kText, kError };
  explicit MetaOutcome(Code c = Code::kHD) : code(c) {}

  Code code;
  std::string_view text;   // kText (a whole `me` line) and kError, without "\r\n"
  std::string_view value;  // kVA

  // Item facts for the flags that report them (mg, ms, ma), as they were when reported.
  bool has_item = false;
  std::string_view item_key;  // mg and ms echo the stored key; the others echo the request's
  bool item_key_binary = false;
  std::uint64_t cas = 0;
  std::uint32_t client_flags = 0;
  std::size_t size = 0;
  std::int64_t ttl = -1;  // what `t` reports where it stands in the request; -1: no expiry
  std::uint32_t last_access = 0;
  bool fetched = false;
  bool win = false, stale = false, token_sent = false;  // W X Z
  bool vivified = false;                                // ma created the item: `q` does not hide that
};

}  // namespace mcrefd::server
