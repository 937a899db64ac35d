// Turns classic outcomes into text-protocol reply bytes.
#include "server/text_writer.hpp"

#include <charconv>

#include "server/reply_rules.hpp"

namespace mcrefd::server {
namespace {

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, static_cast<std::size_t>(end - digits));
}

void line(Output& out, std::string_view text) {
  out.bytes.append(text);
  out.bytes.append("\r\n");
}

void append_value(std::string& out, const engine::ItemView& item, bool with_cas) {
  out.append("VALUE ");
  out.append(item.key);
  out.push_back(' ');
  append_number(out, item.flags);
  out.push_back(' ');
  append_number(out, item.value.size());
  if (with_cas) {
    out.push_back(' ');
    append_number(out, item.cas);
  }
  out.append("\r\n");
  out.append(item.value);
  out.append("\r\n");
}

}  // namespace

void write_text(const Outcome& outcome, bool noreply, Output& out) {
  if (text_hides(outcome, noreply)) return;
  using Code = Outcome::Code;
  switch (outcome.code) {
    case Code::kStored: line(out, "STORED"); break;
    case Code::kNotStored: line(out, "NOT_STORED"); break;
    case Code::kExists: line(out, "EXISTS"); break;
    case Code::kNotFound: line(out, "NOT_FOUND"); break;
    case Code::kDeleted: line(out, "DELETED"); break;
    case Code::kTouched: line(out, "TOUCHED"); break;
    case Code::kOk: line(out, "OK"); break;
    case Code::kReset: line(out, "RESET"); break;
    case Code::kHit: append_value(out.bytes, *outcome.item, outcome.with_cas); break;
    case Code::kEnd: line(out, "END"); break;
    case Code::kNumber:
      append_number(out.bytes, outcome.number);
      out.bytes.append("\r\n");
      break;
    case Code::kText:
    case Code::kError: line(out, outcome.text); break;
    case Code::kBlock: out.bytes.append(outcome.text); break;
    case Code::kClosing: break;
    case Code::kDiscardThenError:
      out.discard_uncommitted();
      line(out, outcome.text);
      break;
  }
}

}  // namespace mcrefd::server
