#!/bin/sh
# Records nasm 2.16.01's messages for the AVX-512 error samples in
# fixtures/encoding/evex-errors (*.asm → *.stderr, `-f bin`, in that folder so
# the messages name the file as tsnasm will). Checked by test/encoder/evex-errors.test.ts.
# The output goes to a scratch file, never /dev/null: nasm deletes its output
# file after an error, and run as root that would remove /dev/null itself.
set -e
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$(dirname "$0")/../fixtures/encoding/evex-errors"
for f in *.asm; do
  nasm -f bin -o "$out/out.bin" "$f" > "${f%.asm}.stderr" 2>&1 || true
done
