#!/usr/bin/env bash
# Benchmarks mcrefd against memcached 1.6 on the same machine, alternating the two servers round by
# round, and prints the figures the README quotes: the closed-loop table of issue 16 (server
# threads and placement chosen per row), the same for the meta protocol, the -t 4 workloads (a)-(d),
# and the memory fill (e).
# BENCH_DURATION (seconds per run, default 5) and BENCH_ROUNDS (default 3) shorten or lengthen it;
# BENCH_NO_BUILD=1 uses build/release as it is (no dependency check, no build).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  ci/install-deps.sh
  ci/build.sh release >/dev/null
fi

mcconform=build/release/suites/mcconform
# The thread count is the row's --server-threads; pinning, when asked, prefixes taskset.
mcrefd="$PWD/build/release/reference-server/mcrefd -p {port} -l 127.0.0.1 -U 0 -t {threads} -m 64"
memcached="memcached -p {port} -l 127.0.0.1 -U 0 -t {threads} -m 64 -u root"  # -u matters only when root
duration=${BENCH_DURATION:-5}
rounds=${BENCH_ROUNDS:-3}
# Pinned rows: the server on CPU 0, the load generator (one thread, 50 connections) on CPU 1.
pinned=(--pin-server 0 --pin-client 1 --client-threads 1)
if [ "$(nproc)" -lt 2 ]; then
  echo "bench: pinned rows need 2 CPUs; this machine has $(nproc), so they run unpinned"
  pinned=(--client-threads 1)
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A = mcrefd, B = memcached $(memcached -V | awk '{print $2}'); ratio A/B > 1 means mcrefd is faster"
echo "$rounds alternating rounds of $duration s per row, 50 connections, 10k keys, values checked"

rows=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
compare() {
  local name=$1 row=$2
  shift 2
  echo
  echo "== $name"
  "$mcconform" bench --spawn "$mcrefd" --compare "$memcached" --rounds "$rounds" --duration "$duration" \
    --connections 50 --markdown-row "$row" "$@" | tee "$log"
  rows+=("$(grep '^| ' "$log" | tail -1)")
}

# Issue 16: closed loop, the way most applications use memcached, at the thread counts users run.
compare "(1) 90% get / 10% set, 100-byte values, one request at a time, -t 1, pinned" \
  "90% get, 100 B, one at a time | -t 1, pinned" --server-threads 1 "${pinned[@]}" --pipeline 1
compare "(2) multi-get of 50 keys, -t 1, pinned" \
  "50-key multi-get (keys/s) | -t 1, pinned" --server-threads 1 "${pinned[@]}" --multiget 50 --get-ratio 1
compare "(3) set only, 4 KiB values, -t 1, pinned" \
  "set only, 4 KiB | -t 1, pinned" --server-threads 1 "${pinned[@]}" --get-ratio 0 --value-size 4096
compare "(4) 90% get / 10% set, 100-byte values, one request at a time, -t 2, not pinned" \
  "90% get, 100 B, one at a time | -t 2, not pinned" --server-threads 2 --client-threads 2 --pipeline 1
compare "(5) the same with 32 requests pipelined per connection, -t 1, pinned" \
  "same, 32 pipelined | -t 1, pinned" --server-threads 1 "${pinned[@]}" --pipeline 32

# The meta protocol, the same shapes: mg <key> k v and ms; a multi-get is mg ... q per key, then mn.
compare "(6) meta: 90% mg / 10% ms, 100-byte values, one request at a time, -t 1, pinned" \
  "meta: 90% mg, 100 B, one at a time | -t 1, pinned" --protocol meta --server-threads 1 "${pinned[@]}" --pipeline 1
compare "(7) meta: 50 keys per mg q batch ended by mn, -t 1, pinned" \
  "meta: 50-key mg q + mn (keys/s) | -t 1, pinned" --protocol meta --server-threads 1 "${pinned[@]}" --multiget 50 \
  --get-ratio 1
compare "(8) meta: 90% mg / 10% ms with 32 requests pipelined per connection, -t 1, pinned" \
  "meta: same, 32 pipelined | -t 1, pinned" --protocol meta --server-threads 1 "${pinned[@]}" --pipeline 32

# The README's earlier workloads: both servers at -t 4, nothing pinned, two load threads.
compare "(a) 90% get / 10% set, 100-byte values, one request at a time, -t 4" \
  "(a) 90% get, 100 B, one at a time | -t 4" --server-threads 4 --pipeline 1
compare "(b) the same with 32 requests pipelined per connection, -t 4" \
  "(b) same, 32 pipelined | -t 4" --server-threads 4 --pipeline 32
compare "(c) multi-get of 50 keys, -t 4" \
  "(c) 50-key multi-get (keys/s) | -t 4" --server-threads 4 --multiget 50 --get-ratio 1
compare "(d) set only, 4 KiB values, -t 4" \
  "(d) set only, 4 KiB | -t 4" --server-threads 4 --get-ratio 0 --value-size 4096

echo
echo "== (e) fill to 3x the memory limit, 1000-byte values, -t 4"
"$mcconform" bench --spawn "$mcrefd" --compare "$memcached" --server-threads 4 --fill 3 --value-size 1000 \
  --threads 2

echo
echo "== summary: medians of $rounds alternating rounds of $duration s (range of the per-round ratios)"
echo "| workload | server threads | mcrefd / memcached throughput | mean latency mcrefd / memcached | p50 mcrefd / memcached | p99 mcrefd / memcached | server CPU per request, mcrefd / memcached |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
