#!/usr/bin/env bash
# Regenerates the preprocessor golden cases fixtures/golden/pp-*/ from the
# real nasm 2.16.01.
#
#   bash scripts/gen-pp-fixtures.sh
#
# For each case folder holding source.asm (plus any include files, and an
# optional `args` file: one line of extra nasm flags such as -Iinc/, and an
# optional `cli-modes` file described below), it runs,
# INSIDE the folder, so file names in diagnostics are the plain ones:
#
#   nasm -f bin   [args] source.asm -o expected.bin  2> expected.bin.stderr  (+ expected.bin.status on failure)
#   nasm -f elf32 [args] source.asm -o expected.o    2> expected.o.stderr    (+ expected.o.status on failure)
#   nasm -E       [args] source.asm  > expected.E    2> expected.E.log       (+ expected.E.exit on failure)
#   nasm -M       [args] source.asm  > expected.M    (dependency rule; target "source")
#
# The -E stderr/status files are named .log/.exit (not .stderr/.status) so the
# shared scripts/gen-fixtures.sh, which clears expected.*.stderr, leaves them.
set -euo pipefail

REQUIRED_VERSION="2.16.01"
if ! command -v nasm >/dev/null 2>&1; then
  echo "gen-pp-fixtures: nasm is not on PATH; the committed fixtures stay as they are." >&2
  exit 1
fi
version_line="$(nasm -v)"
if [[ "$version_line" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-pp-fixtures: found '${version_line}', need nasm ${REQUIRED_VERSION}; not regenerating." >&2
  exit 1
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# Fixed dates so __?DATE?__ & co are reproducible, and a fixed HOME for %!HOME.
export SOURCE_DATE_EPOCH=1700000000
export TZ=UTC

count=0
for case_dir in fixtures/golden/pp-*/; do
  case_dir="${case_dir%/}"
  [[ -f "$case_dir/source.asm" ]] || continue
  (
    cd "$case_dir"
    rm -f expected.bin expected.o expected.E expected.M expected.*.stderr expected.*.status expected.E.log expected.E.exit
    extra_args=""
    if [[ -f args ]]; then extra_args="$(head -n 1 args)"; fi
    for pair in "bin bin" "elf32 o"; do
      set -- $pair
      status=0
      # shellcheck disable=SC2086
      nasm -f "$1" $extra_args source.asm -o "expected.$2" 2>"expected.$2.stderr" || status=$?
      if [[ $status -ne 0 ]]; then rm -f "expected.$2"; echo "$status" >"expected.$2.status"; fi
    done
    status=0
    # shellcheck disable=SC2086
    nasm -E $extra_args source.asm >expected.E 2>expected.E.log || status=$?
    if [[ $status -ne 0 ]]; then echo "$status" >expected.E.exit; fi
    # shellcheck disable=SC2086
    nasm -M $extra_args source.asm >expected.M 2>/dev/null || true
    # Optional `cli-modes`: one nasm command line per line, each run in a fresh
    # copy of the folder; expected.cli.N records stdout, stderr, the exit
    # status and every out.* file it wrote (base64), for test/preprocess/cli.test.ts.
    if [[ -f cli-modes ]]; then
      rm -f expected.cli.*
      n=0
      while IFS= read -r mode || [[ -n "$mode" ]]; do
        [[ -z "$mode" ]] && continue
        n=$((n + 1))
        work="$(mktemp -d)"
        cp -r . "$work/"
        rm -f "$work"/expected.*
        status=0
        # shellcheck disable=SC2086
        (cd "$work" && nasm $mode >stdout.txt 2>stderr.txt) || status=$?
        {
          echo "### args: $mode"
          echo "### stdout"; cat "$work/stdout.txt"
          echo "### stderr"; cat "$work/stderr.txt"
          echo "### status $status"
          for f in "$work"/out.*; do
            [[ -f "$f" ]] || continue
            echo "### file $(basename "$f") $(base64 -w0 "$f")"
          done
        } >"expected.cli.$n"
        rm -rf "$work"
      done <cli-modes
    fi
  )
  count=$((count + 1))
done
echo "gen-pp-fixtures: regenerated ${count} preprocessor cases with $(nasm -v)"

# The pp-* cases' bin/elf32 outcomes are part of the golden certificate (scripts/certify-goldens.mjs).
node scripts/certify-goldens.mjs
