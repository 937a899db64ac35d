#!/usr/bin/env bash
# Builds the newest memcached oracle: the source package of Debian's current stable release,
# fetched with apt's own source fetching, built and cached under build/oracle/. Prints the path
# of the binary on its last line.
#
# The machine's apt configuration is left alone: the fetch uses a private sources list, list
# folder and cache under build/oracle/apt. Run it again and it reuses the cached binary.
#   MEMCACHED_SUITE   the Debian release to take the source from (default: trixie)
#   MEMCACHED_FORCE=1 fetch and build again even when a binary is cached
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${MEMCACHED_SUITE:-trixie}
root="$PWD/build/oracle"
apt_root="$root/apt"
newest="$root/memcached-newest"

fail() {
  echo "build-newest-memcached: $*" >&2
  exit 1
}

if [ "${MEMCACHED_FORCE:-0}" != 1 ] && [ -x "$newest/memcached" ]; then
  echo "build-newest-memcached: cached: $("$newest/memcached" -V)" >&2
  echo "$newest/memcached"
  exit 0
fi

for tool in dpkg-source make cc; do
  command -v "$tool" >/dev/null || fail "$tool is missing (ci/install-deps.sh installs dpkg-dev and build-essential)"
done
[ -f /usr/include/event.h ] || fail "libevent's headers are missing (ci/install-deps.sh installs libevent-dev)"

mkdir -p "$apt_root/lists/partial" "$apt_root/cache/archives/partial" "$root/src"
echo "deb-src http://deb.debian.org/debian $suite main" >"$apt_root/sources.list"
apt_options=(
  -o "Dir::Etc::sourcelist=$apt_root/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::lists=$apt_root/lists"
  -o "Dir::Cache=$apt_root/cache"
  -o "APT::Get::List-Cleanup=0"
  -o "APT::Sandbox::User=root"
)

echo "build-newest-memcached: fetching memcached's source package from Debian $suite" >&2
if ! apt-get "${apt_options[@]}" -qq update >"$root/apt-update.log" 2>&1; then
  cat "$root/apt-update.log" >&2
  fail "cannot read Debian $suite's source index (network, or the release's signing key?)"
fi
rm -rf "$root/src" && mkdir -p "$root/src"
if ! (cd "$root/src" && apt-get "${apt_options[@]}" -qq source memcached) >"$root/apt-source.log" 2>&1; then
  cat "$root/apt-source.log" >&2
  fail "cannot fetch memcached's source package from Debian $suite"
fi
source_dir=$(find "$root/src" -mindepth 1 -maxdepth 1 -type d -name 'memcached-*' | head -n 1)
[ -n "$source_dir" ] || fail "the source package unpacked to no memcached-* folder"
version=${source_dir##*/memcached-}

echo "build-newest-memcached: building memcached $version (the Debian package's patches applied)" >&2
if ! (cd "$source_dir" && ./configure --quiet && make -j"$(nproc)" memcached) >"$root/build.log" 2>&1; then
  tail -n 30 "$root/build.log" >&2
  fail "memcached $version did not build; the whole log is $root/build.log"
fi

target="$root/memcached-$version"
mkdir -p "$target"
cp "$source_dir/memcached" "$target/memcached"
rm -rf "$newest"
ln -s "memcached-$version" "$newest"
built=$("$newest/memcached" -V) || fail "the built memcached does not run"
echo "build-newest-memcached: built $built" >&2
echo "$newest/memcached"
