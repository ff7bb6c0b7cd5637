#!/bin/sh
# Records nasm 2.16.01's messages for the AVX-512 error samples in
# fixtures/encoding/evex-errors (*.asm → *.stderr, `-f bin`, in that folder so
# the messages name the file as tsnasm will). Checked by test/encoder/evex-errors.test.ts.
set -e
cd "$(dirname "$0")/../fixtures/encoding/evex-errors"
for f in *.asm; do
  nasm -f bin -o /dev/null "$f" > "${f%.asm}.stderr" 2>&1 || true
done
