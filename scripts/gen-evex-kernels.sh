#!/usr/bin/env bash
# Regenerates the AVX-512 kernel objects under fixtures/evex-kernels/ from the
# real nasm 2.16.01 (test/encoder/evex-kernels.test.ts compares tsnasm with
# them). Each case folder holds source.asm and a `formats` file (the -f formats,
# elf64 and/or elf32); inside the folder, so the FILE symbol names source.asm:
#
#   nasm -f F source.asm -o source.F.o -l source.F.lst 2> source.F.o.stderr
set -euo pipefail
command -v nasm >/dev/null || { echo "gen-evex-kernels: nasm not found" >&2; exit 1; }
[[ "$(nasm -v)" == "NASM version 2.16.01"* ]] || { echo "gen-evex-kernels: need nasm 2.16.01" >&2; exit 1; }
cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/evex-kernels"
export SOURCE_DATE_EPOCH=1700000000 TZ=UTC
for case_dir in */; do
  (
    cd "$case_dir"
    rm -f ./*.o ./*.lst ./*.stderr
    for format in $(head -n 1 formats); do
      nasm -f "$format" source.asm -o "source.$format.o" -l "source.$format.lst" 2> "source.$format.o.stderr"
    done
  )
done
