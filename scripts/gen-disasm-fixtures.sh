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

# evexbytes NAME SEED COUNT LONG: COUNT EVEX-shaped units (mulberry32) into $out/NAME.bin: 62, a plausible P0
# (maps 0F/0F38/0F3A nine times in ten, else any; reserved bit 0; outside BITS 64 (LONG=0) R and X set, else
# ndisasm reads BOUND), P1 with its fixed bit set nine times in ten, a random P2, then an opcode, a ModR/M and
# six random bytes (SIB, displacement, immediate or the next unit's start when the form is shorter).
evexbytes() {
  node -e '
    let a = Number(process.argv[2]) >>> 0;
    const next = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) & 255; };
    const n = Number(process.argv[3]); const long = process.argv[4] === "1"; const out = [];
    for (let i = 0; i < n; i++) {
      const map = next() < 230 ? 1 + (next() % 3) : next() & 7;
      let p0 = (next() & 0xf0) | map;
      if (!long) p0 |= 0xc0;
      const p1 = next() < 230 ? next() | 4 : next();
      out.push(0x62, p0, p1, next(), next(), next(), next(), next(), next(), next(), next(), next());
    }
    require("fs").writeFileSync(process.argv[1], Buffer.from(out));' "$out/$1.bin" "$2" "$3" "$4"
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
bytes medium 4004 32768
# At least 100,000 instructions in each mode (random-a: ~147,000 in BITS 16, ~117,000 in BITS 64; random-b ~122,000 in BITS 32).
case_ bits16 random-a -b 16
case_ bits32 random-b -b 32
case_ bits64 random-a -b 64
case_ cyrix32 random-b -b 32 -p cyrix
# Every option in every mode (-o, -s, -e/-k, -a/-i, -u, -p intel|amd|cyrix|idt).
case_ origin16 small -b 16 -o 0x7c00
case_ origin32 medium -b 32 -o 0x8048000
case_ origin64 medium -b 64 -o 0xffffffff80000000
case_ sync16 medium -b 16 -s 0x10 -s 0x3ff -s 0x4000
case_ sync32 small -b 32 -s 0x10 -s 0x123 -s 0x800
case_ sync64 medium -b 64 -o 0x1000 -s 0x1010 -s 0x2abc
case_ skip16 medium -e 0x10 -k 0x100,0x40 -k 0x2000,1
case_ skip32 small -u -e 7 -k 0x20,0x31 -k 0x400,3
case_ skip64 medium -b 64 -e 3 -k 0x200,0x11 -k 0x7000,0x1000
case_ auto16 small -b 16 -a
case_ auto32 small -b 32 -i -o 0x1000
case_ auto64 medium -b 64 -a -s 0x33
case_ vendor16 medium -b 16 -p intel
case_ vendor32 small -b 32 -p amd
case_ vendor64 medium -b 64 -p idt
case_ cyrix16 medium -b 16 -p cyrix
case_ cyrix64 medium -b 64 -p cyrix
scratch_bin=$(mktemp)
trap 'rm -f "$scratch_bin"' EXIT
# EVEX streams (about 20,000 EVEX prefixes each): decorators, broadcast, rounding, disp8*N, registers 16-31, `db`.
evexbytes evex-a 5005 20000 0
evexbytes evex-b 6006 20000 1
case_ evex16 evex-a -b 16
case_ evex32 evex-a -b 32
case_ evex64 evex-b -b 64
# The EVEX corpus (fixtures/encoding/evex, nasm's bytes for every AVX-512 row) as ndisasm reads it, one
# stream per mode with a sync point at each line's bytes; test/disasm/evex.test.ts takes the bytes and
# the sync points back from the output itself.
for bits in 32 64; do
  node -e '
    const fs = require("fs"), zlib = require("zlib"), { execFileSync } = require("child_process");
    const [dir, bits, bin] = process.argv.slice(1);
    const parts = [];
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(`-${bits}.txt.gz`)).sort())
      for (const line of zlib.gunzipSync(fs.readFileSync(`${dir}/${f}`)).toString().split("\n")) {
        const m = /^\d+ \| .* \| ([0-9A-F]+)$/.exec(line);
        if (m) parts.push(Buffer.from(m[1], "hex"));
      }
    fs.writeFileSync(bin, Buffer.concat(parts));
    const args = ["-b", bits];
    let at = 0;
    for (const p of parts) { args.push("-s", String(at)); at += p.length; }
    process.stdout.write(execFileSync("ndisasm", [...args, bin], { maxBuffer: 1 << 28 }));' \
    fixtures/encoding/evex "$bits" "$scratch_bin" | gzip -9n > "$out/evex-corpus$bits.txt.gz"
done
# Single instructions measured one by one (fixtures/disasm/probes.src), recorded as probes16/32/64.txt.
node scripts/gen-disasm-probes.mjs
case_ combined64 random-b -b64 -o0x400000 -s0x400100 -e1 -k0x1000,0x20 -pamd -i

# The command line's messages and exit statuses (bad options, numbers, files): ndisasm run in a
# scratch directory holding a file `f` and a directory `d`, for each argument vector of cli-cases.jsonl.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch" "$scratch_bin"' EXIT
printf '\x90\xc3\xb8\x01\x00\xe8\x00\x00\x00\x00\xeb\xfe' > "$scratch/f"
mkdir "$scratch/d"
node -e '
  const { spawnSync } = require("child_process");
  const fs = require("fs");
  const [cases, dir] = process.argv.slice(1);
  const out = fs.readFileSync(cases, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => {
    const args = JSON.parse(l);
    const r = spawnSync("ndisasm", args, { cwd: dir });
    return JSON.stringify({ args, status: r.status, stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString("latin1") });
  });
  fs.writeFileSync(cases.replace(/cases\.jsonl$/, "results.jsonl"), out.join("\n") + "\n");' "$out/cli-cases.jsonl" "$scratch"
echo "fixtures/disasm regenerated"
