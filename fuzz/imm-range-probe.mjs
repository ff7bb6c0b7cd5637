/**
 * Byte-immediate range probe: every table row with an unsigned or plain byte
 * immediate (`ib,u`, `ib,uw`, `ib`; not the sign-extended `ib,s`) is written
 * once in each form it has (its r/m operands as registers, and as memory) with
 * immediates on both sides of the byte's edges (255, 256, -1, -128, -129, -256,
 * -257, …), and nasm's warnings on each line are compared with tsnasm's.
 *
 * nasm checks a byte immediate against one of two ranges, by row, not by
 * mnemonic family (measured): 0…255 (any negative number warns "byte data
 * exceeds bounds": INT, shift counts, BLENDPD…) or -256…255 (a field that
 * wraps: PSHUFD, PCLMULQDQ, every EVEX row…). The probe prints, per row, the
 * range nasm accepts without a warning and the one tsnasm does, and lists
 * every line whose warnings or bytes differ.
 *
 * A row's instance is built from its template (registers numbered 1, 2, 3… by
 * operand, memory `[ebx]`/`[rbx]` with the row's size keyword, `{vex}` on the
 * late VEX rows, `{evex}` on EVEX rows) and kept only when tsnasm's encoder
 * picks that very row for it (`chooseRow`); rows no instance reaches are
 * counted as unreached. Every line sits in its own slot (`times OFF-($-$$) db
 * 0x90` before it), as in probe.mjs; the lines nasm refuses are dropped and
 * the rest assembled again until nasm takes them all.
 *
 *   node fuzz/imm-range-probe.mjs [--bits 32,64] [--values 255,256,-1] [--rows REGEX] [--top N] [--out DIR]
 *
 * --rows keeps the rows whose source text matches (`--rows '^PSHUF'`). Needs a
 * built dist/ (`npx tsc -p tsconfig.build.json`). Findings are written to
 * build/fuzz/imm-range-probe-seed0.jsonl, each with a reproducer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  hex,
  loadTsnasm,
  parseFlags,
  repoRoot,
  requireNasm,
  slotEntryAtLine,
  slotSource,
  table,
  writeFindings,
} from './lib.mjs';

const SLOT = 16;
/** CodeOp.Imm, set by loadEncoder. */
let CODE_IMM = -1;
const SIZE_WORD = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword', 10: 'tword', 16: 'oword', 32: 'yword', 64: 'zword' };

async function loadEncoder() {
  const dist = (path) => import(pathToFileURL(join(repoRoot, 'dist', 'src', ...path.split('/'))).href);
  const [{ ALL_ROWS }, { chooseRow }, { ALL_REGISTERS }, { constantValue }] = await Promise.all([
    dist('encoder/table.js'),
    dist('encoder/encode.js'),
    dist('encoder/registers.js'),
    dist('core/value.js'),
  ]);
  // CodeOp is a const enum, absent from the compiled JavaScript: take Imm's number from INT's `CD ib,u`.
  CODE_IMM = ALL_ROWS.find((r) => r.mnemonic === 'int').codes.at(-1).op;
  return { ALL_ROWS, chooseRow, ALL_REGISTERS, constantValue };
}

/** The row's byte immediates that are not sign-extended (mode 'u', 'uw' or ''). */
const byteImmediates = (row) => row.codes.filter((c) => c.op === CODE_IMM && c.value === 1 && c.mode !== 's');

/**
 * The operand choices of one template operand, each { operand, text }: `operand` for tsnasm's
 * encoder (chooseRow), `text` for the source line. An r/m operand gives a register and a memory
 * choice; an immediate gets its value later (`imm: true`).
 */
function choices(enc, t, index, bits) {
  const register = (cls, num) => {
    const r = enc.ALL_REGISTERS.find((x) => x.cls === cls && x.num === num);
    return r ? { operand: { kind: 'reg', reg: r, size: null, to: t.to }, text: r.name } : null;
  };
  const memory = (size) => {
    const base = enc.ALL_REGISTERS.find((x) => x.name === (bits === 64 ? 'rbx' : 'ebx'));
    const keyword = size > 0 && !t.anySize ? `${SIZE_WORD[size]} ` : '';
    const operand = {
      kind: 'mem',
      size: keyword ? size : null,
      strict: false,
      segment: null,
      registers: [{ reg: base, scale: 1 }],
      displacement: enc.constantValue(0),
      hasDisplacement: false,
      displacementSize: null,
      nosplit: false,
      relative: null,
      distance: null,
    };
    return { operand, text: `${keyword}[${base.name}]`, memory: true };
  };
  const number = t.fixedReg >= 0 ? t.fixedReg : index + 1;
  switch (t.kind) {
    case 'reg':
      return [register(t.regClass, number)].filter(Boolean);
    case 'rm':
      return [register(t.regClass, number), memory(t.size)].filter(Boolean);
    case 'mem':
      return t.vsib || t.moffs || t.far ? [] : [memory(t.size)];
    case 'imm':
      return t.one ? [] : [{ imm: true, size: t.size }];
    default:
      return [];
  }
}

