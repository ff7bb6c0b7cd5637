/**
 * VEX / XOP encoding corpus from real nasm 2.16.01 (fixtures/encoding/vex/).
 *
 *   node scripts/gen-encoding-vex.mjs forms     every VEX/XOP row of the table, instantiated
 *   node scripts/gen-encoding-vex.mjs random    random C4/C5/8F bytes → ndisasm → nasm
 *   node scripts/gen-encoding-vex.mjs hand      fixtures/encoding/vex/handwritten.src
 *   node scripts/gen-encoding-vex.mjs programs  fixtures/encoding/vex/programs/*.asm (objects, listings, errors)
 *   node scripts/gen-encoding-vex.mjs all
 *
 * `forms` (after `npm run build`) takes the rows of each VEX table file
 * (src/encoder/table/vex-rows.ts names them) and writes, for each row, lines in BITS 16, 32 and
 * 64: low registers, each register operand moved to 8…15 in turn (R̅ X̅ B̅ and
 * vvvv), every addressing form of the mode (disp0/8/32, SIB, no base, rbp/r13,
 * r8–r15, a 67h address), memory with and without its size keyword, the short
 * form of a `*` operand, `{vex2}`/`{vex3}`, and several immediates. nasm gives
 * each line its bytes or its first error, and both are kept:
 * forms-<ext>.txt.gz holds `bits | line | HEX` or `bits | line | error: msg`.
 * (The rows only choose what to ask; every answer is nasm's.)
 *
 * `random` is independent of the table: random VEX/XOP byte strings are
 * disassembled by ndisasm and the lines nasm re-assembles are kept with
 * nasm's bytes (random-<bits>.txt.gz), so forms the table lacks show up too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleLines } from './encoding-nasm.mjs';
import { STRIDE, disassemble, randomGenerator } from './gen-encoding-random.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'fixtures', 'encoding', 'vex');

/**
 * The row lines of each VEX table file, from the compiled table (dist/, so run
 * `npm run build` first): { ext: [{ mnemonic, operands }] }.
 */
async function tableGroups() {
  const { VEX_ROW_GROUPS } = await import(join(ROOT, 'dist', 'src', 'encoder', 'table', 'vex-rows.js'));
  const groups = [];
  for (const [ext, rowsOf] of VEX_ROW_GROUPS) {
    const rows = [];
    for (const raw of rowsOf().split('\n')) {
      const line = raw.replace(/;.*$/, '').trim();
      const m = /^([A-Z][A-Z0-9]*)(?:\s+(\S+))?\s*\|([^|]*)\|([^|]*)$/.exec(line);
      if (m) rows.push({ mnemonic: m[1].toLowerCase(), operands: m[2] ? m[2].split(',') : [] });
    }
    groups.push([ext, rows]);
  }
  return groups;
}

const GPR = {
  8: ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'],
  4: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'].concat(
    [8, 9, 10, 11, 12, 13, 14, 15].map((n) => `r${n}d`),
  ),
  2: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'],
  // VPINSRB's r8 form: NASM takes spl…dil (no REX needed in VEX), refuses ah…bh ("cannot use high register").
  1: ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'].concat([8, 9, 10, 11, 12, 13, 14, 15].map((n) => `r${n}b`)),
};
const SIZE_WORD = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword', 16: 'oword', 32: 'yword', 64: 'zword' };

