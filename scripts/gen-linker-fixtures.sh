#!/usr/bin/env bash
# Regenerates the tsld fixtures from their sources with the real tools:
# nasm 2.16.01, gcc -m32, ar, GNU ld (elf_i386) and strip.
#   fixtures/linker/obj/     relocatable objects and libarith.a (tsld inputs)
#   fixtures/linker/golden/  ld+strip executables, their stdout and exit status,
#                            and the stderr of the failing links
# Usage: bash scripts/gen-linker-fixtures.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=fixtures/linker/src
OBJ=fixtures/linker/obj
GOLD=fixtures/linker/golden
rm -rf "$OBJ" "$GOLD"
mkdir -p "$OBJ" "$GOLD"

# Objects are assembled from inside $SRC so the STT_FILE name (printed by ld
# in diagnostics) is the bare source name.
for asm in "$SRC"/*.asm; do
  base=$(basename "$asm" .asm)
  if [ "$base" = hello64 ]; then fmt=elf64; else fmt=elf32; fi
  (cd "$SRC" && nasm -f "$fmt" "$base.asm" -o "../obj/$base.o")
done
for c in "$SRC"/*.c; do
  base=$(basename "$c" .c)
  (cd "$SRC" && gcc -m32 -c -fno-pic -ffreestanding -O2 "$base.c" -o "../obj/$base.o")
done

# Archive member order matters: lib_sq (needed last) comes first, so ld must rescan.
(cd "$OBJ" && rm -f libarith.a && ar rcs libarith.a lib_sq.o lib_add.o lib_unused.o lib_cube.o lib_mul.o \
  && rm lib_sq.o lib_add.o lib_unused.o lib_cube.o lib_mul.o)

LD=(ld -m elf_i386 -z noseparate-code --build-id=none -z noexecstack)
grep -v '^#' fixtures/linker/programs.txt | while IFS='|' read -r name args inputs; do
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
  # Never let ld write (and on failure unlink) a shared path: use a private temp file.
  local tmp
  tmp=$(mktemp -d)
  if (cd "$OBJ" && "${LD[@]}" -o "$tmp/out" "$@") 2> "$GOLD/$name.ld-stderr"; then
    echo "expected $name to fail" >&2; exit 1
  fi
  rm -rf "$tmp"
}
fail_link undef undef.o
fail_link dup hello.o dup.o
fail_link overflow overflow.o
fail_link undef_many undef_many.o
echo "fixtures regenerated in fixtures/linker"
