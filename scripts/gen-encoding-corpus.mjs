#!/usr/bin/env node
/**
 * Regenerates the encoder fixtures from the real nasm (2.16.01).
 *
 *   node scripts/gen-encoding-corpus.mjs handwritten
 *       fixtures/encoding/handwritten.src → fixtures/encoding/handwritten.txt
 *   node scripts/gen-encoding-corpus.mjs shapes
 *       fixtures/encoding/shapes.src (every mnemonic of the table) × ~180
 *       operand shapes (most of them wrong on purpose, so nasm's choice of
 *       error message is recorded) → shapes-16/32.txt.gz
 *   node scripts/gen-encoding-corpus.mjs sweep-opt
 *       the sweep's lines at -O0 and -O1 → forms-O01-16/32.txt.gz
 *   node scripts/gen-encoding-corpus.mjs addressing
 *       every ModR/M/SIB shape in `mov eax,[…]` → addressing-16/32.txt
 *   node scripts/gen-encoding-corpus.mjs warnings
 *       fixtures/encoding/warnings.src → warnings.txt (bytes + nasm's warnings per line)
 *   node scripts/gen-encoding-corpus.mjs cpu
 *       one line per mnemonic × every `cpu` level nasm knows → cpu-levels.txt
 *   node scripts/gen-encoding-corpus.mjs random [seed]
 *       random opcode bytes → ndisasm -b 16/32 → nasm-syntax lines → the lines
 *       real nasm accepts, with nasm's bytes → fixtures/encoding/corpus-*.txt
 *   node scripts/gen-encoding-corpus.mjs sweep
 *       the systematic companion of `random`: EVERY opcode of the one-byte,
 *       0F, 0F 38 and 0F 3A maps under each mandatory prefix (none, 66, F2,
 *       F3), with a register and a memory ModR/M for each /digit; every
 *       ModR/M byte of the x87 escapes and of the 0F 00/01/AE/C7/1E/18-1F
 *       groups; every 3DNow! suffix byte → ndisasm → nasm → forms-*.txt.
 *       Classes the random sampling reaches rarely (3DNow!, SHA, GFNI, AES,
 *       VMX/SVM, CET…) are thus enumerated form by form.
 *
 * Fixture format, one instruction per line:
 *     <bits>[ O<level>] | <source line> | <HEX BYTES>        (assembled)
 *     <bits>[ O<level>] | <source line> | error: <message>    (nasm's first error)
 * Relative branch targets are written `$+n`, so every line assembles to the
 * same bytes wherever it is placed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { assembleLines } from './encoding-nasm.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIX = join(ROOT, 'fixtures', 'encoding');
const NASM_VERSION = '2.16.01';

function checkNasm() {
  const v = execFileSync('nasm', ['-v']).toString();
  if (!v.includes(NASM_VERSION)) throw new Error(`need nasm ${NASM_VERSION}, found: ${v}`);
}

function fixtureLine(mode, line, res) {
  return `${mode} | ${line} | ${res.hex ?? 'error: ' + res.error}`;
}

function handwritten() {
  const src = readFileSync(join(FIX, 'handwritten.src'), 'utf8').split('\n');
  // Sections: "#mode 32" / "#mode 16 O0" / "#mode 32 cpu=386"; other lines starting with # are comments.
  const groups = [];
  let cur = null;
  for (const raw of src) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^#mode\s+(16|32)(?:\s+O([01x]))?(?:\s+cpu=(\w+))?$/.exec(line);
    if (m) {
      cur = { bits: m[1], opt: m[2] ?? 'x', cpu: m[3] ?? null, lines: [] };
      groups.push(cur);
      continue;
    }
    if (line.startsWith('#')) continue;
    cur.lines.push(line);
  }
  const out = [];
  for (const g of groups) {
    const res = assembleLines(g.bits, g.lines, g.opt, g.cpu ? `cpu ${g.cpu}` : '');
    const mode = (g.opt === 'x' ? g.bits : `${g.bits} O${g.opt}`) + (g.cpu ? ` cpu=${g.cpu}` : '');
    g.lines.forEach((l, i) => out.push(fixtureLine(mode, l, res[i])));
  }
  writeFileSync(join(FIX, 'handwritten.txt'), out.join('\n') + '\n');
  console.log(`handwritten: ${out.length} lines`);
}

/**
 * Operand-shape sweep: every mnemonic listed in shapes.src crossed with a set
 * of operand shapes (most of them wrong on purpose), so nasm's choice of error
 * message is recorded too → fixtures/encoding/shapes-<bits>.txt.
 */
