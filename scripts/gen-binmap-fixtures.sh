#!/usr/bin/env bash
# Regenerates fixtures/binmap/ (bin's [map ...] files) from the real nasm 2.16.01.
#
#   bash scripts/gen-binmap-fixtures.sh
#
# For each case folder fixtures/binmap/<case>/ holding source.asm it runs,
# INSIDE the folder (the map names the source and output files as typed),
#
#   nasm -f bin source.asm -o expected.bin > expected.stdout 2> expected.stderr
#
# A map that goes to a file is written by nasm under the name the [map] line
# gives (relative to the folder) and kept as it is. test/bin-map.test.ts
# compares tsnasm's map text, its destination and the bytes with these.
# Idempotent: generated files (everything but source.asm) are deleted first.
set -euo pipefail
REQUIRED_VERSION="2.16.01"
if ! command -v nasm >/dev/null 2>&1; then
  echo "gen-binmap-fixtures: nasm is not on PATH; the committed fixtures stay as they are." >&2
  exit 1
fi
version_line="$(nasm -v)"
if [[ "$version_line" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-binmap-fixtures: found '${version_line}', need nasm ${REQUIRED_VERSION}; not regenerating." >&2
  exit 1
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count=0
for case_dir in "$repo_root"/fixtures/binmap/*/; do
  [[ -f "$case_dir/source.asm" ]] || continue
  (
    cd "$case_dir"
    find . -maxdepth 1 -type f ! -name source.asm -delete
    nasm -f bin source.asm -o expected.bin >expected.stdout 2>expected.stderr
  )
  count=$((count + 1))
done
echo "gen-binmap-fixtures: regenerated ${count} cases with $(nasm -v)"