const ADDRESSES = {
  16: ['[bx+si]', '[bp+0x10]', '[0x1234]', '[di-0x80]', '[eax]', '[ebx+ecx*4+0x12]'],
  32: [
    '[eax]',
    '[ebp]',
    '[esp+0x10]',
    '[ebx+ecx*4+0x12345]',
    '[0x12345678]',
    '[edi-0x80]',
    '[esi+0x7f]',
    '[edx*2]',
    '[bx+si+4]',
  ],
  64: [
    '[rax]',
    '[rbp]',
    '[r13]',
    '[r12+0x10]',
    '[rsp+rcx*8-0x1000]',
    '[r8+r15*2+0x7f]',
    '[0x12345678]',
    '[eax]',
    '[r9d+r10d*4]',
    '[rax+r11]',
    '[rbx+rax*4-0x80]',
  ],
};
const VSIB = {
  16: ['[eax+{i}2*4]', '[ebx+{i}7]', '[{i}1*8+0x10]'],
  32: ['[eax+{i}2*4]', '[ebp+{i}7]', '[{i}3*8+0x10]', '[esp+{i}0*2-0x80]', '[ecx+{i}6+0x1000]'],
  64: ['[rax+{i}2*4]', '[r13+{i}15*8-8]', '[{i}1]', '[r8+{i}9*2+0x100]', '[eax+{i}4*4]', '[rsp+{i}12]'],
};
const EVEX_BYTES = /^(?:26|2E|36|3E|64|65|66|67|F0|F2|F3)*62/;
const IMM8 = ['0', '0x7f', '0x80', '0xff', '3', '0x1b'];

/** Parses a template token into what the generator needs to instantiate it. */
function templateKind(tok) {
  const t = tok.replace(/\*$/, '');
  let m;
  if ((m = /^(xmm|ymm)$/.exec(t))) return { kind: 'vec', cls: m[1] };
  if ((m = /^(xmm|ymm)\/m(\d+)$/.exec(t))) return { kind: 'vecm', cls: m[1], size: Number(m[2]) / 8 };
  if ((m = /^r(8|16|32|64)$/.exec(t))) return { kind: 'gpr', size: Number(m[1]) / 8 };
  if ((m = /^rm(16|32|64)$/.exec(t))) return { kind: 'gprm', size: Number(m[1]) / 8 };
  if ((m = /^r(32|64)\/m(\d+)$/.exec(t))) return { kind: 'gprm', size: Number(m[1]) / 8, msize: Number(m[2]) / 8 };
  if ((m = /^m(\d*)$/.exec(t))) return { kind: 'mem', size: m[1] ? Number(m[1]) / 8 : 0 };
  if ((m = /^vm(32|64)([xy])$/.exec(t))) return { kind: 'vsib', cls: `${m[2]}mm` };
  if (/^imm8?$/.test(t)) return { kind: 'imm' };
  if (/^imm(16|32)$/.test(t)) return { kind: 'imm' };
  if (t === 'xmm0') return { kind: 'fixed', text: 'xmm0' };
  if (t === 'tmm') return { kind: 'tmm' };
  if (t === 'sibmem') return { kind: 'sibmem' };
  throw new Error(`generator does not know operand ${tok}`);
}

/** Register text for operand `k` of a line; `high` moves it to 8…15. */
function regText(kind, k, high, rot) {
  const n = ((k * 3 + rot) % 7) + 1 + (high ? 8 : 0);
  if (kind.kind === 'tmm') return `tmm${(k + rot) % 8}`;
  if (kind.cls) return `${kind.cls}${n}`;
  const pool = GPR[kind.size];
  return pool[Math.min(n, pool.length - 1)];
}

function memText(kind, addr, sized) {
  const size = kind.msize ?? kind.size;
  return sized && size ? `${SIZE_WORD[size]} ${addr}` : addr;
}