const SHAPES = [
  '',
  '[eax]',
  'eax',
  'al',
  '5',
  '[eax], 5',
  'eax, bl',
  '[eax], [ebx]',
  'eax, [ebx], 5',
  'byte [eax]',
  'word [eax], 5',
  'eax, 5',
  'xmm0, [eax]',
  'xmm0, eax',
  'mm0, [eax]',
  'qword [eax]',
  'tword [eax]',
  'st1',
  'eax, word 5',
  'dword [eax], byte 5',
  '[bx]',
  'ax, [bx+si]',
  'word [bp], cl',
  'xmm1, xmm2, 3',
  'mm1, mm2',
  'dword [eax], 1',
  // Registers of every class, in both operand orders, and the immediate/size forms each class takes.
  'ax',
  'cx',
  'ebx, ecx',
  'bx, cx',
  'cl, dl',
  'ah',
  'eax, 1',
  'eax, cl',
  'ax, 5',
  'eax, ebx, 5',
  'ax, bx, 5',
  'eax, ebx, cl',
  '[eax], ebx, 5',
  '[eax], ebx, cl',
  'eax, byte 5',
  'eax, dword 5',
  'byte 5',
  'word 5',
  'dword 5',
  'qword 5',
  'dword [eax]',
  'word [eax]',
  'oword [eax]',
  'zword [eax]',
  '[eax], eax',
  'eax, [eax]',
  '[eax], ax',
  'ax, [eax]',
  '[eax], al',
  'al, [eax]',
  'eax, al',
  'eax, ax',
  'ax, al',
  'eax, word [eax]',
  'eax, byte [eax]',
  'dx, al',
  'al, dx',
  'ax, dx',
  'eax, dx',
  '5, al',
  '5, eax',
  'rax',
  'eax, rax',
  'qword [eax], rax',
  'r8d',
  'eax, r9d',
  'sil',
  'xmm1, sil, 1',
  'es',
  'fs',
  'ax, es',
  'es, ax',
  '[eax], es',
  'es, [eax]',
  'eax, cr0',
  'cr0, eax',
  'eax, dr7',
  'dr7, eax',
  'eax, tr6',
  'st0',
  'st0, st1',
  'st1, st0',
  'to st1',
  'dword [eax], st0',
  'mm1',
  'mm1, [eax]',
  'mm1, qword [eax]',
  'mm1, eax',
  'eax, mm1',
  'mm1, 5',
  'mm1, [eax], 5',
  'mm1, mm2, 5',
  '[eax], mm1',
  'mm1, xmm1',
  'xmm1, mm1',
  'xmm1',
  'xmm1, xmm2',
  'xmm1, [eax]',
  'xmm1, dword [eax]',
  'xmm1, qword [eax]',
  'xmm1, oword [eax]',
  '[eax], xmm1',
  'qword [eax], xmm1',
  'xmm1, 5',
  'xmm1, [eax], 5',
  'xmm1, xmm2, byte 5',
  'xmm1, xmm2, xmm0',
  'xmm1, [eax], xmm0',
  'eax, xmm1',
  'eax, xmm1, 5',
  'xmm1, eax',
  'xmm1, eax, 5',
  'xmm1, ax, 5',
  '[eax], xmm1, 5',
  'xmm1, xmm2, 5, 6',
  'xmm1, 5, 6',
  'ymm1, ymm2',
  'short $+10',
  'near $+10',
  'word $+10',
  'dword $+10',
  '$+10',
  'far [eax]',
  'far word [eax]',
  'far dword [eax]',
  '0x10:0x20',
  'word 0x10:0x20',
  'dword 0x10:0x20',
  'far 0x10:0x20',
  '$+10, cx',
  '$+10, ecx',
  'bnd1, [eax]',
  '[eax], bnd1',
  'bnd1, bnd2',
  'bnd1, [eax+4,ebx]',
  '[eax+4,ebx], bnd1',
  'eax, [esi]',
  'ax, [si]',
  'eax, [si]',
  'eax, ecx, edx',
  'ax, ecx, edx',
  'ax, ecx',
  'eax, ecx',
  '[bx+si]',
  '[eax+ebx*4+8]',
  '[ebp]',
  '[esp]',
  '[eax*3]',
  'strict byte 5',
  'strict dword 5',
  'eax, strict byte 5',
  'eax, strict dword 5',
  // Size keywords on registers, `to`, and 16-bit addressing shapes.
  'dword st1',
  'tword st0, st1',
  'qword mm1, mm2',
  'dword mm1, mm2',
  'oword xmm1, xmm2',
  'qword xmm1, xmm2',
  'word es, ax',
  'dword eax, 1',
  'word ax, 1',
  'to st0',
  'st1, to st0',
  '[bp+si], al',
  'word [bp+di+4], 5',
  'byte [si], 1',
  '[bx], bx',
  'dword [di], 1',
];
function shapes() {
  const mnemonics = readFileSync(join(FIX, 'shapes.src'), 'utf8').split(/\s+/).filter(Boolean);
  for (const bits of [16, 32]) {
    const lines = [];
    for (const m of mnemonics) for (const s of SHAPES) lines.push(`${m} ${s}`.trim());
    const res = assembleLines(bits, lines);
    // Lines nasm's parser rejects say nothing about the encoder: leave them out. So do
    // most lines with an operand count nasm never takes for that mnemonic (all plain
    // "invalid combination"): the first of each such count is kept.
    const INVALID = 'invalid combination of opcode and operands';
    const countOf = (l) => {
      const sp = l.indexOf(' ');
      if (sp < 0) return 0;
      let depth = 0;
      let n = 1;
      for (const ch of l.slice(sp + 1)) {
        if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || ch === ')') depth--;
        else if (ch === ',' && depth === 0) n++;
      }
      return n;
    };
    const mnemonicOf = (l) => l.split(' ')[0];
    const meaningful = new Set();
    lines.forEach((l, i) => {
      if (res[i].error !== INVALID) meaningful.add(`${mnemonicOf(l)}/${countOf(l)}`);
    });
    const seenCount = new Set();
    const out = [];
    lines.forEach((l, i) => {
      const r = res[i];
      if (/^parser:/.test(r.error ?? '')) return;
      const key = `${mnemonicOf(l)}/${countOf(l)}`;
      if (!meaningful.has(key) && seenCount.has(key)) return;
      seenCount.add(key);
      out.push(fixtureLine(String(bits), l, r));
    });
    // gzip: ~150k mostly-error lines per mode compress to a few hundred KB (`zcat` to read them).
    writeFileSync(
      join(FIX, `shapes-${bits}.txt.gz`),
      gzipSync(`# generated by scripts/gen-encoding-corpus.mjs shapes\n${out.join('\n')}\n`, { level: 9 }),
    );
    console.log(`shapes-${bits}: ${out.length} lines`);
  }
}

