#!/usr/bin/env bash
# Compiles each capture program (one file per hook) to a BPF object in $1; run by the Maven build.
set -euo pipefail
out="$1"; src="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
command -v clang >/dev/null || { echo "clang is missing: ./mesh installs it (apt-get install clang llvm libbpf-dev)" >&2; exit 1; }
[ -e /usr/include/bpf/bpf_helpers.h ] || { echo "libbpf headers are missing: apt-get install libbpf-dev" >&2; exit 1; }
for c in "$src"/*.c; do
  name="$(basename "$c" .c)"
  clang -O2 -g -Wall -Werror -target bpf -I/usr/include/"$(uname -m)"-linux-gnu -I"$src" -c "$c" -o "$out/$name.o"
done
