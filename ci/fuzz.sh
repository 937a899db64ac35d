#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan, UBSan) and runs each for a bounded
# time from its seed corpus in fuzz/corpus/<name>. A crash fails the run and leaves its input in
# build/fuzz/findings/<name>/ (turn it into a regression test). FUZZ_SECONDS sets the time per
# target (default 20). New inputs the fuzzers find go to build/fuzz/corpus, not into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
mkdir -p build
if ! ci/build.sh fuzz >build/fuzz-build.log 2>&1; then
  tail -n 40 build/fuzz-build.log
  echo "fuzz: the fuzz preset did not build (clang); the whole log is build/fuzz-build.log" >&2
  exit 1
fi
status=0
for target in build/fuzz/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=${target##*/fuzz_}
  work=build/fuzz/corpus/$name findings=build/fuzz/findings/$name
  mkdir -p "$work" "$findings"
  echo "== fuzz $name for ${seconds} s"
  if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" "$work" "fuzz/corpus/$name" >"build/fuzz/$name.log" 2>&1; then
    tail -n 40 "build/fuzz/$name.log"
    echo "fuzz $name: FAILED, the input is in $findings/" >&2
    status=1
    continue
  fi
  grep -E '^stat::number_of_executed_units' "build/fuzz/$name.log" | sed "s/^/  $name /"
done
exit $status
