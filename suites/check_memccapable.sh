#!/usr/bin/env bash
# libmemcached's own conformance checker, memccapable (-a: its ASCII tests, -b: its binary ones), against a fresh server.
# usage: check_memccapable.sh -a|-b [--skip-unless-binary] SERVER [SERVER ARGUMENTS...]
#   SERVER is started as `SERVER -p -1 -l 127.0.0.1 -U 0 ARGUMENTS...` and reports its port in
#   MEMCACHED_PORT_FILENAME, as memcached and mcrefd both do.
#   --skip-unless-binary: when the server does not answer a binary no-op with a binary response
#   (it answers ERROR or hangs up), print "SKIP: ..." and exit 77 instead of running -b; for a
#   server whose binary protocol is still being written, so that CTest reports it skipped, not
#   passed. The decision is the probe's, every run.
set -euo pipefail
mode=$1
shift
skip_unless_binary=false
if [ "${1:-}" = --skip-unless-binary ]; then
  skip_unless_binary=true
  shift
fi
server=$1
shift
case $mode in -a | -b) ;; *) echo "usage: $0 -a|-b [--skip-unless-binary] SERVER [ARGS...]"; exit 2 ;; esac
command -v memccapable >/dev/null || { echo "memccapable not installed (libmemcached-tools)"; exit 1; }
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
MEMCACHED_PORT_FILENAME="$dir/port" "$server" -p -1 -l 127.0.0.1 -U 0 "$@" &
pid=$!
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
port=$(awk '{print $3; exit}' "$dir/port")

# A binary no-op (magic 0x80, opcode 0x0a, nothing else); a binary server answers magic 0x81, opcode 0x0a.
answers_binary() {
  local reply
  reply=$(
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '\x80\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >&3
    timeout 2 head -c 2 <&3 | od -An -tx1 | tr -d ' \n'
  ) || true
  [ "$reply" = 810a ]
}
if [ "$mode" = -b ] && $skip_unless_binary && ! answers_binary; then
  echo "SKIP: $(basename "$server") does not answer binary (a binary no-op got no binary response)"
  exit 77
fi

out=$(timeout 120 memccapable -h 127.0.0.1 -p "$port" "$mode" 2>&1) || { echo "$out"; exit 1; }
echo "$out" | tail -3
echo "$out" | grep -q "All tests passed"
