/**
 * Reverse forms probe: the operand forms nasm accepts that tsnasm lacks (and
 * the other way round). The encoding corpora check every row of tsnasm's
 * table against nasm; this probe starts from the mnemonics instead and asks
 * both assemblers about operand tuples around and beyond the table's rows.
 *
 * For each line a mnemonic is drawn (tsnasm's table, or --names FILE, one name
 * a line) and one of its rows; the row's template is written out with concrete
 * operands of the mode (registers of each class, memory with and without its
 * size word, `{1toN}` broadcasts, VSIB addresses, immediates sized and not,
 * `{k1}{z}`, `{rn-sae}`/`{sae}`), then most lines get 1–2 mutations: an operand
 * replaced by a neighbour of its family (another register class, another
 * size word, a sized immediate), by any shape of the pool, dropped, or one
 * more appended. A few lines are random tuples of 0–4 operands; a name with
 * no row gets only those. Every line is tried once per mode (duplicates
 * dropped), so a run of the default size takes a few minutes.
 *
 * The lines are assembled in chunks of slotted lines (fuzz/lib.mjs
 * probeSlotChunk, as prefix-probe.mjs): nasm -f bin and tsnasm's library on
 * the same source, the lines nasm refuses compared by their messages, the
 * others by their bytes and warnings. Verdicts:
 *
 *   rejects   nasm assembles the line, tsnasm refuses it (a missing form)
 *   accepts   nasm refuses it, tsnasm assembles it
 *   bytes     both assemble it, the bytes differ
 *   warnings  same bytes, other warnings
 *   message   both refuse it, with other messages
 *   crash     tsnasm threw
 *
 * The report groups the differing lines by class (mode, verdict, mnemonic and
 * the operands' shapes: `r32`, `xmm{k}`, `m128`, `m32{1to4}`, `imm8`…) with a
 * reproducer each; every line is in build/fuzz/forms-probe-seedN.jsonl.
 *
 *   node fuzz/forms-probe.mjs [--seed N] [--count LINES] [--bits 16,32,64] [--mnemonics REGEX]
 *                             [--names FILE] [--messages] [--top N] [--out DIR]
 *
 * --count is per mode; --mnemonics keeps the names that match; --messages
 * lists the `message` class too (by default it is only counted: most of it is
 * the wording of one refusal against another). Needs `npm run build` and nasm 2.16.01.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  loadTsnasm,
  makeRandom,
  parseFlags,
  probeSlotChunk,
  repoRoot,
  requireNasm,
  table,
  writeFindings,
} from './lib.mjs';

const SLOT = 32;
const CHUNK_LINES = 2048;
const SIZE_WORD = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword', 10: 'tword', 16: 'oword', 32: 'yword', 64: 'zword' };
const VECTOR_BYTES = { xmm: 16, ymm: 32, zmm: 64 };
const ROUNDING = ['{rn-sae}', '{rd-sae}', '{ru-sae}', '{rz-sae}'];

async function loadTable() {
  const dist = (path) => import(pathToFileURL(join(repoRoot, 'dist', 'src', ...path.split('/'))).href);
  const [{ ROWS_BY_MNEMONIC }, { ALL_REGISTERS }] = await Promise.all([
    dist('encoder/table.js'),
    dist('encoder/registers.js'),
  ]);
  return { rowsByMnemonic: ROWS_BY_MNEMONIC, registers: ALL_REGISTERS };
}

/**
 * The concrete operands of one mode: registers by class, addresses, VSIB addresses, immediates by
 * size, and the flat pool of every shape (with its family) that mutations draw from.
 */
