#!/bin/sh
# Check the build dependencies with pkg-config and install what is missing
# from Debian's archive. On systems without apt-get, print the command.
set -eu

# pkg-config module -> Debian package
PAIRS="libcurl:libcurl4-openssl-dev jansson:libjansson-dev
libcrypto:libssl-dev zlib:zlib1g-dev libpcre2-8:libpcre2-dev
cmocka:libcmocka-dev"

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
