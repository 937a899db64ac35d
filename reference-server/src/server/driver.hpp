// The one loop from request bytes to reply bytes (parse, execute, write), for sockets and tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/request.hpp"
#include "server/executor.hpp"
#include "server/output.hpp"

namespace mcrefd::server {

// One connection's request stream. It owns what lives between requests: the part of a refused
// data block still to be dropped, and the executor's per-connection session.
class Driver {
 public:
  // memcached answers at most this many requests before it sends what it has (its
  // reqs_per_event); the first batch of a read has one more, as memcached counts only the
  // requests that follow the first.
  static constexpr int kRequestsPerBatch = 20;

  struct Result {
    std::size_t consumed = 0;  // bytes of `input` used up
    bool need_more = false;    // an incomplete request waits at the end of `input`
    bool close = false;        // quit, or a request memcached hangs up on
    // A refused body is still being skipped: memcached sends nothing until it is, so the replies
    // after the last batch boundary wait (and are lost if the peer closes first).
    bool hold_uncommitted = false;
  };

  Driver(Executor& executor, const protocol::ParserLimits& limits) : executor_(&executor), limits_(limits) {}

  // Runs every complete request at the front of `input` while `out` holds less than
  // `output_limit` bytes, appending the replies to `out`.
  Result run(std::string_view input, Output& out, std::size_t output_limit = static_cast<std::size_t>(-1));

  Session& session() { return session_; }
  bool swallowing() const { return swallow_ > 0; }

 private:
  enum class Protocol : std::uint8_t { kUndecided, kText, kBinary };
  struct Step {
    bool need_more = false;
    bool close = false;
  };
  // Parses and runs the request at the start of `input` in the connection's protocol.
  Step run_text(std::string_view input, std::size_t& at, Output& out);
  Step run_binary(std::string_view input, std::size_t& at, Output& out);

  Executor* executor_;
  const protocol::ParserLimits& limits_;
  Protocol protocol_ = Protocol::kUndecided;
  std::size_t swallow_ = 0;
  Session session_;
};

}  // namespace mcrefd::server
