// Turns meta outcomes into meta-protocol reply bytes, flags in the order the request gave them.
#include "server/meta_writer.hpp"

#include <charconv>

#include "protocol/base64.hpp"
#include "server/reply_rules.hpp"

namespace mcrefd::server {
namespace {

using protocol::MetaVerb;
using Code = MetaOutcome::Code;

void append_number(std::string& out, std::int64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, static_cast<std::size_t>(end - digits));
}
void append_unsigned(std::string& out, std::uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, static_cast<std::size_t>(end - digits));
}

// " k<key>", or " k<base64> b" for a key the client sent in base64.
void append_key(std::string& out, std::string_view key, bool binary) {
  out.append(" k");
  if (!binary) {
    out.append(key);
    return;
  }
  protocol::base64_append(key, out);
  out.append(" b");
}

std::string_view code_text(Code code) {
  switch (code) {
    case Code::kHD: return "HD";
    case Code::kVA: return "VA";
    case Code::kEN: return "EN";
    case Code::kNF: return "NF";
    case Code::kNS: return "NS";
    case Code::kEX: return "EX";
    case Code::kMN: return "MN";
    case Code::kText:
    case Code::kError: break;
  }
  return {};
}

// Which flags a reply reports: every command echoes O and k; mg on a hit, ms always and ma on a
// success also report item facts.
void append_flags(const protocol::MetaRequest& request, const MetaOutcome& o, std::string& out) {
  const bool success = o.code == Code::kHD || o.code == Code::kVA;
  const bool item_facts = (request.verb == MetaVerb::kGet && success) || request.verb == MetaVerb::kSet ||
                          (request.verb == MetaVerb::kArith && success);
  const protocol::MetaFlags& flags = request.flags;
  for (std::size_t i = 0; i < flags.count; ++i) {
    const std::string_view token = flags.tokens[i];
    const char flag = token[0];
    if (flag == 'O') {
      out.push_back(' ');
      out.append(token);
      continue;
    }
    if (flag == 'k') {
      if (o.has_item) {
        append_key(out, o.item_key, o.item_key_binary);
      } else {
        append_key(out, request.key(), request.key_binary);
      }
      continue;
    }
    if (!item_facts) continue;
    const bool get = request.verb == MetaVerb::kGet;
    switch (flag) {
      case 'c':
        out.append(" c");
        append_unsigned(out, o.cas);
        break;
      case 's':
        if (request.verb == MetaVerb::kArith) break;
        out.append(" s");
        append_unsigned(out, o.size);
        break;
      case 't':
        if (request.verb == MetaVerb::kSet) break;
        out.append(" t");
        append_number(out, o.ttl);
        break;
      case 'f':
        if (!get) break;
        out.append(" f");
        append_unsigned(out, o.client_flags);
        break;
      case 'l':
        if (!get) break;
        out.append(" l");
        append_unsigned(out, o.last_access);
        break;
      case 'h':
        if (!get) break;
        out.append(o.fetched ? " h1" : " h0");
        break;
      default: break;
    }
  }
  if (request.verb == MetaVerb::kGet && success) {
    if (o.token_sent) out.append(" Z");
    if (o.stale) out.append(" X");
    if (o.win) out.append(" W");
  }
}

}  // namespace

void write_meta(const protocol::MetaRequest& request, const MetaOutcome& outcome, Output& out) {
  if (meta_hides(request.verb, outcome, request.quiet())) return;
  std::string& bytes = out.bytes;
  if (outcome.code == Code::kText || outcome.code == Code::kError) {
    bytes.append(outcome.text);
    bytes.append("\r\n");
    return;
  }
  bytes.append(code_text(outcome.code));
  if (outcome.code == Code::kVA) {
    bytes.push_back(' ');
    append_unsigned(bytes, outcome.value.size());
  }
  if (request.verb != MetaVerb::kNoop) append_flags(request, outcome, bytes);
  bytes.append("\r\n");
  if (outcome.code == Code::kVA) {
    bytes.append(outcome.value);
    bytes.append("\r\n");
  }
}

}  // namespace mcrefd::server
