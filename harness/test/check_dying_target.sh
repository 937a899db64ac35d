#!/usr/bin/env bash
# A spawned target that dies mid-test: the test that was running fails saying how it died, and the
# next test gets a fresh server (so the run goes on, and fails, without hanging).
# usage: check_dying_target.sh MCCONFORM BROKEN_SERVER
set -uo pipefail
mcconform=$1 broken=$2
out=$(mktemp)
timeout 120 "$mcconform" --spawn "$broken dies {port}" --features arith --timeout 300 --gtest_brief=1 >"$out" 2>&1
status=$?
fail() { echo "check_dying_target: $1"; tail -40 "$out"; rm -f "$out"; exit 1; }
[ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
deaths=$(grep -c 'the target died during this test: exited with status 3' "$out")
[ "$deaths" -ge 2 ] || fail "expected every test to report the death and get a fresh server; saw $deaths reports"
echo "check_dying_target: $deaths tests reported the target's death and the run went on"
rm -f "$out"
