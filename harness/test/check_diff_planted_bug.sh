#!/usr/bin/env bash
# `mcconform diff` between mcrefd and a copy with one planted bug: it must exit 1, shrink to at most
# 4 commands, show the commands and the reply the bug gives, and give the bash line that replays it;
# the same seed must give the same output twice. The bugs (see planted_bug_server_main.cpp):
#   append      an append to a key holding a digit answers NOT_STORED (NS in meta);
#   issued-cas  a cas with the unique the server just showed answers EXISTS (EX in meta).
# usage: check_diff_planted_bug.sh MCCONFORM MCREFD PLANTED_BUG_SERVER BUG [DIFF OPTION...]
set -uo pipefail
mcconform=$1 mcrefd=$2 planted=$3 bug=$4
shift 4
case $bug in
  append)
    commands='^ +[0-9]+  "(append [^ ]*[0-9]|ms [^"]* MA)'
    reply='^  B: .*(NOT_STORED|NS)' binary_status='not stored' ;;
  issued-cas)
    commands='^ +[0-9]+  ("(cas [^"]*|ms [^"]*C)<cas last shown>|.* cas=<cas last shown>$)'
    reply='^  B: .*(EXISTS|EX)\\r\\n"$' binary_status='key exists' ;;
  *) echo "check_diff_planted_bug: unknown bug '$bug'"; exit 2 ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() {
  timeout 250 "$mcconform" diff --a "mcrefd:$mcrefd" --b "spawn:'$planted' --plant=$bug -p {port} -l 127.0.0.1 -U 0 -t 1" \
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
grep -Eq "$commands" "$dir/out" || fail "the shrunk commands hold none the $bug bug answers wrongly"
# Text replies are shown escaped; of binary ones, the first packet that differs, field by field.
grep -Eq "$reply" "$dir/out" || grep -A12 "^and B's is" "$dir/out" | grep -Eq "^  status .*\($binary_status\)" ||
  fail "B's reply does not show the $bug bug's answer"
grep -q 'first difference at byte' "$dir/out" || fail "the first difference is not marked"
grep -q '^  exec 3<>/dev/tcp/127.0.0.1/11211; printf ' "$dir/out" || fail "no bash line to reproduce it"
run "$dir/again" "$@"
diff <(grep -v '^  [AB] = ' "$dir/out") <(grep -v '^  [AB] = ' "$dir/again") >/dev/null ||
  fail "the same seed gave a different output the second time"
echo "check_diff_planted_bug: found, shrunk to $shrunk commands, same output twice"
