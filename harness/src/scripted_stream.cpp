// A ByteStream that plays a script of reply chunks, timeouts, EOF and reset: no sockets, no sleeps.
#include "mcconform/scripted_stream.hpp"

#include <algorithm>

namespace mcconform {

ScriptedStream& ScriptedStream::bytes(std::string_view chunk) {
  script_.push_back({Step::kBytes, std::string(chunk)});
  return *this;
}

ScriptedStream& ScriptedStream::bytes_in_pieces(std::string_view reply, std::size_t piece) {
  piece = std::max<std::size_t>(piece, 1);
  for (std::size_t at = 0; at < reply.size(); at += piece) bytes(reply.substr(at, piece));
  return *this;
}

ScriptedStream& ScriptedStream::timeout() {
  script_.push_back({Step::kTimeout, {}});
  return *this;
}

ScriptedStream& ScriptedStream::eof() {
  script_.push_back({Step::kEof, {}});
  return *this;
}

ScriptedStream& ScriptedStream::reset_by_peer() {
  script_.push_back({Step::kReset, {}});
  return *this;
}

ScriptedStream& ScriptedStream::accept_at_most(std::size_t n) {
  send_budget_ = n;
  return *this;
}

ByteStream::Sent ScriptedStream::send(std::string_view bytes, Deadline) {
  Sent sent;
  if (closed_ || reset_by_client_) {
    sent.error = "Bad file descriptor";
    return sent;
  }
  if (peer_reset_) {
    sent.error = "Connection reset by peer";
    return sent;
  }
  sent.count = std::min(bytes.size(), send_budget_);
  send_budget_ -= sent.count;
  sent_.append(bytes.substr(0, sent.count));
  sent.timed_out = sent.count < bytes.size();
  return sent;
}

ByteStream::Received ScriptedStream::receive(std::string& into, Deadline) {
  ++receive_calls_;
  if (peer_closed_ || closed_ || reset_by_client_) return Received::kEof;
  if (next_ == script_.size()) return Received::kTimeout;
  const Entry& entry = script_[next_++];
  switch (entry.step) {
    case Step::kBytes:
      into += entry.bytes;
      delivered_ += entry.bytes;
      return Received::kBytes;
    case Step::kTimeout: return Received::kTimeout;
    case Step::kReset: peer_reset_ = true; [[fallthrough]];
    case Step::kEof: peer_closed_ = true; return Received::kEof;
  }
  return Received::kTimeout;
}

}  // namespace mcconform
