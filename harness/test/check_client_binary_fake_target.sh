#!/usr/bin/env bash
# The client-binary feature against a fake server that gets the binary protocol wrong in one way:
# mcconform must fail (exit 1) and name the cases that catch that mistake; in mode passthrough it
# must pass (exit 0).
# usage: check_client_binary_fake_target.sh MCCONFORM FAKE_SERVER MEMCACHED MODE [FAILING_CASE...]
set -uo pipefail
mcconform=$1 fake=$2 memcached=$3 mode=$4
shift 4
dir=$(mktemp -d)
out=$dir/out
# Two fakes, each in front of a memcached of its own: a cluster, so that the Cluster cases run too.
"$memcached" -s "$dir/backend1.sock" -u root &
backend1=$!
"$memcached" -s "$dir/backend2.sock" -u root &
backend2=$!
for _ in $(seq 50); do [ -S "$dir/backend1.sock" ] && [ -S "$dir/backend2.sock" ] && break; sleep 0.1; done
# Each fake prints the port it picked.
"$fake" "$mode" "$dir/backend1.sock" >"$dir/port1" &
fake1=$!
"$fake" "$mode" "$dir/backend2.sock" >"$dir/port2" &
fake2=$!
for _ in $(seq 50); do [ -s "$dir/port1" ] && [ -s "$dir/port2" ] && break; sleep 0.1; done
read -r port1 <"$dir/port1"
read -r port2 <"$dir/port2"
# The backends are the fakes' own: the destructive case (a flush) may run. Named by --features, the
# feature runs even if its probe failed, so a fake that broke the no-op would fail too.
timeout 300 "$mcconform" --target "127.0.0.1:$port1,127.0.0.1:$port2" --features client-binary --allow-flush \
  --profile memcached-1.6.18 --gtest_brief=1 >"$out" 2>&1
status=$?
kill "$fake1" "$fake2" "$backend1" "$backend2" 2>/dev/null
wait "$backend1" "$backend2" 2>/dev/null
fail() { echo "check_client_binary_fake_target ($mode): $1"; tail -60 "$out"; rm -rf "$dir"; exit 1; }
if [ "$mode" = passthrough ]; then
  [ "$status" -eq 0 ] || fail "expected exit status 0 through an honest proxy, got $status"
else
  [ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
  for name in "$@"; do
    grep -q "^\[  FAILED  \] $name" "$out" || fail "$name did not fail"
  done
fi
echo "check_client_binary_fake_target ($mode): $(grep -c '^\[  FAILED  \]' "$out") cases failed, as expected"
grep '^\[  FAILED  \]' "$out" | sort -u
grep '^mcconform:' "$out"
rm -rf "$dir"
