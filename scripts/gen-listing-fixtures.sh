#!/usr/bin/env bash
# Regenerates the `-l` listing goldens (fixtures/golden/<case>/expected.lst)
# that scripts/gen-fixtures.sh does not make: the preprocessor cases (pp-*)
# and every case that has no expected.lst yet.
#
#   bash scripts/gen-listing-fixtures.sh          (all pp-* and cases without a listing)
#   bash scripts/gen-listing-fixtures.sh CASE...  (just those case folders)
#
# Run INSIDE each case folder (so file names are plain `source.asm`), with the
# case's `args` (-I, -D, -O…) and the environment gen-pp-fixtures.sh uses:
#
#   nasm -f FORMAT [args] source.asm -l expected.lst -o <temp file>
#
# FORMAT is the one the test assembles with, read off the committed goldens:
# elf32 when expected.o exists (nasm succeeded in elf32), else bin when
# expected.bin exists (a bin-only case: org, start=, vstart=), else elf32.
#
# When nasm fails in pass 1 it writes NO listing at all (observed: it opens
# the list file only for the final pass). For those cases the golden is made
# with -Lp ("output a list file every pass, in case of errors"), which lists
# the pass that failed; expected.lst.args records the extra flag so the test
# runs tsnasm's listing with the same option. A case whose plain run does
# produce a listing gets no expected.lst.args.
#
# Why a temp file instead of `-o /dev/null`: nasm removes its output file when
# assembly fails, and as root that would delete /dev/null.
set -euo pipefail

REQUIRED_VERSION="2.16.01"
if ! command -v nasm >/dev/null 2>&1; then
  echo "gen-listing-fixtures: nasm is not on PATH; the committed listings stay as they are." >&2
  exit 1
fi
version_line="$(nasm -v)"
if [[ "$version_line" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-listing-fixtures: found '${version_line}', need nasm ${REQUIRED_VERSION}; not regenerating." >&2
  exit 1
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# The same fixed environment as gen-pp-fixtures.sh (__?DATE?__, %!HOME …).
export SOURCE_DATE_EPOCH=1700000000
export TZ=UTC

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

if [[ $# -gt 0 ]]; then
  cases=("$@")
else
  cases=()
  for case_dir in fixtures/golden/*/; do
    case_dir="${case_dir%/}"
    [[ -f "$case_dir/source.asm" ]] || continue
    name="$(basename "$case_dir")"
    # Lists written by gen-fixtures.sh stay its own (without .args they came from there).
    if [[ "$name" == pp-* || ! -f "$case_dir/expected.lst" || -f "$case_dir/expected.lst.args" ]]; then
      cases+=("$name")
    fi
  done
fi

count=0
for name in "${cases[@]}"; do
  case_dir="fixtures/golden/${name#fixtures/golden/}"
  case_dir="${case_dir%/}"
  (
    cd "$case_dir"
    rm -f expected.lst expected.lst.args
    extra_args=""
    if [[ -f args ]]; then extra_args="$(head -n 1 args)"; fi
    format=elf32
    if [[ ! -f expected.o && -f expected.bin ]]; then format=bin; fi
    # shellcheck disable=SC2086  # $extra_args is deliberately word-split
    nasm -f "$format" $extra_args source.asm -l expected.lst -o "$scratch/out" >/dev/null 2>&1 || true
    if [[ ! -f expected.lst ]]; then
      # shellcheck disable=SC2086
      nasm -f "$format" $extra_args -Lp source.asm -l expected.lst -o "$scratch/out" >/dev/null 2>&1 || true
      echo "-Lp" >expected.lst.args
    fi
    rm -f "$scratch/out"
  )
  count=$((count + 1))
done
echo "gen-listing-fixtures: regenerated ${count} listings with $(nasm -v)"
