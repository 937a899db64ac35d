// The one loop from request bytes to reply bytes (parse, execute, write), for sockets and tests.
#include "server/driver.hpp"

#include <algorithm>

#include "protocol/binary_parser.hpp"
#include "protocol/request_parser.hpp"
#include "server/binary_writer.hpp"
#include "server/meta_writer.hpp"
#include "server/text_writer.hpp"

namespace mcrefd::server {
namespace {

bool noreply_of(const protocol::Request& request) {
  return std::visit(
      [](const auto& r) {
        if constexpr (requires { r.noreply; }) {
          return r.noreply;
        } else {
          return false;
        }
      },
      request);
}

// The replies so far are as good as sent: memcached writes its batch here.
void commit(Output& out, Session& session) {
  out.commit();
  session.replies_sent();
}

// Hands each outcome of one text or meta request to its protocol's writer.
class WritingSink final : public OutcomeSink {
 public:
  WritingSink(const protocol::Request& request, Session& session, Output& out)
      : request_(request), noreply_(noreply_of(request)), session_(session), out_(out) {}

  void text(const Outcome& outcome) override { write_text(outcome, noreply_, out_); }
  void meta(const MetaOutcome& outcome) override {
    write_meta(std::get<protocol::MetaRequest>(request_), outcome, out_);
  }
  void flush_point() override { commit(out_, session_); }
  bool replies_pending() const override { return out_.bytes.size() > out_.committed; }

 private:
  const protocol::Request& request_;
  bool noreply_;
  Session& session_;
  Output& out_;
};

// Hands each outcome of one binary request to the binary writer; memcached sends what it has
// after its errors.
class BinaryWritingSink final : public OutcomeSink {
 public:
  BinaryWritingSink(const protocol::binary::Frame& frame, Session& session, Output& out)
      : writer_(frame, out), session_(session), out_(out) {}

  void text(const Outcome& outcome) override {
    if (writer_.write(outcome)) commit(out_, session_);
  }
  void meta(const MetaOutcome& /*outcome*/) override {}  // the binary parser makes no meta request
  void flush_point() override { commit(out_, session_); }
  bool replies_pending() const override { return out_.bytes.size() > out_.committed; }
  BinaryWriter& writer() { return writer_; }

 private:
  BinaryWriter writer_;
  Session& session_;
  Output& out_;
};

}  // namespace

Driver::Step Driver::run_text(std::string_view input, std::size_t& at, Output& out) {
  const protocol::ParseOutcome parsed = protocol::parse_request(input.substr(at), limits_);
  if (parsed.status == protocol::ParseOutcome::Status::kNeedMore) return {.need_more = true};
  if (parsed.status == protocol::ParseOutcome::Status::kClose) return {.close = true};
  WritingSink sink(parsed.request, session_, out);
  const AfterRequest after = executor_->execute(parsed.request, session_, sink);
  at += parsed.consumed;
  swallow_ = parsed.swallow;
  return {.close = after == AfterRequest::kClose};
}

Driver::Step Driver::run_binary(std::string_view input, std::size_t& at, Output& out) {
  using Kind = protocol::binary::ParseResult::Kind;
  const protocol::binary::ParseResult parsed = protocol::binary::parse_binary_request(input.substr(at), limits_);
  switch (parsed.kind) {
    case Kind::kNeedMore: return {.need_more = true};
    case Kind::kClose:
      // Not a request packet: memcached closes at once, and the replies it had not sent are lost.
      out.discard_uncommitted();
      return {.close = true};
    case Kind::kError: {
      BinaryWritingSink sink(parsed.frame, session_, out);
      sink.writer().write_error(parsed.error);
      // memcached sends at once, unless it still has a body to skip.
      if (parsed.swallow == 0) sink.flush_point();
      at += parsed.consumed;
      swallow_ = parsed.swallow;
      return {.close = parsed.close_after_error};
    }
    case Kind::kRequest: break;
  }
  BinaryWritingSink sink(parsed.frame, session_, out);
  const AfterRequest after = executor_->execute(parsed.request, session_, sink);
  at += parsed.consumed;
  swallow_ = parsed.swallow;
  return {.close = after == AfterRequest::kClose};
}

Driver::Result Driver::run(std::string_view input, Output& out, std::size_t output_limit) {
  Result result;
  int in_batch = -1;  // see kRequestsPerBatch
  // Replies held back while a body is skipped join the batch that follows the skip.
  if (swallow_ == 0) commit(out, session_);
  std::size_t at = 0;
  while (out.bytes.size() < output_limit) {
    if (swallow_ > 0) {
      const std::size_t n = std::min(swallow_, input.size() - at);
      at += n;
      swallow_ -= n;
      if (swallow_ > 0) break;
    }
    if (at == input.size()) break;
    if (protocol_ == Protocol::kUndecided) {
      // As memcached: the first byte of a connection picks its protocol for good.
      const bool binary = limits_.protocols == protocol::Protocols::kBinary ||
                          (limits_.protocols == protocol::Protocols::kAuto &&
                           static_cast<unsigned char>(input[at]) == protocol::binary::kRequestMagic);
      protocol_ = binary ? Protocol::kBinary : Protocol::kText;
    }
    const Step step = protocol_ == Protocol::kBinary ? run_binary(input, at, out) : run_text(input, at, out);
    if (step.need_more) {
      result.need_more = true;
      break;
    }
    if (step.close) {
      result.close = true;
      break;
    }
    if (++in_batch == kRequestsPerBatch) {
      in_batch = 0;
      commit(out, session_);
    }
  }
  result.consumed = at;
  result.hold_uncommitted = swallow_ > 0;
  return result;
}

}  // namespace mcrefd::server
