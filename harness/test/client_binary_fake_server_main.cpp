// A memcached that gets the binary protocol wrong in one realistic way per mode: a proxy in front
// of a real memcached (reached by a unix socket) that relays text connections untouched and, on a
// connection whose first byte is the binary request magic, spoils packets on their way.
//   passthrough     nothing spoiled: the client-binary feature must pass
//   text-codes      the text protocol's answer in binary clothes: add of a present key and replace
//                   or cas of a missing one answer 0x0005 (not stored) instead of 0x0002 / 0x0001
//   no-cas          every response carries cas 0
//   flags-lost      get responses carry flags 0
//   quiet-answered  quiet requests (setq, getkq, ...) are answered as their loud forms are
//   signed-exptime  an exptime with the top bit set is read as negative: the item expires at once
//   short-value     get responses lose the last byte of their value
//   no-touch        touch and gat answer 0x0081 (unknown command), as servers without them do
//   miss-as-hit     a get (getk) of a missing key answers an empty value
//   empty-is-miss   an empty value is answered as a miss
//   delete-always-ok  delete of a missing key answers success
//   counter-little-endian  incr and decr return their new value in host (little-endian) byte order
//   incr-saturates  an incr that wraps to 0 answers 2^64-1 instead
//   version-garbled the version response holds no version number
//   stats-empty     stat answers only its closing empty packet, no statistic
//   flush-delayed   flush is forwarded with a delay of an hour: it answers success and removes nothing
//   relative-as-absolute  an exptime of 30 days or less is taken as a unix time: the item is gone at once
// Usage: MODE BACKEND_UNIX_SOCKET; it picks a port and prints it.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "fake_listener.hpp"

