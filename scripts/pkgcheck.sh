#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Check the build's pkg-config modules before compiling, with pkg-config's
# own error for a missing one and a clear line for one that is too old.
#
#   scripts/pkgcheck.sh PKG_CONFIG MODULE[:MIN_VERSION]...
#
# Exits 1 after printing every problem (not only the first).
set -u
PKG_CONFIG=${1:-pkg-config}
shift
if ! command -v "${PKG_CONFIG%% *}" >/dev/null 2>&1; then
	echo "pkgcheck: '$PKG_CONFIG' not found: install pkg-config (or pkgconf)," \
	    "or set PKG_CONFIG" >&2
	exit 1
fi
bad=0
for spec in "$@"; do
	mod=${spec%%:*}
	min=""
	case $spec in *:*) min=${spec#*:} ;; esac
	if ! $PKG_CONFIG --exists "$mod" 2>/dev/null; then
		echo "pkgcheck: pkg-config module '$mod' is missing:" >&2
		$PKG_CONFIG --print-errors --exists "$mod" 2>&1 | sed 's/^/  /' >&2
		bad=1
		continue
	fi
	if [ -n "$min" ] && ! $PKG_CONFIG --atleast-version="$min" "$mod"; then
		echo "pkgcheck: $mod $($PKG_CONFIG --modversion "$mod") is too old:" \
		    "apilogs needs $min or newer" >&2
		bad=1
	fi
done
if [ $bad -ne 0 ]; then
	echo "pkgcheck: 'make deps' installs the build dependencies" \
	    "(scripts/deps.sh)" >&2
	exit 1
fi
exit 0