/** All lines to ask nasm for one row in one mode. */
function rowLines(row, bits, rot) {
  const kinds = row.operands.map(templateKind);
  const lines = new Set();
  const omissible = row.operands.findIndex((t) => t.endsWith('*'));
  const hasMem = kinds.some((k) => ['vecm', 'gprm', 'mem', 'vsib', 'sibmem'].includes(k.kind));
  const build = (choose) => {
    const ops = kinds.map((k, i) => choose(k, i));
    const line = `${row.mnemonic} ${ops.join(',')}`.trim();
    lines.add(line);
    if (omissible > 0) lines.add(`${row.mnemonic} ${ops.filter((_, i) => i !== omissible).join(',')}`);
  };
  const plain = (k, i, high = false, imm = 3) => {
    if (k.kind === 'imm') return IMM8[(imm + rot) % IMM8.length];
    if (k.kind === 'fixed') return k.text;
    if (k.kind === 'vsib') return VSIB[bits][rot % VSIB[bits].length].replace('{i}', k.cls);
    if (k.kind === 'mem' || k.kind === 'sibmem') return memText(k, ADDRESSES[bits][rot % ADDRESSES[bits].length], true);
    return regText(k, i, high, rot);
  };
  // Registers everywhere (memory where only memory fits), each immediate value.
  for (let v = 0; v < 3; v++) build((k, i) => plain(k, i, false, v * 2));
  // Each register operand moved to 8…15 (REX-like bits and vvvv), then all of them.
  if (bits === 64) {
    kinds.forEach((_, j) => build((k, i) => plain(k, i, i === j)));
    build((k, i) => plain(k, i, true));
  } else if (rot % 4 === 0) kinds.forEach((_, j) => build((k, i) => plain(k, i, i === j)));
  // Memory in every addressing form, with and without the size keyword.
  if (hasMem) {
    const addrs = ADDRESSES[bits];
    addrs.forEach((addr, a) => {
      for (const sized of [true, false]) {
        if (!sized && a % 2 === 1) continue;
        build((k, i) => {
          if (k.kind === 'vecm' || k.kind === 'gprm' || k.kind === 'mem' || k.kind === 'sibmem')
            return memText(k, addr, sized);
          if (k.kind === 'vsib') return VSIB[bits][a % VSIB[bits].length].replace('{i}', k.cls);
          return plain(k, i, bits === 64 && a % 3 === 1);
        });
      }
    });
  }
  // Encoding prefixes on one line of each.
  const first = [...lines][0];
  lines.add(`{vex3} ${first}`);
  if (rot % 2 === 0) lines.add(`{vex2} ${first}`);
  return [...lines];
}

function assembleAll(bits, lines) {
  const out = [];
  const CHUNK = 3000;
  for (let c = 0; c < lines.length; c += CHUNK) {
    const part = lines.slice(c, c + CHUNK);
    const res = assembleLines(bits, part);
    part.forEach((line, i) => {
      const r = res[i];
      // Lines NASM encodes with EVEX (62…) belong to the EVEX corpus.
      if (r && !(r.hex && EVEX_BYTES.test(r.hex))) out.push(`${bits} | ${line} | ${r.hex ?? 'error: ' + r.error}`);
    });
  }
  return out;
}

function writeGz(name, header, rows) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), gzipSync(`# ${header}\n${rows.join('\n')}\n`, { level: 9 }));
  console.log(`${name}: ${rows.length}`);
}

async function forms() {
  for (const [ext, rows] of await tableGroups()) {
    const out = [];
    for (const bits of [16, 32, 64]) {
      const lines = new Set();
      rows.forEach((row, r) => {
        if (bits === 16 && r % 3 !== 0) return; // BITS 16: a third of the rows
        // Outside BITS 64 NASM takes r64 operands of SIMD instructions through EVEX rows: the EVEX corpus's business.
        if (bits !== 64 && ext !== 'bmi' && row.operands.some((t) => /^r(m)?64/.test(t))) return;
        const rowLinesOf = rowLines(row, bits, r);
        // `pv` rows (vex-explicit) are VEX only with `{vex}` written: ask for both spellings.
        if (ext === 'vex-explicit') for (const l of rowLinesOf) if (!l.startsWith('{')) lines.add(`{vex} ${l}`);
        for (const l of rowLinesOf) lines.add(l);
      });
      out.push(...assembleAll(bits, [...lines]));
    }
    writeGz(
      `forms-${ext}.txt.gz`,
      `generated by scripts/gen-encoding-vex.mjs forms (nasm 2.16.01 bytes or first error)`,
      out,
    );
  }
}

/** ndisasm text → a nasm source line, or null for what nasm would not take back as written. */
function toSource(text) {
  if (/^(db|dw|dd)\b|\?\?|\brex\b|\bjmp\b|\bcall\b|\bj\w+ /.test(text)) return null;
  return text.replace(/\s+/g, ' ').trim();
}

