#!/usr/bin/env bash
# Regenerates the x86-64 object goldens under fixtures/golden64/ from the real
# nasm 2.16.01 (test/golden64.test.ts compares tsnasm with them, without nasm).
#
#   bash scripts/gen-fixtures64.sh
#
# Each case folder fixtures/golden64/<case>/ holds one or more sources X.asm
# (several for a multi-object program) and an optional `formats` file (one
# line: the -f formats to assemble with; default elf64). INSIDE the folder, so
# that the ELF FILE symbol and diagnostics name plain `X.asm`, for each source
# and format F it runs
#
#   nasm -f F X.asm -o X.F.o -l X.F.lst 2> X.F.o.stderr
#
# and keeps X.F.o only when nasm succeeded (nasm deletes it itself on failure);
# a failed run records its exit status in X.F.o.status. nasm writes the listing
# of the final pass even when that pass reported errors; when it fails before
# (no listing), no X.F.lst is kept.
#
# An optional `args` file (one line) adds nasm options to every run of the case,
# e.g. `-g`. nasm's DWARF output names the source's folder (DW_AT_comp_dir),
# so such a case is assembled in the fixed folder $DEBUG_DIR (emptied, the
# case's files copied in, the results copied back); test/golden64.test.ts
# passes the same folder to tsnasm.
#
# Never `-o /dev/null`: nasm removes its output file when assembly fails, and
# as root that would delete /dev/null. Idempotent: a case's generated files are
# deleted before they are made again.
set -euo pipefail

REQUIRED_VERSION="2.16.01"
if ! command -v nasm >/dev/null 2>&1; then
  echo "gen-fixtures64: nasm is not on PATH; the committed fixtures stay as they are." >&2
  exit 1
fi
version_line="$(nasm -v)"
if [[ "$version_line" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-fixtures64: found '${version_line}', but the goldens must come from nasm ${REQUIRED_VERSION}." >&2
  exit 1
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export SOURCE_DATE_EPOCH=1700000000
export TZ=UTC

# Keep in step with DEBUG_COMP_DIR in test/golden64.test.ts.
DEBUG_DIR=/tmp/tsnasm-golden-debug

count=0
for case_dir in fixtures/golden64/*/; do
  case_dir="${case_dir%/}"
  (
    cd "$case_dir"
    rm -f ./*.o ./*.o.stderr ./*.o.status ./*.lst
    formats="elf64"
    if [[ -f formats ]]; then formats="$(head -n 1 formats)"; fi
    extra=""
    if [[ -f args ]]; then extra="$(head -n 1 args)"; fi
    for source in *.asm; do
      stem="${source%.asm}"
      for format in $formats; do
        out="${stem}.${format}.o"
        status=0
        if [[ -n "$extra" ]]; then
          here="$(pwd)"
          rm -rf "$DEBUG_DIR" && mkdir -p "$DEBUG_DIR" && cp ./* "$DEBUG_DIR"/
          # shellcheck disable=SC2086 # the args file holds several words
          (cd "$DEBUG_DIR" && nasm -f "$format" $extra "$source" -o "$out" -l "${stem}.${format}.lst" 2>"${out}.stderr") || status=$?
          cp "$DEBUG_DIR/${out}.stderr" "$here/"
          if [[ -f "$DEBUG_DIR/$out" ]]; then cp "$DEBUG_DIR/$out" "$here/"; fi
          if [[ -f "$DEBUG_DIR/${stem}.${format}.lst" ]]; then cp "$DEBUG_DIR/${stem}.${format}.lst" "$here/"; fi
          rm -rf "$DEBUG_DIR"
        else
          nasm -f "$format" "$source" -o "$out" -l "${stem}.${format}.lst" 2>"${out}.stderr" || status=$?
        fi
        if [[ $status -ne 0 ]]; then
          rm -f "$out"
          echo "$status" >"${out}.status"
        fi
      done
    done
  )
  count=$((count + 1))
done
echo "gen-fixtures64: regenerated ${count} cases under fixtures/golden64"
