#!/usr/bin/env bash
# The destructive cases run after every other case, each on a spawned server of its own, and the
# reports (JSON and the JUnit XML joined from both phases) hold every case once.
# usage: check_destructive_phase.sh MCCONFORM MCREFD
set -uo pipefail
mcconform=$1 mcrefd=$2
dir=$(mktemp -d)
fail() { echo "check_destructive_phase: $1"; tail -30 "$dir/out"; rm -rf "$dir"; exit 1; }
timeout 120 "$mcconform" --features core,flush --gtest_brief=1 --json "$dir/report.json" --junit "$dir/report.xml" \
  --spawn "sh -c 'echo started >> $dir/starts; exec $mcrefd -p {port} -l 127.0.0.1 -U 0'" >"$dir/out" 2>&1 ||
  fail "the run failed"
order=$(grep -o '"destructive": [a-z]*' "$dir/report.json" | uniq | tr '\n' ' ')
[ "$order" = '"destructive": false "destructive": true ' ] || fail "destructive cases not last: $order"
destructive=$(grep -c '"destructive": true' "$dir/report.json")
starts=$(wc -l <"$dir/starts")
[ "$starts" -eq $((destructive + 1)) ] || fail "expected $((destructive + 1)) servers started (one shared, one per destructive case), saw $starts"
# GoogleTest ran (and its XML lists) the cases the JSON report leaves out as not selected, too.
ran=$(( $(sed -n 's/^\[==========\] \([0-9]*\) tests from .* ran.*/\1/p' "$dir/out" | paste -sd+) ))
testcases=$(grep -c '<testcase ' "$dir/report.xml")
[ "$testcases" -eq "$ran" ] || fail "the XML report lists $testcases cases; the two phases ran $ran"
grep -q "<testsuites tests=\"$ran\" failures=\"0\"" "$dir/report.xml" || fail "the XML report's totals are not both phases'"
echo "check_destructive_phase: $destructive destructive cases ran last, each on its own server; $ran cases in the XML report"
rm -rf "$dir"