/** Writes `bits | line | HEX` fixture files grouped by class, keeping only lines nasm assembles. */
async function sweep() {
  const { disassemble, toSource, classify, STRIDE } = await import('./gen-encoding-random.mjs');
  const TAIL = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33];
  const slots = [];
  const add = (bytes) => slots.push(bytes.concat(TAIL).slice(0, STRIDE));
  const prefixes = [[], [0x66], [0xf2], [0xf3]];
  const maps = [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]];
  for (const pre of prefixes) {
    for (const map of maps) {
      for (let op = 0; op < 256; op++) {
        for (let reg = 0; reg < 8; reg++) {
          add([...pre, ...map, op, 0xc1 | (reg << 3)]);
          add([...pre, ...map, op, reg << 3]);
        }
      }
    }
    // Groups whose register forms (mod = 3) are distinct instructions: every ModR/M byte.
    for (const grp of [
      [0x0f, 0x00],
      [0x0f, 0x01],
      [0x0f, 0xae],
      [0x0f, 0xc7],
      [0x0f, 0x1e],
      [0x0f, 0xba],
      [0x0f, 0x71],
      [0x0f, 0x72],
      [0x0f, 0x73],
      [0x0f, 0x18],
      [0x0f, 0x19],
      [0x0f, 0x1a],
      [0x0f, 0x1b],
      [0x0f, 0x1c],
      [0x0f, 0x1d],
      [0x0f, 0x1f],
      [0x0f, 0xa6],
      [0x0f, 0xa7],
    ]) {
      for (let modrm = 0; modrm < 256; modrm++) add([...pre, ...grp, modrm]);
    }
  }
  for (let esc = 0xd8; esc <= 0xdf; esc++) for (let modrm = 0; modrm < 256; modrm++) add([esc, modrm]);
  for (const pre of [[], [0x9b]])
    for (const esc of [0xd9, 0xdb, 0xdd, 0xdf]) for (let modrm = 0; modrm < 256; modrm++) add([...pre, esc, modrm]);
  for (let suffix = 0; suffix < 256; suffix++) {
    add([0x0f, 0x0f, 0xca, suffix]);
    add([0x0f, 0x0f, 0x08, suffix]);
  }
  const byFile = new Map();
  for (const bits of [16, 32]) {
    const seen = new Set();
    const lines = [];
    // ndisasm takes one -s per slot: disassemble in chunks to keep its argument list short.
    for (let c = 0; c < slots.length; c += 8000) {
      const chunk = slots.slice(c, c + 8000);
      const bytes = new Uint8Array(chunk.length * STRIDE);
      chunk.forEach((slot, i) => bytes.set(slot, i * STRIDE));
      for (const [off, text] of disassemble(bits, bytes, chunk.length)) {
        const src = toSource(text, off);
        if (src && !seen.has(src)) {
          seen.add(src);
          lines.push(src);
        }
      }
    }
    let kept = 0;
    for (let c = 0; c < lines.length; c += 4000) {
      const part = lines.slice(c, c + 4000);
      const res = assembleLines(bits, part);
      part.forEach((line, i) => {
        const r = res[i];
        if (!r || !r.hex) return;
        const file = `forms-${bits}-${classify(line)}.txt`;
        if (!byFile.has(file)) byFile.set(file, []);
        byFile.get(file).push(`${bits} | ${line} | ${r.hex}`);
        kept++;
      });
    }
    console.log(`bits ${bits}: ${slots.length} slots, ${lines.length} distinct lines, ${kept} accepted by nasm`);
  }
  for (const [file, rows] of [...byFile].sort()) {
    writeFileSync(
      join(FIX, file),
      `# generated by scripts/gen-encoding-corpus.mjs sweep (nasm ${NASM_VERSION} bytes)\n${rows.join('\n')}\n`,
    );
    console.log(`${file}: ${rows.length}`);
  }
}

