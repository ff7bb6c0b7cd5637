/**
 * Shared pieces of the fuzzers: a seeded generator (so a failure reproduces
 * from its seed), command-line flags, nasm discovery, loading the built
 * library, and a small ELF32 reader that splits .text into bytes and
 * relocations so two objects can be compared instruction by instruction.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** xorshift32, seeded: every random choice of a run comes from here, so `--seed` replays it exactly. */
export function makeRandom(seed) {
  let state = (Math.imul(seed >>> 0, 2654435761) ^ 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

/** `--name value` and `--name=value` flags; bare `--flag` is true. */
export function parseFlags(argv, defaults) {
  const flags = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument '${argv[i]}'`);
    const [, name, inline] = m;
    if (!(name in defaults)) throw new Error(`unknown flag --${name}`);
    if (typeof defaults[name] === 'boolean') flags[name] = inline === undefined ? true : inline !== 'false';
    else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags[name] = typeof defaults[name] === 'number' ? Number(value) : value;
    }
  }
  return flags;
}

/** Refuses to run unless the reference nasm (and ndisasm, when asked) is on PATH. */
export function requireNasm({ ndisasm = false } = {}) {
  const version = spawnSync('nasm', ['-v'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('nasm is not on PATH: the fuzzers need nasm 2.16.01 as the oracle');
  if (!version.stdout.startsWith('NASM version 2.16.01'))
    console.warn(`warning: oracle is '${version.stdout.trim()}', not nasm 2.16.01; results may not transfer`);
  if (ndisasm && spawnSync('ndisasm', ['-h'], { encoding: 'utf8' }).error)
    throw new Error('ndisasm is not on PATH (it comes with nasm)');
}

/** The compiled library (dist/), which is what the CLI runs. */
export async function loadTsnasm() {
  const entry = join(repoRoot, 'dist', 'src', 'index.js');
  if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` first');
  return import(pathToFileURL(entry).href);
}

export function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

/**
 * The parts of an ELF32 or ELF64 relocatable object that one instruction can
 * affect: the bytes of .text and its REL/RELA relocations, each as
 * { offset, type, target } where target names the symbol (or section) and,
 * for RELA, ends in the addend (`sym+4`), which ELF64 keeps out of the bytes.
 */
export function readElfText(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const is64 = buf[4] === 2;
  const word = (at) => (is64 ? Number(buf.readBigUInt64LE(at)) : buf.readUInt32LE(at));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shnum = buf.readUInt16LE(is64 ? 0x3c : 0x30);
  const shstrndx = buf.readUInt16LE(is64 ? 0x3e : 0x32);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * (is64 ? 64 : 40);
    sections.push({
      nameOffset: buf.readUInt32LE(at),
      type: buf.readUInt32LE(at + 4),
      offset: word(at + (is64 ? 24 : 16)),
      size: word(at + (is64 ? 32 : 20)),
      link: buf.readUInt32LE(at + (is64 ? 40 : 24)),
      info: buf.readUInt32LE(at + (is64 ? 44 : 28)),
    });
  }
  const cString = (start) => buf.toString('latin1', start, buf.indexOf(0, start));
  const names = sections[shstrndx];
  for (const s of sections) s.name = names ? cString(names.offset + s.nameOffset) : '?';
  const text = sections.findIndex((s) => s.name === '.text');
  const symtab = sections.find((s) => s.type === 2);
  const symbolName = (index) => {
    if (!symtab || index === 0) return '*ABS*';
    const at = symtab.offset + index * (is64 ? 24 : 16);
    const info = buf[at + (is64 ? 4 : 12)] & 0xf;
    const shndx = buf.readUInt16LE(at + (is64 ? 6 : 14));
    if (info === 3) return `section:${sections[shndx]?.name ?? shndx}`;
    const strtab = sections[symtab.link];
    return strtab ? cString(strtab.offset + buf.readUInt32LE(at)) : `#${index}`;
  };
  const relocations = [];
  for (const s of sections) {
    if ((s.type !== 9 && s.type !== 4) || s.info !== text) continue;
    const size = s.type === 4 ? (is64 ? 24 : 12) : is64 ? 16 : 8;
    for (let at = s.offset; at < s.offset + s.size; at += size) {
      const type = is64 ? buf.readUInt32LE(at + 8) : buf[at + 4];
      const symbol = is64 ? buf.readUInt32LE(at + 12) : buf.readUInt32LE(at + 4) >>> 8;
      const addend = s.type !== 4 ? '' : is64 ? `${buf.readBigInt64LE(at + 16)}` : `${buf.readInt32LE(at + 8)}`;
      const target = symbolName(symbol) + (addend ? (addend.startsWith('-') ? addend : `+${addend}`) : '');
      relocations.push({ offset: word(at), type, target });
    }
  }
  const textSection = sections[text];
  const textBytes = textSection
    ? bytes.subarray(textSection.offset, textSection.offset + textSection.size)
    : new Uint8Array();
  return { text: textBytes, relocations };
}

/** Lines of a report table, columns padded. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => String(cell).padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Writes a probe's findings, one JSON record a line, to <out>/<name>-seed<seed>.jsonl; returns the path. */
export function writeFindings(flags, name, records) {
  const outDir = join(repoRoot, flags.out);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}-seed${flags.seed}.jsonl`);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

/**
 * The probes' source of one chunk: `bits N`, `org 0`, then per entry a `times` line filling up to its
 * slot's offset and its instruction; the last slot is filled to its end too (`slot` bytes), so a
 * slot's bytes do not depend on which lines are still live.
 */
export function slotSource(bits, entries, slot) {
  const lines = [`bits ${bits}`, 'org 0'];
  for (const e of entries) lines.push(`times ${e.off}-($-$$) db 0x90`, e.line);
  if (entries.length > 0) lines.push(`times ${entries[entries.length - 1].off + slot}-($-$$) db 0x90`);
  return lines.join('\n') + '\n';
}

/** The entry a line of slotSource belongs to: two header lines, then two lines per entry. */
export const slotEntryAtLine = (entries, lineNo) => entries[Math.floor((lineNo - 3) / 2)];

/*
 * Comparing one chunk of slotted lines (slotSource) between nasm and tsnasm, the probes' shared
 * engine (prefix-probe.mjs, forms-probe.mjs): nasm runs on `probe.asm` in `dir` (-f bin), tsnasm
 * in-process on the same source; each line's verdict is nasm's against tsnasm's.
 */

/** nasm's messages per entry, and the line it panicked on (nasm prints "panic: file:line: …"). */
function nasmMessages(stderr, entries) {
  const byEntry = new Map();
  let panicked = null;
  for (const text of stderr.split('\n')) {
    const panic = /^panic: probe\.asm:(\d+): (.*)$/.exec(text) ?? /^probe\.asm:(\d+): panic: (.*)$/.exec(text);
    if (panic) {
      panicked = slotEntryAtLine(entries, Number(panic[1])) ?? null;
      continue;
    }
    const m = /^probe\.asm:(\d+): (error|warning|fatal): (.*)$/.exec(text);
    if (!m) continue;
    const e = slotEntryAtLine(entries, Number(m[1]));
    if (!e) continue;
    if (!byEntry.has(e)) byEntry.set(e, []);
    byEntry.get(e).push(`${m[2]}: ${m[3]}`);
  }
  return { byEntry, panicked };
}

function runNasm(bits, entries, dir, slot) {
  const src = join(dir, 'probe.asm');
  const out = join(dir, 'probe.bin');
  writeFileSync(src, slotSource(bits, entries, slot));
  rmSync(out, { force: true });
  // A chunk takes nasm well under a second; a minute means a line made it loop or write without end.
  const r = spawnSync('nasm', ['-f', 'bin', 'probe.asm', '-o', out], { cwd: dir, encoding: 'utf8', timeout: 60000 });
  if (r.status === null)
    throw new Error(`nasm stopped by ${r.signal ?? r.error?.message} on ${join(dir, 'probe.asm')}`);
  const text = `${r.stdout}\n${r.stderr}`;
  return {
    status: r.status,
    ...nasmMessages(text, entries),
    output: r.status === 0 ? new Uint8Array(readFileSync(out)) : null,
  };
}

/** tsnasm on the same source: per-entry messages (nasm's spelling, without `file:line: `) and the output. */
function runTsnasm(tsnasm, bits, entries, slot) {
  let r;
  try {
    r = tsnasm.assemble(slotSource(bits, entries, slot), {
      fileName: 'probe.asm',
      format: 'bin',
      teachingRecords: false,
    });
  } catch (e) {
    return { crash: `${e?.constructor?.name ?? 'Error'}: ${e?.message ?? e}`, byEntry: new Map(), output: null };
  }
  const byEntry = new Map();
  for (const d of r.diagnostics) {
    if (!d.location?.line) continue;
    const e = slotEntryAtLine(entries, d.location.line);
    if (!e) continue;
    if (!byEntry.has(e)) byEntry.set(e, []);
    byEntry.get(e).push(tsnasm.formatDiagnostic(d).replace(/^probe\.asm:\d+: /, ''));
  }
  return { crash: null, byEntry, output: r.output ?? null };
}

const errorsOf = (messages) => (messages ?? []).filter((m) => !m.startsWith('warning: '));
const warningsOf = (messages) => (messages ?? []).filter((m) => m.startsWith('warning: '));
/** A slot's bytes, filler included: `48` and `48 90` must not compare equal. */
const slotBytes = (output, entries, i, slot) => hex(output.subarray(entries[i].off, entries[i].off + slot));
/** For reading only: a slot without its trailing 0x90 filler. */
const shown = (slot) => slot.replace(/(?:90)+$/, '');

/** tsnasm alone on one line at its slot (to tell "stopped before this line" from "accepts it"). */
function tsnasmAlone(tsnasm, bits, entry, slot) {
  const r = runTsnasm(tsnasm, bits, [entry], slot);
  if (r.crash) return { kind: 'crash', text: r.crash };
  if (r.output)
    return { kind: 'output', text: slotBytes(r.output, [entry], 0, slot), warnings: warningsOf(r.byEntry.get(entry)) };
  return { kind: 'rejects', text: errorsOf(r.byEntry.get(entry)).join(' / ') || 'no output, no error' };
}

/**
 * One chunk, in rounds. Returns per-entry findings:
 * { entry, kind: 'agree'|'bytes'|'warnings'|'rejects'|'accepts'|'message'|'crash'|'panic'|'panic-accepted', nasm, tsnasm }.
 */
export function probeSlotChunk(tsnasm, bits, entries, dir, slot) {
  const results = [];
  let live = entries;
  for (let round = 0; round < 200 && live.length > 0; round++) {
    const nasm = runNasm(bits, live, dir, slot);
    const ours = runTsnasm(tsnasm, bits, live, slot);
    if (nasm.status === 0) {
      finalRound(tsnasm, bits, live, nasm, ours, results, slot);
      return results;
    }
    if (nasm.panicked) {
      // The panic ends nasm's run, so the other lines' messages of this round are incomplete: only the panic line is judged.
      const e = nasm.panicked;
      const mine = errorsOf(ours.byEntry.get(e));
      const alone = mine.length > 0 ? null : tsnasmAlone(tsnasm, bits, e, slot);
      const refused = mine.length > 0 || alone.kind === 'rejects';
      results.push({
        entry: e,
        kind: refused ? 'panic' : 'panic-accepted',
        nasm: 'panic',
        tsnasm: mine.length > 0 ? mine.join(' / ') : alone.text,
      });
      live = live.filter((x) => x !== e);
      continue;
    }
    const blamed = live.filter((e) => errorsOf(nasm.byEntry.get(e)).length > 0);
    if (blamed.length === 0) throw new Error(`nasm failed (status ${nasm.status}) with no line to blame`);
    for (const e of blamed) {
      const theirs = errorsOf(nasm.byEntry.get(e)).join(' / ');
      const mineList = errorsOf(ours.byEntry.get(e));
      if (mineList.length > 0) {
        const mine = mineList.join(' / ');
        results.push({ entry: e, kind: mine === theirs ? 'agree' : 'message', nasm: theirs, tsnasm: mine });
        continue;
      }
      const alone = tsnasmAlone(tsnasm, bits, e, slot);
      if (alone.kind === 'output') alone.text = shown(alone.text);
      const kind =
        alone.kind === 'output'
          ? 'accepts'
          : alone.kind === 'crash'
            ? 'crash'
            : alone.text === theirs
              ? 'agree'
              : 'message';
      results.push({ entry: e, kind, nasm: theirs, tsnasm: alone.text });
    }
    const drop = new Set(blamed);
    live = live.filter((e) => !drop.has(e));
  }
  return results;
}

/** nasm assembled `live`: compare bytes and warnings, dropping the lines tsnasm refuses until it assembles too. */
function finalRound(tsnasm, bits, live, nasm, ours, results, slot) {
  let mineLive = live;
  let mine = ours;
  const refused = new Map();
  for (let round = 0; round < 50 && !mine.output; round++) {
    if (mine.crash) {
      for (const e of mineLive) refused.set(e, tsnasmAlone(tsnasm, bits, e, slot));
      mineLive = [];
      break;
    }
    const bad = mineLive.filter((e) => errorsOf(mine.byEntry.get(e)).length > 0);
    if (bad.length === 0) {
      for (const e of mineLive) refused.set(e, tsnasmAlone(tsnasm, bits, e, slot));
      mineLive = [];
      break;
    }
    for (const e of bad) refused.set(e, { kind: 'rejects', text: errorsOf(mine.byEntry.get(e)).join(' / ') });
    mineLive = mineLive.filter((e) => !refused.has(e));
    if (mineLive.length === 0) break;
    mine = runTsnasm(tsnasm, bits, mineLive, slot);
  }
  live.forEach((e, i) => {
    const theirs = slotBytes(nasm.output, live, i, slot);
    const theirWarnings = warningsOf(nasm.byEntry.get(e)).join(' / ');
    const alone = refused.get(e);
    if (alone) {
      if (alone.kind === 'output') {
        // Refused in the chunk but not alone: compare what it gives alone.
        const kind =
          alone.text !== theirs ? 'bytes' : alone.warnings.join(' / ') !== theirWarnings ? 'warnings' : 'agree';
        results.push({
          entry: e,
          kind,
          nasm: `${shown(theirs)} ${theirWarnings}`.trim(),
          tsnasm: `${shown(alone.text)} ${alone.warnings.join(' / ')}`.trim(),
        });
      } else
        results.push({
          entry: e,
          kind: alone.kind === 'crash' ? 'crash' : 'rejects',
          nasm: shown(theirs),
          tsnasm: alone.text,
        });
      return;
    }
    const j = mineLive.indexOf(e);
    const got = slotBytes(mine.output, mineLive, j, slot);
    const myWarnings = warningsOf(mine.byEntry.get(e)).join(' / ');
    if (got !== theirs) results.push({ entry: e, kind: 'bytes', nasm: shown(theirs), tsnasm: shown(got) });
    else if (myWarnings !== theirWarnings)
      results.push({ entry: e, kind: 'warnings', nasm: theirWarnings, tsnasm: myWarnings });
    else results.push({ entry: e, kind: 'agree', nasm: shown(theirs), tsnasm: shown(got) });
  });
}
