#!/usr/bin/env bash
# Counts what a server does per request under `mcconform bench` load: system calls by name,
# context switches, wake-ups and migrations, from kernel tracepoints (perf stat, no hardware
# counters needed, little overhead), divided by the requests the server's own stats counted.
# Counts, unlike timings, stay put on a shared machine.
#
# usage: bench/tools/syscalls-per-request.sh PORT 'SERVER COMMAND {port}' [mcconform bench options]
#   e.g. bench/tools/syscalls-per-request.sh 27001 'taskset -c 0 memcached -p {port} -t 1 -U 0 -u root' \
#          --pin-client 1 --client-threads 1 --duration 3
# MCCONFORM names the mcconform binary.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,11p' "$0"; exit 2; }
port=$1 command=${2//\{port\}/$1}
shift 2
mcconform=${MCCONFORM:-$(dirname "$0")/../../build/release/suites/mcconform}
events=raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait
events+=,syscalls:sys_enter_recvfrom,syscalls:sys_enter_read,syscalls:sys_enter_sendto
events+=,syscalls:sys_enter_sendmsg,syscalls:sys_enter_write,syscalls:sys_enter_epoll_ctl
events+=,syscalls:sys_enter_futex,sched:sched_wakeup,sched:sched_switch,cpu-migrations,task-clock

# "stats" over bash's /dev/tcp: prints cmd_get + cmd_set.
requests() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'stats\r\n' >&3
  local total=0 name value
  while IFS=$' \r' read -r _ name value <&3; do
    [ "$name" = cmd_get ] || [ "$name" = cmd_set ] && total=$((total + value))
    [ -z "$name" ] && break  # END
  done
  exec 3>&-
  echo "$total"
}

$command >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; kill "${perf:-0}" 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
# Warm up and fill the keys, then measure a run that finds them all.
"$mcconform" bench --target "127.0.0.1:$port" --duration 0.5 "$@" >/dev/null
before=$(requests)
out=$(mktemp)
perf stat -x, -e "$events" -p "$server" -o "$out" &
perf=$!
sleep 0.3
"$mcconform" bench --target "127.0.0.1:$port" --no-prefill "$@" | grep -E 'ops/s|first problem' || true
kill -INT "$perf"
wait "$perf" || true
after=$(requests)
n=$((after - before))
echo "server: $command (pid $server, $(find /proc/$server/task -mindepth 1 -maxdepth 1 | wc -l) threads)"
echo "requests counted by the server: $n"
awk -F, -v n="$n" '!/^#/ && NF > 2 && $1 ~ /^[0-9.]+$/ {
  name = $3; sub(/^(syscalls:sys_enter_|raw_syscalls:sys_enter)/, "", name); if (name == "") name = "all syscalls"
  if (name == "task-clock") { name = "cpu time (us)"; $1 = $1 * 1000 }
  printf "  %-20s %12.0f  %8.3f per request\n", name, $1, $1 / n }' "$out"
rm -f "$out"
