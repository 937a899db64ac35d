// The HTML report: one self-contained page (inline style and script, nothing fetched) with the
// cases x servers matrix, each server's summary per feature, filters, and every case's requirement
// and wire log a click away. Built from the same document as the JSON report.
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "mcconform/report.hpp"
#include "report_document.hpp"

namespace mcconform {
namespace {

// Everything that reaches the page from a server or a message passes through here.
std::string html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A JSON string value as text (already valid UTF-8 after the document's replacement).
std::string text_of(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

constexpr std::string_view kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
.v-passed{background:#c8f0c8}.v-failed{background:#f6b0b0;font-weight:bold}.v-not-run{background:#f6d0a0}
.v-informational,.v-expected-failure{background:#fff2a8}.v-unexpected-pass{background:#d8f0ff}
.v-skipped,.v-not-implemented,.v-absent{background:#e8e8e8;color:#555}
.pass{color:#070;font-weight:bold}.fail{color:#b00;font-weight:bold}
pre.wire{background:#f8f8f8;border:1px solid #ddd;padding:4px;max-width:110ch;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.wire .sent{color:#004a9f}.wire .received{color:#006b1f}.wire .closed{color:#a00}
#filters label{margin-right:1em}details summary{cursor:pointer}
)";

constexpr std::string_view kScript = R"(
(function () {
  var names = ['feature', 'level', 'verdict'];
  function select(name) { return document.getElementById('filter-' + name); }
  function fromHash() {
    var wanted = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (pair) {
      var at = pair.indexOf('=');
      if (at > 0) wanted[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
    });
    names.forEach(function (name) { select(name).value = wanted[name] || ''; });
  }
  function toHash() {
    var parts = [];
    names.forEach(function (name) { if (select(name).value) parts.push(name + '=' + encodeURIComponent(select(name).value)); });
    history.replaceState(null, '', parts.length ? '#' + parts.join('&') : location.pathname + location.search);
  }
  function apply() {
    var f = select('feature').value, l = select('level').value, v = select('verdict').value, shown = 0;
    var rows = document.querySelectorAll('#matrix tr.case');
    for (var i = 0; i < rows.length; ++i) {
      var r = rows[i];
      var ok = (!f || r.getAttribute('data-feature') === f) && (!l || r.getAttribute('data-level') === l) &&
               (!v || r.getAttribute('data-verdicts').indexOf(' ' + v + ' ') >= 0);
      r.hidden = !ok;
      if (ok) ++shown;
    }
    document.getElementById('shown-count').textContent = String(shown);
    document.getElementById('matrix').setAttribute('data-filter', 'feature=' + f + ';level=' + l + ';verdict=' + v);
  }
  names.forEach(function (name) { select(name).addEventListener('change', function () { toHash(); apply(); }); });
  window.addEventListener('hashchange', function () { fromHash(); apply(); });
  fromHash();
  apply();
})();
)";

std::string wire_html(const nlohmann::ordered_json& wire) {
  std::string out = "<pre class=\"wire\">";
  for (const auto& e : wire) {
    const std::string dir = text_of(e.at("dir"));
    const std::string at = fmt::format("+{:.1f} ms ", e.at("ms").get<double>());
    const int conn = e.at("conn").get<int>();
    if (dir == "sent" || dir == "received") {
      const auto size = e.at("size").get<std::size_t>();
      const std::string bytes = text_of(e.at("bytes"));
      out += fmt::format("<span class=\"{}\">{}#{} {} {}</span>", dir, at, conn, dir == "sent" ? "&gt;" : "&lt;",
                         html(bytes));
      if (size > kWireLogEntryBytes) {
        out += fmt::format(" <i>({} bytes, the first {} shown)</i>", size, kWireLogEntryBytes);
      }
      out += "\n";
    } else if (dir == "note") {
      out += fmt::format("{}-- {}\n", at, html(text_of(e.value("text", nlohmann::ordered_json("")))));
    } else {
      out += fmt::format("<span class=\"closed\">{}#{} {}</span>\n", at, conn, html(dir));
    }
  }
  return out + "</pre>";
}

}  // namespace

std::string report_html(const std::vector<TargetReport>& reports) {
  const nlohmann::ordered_json doc = report_document(reports);
  const auto& targets = doc.at("targets");
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  std::string names;
  for (const auto& t : targets) names += (names.empty() ? "" : ", ") + text_of(t.at("name"));
  out += fmt::format("<title>mcconform: {}</title>\n<style>{}</style>\n</head>\n<body>\n", html(names), kStyle);
  const bool passed = doc.at("verdict") == "pass";
  out += fmt::format(
      "<h1>mcconform conformance report</h1>\n<p>Verdict: <span id=\"verdict\" class=\"{}\">{}</span> "
      "({} server{})</p>\n",
      passed ? "pass" : "fail", passed ? "PASS" : "FAIL", targets.size(), targets.size() == 1 ? "" : "s");

  // The servers, each with its verdict and counts.
  out +=
      "<h2>Servers</h2>\n<table id=\"servers\">\n<tr><th>server</th><th>target</th><th>profile</th>"
      "<th>verdict</th><th>passed</th><th>failed</th><th>not run</th><th>other</th></tr>\n";
  for (const auto& t : targets) {
    int counts[4] = {0, 0, 0, 0};
    for (const auto& test : t.at("tests")) {
      const std::string v = text_of(test.at("verdict"));
      ++counts[v == "passed" ? 0 : v == "failed" ? 1 : v == "not-run" ? 2 : 3];
    }
    const bool ok = t.at("verdict") == "pass";
    out += fmt::format(
        "<tr class=\"server\"><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\" title=\"{}\">{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
        html(text_of(t.at("name"))), html(text_of(t.at("target"))), html(text_of(t.at("profile"))),
        ok ? "pass" : "fail", html(text_of(t.at("verdict_line"))), ok ? "PASS" : "FAIL", counts[0], counts[1],
        counts[2], counts[3]);
  }
  out += "</table>\n";

  // Per feature, each server's passed/run.
  out += "<h2>Per feature (passed/run, both levels)</h2>\n<table id=\"summary\">\n<tr><th>feature</th>";
  for (const auto& r : reports) out += fmt::format("<th>{}</th>", html(r.name));
  out += "</tr>\n";
  const auto features = features_of(reports);
  for (Feature f : features) {
    out += fmt::format("<tr data-feature=\"{}\"><td>{}</td>", feature_name(f), feature_name(f));
    for (const auto& r : reports) {
      const std::string cell = feature_summary(r, f);
      const bool bad = cell.find("FAILED") != std::string::npos || cell.find("NOT RUN") != std::string::npos;
      out += fmt::format("<td class=\"{}\">{}</td>",
                         bad                         ? "v-failed"
                         : cell == "not implemented" ? "v-not-implemented"
                                                     : "v-passed",
                         html(cell));
    }
    out += "</tr>\n";
  }
  out += "</table>\n";

  // The filters and the matrix.
  const auto rows = case_rows(reports);
  std::set<std::string> verdicts;
  for (const auto& t : targets) {
    for (const auto& test : t.at("tests")) verdicts.insert(text_of(test.at("verdict")));
  }
  out +=
      "<h2>Cases</h2>\n<form id=\"filters\">\n<label>feature <select id=\"filter-feature\"><option "
      "value=\"\">all</option>";
  for (Feature f : features) out += fmt::format("<option>{}</option>", feature_name(f));
  out +=
      "</select></label>\n<label>level <select id=\"filter-level\"><option value=\"\">all</option><option>spec</option>"
      "<option>compat</option></select></label>\n<label>verdict (on any server) <select id=\"filter-verdict\">"
      "<option value=\"\">all</option>";
  for (const auto& v : verdicts) out += fmt::format("<option>{}</option>", html(v));
  out += fmt::format(
      "</select></label>\n</form>\n<p id=\"shown\"><span id=\"shown-count\">{}</span> of "
      "<span id=\"total-count\">{}</span> cases shown</p>\n",
      rows.size(), rows.size());
  out += "<table id=\"matrix\">\n<thead><tr><th>case</th><th>feature</th><th>level</th>";
  for (const auto& r : reports) out += fmt::format("<th class=\"server\">{}</th>", html(r.name));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    std::string row_verdicts = " ";
    std::string cells, per_server;
    for (std::size_t t = 0; t < reports.size(); ++t) {
      const TestRecord* r = row.per_target[t];
      const std::string slug = r ? std::string(outcome_slug(r->outcome)) : "absent";
      row_verdicts += slug + " ";
      cells += fmt::format("<td class=\"v-{}\" title=\"{}\">{}</td>", slug, r ? html(r->detail) : "",
                           r ? html(outcome_name(r->outcome)) : "absent");
      if (!r) continue;
      per_server += fmt::format("<h4>{}: <span class=\"v-{}\">{}</span> ({:.3f} s)</h4>\n", html(reports[t].name), slug,
                                html(outcome_name(r->outcome)), r->seconds);
      if (!r->detail.empty()) per_server += fmt::format("<p class=\"detail\">{}</p>\n", html(r->detail));
      if (!r->wire.empty()) per_server += wire_html(wire_log_json(r->wire)) + "\n";
    }
    out += fmt::format(
        "<tr class=\"case\" data-feature=\"{}\" data-level=\"{}\" "
        "data-verdicts=\"{}\"><td><details><summary>{}</summary>\n"
        "<p class=\"spec\"><b>spec:</b> {}</p>\n<p class=\"checks\"><b>requires:</b> {}</p>\n{}</details></td>"
        "<td>{}</td><td>{}</td>{}</tr>\n",
        feature_name(row.tags.feature), level_name(row.tags.level), row_verdicts, html(row.name), html(row.tags.spec),
        html(row.tags.checks), per_server, feature_name(row.tags.feature), level_name(row.tags.level), cells);
  }
  out += "</tbody>\n</table>\n";
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

}  // namespace mcconform
