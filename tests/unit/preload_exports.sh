#!/bin/sh
# SPDX-License-Identifier: MIT
#
# libuvfio-preload.so must export exactly the libc names listed in
# src/interpose/preload.sym: a missing one is a call the interposer silently
# misses, an extra one (above all uvfio_, vfio_ or iommufd_ internals) lands
# in every client's namespace. Takes the build directory as $BUILD.

BUILD=${BUILD:-build}
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
SYM=$SRCDIR/src/interpose/preload.sym
LIB=$BUILD/libuvfio-preload.so
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0

echo "1..3"

if [ ! -f "$LIB" ]; then
	for n in 1 2 3; do
		echo "not ok $n - $LIB was not built"
	done
	exit 1
fi

# The names between "global:" and "local:", one per line.
sed -e 's,/\*.*\*/,,' -e '/\/\*/,/\*\//d' "$SYM" |
	awk '/global:/ { on = 1; next } /local:/ { on = 0 }
	     on { gsub(/[ \t;]/, ""); if ($0 != "") print }' |
	sort -u >"$tmp/expected"
# Defined dynamic symbols, without any @VERSION suffix.
nm -D --defined-only "$LIB" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$tmp/exported"

missing=$(comm -23 "$tmp/expected" "$tmp/exported" | tr '\n' ' ')
extra=$(comm -13 "$tmp/expected" "$tmp/exported" | tr '\n' ' ')
internal=$(grep -E '^(uvfio_|vfio_|iommufd_)' "$tmp/exported" | tr '\n' ' ')

if [ -s "$tmp/expected" ] && [ -z "$missing" ]; then
	echo "ok 1 - preload exports every name in preload.sym"
else
	echo "not ok 1 - preload misses: ${missing:-(preload.sym lists nothing)}"
	status=1
fi
if [ -z "$extra" ]; then
	echo "ok 2 - preload exports nothing outside preload.sym"
else
	echo "not ok 2 - preload also exports: $extra"
	status=1
fi
if [ -z "$internal" ]; then
	echo "ok 3 - preload exports no uvfio_, vfio_ or iommufd_ symbol"
else
	echo "not ok 3 - preload exports internals: $internal"
	status=1
fi
exit $status
