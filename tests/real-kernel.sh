#!/bin/bash
# Differential check: the uapi tests that need no cdev and no iommufd
# (the legacy group/container path) also run against a real Linux VFIO
# stack, through the workplace's reference runner when it is present
# (../shared/tools/real-kernel-run: Debian's kernel in a QEMU guest with
# QEMU's edu bound to vfio-pci). A clone without it skips, saying so.
set -u
BUILD=${BUILD:-build}
RUNNER=${REAL_KERNEL_RUN:-../shared/tools/real-kernel-run}
# name[:TOPO]: the guest topology the test needs (root bus unless said).
TESTS="group pci_config pci_regions pci_irqs pci_feature edu_driver pci_reset:bridge"
passed=0 failed=0

if [ ! -x "$RUNNER" ]; then
	echo "# SKIP: no reference runner at $RUNNER; nothing compared with a real kernel"
	echo "0 passed, 0 failed"
	exit 0
fi
for spec in $TESTS; do
	t=${spec%%:*}
	topo=root
	[ "$spec" != "$t" ] && topo=${spec#*:}
	bin=$BUILD/real-kernel/$t
	mkdir -p "$BUILD/real-kernel"
	${CC:-gcc} -static -std=gnu11 -O2 -Iinclude -Itests \
		"tests/uapi/$t.c" -o "$bin" -lpthread || exit 1
	echo "# real kernel ($topo): tests/uapi/$t"
	out=$(TOPO=$topo WORK=${WORK:-/tmp/uvfio-real-kernel} "$RUNNER" "$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	if [ "$rc" -eq 2 ] && ! printf '%s\n' "$out" | grep -q '^ok '; then
		echo "# SKIP: the reference guest gave no result (see its console log)"
		continue
	fi
	passed=$((passed + $(printf '%s\n' "$out" | grep '^ok ' | grep -vc '# SKIP')))
	failed=$((failed + $(printf '%s\n' "$out" | grep -c '^not ok ')))
	[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
