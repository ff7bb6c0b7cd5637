/**
 * Shared pieces of the fuzzers: a seeded generator (so a failure reproduces
 * from its seed), command-line flags, nasm discovery, loading the built
 * library, and a small ELF32 reader that splits .text into bytes and
 * relocations so two objects can be compared instruction by instruction.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
