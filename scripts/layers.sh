#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Check the layering of src/: an include may point only to its own folder or
# to an earlier layer in this order (src/README.md):
#
#   core -> aws -> aws/creds -> logs -> discover -> trace -> query -> cli
#
# Every project include names its folder ("core/buf.h"). Prints one line per
# upward or unknown include and exits 1 when there is any; prints
# "layers: N files, N includes, ok" otherwise.
set -eu
# The tree to check: the first argument, or this checkout.
cd "${1:-$(dirname "$0")/..}"
ORDER="core aws aws/creds logs discover trace query cli"

rank() {
	i=0
	for l in $ORDER; do
		if [ "$l" = "$1" ]; then
			echo "$i"
			return
		fi
		i=$((i + 1))
	done
	echo -1
}

bad=0
files=0
incs=0
for f in $(find src -name '*.[ch]' | sort); do
	files=$((files + 1))
	dir=$(dirname "${f#src/}")
	own=$(rank "$dir")
	if [ "$own" -lt 0 ]; then
		echo "layers: $f: folder $dir is not a layer"
		bad=1
		continue
	fi
	for inc in $(sed -n 's/^#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
		incs=$((incs + 1))
		idir=$(dirname "$inc")
		if [ "$idir" = . ]; then
			echo "layers: $f includes \"$inc\" without its folder"
			bad=1
			continue
		fi
		if [ ! -f "src/$inc" ]; then
			echo "layers: $f includes \"$inc\", which is not in src/"
			bad=1
			continue
		fi
		r=$(rank "$idir")
		if [ "$r" -gt "$own" ]; then
			echo "layers: $f ($dir) includes \"$inc\" from a later layer ($idir)"
			bad=1
		fi
	done
done
if [ "$bad" -ne 0 ]; then
	exit 1
fi
echo "layers: $files files, $incs includes, ok"
