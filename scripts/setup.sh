#!/bin/sh
# Install what is missing (Debian or Ubuntu), build convsummary, and
# summarise a bundled model.  Safe to run again.
set -eu
cd "$(dirname "$0")/.."

pkgs="gcc meson ninja-build pkg-config libyaml-dev libjansson-dev libzip-dev libcmocka-dev python3 valgrind libgraphviz-dev graphviz"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
	echo "installing:$missing"
	$sudo apt-get update
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
fi

[ -f build/build.ninja ] || meson setup build
meson compile -C build
build/convsummary models/mnist_cnn.yaml
