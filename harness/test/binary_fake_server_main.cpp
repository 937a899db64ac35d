// A memcached that gets the binary protocol wrong in one realistic way per mode: a proxy in front
// of a real memcached (reached by a unix socket) that passes requests on as they come and spoils
// the response packets (text connections pass untouched).
//   passthrough    nothing spoiled: the binary suites must pass
//   no-opaque      responses carry opaque 0
//   zero-cas       responses carry cas 0
//   wrong-status   every error status is another one (not found <-> exists, the rest: not found)
//   quiet-answers  quiet requests are sent on as their loud forms: every quiet command answers
//   loud-opcode    the response to a quiet request carries the loud opcode (getq answered as get)
//   no-key-echo    getk, getkq, gatk, gatkq responses leave the key out
//   lost-flags     the flags in get extras are 0
//   host-order     increment/decrement values in little-endian
//   short-value    values lose their last byte
//   no-error-text  error responses carry no text
//   no-close       the connection stays open after the server has closed its side
// Usage: MODE BACKEND_UNIX_SOCKET; it picks a port and prints it.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "fake_listener.hpp"

namespace {

enum class Mode {
  kPassthrough,
  kNoOpaque,
  kZeroCas,
  kWrongStatus,
  kQuietAnswers,
  kLoudOpcode,
  kNoKeyEcho,
  kLostFlags,
  kHostOrder,
  kShortValue,
  kNoErrorText,
  kNoClose,
};

constexpr std::pair<std::string_view, Mode> kModes[] = {
    {"passthrough", Mode::kPassthrough},  {"no-opaque", Mode::kNoOpaque},         {"zero-cas", Mode::kZeroCas},
    {"wrong-status", Mode::kWrongStatus}, {"quiet-answers", Mode::kQuietAnswers}, {"loud-opcode", Mode::kLoudOpcode},
    {"no-key-echo", Mode::kNoKeyEcho},    {"lost-flags", Mode::kLostFlags},       {"host-order", Mode::kHostOrder},
    {"short-value", Mode::kShortValue},   {"no-error-text", Mode::kNoErrorText},  {"no-close", Mode::kNoClose},
};

// The loud form of a quiet opcode; the opcode itself when it is not quiet.
std::uint8_t loud(std::uint8_t opcode) {
  switch (opcode) {
    case 0x09: return 0x00;
    case 0x0d: return 0x0c;
    case 0x11: return 0x01;
    case 0x12: return 0x02;
    case 0x13: return 0x03;
    case 0x14: return 0x04;
    case 0x15: return 0x05;
    case 0x16: return 0x06;
    case 0x17: return 0x07;
    case 0x18: return 0x08;
    case 0x19: return 0x0e;
    case 0x1a: return 0x0f;
    case 0x1e: return 0x1d;
    case 0x24: return 0x23;
    default: return opcode;
  }
}

std::uint64_t get_be(const std::string& b, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

void put_be(std::string& b, std::size_t at, std::size_t width, std::uint64_t v) {
  for (std::size_t i = 0; i < width; ++i) b[at + width - 1 - i] = static_cast<char>((v >> (8 * i)) & 0xffU);
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads exactly n bytes (false on EOF or error).
bool read_exact(int fd, std::string& out, std::size_t n) {
  out.resize(n);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::recv(fd, out.data() + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

struct Shared {
  std::mutex mutex;
  std::deque<std::uint8_t> requested;  // quiet-answers: the opcodes the client sent, oldest first
};

// Client to backend: bytes pass on as they arrive. The packet framing is followed (by body length)
// only to rewrite quiet opcodes in quiet-answers mode; on a byte that is no request magic it stops.
void forward_requests(Mode mode, int client, int backend, Shared& shared) {
  std::size_t position = 0;  // in the current packet
  std::uint64_t packet_end = 24;
  bool framing = true;
  std::string header;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::recv(client, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n && framing; ++i) {
      if (position == 0 && static_cast<unsigned char>(buffer[i]) != 0x80) framing = false;
      if (position < 24) header += buffer[i];
      if (position == 1) {
        std::lock_guard lock(shared.mutex);
        shared.requested.push_back(static_cast<std::uint8_t>(buffer[i]));
        if (mode == Mode::kQuietAnswers) buffer[i] = static_cast<char>(loud(static_cast<std::uint8_t>(buffer[i])));
      }
      if (position == 23) packet_end = 24 + get_be(header, 8, 4);
      if (++position == packet_end) {
        position = 0;
        packet_end = 24;
        header.clear();
      }
    }
    if (!send_all(backend, std::string_view(buffer, static_cast<std::size_t>(n)))) break;
  }
  ::shutdown(backend, SHUT_WR);
}

// One response packet spoiled as the mode says.
std::string spoil(Mode mode, std::string packet, Shared& shared) {
  const std::uint8_t opcode = static_cast<std::uint8_t>(packet[1]);
  const std::uint16_t key_length = static_cast<std::uint16_t>(get_be(packet, 2, 2));
  const std::uint8_t extras_length = static_cast<std::uint8_t>(packet[4]);
  const std::uint16_t status = static_cast<std::uint16_t>(get_be(packet, 6, 2));
  const std::size_t value_at = 24 + extras_length + key_length;
  const bool value_bearing = (opcode == 0x00 || opcode == 0x09 || opcode == 0x0c || opcode == 0x0d || opcode == 0x1d ||
                              opcode == 0x1e || opcode == 0x23 || opcode == 0x24);
  const auto set_body_length = [&] { put_be(packet, 8, 4, packet.size() - 24); };
  switch (mode) {
    case Mode::kNoOpaque: put_be(packet, 12, 4, 0); break;
    case Mode::kZeroCas: put_be(packet, 16, 8, 0); break;
    case Mode::kWrongStatus:
      if (status != 0) put_be(packet, 6, 2, status == 1 ? 2 : 1);
      break;
    case Mode::kQuietAnswers: {
      std::lock_guard lock(shared.mutex);
      if (shared.requested.empty()) break;
      const bool more_stats = opcode == 0x10 && key_length > 0;
      packet[1] = static_cast<char>(shared.requested.front());
      if (!more_stats) shared.requested.pop_front();
      break;
    }
    case Mode::kLoudOpcode: packet[1] = static_cast<char>(loud(opcode)); break;
    case Mode::kNoKeyEcho:
      if (opcode == 0x0c || opcode == 0x0d || opcode == 0x23 || opcode == 0x24) {
        packet.erase(24 + extras_length, key_length);
        put_be(packet, 2, 2, 0);
        set_body_length();
      }
      break;
    case Mode::kLostFlags:
      if (extras_length == 4 && status == 0) put_be(packet, 24, 4, 0);
      break;
    case Mode::kHostOrder:
      if ((loud(opcode) == 0x05 || loud(opcode) == 0x06) && status == 0 && packet.size() == 32) {
        const std::uint64_t v = get_be(packet, 24, 8);
        for (std::size_t i = 0; i < 8; ++i) packet[24 + i] = static_cast<char>((v >> (8 * i)) & 0xffU);
      }
      break;
    case Mode::kShortValue:
      if (value_bearing && status == 0 && packet.size() > value_at) {
        packet.pop_back();
        set_body_length();
      }
      break;
    case Mode::kNoErrorText:
      if (status != 0 && packet.size() > value_at) {
        packet.resize(value_at);
        set_body_length();
      }
      break;
    default: break;
  }
  return packet;
}

// Backend to client: response packets, one at a time, spoiled; a text connection passes as it is.
void forward_responses(Mode mode, int backend, int client, Shared& shared) {
  std::string header, body;
  bool binary = true;
  while (true) {
    if (!binary) {
      char buffer[65536];
      const ssize_t n = ::recv(backend, buffer, sizeof(buffer), 0);
      if (n <= 0 || !send_all(client, std::string_view(buffer, static_cast<std::size_t>(n)))) break;
      continue;
    }
    char first = 0;
    if (::recv(backend, &first, 1, 0) != 1) break;
    if (static_cast<unsigned char>(first) != 0x81) {
      binary = false;
      if (!send_all(client, std::string_view(&first, 1))) break;
      continue;
    }
    if (!read_exact(backend, header, 23)) break;
    header.insert(header.begin(), first);
    if (!read_exact(backend, body, get_be(header, 8, 4))) break;
    if (!send_all(client, spoil(mode, header + body, shared))) break;
  }
  // The server has closed its side: so does the proxy, unless it is the kind that never does.
  if (mode != Mode::kNoClose) ::shutdown(client, SHUT_RDWR);
}

void serve(Mode mode, int client, const std::string& backend_path) {
  const int backend = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, backend_path.c_str(), sizeof(address.sun_path) - 1);
  if (connect(backend, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(backend);
    close(client);
    return;
  }
  Shared shared;
  std::thread requests(forward_requests, mode, client, backend, std::ref(shared));
  forward_responses(mode, backend, client, shared);
  requests.join();
  close(backend);
  close(client);
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Mode> mode;
  for (const auto& [name, m] : kModes) {
    if (argc > 2 && name == argv[1]) mode = m;
  }
  if (!mode) {
    std::fprintf(stderr, "usage: %s MODE SOCKET (modes: see the top of binary_fake_server_main.cpp)\n", argv[0]);
    return 2;
  }
  const std::string backend_path = argv[2];
  const int fd = mcconform::testing_support::listen_and_announce();
  if (fd < 0) return 1;
  mcconform::testing_support::serve_forever(fd,
                                            [m = *mode, backend_path](int client) { serve(m, client, backend_path); });
}
