// A server process the harness starts, watches and stops (the only user of Boost.Process).
#include "mcconform/spawned_server.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <boost/process.hpp>

#include "mcconform/connection.hpp"
#include "mcconform/stats_reply.hpp"
#include "mcconform/wait.hpp"

namespace mcconform {

namespace bp = boost::process;

struct SpawnedServer::Process {
  bp::child child;
};

std::vector<std::string> split_command_line(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : command) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::string find_program(const std::string& name) { return bp::search_path(name).string(); }

int pick_free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    throw SpawnError("cannot find a free port on 127.0.0.1");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

namespace {

std::string make_work_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "mcconform-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw SpawnError("cannot create a temporary directory");
  return pattern;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The parent of `pid` from /proc, or -1. The command name in /proc/PID/stat is in parentheses and
// may hold spaces or parentheses itself: the fields that follow start after the last ')'.
long parent_of(long pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 1));
  std::string state;
  long parent = -1;
  fields >> state >> parent;
  return fields ? parent : -1;
}

// A server started through a wrapper (a shell without exec, say) is a descendant of the child.
bool is_self_or_descendant(long pid, long ancestor) {
  for (int depth = 0; depth < 32 && pid > 1; ++depth) {
    if (pid == ancestor) return true;
    pid = parent_of(pid);
  }
  return false;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return fmt::format("ended with raw status {}", status);
}

}  // namespace

SpawnedServer::SpawnedServer(std::string command, std::chrono::milliseconds startup_timeout)
    : command_(std::move(command)), startup_timeout_(startup_timeout), work_dir_(make_work_dir()) {
  start();
}

SpawnedServer::SpawnedServer(std::string command, int port, std::chrono::milliseconds startup_timeout, FixedPort)
    : command_(std::move(command)), startup_timeout_(startup_timeout), work_dir_(make_work_dir()), fixed_port_(true) {
  endpoint_.port = port;
  start();
}

std::unique_ptr<SpawnedServer> SpawnedServer::on_fixed_port(std::string command, int port,
                                                            std::chrono::milliseconds startup_timeout) {
  return std::unique_ptr<SpawnedServer>(new SpawnedServer(std::move(command), port, startup_timeout, FixedPort{}));
}

SpawnedServer::~SpawnedServer() {
  try {
    stop();
  } catch (...) {
    // Nothing sensible to do while tearing down.
  }
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
}

int SpawnedServer::pid() const { return process_ ? process_->child.id() : -1; }

void SpawnedServer::start() {
  constexpr int kAttempts = 3;  // a picked port can be taken before the child binds it
  for (int attempt = 1;; ++attempt) {
    try {
      launch_once(attempt);
      return;
    } catch (const SpawnError&) {
      if (attempt == kAttempts || fixed_port_ || command_.find("{port}") == std::string::npos) throw;
      endpoint_.port = 0;
    }
  }
}

