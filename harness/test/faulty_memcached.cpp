// A small in-process memcached with one injected concurrency fault (or none).
#include "faulty_memcached.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <stdexcept>

#include "fake_server.hpp"

namespace mcconform::testing_support {
namespace {

constexpr auto kStaleWindow = std::chrono::milliseconds(3);

std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < line.size()) {
    const std::size_t space = line.find(' ', start);
    const std::size_t end = space == std::string::npos ? line.size() : space;
    if (end > start) words.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

template <class T>
bool number_of(const std::string& text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool is_storage(const std::string& command) {
  return command == "set" || command == "add" || command == "replace" || command == "append" || command == "prepend" ||
         command == "cas";
}

}  // namespace

FaultyMemcached::FaultyMemcached(Fault fault) : fault_(fault) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("faulty memcached cannot listen");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultyMemcached::~FaultyMemcached() {
  stopping_ = true;
  acceptor_.join();
  for (std::thread& t : connections_) t.join();
  ::close(listen_fd_);
}

void FaultyMemcached::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const std::lock_guard lock(threads_mutex_);
    connections_.emplace_back([this, fd] { serve(fd); });
  }
}

void FaultyMemcached::serve(int fd) {
  std::string buffer;
  while (!stopping_) {
    // Answer every complete request in the buffer.
    for (;;) {
      const std::size_t eol = buffer.find("\r\n");
      if (eol == std::string::npos) break;
      const std::vector<std::string> words = split_words(buffer.substr(0, eol));
      std::string data;
      std::size_t consumed = eol + 2;
      if (!words.empty() && is_storage(words[0])) {
        std::size_t bytes = 0;
        if (words.size() < 5 || !number_of(words[4], bytes)) {
          buffer.erase(0, consumed);
          FakeServer::write_all(fd, "CLIENT_ERROR bad command line format\r\n");
          continue;
        }
        if (buffer.size() < consumed + bytes + 2) break;  // the data block is still coming
        data = buffer.substr(consumed, bytes);
        consumed += bytes + 2;
      }
      buffer.erase(0, consumed);
      const std::string reply = execute(words, data);
      const bool arith = !words.empty() && (words[0] == "incr" || words[0] == "decr");
      if (!(fault_ == Fault::kArithReplyLost && arith)) FakeServer::write_all(fd, reply);
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
}

std::string FaultyMemcached::execute(const std::vector<std::string>& words, const std::string& data) {
  if (words.empty()) return "ERROR\r\n";
  const std::string& command = words[0];
  if (command == "get" || command == "gets") return retrieve(words);
  if (is_storage(command)) return store(words, data);
  if ((command == "incr" || command == "decr") && words.size() == 3) return arith(words);
  if (command == "delete" && words.size() == 2) return remove(words[1]);
  return "ERROR\r\n";
}

void FaultyMemcached::write_locked(const std::string& key, Item item) {
  if (fault_ == Fault::kStaleRead) {
    auto it = items_.find(key);
    previous_[key] =
        Previous{it == items_.end() ? std::nullopt : std::optional<Item>(it->second), std::chrono::steady_clock::now()};
  }
  item.cas = fault_ == Fault::kCasReusedAfterDelete ? ++per_key_cas_[key] : next_cas_++;
  items_[key] = std::move(item);
}

void FaultyMemcached::race_window() {
  // The fault is a race; this pause (time is the subject here) makes it happen under test.
  std::this_thread::sleep_for(std::chrono::microseconds(300));
}

std::string FaultyMemcached::retrieve(const std::vector<std::string>& words) {
  const bool with_cas = words[0] == "gets";
  std::string reply;
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& key = words[i];
    std::optional<Item> item;
    if (auto it = items_.find(key); it != items_.end()) item = it->second;
    if (fault_ == Fault::kStaleRead) {
      auto old = previous_.find(key);
      if (old != previous_.end() && std::chrono::steady_clock::now() - old->second.written < kStaleWindow) {
        item = old->second.item;
      }
    }
    if (!item) continue;
    reply += "VALUE " + key + " " + std::to_string(item->flags) + " " + std::to_string(item->value.size());
    if (with_cas) reply += " " + std::to_string(item->cas);
    reply += "\r\n" + item->value + "\r\n";
  }
  return reply + "END\r\n";
}

std::string FaultyMemcached::store(const std::vector<std::string>& words, const std::string& data) {
  const std::string& command = words[0];
  const std::string& key = words[1];
  std::uint32_t flags = 0;
  std::uint64_t unique = 0;
  if (!number_of(words[2], flags) || (command == "cas" && (words.size() < 6 || !number_of(words[5], unique)))) {
    return "CLIENT_ERROR bad command line format\r\n";
  }
  std::unique_lock lock(mutex_);
  auto it = items_.find(key);
  const bool present = it != items_.end();
  if (command == "set") {
    write_locked(key, Item{data, flags, 0});
  } else if (command == "add" || command == "replace") {
    if (present == (command == "add")) return "NOT_STORED\r\n";
    write_locked(key, Item{data, flags, 0});
  } else if (command == "cas") {
    if (!present) return "NOT_FOUND\r\n";
    if (it->second.cas != unique) return "EXISTS\r\n";
    write_locked(key, Item{data, flags, 0});
  } else {  // append, prepend
    if (!present) return "NOT_STORED\r\n";
    Item item = it->second;
    if (fault_ == Fault::kAppendDropsOthersData) {
      lock.unlock();
      race_window();
      lock.lock();
      if (!items_.contains(key)) return "NOT_STORED\r\n";
    }
    item.value = command == "append" ? item.value + data : data + item.value;
    write_locked(key, std::move(item));
  }
  return "STORED\r\n";
}

std::string FaultyMemcached::arith(const std::vector<std::string>& words) {
  const std::string& key = words[1];
  std::uint64_t delta = 0;
  if (!number_of(words[2], delta)) return "CLIENT_ERROR invalid numeric delta argument\r\n";
  std::unique_lock lock(mutex_);
  auto it = items_.find(key);
  if (it == items_.end()) return "NOT_FOUND\r\n";
  Item item = it->second;
  std::string digits = item.value;
  while (!digits.empty() && digits.back() == ' ') digits.pop_back();
  std::uint64_t number = 0;
  if (digits.empty() || !number_of(digits, number)) {
    return "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n";
  }
  if (fault_ == Fault::kNonAtomicIncr) {
    lock.unlock();
    race_window();
    lock.lock();
    if (!items_.contains(key)) return "NOT_FOUND\r\n";
  }
  number = words[0] == "incr" ? number + delta : (number < delta ? 0 : number - delta);
  item.value = std::to_string(number);
  write_locked(key, std::move(item));
  return std::to_string(number) + "\r\n";
}

std::string FaultyMemcached::remove(const std::string& key) {
  const std::lock_guard lock(mutex_);
  auto it = items_.find(key);
  if (it == items_.end()) return "NOT_FOUND\r\n";
  if (fault_ == Fault::kStaleRead) previous_[key] = Previous{it->second, std::chrono::steady_clock::now()};
  items_.erase(it);
  if (fault_ == Fault::kCasReusedAfterDelete) per_key_cas_.erase(key);
  return "DELETED\r\n";
}

}  // namespace mcconform::testing_support
