#!/bin/bash
# Runs every benchmark under the interposer. Numbers are per operation and
# only their ratios within one run mean anything on a shared machine.
set -eu
BUILD=${BUILD:-build}
for b in "$BUILD"/bench/*; do
	[ -x "$b" ] || continue
	echo "# ${b#"$BUILD"/}"
	"$BUILD/uvfio" run -- "$b"
done
