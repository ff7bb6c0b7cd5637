/**
 * Random encoding corpus for BITS 64: random opcode bytes (each opcode map, with
 * and without REX prefixes) → `ndisasm -b 64` → nasm-syntax lines → the lines
 * real nasm re-assembles in BITS 64, with nasm's bytes. Deterministic per seed.
 *
 *   node scripts/gen-encoding-random64.mjs [seed] [slots]
 *   node scripts/gen-encoding-random64.mjs forms
 *
 * Output: fixtures/encoding/x64/corpus-64-<class>.txt, `64 | line | HEX`.
 *
 * `forms` takes every line of the 32-bit opcode sweep and addressing fixtures
 * (fixtures/encoding/forms-32-*.txt, addressing-32.txt) in three spellings —
 * as written (32-bit addresses, so 67h in BITS 64), with the 32-bit general
 * registers widened to 64 bits, and widened then moved to r8–r15 / xmm8–15 —
 * and records nasm's bytes or first error for each in BITS 64:
 * fixtures/encoding/x64/forms-64-<class>.txt.gz. The errors are the point as
 * much as the bytes: forms invalid in 64-bit mode, high-byte registers with
 * REX, and so on.
 * (A subfolder, so the 16/32-bit corpus tests do not pick these files up
 * until the encoder knows BITS 64.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleLines } from './encoding-nasm.mjs';
import { STRIDE, classify, disassemble, randomGenerator, toSource } from './gen-encoding-random.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'encoding', 'x64');

/** Opcode-map leads, as in the 16/32 corpus; a REX byte is put in front of most of them. */
const LEADS = [
  [[], 10],
  [[0x0f], 8],
  [[0x0f, 0x38], 2],
  [[0x0f, 0x3a], 2],
  [[0x66, 0x0f], 4],
  [[0xf3, 0x0f], 3],
  [[0xf2, 0x0f], 2],
  [[0x66, 0x0f, 0x38], 2],
  [[0x66, 0x0f, 0x3a], 2],
  [[0xd8], 1],
  [[0xd9], 1],
  [[0xda], 1],
  [[0xdb], 1],
  [[0xdc], 1],
  [[0xdd], 1],
  [[0xde], 1],
  [[0xdf], 1],
  [[0x0f, 0x0f], 1],
  [[0x66], 2],
  [[0x67], 2],
  [[0xf3], 1],
  [[0xf2], 1],
  [[0xf0], 1],
  [[0x64], 1],
  [[0x65], 1],
  [[0x0f, 0x01], 1],
  [[0x0f, 0x00], 1],
  [[0x0f, 0xc7], 1],
  [[0x0f, 0xae], 1],
];
const TOTAL = LEADS.reduce((a, [, w]) => a + w, 0);

function pickLead(rand) {
  let r = rand() * TOTAL;
  for (const [lead, w] of LEADS) if ((r -= w) < 0) return lead;
  return [];
}

/** Legacy prefixes (66 F2 F3 F0 64 65 67) must come before REX; REX directly before the opcode map. */
function withRex(lead, rex) {
  let i = 0;
  while (i < lead.length && [0x66, 0xf2, 0xf3, 0xf0, 0x64, 0x65, 0x67].includes(lead[i])) i++;
  return [...lead.slice(0, i), rex, ...lead.slice(i)];
}

/** ndisasm -b 64 text → a placement-independent nasm line (RIP-relative targets become `$±n`), or null. */
function toSource64(text, off) {
  if (/\brex\b|\brex\./i.test(text)) return null;
  const rel = text.replace(/\[rel (0x[0-9a-f]+)\]/i, (_all, num) => {
    const delta = parseInt(num, 16) - off;
    return `[rel $${delta >= 0 ? '+' : '-'}${Math.abs(delta)}]`;
  });
  // toSource knows the 16/32-bit prefixes only: take `o64` out (so branch
  // targets still become `$±n`) and put it back just before the mnemonic.
  const o64 = /\bo64 /.test(rel);
  const src = toSource(rel.replace(/\bo64 /, '').replace(/^((?:\w+ )*?j\w+ )qword (0x)/, '$1$2'), off);
  if (src === null || !o64) return src;
  return src.replace(/^((?:(?:a16|a32|rep\w*|lock|bnd|[c-gs]s|wait|xacquire|xrelease) )*)/, '$1o64 ');
}

