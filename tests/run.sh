#!/bin/bash
# Runs every test program and adds up their TAP lines; the last line is
# "N passed, N failed". uapi and stress programs run under the interposer
# ("uvfio run"), unit programs and scripts directly, and the stress programs
# once more under ThreadSanitizer when the build-thread variant exists.
set -u
BUILD=${BUILD:-build}
TSAN_BUILD=${TSAN_BUILD:-build-thread}
passed=0 failed=0 skipped=0
# An ASan build of the preload is loaded after the program's own runtime
# check would want it: let the check pass (the runtime is the same).
export ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

# run NAME CMD...: runs one program, echoes its output, counts its lines.
run() {
	local name=$1 out rc ok notok skip
	shift
	echo "# $name"
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	ok=$(printf '%s\n' "$out" | grep -c '^ok ')
	skip=$(printf '%s\n' "$out" | grep -c '^ok .*# SKIP')
	notok=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		notok=1
	fi
	if [ "$ok" -eq 0 ] && [ "$notok" -eq 0 ]; then
		echo "not ok - $name ran no test"
		notok=1
	fi
	passed=$((passed + ok - skip))
	skipped=$((skipped + skip))
	failed=$((failed + notok))
}

# A program may name its devices in tests/<dir>/<name>.args: one run per
# line, e.g. "--device edu --device edu"; "default" (or no file) is one run
# with the default edu.
for t in "$BUILD"/tests/uapi/* "$BUILD"/tests/stress/*; do
	[ -x "$t" ] || continue
	rel=${t#"$BUILD"/}
	if [ -f "$rel.args" ]; then
		while read -r line; do
			[ "$line" = default ] && line=""
			read -r -a args <<<"$line"
			run "$rel ${line:-(default devices)}" \
				"$BUILD/uvfio" run "${args[@]}" -- "$t"
		done <"$rel.args"
	else
		run "$rel" "$BUILD/uvfio" run -- "$t"
	fi
done
for t in "$BUILD"/tests/unit/*; do
	[ -x "$t" ] || continue
	run "${t#"$BUILD"/}" "$t"
done
for t in tests/unit/*.sh; do
	[ -f "$t" ] || continue
	run "$t" env BUILD="$BUILD" bash "$t"
done

# ThreadSanitizer's runtime has to be the first library loaded, before the
# (instrumented) preload, so these set LD_PRELOAD themselves.
libtsan=$(${CC:-gcc} -print-file-name=libtsan.so)
if [ -x "$TSAN_BUILD/libuvfio-preload.so" ] || [ -f "$TSAN_BUILD/libuvfio-preload.so" ]; then
	for t in "$TSAN_BUILD"/tests/stress/*; do
		[ -x "$t" ] || continue
		run "tsan: ${t#"$TSAN_BUILD"/}" env \
			TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" \
			LD_PRELOAD="$libtsan $TSAN_BUILD/libuvfio-preload.so" \
			UVFIO_DEVICES=edu "$t"
	done
else
	echo "# SKIP: no ThreadSanitizer build in $TSAN_BUILD (make check builds it)"
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