function immediateOperand(enc, value) {
  return {
    kind: 'imm',
    value: enc.constantValue(value),
    size: null,
    strict: false,
    distance: null,
    farSegment: null,
    to: false,
  };
}

function* combinations(lists, k = 0, acc = []) {
  if (k === lists.length) {
    yield acc.slice();
    return;
  }
  for (const item of lists[k]) {
    acc.push(item);
    yield* combinations(lists, k + 1, acc);
    acc.pop();
  }
}

/** The modes a row is written in: BITS 64 for its 64-bit-only forms, else 32 (and 64 unless it is `nolong`). */
function modesOf(row, wanted) {
  const needs64 =
    row.long ||
    row.rexW ||
    row.operands.some((t) => t.regClass === 'gpr64' || (t.fixedReg >= 8 && t.regClass !== 'kreg'));
  const modes = needs64 ? [64] : row.noLong ? [32] : [32, 64];
  return modes.filter((b) => wanted.includes(b));
}

/**
 * Instances of a row in one mode: at most one register form and one memory form, each a list of
 * choices whose immediates are still open, and the prefix written before it. Only instances
 * tsnasm's encoder takes with this row (an immediate of 5 in every immediate place) are kept.
 */
function instancesOf(enc, row, bits) {
  const prefixes = row.explicitVex ? ['{vex}'] : row.evex ? ['{evex}'] : [];
  const ctx = { bits, segment: 0, offset: 0n, optimize: 2, cpu: 'all', defaultRel: false };
  const lists = row.operands.map((t, i) => choices(enc, t, i, bits));
  if (lists.some((l) => l.length === 0)) return [];
  const found = new Map();
  for (const combo of combinations(lists)) {
    const form = combo.some((c) => c.memory) ? 'mem' : 'reg';
    if (found.has(form)) continue;
    const operands = combo.map((c) => (c.imm ? immediateOperand(enc, 5) : c.operand));
    if (enc.chooseRow({ mnemonic: row.mnemonic, prefixes, operands }, ctx) === row)
      found.set(form, { form, combo, prefixes });
  }
  return [...found.values()];
}

/** The line of an instance with `value` in immediate place `place` (the row's other immediates 5). */
function lineOf(row, instance, place, value) {
  let k = 0;
  const operands = instance.combo.map((c) => (c.imm ? String(k++ === place ? value : 5) : c.text));
  return `${[...instance.prefixes, row.mnemonic.toLowerCase()].join(' ')} ${operands.join(',')}`;
}

const chunkSource = (bits, entries) => slotSource(bits, entries, SLOT);
const entryAtLine = slotEntryAtLine;

function addMessage(byEntry, entry, text) {
  if (!entry) return;
  if (!byEntry.has(entry)) byEntry.set(entry, []);
  byEntry.get(entry).push(text);
}

function runNasm(bits, entries, dir) {
  const out = join(dir, 'probe.bin');
  writeFileSync(join(dir, 'probe.asm'), chunkSource(bits, entries));
  rmSync(out, { force: true });
  const r = spawnSync('nasm', ['-f', 'bin', 'probe.asm', '-o', out], { cwd: dir, encoding: 'utf8' });
  const byEntry = new Map();
  for (const text of `${r.stdout}\n${r.stderr}`.split('\n')) {
    const m = /^probe\.asm:(\d+): (error|warning|fatal): (.*)$/.exec(text);
    if (m) addMessage(byEntry, entryAtLine(entries, Number(m[1])), `${m[2]}: ${m[3]}`);
  }
  return { status: r.status, byEntry, output: r.status === 0 ? new Uint8Array(readFileSync(out)) : null };
}

