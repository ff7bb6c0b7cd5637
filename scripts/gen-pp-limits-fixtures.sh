#!/usr/bin/env bash
# Regenerates fixtures/pp-limits/*/ from the real nasm 2.16.01: cases about
# the preprocessor's limits (include recursion, deep %if nesting) that are
# kept out of fixtures/golden because their nasm listings would be huge.
#
#   bash scripts/gen-pp-limits-fixtures.sh
#
# For each case folder holding source.asm it runs, inside the folder and with
# the usual file-descriptor limit (ulimit -n 1024, which bounds nasm's include
# recursion):
#   nasm -f bin source.asm -o expected.bin 2> expected.bin.stderr  (+ expected.bin.status on failure)
# test/preprocess/limits.test.ts compares tsnasm with these.
set -euo pipefail
if ! command -v nasm >/dev/null 2>&1 || [[ "$(nasm -v)" != "NASM version 2.16.01"* ]]; then
  echo "gen-pp-limits-fixtures: needs nasm 2.16.01 on PATH; the committed fixtures stay as they are." >&2
  exit 1
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ulimit -n 1024
for case_dir in "$repo_root"/fixtures/pp-limits/*/; do
  (
    cd "$case_dir"
    rm -f expected.bin expected.bin.stderr expected.bin.status
    status=0
    nasm -f bin source.asm -o expected.bin 2>expected.bin.stderr || status=$?
    if [[ $status -ne 0 ]]; then rm -f expected.bin; echo "$status" >expected.bin.status; fi
  )
done
echo "gen-pp-limits-fixtures: regenerated with $(nasm -v)"
