// `mcconform diff`: seeded random pipelines to two servers side by side; the first difference is
// shrunk (delta debugging, each candidate on fresh servers or fresh keys) and printed with a
// bash one-liner that replays it.
#include "differential.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <tuple>

#include <fmt/format.h>

#include "cas_renamer.hpp"
#include "mcconform/binary_packet.hpp"
#include "mcconform/command_line.hpp"
#include "mcconform/connection.hpp"
#include "mcconform/escape.hpp"
#include "mcconform/profile.hpp"
#include "mcconform/spawned_server.hpp"
#include "shrink.hpp"

namespace mcconform::differential {
namespace {

// Up to 18 commands and the 2 marker commands: within memcached's 20 requests per event.
constexpr std::size_t kMaxBatch = 18;

// A batch ends with a request whose reply can be waited for: over text, storing and reading back a
// marker value; over binary, a no-op whose opaque names the batch (a no-op also makes memcached send
// what quiet requests held back).
std::string marker_commands(const std::string& prefix, std::size_t batch, bool binary, std::string& marker_reply) {
  if (binary) {
    binary::Packet noop = binary::request(binary::Opcode::kNoop);
    noop.opaque = 0x4d4b0000u | static_cast<std::uint32_t>(batch & 0xffffu);
    binary::Packet answer = binary::response(binary::Opcode::kNoop);
    answer.opaque = noop.opaque;
    marker_reply = answer.encode();
    return noop.encode();
  }
  const std::string key = prefix + "__marker";
  const std::string value = fmt::format("marker-{:08d}", batch);
  marker_reply = fmt::format("STORED\r\nVALUE {} 0 {}\r\n{}\r\nEND\r\n", key, value.size(), value);
  return fmt::format("set {} 0 0 {}\r\n{}\r\nget {}\r\n", key, value.size(), value, key);
}

// What a batch that ends with a hang-up records when the server does hang up.
constexpr std::string_view kClosedAsAsked = "the server closed the connection, as the last request asks";

// A reply to one batch, the marker's reply taken off; `failure` says why the marker never came.
struct Reply {
  std::string bytes;
  std::string failure;
  bool operator==(const Reply&) const = default;
};

// One of the two servers: its process (when spawned) and the connection the pipelines go on.
class Side {
 public:
  Side(TargetSpec spec, Duration timeout) : spec_(std::move(spec)), timeout_(timeout) {}

  // A new connection, and first a new server when it is ours: no state survives from before.
  void fresh() {
    connection_.reset();
    if (spec_.spawned()) {
      if (server_) server_->kill_hard();
      server_ = std::make_unique<SpawnedServer>(spec_.spawn_command);
    }
    connection_.emplace(endpoint(), timeout_);
  }

  Endpoint endpoint() const { return server_ ? server_->endpoint() : *spec_.endpoint; }
  const TargetSpec& spec() const { return spec_; }

  // Sends `requests` and reads through `marker_reply`; with no marker, reads until the server
  // hangs up.
  Reply exchange(const std::string& requests, const std::string& marker_reply) {
    Reply reply;
    try {
      if (!connection_) connection_.emplace(endpoint(), timeout_);
      connection_->send(requests);
      if (marker_reply.empty()) return read_until_closed();
      reply.bytes = connection_->read_until(marker_reply);
      reply.bytes.resize(reply.bytes.size() - marker_reply.size());
    } catch (const ConnectionError&) {
      if (connection_) {
        reply.bytes = connection_->read_available(std::chrono::milliseconds(1));
        reply.failure = connection_->peer_closed()
                            ? "the server closed the connection"
                            : fmt::format("no reply to the batch's marker within {} ms", timeout_.count());
      } else {
        reply.failure = "cannot connect";
      }
      if (server_) {
        if (auto death = server_->death_report()) reply.failure += "; the server died: " + *death;
      }
      connection_.reset();
    }
    return reply;
  }