namespace {

enum class Mode {
  kPassthrough,
  kTextCodes,
  kNoCas,
  kFlagsLost,
  kQuietAnswered,
  kSignedExptime,
  kShortValue,
  kNoTouch,
  kMissAsHit,
  kEmptyIsMiss,
  kDeleteAlwaysOk,
  kCounterLittleEndian,
  kIncrSaturates,
  kVersionGarbled,
  kStatsEmpty,
  kFlushDelayed,
  kRelativeAsAbsolute,
};

std::optional<Mode> parse_mode(std::string_view name) {
  if (name == "passthrough") return Mode::kPassthrough;
  if (name == "text-codes") return Mode::kTextCodes;
  if (name == "no-cas") return Mode::kNoCas;
  if (name == "flags-lost") return Mode::kFlagsLost;
  if (name == "quiet-answered") return Mode::kQuietAnswered;
  if (name == "signed-exptime") return Mode::kSignedExptime;
  if (name == "short-value") return Mode::kShortValue;
  if (name == "no-touch") return Mode::kNoTouch;
  if (name == "miss-as-hit") return Mode::kMissAsHit;
  if (name == "empty-is-miss") return Mode::kEmptyIsMiss;
  if (name == "delete-always-ok") return Mode::kDeleteAlwaysOk;
  if (name == "counter-little-endian") return Mode::kCounterLittleEndian;
  if (name == "incr-saturates") return Mode::kIncrSaturates;
  if (name == "version-garbled") return Mode::kVersionGarbled;
  if (name == "stats-empty") return Mode::kStatsEmpty;
  if (name == "flush-delayed") return Mode::kFlushDelayed;
  if (name == "relative-as-absolute") return Mode::kRelativeAsAbsolute;
  return std::nullopt;
}

// The opcodes the modes look at (memcached's protocol_binary.h).
enum Opcode : std::uint8_t {
  kGet = 0x00,
  kSet = 0x01,
  kAdd = 0x02,
  kReplace = 0x03,
  kDelete = 0x04,
  kIncrement = 0x05,
  kDecrement = 0x06,
  kFlush = 0x08,
  kGetQ = 0x09,
  kVersion = 0x0b,
  kGetK = 0x0c,
  kGetKQ = 0x0d,
  kStat = 0x10,
  kSetQ = 0x11,
  kAddQ = 0x12,
  kReplaceQ = 0x13,
  kDeleteQ = 0x14,
  kFlushQ = 0x18,
  kTouch = 0x1c,
  kGat = 0x1d,
  kGatQ = 0x1e,
  kGatK = 0x23,
  kGatKQ = 0x24,
};
constexpr std::size_t kHeader = 24;

std::uint32_t read32(const std::string& p, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(p[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(p[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(p[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(p[at + 3])};
}
void write32(std::string& p, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}
std::uint8_t opcode(const std::string& p) { return static_cast<std::uint8_t>(p[1]); }
std::uint16_t status(const std::string& p) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(p[6]) << 8) | static_cast<unsigned char>(p[7]));
}
void set_status(std::string& p, std::uint16_t s) {
  p[6] = static_cast<char>(s >> 8);
  p[7] = static_cast<char>(s & 0xff);
}
std::size_t extras_length(const std::string& p) { return static_cast<unsigned char>(p[4]); }
std::size_t key_length(const std::string& p) {
  return (static_cast<std::size_t>(static_cast<unsigned char>(p[2])) << 8) | static_cast<unsigned char>(p[3]);
}
bool is_get(std::uint8_t op) {
  return op == kGet || op == kGetQ || op == kGetK || op == kGetKQ || op == kGat || op == kGatQ || op == kGatK ||
         op == kGatKQ;
}

// Spoils one request packet on its way to memcached.
void spoil_request(Mode mode, std::string& packet) {
  const std::uint8_t op = opcode(packet);
  if (mode == Mode::kQuietAnswered) {
    // setq..prependq (0x11-0x1a) and getq/getkq answer like set..prepend and get/getk.
    if (op >= 0x11 && op <= 0x1a) {
      static constexpr std::uint8_t kLoud[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f};
      packet[1] = static_cast<char>(kLoud[op - 0x11]);
    } else if (op == kGetQ || op == kGetKQ) {
      packet[1] = static_cast<char>(op == kGetQ ? kGet : kGetK);
    }
  }
  if (mode == Mode::kSignedExptime) {
    const bool storage = op == kSet || op == kAdd || op == kReplace || op == kSetQ || op == kAddQ || op == kReplaceQ;
    const std::size_t at = storage && extras_length(packet) == 8 ? kHeader + 4 : 0;
    // A negative time: memcached expires it at once when given an absolute time long past.
    if (at != 0 && read32(packet, at) >= 0x80000000u) write32(packet, at, 2678401);
  }
  if (mode == Mode::kRelativeAsAbsolute) {
    const bool storage = op == kSet || op == kAdd || op == kReplace || op == kSetQ || op == kAddQ || op == kReplaceQ;
    if (storage && extras_length(packet) == 8) {
      const std::uint32_t exptime = read32(packet, kHeader + 4);
      if (exptime > 0 && exptime <= 2592000) write32(packet, kHeader + 4, 2678401);
    }
  }
  if (mode == Mode::kFlushDelayed && (op == kFlush || op == kFlushQ) && extras_length(packet) == 4) {
    write32(packet, kHeader, 3600);
  }
}

// Replaces everything after the extras and key with `value`, keeping the header's lengths right.
void set_value(std::string& packet, std::string_view value) {
  packet.resize(kHeader + extras_length(packet) + key_length(packet));
  packet += value;
  write32(packet, 8, static_cast<std::uint32_t>(packet.size() - kHeader));
}

// The response to a get, rebuilt: `status`, flags 0 (extras) when `with_flags`, the key it held, no value.
void rebuild_get(std::string& packet, std::uint16_t new_status, bool with_flags) {
  const std::string key = packet.substr(kHeader + extras_length(packet), key_length(packet));
  set_status(packet, new_status);
  packet.resize(kHeader);
  packet[4] = with_flags ? 4 : 0;
  if (with_flags) packet += std::string(4, '\0');
  packet += key;
  write32(packet, 8, static_cast<std::uint32_t>(packet.size() - kHeader));
}

// Spoils one response packet on its way to the client (an emptied packet is dropped).
void spoil_response(Mode mode, std::string& packet) {
  const std::uint8_t op = opcode(packet);
  const std::uint16_t s = status(packet);
  switch (mode) {
    case Mode::kTextCodes:
      if (((op == kAdd || op == kAddQ) && s == 0x0002) ||
          ((op == kReplace || op == kReplaceQ || op == kSet || op == kSetQ) && s == 0x0001)) {
        set_status(packet, 0x0005);
      }
      break;
    case Mode::kNoCas: std::memset(packet.data() + 16, 0, 8); break;
    case Mode::kFlagsLost:
      if (is_get(op) && s == 0 && extras_length(packet) == 4) std::memset(packet.data() + kHeader, 0, 4);
      break;
    case Mode::kShortValue:
      if (is_get(op) && s == 0 && packet.size() > kHeader + extras_length(packet) + key_length(packet)) {
        packet.pop_back();
        write32(packet, 8, static_cast<std::uint32_t>(packet.size() - kHeader));
      }
      break;
    case Mode::kNoTouch:
      if (op == kTouch || (op >= kGat && op <= kGatQ) || op == kGatK || op == kGatKQ) {
        set_status(packet, 0x0081);
        packet.resize(kHeader);
        packet[4] = 0;
        packet[2] = packet[3] = 0;
        write32(packet, 8, 0);
        std::memset(packet.data() + 16, 0, 8);
      }
      break;
    case Mode::kMissAsHit:
      if ((op == kGet || op == kGetK) && s == 0x0001) rebuild_get(packet, 0, true);
      break;
    case Mode::kEmptyIsMiss:
      if (is_get(op) && s == 0 && packet.size() == kHeader + extras_length(packet) + key_length(packet)) {
        rebuild_get(packet, 0x0001, false);
      }
      break;
    case Mode::kDeleteAlwaysOk:
      if ((op == kDelete || op == kDeleteQ) && s == 0x0001) {
        set_status(packet, 0);
        set_value(packet, "");
      }
      break;
    case Mode::kCounterLittleEndian:
      if ((op == kIncrement || op == kDecrement) && s == 0 && packet.size() == kHeader + 8) {
        std::reverse(packet.begin() + kHeader, packet.end());
      }
      break;
    case Mode::kIncrSaturates:
      if (op == kIncrement && s == 0 && packet.size() == kHeader + 8 &&
          packet.substr(kHeader) == std::string(8, '\0')) {
        set_value(packet, std::string(8, '\xff'));
      }
      break;
    case Mode::kVersionGarbled:
      if (op == kVersion && s == 0) set_value(packet, "unknown");
      break;
    case Mode::kStatsEmpty:
      if (op == kStat && key_length(packet) > 0) packet.clear();
      break;
    default: break;
  }
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Relays packets from `from` to `to`, spoiling each whole one; `buffer` holds bytes already read.
void relay_packets(int from, int to, std::string buffer, void (*spoil)(Mode, std::string&), Mode mode) {
  char chunk[65536];
  while (true) {
    while (buffer.size() >= kHeader && buffer.size() >= kHeader + read32(buffer, 8)) {
      std::string packet = buffer.substr(0, kHeader + read32(buffer, 8));
      buffer.erase(0, packet.size());
      spoil(mode, packet);
      if (!packet.empty() && !send_all(to, packet)) return;
    }
    const ssize_t n = ::recv(from, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  ::shutdown(to, SHUT_WR);
}

// Text: bytes both ways, untouched.
void relay_bytes(int from, int to, std::string first) {
  if (!send_all(to, first)) return;
  char chunk[65536];
  ssize_t n;
  while ((n = ::recv(from, chunk, sizeof(chunk), 0)) > 0) {
    if (!send_all(to, std::string_view(chunk, static_cast<std::size_t>(n)))) break;
  }
  ::shutdown(to, SHUT_WR);
}

void serve(Mode mode, int client, const std::string& backend_path) {
  const int backend = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, backend_path.c_str(), sizeof(address.sun_path) - 1);
  char first[65536];
  const ssize_t n = connect(backend, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0
                        ? ::recv(client, first, sizeof(first), 0)
                        : -1;
  if (n > 0) {
    const std::string head(first, static_cast<std::size_t>(n));
    const bool binary = static_cast<unsigned char>(head[0]) == 0x80;
    std::thread replies([&] {
      if (binary) {
        relay_packets(backend, client, {}, spoil_response, mode);
      } else {
        relay_bytes(backend, client, {});
      }
    });
    if (binary) {
      relay_packets(client, backend, head, spoil_request, mode);
    } else {
      relay_bytes(client, backend, head);
    }
    replies.join();
  }
  close(backend);
  close(client);
}

}  // namespace

int main(int argc, char** argv) {
  const auto mode = argc > 2 ? parse_mode(argv[1]) : std::nullopt;
  if (!mode) {
    std::fprintf(stderr,
                 "usage: %s MODE SOCKET (passthrough, text-codes, no-cas, flags-lost, quiet-answered, signed-exptime, "
                 "short-value, no-touch, miss-as-hit, empty-is-miss, delete-always-ok, counter-little-endian, "
                 "incr-saturates, version-garbled, stats-empty, flush-delayed, relative-as-absolute)\n",
                 argv[0]);
    return 2;
  }
  const std::string backend_path = argv[2];
  const int fd = mcconform::testing_support::listen_and_announce();
  if (fd < 0) return 1;
  mcconform::testing_support::serve_forever(fd,
                                            [m = *mode, backend_path](int client) { serve(m, client, backend_path); });
}