const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const WIDE = (line) => line.replace(/\be(ax|cx|dx|bx|sp|bp|si|di)\b/g, 'r$1');
const EXTENDED = {
  ...Object.fromEntries(['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'].map((r, i) => [r, `r${i + 8}`])),
  ...Object.fromEntries(['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'].map((r, i) => [r, `r${i + 8}w`])),
  ...Object.fromEntries(['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'].map((r, i) => [r, `r${i + 8}b`])),
  ...Object.fromEntries(GPR32.map((r, i) => [r, `r${i + 8}d`])),
  ...Object.fromEntries([0, 1, 2, 3, 4, 5, 6, 7].map((i) => [`xmm${i}`, `xmm${i + 8}`])),
};
const EXTEND = (line) =>
  line.replace(
    /\b(r[a-d]x|r[sb]p|r[sd]i|[a-d]x|[sb]p|[sd]i|[a-d][lh]|e[a-d]x|e[sb]p|e[sd]i|xmm[0-7])\b/g,
    (r) => EXTENDED[r] ?? r,
  );

function forms() {
  const FIX = join(OUT, '..');
  const sources = [
    'forms-32-general',
    'forms-32-mmx',
    'forms-32-sse',
    'forms-32-system',
    'forms-32-x87',
    'addressing-32',
  ];
  const seen = new Set();
  const lines = [];
  for (const name of sources) {
    for (const row of readFileSync(join(FIX, `${name}.txt`), 'utf8').split('\n')) {
      if (row.startsWith('#') || !row.includes(' | ')) continue;
      const src = row.slice(row.indexOf(' | ') + 3, row.lastIndexOf(' | ')).trim();
      for (const line of [src, WIDE(src), EXTEND(WIDE(src))]) {
        if (!seen.has(line)) {
          seen.add(line);
          lines.push(line);
        }
      }
    }
  }
  const byFile = new Map();
  const CHUNK = 4000;
  for (let c = 0; c < lines.length; c += CHUNK) {
    const part = lines.slice(c, c + CHUNK);
    const res = assembleLines(64, part);
    part.forEach((line, i) => {
      const r = res[i];
      if (!r) return;
      const file = `forms-64-${classify(line)}.txt.gz`;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push(`64 | ${line} | ${r.hex ?? 'error: ' + r.error}`);
    });
    process.stderr.write(`${c + part.length}/${lines.length}\r`);
  }
  mkdirSync(OUT, { recursive: true });
  for (const [file, rows] of [...byFile].sort()) {
    const text = `# generated by scripts/gen-encoding-random64.mjs forms (nasm 2.16.01 bytes or first error)\n${rows.join('\n')}\n`;
    writeFileSync(join(OUT, file), gzipSync(text, { level: 9 }));
    console.log(`${file}: ${rows.length}`);
  }
}

function main() {
  if (process.argv[2] === 'forms') return forms();
  const seed = Number(process.argv[2] ?? 1);
  const slots = Number(process.argv[3] ?? 60000);
  const rand = randomGenerator(seed + 64);
  const bytes = new Uint8Array(slots * STRIDE);
  for (let i = 0; i < slots; i++) {
    let lead = pickLead(rand);
    const p = rand();
    if (p < 0.35) lead = withRex(lead, 0x48);
    else if (p < 0.7) lead = withRex(lead, 0x40 + Math.floor(rand() * 16));
    let k = i * STRIDE;
    for (const b of lead) bytes[k++] = b;
    while (k < (i + 1) * STRIDE) bytes[k++] = Math.floor(rand() * 256);
  }
  const dis = disassemble(64, bytes, slots);
  const seen = new Set();
  const lines = [];
  for (const [off, text] of dis) {
    const src = toSource64(text, off);
    if (src && !seen.has(src)) {
      seen.add(src);
      lines.push(src);
    }
  }
  const byFile = new Map();
  const CHUNK = 4000;
  let kept = 0;
  for (let c = 0; c < lines.length; c += CHUNK) {
    const part = lines.slice(c, c + CHUNK);
    const res = assembleLines(64, part);
    part.forEach((line, i) => {
      const r = res[i];
      if (!r || !r.hex) return;
      kept++;
      const file = `corpus-64-${classify(line)}.txt`;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push(`64 | ${line} | ${r.hex}`);
    });
  }
  console.log(`bits 64: ${dis.size} disassembled, ${lines.length} distinct, ${kept} accepted by nasm`);
  mkdirSync(OUT, { recursive: true });
  for (const [file, rows] of [...byFile].sort()) {
    writeFileSync(
      join(OUT, file),
      `# generated by scripts/gen-encoding-random64.mjs (nasm 2.16.01 bytes)\n${rows.join('\n')}\n`,
    );
    console.log(`${file}: ${rows.length}`);
  }
}

main();
