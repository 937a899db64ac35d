// A ByteStream that plays a script of reply chunks, timeouts, EOF and reset: no sockets, no sleeps.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mcconform/byte_stream.hpp"

namespace mcconform {

// Each receive() plays the next step of the script, whatever its deadline: a chunk of bytes, a
// "timeout here" (the peer stayed silent past that deadline), EOF or reset. Past the end of the
// script the peer is silent for ever (every receive times out); past EOF or reset it stays closed.
// Sends are recorded; after a reset, or beyond `accept_at_most`, they fail as a socket's would.
class ScriptedStream final : public ByteStream {
 public:
  enum class Step { kBytes, kTimeout, kEof, kReset };

  ScriptedStream& bytes(std::string_view chunk);
  // The reply as chunks of at most `piece` bytes (1: one receive per byte).
  ScriptedStream& bytes_in_pieces(std::string_view reply, std::size_t piece);
  ScriptedStream& timeout();
  ScriptedStream& eof();
  ScriptedStream& reset_by_peer();
  // From now on the peer accepts only `n` more bytes; a send beyond them times out.
  ScriptedStream& accept_at_most(std::size_t n);

  Sent send(std::string_view bytes, Deadline deadline) override;
  Received receive(std::string& into, Deadline deadline) override;
  void close() override { closed_ = true; }
  void reset() override { reset_by_client_ = true; }

  // What the connection sent, in order.
  const std::string& sent() const { return sent_; }
  // Every byte the script has handed out so far.
  const std::string& delivered() const { return delivered_; }
  std::size_t receive_calls() const { return receive_calls_; }
  // Steps not played yet.
  std::size_t steps_left() const { return script_.size() - next_; }
  bool closed() const { return closed_; }
  bool reset_by_client() const { return reset_by_client_; }

 private:
  struct Entry {
    Step step;
    std::string bytes;
  };
  std::vector<Entry> script_;
  std::size_t next_ = 0;
  std::string sent_;
  std::string delivered_;
  std::size_t receive_calls_ = 0;
  std::size_t send_budget_ = static_cast<std::size_t>(-1);
  bool peer_reset_ = false;
  bool peer_closed_ = false;
  bool closed_ = false;
  bool reset_by_client_ = false;
};

}  // namespace mcconform
