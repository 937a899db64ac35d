// A small in-process memcached (the text commands the linearizability workloads send), correct or
// with one injected concurrency fault, for proving that the checker catches each.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mcconform/endpoint.hpp"

namespace mcconform::testing_support {

enum class Fault {
  kNone,
  kNonAtomicIncr,          // incr/decr read the number, let go of the lock, then write back
  kCasReusedAfterDelete,   // uniques count per key and start again when the key is deleted
  kStaleRead,              // for a moment after a write, reads are served from the old copy
  kAppendDropsOthersData,  // append reads the value, lets go of the lock, then writes old + data
  // Not a fault of consistency: incr and decr take effect but their reply is lost (the client
  // times out), so the history holds operations whose outcome is unknown.
  kArithReplyLost,
};

class FaultyMemcached {
 public:
  explicit FaultyMemcached(Fault fault);
  ~FaultyMemcached();
  FaultyMemcached(const FaultyMemcached&) = delete;
  FaultyMemcached& operator=(const FaultyMemcached&) = delete;

  Endpoint endpoint() const { return {"127.0.0.1", port_}; }

 private:
  struct Item {
    std::string value;
    std::uint32_t flags = 0;
    std::uint64_t cas = 0;
  };
  // What a key held just before its last write, and when that write happened (kStaleRead).
  struct Previous {
    std::optional<Item> item;
    std::chrono::steady_clock::time_point written;
  };

  void accept_loop();
  void serve(int fd);
  // One complete request (line, and data block for storage commands) to its reply.
  std::string execute(const std::vector<std::string>& words, const std::string& data);
  std::string retrieve(const std::vector<std::string>& words);
  std::string store(const std::vector<std::string>& words, const std::string& data);
  std::string arith(const std::vector<std::string>& words);
  std::string remove(const std::string& key);
  // Puts `item` under `key` with a new unique; the caller holds mutex_.
  void write_locked(const std::string& key, Item item);
  // The pause inside a non-atomic read-modify-write: the fault's race window.
  static void race_window();

  Fault fault_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex threads_mutex_;
  std::vector<std::thread> connections_;

  std::mutex mutex_;
  std::map<std::string, Item> items_;
  std::uint64_t next_cas_ = 1;
  std::map<std::string, std::uint64_t> per_key_cas_;  // kCasReusedAfterDelete
  std::map<std::string, Previous> previous_;          // kStaleRead
};

}  // namespace mcconform::testing_support