function runTsnasm(tsnasm, bits, entries) {
  const r = tsnasm.assemble(chunkSource(bits, entries), {
    fileName: 'probe.asm',
    format: 'bin',
    teachingRecords: false,
  });
  const byEntry = new Map();
  for (const d of r.diagnostics)
    if (d.location?.line)
      addMessage(
        byEntry,
        entryAtLine(entries, d.location.line),
        tsnasm.formatDiagnostic(d).replace(/^probe\.asm:\d+: /, ''),
      );
  return { byEntry, output: r.output ?? null };
}

const errorsOf = (messages) => (messages ?? []).filter((m) => !m.startsWith('warning: '));
const warningsOf = (messages) => (messages ?? []).filter((m) => m.startsWith('warning: ')).join(' / ');
const slotOf = (output, entries, i) => hex(output.subarray(entries[i].off, entries[i].off + SLOT));

/**
 * One mode's lines, in rounds: the lines nasm refuses are compared by their errors and dropped,
 * then nasm's and tsnasm's warnings and bytes on the lines nasm assembles.
 * Returns { entry, nasm: {refused, warnings}, tsnasm: {refused, warnings}, bytesDiffer }.
 */
function probeMode(tsnasm, bits, entries, dir) {
  const results = [];
  let live = entries.map((e, i) => ({ ...e, off: i * SLOT }));
  for (let round = 0; round < 100 && live.length > 0; round++) {
    const nasm = runNasm(bits, live, dir);
    if (nasm.status !== 0) {
      const blamed = live.filter((e) => errorsOf(nasm.byEntry.get(e)).length > 0);
      if (blamed.length === 0) throw new Error(`nasm failed (status ${nasm.status}) with no line to blame`);
      for (const e of blamed) {
        const ours = runTsnasm(tsnasm, bits, [{ ...e, off: 0 }]);
        const mine = [...ours.byEntry.values()].flat();
        results.push({
          entry: e,
          nasm: { refused: true, warnings: errorsOf(nasm.byEntry.get(e)).join(' / ') },
          tsnasm: { refused: errorsOf(mine).length > 0, warnings: errorsOf(mine).join(' / ') },
        });
      }
      const drop = new Set(blamed);
      live = live.filter((e) => !drop.has(e)).map((e, i) => ({ ...e, off: i * SLOT }));
      continue;
    }
    const ours = runTsnasm(tsnasm, bits, live);
    live.forEach((e, i) => {
      const mine = ours.byEntry.get(e) ?? [];
      results.push({
        entry: e,
        nasm: { refused: false, warnings: warningsOf(nasm.byEntry.get(e)) },
        tsnasm: { refused: errorsOf(mine).length > 0 || !ours.output, warnings: warningsOf(mine) },
        bytesDiffer: ours.output ? slotOf(nasm.output, live, i) !== slotOf(ours.output, live, i) : false,
      });
    });
    break;
  }
  return results;
}

/** The values an assembler takes without a warning, as a range over the probed values ("-256..255"). */
function quietRange(results, side) {
  const quiet = results.filter((r) => !r[side].refused && r[side].warnings === '').map((r) => BigInt(r.entry.value));
  if (quiet.length === 0) return 'none';
  const low = quiet.reduce((a, b) => (b < a ? b : a));
  const high = quiet.reduce((a, b) => (b > a ? b : a));
  const value = (r) => BigInt(r.entry.value);
  const gaps = results.some((r) => value(r) > low && value(r) < high && !quiet.includes(value(r)));
  return `${low}..${high}${gaps ? ' (gaps)' : ''}`;
}

