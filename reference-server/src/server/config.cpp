// mcrefd's command line, compatible with memcached's for the flags users pass.
#include "server/config.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include <fmt/format.h>

namespace mcrefd::server {
namespace {

constexpr int kUsageError = 2;

template <typename T>
bool parse_integer(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

// memcached's -I takes bytes, or a number with a k or m suffix.
bool parse_size(std::string_view text, std::size_t& out) {
  std::size_t multiplier = 1;
  if (!text.empty() && (text.back() == 'k' || text.back() == 'K')) multiplier = 1024;
  if (!text.empty() && (text.back() == 'm' || text.back() == 'M')) multiplier = 1024 * 1024;
  if (multiplier != 1) text.remove_suffix(1);
  std::size_t value = 0;
  if (!parse_integer(text, value)) return false;
  out = value * multiplier;
  return true;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (true) {
    auto at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

ParsedCommandLine fail(const char* program, const std::string& why) {
  return {std::nullopt, kUsageError, fmt::format("{}: {}\n\n{}", program, why, usage_text(program))};
}

}  // namespace

std::string usage_text(const char* program) {
  return fmt::format(
      "usage: {} [options]\n"
      "mcrefd, the mcconform reference server: memcached 1.6's text, meta and binary protocols, in memory.\n"
      "  -p, --port=<num>          TCP port to listen on (default 11211; -1 picks a free port and,\n"
      "                            with MEMCACHED_PORT_FILENAME set, writes it to that file)\n"
      "  -l, --listen=<addr>       interfaces to listen on, comma separated (default 127.0.0.1)\n"
      "  -t, --threads=<num>       worker threads (default 4)\n"
      "  -m, --memory-limit=<mb>   item memory in megabytes (default 64)\n"
      "  -c, --conn-limit=<num>    max simultaneous connections (default 1024)\n"
      "  -I, --max-item-size=<sz>  largest item, in bytes or with k/m (default 1m)\n"
      "  -U, --udp-port=<num>      accepted for compatibility; only 0 (UDP off) is supported\n"
      "  -u, --user=<name>         accepted for compatibility; mcrefd never changes user\n"
      "  -B, --protocol=<name>     ascii, binary, or auto (default: the first byte of each connection\n"
      "                            decides)\n"
      "  -o, --extended=<opts>     comma separated: idle_timeout=<seconds>, poll_us=<microseconds> (a\n"
      "                            worker that has just served requests polls this long before it\n"
      "                            sleeps, unless that takes the CPU from another thread; default 50),\n"
      "                            yield_us=<microseconds> (a worker that has run this long without\n"
      "                            leaving its CPU offers it to any thread waiting for it; default\n"
      "                            100)\n"
      "  -v, --verbose             more output on stderr (-vv: every request)\n"
      "  -h, --help                this text\n",
      program);
}

ParsedCommandLine parse_command_line(int argc, char** argv) {
  const char* program = argc > 0 ? argv[0] : "mcrefd";
  Config config;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view flag = arg;
    std::optional<std::string_view> inline_value;
    if (arg.starts_with("--")) {
      if (auto eq = arg.find('='); eq != std::string_view::npos) {
        flag = arg.substr(0, eq);
        inline_value = arg.substr(eq + 1);
      }
    } else if (arg.size() > 2 && arg[0] == '-' && arg[1] != 'v') {
      flag = arg.substr(0, 2);
      inline_value = arg.substr(2);
    }
    auto value = [&]() -> std::optional<std::string_view> {
      if (inline_value) return inline_value;
      if (i + 1 < argc) return std::string_view(argv[++i]);
      return std::nullopt;
    };

    if (flag == "-h" || flag == "--help") return {std::nullopt, 0, usage_text(program)};
    if (flag.starts_with("-v") && flag.find_first_not_of('v', 1) == std::string_view::npos) {
      config.verbosity += static_cast<int>(flag.size() - 1);
      continue;
    }
    if (flag == "--verbose") {
      ++config.verbosity;
      continue;
    }
    static constexpr std::string_view kTakesValue[] = {
        "-p", "--port",          "-l", "--listen",   "-t", "--threads", "-m", "--memory-limit", "-c", "--conn-limit",
        "-I", "--max-item-size", "-U", "--udp-port", "-u", "--user",    "-o", "--extended",     "-B", "--protocol"};
    if (std::find(std::begin(kTakesValue), std::end(kTakesValue), flag) == std::end(kTakesValue)) {
      return fail(program, fmt::format("unknown option '{}'", arg));
    }
    auto v = value();
    if (!v) return fail(program, fmt::format("option {} needs a value", flag));
    if (flag == "-p" || flag == "--port") {
      if (!parse_integer(*v, config.port) || config.port < -1 || config.port > 65535) {
        return fail(program, fmt::format("bad port '{}'", *v));
      }
    } else if (flag == "-l" || flag == "--listen") {
      config.listen_addresses = split(*v, ',');
    } else if (flag == "-t" || flag == "--threads") {
      if (!parse_integer(*v, config.threads) || config.threads < 1 || config.threads > 256) {
        return fail(program, fmt::format("bad thread count '{}'", *v));
      }
    } else if (flag == "-m" || flag == "--memory-limit") {
      if (!parse_integer(*v, config.memory_limit_mb) || config.memory_limit_mb < 1) {
        return fail(program, fmt::format("bad memory limit '{}'", *v));
      }
    } else if (flag == "-c" || flag == "--conn-limit") {
      if (!parse_integer(*v, config.max_connections) || config.max_connections < 1) {
        return fail(program, fmt::format("bad connection limit '{}'", *v));
      }
    } else if (flag == "-I" || flag == "--max-item-size") {
      if (!parse_size(*v, config.item_size_max) || config.item_size_max < 1024 ||
          config.item_size_max > 1024 * 1024 * 1024) {
        return fail(program, fmt::format("bad item size '{}' (1k to 1024m)", *v));
      }
    } else if (flag == "-U" || flag == "--udp-port") {
      int udp = 0;
      if (!parse_integer(*v, udp) || udp != 0) return fail(program, "only -U 0 is supported: mcrefd speaks TCP only");
    } else if (flag == "-B" || flag == "--protocol") {
      if (*v == "auto") {
        config.protocols = protocol::Protocols::kAuto;
      } else if (*v == "binary") {
        config.protocols = protocol::Protocols::kBinary;
      } else if (*v == "ascii") {
        config.protocols = protocol::Protocols::kText;
      } else {
        return fail(program, fmt::format("bad protocol '{}': one of auto, binary, ascii", *v));
      }
    } else if (flag == "-u" || flag == "--user") {
      // Accepted so that memcached command lines work unchanged.
    } else if (flag == "-o" || flag == "--extended") {
      for (const std::string& option : split(*v, ',')) {
        std::string_view opt = option;
        if (opt.starts_with("idle_timeout=")) {
          if (!parse_integer(opt.substr(13), config.idle_timeout_seconds)) {
            return fail(program, fmt::format("bad idle_timeout '{}'", opt.substr(13)));
          }
        } else if (opt.starts_with("poll_us=") || opt.starts_with("yield_us=")) {
          // Microseconds, up to a second.
          const std::size_t equals = opt.find('=');
          unsigned& field = opt.starts_with("poll_us=") ? config.poll_microseconds : config.yield_microseconds;
          if (!parse_integer(opt.substr(equals + 1), field) || field > 1000000) {
            return fail(program,
                        fmt::format("bad {} '{}' (0 to 1000000)", opt.substr(0, equals), opt.substr(equals + 1)));
          }
        } else {
          return fail(program, fmt::format("unknown -o option '{}'", opt));
        }
      }
    } else {
      return fail(program, fmt::format("unknown option '{}'", arg));
    }
  }
  if (config.item_size_max > config.memory_limit_mb * 1024 * 1024 / 2) {
    return fail(program, "the item size limit (-I) must be at most half the memory limit (-m)");
  }
  return {config, 0, {}};
}

}  // namespace mcrefd::server