 private:
  Reply read_until_closed() {
    Reply reply;
    try {
      for (;;) reply.bytes += connection_->read_exact(1);
    } catch (const ConnectionError&) {
      reply.failure = connection_->peer_closed()
                          ? std::string(kClosedAsAsked)
                          : fmt::format("the server did not close the connection within {} ms", timeout_.count());
    }
    connection_.reset();
    return reply;
  }

  TargetSpec spec_;
  Duration timeout_;
  std::unique_ptr<SpawnedServer> server_;
  std::optional<Connection> connection_;
};

// What a run sent and received up to and including the first batch whose replies differ.
struct Difference {
  std::size_t commands = 0;  // commands sent, through the differing batch
  std::size_t batch = 0;
  // Every batch's requests, without the markers, as each server was sent them: they differ only
  // where a request carries the unique the server showed last.
  std::string sent_a, sent_b;
  Reply a, b;  // every batch's replies, without the markers' replies
};

// Letters only, so that a prefix never adds a digit (or a byte a key may not hold) to a key.
std::string letters(std::uint64_t n, std::size_t width) {
  std::string out;
  for (std::size_t i = 0; i < width || n > 0; ++i) {
    out.insert(out.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  }
  return out;
}

class Pair {
 public:
  Pair(const DiffOptions& options)
      : a_(options.a, std::chrono::milliseconds(options.timeout_ms)),
        b_(options.b, std::chrono::milliseconds(options.timeout_ms)),
        reprefix_(!options.a.spawned() || !options.b.spawned()),
        binary_(options.generator.binary),
        rename_cas_(options.rename_cas),
        get_ends_batch_(options.get_ends_batch()) {
    if (options.key_prefix) {
      base_prefix_ = *options.key_prefix;
    } else if (reprefix_) {
      std::random_device entropy;
      base_prefix_ = "mcdiff-" + letters(((std::uint64_t{entropy()} << 32) | entropy()) % 208827064576, 8) + "-";
    }
  }

  // Starts a run: fresh servers where they are ours, and a key prefix no earlier run used where
  // one is not (so that each run, including every candidate of the shrinker, starts from nothing).
  const std::string& fresh() {
    a_.fresh();
    b_.fresh();
    a_names_ = CasRenamer(kClientChosenCas);
    b_names_ = CasRenamer(kClientChosenCas);
    prefix_ = reprefix_ ? base_prefix_ + letters(runs_, 1) + "-" : base_prefix_;
    ++runs_;
    return prefix_;
  }
  const std::string& prefix() const { return prefix_; }

  // On running servers, deletes every key any run may have stored (best effort): what the runs
  // leave behind is ours, and so is cleaning it up.
  void clean_up() {
    if (!reprefix_) return;
    for (Side* side : {&a_, &b_}) {
      if (side->spec().spawned()) continue;
      std::string requests;
      for (int run = 0; run < runs_; ++run) {
        const std::string prefix = base_prefix_ + letters(static_cast<std::uint64_t>(run), 1) + "-";
        for (const std::string& key : CommandGenerator::keys()) {
          requests += binary_ ? binary::request(binary::Opcode::kDeleteQ, prefix + key).encode()
                              : "delete " + prefix + key + " noreply\r\n";
        }
        if (!binary_) requests += "delete " + prefix + "__marker noreply\r\n";
      }
      if (binary_) {
        std::string noop_reply;
        requests += marker_commands(base_prefix_, 0xffff, true, noop_reply);
        side->exchange(requests, noop_reply);
      } else {
        side->exchange(requests + "get " + base_prefix_ + "__none\r\n", "END\r\n");
      }
    }
  }
  int runs() const { return runs_; }
  Side& a() { return a_; }
  Side& b() { return b_; }

  // Sends one batch to both; true when the replies are the same.
  bool batch(const std::vector<Command>& commands, std::size_t from, std::size_t to, Difference& so_far) {
    // Only a batch's first request may carry the unique a server showed last (batch_end): the
    // replies that showed it are all in by now.
    std::string requests_a, requests_b;
    for (std::size_t i = from; i < to; ++i) {
      const std::string bytes = commands[i].render(prefix_, a_names_.last_shown());
      requests_a += bytes;
      // The same bytes for B, but where the command carries the unique B showed.
      requests_b += commands[i].carries_shown_cas() ? commands[i].render(prefix_, b_names_.last_shown()) : bytes;
    }
    // A batch that ends with a hang-up has no marker: its reply ends where the server closes.
    std::string marker_reply;
    const std::string marker =
        commands[to - 1].ends_batch() ? std::string() : marker_commands(prefix_, so_far.batch, binary_, marker_reply);
    Reply a = a_.exchange(requests_a + marker, marker_reply);
    Reply b = b_.exchange(requests_b + marker, marker_reply);
    if (rename_cas_) {
      a.bytes = binary_ ? a_names_.binary(a.bytes) : a_names_.text(a.bytes);
      b.bytes = binary_ ? b_names_.binary(b.bytes) : b_names_.text(b.bytes);
    }
    so_far.commands = to;
    so_far.sent_a += requests_a;
    so_far.sent_b += requests_b;
    so_far.a.bytes += a.bytes;
    so_far.b.bytes += b.bytes;
    so_far.a.failure = a.failure;
    so_far.b.failure = b.failure;
    ++so_far.batch;
    return a == b;
  }

  // Replays `commands` from a fresh start, in batches of kMaxBatch (see batch_end).
  std::optional<Difference> replay(const std::vector<Command>& commands) {
    fresh();
    Difference d;
    for (std::size_t from = 0, to = 0; from < commands.size(); from = to) {
      to = batch_end(commands, from, kMaxBatch, get_ends_batch_);
      if (!batch(commands, from, to, d)) return d;
    }
    return std::nullopt;
  }

 private:
  Side a_, b_;
  bool reprefix_;
  bool binary_;
  bool rename_cas_;
  bool get_ends_batch_;
  CasRenamer a_names_, b_names_;  // each server's uniques, by order of appearance, since fresh()
  std::string base_prefix_;
  std::string prefix_;
  int runs_ = 0;
};

std::string show_reply(const Reply& r) {
  return escape_bytes(r.bytes, 1 << 16) + (r.failure.empty() ? "" : " (then: " + r.failure + ")");
}

// Both replies, one above the other, with a caret under the first byte that differs.
std::string show_replies(const Reply& a, const Reply& b) {
  std::size_t offset = 0;
  while (offset < a.bytes.size() && offset < b.bytes.size() && a.bytes[offset] == b.bytes[offset]) ++offset;
  // Long replies start a little before the difference.
  const std::size_t from = offset > 300 ? offset - 200 : 0;
  // ... and end a little after it.
  const std::size_t length = offset - from + 200;
  const auto tail = [&](const std::string& bytes) { return bytes.size() > from + length ? " ..." : ""; };
  const Reply a_shown{a.bytes.substr(from, length), a.failure};
  const Reply b_shown{b.bytes.substr(from, length), b.failure};
  const std::string lead = from > 0 ? fmt::format("... ({} bytes before) ", from) : "";
  const std::string common = escape_bytes(std::string_view(a.bytes).substr(from, offset - from), 1 << 16);
  std::string out = fmt::format("  A: {}{}{}\n  B: {}{}{}\n", lead, show_reply(a_shown), tail(a.bytes), lead,
                                show_reply(b_shown), tail(b.bytes));
  if (a.bytes == b.bytes) {
    out += "     (same bytes; the difference is in what happened next)\n";
  } else {
    // The escaped common part, less its closing quote, is as wide as what precedes the caret.
    out += fmt::format("     {}{}^ first difference at byte {}\n", std::string(lead.size(), ' '),
                       std::string(common.size() - 1, ' '), offset);
  }
  return out;
}

// Binary replies are shown in hex, with od.
std::string one_liner(const Endpoint& endpoint, const std::string& bytes, bool binary) {
  return fmt::format("exec 3<>/dev/tcp/{}/{}; printf {} >&3; timeout 1 cat <&3{}", endpoint.host, endpoint.port,
                     printf_quoted(bytes), binary ? " | od -A d -t x1z -v" : "");
}

// Binary replies, packet by packet: how many agree, then the first that differs, field by field.
std::string show_first_differing_packet(const Reply& a, const Reply& b) {
  std::string_view rest_a = a.bytes, rest_b = b.bytes;
  for (std::size_t same = 0;; ++same) {
    const auto pa = binary::parse_packet(rest_a);
    const auto pb = binary::parse_packet(rest_b);
    if (pa && pb && rest_a.substr(0, pa->consumed) == rest_b.substr(0, pb->consumed)) {
      rest_a.remove_prefix(pa->consumed);
      rest_b.remove_prefix(pb->consumed);
      continue;
    }
    if (!pa && !pb && rest_a == rest_b) return {};  // the bytes agree; the difference is in what followed
    const auto shown = [](const std::optional<binary::Parsed>& p, std::string_view rest) {
      if (p) return binary::describe(p->packet);
      return rest.empty() ? std::string("  (no packet)\n") : "  (not a whole packet) " + escape_bytes(rest) + "\n";
    };
    return fmt::format("the replies agree on {} packet{}; then A's is\n{}and B's is\n{}", same, same == 1 ? "" : "s",
                       shown(pa, rest_a), shown(pb, rest_b));
  }
}

// `as_found`: the commands of the run itself, sent in its batches of 1 to 18; otherwise a replay's,
// in batches of kMaxBatch.
void print_difference(const DiffOptions& options, const std::vector<Command>& commands, const std::string& prefix,
                      const Difference& d, bool as_found) {
  // A replay's batches: kMaxBatch commands, or fewer where one ends in a hang-up or the next
  // carries a unique a server showed (batch_end).
  const bool one_write = batch_end(commands, 0, kMaxBatch, options.get_ends_batch()) == commands.size();
  const std::string how = as_found    ? " in the run's batches of 1 to 18"
                          : one_write ? " in one write"
                                      : fmt::format(" in writes of up to {} commands", kMaxBatch);
  std::cout << fmt::format("\n{} command{} ({} bytes), sent{}:\n", commands.size(), commands.size() == 1 ? "" : "s",
                           d.sent_a.size(), how);
  // An unshrunk run can be long: its last commands are the ones to read.
  const std::size_t first = commands.size() > 60 ? commands.size() - 40 : 0;
  if (first > 0) std::cout << fmt::format("  ... {} earlier commands (in the bash line below)\n", first);
  for (std::size_t i = first; i < commands.size(); ++i) {
    std::cout << fmt::format("  {:>3}  {}\n", i + 1, commands[i].describe(prefix));
  }
  std::cout << "replies (the marker each batch ends with taken off"
            << (options.rename_cas ? "; each server's cas uniques renumbered in the order it first showed them" : "")
            << "):\n"
            << show_replies(d.a, d.b);
  const bool binary = options.generator.binary;
  if (binary) std::cout << show_first_differing_packet(d.a, d.b);
  std::cout << fmt::format("  A = {}\n  B = {}\n", options.a.text, options.b.text);
  if (!options.rename_cas && (!options.a.spawned() || !options.b.spawned())) {
    std::cout << "  (running servers: cas uniques compare only while their cas counters are in step;\n"
                 "  --cas-uniques renamed compares them by order of appearance)\n";
  }
  if (d.sent_a.size() > 100000 || d.sent_b.size() > 100000) {
    std::cout << fmt::format("({} bytes: too long for a bash line)\n", std::max(d.sent_a.size(), d.sent_b.size()));
    return;
  }
  const bool same_bytes = d.sent_a == d.sent_b;
  std::cout << fmt::format("reproduce with bash (no nc needed){}:\n",
                           !one_write || (as_found && commands.size() > 1) ? ", all in one write" : "");
  if (!same_bytes) {
    std::cout << "  (each server was sent the cas uniques it showed, so each has its own line; a server\n"
                 "  started afresh shows the same ones again, a running one shows others)\n";
  }
  if (options.a.spawned() && options.b.spawned() && same_bytes) {
    std::cout << "  # start either server with {port} = 11211, then\n";
    std::cout << "  " << one_liner({"127.0.0.1", 11211}, d.sent_a, binary) << "\n";
    return;
  }
  for (const TargetSpec* t : {&options.a, &options.b}) {
    const char* name = t == &options.a ? "A" : "B";
    const std::string& sent = t == &options.a ? d.sent_a : d.sent_b;
    if (t->spawned()) {
      std::cout << fmt::format("  # {}: start it with {{port}} = 11211, then\n", name);
      std::cout << "  " << one_liner({"127.0.0.1", 11211}, sent, binary) << "\n";
    } else {
      std::cout << fmt::format("  # {}:\n  {}\n", name, one_liner(*t->endpoint, sent, binary));
    }
  }
}

bool only_key_bytes(const std::string& text) {
  for (unsigned char c : text) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return text.size() <= 100;
}

}  // namespace

std::string deterministic_memcached_command(const std::string& path) {
  return fmt::format("'{}' -p {{port}} -l 127.0.0.1 -U 0 -t 1{} -o no_lru_maintainer,no_lru_crawler", path,
                     geteuid() == 0 ? " -u root" : "");
}

std::optional<TargetSpec> parse_target(std::string_view text, const std::string& default_mcrefd_command,
                                       std::string& error) {
  TargetSpec spec{std::string(text), std::nullopt, {}};
  if (text == "mcrefd") {
    spec.spawn_command = default_mcrefd_command + " -t 1";
  } else if (text.starts_with("mcrefd:") && text.size() > 7) {
    spec.spawn_command = fmt::format("'{}' -p {{port}} -l 127.0.0.1 -U 0 -t 1", text.substr(7));
  } else if (text.starts_with("memcached:") && text.size() > 10) {
    spec.spawn_command = deterministic_memcached_command(std::string(text.substr(10)));
  } else if (text.starts_with("spawn:") && text.size() > 6) {
    spec.spawn_command = std::string(text.substr(6));
  } else if (auto endpoint = parse_endpoint(text)) {
    spec.endpoint = *endpoint;
  } else {
    error = fmt::format("'{}' is not a target: HOST:PORT, spawn:COMMAND, mcrefd[:PATH] or memcached:PATH", text);
    return std::nullopt;
  }
  return spec;
}

std::string printf_quoted(std::string_view bytes) {
  std::string out = "'";
  for (unsigned char c : bytes) {
    switch (c) {
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\\': out += "\\\\"; break;
      case '%': out += "%%"; break;
      case '\'': out += "\\x27"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "'";
}

std::string diff_usage() {
  return "usage: mcconform diff --a TARGET --b TARGET [options]\n"
         "Sends the same seeded random pipelines of memcached commands to two servers and compares the\n"
         "replies byte for byte, cas uniques included (or renamed: see --cas-uniques). The first\n"
         "difference is shrunk to a minimal sequence of commands that still shows one, and printed with\n"
         "a bash line that replays it.\n"
         "\n"
         "TARGET is one of:\n"
         "  HOST:PORT            a running server; the run uses keys of its own (a random prefix, a new\n"
         "                       one for every replay) and never sends flush_all unless --allow-flush\n"
         "  spawn:COMMAND        a server started for the run, and again, fresh, for every replay while\n"
         "                       shrinking; {port} in COMMAND becomes a free port\n"
         "  mcrefd[:PATH]        spawn mcrefd (default: the one built with mcconform), one thread\n"
         "  memcached:PATH       spawn memcached made deterministic: -t 1 -o no_lru_maintainer,no_lru_crawler\n"
         "                       (plus -u root as root). memcached's LRU maintainer and crawler threads hold\n"
         "                       item references at random moments, and an incr/decr on a referenced item\n"
         "                       builds a new item instead of rewriting the number in place (no space\n"
         "                       padding), so without these options its replies vary from run to run. Use\n"
         "                       spawn:COMMAND to choose otherwise.\n"
         "  --a defaults to mcrefd.\n"
         "Options:\n"
         "  --seed N             the generator's seed (default 1); the same seed gives the same commands,\n"
         "                       the same batches and the same shrinking\n"
         "  --count N            commands to send (default 5000)\n"
         "  --commands LIST      classic, meta or classic,meta (default); or binary: binary packets\n"
         "                       only (a connection speaks one protocol, chosen by its first byte)\n"
         "  --allow-flush        let flush_all be generated against a HOST:PORT target\n"
         "                       (always generated when both targets are spawned)\n"
         "  --key-prefix TEXT    put TEXT before every key (default: none with two spawned targets,\n"
         "                       mcdiff-<random>- otherwise)\n"
         "  --timeout MS         how long to wait for a batch's replies (default 2000)\n"
         "  --max-shrink-runs N  replays the shrinker may make (default 400); --no-shrink: none\n"
         "  --cas-uniques MODE   as-sent (default): cas uniques are compared as they are, so two servers\n"
         "                       agree only when their cas counters are in step (both started afresh,\n"
         "                       numbering alike: memcached 1.6.18 and 1.6.38 do not). renamed: each\n"
         "                       server's uniques are compared by the order it first showed them in\n"
         "                       (#1, #2, ...), so a server must still give one unique per version of an\n"
         "                       item and a new one for every change, whatever its numbers. Requests\n"
         "                       then carry no unique guessed from a counter (cas, C and E flags, binary\n"
         "                       cas): E flags set one of ten values just below 2^63-1, shown as they\n"
         "                       are; a cas names one of those, 2^63-1 (which no server issues), or the\n"
         "                       unique the server showed last, in whatever reply (each server is sent\n"
         "                       its own; a gets, mg c or binary get of the same key comes just before),\n"
         "                       so a cas succeeds where the server honours the unique it showed or an\n"
         "                       E flag set the one it names\n"
         "  --profile NAME       the oldest memcached release compared (mcconform --list-profiles): only\n"
         "                       what it answers as every later release does is sent (no E flag or md x\n"
         "                       before 1.6.27, no ms append/prepend with N before 1.6.20, no ms s\n"
         "                       before 1.6.21, and before 1.6.35 a batch ends after a text get that an\n"
         "                       incr, decr or ma would follow, as that release wrote its replies out\n"
         "                       there; docs/version-differences.md). memcached-1.6.18 with\n"
         "                       --cas-uniques renamed compares Debian 12's memcached with mcrefd\n"
         "Exit status: 0 no difference, 1 a difference (shown), 2 bad arguments or a target that could\n"
         "not be started.\n";
}

ParsedDiffOptions parse_diff_options(const std::vector<std::string>& args, const std::string& default_mcrefd_command) {
  ParsedDiffOptions parsed;
  DiffOptions& o = parsed.options;
  auto fail = [&parsed](std::string why) {
    parsed.error = std::move(why);
    return parsed;
  };
  CLI::App app{"", "mcconform diff"};
  follow_conventions(app);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // the last one given wins
  std::string a_text, b_text, commands, key_prefix;
  bool no_shrink = false;
  app.add_flag("-h,--help", parsed.help);
  auto* a_option = app.add_option("--a", a_text);
  auto* b_option = app.add_option("--b", b_text);
  app.add_option("--seed", o.seed);
  app.add_option("--count", o.count)->check(whole_number(1));
  app.add_option("--commands", commands);
  app.add_flag("--allow-flush", o.allow_flush);
  auto* prefix_option = app.add_option("--key-prefix", key_prefix);
  app.add_option("--timeout", o.timeout_ms)->check(whole_number(1));
  app.add_option("--max-shrink-runs", o.max_shrink_runs)->check(whole_number(0));
  app.add_flag("--no-shrink", no_shrink);
  std::string cas_uniques = "as-sent";
  app.add_option("--cas-uniques", cas_uniques);
  std::string profile_name;
  auto* profile_option = app.add_option("--profile", profile_name);
  if (std::string error = parse_command_line(app, args); !error.empty()) return fail(error);
  if (profile_option->count() > 0) {
    const std::optional<Profile> profile = find_profile(profile_name);
    if (!profile) return fail(fmt::format("--profile: unknown profile '{}' (mcconform --list-profiles)", profile_name));
    o.profile = profile->name;
    o.generator.release = profile->version;
  }

  o.shrink = !no_shrink;
  if (cas_uniques != "as-sent" && cas_uniques != "renamed") {
    return fail(fmt::format("--cas-uniques takes as-sent or renamed, not '{}'", cas_uniques));
  }
  o.rename_cas = o.generator.unissued_cas = o.generator.shown_cas = cas_uniques == "renamed";
  if (prefix_option->count() > 0) {
    if (!only_key_bytes(key_prefix)) return fail("--key-prefix needs printable text without blanks");
    o.key_prefix = key_prefix;
  }
  if (!commands.empty()) {
    o.generator.classic = o.generator.meta = false;
    std::size_t start = 0;
    while (start <= commands.size()) {
      const std::size_t comma = std::min(commands.find(',', start), commands.size());
      const std::string name = commands.substr(start, comma - start);
      if (name == "classic") {
        o.generator.classic = true;
      } else if (name == "meta") {
        o.generator.meta = true;
      } else if (name == "binary") {
        o.generator.binary = true;
      } else {
        return fail(fmt::format("--commands: unknown kind '{}' (classic, meta, binary)", name));
      }
      start = comma + 1;
    }
    if (o.generator.binary && (o.generator.classic || o.generator.meta)) {
      return fail("--commands: binary cannot be mixed with classic or meta: a connection speaks one protocol");
    }
  }
  const bool have_a = a_option->count() > 0, have_b = b_option->count() > 0;
  for (auto [given, text, side] : {std::tuple{have_a, &a_text, &o.a}, std::tuple{have_b, &b_text, &o.b}}) {
    if (!given) continue;
    std::string error;
    auto target = parse_target(*text, default_mcrefd_command, error);
    if (!target) return fail(error);
    *side = *target;
  }
  if (parsed.help) return parsed;
  if (!have_b) return fail("--b TARGET is required");
  if (!have_a) o.a = *parse_target("mcrefd", default_mcrefd_command, parsed.error);
  if (o.a.endpoint && o.b.endpoint && *o.a.endpoint == *o.b.endpoint) {
    return fail("--a and --b are the same server: the two sides would change each other's items");
  }
  o.generator.flush = o.allow_flush || (o.a.spawned() && o.b.spawned());
  return parsed;
}

int diff_main(const std::vector<std::string>& args, const std::string& default_spawn_command) {
  const ParsedDiffOptions parsed = parse_diff_options(args, default_spawn_command);
  if (parsed.help) {
    std::cout << diff_usage();
    return 0;
  }
  if (!parsed.error.empty()) {
    std::cerr << "mcconform diff: " << parsed.error << "\n\n" << diff_usage();
    return 2;
  }
  const DiffOptions& options = parsed.options;
  const std::string kinds = options.generator.binary                              ? "binary"
                            : options.generator.classic && options.generator.meta ? "classic,meta"
                            : options.generator.classic                           ? "classic"
                                                                                  : "meta";
  std::cout << fmt::format("mcconform diff: seed {}, {} {} commands{}{}{}\n  A = {}\n  B = {}\n", options.seed,
                           options.count, kinds, options.generator.flush ? " (flush_all included)" : "",
                           options.rename_cas ? ", cas uniques renamed" : "",
                           options.profile.empty() ? "" : ", only what " + options.profile + " answers alike",
                           options.a.text, options.b.text);

  Pair pair(options);
  struct CleanUp {
    Pair& pair;
    ~CleanUp() { pair.clean_up(); }
  } clean_up{pair};
  std::vector<Command> commands;
  std::optional<Difference> found;
  try {
    pair.fresh();
    CommandGenerator generator(options.seed, options.generator);
    std::mt19937 sizes(static_cast<unsigned>(options.seed));
    Difference so_far;
    const auto count = static_cast<std::size_t>(options.count);
    for (std::size_t sent = 0; sent < count;) {
      const std::size_t size = std::min<std::size_t>(1 + sizes() % kMaxBatch, count - sent);
      while (commands.size() < sent + size) commands.push_back(generator.next());
      const std::size_t end = batch_end(commands, sent, size, options.get_ends_batch());
      if (!pair.batch(commands, sent, end, so_far)) {
        found = so_far;
        break;
      }
      sent = end;
    }
    // Commands generated for a batch that a hang-up cut short and never sent.
    commands.resize(found ? found->commands : std::min(commands.size(), count));
  } catch (const SpawnError& e) {
    std::cerr << "mcconform diff: cannot start a target: " << e.what() << "\n";
    return 2;
  } catch (const ConnectionError& e) {
    std::cerr << "mcconform diff: cannot reach a target: " << e.what() << "\n";
    return 2;
  }
  const std::string run_prefix = pair.prefix();
  if (!found) {
    std::cout << fmt::format(
        "no difference: {} commands (seed {}), replies {}\n", commands.size(), options.seed,
        options.rename_cas ? "identical once each server's cas uniques are renamed in order" : "byte-identical");
    return 0;
  }
  std::cout << fmt::format("DIFFERENCE in batch {} (after {} commands, seed {})\n", found->batch, found->commands,
                           options.seed);
  if (!options.shrink) {
    print_difference(options, commands, run_prefix, *found, true);
    return 1;
  }

  // Shrinking: every candidate is replayed from a fresh start, in batches of kMaxBatch.
  try {
    const std::function<bool(const std::vector<Command>&)> differs = [&](const std::vector<Command>& candidate) {
      return pair.replay(candidate).has_value();
    };
    if (!differs(commands)) {
      std::cout << "the difference did not come back when the commands were replayed from a fresh start in\n"
                   "batches of 18, so it is shown as found, unshrunk:\n";
      print_difference(options, commands, run_prefix, *found, true);
      return 1;
    }
    ShrinkStats stats;
    std::vector<Command> shrunk = shrink<Command>(
        commands, differs, [](const Command& c) { return c.simplifications(); }, options.max_shrink_runs, &stats);
    // Last, shorter keys: one key renamed everywhere at a time.
    for (bool renamed = true; renamed && stats.tests < options.max_shrink_runs;) {
      renamed = false;
      for (auto& candidate : shorter_keys(shrunk)) {
        if (stats.tests >= options.max_shrink_runs) break;
        ++stats.tests;
        if (differs(candidate)) {
          shrunk = std::move(candidate);
          renamed = true;
          break;
        }
      }
    }
    // A last replay of the result, for the bytes to show (a replay that no longer differs would
    // be a flaky difference, shown as such).
    const auto last = pair.replay(shrunk);
    std::cout << fmt::format("shrunk from {} to {} command{} in {} replays{}{}\n", commands.size(), shrunk.size(),
                             shrunk.size() == 1 ? "" : "s", stats.tests + 1,
                             options.a.spawned() && options.b.spawned() ? " on fresh servers" : " on fresh keys",
                             stats.exhausted ? " (the budget ran out: perhaps not minimal)" : "");
    if (!last) {
      std::cout << "the shrunk sequence showed no difference when replayed once more (a flaky difference);\n"
                   "the difference as found:\n";
      print_difference(options, commands, run_prefix, *found, true);
      return 1;
    }
    print_difference(options, shrunk, pair.prefix(), *last, false);
  } catch (const SpawnError& e) {
    std::cerr << "mcconform diff: cannot restart a target while shrinking: " << e.what() << "\n";
    print_difference(options, commands, run_prefix, *found, true);
  }
  return 1;
}

}  // namespace mcconform::differential
