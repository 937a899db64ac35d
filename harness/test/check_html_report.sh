#!/usr/bin/env bash
# The --html page of a run against two spawned servers renders the cases x servers matrix, and its
# filters (applied by the page's own script from the URL hash) show and hide the right rows. Loads
# the page in headless Chromium and checks the DOM it dumps, not a screenshot.
# usage: check_html_report.sh MCCONFORM MCREFD
set -uo pipefail
mcconform=$1 mcrefd=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "check_html_report: $1"; exit 1; }

chromium=$(command -v chromium || command -v chromium-browser) ||
  fail "chromium is not installed (Debian package 'chromium'; ci/install-deps.sh installs it): cannot check the page"

# Two servers: the built mcrefd, and the installed memcached under its own release's profile when
# mcconform has one (Debian 12's 1.6.18 does); else mcrefd again.
second="second=$mcrefd -p {port} -l 127.0.0.1 -U 0"
second_name=second
if [ -x /usr/bin/memcached ]; then
  profile="memcached-$(/usr/bin/memcached -V | awk '{print $2}')"
  if "$mcconform" --list-profiles | grep -q "^$profile "; then
    second="memcached@$profile=/usr/bin/memcached -p {port} -U 0 -l 127.0.0.1 -u root"
    second_name=memcached
  fi
fi
timeout 120 "$mcconform" --features core,meta-get --gtest_brief=1 --html "$dir/page.html" \
  --spawn "mcrefd=$mcrefd -p {port} -l 127.0.0.1 -U 0" --spawn "$second" >"$dir/out" 2>&1 ||
  { tail -30 "$dir/out"; fail "the run failed"; }
[ -s "$dir/page.html.json" ] || fail "no JSON index beside the page"
grep -q "Comparison of 2 targets" "$dir/out" || fail "the console shows no comparison"

# Self-contained: nothing is fetched.
if grep -Eiq '<(script|link|img)[^>]* (src|href)=|@import|url\(' "$dir/page.html"; then
  fail "the page refers to an external resource"
fi

dom() {  # dom HASH: the page's DOM after its script ran, with the filters of HASH applied
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$dir")" --dump-dom "file://$dir/page.html$1" 2>"$dir/chromium.err"
}
rows() { grep -o '<tr class="case"[^>]*>' "$1"; }  # one line per case row: its start tag
count() { grep -c "$@" || true; }

dom "" >"$dir/all.html" || { tail -5 "$dir/chromium.err"; fail "chromium could not load the page"; }
total=$(rows "$dir/all.html" | count .)
[ "$total" -gt 300 ] || fail "the matrix has $total case rows, expected over 300"
[ "$(rows "$dir/all.html" | count hidden)" -eq 0 ] || fail "without a filter some rows are hidden"
grep -q "<span id=\"shown-count\">$total</span>" "$dir/all.html" || fail "the count shown is not $total"
for name in mcrefd "$second_name"; do
  grep -q "<th class=\"server\">$name</th>" "$dir/all.html" || fail "the matrix has no column for $name"
done
grep -q '<pre class="wire">' "$dir/all.html" || fail "no wire log on the page"
grep -q 'closed by client' "$dir/all.html" || fail "the wire logs do not say who closed the connection"
grep -q '<details><summary>Cas.StaleUniqueIsExistsAndKeepsValue</summary>' "$dir/all.html" ||
  fail "a case's details (its spec, requirement and wire log) are missing"
grep -q '<p class="checks"><b>requires:</b> ' "$dir/all.html" || fail "no case states its requirement"

# By feature: exactly the meta-get rows stay.
dom "#feature=meta-get" >"$dir/meta.html" || fail "chromium could not load the page with a filter"
meta=$(rows "$dir/all.html" | count 'data-feature="meta-get"')
shown=$(rows "$dir/meta.html" | grep -v hidden)
[ "$meta" -gt 0 ] || fail "no meta-get rows"
[ "$(echo "$shown" | count .)" -eq "$meta" ] || fail "#feature=meta-get shows $(echo "$shown" | count .) rows, expected $meta"
[ "$(echo "$shown" | count -v 'data-feature="meta-get"')" -eq 0 ] || fail "#feature=meta-get shows rows of other features"
grep -q "<span id=\"shown-count\">$meta</span>" "$dir/meta.html" || fail "#feature=meta-get: the count shown is not $meta"
grep -q '<option selected="">meta-get</option>\|value="meta-get" selected\|data-filter="feature=meta-get;' "$dir/meta.html" ||
  fail "#feature=meta-get: the filter was not applied by the page's script"

# By level and verdict together: compat rows that passed on some server.
dom "#level=compat&verdict=passed" >"$dir/compat.html" || fail "chromium could not load the page with two filters"
expected=$(rows "$dir/all.html" | grep 'data-level="compat"' | count 'data-verdicts="[^"]* passed ')
shown=$(rows "$dir/compat.html" | grep -v hidden)
[ "$expected" -gt 0 ] || fail "no compat rows that passed"
[ "$(echo "$shown" | count .)" -eq "$expected" ] ||
  fail "#level=compat&verdict=passed shows $(echo "$shown" | count .) rows, expected $expected"
[ "$(echo "$shown" | count -v 'data-level="compat"')" -eq 0 ] || fail "the level filter lets spec rows through"

echo "check_html_report: $total cases x 2 servers rendered; feature filter shows $meta, level+verdict filter $expected"
