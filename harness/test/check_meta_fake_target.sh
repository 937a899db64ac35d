#!/usr/bin/env bash
# The meta suites against a fake server that gets meta wrong in one way: mcconform must fail (exit
# 1) and name the cases that catch that mistake; in mode passthrough it must pass (exit 0).
# usage: check_meta_fake_target.sh MCCONFORM FAKE_SERVER MEMCACHED MODE [FAILING_CASE...]
set -uo pipefail
mcconform=$1 fake=$2 memcached=$3 mode=$4
shift 4
dir=$(mktemp -d)
out=$dir/out
"$memcached" -s "$dir/backend.sock" -u root &
backend=$!
for _ in $(seq 50); do [ -S "$dir/backend.sock" ] && break; sleep 0.1; done
coproc SERVER { exec "$fake" "$mode" "$dir/backend.sock"; }
read -r port <&"${SERVER[0]}"
# The system memcached (the backend) is 1.6.18: its profile decides the version-specific cases.
timeout 300 "$mcconform" --target "127.0.0.1:$port" --features meta --profile memcached-1.6.18 --gtest_brief=1 \
  >"$out" 2>&1
status=$?
kill "$SERVER_PID" "$backend" 2>/dev/null
wait "$backend" 2>/dev/null
fail() { echo "check_meta_fake_target ($mode): $1"; tail -60 "$out"; rm -rf "$dir"; exit 1; }
if [ "$mode" = passthrough ]; then
  [ "$status" -eq 0 ] || fail "expected exit status 0 through an honest proxy, got $status"
else
  [ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
  for name in "$@"; do
    grep -q "^\[  FAILED  \] $name " "$out" || fail "$name did not fail"
  done
fi
echo "check_meta_fake_target ($mode): $(grep -c '^\[  FAILED  \]' "$out") cases failed, as expected"
grep '^mcconform:' "$out"
rm -rf "$dir"
