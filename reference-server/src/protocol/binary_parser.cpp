// The pure binary-protocol parser: bytes in; a request, an error to answer, a need for more bytes,
// or a close out.
#include "protocol/binary_parser.hpp"

#include "common/item_size.hpp"
#include "protocol/key_list.hpp"

namespace mcrefd::protocol::binary {
namespace {

using Kind = ParseResult::Kind;

// The quiet opcodes and the loud ones they stand for, as dispatch_bin_command maps them.
Opcode loud_form(std::uint8_t opcode, bool& quiet) {
  quiet = true;
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::kSetQ: return Opcode::kSet;
    case Opcode::kAddQ: return Opcode::kAdd;
    case Opcode::kReplaceQ: return Opcode::kReplace;
    case Opcode::kDeleteQ: return Opcode::kDelete;
    case Opcode::kIncrementQ: return Opcode::kIncrement;
    case Opcode::kDecrementQ: return Opcode::kDecrement;
    case Opcode::kQuitQ: return Opcode::kQuit;
    case Opcode::kFlushQ: return Opcode::kFlush;
    case Opcode::kAppendQ: return Opcode::kAppend;
    case Opcode::kPrependQ: return Opcode::kPrepend;
    case Opcode::kGetQ: return Opcode::kGet;
    case Opcode::kGetKQ: return Opcode::kGetK;
    case Opcode::kGatQ: return Opcode::kGat;
    case Opcode::kGatKQ: return Opcode::kGatK;
    default: break;
  }
  quiet = false;
  return static_cast<Opcode>(opcode);
}

class PacketParser {
 public:
  PacketParser(std::string_view input, const Header& header, const ParserLimits& limits)
      : input_(input), h_(header), limits_(limits) {
    extras_ = input.substr(kHeaderSize, h_.extras_length);
    key_ = input.substr(kHeaderSize + h_.extras_length, h_.key_length);
    head_size_ = kHeaderSize + h_.extras_length + h_.key_length;
    result_.frame.opaque = h_.opaque;
    result_.frame.opcode = h_.opcode;
    result_.frame.key = key_;
  }

  ParseResult parse() {
    // The key and extras must fit in the body; memcached answers Unknown command and hangs up.
    if (h_.key_length > h_.body_length || std::size_t{h_.key_length} + h_.extras_length > h_.body_length) {
      return error(Status::kUnknownCommand, 0, true);
    }
    // Keys are at most 250 bytes, whatever the opcode.
    if (h_.key_length > kKeyMaxLength) return error(Status::kInvalidArguments, 0, true);

    bool quiet = false;
    const Opcode op = loud_form(h_.opcode, quiet);
    result_.frame.quiet = quiet;
    const std::size_t ext = h_.extras_length, nkey = h_.key_length, body = h_.body_length;
    switch (op) {
      case Opcode::kVersion:
        if (ext != 0 || nkey != 0 || body != 0) return invalid();
        return request(VersionRequest{});
      case Opcode::kNoop:
        if (ext != 0 || nkey != 0 || body != 0) return invalid();
        return request(NoopRequest{});
      case Opcode::kQuit:
        if (ext != 0 || nkey != 0 || body != 0) return invalid();
        return request(QuitRequest{});
      case Opcode::kFlush: {
        if (nkey != 0 || body != ext || (ext != 0 && ext != 4)) return invalid();
        FlushRequest r;
        r.delay = ext == 4 ? static_cast<std::int64_t>(read_be(extras_)) : 0;
        return request(r);
      }
      case Opcode::kSet:
      case Opcode::kAdd:
      case Opcode::kReplace:
        if (ext != 8 || nkey == 0 || body < nkey + 8) return invalid();
        return store(op);
      case Opcode::kAppend:
      case Opcode::kPrepend:
        if (nkey == 0 || ext != 0) return invalid();
        return store(op);
      case Opcode::kGet:
      case Opcode::kGetK:
        if (ext != 0 || body != nkey || nkey == 0) return invalid();
        return retrieve(op);
      case Opcode::kTouch:
      case Opcode::kGat:
      case Opcode::kGatK:
        // memcached checks neither the body length nor a value here: whatever follows the key
        // is read as the next packet.
        if (ext != 4 || nkey == 0) return invalid();
        return retrieve(op);
      case Opcode::kDelete: {
        if (nkey == 0 || ext != 0 || body != nkey) return invalid();
        DeleteRequest r;
        r.key = key_;
        r.cas_unique = h_.cas;
        return request(r);
      }
      case Opcode::kIncrement:
      case Opcode::kDecrement: {
        if (nkey == 0 || ext != 20 || body != nkey + ext) return invalid();
        ArithRequest r;
        r.incr = op == Opcode::kIncrement;
        r.key = key_;
        r.delta = read_be(extras_.substr(0, 8));
        r.cas_unique = h_.cas;
        const auto expiration = static_cast<std::uint32_t>(read_be(extras_.substr(16, 4)));
        // An expiration of all ones means "do not create the item".
        r.create = expiration != 0xffffffffU;
        r.initial = read_be(extras_.substr(8, 8));
        r.exptime = expiration;
        return request(r);
      }
      case Opcode::kStat:
        if (ext != 0) return invalid();
        return stat();
      case Opcode::kSaslListMechs:
        if (ext != 0 || nkey != 0 || body != 0) return invalid();
        return error(Status::kUnknownCommand, body - nkey, false);
      case Opcode::kSaslAuth:
      case Opcode::kSaslStep:
        // Without SASL these are unknown; the value after the key is skipped.
        if (ext != 0 || nkey == 0) return invalid();
        return error(Status::kUnknownCommand, body - nkey, false);
      default:
        // memcached skips a whole body length after the extras and key it already read.
        return error(Status::kUnknownCommand, body, false);
    }
  }

