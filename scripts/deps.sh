#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Check the build dependencies with pkg-config and install what is missing
# from Debian's archive. On macOS (Homebrew), the BSDs and systems without
# apt-get, print the command that installs them instead.
set -eu

# pkg-config module -> Debian package
PAIRS="libcurl:libcurl4-openssl-dev jansson:libjansson-dev
libcrypto:libssl-dev libpcre2-8:libpcre2-dev zlib:zlib1g-dev
cmocka:libcmocka-dev"

case $(uname -s 2>/dev/null) in
Darwin)
	# Homebrew's curl, openssl@3 and zlib are keg-only: pkg-config finds them
	# through PKG_CONFIG_PATH.
	need=0
	for mod in libcurl jansson libcrypto libpcre2-8 zlib cmocka; do
		if ! command -v pkg-config >/dev/null 2>&1 ||
		    ! pkg-config --exists "$mod" 2>/dev/null; then
			need=1
		fi
	done
	[ $need -eq 0 ] && exit 0
	echo "deps: missing build dependencies; with Homebrew:" >&2
	echo "  brew install curl jansson openssl@3 pcre2 zlib pkgconf cmocka" >&2
	echo '  export PKG_CONFIG_PATH="$(brew --prefix curl)/lib/pkgconfig:$(brew --prefix openssl@3)/lib/pkgconfig:$(brew --prefix zlib)/lib/pkgconfig:$PKG_CONFIG_PATH"' >&2
	echo "  (the integration tests also need python3 and" \
	    "pip install 'moto[server]' boto3)" >&2
	exit 1
	;;
FreeBSD | DragonFly)
	BSDCMD="pkg install curl jansson pcre2 pkgconf cmocka python3 gmake"
	;;
OpenBSD)
	BSDCMD="pkg_add curl jansson pcre2 cmocka python3 gmake"
	;;
NetBSD)
	BSDCMD="pkgin install curl jansson pcre2 pkgconf cmocka python311 gmake"
	;;
*)
	BSDCMD=""
	;;
esac

missing=""
if ! command -v pkg-config >/dev/null 2>&1; then
	missing="pkg-config"
fi
for pair in $PAIRS; do
	mod=${pair%%:*}
	pkg=${pair#*:}
	if ! command -v pkg-config >/dev/null 2>&1 ||
	    ! pkg-config --exists "$mod" 2>/dev/null; then
		missing="$missing $pkg"
	fi
done
# zsh and fish: the completion tests drive them (tests/integration/
# test_packaging.py); groff checks the man page.
for tool in zsh fish groff; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		missing="$missing $tool"
	fi
done
# Time-zone data (the --local tests use real zones).
if [ ! -e /usr/share/zoneinfo/Europe/Berlin ]; then
	missing="$missing tzdata"
fi
for tool in make cc python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		case $tool in
		cc) missing="$missing gcc" ;;
		*) missing="$missing $tool" ;;
		esac
	fi
done

[ -z "$missing" ] && exit 0

if [ -n "$BSDCMD" ]; then
	echo "deps: missing build dependencies; install them with:" >&2
	echo "  $BSDCMD" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing" >&2
	echo "deps: install them with your package manager; on Debian:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
echo "deps: installing:$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
