#!/usr/bin/env bash
# A run whose features the user chose (--features) must test something: against a server that
# answers ERROR to every line, every meta sub-feature is "not implemented", and that run must fail
# (exit 1) saying that nothing was tested; against the built mcrefd the same run passes.
# usage: check_nothing_tested.sh MCCONFORM BROKEN_SERVER MCREFD
set -uo pipefail
mcconform=$1 broken=$2 mcrefd=$3
out=$(mktemp)
fail() { echo "check_nothing_tested: $1"; tail -40 "$out"; rm -f "$out"; exit 1; }

coproc SERVER { exec "$broken" error; }
read -r port <&"${SERVER[0]}"
timeout 120 "$mcconform" --target "127.0.0.1:$port" --features meta --gtest_brief=1 >"$out" 2>&1
status=$?
kill "$SERVER_PID" 2>/dev/null
[ "$status" -eq 1 ] || fail "against a server answering ERROR: expected exit status 1, got $status"
grep -Eq '^  meta-[a-z0-9-]+ +not implemented' "$out" || fail "no meta feature reported not implemented"
! grep -Eq '^mcconform: [1-9][0-9]* passed' "$out" || fail "a case passed against a server answering ERROR"
grep -q '^mcconform: verdict: FAIL: nothing was tested: every selected feature is not implemented by this target$' \
  "$out" || fail "no verdict line saying that nothing was tested"

timeout 120 "$mcconform" --features meta --gtest_brief=1 --spawn "$mcrefd -p {port} -l 127.0.0.1 -U 0" >"$out" 2>&1
status=$?
[ "$status" -eq 0 ] || fail "against mcrefd: expected exit status 0, got $status"
grep -q '^mcconform: verdict: PASS$' "$out" || fail "against mcrefd: no PASS verdict"
echo "check_nothing_tested: nothing tested failed the run; mcrefd passed"
rm -f "$out"
