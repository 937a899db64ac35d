#!/usr/bin/env bash
# Counts the user-space instructions a server executes per request under `mcconform bench` load,
# with valgrind's callgrind: deterministic, unlike timings, so it means something on a busy machine.
# Counters are zeroed after a warm-up run and dumped after the measured run; the requests are the
# server's own cmd_get + cmd_set. Kernel work (recv, send, epoll) is not counted: see
# syscalls-per-request.sh for that.
#
# usage: bench/tools/instructions-per-request.sh PORT 'SERVER COMMAND {port}' [mcconform bench options]
#   e.g. bench/tools/instructions-per-request.sh 27011 'memcached -p {port} -t 1 -U 0 -u root -c 1012' --duration 3
# The server runs with 1024 descriptors. memcached sets its limit to exactly -c, and valgrind keeps 12
# of them for itself, so memcached under valgrind wants -c 1012.
# Leaves the profile in OUT (default /tmp/callgrind.PORT.out) for callgrind_annotate --inclusive=yes.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
port=$1 command=${2//\{port\}/$1}
shift 2
mcconform=${MCCONFORM:-$(dirname "$0")/../../build/release/suites/mcconform}
out=${OUT:-/tmp/callgrind.$port.out}

requests() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'stats\r\n' >&3
  local total=0 name value
  while IFS=$' \r' read -r _ name value <&3; do
    [ "$name" = cmd_get ] || [ "$name" = cmd_set ] && total=$((total + value))
    [ -z "$name" ] && break
  done
  exec 3>&-
  echo "$total"
}

rm -f "$out" "$out".*
ulimit -n 1024
# shellcheck disable=SC2086
valgrind --tool=callgrind --callgrind-out-file="$out" $command >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
"$mcconform" bench --target "127.0.0.1:$port" --duration 1 "$@" >/dev/null
callgrind_control -z "$server" >/dev/null 2>&1
before=$(requests)
"$mcconform" bench --target "127.0.0.1:$port" --no-prefill "$@" | grep -E 'ops/s|first problem' || true
after=$(requests)
callgrind_control -d "$server" >/dev/null 2>&1
sleep 0.5
n=$((after - before))
total=$(callgrind_annotate "$out".1 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "server: $command; requests counted by the server: $n"
echo "user-space instructions: $total = $((total / n)) per request (profile: $out.1)"
