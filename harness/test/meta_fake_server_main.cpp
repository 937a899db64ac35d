// A memcached that gets the meta protocol wrong in one realistic way per mode: a proxy in front of
// a real memcached (reached by a unix socket) that forwards each command on its own, followed by
// an mn of its own to find the end of the reply, and then spoils the reply (or the request).
//   passthrough         nothing spoiled: the meta suites must pass
//   miss-nf             mg answers a miss with NF instead of EN
//   no-opaque           the O(opaque) token is never echoed
//   quiet-hides-errors  quiet mode (q) suppresses every reply but a value, errors and NS/EX/NF too
//   flag-order          return flags come in the server's own (sorted) order, not the request's
//   base64-raw          the b flag is ignored: base64 keys are used as they are, never decoded
// Usage: MODE BACKEND_UNIX_SOCKET; it picks a port and prints it.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fake_listener.hpp"

namespace {

enum class Mode { kPassthrough, kMissNf, kNoOpaque, kQuietHidesErrors, kFlagOrder, kBase64Raw };

std::optional<Mode> parse_mode(std::string_view name) {
  if (name == "passthrough") return Mode::kPassthrough;
  if (name == "miss-nf") return Mode::kMissNf;
  if (name == "no-opaque") return Mode::kNoOpaque;
  if (name == "quiet-hides-errors") return Mode::kQuietHidesErrors;
  if (name == "flag-order") return Mode::kFlagOrder;
  if (name == "base64-raw") return Mode::kBase64Raw;
  return std::nullopt;
}

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The line without its CR LF (or bare LF).
std::string_view strip_eol(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// A non-negative decimal as memcached's strtol reads it (an optional '+'), or nullopt.
std::optional<std::size_t> parse_length(std::string_view word) {
  if (!word.empty() && word.front() == '+') word.remove_prefix(1);
  if (word.empty() || word.size() > 12) return std::nullopt;
  std::size_t n = 0;
  for (char c : word) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

bool is_meta(std::string_view command) {
  return command == "mg" || command == "ms" || command == "md" || command == "ma" || command == "me";
}

bool is_meta_status(std::string_view code) {
  return code == "HD" || code == "VA" || code == "EN" || code == "NF" || code == "NS" || code == "EX";
}

class Link {
 public:
  explicit Link(int fd) : fd_(fd) {}
  ~Link() { close(fd_); }
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  bool send_all(std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  bool fill() {
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  std::optional<std::string> line() {
    std::size_t eol;
    while ((eol = buffer_.find('\n')) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    std::string out = buffer_.substr(0, eol + 1);
    buffer_.erase(0, eol + 1);
    return out;
  }
  std::optional<std::string> exact(std::size_t n) {
    while (buffer_.size() < n) {
      if (!fill()) return std::nullopt;
    }
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
  }
  std::string& buffer() { return buffer_; }

 private:
  int fd_;
  std::string buffer_;
};

// One reply unit from the backend: a line, plus its data block for VA and VALUE lines.
struct ReplyUnit {
  std::string line;
  std::string data;
};

// Spoils the request before it is forwarded (base64-raw drops the b flag).
std::string spoil_request(Mode mode, const std::string& line, const std::vector<std::string>& words) {
  if (mode != Mode::kBase64Raw || words.empty() || !is_meta(words[0])) return line;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i >= 2 && words[i] == "b") continue;
    kept.push_back(words[i]);
  }
  return join_words(kept) + "\r\n";
}

// Spoils one status line of a meta reply.
std::string spoil_status(Mode mode, const std::string& command, const std::string& line) {
  auto words = split_words(strip_eol(line));
  if (words.empty() || !is_meta_status(words[0])) return line;
  const std::size_t first_flag = words[0] == "VA" ? 2 : 1;
  switch (mode) {
    case Mode::kMissNf:
      if (command == "mg" && words[0] == "EN") words[0] = "NF";
      break;
    case Mode::kNoOpaque:
      words.erase(std::remove_if(words.begin() + static_cast<long>(std::min(first_flag, words.size())), words.end(),
                                 [](const std::string& w) { return w.front() == 'O'; }),
                  words.end());
      break;
    case Mode::kFlagOrder:
      if (words.size() > first_flag) std::sort(words.begin() + static_cast<long>(first_flag), words.end());
      break;
    default: break;
  }
  return join_words(words) + "\r\n";
}

void serve(Mode mode, int client_fd, const std::string& backend_path) {
  Link client(client_fd);
  const int backend_fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, backend_path.c_str(), sizeof(address.sun_path) - 1);
  if (connect(backend_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(backend_fd);
    return;
  }
  Link backend(backend_fd);
  while (true) {
    // Frame one command: its line and, for storage commands, the data block that follows.
    const auto line = client.line();
    if (!line) return;
    const auto words = split_words(strip_eol(*line));
    const std::string command = words.empty() ? std::string() : words[0];
    std::optional<std::size_t> data_length;
    if (command == "ms" && words.size() > 2) data_length = parse_length(words[2]);
    const bool classic_storage = command == "set" || command == "add" || command == "replace" || command == "append" ||
                                 command == "prepend" || command == "cas";
    if (classic_storage && words.size() > 4) data_length = parse_length(words[4]);
    std::string data;
    if (data_length) {
      const auto block = client.exact(*data_length + 2);
      if (!block) return;
      data = *block;
    }
    if (!backend.send_all(spoil_request(mode, *line, words) + data + "mn\r\n")) return;
    // Collect the reply up to our own MN (an mn of the client's answers one MN more).
    std::vector<ReplyUnit> units;
    int mn_left = command == "mn" ? 2 : 1;
    while (mn_left > 0) {
      const auto reply = backend.line();
      if (!reply) {
        for (const auto& u : units) client.send_all(u.line + u.data);
        return;
      }
      if (*reply == "MN\r\n" && --mn_left == 0) break;
      ReplyUnit unit{*reply, {}};
      const auto reply_words = split_words(strip_eol(*reply));
      std::optional<std::size_t> length;
      if (reply_words.size() >= 2 && reply_words[0] == "VA") length = parse_length(reply_words[1]);
      if (reply_words.size() >= 4 && reply_words[0] == "VALUE") length = parse_length(reply_words[3]);
      if (length) {
        const auto block = backend.exact(*length + 2);
        if (!block) return;
        unit.data = *block;
      }
      units.push_back(std::move(unit));
    }
    const bool quiet = is_meta(command) && std::find(words.begin() + std::min<std::size_t>(2, words.size()),
                                                     words.end(), std::string("q")) != words.end();
    std::string out;
    for (const auto& unit : units) {
      if (mode == Mode::kQuietHidesErrors && quiet && !unit.line.starts_with("VA ")) continue;
      out += (is_meta(command) ? spoil_status(mode, command, unit.line) : unit.line) + unit.data;
    }
    if (!client.send_all(out)) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto mode = argc > 2 ? parse_mode(argv[1]) : std::nullopt;
  if (!mode) {
    std::fprintf(stderr, "usage: %s passthrough|miss-nf|no-opaque|quiet-hides-errors|flag-order|base64-raw SOCKET\n",
                 argv[0]);
    return 2;
  }
  const std::string backend_path = argv[2];
  const int fd = mcconform::testing_support::listen_and_announce();
  if (fd < 0) return 1;
  mcconform::testing_support::serve_forever(fd,
                                            [m = *mode, backend_path](int client) { serve(m, client, backend_path); });
}