function modeOperands(registers, bits) {
  const byClass = new Map();
  for (const r of registers) {
    // Registers only BITS 64 has stay in the other modes' pools, rarely drawn (they test the refusal).
    const rare = bits !== 64 && (r.needsRex || r.num >= 16 || r.cls === 'gpr64');
    if (!byClass.has(r.cls)) byClass.set(r.cls, { common: [], rare: [] });
    byClass.get(r.cls)[rare ? 'rare' : 'common'].push(r);
  }
  const addresses = {
    16: ['[bx+si]', '[bp+0x10]', '[0x1234]', '[di]', '[ebx]'],
    32: ['[ebx]', '[eax+ecx*4+0x10]', '[0x1234]', '[esp]', '[ebp-8]'],
    64: ['[rax]', '[rbx+rcx*4+0x10]', '[r9]', '[rsp+8]', '[0x1234]', '[eax]'],
  }[bits];
  const vsib = {
    xmm: bits === 64 ? ['[rax+xmm1*4]', '[r8+xmm9]'] : ['[eax+xmm1*4]', '[ebx+xmm2]'],
    ymm: bits === 64 ? ['[rbx+ymm2*8]', '[rax+ymm17]'] : ['[ebx+ymm2*8]', '[eax+ymm1]'],
    zmm: bits === 64 ? ['[rcx+zmm3*8]', '[rax+zmm20*4]'] : ['[ecx+zmm3*8]', '[eax+zmm1]'],
  };
  const immediates = {
    1: ['0', '1', '5', '0x7f', '-1', '0x80', '0xff', '-128'],
    2: ['0x1234', '-2', '0x7fff', '0xffff', '0x100'],
    4: ['0x12345678', '-0x80000000', '0xffffffff', '0x12345'],
    8: ['0x123456789', '-0x100000000', '0x7fffffffffffffff'],
  };
  const pool = [];
  for (const [cls, regs] of byClass)
    for (const r of [...regs.common.slice(0, 3), ...regs.rare.slice(0, 1)])
      pool.push({ family: 'reg', cls, text: r.name });
  for (const size of [0, 1, 2, 4, 8, 10, 16, 32, 64])
    for (const a of addresses.slice(0, 2)) pool.push({ family: 'mem', text: size ? `${SIZE_WORD[size]} ${a}` : a });
  for (const n of [2, 4, 8, 16, 32]) pool.push({ family: 'mem', text: `${addresses[0]}{1to${n}}` });
  for (const list of Object.values(vsib)) pool.push({ family: 'mem', text: list[0] });
  pool.push({ family: 'mem', text: `far ${addresses[0]}` });
  for (const [size, values] of Object.entries(immediates)) {
    for (const v of values.slice(0, 2)) pool.push({ family: 'imm', text: v });
    pool.push({ family: 'imm', text: `${SIZE_WORD[size]} ${values[1]}` });
  }
  pool.push({ family: 'imm', text: 'strict byte 5' }, { family: 'imm', text: 'strict dword 5' });
  pool.push({ family: 'rel', text: '$' }, { family: 'rel', text: 'short $' }, { family: 'rel', text: 'near $+0x40' });
  pool.push({ family: 'far', text: '0x10:0x20' });
  pool.push({ family: 'dec', text: '{sae}' }, { family: 'dec', text: '{rn-sae}' });
  return { byClass, addresses, vsib, immediates, pool };
}

function register(rand, ops, cls, fixed) {
  const regs = ops.byClass.get(cls);
  if (!regs) return cls;
  if (fixed >= 0) {
    const r = [...regs.common, ...regs.rare].find((x) => x.num === fixed);
    if (r) return r.name;
  }
  const list = regs.rare.length > 0 && (regs.common.length === 0 || rand.chance(0.05)) ? regs.rare : regs.common;
  return rand.pick(list).name;
}

/** The vector length of a row (for `{1toN}`): its EVEX L'L, else its first vector register's. */
function vectorBytes(row) {
  if (row.evex && !row.evex.lIgnored) return 16 << row.evex.ll;
  for (const t of row.operands) if (VECTOR_BYTES[t.regClass]) return VECTOR_BYTES[t.regClass];
  return 16;
}

function memory(rand, ops, t, row) {
  if (t.vsib) return rand.pick(ops.vsib[t.vsib] ?? ops.vsib.xmm);
  const address = t.moffs ? '[0x1234]' : rand.pick(ops.addresses);
  const b = t.decorations?.broadcast ?? 0;
  if (b > 0 && rand.chance(0.3)) {
    const right = vectorBytes(row) / b;
    const n = rand.chance(0.8) ? right : rand.pick([2, 4, 8, 16, 32]);
    return `${rand.chance(0.3) ? `${SIZE_WORD[b]} ` : ''}${address}{1to${n}}`;
  }
  const sized = t.size > 0 ? rand.chance(0.6) : rand.chance(0.1);
  const size = t.size > 0 ? t.size : rand.pick([1, 2, 4, 8, 16]);
  const text = sized && SIZE_WORD[size] ? `${SIZE_WORD[size]} ${address}` : address;
  return t.far ? `far ${text}` : text;
}

