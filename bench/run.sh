#!/bin/bash
# Runs every benchmark under the interposer (bench/ioas* link the library
# and run directly). Numbers are per operation and
# only their ratios within one run mean anything on a shared machine.
set -eu
BUILD=${BUILD:-build}
for b in "$BUILD"/bench/*; do
	[ -x "$b" ] || continue
	echo "# ${b#"$BUILD"/}"
	case "${b##*/}" in
	ioas*) "$b" ;;	# links libuvfio.a itself: no interposer
	*) "$BUILD/uvfio" run -- "$b" ;;
	esac
done
