#!/usr/bin/env bash
# libmemcached's own conformance checker, memccapable -a (its ASCII tests), against a fresh mcrefd.
# usage: check_memccapable.sh MCREFD
set -euo pipefail
mcrefd=$1
command -v memccapable >/dev/null || { echo "memccapable not installed (libmemcached-tools)"; exit 1; }
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
MEMCACHED_PORT_FILENAME="$dir/port" "$mcrefd" -p -1 -l 127.0.0.1 -U 0 &
pid=$!
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
port=$(awk '{print $3}' "$dir/port")
out=$(timeout 120 memccapable -h 127.0.0.1 -p "$port" -a 2>&1) || { echo "$out"; exit 1; }
echo "$out" | tail -3
echo "$out" | grep -q "All tests passed"