void SpawnedServer::launch_once(int attempt) {
  const bool port_placeholder = !fixed_port_ && command_.find("{port}") != std::string::npos;
  if (port_placeholder && endpoint_.port == 0) endpoint_.port = pick_free_port();
  resolved_ = port_placeholder ? replace_all(command_, "{port}", std::to_string(endpoint_.port)) : command_;
  std::vector<std::string> words = split_command_line(resolved_);
  if (words.empty()) throw SpawnError("empty spawn command");

  boost::filesystem::path exe = words.front();
  if (words.front().find('/') == std::string::npos) exe = bp::search_path(words.front());
  if (exe.empty() || !boost::filesystem::exists(exe)) {
    throw SpawnError(fmt::format("cannot find the server program '{}' (spawn command: {})", words.front(), command_));
  }
  const std::string port_file = work_dir_ + "/port";
  const std::string stderr_file = work_dir_ + "/stderr";
  std::filesystem::remove(port_file);
  auto env = boost::this_process::environment();
  env["MEMCACHED_PORT_FILENAME"] = port_file;

  process_ = std::make_unique<Process>(
      Process{bp::child(bp::exe = exe, bp::args = std::vector<std::string>(words.begin() + 1, words.end()),
                        bp::std_in<bp::null, bp::std_out> boost::filesystem::path(work_dir_ + "/stdout"),
                        bp::std_err > boost::filesystem::path(stderr_file), env)});

  const bool answering = wait_until(startup_timeout_, std::chrono::milliseconds(20), [&] {
    if (!running()) {
      throw SpawnError(fmt::format("the server exited during start-up (attempt {}): {}", attempt,
                                   death_report().value_or("unknown")));
    }
    if (!port_placeholder && !fixed_port_) {
      std::ifstream in(port_file);
      std::string transport, family;
      int port = 0;
      // memcached's format: "TCP INET: 12345"
      if (in >> transport >> family >> port && port > 0) endpoint_.port = port;
    }
    if (endpoint_.port == 0) return false;
    try {
      Connection probe(endpoint_, std::chrono::milliseconds(200));
      return true;
    } catch (const ConnectionError&) {
      return false;  // not listening yet
    }
  });
  if (answering) {
    if (auto stranger = answered_by_another_process()) {
      kill_hard();
      throw SpawnError(*stranger);
    }
    return;
  }
  kill_hard();
  throw SpawnError(
      fmt::format("the server did not accept connections within {} ms: {}", startup_timeout_.count(), resolved_));
}

std::optional<std::string> SpawnedServer::answered_by_another_process() {
  std::optional<long> reported;
  try {
    Connection probe(endpoint_, std::chrono::milliseconds(1000));
    const StatsMap stats = read_stats(probe);
    if (auto it = stats.find("pid"); it != stats.end()) {
      long pid = 0;
      const char* end = it->second.data() + it->second.size();
      if (std::from_chars(it->second.data(), end, pid).ptr == end) reported = pid;
    }
  } catch (const ConnectionError&) {
    // No stats (ERROR, silence, a hang-up): nothing to compare. The suites will say what is wrong.
  }
  if (!reported || is_self_or_descendant(*reported, pid())) return std::nullopt;
  return fmt::format(
      "another process answers on {}: its stats pid is {}, but the server started is pid {} and none of its "
      "children (command: {}). Is something else listening on that port?",
      endpoint_.to_string(), *reported, pid(), resolved_);
}

bool SpawnedServer::running() {
  if (!process_) return false;
  std::error_code ec;
  return process_->child.running(ec);
}

void SpawnedServer::stop(std::chrono::milliseconds grace) {
  if (!running()) return;
  ::kill(pid(), SIGTERM);
  std::error_code ec;
  if (!process_->child.wait_for(grace, ec) || process_->child.running(ec)) kill_hard();
}

void SpawnedServer::request_stop() {
  if (running()) ::kill(pid(), SIGTERM);
}

// Boost's terminate() does not record the exit status; a plain SIGKILL and wait() does.
void SpawnedServer::kill_hard() {
  if (!running()) return;
  ::kill(pid(), SIGKILL);
  std::error_code ec;
  process_->child.wait(ec);
}

std::optional<std::string> SpawnedServer::death_report() {
  if (!process_ || running()) return std::nullopt;
  const std::string tail = stderr_tail(10);
  return fmt::format("{} (pid {}, command: {}){}{}", describe_status(process_->child.native_exit_code()), pid(),
                     resolved_, tail.empty() ? "" : "; last stderr lines:\n", tail);
}

// The last `lines` lines; when there are more, the first few too, since a server usually says
// why it failed before it prints anything else (a usage text, say).
std::string SpawnedServer::stderr_tail(std::size_t lines) const {
  std::ifstream in(work_dir_ + "/stderr");
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  const std::size_t head = all.size() > lines ? std::min<std::size_t>(3, lines / 2) : 0;
  std::string out;
  for (std::size_t i = 0; i < head; ++i) out += "    " + all[i] + "\n";
  if (head > 0) out += "    ...\n";
  for (std::size_t i = all.size() > lines - head ? all.size() - (lines - head) : 0; i < all.size(); ++i) {
    if (i >= head) out += "    " + all[i] + "\n";
  }
  return out;
}

}  // namespace mcconform
