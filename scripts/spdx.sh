#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# SPDX licence headers of the project's own source files.
#
#   scripts/spdx.sh          add "SPDX-License-Identifier: Apache-2.0" to
#                            every source file without one (after a #!
#                            line; as /* */ in C), then create
#                            scripts/spdx.enforce. Running it again
#                            changes nothing.
#   scripts/spdx.sh --check  exit 1 when a header is not Apache-2.0 or not
#                            in the first 5 lines; once scripts/spdx.enforce
#                            exists, also when a source file has none.
#                            scripts/run-tests.sh (make test) runs it.
#
# Third-party test data (tests/data/) keeps its own notices.
set -eu
cd "$(dirname "$0")/.."
ID="SPDX-License-Identifier: Apache-2.0"
MARK=scripts/spdx.enforce

files() {
	{
		git ls-files 2>/dev/null || find . -type f | sed 's|^\./||'
	} | grep -E '\.(c|h|py|sh|rb)$|^Makefile$|^\.ci/run$|^debian/rules$' |
	    grep -v '^tests/data/' | sort -u
}

has_id() {
	head -n 5 "$1" | grep -q 'SPDX-License-Identifier:'
}

if [ "${1:-}" = "--check" ]; then
	bad=0
	n=0
	for f in $(files); do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if has_id "$f"; then
			if ! head -n 5 "$f" | grep -q "$ID"; then
				echo "spdx: $f: not $ID"
				bad=1
			fi
		elif [ -f "$MARK" ]; then
			echo "spdx: $f: no $ID in its first 5 lines"
			bad=1
		fi
	done
	[ $bad -eq 0 ] && echo "spdx: $n files ok$([ -f "$MARK" ] ||
	    echo ' (headers not enforced yet: run scripts/spdx.sh)')"
	exit $bad
fi

added=0
for f in $(files); do
	[ -f "$f" ] || continue
	has_id "$f" && continue
	tmp="$f.spdx.tmp"
	case $f in
	*.c | *.h)
		{ echo "/* $ID */"; cat "$f"; } >"$tmp"
		;;
	*)
		if head -n 1 "$f" | grep -q '^#!'; then
			{ head -n 1 "$f"; echo "# $ID"; tail -n +2 "$f"; } >"$tmp"
		else
			{ echo "# $ID"; cat "$f"; } >"$tmp"
		fi
		;;
	esac
	chmod "$(stat -c %a "$f" 2>/dev/null || stat -f %Lp "$f")" "$tmp"
	mv "$tmp" "$f"
	added=$((added + 1))
done
if [ ! -f "$MARK" ]; then
	echo "# Present: scripts/spdx.sh --check requires the SPDX header in" \
	    "every source file." >"$MARK"
fi
echo "spdx: header added to $added files"
