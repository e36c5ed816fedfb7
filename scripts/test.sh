#!/bin/sh
# The whole test suite: unit, golden, command-line, broken-model, parser-attack
# and valgrind tests in the normal build, then everything again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."

[ -f build/build.ninja ] || meson setup build
meson compile -C build
meson test -C build --print-errorlogs

[ -f build-sanitize/build.ninja ] || \
	meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-sanitize
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-sanitize --print-errorlogs
