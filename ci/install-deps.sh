#!/usr/bin/env bash
# Installs the Debian packages mcconform needs to build and test. Idempotent and quiet; uses sudo
# when not root. Packages already present are not touched.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  # the fuzz preset: clang and its libFuzzer runtime
  clang libclang-rt-14-dev
  libgtest-dev libbenchmark-dev libfmt-dev libboost-dev libboost-filesystem-dev nlohmann-json3-dev libcli11-dev
  # libmemcached.pc requires libcrypto.pc, which only libssl-dev brings
  libmemcached-dev libssl-dev libmemcached-tools
  memcached nutcracker
  # the newest memcached oracle is built from Debian's source package (ci/build-newest-memcached.sh)
  dpkg-dev libevent-dev
  # the HTML report's test loads the page in headless Chromium (harness/test/check_html_report.sh)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts memcached as a service on install; the suites spawn their own, so stop it when we can.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet memcached 2>/dev/null; then
  $sudo systemctl stop memcached || true
fi
