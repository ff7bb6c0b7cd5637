#!/usr/bin/env bash
# Regenerates the x86-64 tsld fixtures from their sources with the real tools:
# nasm 2.16.01 (-f elf64), gcc (x86-64, for the .c and the gas .s file), ar,
# GNU ld (-m elf_x86_64) and strip.
#   fixtures/linker/x64/obj/     relocatable objects and libarith64.a (tsld inputs)
#   fixtures/linker/x64/golden/  ld+strip executables, their stdout and exit status,
#                                and ld's stderr for the failing links
# Usage: bash scripts/gen-linker-fixtures64.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
X64=fixtures/linker/x64
SRC=$X64/src
OBJ=$X64/obj
GOLD=$X64/golden
rm -rf "$OBJ" "$GOLD"
mkdir -p "$OBJ" "$GOLD"

# Assembled from inside $SRC so the STT_FILE name (printed by ld in diagnostics) is the bare source name.
for asm in "$SRC"/*.asm; do
  base=$(basename "$asm" .asm)
  if [ "$base" = mix32 ]; then fmt=elf32; else fmt=elf64; fi
  (cd "$SRC" && nasm -f "$fmt" "$base.asm" -o "../obj/$base.o")
done
# gas marks @GOTPCREL loads relaxable (R_X86_64_GOTPCRELX/REX_GOTPCRELX); nasm never does.
(cd "$SRC" && gcc -c gotx.s -o ../obj/gotx.o)
# Static-friendly gcc code; no unwind tables (tsld does not shrink .eh_frame padding as ld does).
(cd "$SRC" && gcc -c -O2 -fno-pic -ffreestanding -fno-asynchronous-unwind-tables cprog.c -o ../obj/cprog.o)

# Member order matters: lib_sq (needs mul, which comes later) first, so ld must rescan.
(cd "$OBJ" && rm -f libarith64.a && ar rcs libarith64.a lib_sq.o lib_add.o lib_unused.o lib_mul.o \
  && rm lib_sq.o lib_add.o lib_unused.o lib_mul.o)

LD=(ld -m elf_x86_64 -z noseparate-code --build-id=none -z noexecstack)
grep -v '^#' "$X64/programs.txt" | while IFS='|' read -r name args inputs; do
  [ -n "$name" ] || continue
  objs=()
  for i in $inputs; do objs+=("$OBJ/$i"); done
  # shellcheck disable=SC2086
  "${LD[@]}" $args -o "$GOLD/$name" "${objs[@]}" 2> "$GOLD/$name.ld-stderr" || { cat "$GOLD/$name.ld-stderr"; exit 1; }
  strip -R .comment -s "$GOLD/$name"
  set +e
  "./$GOLD/$name" > "$GOLD/$name.stdout"
  echo $? > "$GOLD/$name.status"
  set -e
  [ -s "$GOLD/$name.ld-stderr" ] || rm "$GOLD/$name.ld-stderr"
done

# Failing links: keep ld's messages for comparison with tsld's.
fail_link() { # name inputs...
  local name=$1; shift
  local tmp
  tmp=$(mktemp -d)
  if (cd "$OBJ" && "${LD[@]}" -o "$tmp/out" "$@") 2> "$GOLD/$name.ld-stderr"; then
    echo "expected $name to fail" >&2; exit 1
  fi
  rm -rf "$tmp"
}
fail_link mix hello64.o mix32.o
echo "fixtures regenerated in $X64"
