#!/usr/bin/env bash
# `mcconform diff` between mcrefd and a copy with one planted bug (an append to a key holding a
# digit answers NOT_STORED): it must exit 1, shrink to at most 4 commands, show an append to such
# a key and the NOT_STORED (or NS) it got, and give the bash line that replays it; the same seed
# must give the same output twice.
# usage: check_diff_planted_bug.sh MCCONFORM MCREFD PLANTED_BUG_SERVER [DIFF OPTION...]
set -uo pipefail
mcconform=$1 mcrefd=$2 planted=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() {
  timeout 250 "$mcconform" diff --a "mcrefd:$mcrefd" --b "spawn:'$planted' -p {port} -l 127.0.0.1 -U 0 -t 1" \
    --seed 1 --count 3000 "${@:2}" >"$1" 2>&1
}
run "$dir/out" "$@"
status=$?
cat "$dir/out"
fail() { echo "check_diff_planted_bug: $1"; exit 1; }
[ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
shrunk=$(sed -n 's/^shrunk from [0-9]* to \([0-9]*\) command.*/\1/p' "$dir/out")
[ -n "$shrunk" ] || fail "no 'shrunk from N to M commands' line"
[ "$shrunk" -le 4 ] || fail "shrunk to $shrunk commands, expected at most 4"
grep -Eq '^ +[0-9]+  "(append [^ ]*[0-9]|ms [^"]* MA)' "$dir/out" || fail "the shrunk commands hold no append to a key with a digit"
grep -Eq '^  B: .*(NOT_STORED|NS)' "$dir/out" || fail "B's reply does not show the planted NOT_STORED"
grep -q 'first difference at byte' "$dir/out" || fail "the first difference is not marked"
grep -q '^  exec 3<>/dev/tcp/127.0.0.1/11211; printf ' "$dir/out" || fail "no bash line to reproduce it"
run "$dir/again" "$@"
diff <(grep -v '^  [AB] = ' "$dir/out") <(grep -v '^  [AB] = ' "$dir/again") >/dev/null ||
  fail "the same seed gave a different output the second time"
echo "check_diff_planted_bug: found, shrunk to $shrunk commands, same output twice"
