#!/usr/bin/env bash
# Regenerates every golden file under fixtures/ from the real nasm 2.16.01.
#
#   bash scripts/gen-fixtures.sh          (or: npm run fixtures)
#
# For each case folder fixtures/golden/<name>/ holding source.asm (and an
# optional `args` file: one line of extra nasm flags such as -O0), it runs,
# INSIDE the folder so that file names in the ELF FILE symbol and in
# diagnostics are plain `source.asm`:
#
#   nasm -f bin   [args] source.asm -o expected.bin   2> expected.bin.stderr
#   nasm -f elf32 [args] source.asm -o expected.o     2> expected.o.stderr
# and then scripts/gen-listing-fixtures.sh for the expected.lst listings.
#
# When nasm fails it writes no output file (it deletes its -o target itself)
# and we record the exit status in expected.<ext>.status. A clean run leaves an
# empty .stderr file and no .status file.
#
# Never `-o /dev/null` anywhere: nasm removes its output file when assembly
# fails, and as root that would delete /dev/null.
#
# The environment is pinned as in gen-pp-fixtures.sh (SOURCE_DATE_EPOCH, TZ),
# because this script also reassembles the pp-* cases, some of which use
# __?DATE?__ and __?TIME?__.
#
# Also regenerates fixtures/hello.o and fixtures/hello.bin from the repo root,
# because the ELF FILE symbol records the path exactly as typed.
#
# The script is idempotent: it deletes a case's expected.* files before
# regenerating them, so reruns give identical trees.
set -euo pipefail

REQUIRED_VERSION="2.16.01"

if ! command -v nasm >/dev/null 2>&1; then
  echo "gen-fixtures: nasm is not on PATH; the committed fixtures stay as they are." >&2
  echo "gen-fixtures: install nasm ${REQUIRED_VERSION} (e.g. apt-get install nasm) to regenerate them." >&2
  exit 1
fi
version_line="$(nasm -v)"
if [[ "$version_line" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-fixtures: found '${version_line}', but the goldens must come from nasm ${REQUIRED_VERSION}; not regenerating." >&2
  exit 1
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export SOURCE_DATE_EPOCH=1700000000
export TZ=UTC


# --- the post's hello world, assembled from the repo root -------------------
rm -f fixtures/hello.o fixtures/hello.bin
nasm -f elf32 fixtures/hello.asm -o fixtures/hello.o
nasm -f bin fixtures/hello.asm -o fixtures/hello.bin

# --- golden cases ------------------------------------------------------------
# run_one FORMAT EXT: assembles source.asm in the current case folder.
run_one() {
  local format="$1" ext="$2"
  local status=0
  # shellcheck disable=SC2086  # $extra_args is deliberately word-split
  nasm -f "$format" $extra_args source.asm -o "expected.${ext}" 2>"expected.${ext}.stderr" || status=$?
  if [[ $status -ne 0 ]]; then
    rm -f "expected.${ext}"
    echo "$status" >"expected.${ext}.status"
  fi
}

count=0
for case_dir in fixtures/golden/*/; do
  case_dir="${case_dir%/}"
  [[ -f "$case_dir/source.asm" ]] || continue
  (
    cd "$case_dir"
    rm -f expected.bin expected.o expected.*.stderr expected.*.status
    extra_args=""
    if [[ -f args ]]; then extra_args="$(head -n 1 args)"; fi
    run_one bin bin
    run_one elf32 o
  )
  count=$((count + 1))
done

echo "gen-fixtures: regenerated hello.o, hello.bin and ${count} golden cases with $(nasm -v)"

# Listings have their own rules (format per case, -Lp for cases nasm stops in pass 1).
bash scripts/gen-listing-fixtures.sh

# Record that nasm gives these outcomes for these inputs (checked without nasm by
# test/golden-certified.test.ts; test/live-nasm.test.ts re-runs nasm on a sample).
node scripts/certify-goldens.mjs
