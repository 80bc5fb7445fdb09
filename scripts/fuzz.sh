#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build every libFuzzer target fuzz/fuzz_NAME.c (clang, ASan + UBSan) and run
# each for SECONDS on a scratch corpus seeded from fuzz/corpus/NAME/.
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]
set -eu
SECONDS_EACH=${1:-20}
[ $# -gt 0 ] && shift
OUT=build/fuzz
mkdir -p "$OUT/obj"
PKGS="libcurl jansson libcrypto libpcre2-8 zlib"
FLAGS="-std=gnu11 -D_GNU_SOURCE -DAPILOGS_VERSION=\"fuzz\" -Isrc -g -O1"
FLAGS="$FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all"
CC=${FUZZ_CC:-clang}

objs=""
for src in src/*/*.c src/*/*/*.c; do
	[ "$src" = src/cli/main.c ] && continue
	obj="$OUT/obj/$(basename "$src" .c).o"
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] ||
	    [ -n "$(find src -name '*.h' -newer "$obj" | head -n1)" ]; then
		# shellcheck disable=SC2046,SC2086
		$CC $FLAGS -fsanitize=fuzzer-no-link $(pkg-config --cflags $PKGS) \
		    -c -o "$obj" "$src"
	fi
	objs="$objs $obj"
done

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(ls fuzz/fuzz_*.c 2>/dev/null | sed 's|fuzz/fuzz_||; s|\.c$||')
fi
status=0
for name in $targets; do
	# shellcheck disable=SC2046,SC2086
	$CC $FLAGS -fsanitize=fuzzer -o "$OUT/fuzz_$name" "fuzz/fuzz_$name.c" \
	    $objs $(pkg-config --libs $PKGS) -lm
	mkdir -p "fuzz/corpus/$name"
	work="$OUT/corpus-$name"
	mkdir -p "$work"
	echo "== fuzz_$name for ${SECONDS_EACH}s"
	if ! "$OUT/fuzz_$name" -max_total_time="$SECONDS_EACH" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$OUT/" "$work" "fuzz/corpus/$name" \
	    >"$OUT/fuzz_$name.log" 2>&1; then
		tail -n 40 "$OUT/fuzz_$name.log"
		echo "fuzz_$name: FOUND A PROBLEM (artifacts in $OUT/)"
		status=1
	else
		grep -E 'stat::number_of_executed_units' "$OUT/fuzz_$name.log" |
		    sed "s/^/fuzz_$name: /"
	fi
done
exit $status
