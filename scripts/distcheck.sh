#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# make dist, then unpack the tarball in a temporary folder and build it
# there with `make` (and the unit test binaries): what a packager does
# first. The whole suite is not run inside it (make test in the checkout
# covers that). Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
version=$(cat VERSION)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
if make --no-print-directory dist >"$tmp/dist.log" 2>&1 &&
    tar -xzf "apilogs-$version.tar.gz" -C "$tmp" &&
    [ -f "$tmp/apilogs-$version/LICENSE" ] &&
    [ -f "$tmp/apilogs-$version/CHANGELOG.md" ] &&
    [ ! -d "$tmp/apilogs-$version/.git" ] &&
    make --no-print-directory -C "$tmp/apilogs-$version" -j"${JOBS:-2}" \
        all unit-bins >"$tmp/build.log" 2>&1 &&
    "$tmp/apilogs-$version/build/apilogs" --version |
        grep -qx "apilogs $version" &&
    "$tmp/apilogs-$version/build/tests/test_buf" >/dev/null 2>&1; then
	echo "distcheck: apilogs-$version.tar.gz unpacks and builds"
	passed=1
else
	cat "$tmp/dist.log" "$tmp/build.log" 2>/dev/null | tail -n 40
	echo "distcheck: apilogs-$version.tar.gz does not build" >&2
	failed=1
fi
rm -f "apilogs-$version.tar.gz"
echo "distcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
