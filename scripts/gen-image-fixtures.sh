#!/usr/bin/env bash
# Regenerates fixtures/image/ with the real tools (nasm 2.16.01, binutils ld/strip):
#   hello32  the post's hello.asm, nasm -f elf32 + ld -m elf_i386 (what tsld writes)
#   hello64  hello64.asm, nasm -f elf64 + ld -m elf_x86_64: the amd64 image's program
#            until tsnasm/tsld write x86-64 themselves
# Both are linked as tsld links (no separate code segment, no build-id, no
# executable-stack note) and stripped as in the post (strip -R .comment -s).
set -euo pipefail
cd "$(dirname "$0")/.."
out=fixtures/image
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LDFLAGS=(-z noseparate-code --build-id=none -z noexecstack)

nasm -f elf32 -o "$tmp/hello32.o" fixtures/hello.asm
ld -m elf_i386 "${LDFLAGS[@]}" -o "$out/hello32" "$tmp/hello32.o"
strip -R .comment -s "$out/hello32"

nasm -f elf64 -o "$tmp/hello64.o" "$out/hello64.asm"
ld -m elf_x86_64 "${LDFLAGS[@]}" -o "$out/hello64" "$tmp/hello64.o"
strip -R .comment -s "$out/hello64"

ls -l "$out/hello32" "$out/hello64"
