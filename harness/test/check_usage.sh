#!/usr/bin/env bash
# --help and -h print mcconform's usage (which points at --gtest_help) and exit 0; --gtest_help
# prints GoogleTest's; a bad argument prints the usage and exits 2.
# usage: check_usage.sh MCCONFORM
set -uo pipefail
mcconform=$1
fail() { echo "check_usage: $1"; exit 1; }
for flag in --help -h; do
  out=$("$mcconform" "$flag" 2>&1) || fail "$flag exited with $?"
  [[ $out == "usage: mcconform "* ]] || fail "$flag does not start with mcconform's usage"
  [[ $out == *"--gtest_help lists them"* ]] || fail "$flag does not mention GoogleTest's flags"
  [[ $out != *"Google Test"* ]] || fail "$flag printed GoogleTest's help"
done
out=$("$mcconform" --gtest_help 2>&1) || fail "--gtest_help exited with $?"
[[ $out == *"--gtest_filter="* ]] || fail "--gtest_help did not print GoogleTest's flags"
out=$("$mcconform" --no-such-option 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "a bad argument exited with $status, not 2"
[[ $out == *"unknown argument '--no-such-option'"*"usage: mcconform "* ]] || fail "a bad argument: no error and usage"
echo "check_usage: --help, -h, --gtest_help and a bad argument behave"
