#!/usr/bin/env bash
# The project's tests: install, build the newest memcached oracle, build, then the unit tests and
# every suite against mcrefd and against both real memcacheds (the oracles), each a CTest label;
# then the unit and protocol tests again under ASan and UBSan, and each fuzzer for a short while.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
ci/install-deps.sh

echo "== format (clang-format, .clang-format)"
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run --Werror

echo "== newest memcached oracle (Debian stable's source package)"
ci/build-newest-memcached.sh

echo "== build (release)"
ci/build.sh release
for label in unit protocol client oracle; do
  count=$(ctest --test-dir build/release -N -L "^${label}\$" | sed -n 's/^Total Tests: //p')
  echo "== ctest -L ${label}: ${count:-0} tests"
  if [ "${count:-0}" -eq 0 ]; then
    if [ "$label" = client ]; then continue; fi
    echo "no tests registered for label ${label}" >&2
    exit 1
  fi
  ctest --test-dir build/release -L "^${label}\$" --output-on-failure -j2
done

if [ "${MCCONFORM_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== build (asan-ubsan)"
  ci/build.sh asan-ubsan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  ctest --test-dir build/asan-ubsan -L '^(unit|protocol)$' --output-on-failure -j2
fi
if [ "${MCCONFORM_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz (libFuzzer, clang, ASan + UBSan; FUZZ_SECONDS per target)"
  FUZZ_SECONDS=${FUZZ_SECONDS:-20} ci/fuzz.sh
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
