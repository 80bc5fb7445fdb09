#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Build the Debian package from the make dist tarball with
# `dpkg-buildpackage -us -uc -b`, install it, check what it installs
# (binary, man page, bash/zsh/fish completions) and that its Depends
# names libcurl (loaded with dlopen, so dpkg-shlibdeps cannot see it), run
# the installed apilogs, then remove the package again. Needs root (or
# sudo) for the install; installs debhelper and dpkg-dev when missing.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
version=$(cat VERSION)
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if ! command -v dh >/dev/null 2>&1 ||
    ! command -v dpkg-buildpackage >/dev/null 2>&1; then
	echo "debcheck: installing debhelper dpkg-dev"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    debhelper dpkg-dev >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {
	# $1: what; the rest: the command
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "debcheck: FAIL: $what" >&2
		failed=$((failed + 1))
	fi
}

make --no-print-directory dist >/dev/null 2>&1 &&
    tar -xzf "apilogs-$version.tar.gz" -C "$tmp"
rm -f "apilogs-$version.tar.gz"
src="$tmp/apilogs-$version"
echo "== dpkg-buildpackage -us -uc -b"
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	passed=$((passed + 1))
else
	tail -n 60 "$tmp/build.log"
	echo "debcheck: FAIL: dpkg-buildpackage" >&2
	echo "debcheck: 0 passed, 1 failed"
	exit 1
fi
deb=$(ls "$tmp"/apilogs_*.deb | grep -v dbgsym | head -n 1)
echo "debcheck: built $(basename "$deb")"
dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/apilogs ./usr/share/man/man1/apilogs.1.gz \
    ./usr/share/bash-completion/completions/apilogs \
    ./usr/share/zsh/vendor-completions/_apilogs \
    ./usr/share/fish/vendor_completions.d/apilogs.fish \
    ./usr/share/doc/apilogs/copyright; do
	check "package has $f" grep -q " $f\$" "$tmp/contents"
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "debcheck: Depends: $depends"
check "Depends names libcurl" sh -c "echo '$depends' | grep -q 'libcurl4 (>= 7.66.0) | libcurl3-gnutls'"
check "Depends names jansson" sh -c "echo '$depends' | grep -q libjansson"
check "Depends names libssl" sh -c "echo '$depends' | grep -q libssl"
check "Depends names pcre2" sh -c "echo '$depends' | grep -q libpcre2"
# zlib is linked only once something in the binary uses it (crc32() of
# the event-stream decoder); from then on Depends must name it.
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/bin/apilogs >"$tmp/bin"
if readelf -d "$tmp/bin" 2>/dev/null | grep -q 'NEEDED.*libz\.so'; then
	check "Depends names zlib" sh -c "echo '$depends' | grep -q zlib1g"
fi
# The distribution's own copy, if any, is left as it was.
was=$(dpkg-query -W -f '${Status}' apilogs 2>/dev/null || true)
if $SUDO dpkg -i "$deb" >"$tmp/install.log" 2>&1; then
	passed=$((passed + 1))
	check "installed apilogs --version" sh -c \
	    "/usr/bin/apilogs --version | grep -qx 'apilogs $version'"
	check "installed apilogs --version -v loads libcurl" sh -c \
	    "/usr/bin/apilogs --version -v | grep -q '^libcurl: libcurl/'"
	/usr/bin/apilogs get >/dev/null 2>&1
	check "usage error exits 2" test $? -eq 2
	check "bash loads the installed completion" bash -c \
	    '. /usr/share/bash-completion/completions/apilogs &&
	     complete -p apilogs | grep -q _apilogs'
	check "man finds the page" sh -c \
	    'man -w apilogs 2>/dev/null | grep -q apilogs.1 ||
	     ! command -v man >/dev/null'
	case $was in
	*"install ok installed"*) ;;
	*) $SUDO dpkg -r apilogs >/dev/null 2>&1 ;;
	esac
else
	cat "$tmp/install.log"
	echo "debcheck: FAIL: dpkg -i" >&2
	failed=$((failed + 1))
fi
echo "debcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