 private:
  ParseResult request(Request r) {
    result_.kind = Kind::kRequest;
    result_.consumed = head_size_;
    result_.request = std::move(r);
    return result_;
  }

  ParseResult error(Status status, std::size_t swallow, bool close) {
    result_.kind = Kind::kError;
    result_.consumed = head_size_;
    result_.swallow = swallow;
    result_.error = status;
    result_.close_after_error = close;
    return result_;
  }

  // A request whose lengths its opcode does not accept: Invalid arguments, then memcached hangs up.
  ParseResult invalid() { return error(Status::kInvalidArguments, 0, true); }

  ParseResult store(Opcode op) {
    const std::size_t value_size = h_.body_length - h_.extras_length - h_.key_length;
    StoreRequest r;
    r.key = key_;
    r.cas_unique = h_.cas;
    r.count_too_large = false;
    if (op == Opcode::kAppend || op == Opcode::kPrepend) {
      r.verb = op == Opcode::kAppend ? StoreVerb::kAppend : StoreVerb::kPrepend;
    } else {
      r.flags = static_cast<std::uint32_t>(read_be(extras_.substr(0, 4)));
      r.exptime = static_cast<std::int64_t>(read_be(extras_.substr(4, 4)));
      // A cas turns set, add and replace alike into a compare-and-swap.
      r.verb = h_.cas != 0              ? StoreVerb::kCas
               : op == Opcode::kAdd     ? StoreVerb::kAdd
               : op == Opcode::kReplace ? StoreVerb::kReplace
                                        : StoreVerb::kSet;
      r.drop_old_if_too_large = op == Opcode::kSet;
    }
    // Refused before the value is read; memcached skips the value as it arrives.
    if (common::memcached_item_size(key_.size(), r.flags, value_size) > limits_.item_size_max) {
      r.too_large = true;
      ParseResult out = request(r);
      out.swallow = value_size;
      return out;
    }
    if (input_.size() - head_size_ < value_size) return ParseResult{};
    r.value = input_.substr(head_size_, value_size);
    ParseResult out = request(r);
    out.consumed += value_size;
    return out;
  }

  ParseResult retrieve(Opcode op) {
    RetrieveRequest r;
    r.keys = KeyList::single(key_);
    if (op == Opcode::kGat || op == Opcode::kGatK || op == Opcode::kTouch) {
      r.verb = RetrieveVerb::kGat;
      r.exptime = static_cast<std::int64_t>(read_be(extras_));
    }
    result_.frame.return_key = op == Opcode::kGetK || op == Opcode::kGatK;
    result_.frame.return_value = op != Opcode::kTouch;
    return request(r);
  }

  // memcached's groups in binary: reset, settings and detail match as prefixes; items, slabs and
  // sizes exactly; anything else (conns included) is not found. A value after the key is read as
  // the next packet.
  ParseResult stat() {
    StatsRequest r;
    const std::string_view k = key_;
    if (k.empty()) return request(r);
    if (k.starts_with("reset")) {
      r.group = "reset";
    } else if (k.starts_with("settings")) {
      r.group = "settings";
    } else if (k.starts_with("detail")) {
      r.group = "detail";
      const std::string_view rest = k.substr(6);
      if (rest.starts_with(" dump")) {
        r.arg = "dump";
      } else if (rest.starts_with(" on")) {
        r.arg = "on";
      } else if (rest.starts_with(" off")) {
        r.arg = "off";
      } else {
        return error(Status::kKeyNotFound, 0, false);
      }
    } else if (k == "items" || k == "slabs" || k == "sizes") {
      r.group = k;
    } else {
      return error(Status::kKeyNotFound, 0, false);
    }
    return request(r);
  }

  std::string_view input_;
  Header h_;
  const ParserLimits& limits_;
  std::string_view extras_;
  std::string_view key_;
  std::size_t head_size_ = 0;
  ParseResult result_;
};

}  // namespace

ParseResult parse_binary_request(std::string_view input, const ParserLimits& limits) {
  if (input.size() < kHeaderSize) return ParseResult{};
  const Header header = decode_header(input);
  if (header.magic != kRequestMagic) {
    ParseResult out;
    out.kind = Kind::kClose;
    return out;
  }
  if (input.size() < kHeaderSize + header.extras_length + header.key_length) return ParseResult{};
  return PacketParser(input, header, limits).parse();
}

}  // namespace mcrefd::protocol::binary
