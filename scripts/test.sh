#!/bin/sh
# The whole test suite: unit, golden, command-line, broken-model, parser-attack
# and valgrind tests in the normal build, then everything again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Both builds are strict (--werror: a warning fails, as CI wants; a user's
# own `meson setup build` is not).  An existing build directory is
# reconfigured, so the flag is really on and new test files are picked up.
set -eu
cd "$(dirname "$0")/.."

setup() {
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" -Dwerror=true "$@"
	else
		meson setup "$dir" -Dwerror=true "$@"
	fi
}

setup build
meson compile -C build
meson test -C build --print-errorlogs

setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-sanitize
# Graphviz's libraries (--format svg, html) keep some memory to the end:
# tests/lsan.supp names them
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
LSAN_OPTIONS=suppressions="$(pwd)/tests/lsan.supp":print_suppressions=0 \
	meson test -C build-sanitize --print-errorlogs