function immediate(rand, ops, t) {
  if (t.one) return '1';
  const size = t.size > 0 ? t.size : rand.pick([1, 1, 2, 4]);
  const values = t.sbyte ? ops.immediates[1] : (ops.immediates[size] ?? ops.immediates[4]);
  const value = rand.pick(values);
  if (rand.chance(0.15)) return `${SIZE_WORD[size] ?? 'dword'} ${value}`;
  if (rand.chance(0.03)) return `strict ${SIZE_WORD[size] ?? 'dword'} ${value}`;
  return value;
}

/** One template operand written out: its text, and a `{rn-sae}`/`{sae}` operand to follow it or ''. */
function renderTemplate(rand, ops, t, row) {
  let text;
  if (t.kind === 'reg') text = (t.to ? 'to ' : '') + register(rand, ops, t.regClass, t.fixedReg);
  else if (t.kind === 'rm') text = rand.chance(0.5) ? register(rand, ops, t.regClass, -1) : memory(rand, ops, t, row);
  else if (t.kind === 'mem') text = memory(rand, ops, t, row);
  else if (t.kind === 'imm') text = immediate(rand, ops, t);
  else if (t.kind === 'rel') text = rand.pick(['$', '$+0x40', 'short $', 'near $', '$-0x1000']);
  else text = rand.pick(['0x10:0x20', '0x1234:0x12345678']);
  const d = t.decorations;
  if (d?.mask && rand.chance(0.35)) text += d.zero && rand.chance(0.5) ? '{k1}{z}' : '{k2}';
  let after = '';
  if (d?.er && rand.chance(0.25)) after = rand.pick(ROUNDING);
  else if (d?.sae && rand.chance(0.25)) after = '{sae}';
  return { text, after };
}

/** Another operand of the same family as `text` (a register of another class, another size word…). */
function neighbour(rand, ops, text) {
  const family = ops.pool.find((p) => p.text === text)?.family ?? familyOf(text);
  const same = ops.pool.filter((p) => p.family === family && p.text !== text);
  return (same.length > 0 ? rand.pick(same) : rand.pick(ops.pool)).text;
}

