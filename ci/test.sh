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
newest=$(ci/build-newest-memcached.sh | tail -1)

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

# The page people share: every case against mcrefd, memcached 1.6.18 (Debian 12's) and the newest
# memcached side by side. build/report/ is the CI artifact (comparison.html, its JSON, the JUnit).
echo "== comparison: mcrefd, memcached 1.6.18, newest memcached (build/report/comparison.html)"
mkdir -p build/report
build/release/suites/mcconform --gtest_brief=1 --html build/report/comparison.html --junit build/report/comparison.xml \
  --spawn "mcrefd=$PWD/build/release/reference-server/mcrefd -p {port} -l 127.0.0.1 -U 0" \
  --spawn "memcached-1.6.18@memcached-1.6.18=/usr/bin/memcached -p {port} -U 0 -l 127.0.0.1 -u root" \
  --spawn "memcached-newest=$newest -p {port} -U 0 -l 127.0.0.1 -u root" >build/report/comparison.txt 2>&1 ||
  { tail -60 build/report/comparison.txt; exit 1; }
sed -n '/^Comparison of/,$p' build/report/comparison.txt

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