/**
 * The `cpu` directive: one assembling line per mnemonic (the first line of the
 * sweeps nasm accepted) under every cpu level nasm 2.16.01 knows, recording
 * nasm's bytes or its "no instruction for this cpu level" → cpu-levels.txt,
 * mode field `<bits> cpu=<level>`, in BITS 32 and 16.
 */
const NASM_CPU_LEVELS = [
  '8086',
  '186',
  '286',
  '386',
  '486',
  '586',
  '686',
  'katmai',
  'willamette',
  'prescott',
  'x64',
  'nehalem',
  'westmere',
  'sandybridge',
  'all',
];
function cpuLevels() {
  // One line per mnemonic and operand shape (`paddb mm,mm` and `paddb xmm,m` are different rows).
  const shapeOf = (line) =>
    line
      .replace(/\[[^\]]*\]/g, 'm')
      .replace(/\b(?:e?[a-d]x|[a-d][lh]|e?[sd]i|e?[sb]p)\b/g, 'r')
      .replace(/\b(?:byte|word|dword|qword|tword|oword|short|near|far)\b/g, '')
      .replace(/\$[+-]\d+|0x[0-9a-f]+|\b\d+\b/g, 'i')
      .replace(/\b(xmm|mm|st|cr|dr|tr)\d\b/g, '$1')
      .replace(/\s+/g, ' ');
  const firstLine = new Map();
  for (const f of [
    'forms-32-general.txt',
    'forms-32-system.txt',
    'forms-32-x87.txt',
    'forms-32-mmx.txt',
    'forms-32-sse.txt',
    'corpus-32-general.txt',
    'corpus-32-system.txt',
    'corpus-32-sse.txt',
    'corpus-32-mmx.txt',
    'corpus-32-x87.txt',
  ]) {
    for (const line of readFileSync(join(FIX, f), 'utf8').split('\n')) {
      const m = /^32 \| ((?:\w+ )*?)(\w+)( [^|]*)? \| [0-9A-F]+$/.exec(line);
      if (!m || m[1] !== '') continue;
      const src = `${m[2]}${m[3] ?? ''}`.trim();
      if (!firstLine.has(shapeOf(src))) firstLine.set(shapeOf(src), src);
    }
  }
  // Mnemonics the sweeps never produce (aliases, pseudo-instructions): their shape-sweep lines.
  const shapes = gunzipSync(readFileSync(join(FIX, 'shapes-32.txt.gz')))
    .toString('utf8')
    .split('\n');
  for (const line of shapes) {
    const m = /^32 \| (\w+)( [^|]*)? \| [0-9A-F]+$/.exec(line);
    // (Branches to absolute numbers depend on the line's place in the sweep: left out.)
    if (!m || /\$/.test(line) || /^(j\w*|call|loop\w*|xbegin)$/.test(m[1])) continue;
    const src = `${m[1]}${m[2] ?? ''}`.trim();
    if (!firstLine.has(shapeOf(src))) firstLine.set(shapeOf(src), src);
  }
  const lines = [...firstLine.values()].sort();
  const out = [];
  for (const bits of [32, 16]) {
    const results = NASM_CPU_LEVELS.map((level) => assembleLines(bits, lines, 'x', `cpu ${level}`));
    // Keep the threshold: the lowest level nasm accepts the line at and the level just below
    // (every level when acceptance is not monotonic, so nothing is lost).
    lines.forEach((l, i) => {
      const ok = results.map((r) => r[i].hex !== undefined);
      const k = ok.indexOf(true);
      if (k < 0) return; // not an instruction of this mode at all (covered by the other sweeps)
      const monotonic = ok.every((v, j) => v === j >= k);
      const keep = !monotonic ? NASM_CPU_LEVELS.map((_, j) => j) : k === 0 ? [0] : [k - 1, k];
      for (const j of keep) out.push(fixtureLine(`${bits} cpu=${NASM_CPU_LEVELS[j]}`, l, results[j][i]));
    });
  }
  writeFileSync(
    join(FIX, 'cpu-levels.txt'),
    `# generated by scripts/gen-encoding-corpus.mjs cpu (nasm ${NASM_VERSION})\n${out.join('\n')}\n`,
  );
  console.log(
    `cpu-levels: ${lines.length} lines × ${NASM_CPU_LEVELS.length} levels × BITS 16/32 → ${out.length} threshold lines`,
  );
}

