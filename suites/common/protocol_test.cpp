// The fixture every protocol test derives from: tags, a fresh connection, unique keys, helpers.
#include "protocol_test.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>

#include "mcconform/clock_tick.hpp"
#include "mcconform/escape.hpp"
#include "mcconform/report.hpp"
#include "mcconform/run_context.hpp"
#include "test_gate.hpp"

namespace mcconform::suites {
namespace {
std::atomic<int> test_counter{0};
}  // namespace

void ProtocolTest::SetUp() {
  auto tags = current_test_tags();
  ASSERT_TRUE(tags.has_value()) << "every test must declare its feature and level with MC_TEST";
  tags_ = *tags;
  RecordProperty("feature", std::string(feature_name(tags_.feature)));
  RecordProperty("level", std::string(level_name(tags_.level)));
  if (auto why = skip_reason(tags_)) GTEST_SKIP() << *why;

  RunContext& run = RunContext::instance();
  prefix_ = fmt::format("mcc-{}-{}-", run.run_id(), ++test_counter);
  case_begun_ = true;
  run.begin_case(tags_);
  try {
    const Endpoint server = run.primary();  // spawned first, for the run's first case
    transcript_.restart_clock();
    connections_.emplace_back(server, run.options().timeout, &transcript_, 1);
  } catch (const DeadlineExpired&) {
    connect_timed_out_ = true;
    throw;
  }
  set_up_done_ = true;
}

void ProtocolTest::TearDown() {
  // The last word: everything the test sent has been answered exactly as expected, no more.
  if (set_up_done_ && !HasFailure() && sentinel_at_end_ && !conn().peer_closed()) {
    try {
      EXPECT_TRUE(closing_sentinel()) << "(after the test's own checks)";
    } catch (const ConnectionError& e) {
      ADD_FAILURE() << "sentinel round trip after the test: " << e.what();
    }
  }
  // A failure where the server hung up (or never answered) may be the server dying: give a
  // process that is still exiting a moment to be seen as dead.
  const bool server_hung_up =
      std::any_of(connections_.begin(), connections_.end(), [](const Connection& c) { return c.peer_closed(); });
  const auto grace =
      HasFailure() && (server_hung_up || !set_up_done_) ? std::chrono::milliseconds(300) : std::chrono::milliseconds(0);
  record_contact();
  if (auto death = RunContext::instance().check_primary_after_test(grace)) {
    ADD_FAILURE() << "the target died during this test: " << *death;
  }
  connections_.clear();
  if (case_begun_) {
    if (auto unsettled = RunContext::instance().end_case()) ADD_FAILURE() << *unsettled;
  }
  // The wire log goes to the report (JSON, the page) for every case, and into a failing case's
  // JUnit failure text and its properties.
  publish_case_wire_log(transcript_);
  if (HasFailure() && !transcript_.empty()) {
    const std::string rendered = transcript_.render();
    RecordProperty("transcript", rendered);
    ADD_FAILURE() << "wire log of " << ::testing::UnitTest::GetInstance()->current_test_info()->name()
                  << " (ms since the case began):\n"
                  << rendered;
  }
}

Connection& ProtocolTest::open_connection() {
  RunContext& run = RunContext::instance();
  try {
    connections_.emplace_back(run.primary(), run.options().timeout, &transcript_,
                              static_cast<int>(connections_.size()) + 1);
  } catch (const DeadlineExpired&) {
    connect_timed_out_ = true;
    throw;
  }
  return connections_.back();
}

void ProtocolTest::record_contact() {
  const bool answered =
      std::any_of(connections_.begin(), connections_.end(), [](const Connection& c) { return c.bytes_received() > 0; });
  const bool timed_out = connect_timed_out_ || std::any_of(connections_.begin(), connections_.end(),
                                                           [](const Connection& c) { return c.timed_out(); });
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string detail = "a deadline expired";
  for (int i = 0; i < info->result()->total_part_count(); ++i) {
    const auto& part = info->result()->GetTestPartResult(i);
    if (!part.failed()) continue;
    constexpr std::size_t kLongest = 200;
    detail = summary_line(part.message());
    if (detail.size() > kLongest) detail = detail.substr(0, kLongest) + "...";
    break;
  }
  CaseContact contact = answered ? CaseContact::kAnswered : timed_out ? CaseContact::kTimedOut : CaseContact::kNone;
  // A case that failed without a byte on its own connections (one that talks through
  // libmemcached, say) proves nothing yet: one sentinel round trip tells an answering target
  // from a silent one.
  if (contact == CaseContact::kNone && set_up_done_ && HasFailure()) {
    RunContext& run = RunContext::instance();
    try {
      Connection probe(run.primary(), run.options().timeout);
      contact = probe.expect_sentinel() || probe.bytes_received() > 0 ? CaseContact::kAnswered : CaseContact::kNone;
      if (probe.timed_out()) {
        contact = CaseContact::kTimedOut;
        detail += fmt::format(" (and a get right after it had no answer within {} ms)", run.options().timeout.count());
      }
    } catch (const DeadlineExpired& e) {
      contact = CaseContact::kTimedOut;
      detail += fmt::format(" (and {})", e.what());
    } catch (const ConnectionError&) {
      // Refused or reset: the target is not silent; whether it died is the death check's business.
    }
  }
  RunContext::instance().record_case_contact(contact, fmt::format("{}.{}", info->test_suite_name(), info->name()),
                                             detail);
}

std::string ProtocolTest::key(std::string_view name) const { return prefix_ + std::string(name); }

std::string ProtocolTest::key_of_length(std::size_t length, std::string_view name) const {
  std::string k = key(name);
  if (k.size() < length) k.append(length - k.size(), 'x');
  if (k.size() > length) k.resize(length);
  return k;
}

::testing::AssertionResult ProtocolTest::store(std::string_view k, std::string_view value, std::uint32_t flags,
                                               std::int64_t exptime) {
  conn().send(fmt::format("set {} {} {} {}\r\n{}\r\n", k, flags, exptime, value.size(), value));
  return conn().expect("STORED\r\n");
}

::testing::AssertionResult ProtocolTest::expect_across_clock_tick(std::string_view expected) {
  std::string received;
  std::size_t at = 0;
  while (at < expected.size()) {
    const std::size_t eol = expected.find("\r\n", at);
    const std::size_t end = eol == std::string_view::npos ? expected.size() : eol + 2;
    const std::string_view want = expected.substr(at, end - at);
    // A status line may differ in length (t10 -> t9): read it to its end. Anything else (classic
    // replies, data blocks) is read by its expected length, as expect() does.
    const bool status = is_meta_status_line(want) && want.ends_with("\r\n");
    const std::string got = status ? conn().read_until("\r\n") : conn().read_exact(want.size());
    received += got;
    if (status ? !same_but_for_a_clock_tick(want, got) : got != want) {
      return ::testing::AssertionFailure()
             << "the reply differs (t and l may move by one clock tick)\n  expected: " << escape_bytes(expected)
             << "\n  received: " << escape_bytes(received);
    }
    at = end;
  }
  return ::testing::AssertionSuccess();
}

std::optional<std::uint64_t> ProtocolTest::fetch_cas(std::string_view k) {
  conn().send(fmt::format("gets {}\r\n", k));
  const std::string header = conn().read_until("\r\n");
  if (header == "END\r\n") return std::nullopt;
  // VALUE <key> <flags> <bytes> <cas>\r\n
  std::vector<std::string_view> words;
  std::string_view rest(header.data(), header.size() - 2);
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    words.push_back(rest.substr(0, space));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  std::size_t bytes = 0;
  std::uint64_t cas = 0;
  if (words.size() != 5 || words[0] != "VALUE" ||
      std::from_chars(words[3].data(), words[3].data() + words[3].size(), bytes).ec != std::errc{} ||
      std::from_chars(words[4].data(), words[4].data() + words[4].size(), cas).ec != std::errc{}) {
    ADD_FAILURE() << "malformed gets reply header: " << header;
    return std::nullopt;
  }
  conn().read_exact(bytes + 2);
  if (!conn().expect("END\r\n")) return std::nullopt;
  return cas;
}

std::optional<std::uint64_t> ProtocolTest::fetch_meta_cas(std::string_view k) {
  conn().send(fmt::format("mg {} c\r\n", k));
  const std::string line = conn().read_until("\r\n");
  if (line == "EN\r\n") return std::nullopt;
  std::uint64_t cas = 0;
  const char* first = line.data() + 4;
  // Other return flags (X, W, Z) may follow the token.
  const char* last = line.data() + std::min(line.find(' ', 4), line.size() - 2);
  if (!line.starts_with("HD c") || std::from_chars(first, last, cas).ptr != last) {
    ADD_FAILURE() << "malformed mg c reply: " << line;
    return std::nullopt;
  }
  return cas;
}

std::string ProtocolTest::base64(std::string_view bytes) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
    }
    for (std::size_t j = 0; j < 4; ++j) out += j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 63U] : '=';
  }
  return out;
}

std::string ProtocolTest::value_reply(std::string_view k, std::string_view value, std::uint32_t flags) {
  return fmt::format("VALUE {} {} {}\r\n{}\r\nEND\r\n", k, flags, value.size(), value);
}

}  // namespace mcconform::suites
