#!/usr/bin/env bash
# mcconform against a broken server must fail (exit 1), say why in readable bytes, and not hang.
# usage: check_broken_target.sh MCCONFORM BROKEN_SERVER stored|silent
set -uo pipefail
mcconform=$1 broken=$2 mode=$3
out=$(mktemp)
coproc SERVER { exec "$broken" "$mode"; }
read -r port <&"${SERVER[0]}"
start=$(date +%s)
timeout 120 "$mcconform" --target "127.0.0.1:$port" --features arith --timeout 300 --gtest_brief=1 >"$out" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
kill "$SERVER_PID" 2>/dev/null
fail() { echo "check_broken_target ($mode): $1"; tail -40 "$out"; rm -f "$out"; exit 1; }
[ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
case $mode in
  stored) grep -q 'received: "STORED\\r\\n' "$out" || fail "no escaped mismatch in the output" ;;
  silent) grep -q 'nothing more within 300 ms' "$out" || fail "no deadline message in the output" ;;
esac
grep -q 'FAILED' "$out" || fail "no FAILED in the matrix"
echo "check_broken_target ($mode): failed as it should, in ${elapsed}s"
rm -f "$out"
