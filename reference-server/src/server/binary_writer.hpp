// Turns classic outcomes into binary-protocol response packets.
#pragma once

#include <string_view>

#include "protocol/binary_frame.hpp"
#include "protocol/binary_parser.hpp"
#include "server/outcome.hpp"
#include "server/output.hpp"

namespace mcrefd::server {

// Writes the replies of one binary request. Every packet echoes the request's opcode (quiet forms
// included) and opaque. It answers by outcome, with memcached 1.6.38's status codes and messages.
class BinaryWriter {
 public:
  BinaryWriter(const protocol::binary::Frame& frame, Output& out) : frame_(frame), out_(out) {}

  // Appends the packets for `outcome`, unless the quiet rules hide them. Returns true when
  // memcached sends its pending replies right after this one (its errors, and a get's miss).
  bool write(const Outcome& outcome);
  // An error packet with memcached's message for `status`, or `message` when given.
  void write_error(protocol::binary::Status status, std::string_view message = {});

 private:
  void packet(protocol::binary::Status status, std::uint8_t extras_length, std::string_view extras,
              std::string_view key, std::string_view value, std::uint64_t cas);
  void write_hit(const engine::ItemView& item);
  bool write_stat(const Outcome& outcome);
  bool write_failure(const Outcome& outcome);

  const protocol::binary::Frame& frame_;
  Output& out_;
  bool hit_ = false;  // a get found its item: the end of the retrieval writes no miss
};

}  // namespace mcrefd::server
