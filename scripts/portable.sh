#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Prove on this (glibc, x86-64) machine that the tree is portable:
#
#  1. clang: every object and unit test built with -Werror.
#  2. musl: every object of src/ compiled with musl-gcc (a compile check:
#     the libraries are glibc builds, so nothing is linked). musl-gcc sees
#     only musl's headers; the headers of libcurl, OpenSSL, jansson,
#     PCRE2 and zlib (and those alone) are linked into build/musl/include,
#     so that no glibc header can stand in for a missing libc declaration.
#  3. fallbacks: the tree built with -DAPILOGS_PORTABLE, which takes the
#     paths of macOS and the BSDs (byte-at-a-time scanners instead of SSE2,
#     pipe()+fcntl instead of pipe2, a close() loop instead of close_range,
#     no mallopt), then the unit tests and the integration tests that
#     exercise those paths (credential_process, decoding, rendering).
#  4. CURL_DLOPEN=0: libcurl linked (ldd sees it), and the tests that talk
#     to moto through it.
#
# Missing compilers are installed from Debian's archive (apt-get), as
# scripts/deps.sh does. Prints "N passed, N failed"; exits 1 on a failure.
set -u
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
passed=0
failed=0
step() {
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "portable: FAILED: $*" >&2
		failed=$((failed + 1))
	fi
}

need=""
command -v clang >/dev/null 2>&1 || need="$need clang"
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
if [ -n "$need" ]; then
	if command -v apt-get >/dev/null 2>&1; then
		SUDO=""
		[ "$(id -u)" = 0 ] || SUDO=sudo
		echo "portable: installing:$need"
		$SUDO apt-get update -qq
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		    $need >/dev/null
	else
		echo "portable: missing:$need" >&2
		exit 1
	fi
fi

clang_build() {
	echo "== clang -Werror (build/clang)"
	make --no-print-directory -j"$JOBS" BUILD=build/clang CC=clang \
	    all unit-bins >build/clang.log 2>&1 ||
	    { cat build/clang.log; return 1; }
}

# The directory of musl-compatible library headers: the real files, linked.
musl_headers() {
	inc=build/musl/include
	rm -rf "$inc"
	mkdir -p "$inc/curl" "$inc/openssl"
	deps=$(printf '%s\n' '#define PCRE2_CODE_UNIT_WIDTH 8' \
	    '#include <curl/curl.h>' '#include <jansson.h>' \
	    '#include <openssl/evp.h>' '#include <pcre2.h>' \
	    '#include <zlib.h>' |
	    ${HOSTCC:-cc} -M -x c - 2>/dev/null | tr ' \\' '\n\n' |
	    grep -E -e '/(curl|openssl)/[^/]+\.h$' \
	    -e '/(jansson|jansson_config|pcre2|zlib|zconf)\.h$')
	[ -n "$deps" ] || return 1
	for d in $(printf '%s\n' $deps | grep -E '/(curl|openssl)/' |
	    xargs -n1 dirname | sort -u); do
		for h in "$d"/*.h; do
			ln -sf "$h" "$inc/$(basename "$d")/$(basename "$h")"
		done
	done
	for h in $(printf '%s\n' $deps | grep -vE '/(curl|openssl)/'); do
		ln -sf "$h" "$inc/$(basename "$h")"
	done
}

musl_build() {
	echo "== musl-gcc compile check (build/musl)"
	musl_headers || { echo "portable: library headers not found" >&2; \
	    return 1; }
	# PKG_CONFIG=true: pkg-config's -I flags would name glibc's
	# directories; the linked headers above are all musl-gcc may see.
	make --no-print-directory -j"$JOBS" BUILD=build/musl CC=musl-gcc \
	    PKG_CONFIG=true CPPFLAGS="-isystem build/musl/include" \
	    build/musl/libapilogs.a build/musl/obj/cli/main.o \
	    >build/musl.log 2>&1 || { cat build/musl.log; return 1; }
	n=$(find build/musl/obj -name '*.o' | wc -l)
	echo "portable: musl: $n objects"
}

fallback_build() {
	echo "== fallbacks: -DAPILOGS_PORTABLE (build/portable)"
	make --no-print-directory -j"$JOBS" BUILD=build/portable \
	    CPPFLAGS=-DAPILOGS_PORTABLE all unit-bins >build/portable.log 2>&1 ||
	    { cat build/portable.log; return 1; }
	# The SSE2 path really is off there (and on in the clang build):
	# no pmovmskb in the decoder.
	if command -v objdump >/dev/null 2>&1 &&
	    objdump -d build/clang/obj/logs/logs_decode.o | grep -q pmovmskb; then
		if objdump -d build/portable/obj/logs/logs_decode.o |
		    grep -q pmovmskb; then
			echo "portable: SSE2 code in the portable build" >&2
			return 1
		fi
	fi
}

fallback_units() {
	ok=0
	for t in build/portable/tests/test_*; do
		[ -x "$t" ] || continue
		if ! "$t" >build/portable-unit.log 2>&1 ||
		    ! grep -q '^RESULT [0-9]* 0$' build/portable-unit.log; then
			cat build/portable-unit.log
			echo "portable: FAIL: $t" >&2
			ok=1
		fi
	done
	return $ok
}

fallback_integration() {
	APILOGS_BIN=build/portable/apilogs \
	    APILOGS_IT_PATTERN='test_creds.py' python3 tests/integration/run.py \
	    >build/portable-it.log 2>&1 &&
	APILOGS_BIN=build/portable/apilogs \
	    APILOGS_IT_PATTERN='test_logs.py' python3 tests/integration/run.py \
	    >>build/portable-it.log 2>&1 ||
	    { tail -n 40 build/portable-it.log; return 1; }
	grep '^RESULT' build/portable-it.log
}

linked_build() {
	echo "== CURL_DLOPEN=0 (build/curl-linked)"
	make --no-print-directory -j"$JOBS" BUILD=build/curl-linked \
	    CURL_DLOPEN=0 all >build/curl-linked.log 2>&1 ||
	    { cat build/curl-linked.log; return 1; }
	if command -v ldd >/dev/null 2>&1 &&
	    ! ldd build/curl-linked/apilogs | grep -q libcurl; then
		echo "portable: CURL_DLOPEN=0 did not link libcurl" >&2
		return 1
	fi
	build/curl-linked/apilogs --version -v | grep -q '^libcurl: .*(linked' ||
	    return 1
	APILOGS_BIN=build/curl-linked/apilogs \
	    APILOGS_IT_PATTERN='test_packaging.py' python3 tests/integration/run.py \
	    >build/curl-linked-it.log 2>&1 ||
	    { tail -n 40 build/curl-linked-it.log; return 1; }
	grep '^RESULT' build/curl-linked-it.log
}

mkdir -p build
step clang_build
step musl_build
step linked_build
if fallback_build; then
	passed=$((passed + 1))
	step fallback_units
	step fallback_integration
else
	failed=$((failed + 1))
fi
echo "portable: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