function random() {
  const rand = randomGenerator(0x7e3);
  for (const bits of [16, 32, 64]) {
    const lines = new Set();
    // Batches of 50000 slots (ndisasm takes one -s argument per slot).
    for (let batch = 0; batch < (bits === 16 ? 1 : 3); batch++) {
      const slots = 50000;
      const bytes = new Uint8Array(slots * STRIDE);
      for (let i = 0; i < slots; i++) {
        let k = i * STRIDE;
        const pick = rand();
        const b1 = Math.floor(rand() * 256);
        const b2 = Math.floor(rand() * 256);
        if (pick < 0.45) {
          // C5: outside BITS 64 the top two bits of the second byte must be 11 (else LDS).
          bytes[k++] = 0xc5;
          bytes[k++] = bits === 64 ? b1 : b1 | 0xc0;
        } else if (pick < 0.9) {
          bytes[k++] = 0xc4;
          bytes[k++] = ((bits === 64 ? b1 : b1 | 0xc0) & 0xe0) | [1, 2, 3, 2, 2][Math.floor(rand() * 5)];
          bytes[k++] = b2;
        } else {
          bytes[k++] = 0x8f;
          bytes[k++] = ((bits === 64 ? b1 : b1 | 0xc0) & 0xe0) | [8, 9, 10][Math.floor(rand() * 3)];
          bytes[k++] = b2;
        }
        while (k < (i + 1) * STRIDE) bytes[k++] = Math.floor(rand() * 256);
      }
      for (const [, text] of disassemble(bits, bytes, slots)) {
        const src = toSource(text);
        // Registers 16…31 are EVEX's (the EVEX corpus's business); mask registers too.
        if (src && /\b[xyz]mm(1[6-9]|2\d|3[01])\b|\bk[0-7]\b/.test(src)) continue;
        if (src && /^v|^(andn|bextr|blsi|blsmsk|blsr|bzhi|mulx|pdep|pext|rorx|sarx|shlx|shrx|bl|t1|tz)/.test(src))
          lines.add(src);
      }
    }
    const res = assembleAll(bits, [...lines]).filter((l) => !l.includes(' | error: '));
    writeGz(`random-${bits}.txt.gz`, `generated by scripts/gen-encoding-vex.mjs random (nasm 2.16.01 bytes)`, res);
  }
}

function hand() {
  const src = readFileSync(join(OUT, 'handwritten.src'), 'utf8').split('\n');
  const out = [];
  for (const bits of [16, 32, 64]) {
    const lines = src.filter((l) => l.trim() && !l.startsWith(';')).map((l) => l.trim());
    out.push(...assembleAll(bits, lines));
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    join(OUT, 'handwritten.txt'),
    `# generated by scripts/gen-encoding-vex.mjs hand (nasm 2.16.01 bytes or first error)\n${out.join('\n')}\n`,
  );
  console.log(`handwritten.txt: ${out.length}`);
}

/**
 * programs/: small kernels assembled by nasm (`-f elf64`/`-f elf32` object and
 * `-l` listing), and the error sources with nasm's stderr.
 */
function programs() {
  const dir = join(OUT, 'programs');
  const run = (args) => spawnSync('nasm', args, { cwd: dir, encoding: 'utf8' });
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.asm'))) {
    const base = name.slice(0, -4);
    if (base.startsWith('errors')) {
      const r = run(['-f', 'bin', '-o', join(tmpdir(), 'vex-errors.bin'), name]);
      writeFileSync(join(dir, `${base}.stderr`), r.stderr);
      console.log(`${base}.stderr: ${r.stderr.split('\n').length - 1} lines`);
      continue;
    }
    const format = readFileSync(join(dir, name), 'utf8').includes('bits 64') ? 'elf64' : 'elf32';
    const r = run(['-f', format, '-l', `${base}.lst`, '-o', `${base}.o`, name]);
    if (r.status !== 0) throw new Error(`nasm failed on ${name}: ${r.stderr}`);
    console.log(`${base}.o (${format}), ${base}.lst`);
  }
}

const mode = process.argv[2] ?? 'all';
if (mode === 'programs' || mode === 'all') programs();
if (mode === 'forms' || mode === 'all') await forms();
if (mode === 'random' || mode === 'all') random();
if (mode === 'hand' || mode === 'all') hand();
