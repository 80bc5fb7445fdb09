#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every unit test binary in BUILD/tests, then the integration suite
# against moto, and print one final line "N passed, N failed". Exit status
# is non-zero when anything failed. Set APILOGS_VALGRIND=1 to run the unit
# binaries and the apilogs binary under valgrind.
set -u
BUILD=${1:-build}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

add_result() {
	# $1: name, $2: log file; reads the last "RESULT p f" line.
	line=$(grep '^RESULT ' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $1 printed no result (crashed?)"
		failed=$((failed + 1))
		return
	fi
	set -- $line
	passed=$((passed + $2))
	failed=$((failed + $3))
}

VG=""
if [ "${APILOGS_VALGRIND:-}" = 1 ]; then
	VG="valgrind -q --error-exitcode=99 --leak-check=full"
	VG="$VG --errors-for-leak-kinds=definite,indirect"
fi

echo "== layers"
if scripts/layers.sh; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

echo "== spdx headers"
if scripts/spdx.sh --check; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

echo "== unit tests ($BUILD)"
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	$VG "$t" >"$log" 2>&1
	rc=$?
	add_result "$name" "$log"
	if [ $rc -ne 0 ]; then
		cat "$log"
		if ! grep -q '^RESULT ' "$log" || \
		    [ "$(grep '^RESULT ' "$log" | tail -n1 | cut -d' ' -f3)" = 0 ]; then
			echo "FAIL: $name exited with status $rc"
			failed=$((failed + 1))
		fi
	else
		printf '%-28s %s\n' "$name" "$(grep '^RESULT ' "$log" | tail -n1)"
	fi
done

echo "== integration tests"
APILOGS_BIN="$BUILD/apilogs" python3 tests/integration/run.py >"$log" 2>&1
rc=$?
cat "$log"
add_result integration "$log"
if [ $rc -ne 0 ] && ! grep -q '^RESULT ' "$log"; then
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
