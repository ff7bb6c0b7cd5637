#!/usr/bin/env bash
# Regenerates fixtures/disasm/: seeded random byte streams and ndisasm 2.16.01's
# output for them (gzipped), with the options each case lists. The tests in
# test/disasm compare tsndisasm's output with these line by line.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fixtures/disasm
mkdir -p "$out"
command -v ndisasm >/dev/null || { echo "ndisasm not installed" >&2; exit 1; }

# bytes NAME SEED COUNT: a reproducible random stream (mulberry32) into $out/NAME.bin
bytes() {
  node -e '
    let a = Number(process.argv[2]) >>> 0;
    const next = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) & 255; };
    const n = Number(process.argv[3]); const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = next();
    require("fs").writeFileSync(process.argv[1], b);' "$out/$1.bin" "$2" "$3"
}

# case NAME INPUT OPTIONS…: ndisasm's output for INPUT with OPTIONS, and the options used
case_() {
  local name=$1 input=$2; shift 2
  printf "%s\n" "$@" "$input" > "$out/$name.args"
  ndisasm "$@" "$out/$input.bin" | gzip -9n > "$out/$name.txt.gz"
}

bytes random-a 1001 300000
bytes random-b 2002 300000
bytes small 3003 4096
case_ bits16 random-a -b 16
case_ bits32 random-b -b 32
case_ bits64 random-a -b 64
case_ origin16 small -b 16 -o 0x7c00
case_ sync32 small -b 32 -s 0x10 -s 0x123 -s 0x800
case_ skip32 small -u -e 7 -k 0x20,0x31 -k 0x400,3
case_ auto16 small -b 16 -a
case_ auto32 small -b 32 -i -o 0x1000
case_ vendor32 small -b 32 -p amd
case_ cyrix32 random-b -b 32 -p cyrix
echo "fixtures/disasm regenerated"
