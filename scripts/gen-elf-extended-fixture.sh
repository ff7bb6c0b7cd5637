#!/usr/bin/env bash
# Records nasm's output for fixtures/elf-extended/source.asm (65281 section
# headers, ELF extended numbering) as its size and sha256: the 5 MB object
# itself is not committed. test/elf-extended.test.ts compares tsnasm with it.
#
#   bash scripts/gen-elf-extended-fixture.sh
set -euo pipefail
REQUIRED_VERSION="2.16.01"
if [[ "$(nasm -v 2>/dev/null)" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-elf-extended-fixture: needs nasm ${REQUIRED_VERSION} on PATH." >&2
  exit 1
fi
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/fixtures/elf-extended"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$dir" && nasm -f elf32 source.asm -o "$scratch/expected.o")
size="$(stat -c %s "$scratch/expected.o")"
sum="$(sha256sum "$scratch/expected.o" | cut -d' ' -f1)"
printf '%s %s\n' "$size" "$sum" > "$dir/expected.o.sha256"
echo "gen-elf-extended-fixture: $size bytes, sha256 $sum"
