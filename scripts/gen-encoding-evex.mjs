/**
 * EVEX / AVX-512 encoding corpus: every row of the AVX-512 tables
 * (src/encoder/table/evex-rows.ts) written out as source lines — registers
 * across 0…31, opmasks, `{z}`, `{1toN}` broadcasts, every rounding mode and
 * `{sae}`, memory operands with displacements on both sides of each disp8*N
 * boundary — in BITS 16, 32 and 64, assembled by the real nasm 2.16.01, which
 * records its bytes or its first error for each line. Deterministic.
 *
 *   node scripts/gen-encoding-evex.mjs [extension…]   (all of them when none is named)
 *
 * Output: fixtures/encoding/evex/<extension>-<bits>.txt.gz, `bits | line | HEX`
 * or `bits | line | error: message`, checked by test/encoder/evex-corpus.test.ts.
 * The rows are read from the TypeScript table (bundled with esbuild), so a
 * new row is covered as soon as the corpus is regenerated.
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleLines, hasNasm } from './encoding-nasm.mjs';
import { mulberry32 as randomGenerator } from './random.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'fixtures', 'encoding', 'evex');

async function loadTables() {
  const entry = `
    import { evexTables } from './src/encoder/table/evex-rows.ts';
    import { parseRow } from './src/encoder/table.ts';
    export const tables = evexTables().map((t) => ({
      extension: t.extension,
      rows: t.text.split('\\n').map((l) => l.replace(/;.*$/, '').trim()).filter(Boolean).map(parseRow),
    }));`;
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
  });
  const code = out.outputFiles[0].text;
  const mod = await import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));
  return mod.tables;
}

const SIZE_WORD = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword', 10: 'tword', 16: 'oword', 32: 'yword', 64: 'zword' };
const GPR = {
  gpr8: ['al', 'cl', 'dl', 'bl'],
  gpr16: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'],
  gpr32: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'],
  gpr64: ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'],
};
const GPR_HIGH = {
  gpr8: ['r8b', 'r11b', 'r15b'],
  gpr16: ['r8w', 'r12w', 'r15w'],
  gpr32: ['r8d', 'r9d', 'r13d', 'r15d'],
  gpr64: ['r8', 'r9', 'r13', 'r15'],
};
const BASES = {
  16: ['bx', 'bp', 'si', 'di'],
  32: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'],
  64: ['rax', 'rcx', 'rdx', 'rsp', 'rbp', 'rsi', 'r8', 'r12', 'r13', 'r15'],
};
const INDEXES = { 16: ['si', 'di'], 32: ['eax', 'ebx', 'esi', 'edi', 'ebp'], 64: ['rbx', 'rsi', 'r9', 'r14', 'rbp'] };
const SCALES = [1, 2, 4, 8];
const NS = [1, 2, 4, 8, 16, 32, 64];
/** Displacements on both sides of every disp8*N boundary, and a few that are multiples of nothing useful. */
const DISPS = [0, 1, -1, 3, 8, -8, 0x7f, 0x80, -0x80, -0x81, 0x1234, -0x10000];
for (const n of NS) DISPS.push(n, 127 * n, 128 * n, -128 * n, -129 * n, 64 * n + Math.max(1, n / 2));
const ROUNDINGS = ['{rn-sae}', '{rd-sae}', '{ru-sae}', '{rz-sae}'];

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function hex(n) {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** A vector register number: anything in BITS 64; in BITS 32 mostly 0…7, now and then one NASM refuses or takes. */
function vectorNumber(rand, bits, high) {
  if (bits === 64) return high ? 16 + Math.floor(rand() * 16) : pick(rand, [0, 1, 5, 7, 8, 9, 14, 15, 16, 23, 24, 31]);
  return high ? pick(rand, [8, 16, 17, 23, 24, 31]) : Math.floor(rand() * 8);
}

function registerName(rand, t, bits, high) {
  const cls = t.regClass;
  // A register group (`zmm4+3`, `k2+1`): mostly written as a group, now and then as its first register.
  const set = t.decorations.registerSet;
  const group = set > 1 && rand() < 0.8 ? `+${set - 1}` : '';
  if (t.fixedReg >= 0) return cls === 'xmm' ? 'xmm0' : GPR[cls][t.fixedReg];
  if (cls === 'xmm' || cls === 'ymm' || cls === 'zmm') return `${cls}${vectorNumber(rand, bits, high)}${group}`;
  if (cls === 'kreg') return `k${Math.floor(rand() * 8)}${group}`;
  if (GPR[cls]) return bits === 64 && high ? pick(rand, GPR_HIGH[cls]) : pick(rand, GPR[cls]);
  throw new Error(`no register for class ${cls}`);
}

function address(rand, bits) {
  // BITS 16: mostly 16-bit addresses (bx/bp + si/di, no scale), some 32-bit ones.
  if (bits === 16 && rand() < 0.3) bits = 32;
  const parts = [];
  const shape = rand();
  if (shape < 0.7) parts.push(pick(rand, BASES[bits]));
  if (shape > 0.5 && !(bits === 16 && /[sd]i/.test(parts[0] ?? '')))
    parts.push(bits === 16 ? pick(rand, INDEXES[16]) : `${pick(rand, INDEXES[bits])}*${pick(rand, SCALES)}`);
  let disp = pick(rand, DISPS);
  if (bits === 16) disp = ((disp + 0x8000) & 0xffff) - 0x8000;
  if (parts.length === 0 || disp !== 0 || rand() < 0.2) parts.push(hex(disp));
  return `[${parts.join('+').replace(/\+-/g, '-')}]`;
}

/** A VSIB address: an optional base, a vector index of the row's class, a displacement. */
function vectorAddress(rand, bits, cls, high) {
  if (bits === 16) bits = 32;
  const parts = [];
  if (rand() < 0.8) parts.push(pick(rand, BASES[bits]));
  parts.push(`${cls}${vectorNumber(rand, bits, high)}*${pick(rand, SCALES)}`);
  const disp = pick(rand, DISPS);
  if (disp !== 0) parts.push(hex(disp));
  return `[${parts.join('+').replace(/\+-/g, '-')}]`;
}

/**
 * One source line for `row`. `variant` chooses what to exercise: registers,
 * memory, broadcast, masks, rounding, high registers.
 */
function instance(rand, row, bits, variant) {
  const ops = [];
  const useMemory = variant.memory || variant.broadcast;
  let roundingAfter = -1;
  row.operands.forEach((t, i) => {
    const deco = t.decorations;
    let text;
    if (t.kind === 'imm') text = String(Math.floor(rand() * 256));
    else if (t.vsib) text = vectorAddress(rand, bits, t.vsib, variant.high);
    else if (t.kind === 'mem' || (t.kind === 'rm' && useMemory)) {
      if (variant.broadcast && deco.broadcast) {
        const count = t.size / deco.broadcast;
        const keyword = rand() < 0.25 ? `${SIZE_WORD[deco.broadcast]} ` : '';
        text = `${keyword}${address(rand, bits)}{1to${count}}`;
      } else {
        const sized = t.size && (rand() < 0.8 || !variant.unsized);
        text = (sized ? `${SIZE_WORD[t.size]} ` : '') + address(rand, bits);
      }
    } else text = registerName(rand, t, bits, variant.high && rand() < 0.7);
    if (deco.mask && variant.mask) text += `{k${1 + Math.floor(rand() * 7)}}`;
    if (deco.zero && variant.mask && rand() < 0.5) text += '{z}';
    if ((deco.er || deco.sae) && variant.rounding && !useMemory) roundingAfter = i;
    ops.push(text);
  });
  if (roundingAfter >= 0) {
    const t = row.operands[roundingAfter];
    ops.splice(roundingAfter + 1, 0, t.decorations.er ? pick(rand, ROUNDINGS) : '{sae}');
  }
  // NASM's shorthand: the `*` operand left out (it is the destination again).
  if (variant.omit && row.omitted >= 0) ops.splice(row.omitted, 1);
  const prefix = variant.evexPrefix ? '{evex} ' : row.explicitVex ? '{vex} ' : '';
  return `${prefix}${row.mnemonic} ${ops.join(',')}`;
}

const VARIANTS = [
  {},
  { mask: true },
  { high: true },
  { memory: true },
  { memory: true, mask: true },
  { memory: true, unsized: true },
  { memory: true, high: true },
  { broadcast: true },
  { broadcast: true, mask: true },
  { rounding: true },
  { rounding: true, mask: true },
  { rounding: true, high: true },
  { evexPrefix: true },
  { omit: true },
  { omit: true, memory: true, mask: true },
];

function linesFor(row, bits, rand) {
  const out = new Set();
  const deco = row.operands.map((t) => t.decorations);
  const hasMask = deco.some((d) => d.mask);
  const hasBroadcast = deco.some((d) => d.broadcast);
  const hasRounding = deco.some((d) => d.er || d.sae);
  const hasMemory = row.operands.some((t) => t.kind === 'rm' || t.kind === 'mem');
  for (const v of VARIANTS) {
    if (v.omit && row.omitted < 0) continue;
    if (v.mask && !hasMask) continue;
    if (v.broadcast && !hasBroadcast) continue;
    if (v.rounding && !hasRounding) continue;
    if ((v.memory || v.broadcast) && !hasMemory) continue;
    // BITS 16 (no high registers there) gets one line per variant.
    if (bits === 16 && v.high) continue;
    const repeat = bits === 16 ? 1 : v.memory || v.broadcast ? 3 : v.rounding ? 2 : 1;
    for (let k = 0; k < repeat; k++) out.add(instance(rand, row, bits, v));
  }
  return [...out];
}

/**
 * Hand-picked lines beside the row-driven ones: encoding prefixes (`{rex}`
 * on legacy, VEX and EVEX forms, two prefixes at once) and the ways NASM lets
 * a register group be written. One corpus per BITS.
 */
const HANDWRITTEN = [
  '{rex} add eax,ebx',
  '{rex} mov al,1',
  '{rex} mov ah,1',
  '{rex} mov ah,bh',
  '{rex} movd xmm1,eax',
  '{rex} nop',
  '{rex} add rax,rbx',
  '{rex} mov spl,1',
  '{rex} push rax',
  '{rex} add eax,[rax]',
  '{rex} lock add [rax],eax',
  '{rex} add eax',
  '{rex} {rex} add eax,ebx',
  '{rex} add r8d,ebx',
  '{rex} add eax,[bx+si]',
  '{rex} vaddps xmm1,xmm2,xmm3',
  '{rex} vaddps zmm1,zmm2,zmm3',
  '{rex} kmovw k1,k2',
  '{rex} andn eax,ebx,ecx',
  '{rex} vpcmov xmm1,xmm2,xmm3,xmm4',
  '{rex} {evex} vaddps xmm1,xmm2,xmm3',
  '{evex} {rex} vaddps xmm1,xmm2,xmm3',
  '{rex} {vex} vaddps xmm1,xmm2,xmm3',
  '{vex} {evex} vaddps xmm1,xmm2,xmm3',
  '{vex2} {vex3} vaddps xmm1,xmm2,xmm3',
  '{vex3} {vex} vaddps xmm1,xmm2,xmm3',
  '{evex} {evex} vaddps xmm1,xmm2,xmm3',
  'v4fmaddps zmm1,zmm4+3,[eax]',
  'v4fmaddps zmm1,zmm4 + 3,[eax]',
  'v4fmaddps zmm1,3+zmm4,[eax]',
  'v4fmaddps zmm1,zmm4+0x3,[eax]',
  'v4fmaddps zmm1,zmm4+0,[eax]',
  'v4fmaddps zmm1,zmm4,[eax]',
  'v4fmaddps zmm1,zmm5+3,[eax]',
  'v4fmaddps zmm1,zmm4+2,[eax]',
  'v4fmaddps zmm1{k1}{z},zmm4+3,oword [eax+16]',
  'v4fmaddps zmm1,zmm4+3{k1},[eax]',
  'v4fnmaddss zmm1,zmm4+3,oword [eax]',
  'vp2intersectd k2+1,zmm1,zmm2',
  'vp2intersectd k3 + 1,zmm1,[eax]',
  'vp2intersectd k2+2,zmm1,zmm2',
  'vp2intersectd k2,zmm1,zmm2+3',
  'vaddps zmm1,zmm2+3,zmm3',
  'vaddps zmm1,zmm2+0,zmm3',
  'mov eax+1,1',
  'mov eax+0,1',
  'mov eax,ebx+3',
  'add eax,3+eax',
  // A rounding mode after the register before a memory operand: b and L'L beside the address; on the
  // memory operand itself (the last one written wins), `{sae}` included, NASM's register-register error.
  'vcvtusi2ss xmm1,xmm2,{rz-sae},dword [eax]',
  'vcvtusi2ss xmm1,xmm2,{rd-sae},dword [eax+0x40]',
  'vcvtsi2sd xmm1,xmm2,{ru-sae},dword [eax]',
  'vcvtusi2sh xmm1,xmm2,{rz-sae},[eax+4]',
  'vcvtusi2sh xmm1,xmm2,{rn-sae},eax',
  'vcvtusi2sh xmm1,xmm2,eax,{rn-sae}',
  'vcvtusi2sh xmm1,xmm2,{rn-sae},eax,{rz-sae}',
  'vcvtusi2sh xmm1,xmm2,{rz-sae},dword [eax+4],{rn-sae}',
  'vcvtusi2sh xmm1,xmm2,dword [eax],{rn-sae}',
  'vcvtsi2ss xmm1,xmm2,{sae},dword [eax]',
  'vucomish xmm1,word [eax],{sae}',
  'vgetexpsh xmm1,word [eax],{sae}',
  'vcomiss xmm1,dword [eax],{sae}',
  'vmaxps zmm1,zmm2,zword [eax],{sae}',
  'vcvttss2si eax,dword [eax],{sae}',
  'vgetmantss xmm1,xmm2,dword [eax],{sae},3',
  'vcmpeqps k1,zmm2,zword [eax],{sae}',
  // b beside a memory operand scales a t1s disp8 by 4 whatever W; NASM's second VCVTUSI2SS (map5, W1).
  'vcvtsi2sd xmm1,xmm2,{rz-sae},qword [eax+16]',
  'vcvtusi2ss xmm1,xmm2,{rd-sae},qword [eax+8]',
  'vcvtusi2ss xmm1,xmm2,rax,{rn-sae}',
  'vcvtusi2ss xmm1,xmm2,{rd-sae},rax,{rn-sae}',
  'vcvtusi2ss xmm17,xmm22,r9,{ru-sae}',
  'vcvtusi2ss xmm1,xmm2,{rd-sae},eax,{rn-sae}',
  'vcvtusi2ss xmm1,rax,{rn-sae}',
];

async function main() {
  if (!hasNasm()) throw new Error('nasm not found');
  const only = process.argv.slice(2);
  const tables = (await loadTables()).filter((t) => only.length === 0 || only.includes(t.extension));
  if (only.length === 0) rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  for (const { extension, rows } of tables) {
    for (const bits of [16, 32, 64]) {
      const rand = randomGenerator(0x5eed ^ bits ^ (extension.length * 7919));
      const lines = [...new Set(rows.flatMap((row) => linesFor(row, bits, rand)))];
      writeCorpus(`${extension}-${bits}`, bits, lines);
    }
  }
  if (only.length === 0 || only.includes('prefixes-groups'))
    for (const bits of [16, 32, 64]) writeCorpus(`prefixes-groups-${bits}`, bits, HANDWRITTEN);
}

function writeCorpus(name, bits, lines) {
  const results = assembleLines(bits, lines);
  const body = lines.map((l, i) => `${bits} | ${l} | ${results[i].hex ?? `error: ${results[i].error}`}`);
  const text = `# generated by scripts/gen-encoding-evex.mjs (nasm 2.16.01 bytes or first error)\n${body.join('\n')}\n`;
  writeFileSync(join(OUT, `${name}.txt.gz`), gzipSync(text, { level: 9 }));
  console.log(`${name}: ${lines.length} lines, ${results.filter((r) => r.hex).length} assembled`);
}

await main();