export async function runImmRangeProbe(flags) {
  requireNasm();
  const tsnasm = await loadTsnasm();
  const enc = await loadEncoder();
  const values = flags.values.split(',');
  const modes = flags.bits.split(',').map(Number);
  const rowFilter = flags.rows ? new RegExp(flags.rows, 'i') : null;
  const dir = mkdtempSync(join(tmpdir(), 'tsnasm-imm-range-probe-'));
  const rows = enc.ALL_ROWS.filter(
    (r) => !r.full && byteImmediates(r).length > 0 && (!rowFilter || rowFilter.test(r.source)),
  );
  const reached = new Set();
  const perInstance = new Map();
  const failures = [];
  try {
    for (const bits of modes) {
      const entries = [];
      for (const row of rows) {
        if (!modesOf(row, modes).includes(bits)) continue;
        const instances = instancesOf(enc, row, bits);
        if (instances.length > 0) reached.add(row);
        const places = row.operands.filter((t) => t.kind === 'imm' && !t.one).length;
        for (const instance of instances)
          for (let place = 0; place < places; place++) {
            const codes = byteImmediates(row);
            // The row's immediate codes follow its immediate operands in order; a word place (ENTER's) is skipped.
            const immCodes = row.codes.filter((c) => c.op === CODE_IMM);
            if (!codes.includes(immCodes[place])) continue;
            const key = `${bits}|${instance.form}|${place}|${row.source}`;
            for (const value of values)
              entries.push({
                key,
                row,
                bits,
                form: instance.form,
                place,
                value,
                line: lineOf(row, instance, place, value),
              });
          }
      }
      for (const r of probeMode(tsnasm, bits, entries, dir)) {
        if (!perInstance.has(r.entry.key)) perInstance.set(r.entry.key, []);
        perInstance.get(r.entry.key).push(r);
        const differs = r.nasm.refused !== r.tsnasm.refused || r.nasm.warnings !== r.tsnasm.warnings || r.bytesDiffer;
        if (differs)
          failures.push({
            bits,
            kind: r.bytesDiffer ? 'bytes' : r.nasm.refused !== r.tsnasm.refused ? 'verdict' : 'warnings',
            line: r.entry.line,
            row: r.entry.row.source,
            mode: r.entry.row.codes.find((c) => c.op === CODE_IMM && c.value === 1)?.mode ?? '',
            nasm: r.nasm.warnings,
            tsnasm: r.tsnasm.warnings,
            reproducer: `bits ${bits}\n${r.entry.line}\n`,
          });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const unreached = rows.filter((r) => !reached.has(r)).map((r) => r.source);
  report(flags, rows, perInstance, failures, unreached);
  return { failures, unreached };
}

function report(flags, rows, perInstance, failures, unreached) {
  // Per row notation and nasm's quiet range: how many probed instances of each.
  const kinds = new Map();
  const rowsByKind = new Map();
  for (const results of perInstance.values()) {
    const row = results[0].entry.row;
    const notation = /\bib(?:,uw|,u)?(?=\s|$)/.exec(row.source.split('|')[1] ?? '')?.[0] ?? '?';
    const k = `${notation.padEnd(5)} nasm ${quietRange(results, 'nasm').padEnd(12)} tsnasm ${quietRange(results, 'tsnasm')}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    if (!rowsByKind.has(k)) rowsByKind.set(k, new Set());
    rowsByKind.get(k).add(row.mnemonic);
  }
  console.log(`${rows.length} rows, ${perInstance.size} probed instances (mode × form × immediate place)\n`);
  console.log(
    table([
      ['notation / quiet ranges', 'instances', 'mnemonics (some)'],
      ...[...kinds.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => [k, n, [...rowsByKind.get(k)].slice(0, 8).join(' ')]),
    ]),
  );
  // One notation per row only works if nasm's range does not depend on the mode or the form.
  const rangesOfRow = new Map();
  for (const results of perInstance.values()) {
    const source = results[0].entry.row.source;
    if (!rangesOfRow.has(source)) rangesOfRow.set(source, new Set());
    rangesOfRow.get(source).add(quietRange(results, 'nasm'));
  }
  const mixed = [...rangesOfRow.entries()].filter(([, ranges]) => ranges.size > 1);
  console.log(`\n${mixed.length} rows whose range in nasm depends on the mode or the form`);
  for (const [source, ranges] of mixed.slice(0, flags.top)) console.log(`  ${source}: ${[...ranges].join(', ')}`);
  if (unreached.length > 0) {
    console.log(`\n${unreached.length} rows no instance reaches (not probed):`);
    for (const source of unreached.slice(0, flags.top)) console.log(`  ${source}`);
  }
  console.log(`\n${failures.length} differing lines:`);
  for (const f of failures.slice(0, flags.top))
    console.log(`  BITS ${f.bits} ${f.kind}: ${f.line}\n      nasm: ${f.nasm || '-'}\n    tsnasm: ${f.tsnasm || '-'}`);
  const file = writeFindings({ ...flags, seed: 0 }, 'imm-range-probe', failures);
  console.log(`\nfindings written to ${file}`);
}

export const IMM_RANGE_PROBE_DEFAULTS = {
  bits: '32,64',
  values: '0,127,128,255,256,257,-1,-127,-128,-129,-255,-256,-257',
  rows: '',
  top: 40,
  out: 'build/fuzz',
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { failures } = await runImmRangeProbe(parseFlags(process.argv.slice(2), IMM_RANGE_PROBE_DEFAULTS));
  process.exitCode = failures.length > 0 ? 1 : 0;
}
