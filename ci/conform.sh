#!/usr/bin/env bash
# The main job: install what is missing, build, and run the conformance suites. With no arguments
# they run against a freshly spawned mcrefd; any mcconform option passes through, for example
#   ci/conform.sh --target 127.0.0.1:11211
#   ci/conform.sh --spawn 'memcached -p {port} -U 0 -l 127.0.0.1 -u root'
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh release >/dev/null
exec build/release/suites/mcconform --gtest_brief=1 "$@"