/**
 * Prefix and range warnings: fixtures/encoding/warnings.src, one nasm run per
 * mode, each line's bytes plus the warnings nasm printed for it →
 * warnings.txt as `bits | source | HEX | message [-w+class]; …`.
 */
function warnings() {
  const src = readFileSync(join(FIX, 'warnings.src'), 'utf8').split('\n');
  const groups = [];
  let cur = null;
  for (const raw of src) {
    const line = raw.trim();
    const m = /^#mode\s+(16|32)$/.exec(line);
    if (m) {
      cur = { bits: m[1], lines: [] };
      groups.push(cur);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    cur.lines.push(line);
  }
  const out = [];
  const dir = mkdtempSync(join(tmpdir(), 'encwarn-'));
  try {
    for (const g of groups) {
      const res = assembleLines(g.bits, g.lines);
      // nasm prints warnings in pass order; run once more to collect them per line.
      const asm = join(dir, 'w.asm');
      writeFileSync(asm, `bits ${g.bits}\n${g.lines.join('\n')}\n`);
      const r = spawnSync('nasm', ['-f', 'bin', '-o', join(dir, 'w.bin'), asm], { encoding: 'utf8' });
      const byLine = new Map();
      for (const m of r.stderr.matchAll(/w\.asm:(\d+): warning: (.*)/g)) {
        const k = Number(m[1]) - 2;
        if (!byLine.has(k)) byLine.set(k, []);
        if (!byLine.get(k).includes(m[2])) byLine.get(k).push(m[2]);
      }
      g.lines.forEach((l, i) =>
        out.push(`${g.bits} | ${l} | ${res[i].hex ?? 'error: ' + res[i].error} | ${(byLine.get(i) ?? []).join('; ')}`),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(
    join(FIX, 'warnings.txt'),
    `# generated by scripts/gen-encoding-corpus.mjs warnings (nasm ${NASM_VERSION})\n${out.join('\n')}\n`,
  );
  console.log(`warnings: ${out.length} lines`);
}

/**
 * Every ModR/M + SIB shape, systematically: base × index × scale × displacement
 * (none, 0, ±1, 0x80, 32-bit) for 32-bit registers, the 16-bit register pairs,
 * operand orders (`eax*4+ebx`), NASM's splits (`eax*3`, `eax*2` vs nosplit),
 * explicit displacement sizes, segment overrides, invalid combinations —
 * in `mov eax,[…]` under BITS 16 and 32 → addressing-16/32.txt.
 */
function addressing() {
  const r32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  const disps = ['', '+0', '+1', '-1', '+0x7f', '+0x80', '-0x80', '-0x81', '+0x12345678'];
  const eas = [];
  for (const base of ['', ...r32]) {
    for (const index of ['', ...r32]) {
      for (const scale of index ? [1, 2, 4, 8] : [1]) {
        for (const d of disps) {
          const parts = [base, index && (scale === 1 ? index : `${index}*${scale}`)].filter(Boolean);
          if (parts.length === 0 && d === '') continue;
          eas.push(parts.join('+') + (parts.length ? d : d.replace(/^\+/, '')));
        }
      }
    }
  }
  for (const r of r32) {
    for (const scale of [2, 3, 5, 9])
      eas.push(`${r}*${scale}`, `nosplit ${r}*${scale}`, `${r}*${scale}+8`, `${r}*${scale}+ebx`);
    eas.push(
      `${r}*1+ebx`,
      `ebx+${r}*1`,
      `${r}*4+ebx`,
      `byte ${r}+1`,
      `dword ${r}+1`,
      `word ${r}+1`,
      `byte ${r}`,
      `dword ${r}`,
      `${r}-${r}+4`,
      `${r}+${r}`,
      `${r}*16`,
    );
  }
  const r16 = ['bx', 'bp', 'si', 'di'];
  for (const a of ['', ...r16]) {
    for (const b of ['', ...r16]) {
      for (const d of ['', '+0', '+1', '-1', '+0x80', '+0x1234']) {
        const parts = [a, b].filter(Boolean);
        if (parts.length === 0 && d === '') continue;
        eas.push(parts.join('+') + (parts.length ? d : d.replace(/^\+/, '')));
      }
    }
  }
  for (const r of r16) eas.push(`byte ${r}+1`, `word ${r}+1`, `dword ${r}+1`, `${r}*2`, `${r}+ax`, `${r}+eax`);
  for (const seg of ['es', 'cs', 'ss', 'ds', 'fs', 'gs'])
    eas.push(`${seg}:ebx`, `${seg}:ebp+4`, `${seg}:bp`, `${seg}:0x10`, `${seg}:esp`);
  eas.push('0x10', 'word 0x10', 'dword 0x10', 'byte 0x10', 'ax', 'sp', 'esp*2', 'eax+ebx+ecx', 'eax*2+ebx*2');
  for (const bits of [16, 32]) {
    const lines = eas.map((ea) => `mov eax, [${ea}]`);
    const res = assembleLines(bits, lines);
    const out = lines.map((l, i) => fixtureLine(String(bits), l, res[i])).filter((l) => !/error: parser:/.test(l));
    writeFileSync(
      join(FIX, `addressing-${bits}.txt`),
      `# generated by scripts/gen-encoding-corpus.mjs addressing (nasm ${NASM_VERSION})\n${out.join('\n')}\n`,
    );
    console.log(`addressing-${bits}: ${out.length} lines`);
  }
}

/**
 * The sweep's lines again at -O0 and -O1 (nasm's choices differ there: no
 * sign-extended imm8 at -O0, JMP never short, MOV sreg,reg with 66h…) →
 * forms-O01-<bits>.txt.gz, mode field `<bits> O0` / `<bits> O1`.
 */
function sweepOptimize() {
  for (const bits of [16, 32]) {
    const lines = [];
    const atOx = [];
    for (const f of ['general', 'system', 'x87', 'mmx', 'sse']) {
      for (const l of readFileSync(join(FIX, `forms-${bits}-${f}.txt`), 'utf8').split('\n')) {
        const m = /^\d+ \| (.*) \| ([0-9A-F]+)$/.exec(l);
        if (m) {
          lines.push(m[1]);
          atOx.push(m[2]);
        }
      }
    }
    // Every line whose bytes differ from -Ox, and one in eight of the others (to keep the test fast).
    const out = [];
    for (const opt of ['0', '1']) {
      const res = assembleLines(bits, lines, opt);
      lines.forEach((l, i) => {
        if (res[i].hex !== atOx[i] || i % 8 === 0) out.push(fixtureLine(`${bits} O${opt}`, l, res[i]));
      });
    }
    writeFileSync(
      join(FIX, `forms-O01-${bits}.txt.gz`),
      gzipSync(`# generated by scripts/gen-encoding-corpus.mjs sweep-opt (nasm ${NASM_VERSION})\n${out.join('\n')}\n`, {
        level: 9,
      }),
    );
    console.log(`forms-O01-${bits}: ${out.length} lines`);
  }
}

const cmd = process.argv[2];
checkNasm();
if (cmd === 'handwritten') handwritten();
else if (cmd === 'shapes') shapes();
else if (cmd === 'sweep') await sweep();
else if (cmd === 'sweep-opt') sweepOptimize();
else if (cmd === 'cpu') cpuLevels();
else if (cmd === 'warnings') warnings();
else if (cmd === 'addressing') addressing();
else if (cmd === 'random') {
  const { randomCorpus } = await import('./gen-encoding-random.mjs');
  randomCorpus(FIX, Number(process.argv[3] ?? 1));
} else {
  console.error(
    'usage: gen-encoding-corpus.mjs handwritten|shapes|sweep|sweep-opt|cpu|warnings|addressing|random [seed]',
  );
  process.exit(2);
}