const familyOf = (text) =>
  text.includes('[')
    ? 'mem'
    : /^\{/.test(text)
      ? 'dec'
      : /^(?:-?(?:0x)?[0-9a-f]+|(?:byte|word|dword|qword|strict)\b.*)$/i.test(text)
        ? 'imm'
        : 'reg';

/** One probe line for `mnemonic` (rows: its table rows, maybe none). */
function makeLine(rand, ops, mnemonic, rows) {
  let operands;
  let prefix = '';
  if (rows.length === 0 || rand.chance(0.08)) {
    const arity = rand.int(5);
    operands = Array.from({ length: arity }, () => rand.pick(ops.pool).text);
  } else {
    const row = rand.pick(rows);
    operands = [];
    for (const t of row.operands) {
      const { text, after } = renderTemplate(rand, ops, t, row);
      operands.push(text);
      if (after) operands.push(after);
    }
    if (row.explicitVex && rand.chance(0.8)) prefix = '{vex} ';
    const mutations = rand.chance(0.25) ? 0 : rand.chance(0.7) ? 1 : 2;
    for (let m = 0; m < mutations; m++) {
      const action = rand.next();
      if (operands.length > 0 && action < 0.5) {
        const i = rand.int(operands.length);
        operands[i] = neighbour(rand, ops, operands[i].replace(/\{k\d\}(\{z\})?$/, ''));
      } else if (operands.length > 0 && action < 0.7) operands[rand.int(operands.length)] = rand.pick(ops.pool).text;
      else if (operands.length > 0 && action < 0.85) operands.splice(rand.int(operands.length), 1);
      else if (operands.length < 5) operands.splice(rand.int(operands.length + 1), 0, rand.pick(ops.pool).text);
    }
  }
  return `${prefix}${mnemonic}${operands.length > 0 ? ' ' + operands.join(',') : ''}`;
}

/** An operand's shape for grouping: `r32`, `xmm{k}{z}`, `m128`, `m{1to4}`, `vm32x`, `imm8`, `$`, `{sae}`… */
function shapeOf(registerClass, text) {
  let t = text.trim();
  let decor = '';
  const mask = /((?:\{k\d\})?(?:\{z\})?)$/.exec(t)[1];
  if (mask && !t.startsWith('{')) {
    decor = mask.replace(/\{k\d\}/, '{k}');
    t = t.slice(0, -mask.length);
  }
  if (t.startsWith('{')) return /sae/.test(t) && t !== '{sae}' ? '{er}' : t;
  if (t.includes('[')) {
    const size = /^(?:far\s+)?(byte|word|dword|qword|tword|oword|yword|zword)\b/.exec(t)?.[1];
    const bits = size
      ? { byte: 8, word: 16, dword: 32, qword: 64, tword: 80, oword: 128, yword: 256, zword: 512 }[size]
      : '';
    const vsib = /[xyz]mm\d/.exec(t);
    const bcst = /\{1to\d+\}/.exec(t)?.[0] ?? '';
    return `${t.startsWith('far') ? 'far ' : ''}${vsib ? `vm${vsib[0][0]}` : 'm'}${bits}${bcst}${decor}`;
  }
  if (/^(?:short|near)?\s*\$/.test(t)) return t.replace(/[+-]0x\w+/, '+N');
  if (t.includes(':')) return 'ptr16:32';
  const reg = registerClass.get(t.replace(/^to\s+/, '').toLowerCase());
  if (reg) return reg + decor;
  const word = /^(strict\s+)?(byte|word|dword|qword)\b/.exec(t);
  return word ? `${word[1] ? 'strict ' : ''}${word[2]} imm` : 'imm';
}

const DIRECTIVES = new Set(
  (
    'db dw dd dq dt do dy dz resb resw resd resq rest reso resy resz incbin equ times align alignb ' +
    'section segment absolute bits use16 use32 use64 org extern global common static required cpu ' +
    'float default struc endstruc istruc at iend sectalign warning list map debug group import export ' +
    'library uppercase osabi safeseh start follows vstart vfollows'
  ).split(' '),
);

const CLASS_NAMES = { gpr8: 'r8', gpr16: 'r16', gpr32: 'r32', gpr64: 'r64', fpu: 'st', mmx: 'mm', kreg: 'k' };

function signature(registerClass, line) {
  const m = /^((?:\{\w+\}\s+)?)(\S+)\s*(.*)$/.exec(line);
  const operands = m[3] ? splitOperands(m[3]) : [];
  return `${m[1]}${m[2]} ${operands.map((o) => shapeOf(registerClass, o)).join(',')}`.trim();
}

/** Splits at the commas outside brackets and braces. */
function splitOperands(text) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export async function runFormsProbe(flags) {
  requireNasm();
  const tsnasm = await loadTsnasm();
  const { rowsByMnemonic, registers } = await loadTable();
  const registerClass = new Map(registers.map((r) => [r.name, CLASS_NAMES[r.cls] ?? r.cls]));
  let names = flags.names
    ? readFileSync(flags.names, 'utf8')
        .split('\n')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
    : [...rowsByMnemonic.keys()];
  // A name list (`strings nasm`) holds directives too: random operands on `times`, `incbin`,
  // `resb`… make nasm write or read without end, and they are no instruction forms anyway.
  names = names.filter((n) => !DIRECTIVES.has(n));
  if (flags.mnemonics) names = names.filter((n) => new RegExp(flags.mnemonics, 'i').test(n));
  if (names.length === 0) throw new Error('no mnemonic to probe');
  const rand = makeRandom(flags.seed);
  const dir = mkdtempSync(join(tmpdir(), 'tsnasm-forms-probe-'));
  const counts = new Map();
  const failures = [];
  try {
    for (const bits of flags.bits.split(',').map(Number)) {
      const ops = modeOperands(registers, bits);
      const mode = `bits${bits}`;
      const seen = new Set();
      const lines = [];
      for (let tries = 0; lines.length < flags.count && tries < flags.count * 4; tries++) {
        const mnemonic = rand.pick(names);
        const line = makeLine(rand, ops, mnemonic, rowsByMnemonic.get(mnemonic) ?? []);
        if (seen.has(line)) continue;
        seen.add(line);
        lines.push({ line, mnemonic });
      }
      const c = { mode, tested: 0 };
      counts.set(mode, c);
      for (let at = 0; at < lines.length; at += CHUNK_LINES) {
        const entries = lines.slice(at, at + CHUNK_LINES).map((l, i) => ({ off: i * SLOT, ...l }));
        for (const r of probeSlotChunk(tsnasm, bits, entries, dir, SLOT)) {
          c.tested++;
          c[r.kind] = (c[r.kind] ?? 0) + 1;
          if (!/^(?:error|fatal|panic)\b/.test(r.nasm) && r.kind !== 'accepts') c.assembled = (c.assembled ?? 0) + 1;
          if (r.kind === 'agree' || r.kind === 'panic') continue;
          failures.push({
            mode,
            bits,
            kind: r.kind,
            line: r.entry.line,
            mnemonic: r.entry.mnemonic,
            shape: signature(registerClass, r.entry.line),
            nasm: r.nasm,
            tsnasm: r.tsnasm,
            reproducer: `bits ${bits}\n${r.entry.line}\n`,
          });
        }
        if (flags.progress) console.error(`${mode}: ${Math.min(at + CHUNK_LINES, lines.length)}/${lines.length}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report(flags, counts, failures);
  return { counts: [...counts.values()], failures };
}

const KINDS = ['agree', 'rejects', 'accepts', 'bytes', 'warnings', 'message', 'crash', 'panic', 'panic-accepted'];
/** Missing forms first, then forms nasm does not have, wrong bytes, warnings, wording. */
const ORDER = ['crash', 'panic-accepted', 'bytes', 'rejects', 'accepts', 'warnings', 'message'];

function report(flags, counts, failures) {
  // `nasm ok`: the lines nasm assembled (the rest it refused, and those tsnasm must refuse too).
  const rows = [['mode', 'tested', 'nasm ok', ...KINDS]];
  for (const c of counts.values()) rows.push([c.mode, c.tested, c.assembled ?? 0, ...KINDS.map((k) => c[k] ?? 0)]);
  console.log(table(rows));
  const groups = new Map();
  for (const f of failures) {
    if (f.kind === 'message' && !flags.messages) continue;
    const key = `${f.mode} ${f.kind} ${f.shape}`;
    if (!groups.has(key)) groups.set(key, { count: 0, example: f });
    groups.get(key).count++;
  }
  const sorted = [...groups.entries()].sort(
    (a, b) => ORDER.indexOf(a[1].example.kind) - ORDER.indexOf(b[1].example.kind) || b[1].count - a[1].count,
  );
  const shown = flags.messages ? failures.length : failures.filter((f) => f.kind !== 'message').length;
  console.log(`\n${shown} differing lines in ${groups.size} classes (mode verdict shape):`);
  for (const [key, g] of sorted.slice(0, flags.top))
    console.log(
      `${String(g.count).padStart(5)}  ${key}\n       e.g. ${g.example.line}\n       nasm: ${g.example.nasm}\n     tsnasm: ${g.example.tsnasm}`,
    );
  if (sorted.length > flags.top) console.log(`  … ${sorted.length - flags.top} more classes in the findings file`);
  const file = writeFindings(flags, 'forms-probe', failures);
  console.log(`\nfindings written to ${file} (each with a reproducer)`);
}

export const FORMS_PROBE_DEFAULTS = {
  seed: 1,
  count: 20000,
  bits: '16,32,64',
  mnemonics: '',
  names: '',
  messages: false,
  progress: false,
  out: 'build/fuzz',
  top: 60,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runFormsProbe(parseFlags(process.argv.slice(2), FORMS_PROBE_DEFAULTS));
}
