#!/usr/bin/env bash
# Regenerates fixtures/stderr-bytes/expected.stderr from the real nasm 2.16.01: the messages of a
# source whose quoted bytes are above 0x7F (test/stderr-bytes.test.ts compares tsnasm's stderr
# with it byte for byte).
set -euo pipefail
if [[ "$(nasm -v 2>/dev/null)" != "NASM version 2.16.01"* ]]; then
  echo "gen-stderr-bytes-fixture: nasm 2.16.01 is needed; the fixture stays as it is." >&2
  exit 1
fi
cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/stderr-bytes"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
nasm -f bin source.asm -o "$scratch/out.bin" 2> expected.stderr && exit 1
echo "gen-stderr-bytes-fixture: wrote fixtures/stderr-bytes/expected.stderr"
