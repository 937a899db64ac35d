// The one loop from request bytes to reply bytes (parse, execute, write), for sockets and tests.
#include "server/driver.hpp"

#include <algorithm>

#include "protocol/request_parser.hpp"
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

// Hands each outcome of one request to its protocol's writer.
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

}  // namespace

Driver::Result Driver::run(std::string_view input, Output& out, std::size_t output_limit) {
  Result result;
  int in_batch = 0;
  commit(out, session_);
  std::size_t at = 0;
  while (out.bytes.size() < output_limit) {
    if (swallow_ > 0) {
      const std::size_t n = std::min(swallow_, input.size() - at);
      at += n;
      swallow_ -= n;
      if (swallow_ > 0) break;
    }
    if (at == input.size()) break;
    const protocol::ParseOutcome parsed = protocol::parse_request(input.substr(at), limits_);
    if (parsed.status == protocol::ParseOutcome::Status::kNeedMore) {
      result.need_more = true;
      break;
    }
    if (parsed.status == protocol::ParseOutcome::Status::kClose) {
      result.close = true;
      break;
    }
    WritingSink sink(parsed.request, session_, out);
    const AfterRequest after = executor_->execute(parsed.request, session_, sink);
    at += parsed.consumed;
    swallow_ = parsed.swallow;
    if (after == AfterRequest::kClose) {
      result.close = true;
      break;
    }
    if (++in_batch == kRequestsPerBatch) {
      in_batch = 0;
      commit(out, session_);
    }
  }
  result.consumed = at;
  return result;
}

}  // namespace mcrefd::server
