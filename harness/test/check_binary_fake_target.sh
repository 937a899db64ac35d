#!/usr/bin/env bash
# The binary suites against a fake server that gets the binary protocol wrong in one way: mcconform
# must fail (exit 1) and name the cases that catch that mistake; in mode passthrough it must pass.
# Mode "every" runs each spoiling mode in turn and counts the cases that fail in at least one: it
# fails if a case fails in none (a case no mistake of these can catch must be named in ALLOWED).
# usage: check_binary_fake_target.sh MCCONFORM FAKE_SERVER MEMCACHED MODE [FAILING_CASE...]
set -uo pipefail
mcconform=$1 fake=$2 memcached=$3 mode=$4
shift 4
spoiling=(no-opaque zero-cas wrong-status quiet-answers loud-opcode no-key-echo lost-flags host-order short-value
  no-error-text no-close)
dir=$(mktemp -d)
"$memcached" -s "$dir/backend.sock" -u root &
backend=$!
for _ in $(seq 50); do [ -S "$dir/backend.sock" ] && break; sleep 0.1; done
cleanup() { kill "$backend" 2>/dev/null; wait "$backend" 2>/dev/null; rm -rf "$dir"; }

# run_mode MODE OUT: the binary suites through the fake in MODE; sets $status.
run_mode() {
  coproc SERVER { exec "$fake" "$1" "$dir/backend.sock"; }
  local port deadline=1000
  read -r port <&"${SERVER[0]}"
  # The honest proxy gets the default deadline; a spoiling one a short one (cases that wait for a
  # close the fake never makes fail either way, after the deadline).
  [ "$1" = passthrough ] && deadline=2000
  # The backend is the system memcached, 1.6.18: its profile decides the version-specific cases.
  timeout 600 "$mcconform" --target "127.0.0.1:$port" --features binary --profile memcached-1.6.18 --allow-flush \
    --timeout "$deadline" --max-timeouts 0 --gtest_brief=1 >"$2" 2>&1
  status=$?
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
}
failed_cases() { sed -n 's/^\[  FAILED  \] \([A-Za-z]*\.[A-Za-z0-9]*\) .*/\1/p' "$1" | sort -u; }

if [ "$mode" = every ]; then
  "$mcconform" --features binary --gtest_list_tests | awk '/^[A-Za-z]/ {suite=$1} /^  / {print suite $1}' |
    sort -u >"$dir/every"
  all=$(wc -l <"$dir/every")
  run_mode passthrough "$dir/passthrough"
  [ "$status" -eq 0 ] || { echo "passthrough failed (status $status)"; tail -40 "$dir/passthrough"; cleanup; exit 1; }
  : >"$dir/union"
  for m in "${spoiling[@]}"; do
    run_mode "$m" "$dir/$m"
    failed_cases "$dir/$m" >"$dir/$m.failed"
    echo "check_binary_fake_target: $m: $(wc -l <"$dir/$m.failed") of $all cases failed"
    cat "$dir/$m.failed" >>"$dir/union"
  done
  sort -u "$dir/union" -o "$dir/union"
  never=$(comm -23 "$dir/every" "$dir/union")
  for allowed in "$@"; do never=$(grep -vx "$allowed" <<<"$never"); done
  echo "check_binary_fake_target: $(wc -l <"$dir/union") of $all binary cases fail against at least one fake"
  cleanup
  if [ -n "$never" ]; then
    echo "check_binary_fake_target: cases no fake makes fail:"
    echo "$never"
    exit 1
  fi
  exit 0
fi

run_mode "$mode" "$dir/out"
fail() { echo "check_binary_fake_target ($mode): $1"; tail -60 "$dir/out"; cleanup; exit 1; }
if [ "$mode" = passthrough ]; then
  [ "$status" -eq 0 ] || fail "expected exit status 0 through an honest proxy, got $status"
else
  [ "$status" -eq 1 ] || fail "expected exit status 1, got $status"
  for name in "$@"; do
    grep -q "^\[  FAILED  \] $name " "$dir/out" || fail "$name did not fail"
  done
fi
echo "check_binary_fake_target ($mode): $(grep -c '^\[  FAILED  \]' "$dir/out") cases failed, as expected"
grep '^mcconform:' "$dir/out"
cleanup
