#!/usr/bin/env bash
# Benchmarks mcrefd against memcached 1.6 on the same machine, same threads (-t 4) and memory
# (-m 64), alternating the two servers round by round; prints the figures the README quotes.
# BENCH_DURATION (seconds per run, default 5) and BENCH_ROUNDS (default 3) shorten or lengthen it.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh release >/dev/null

mcconform=build/release/suites/mcconform
mcrefd="$PWD/build/release/reference-server/mcrefd -p {port} -l 127.0.0.1 -U 0 -t 4 -m 64"
memcached="memcached -p {port} -l 127.0.0.1 -U 0 -t 4 -m 64 -u root"  # -u matters only when root
duration=${BENCH_DURATION:-5}
rounds=${BENCH_ROUNDS:-3}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "A = mcrefd, B = memcached $(memcached -V | awk '{print $2}'); ratio A/B > 1 means mcrefd is faster"

compare() {
  local name=$1
  shift
  echo
  echo "== $name"
  "$mcconform" bench --spawn "$mcrefd" --compare "$memcached" --rounds "$rounds" --duration "$duration" "$@"
}

compare "(a) 90% get / 10% set, 100-byte values, 10k keys, 50 connections, one request at a time" \
  --connections 50 --pipeline 1
compare "(b) the same with 32 requests pipelined per connection" --connections 50 --pipeline 32
compare "(c) multi-get of 50 keys" --connections 50 --multiget 50 --get-ratio 1
compare "(d) set only, 4 KiB values" --connections 50 --get-ratio 0 --value-size 4096

echo
echo "== (e) fill to 3x the memory limit, 1000-byte values"
"$mcconform" bench --spawn "$mcrefd" --compare "$memcached" --fill 3 --value-size 1000 --threads 2
