#!/usr/bin/env bash
# Regenerates nasm's outputs for the real-world corpus under fixtures/realworld/.
#
#   bash scripts/gen-realworld-fixtures.sh
#
# Each case folder fixtures/realworld/<name>/ holds source.asm, the files it
# %includes / incbins (at their relative paths), and a `format` file (elf32,
# elf64 or bin); node scripts/collect-realworld.mjs builds them from the git
# mirrors on this machine. Run INSIDE the folder, so the ELF FILE symbol and diagnostics say
# plain `source.asm`, this writes:
#
#   nasm -f <format> source.asm -o expected.<o|bin>   2> expected.<o|bin>.stderr
#   expected.<o|bin>.status                            (only when nasm failed)
#   expected.<o|bin>.stdout                            (only when nasm printed a [map] there)
#
# test/realworld.test.ts compares tsnasm with these byte for byte. Like
# gen-fixtures.sh it refuses to run unless nasm is 2.16.01, pins the
# environment (__?DATE?__, __?TIME?__) and is idempotent.
set -euo pipefail

REQUIRED_VERSION="2.16.01"
if ! command -v nasm >/dev/null 2>&1; then
  echo "gen-realworld-fixtures: nasm is not on PATH; install nasm ${REQUIRED_VERSION} to regenerate." >&2
  exit 1
fi
version_line="$(nasm -v)"
if [[ "$version_line" != "NASM version ${REQUIRED_VERSION}"* ]]; then
  echo "gen-realworld-fixtures: found '${version_line}', but the outputs must come from nasm ${REQUIRED_VERSION}." >&2
  exit 1
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SOURCE_DATE_EPOCH=1700000000
export TZ=UTC

count=0
for dir in "$repo_root"/fixtures/realworld/*/; do
  [[ -f "$dir/source.asm" && -f "$dir/format" ]] || continue
  format="$(tr -d '[:space:]' < "$dir/format")"
  case "$format" in
    elf32 | elf64) ext=o ;;
    bin) ext=bin ;;
    *) echo "gen-realworld-fixtures: $dir: unknown format '$format'" >&2; exit 1 ;;
  esac
  (
    cd "$dir"
    rm -f expected.o expected.bin expected.*.stderr expected.*.status expected.*.stdout
    status=0
    # stdout carries only [map] listings sent to the console; kept when not empty.
    nasm -f "$format" source.asm -o "expected.$ext" > "expected.$ext.stdout" 2> "expected.$ext.stderr" || status=$?
    [[ -s "expected.$ext.stdout" ]] || rm -f "expected.$ext.stdout"
    if [[ $status -ne 0 ]]; then
      rm -f "expected.$ext"
      echo "$status" > "expected.$ext.status"
    fi
  )
  count=$((count + 1))
done
echo "gen-realworld-fixtures: regenerated $count cases"
