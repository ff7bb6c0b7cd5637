/** Shared helpers for the x86-64 tsld tests: fixture access, native runs, an independent ELF64 reader. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, run, writeExecutable } from './helpers.js';

export const X64 = join(FIXTURES, 'x64');
export const X64_OBJ = join(X64, 'obj');
export const X64_GOLDEN = join(X64, 'golden');

export interface Program64 {
  name: string;
  options: { entry?: string; textAddress?: number };
  inputs: string[];
}

/** fixtures/linker/x64/programs.txt, shared with scripts/gen-linker-fixtures64.sh. */
export function programs64(): Program64[] {
  return readFileSync(join(X64, 'programs.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [name, args, inputs] = l.split('|');
      const words = args!.split(/\s+/).filter(Boolean);
      const options: Program64['options'] = {};
      for (let i = 0; i < words.length; i++) {
        if (words[i] === '-e') options.entry = words[++i]!;
        else if (words[i] === '-Ttext') options.textAddress = Number(words[++i]);
        else throw new Error(`programs.txt: unknown argument ${words[i]}`);
      }
      return { name: name!, options, inputs: inputs!.split(/\s+/).filter(Boolean) };
    });
}

export function readInput64(name: string): { name: string; data: Uint8Array } {
  return { name, data: new Uint8Array(readFileSync(join(X64_OBJ, name))) };
}

export function golden64(name: string): { bytes: Uint8Array; stdout: string; status: number } {
  return {
    bytes: new Uint8Array(readFileSync(join(X64_GOLDEN, name))),
    stdout: readFileSync(join(X64_GOLDEN, `${name}.stdout`), 'utf8'),
    status: Number(readFileSync(join(X64_GOLDEN, `${name}.status`), 'utf8').trim()),
  };
}

/** True when this machine runs x86-64 Linux executables (probe with the committed ld-linked hello64). */
export const canRunX64 = (() => {
  if (process.platform !== 'linux') return false;
  const r = run(writeExecutable('probe-hello64', golden64('hello64').bytes));
  return !r.error && r.status === 0 && r.stdout === 'Hello World\n';
})();

export interface Phdr64 {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface Elf64Image {
  cls: number;
  machine: number;
  entry: number;
  phdrs: Phdr64[];
  shnum: number;
}

/** A minimal ELF64 executable reader, written apart from src/elf so the tests check it independently. */
export function inspect64(bytes: Uint8Array): Elf64Image {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (o: number) => Number(v.getBigUint64(o, true));
  const phoff = u64(32);
  const phnum = v.getUint16(56, true);
  const phdrs: Phdr64[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 56;
    phdrs.push({
      type: v.getUint32(o, true),
      flags: v.getUint32(o + 4, true),
      offset: u64(o + 8),
      vaddr: u64(o + 16),
      filesz: u64(o + 32),
      memsz: u64(o + 40),
      align: u64(o + 48),
    });
  }
  return { cls: bytes[4]!, machine: v.getUint16(18, true), entry: u64(24), phdrs, shnum: v.getUint16(60, true) };
}

/** Loader-level invariants: every PT_LOAD maps consistently and the entry is in executable memory. */
export function problems64(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  const image = inspect64(bytes);
  if (image.cls !== 2 || image.machine !== 62) problems.push('not an ELF64 x86-64 file');
  const loads = image.phdrs.filter((p) => p.type === 1);
  for (const p of loads) {
    if (p.offset % 0x1000 !== p.vaddr % 0x1000) problems.push(`PT_LOAD ${p.vaddr.toString(16)}: offset ≢ vaddr`);
    if (p.filesz > p.memsz) problems.push('p_filesz > p_memsz');
    if (p.offset + p.filesz > bytes.length) problems.push('segment extends past end of file');
  }
  if (!loads.some((p) => p.flags & 1 && image.entry >= p.vaddr && image.entry < p.vaddr + p.memsz))
    problems.push(`entry ${image.entry.toString(16)} not in an executable segment`);
  return problems;
}
