/**
 * Random encoding corpus: random opcode bytes (biased towards every opcode
 * map: one-byte, 0F, 0F 38, 0F 3A, mandatory-prefix SSE, x87, 3DNow!) →
 * `ndisasm -b 16|32` → nasm-syntax lines → the lines real nasm re-assembles,
 * with nasm's bytes. Deterministic for a given seed.
 *
 * Output: fixtures/encoding/corpus-<bits>-<class>.txt, `bits | line | HEX`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleLines } from './encoding-nasm.mjs';

export const STRIDE = 16;
const LEADS = [
  [[], 8],
  [[0x0f], 8],
  [[0x0f, 0x38], 2],
  [[0x0f, 0x3a], 2],
  [[0x66, 0x0f], 4],
  [[0xf3, 0x0f], 3],
  [[0xf2, 0x0f], 2],
  [[0x66, 0x0f, 0x38], 2],
  [[0x66, 0x0f, 0x3a], 2],
  [[0xf2, 0x0f, 0x38], 1],
  [[0xf3, 0x0f, 0x38], 1],
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
  [[0x26], 1],
  [[0x64], 1],
  [[0x0f, 0x01], 1],
  [[0x0f, 0x00], 1],
  [[0x0f, 0xc7], 1],
  [[0x0f, 0xae], 1],
  [[0x66, 0x67], 1],
];
const TOTAL_WEIGHT = LEADS.reduce((a, [, w]) => a + w, 0);

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

function pickLead(rand) {
  let r = rand() * TOTAL_WEIGHT;
  for (const [lead, w] of LEADS) if ((r -= w) < 0) return lead;
  return [];
}

/** ndisasm's first instruction at each STRIDE boundary (`spawn` runs it: Node's spawnSync or the tests' one). */
export function disassemble(bits, bytes, count, spawn = spawnSync) {
  const dir = mkdtempSync(join(tmpdir(), 'encrand-'));
  try {
    const f = join(dir, 'r.bin');
    writeFileSync(f, bytes);
    const args = ['-b', String(bits)];
    for (let i = 1; i < count; i++) args.push('-s', String(i * STRIDE));
    args.push(f);
    const r = spawn('ndisasm', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const out = new Map();
    for (const line of r.stdout.split('\n')) {
      const m = /^([0-9A-F]{8})\s+[0-9A-F]+\s+(.*)$/.exec(line);
      if (!m) continue;
      const off = parseInt(m[1], 16);
      if (off % STRIDE === 0 && !out.has(off)) out.set(off, m[2].trim());
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BRANCH = /^(j\w+|call|loop\w*|jcxz|jecxz|xbegin)$/;
/**
 * VEX/EVEX/XOP instructions are outside this corpus (legacy encodings only):
 * every `v…` mnemonic except the VMX/SVM ones and VERR/VERW.
 */
const VEX_MNEMONIC =
  /^v(?!(?:err|erw|m(?:call|clear|func|gexit|launch|load|mcall|ptrld|ptrst|read|resume|run|save|write|xoff|xon))$)/;

/** ndisasm text → a nasm source line that does not depend on where it is placed, or null. */
export function toSource(text, off) {
  if (/^(db|dw|dd)\b/.test(text) || text.includes('??')) return null;
  const m =
    /^((?:(?:o16|o32|a16|a32|rep|repe|repne|repz|repnz|lock|bnd|cs|ds|es|fs|gs|ss|wait|xacquire|xrelease) )*)(\w+)(?: (.*))?$/.exec(
      text,
    );
  if (!m) return null;
  const mnem = m[2];
  if (VEX_MNEMONIC.test(mnem)) return null;
  let ops = m[3] ?? '';
  if (BRANCH.test(mnem)) {
    // Relative target: rewrite the absolute address as `$+n`.
    ops = ops.replace(/^((?:short |near |word |dword )*)(0x[0-9a-f]+)(,.*)?$/i, (_all, kw, num, rest) => {
      const delta = parseInt(num, 16) - off;
      return `${kw}$${delta >= 0 ? '+' : '-'}${Math.abs(delta)}${rest ?? ''}`;
    });
    if (/0x[0-9a-f]+$/i.test(ops) && !ops.includes(':') && !ops.includes('[')) return null;
  }
  return `${m[1]}${mnem}${ops ? ' ' + ops : ''}`.trim();
}

export function classify(line) {
  const l = line.toLowerCase();
  const mnem = (/^(?:(?:o16|o32|a16|a32|rep\w*|lock|[c-gs]s) )*(\w+)/.exec(l) ?? [])[1] ?? '';
  if (/\bxmm\d/.test(l)) return 'sse';
  if (/\bmm\d/.test(l)) return 'mmx';
  if (/^f/.test(mnem) && !/^(fxsave|fxrstor|femms)/.test(mnem)) return 'x87';
  if (
    /\b(cr\d|dr\d|tr\d)\b/.test(l) ||
    /^(lgdt|sgdt|lidt|sidt|lldt|sldt|ltr|str|lmsw|smsw|invlpg|verr|verw|lar|lsl|clts|rdmsr|wrmsr|vm\w+|invd|wbinvd|rsm|sysexit|sysret|hlt|xsave\w*|xrstor\w*|fxsave|fxrstor|swapgs|rdtscp|monitor|mwait|invept|invvpid|clgi|stgi|skinit|invlpga|rdpmc|xgetbv|xsetbv|iretd?|iretw|cli|sti|in|out|ins\w|outs\w|loadall\w*|umov)$/.test(
      mnem,
    )
  )
    return 'system';
  if (/^(add|sub|mul|div|min|max|sqrt|rcp|rsqrt|cmp|and|or|xor)(ps|pd|ss|sd)$/.test(mnem)) return 'sse';
  return 'general';
}

/**
 * `count` random instruction slots for one mode → the distinct nasm-syntax
 * lines nasm re-assembles, with its bytes: [{ line, hex }]. `rand` carries
 * the seed's state from one mode to the next; `spawn` runs ndisasm and nasm.
 */
export function randomLines(bits, rand, count, spawn = spawnSync) {
  const bytes = new Uint8Array(count * STRIDE);
  for (let i = 0; i < count; i++) {
    const lead = pickLead(rand);
    let k = i * STRIDE;
    for (const b of lead) bytes[k++] = b;
    while (k < (i + 1) * STRIDE) bytes[k++] = Math.floor(rand() * 256);
  }
  const dis = disassemble(bits, bytes, count, spawn);
  const seen = new Set();
  const lines = [];
  for (const [off, text] of dis) {
    const src = toSource(text, off);
    if (src && !seen.has(src)) {
      seen.add(src);
      lines.push(src);
    }
  }
  const out = [];
  const CHUNK = 4000;
  for (let c = 0; c < lines.length; c += CHUNK) {
    const part = lines.slice(c, c + CHUNK);
    const res = assembleLines(bits, part, 'x', '', spawn);
    part.forEach((line, i) => {
      const r = res[i];
      if (r && r.hex) out.push({ line, hex: r.hex });
    });
  }
  return { disassembled: dis.size, distinct: lines.length, lines: out };
}

export function randomGenerator(seed) {
  return rng(seed * 2654435761);
}

export function randomCorpus(fixDir, seed) {
  const rand = randomGenerator(seed);
  const perBits = 60000;
  const byFile = new Map();
  for (const bits of [16, 32]) {
    const { disassembled, distinct, lines } = randomLines(bits, rand, perBits);
    for (const { line, hex } of lines) {
      const file = `corpus-${bits}-${classify(line)}.txt`;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push(`${bits} | ${line} | ${hex}`);
    }
    console.log(`bits ${bits}: ${disassembled} disassembled, ${distinct} distinct, ${lines.length} accepted by nasm`);
  }
  for (const [file, rows] of byFile) {
    writeFileSync(
      join(fixDir, file),
      `# generated by scripts/gen-encoding-corpus.mjs random (nasm 2.16.01 bytes)\n${rows.join('\n')}\n`,
    );
    console.log(`${file}: ${rows.length}`);
  }
}
