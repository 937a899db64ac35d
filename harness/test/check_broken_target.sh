#!/usr/bin/env bash
# mcconform against a broken server must fail (exit 1), say why in readable bytes, and not hang.
#   stored: answers STORED to everything; the arith cases fail with escaped mismatches.
#   silent: accepts connections and never answers; the whole catalogue, at the default deadline,
#           must end in under 30 s: after a few cases time out the rest are "not run".
#   hiccup: silent on its first two connections, then answers: two cases time out, the third gets
#           an answer, and the target is not written off (every case runs, and fails).
# usage: check_broken_target.sh MCCONFORM BROKEN_SERVER stored|silent|hiccup
set -uo pipefail
mcconform=$1 broken=$2 mode=$3
out=$(mktemp)
coproc SERVER { exec "$broken" "$mode"; }
read -r port <&"${SERVER[0]}"
start=$(date +%s)
case $mode in
  stored) timeout 120 "$mcconform" --target "127.0.0.1:$port" --features arith --timeout 300 --gtest_brief=1 \
            >"$out" 2>&1 ;;
  silent) timeout 120 "$mcconform" --target "127.0.0.1:$port" --gtest_brief=1 >"$out" 2>&1 ;;
  hiccup) timeout 120 "$mcconform" --target "127.0.0.1:$port" --features arith --timeout 300 --gtest_brief=1 \
            >"$out" 2>&1 ;;
esac
status=$?
elapsed=$(( $(date +%s) - start ))
kill "$SERVER_PID" 2>/dev/null
fail() { echo "check_broken_target ($mode): $1"; tail -40 "$out"; rm -f "$out"; exit 1; }
[ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
case $mode in
  stored)
    grep -q 'received: "STORED\\r\\n' "$out" || fail "no escaped mismatch in the output"
    grep -q 'FAILED' "$out" || fail "no FAILED in the matrix" ;;
  silent)
    [ "$elapsed" -lt 30 ] || fail "took ${elapsed}s; an unresponsive target must cost seconds, not minutes"
    grep -q 'nothing more within 2000 ms' "$out" || fail "no deadline message in the output"
    grep -Eq '^mcconform: verdict: FAIL .*[0-9]+ cases not run: target unresponsive \(3 consecutive cases timed out; last: [A-Za-z]+\.[A-Za-z]+' \
      "$out" || fail "no verdict line naming the unresponsive target"
    grep -Eq '^mcconform: 0 passed, 3 failed, [0-9]+ skipped, [1-9][0-9]* not run$' "$out" ||
      fail "expected 3 failed cases and the rest not run" ;;
  hiccup)
    [ "$(grep -c 'nothing more within 300 ms' "$out")" -ge 2 ] || fail "expected the first two cases to time out"
    grep -q 'received: "STORED\\r\\n' "$out" || fail "the cases after the first two got no answer"
    ! grep -q 'target unresponsive' "$out" || fail "a target that answered again was written off"
    grep -Eq '^mcconform: 0 passed, [1-9][0-9]* failed, [0-9]+ skipped, 0 not run$' "$out" ||
      fail "expected every case to run (and fail)" ;;
esac
echo "check_broken_target ($mode): failed as it should, in ${elapsed}s"
rm -f "$out"
