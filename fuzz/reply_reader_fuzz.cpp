// Fuzzes the harness's reply reading: a Connection over a ScriptedStream whose chunks, timeouts,
// EOF and reset come from the input, then reads, expects and sends in an order the input picks.
// Nothing may crash, hang or leak, and the connection may never lie about the bytes: every read
// returns exactly the next bytes the peer sent, and after a timeout no read waits again.
//
// Input: a script, one record per byte t until a record of kind 3 (or the end):
//   t % 4 == 0: a chunk of t / 4 bytes (0..63), taken from what follows
//   t % 4 == 1: a timeout here
//   t % 4 == 2: (t / 4) % 4: 0 EOF, 1 reset by the peer, 2 the peer accepts only t / 16 more bytes
//   t % 4 == 3: end of the script
// then operations, one byte each (with operands after it): see the switch below.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mcconform/connection.hpp"
#include "mcconform/scripted_stream.hpp"

namespace {

using namespace std::chrono_literals;
using mcconform::Connection;
using mcconform::ConnectionError;
using mcconform::DeadlineExpired;
using mcconform::ScriptedStream;
using mcconform::Transcript;

// The replies the harness expects most often, so that matches are reached without luck.
constexpr std::string_view kReplies[] = {"END\r\n",   "STORED\r\n",  "VALUE k 0 5\r\nhello\r\nEND\r\n",
                                         "ERROR\r\n", "DELETED\r\n", "NOT_FOUND\r\n",
                                         "HD\r\n",    "EN\r\n",      "VA 2 t-1\r\nhi\r\n"};
constexpr std::string_view kTerminators[] = {"\r\n", "END\r\n", "\n", " ", "\r\nEND\r\n"};
// Every state of the reader is a few operations and chunks away; longer inputs only cost time
// (each failed read formats a message of the buffer and throws, which ASan makes slow).
constexpr int kMaxOperations = 32;
constexpr std::size_t kMaxInput = 512;

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : bytes_(reinterpret_cast<const char*>(data), size) {}
  bool empty() const { return bytes_.empty(); }
  std::uint8_t byte() {
    if (bytes_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    return b;
  }
  std::string_view take(std::size_t n) {
    const std::string_view out = bytes_.substr(0, n);
    bytes_.remove_prefix(out.size());
    return out;
  }

 private:
  std::string_view bytes_;
};

[[noreturn]] void broken(const char* why) {
  std::fputs(why, stderr);
  std::fputs("\n", stderr);
  std::abort();
}

void check(bool ok, const char* why) {
  if (!ok) broken(why);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, std::min(size, kMaxInput));
  auto owned = std::make_unique<ScriptedStream>();
  ScriptedStream* script = owned.get();  // owned by the connection until it aborts
  for (bool more = true; more && !in.empty();) {
    const std::uint8_t t = in.byte();
    switch (t % 4) {
      case 0: script->bytes(in.take(t / 4)); break;
      case 1: script->timeout(); break;
      case 2:
        if ((t / 4) % 4 == 0) script->eof();
        if ((t / 4) % 4 == 1) script->reset_by_peer();
        if ((t / 4) % 4 == 2) script->accept_at_most(t / 16);
        break;
      default: more = false;
    }
  }

  Transcript transcript([] { return 0.0; });
  Connection conn(std::move(owned), 250ms, &transcript);
  // What the connection has handed out of script->delivered(); the rest is in its buffer.
  std::size_t pos = 0;
  std::size_t delivered = 0;
  for (int ops = 0; !in.empty() && ops < kMaxOperations; ++ops) {
    const bool was_timed_out = conn.timed_out();
    const std::size_t calls = script ? script->receive_calls() : 0;
    const std::uint8_t op = in.byte();
    // Reads that must fail at once, without waiting, when an earlier wait ran out.
    bool poisoned_read = false;
    std::string got;
    bool read_ok = false;
    try {
      switch (op % 10) {
        case 0: {
          const std::size_t n = in.byte();
          poisoned_read = true;
          got = conn.read_exact(n);
          read_ok = true;
          check(got.size() == n, "read_exact returned another size");
          break;
        }
        case 1: {
          const std::uint8_t pick = in.byte();
          const std::string terminator(pick % 8 < 5 ? kTerminators[pick % 8] : in.take((pick / 8) % 8 + 1));
          poisoned_read = true;
          got = conn.read_until(terminator);
          read_ok = true;
          if (!terminator.empty()) {
            check(got.find(terminator) == got.size() - terminator.size(), "read_until passed its terminator");
          }
          break;
        }
        case 2:
          got = conn.read_available(1ms);
          read_ok = true;
          break;
        case 3:
        case 4: {
          const std::uint8_t pick = in.byte();
          const std::string expected(op % 10 == 3 ? in.take(pick % 64) : kReplies[pick % std::size(kReplies)]);
          poisoned_read = true;
          const auto result = conn.expect(expected);
          if (result) {
            got = expected;
            read_ok = true;
          } else {
            check(!std::string_view(result.message()).empty(), "expect failed without a message");
            if (!was_timed_out) pos = script ? script->delivered().size() : delivered;
          }
          break;
        }
        case 5: {
          poisoned_read = true;
          const auto result = conn.expect_closed();
          check(!result || conn.peer_closed(), "expect_closed succeeded on an open connection");
          if (!was_timed_out) pos = script ? script->delivered().size() : delivered;
          break;
        }
        case 6: {
          const auto result = conn.expect_sentinel();
          if (result) {
            got = "END\r\n";
            read_ok = true;
          } else {
            pos = script ? script->delivered().size() : delivered;
          }
          break;
        }
        case 7: conn.send(in.take(in.byte() % 32)); break;
        case 8: {
          const std::string bytes(in.take(in.byte() % 32));
          std::vector<std::size_t> cuts;
          for (std::uint8_t n = in.byte() % 4; n > 0; --n) cuts.push_back(in.byte() % 32);
          if (op % 20 == 8) {
            conn.send_split(bytes, cuts);
          } else {
            conn.send_byte_by_byte(bytes);
          }
          break;
        }
        default:
          if (op % 20 == 19 && script != nullptr) {
            delivered = script->delivered().size();
            script = nullptr;
            conn.abort();
          }
      }
    } catch (const DeadlineExpired&) {
      check(conn.timed_out(), "a deadline expired but the connection is not marked out of step");
    } catch (const ConnectionError&) {
    }
    if (was_timed_out) check(conn.timed_out(), "a timed-out connection came back in step");
    const std::size_t now_delivered = script ? script->delivered().size() : delivered;
    if (read_ok) {
      const std::string_view all = script ? std::string_view(script->delivered()) : std::string_view();
      if (script) check(all.substr(pos, got.size()) == got, "a read returned bytes the peer did not send there");
      pos += got.size();
      if (op % 10 == 2) check(pos == now_delivered, "read_available left bytes behind");
    }
    check(pos <= now_delivered, "the connection handed out more than it received");
    check(conn.bytes_received() == now_delivered, "bytes_received disagrees with the stream");
    if (was_timed_out && poisoned_read && script != nullptr) {
      check(!read_ok, "a read succeeded after a timeout");
      check(script->receive_calls() == calls, "a read waited again after a timeout");
    }
  }
  std::size_t recorded = 0;
  for (const auto& entry : transcript.entries()) {
    if (entry.direction == Transcript::Direction::kReceived) recorded += entry.bytes.size();
  }
  check(recorded == conn.bytes_received(), "the transcript disagrees with bytes_received");
  return 0;
}
