// Turns classic outcomes into binary-protocol response packets.
#include "server/binary_writer.hpp"

#include <initializer_list>

#include "server/reply_rules.hpp"

namespace mcrefd::server {
namespace {

using protocol::binary::Opcode;
using protocol::binary::ResponseHeader;
using protocol::binary::Status;
using Code = Outcome::Code;

// write_bin_error's messages in memcached 1.6.38.
std::string_view message_of(Status status) {
  switch (status) {
    case Status::kOutOfMemory: return "Out of memory";
    case Status::kUnknownCommand: return "Unknown command";
    case Status::kKeyNotFound: return "Not found";
    case Status::kInvalidArguments: return "Invalid arguments";
    case Status::kKeyExists: return "Data exists for key.";
    case Status::kTooLarge: return "Too large.";
    case Status::kNonNumeric: return "Non-numeric server-side value for incr or decr";
    case Status::kNotStored: return "Not stored.";
    case Status::kAuthError: return "Auth failure.";
    case Status::kSuccess: break;
  }
  return {};
}

bool is(std::uint8_t opcode, std::initializer_list<Opcode> any) {
  for (const Opcode op : any) {
    if (opcode == static_cast<std::uint8_t>(op)) return true;
  }
  return false;
}

}  // namespace

void BinaryWriter::packet(Status status, std::uint8_t extras_length, std::string_view extras, std::string_view key,
                          std::string_view value, std::uint64_t cas) {
  ResponseHeader h;
  h.opcode = frame_.opcode;
  h.status = status;
  h.key_length = static_cast<std::uint16_t>(key.size());
  h.extras_length = extras_length;
  h.body_length = static_cast<std::uint32_t>(extras.size() + key.size() + value.size());
  h.opaque = frame_.opaque;
  h.cas = cas;
  protocol::binary::append_header(out_.bytes, h);
  out_.bytes.append(extras);
  out_.bytes.append(key);
  out_.bytes.append(value);
}

void BinaryWriter::write_error(Status status, std::string_view message) {
  packet(status, 0, {}, {}, message.empty() ? message_of(status) : message, 0);
}

void BinaryWriter::write_hit(const engine::ItemView& item) {
  std::string flags;
  protocol::binary::append_be(flags, item.flags, 4);
  packet(Status::kSuccess, 4, flags, frame_.return_key ? frame_.key : std::string_view{},
         frame_.return_value ? item.value : std::string_view{}, item.cas);
}

bool BinaryWriter::write(const Outcome& outcome) {
  if (outcome.code == Code::kHit) hit_ = true;
  if (binary_hides(outcome, frame_.quiet)) return false;
  if (frame_.opcode == static_cast<std::uint8_t>(Opcode::kStat)) return write_stat(outcome);
  switch (outcome.code) {
    case Code::kStored: packet(Status::kSuccess, 0, {}, {}, {}, outcome.cas); return false;
    case Code::kDeleted:
    case Code::kTouched:
    case Code::kOk:
    case Code::kClosing: packet(Status::kSuccess, 0, {}, {}, {}, 0); return false;
    case Code::kHit: write_hit(*outcome.item); return false;
    case Code::kEnd:
      if (hit_) return false;
      // getk and gatk name the missing key (the key is the whole body); the others answer with
      // the error text.
      if (frame_.return_key) {
        packet(Status::kKeyNotFound, 0, {}, frame_.key, {}, 0);
        return false;
      }
      write_error(Status::kKeyNotFound);
      return true;
    case Code::kNumber: {
      std::string value;
      protocol::binary::append_be(value, outcome.number, 8);
      packet(Status::kSuccess, 0, {}, {}, value, outcome.cas);
      return false;
    }
    case Code::kText: {
      // version: the text protocol's line without its "VERSION ".
      std::string_view text = outcome.text;
      if (text.starts_with("VERSION ")) text.remove_prefix(8);
      packet(Status::kSuccess, 0, {}, {}, text, 0);
      return false;
    }
    default: return write_failure(outcome);
  }
}

bool BinaryWriter::write_failure(const Outcome& outcome) {
  switch (outcome.code) {
    case Code::kNotStored:
      // memcached answers a refused add as an existing key, a refused replace as a missing one.
      if (is(frame_.opcode, {Opcode::kAdd, Opcode::kAddQ})) {
        write_error(Status::kKeyExists);
      } else if (is(frame_.opcode, {Opcode::kReplace, Opcode::kReplaceQ})) {
        write_error(Status::kKeyNotFound);
      } else {
        write_error(Status::kNotStored);
      }
      return true;
    case Code::kExists: write_error(Status::kKeyExists); return true;
    case Code::kNotFound: write_error(Status::kKeyNotFound); return true;
    default: break;
  }
  switch (outcome.fault) {
    case Outcome::Fault::kTooLarge:
      // memcached skips the refused value before it sends anything.
      write_error(Status::kTooLarge);
      return false;
    case Outcome::Fault::kNonNumeric: write_error(Status::kNonNumeric); return true;
    case Outcome::Fault::kOutOfMemory:
      write_error(Status::kOutOfMemory,
                  is(frame_.opcode, {Opcode::kIncrement, Opcode::kIncrementQ, Opcode::kDecrement, Opcode::kDecrementQ})
                      ? "Out of memory incrementing value"
                      : "Out of memory allocating item");
      return true;
    case Outcome::Fault::kNone: break;
  }
  write_error(Status::kInvalidArguments);
  return true;
}

// The stat opcode answers a stream of packets, one per statistic (key: its name, value: its
// value), ended by an empty one; the text protocol's "STAT name value" lines become packets.
bool BinaryWriter::write_stat(const Outcome& outcome) {
  auto terminator = [&] { packet(Status::kSuccess, 0, {}, {}, {}, 0); };
  switch (outcome.code) {
    case Code::kBlock: {
      std::string_view block = outcome.text;
      while (!block.empty()) {
        const std::size_t eol = block.find("\r\n");
        std::string_view line = block.substr(0, eol);
        block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
        if (!line.starts_with("STAT ")) continue;  // "END": the terminator below
        line.remove_prefix(5);
        const std::size_t space = line.find(' ');
        packet(Status::kSuccess, 0, {}, line.substr(0, space),
               space == std::string_view::npos ? std::string_view{} : line.substr(space + 1), 0);
      }
      terminator();
      return false;
    }
    case Code::kReset: terminator(); return false;
    case Code::kError:
      // The answers of `stats detail`: on and off answer the terminator alone; dump answers the
      // dump, as the text protocol has it, under the key "detailed".
      if (outcome.text == "OK") {
        terminator();
        return false;
      }
      if (outcome.text == "END") {
        packet(Status::kSuccess, 0, {}, "detailed", "END\r\n", 0);
        terminator();
        return false;
      }
      write_error(Status::kKeyNotFound);
      return true;
    default: write_error(Status::kKeyNotFound); return true;
  }
}

}  // namespace mcrefd::server
