/** Shared helpers for the tsld tests: fixture access, tool detection, ELF inspection. */
import { spawnSync } from '../helpers/spawn.js';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURES = join(ROOT, 'fixtures/linker');
export const OBJ = join(FIXTURES, 'obj');
export const GOLDEN = join(FIXTURES, 'golden');

export interface Program {
  name: string;
  args: string[];
  inputs: string[];
}

/** fixtures/linker/programs.txt, shared with scripts/gen-linker-fixtures.sh. */
export function programs(): Program[] {
  return readFileSync(join(FIXTURES, 'programs.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [name, args, inputs] = l.split('|');
      return { name: name!, args: args!.split(/\s+/).filter(Boolean), inputs: inputs!.split(/\s+/).filter(Boolean) };
    });
}

/** The link options a programs.txt argument list stands for (-e, -Ttext). */
export function optionsFromArgs(args: string[]): { entry?: string | undefined; textAddress?: number } {
  const options: { entry?: string | undefined; textAddress?: number } = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-e') options.entry = args[++i];
    else if (args[i] === '-Ttext') options.textAddress = Number(args[++i]);
    else throw new Error(`programs.txt: unknown argument ${args[i]}`);
  }
  return options;
}

export function readInput(name: string): { name: string; data: Uint8Array } {
  return { name, data: new Uint8Array(readFileSync(join(OBJ, name))) };
}

/** The GNU ld options whose output (after strip) tsld's default mode reproduces, per machine. */
export function ldReferenceArgs(machine: 'elf_i386' | 'elf_x86_64'): string[] {
  return ['-m', machine, '-z', 'noseparate-code', '--build-id=none', '-z', 'noexecstack'];
}

export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).status === 0;
}

export const scratch = mkdtempSync(join(tmpdir(), 'tsld-test-'));

/** Writes an executable into the scratch directory and returns its path. */
export function writeExecutable(name: string, bytes: Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  chmodSync(path, 0o755);
  return path;
}

export function run(
  path: string,
  runner?: string,
): { stdout: string; status: number | null; error?: Error | undefined } {
  const r = runner
    ? spawnSync(runner, [path], { encoding: 'utf8', timeout: 10_000 })
    : spawnSync(path, [], { encoding: 'utf8', timeout: 10_000 });
  // stdout is null, not a string, when the program could not be started (the typings say string).
  return { stdout: r.error ? '' : r.stdout, status: r.status, error: r.error };
}

/** True when this machine executes i386 ELF binaries directly (probe with the committed golden hello). */
export const canRunI386 = (() => {
  const golden = join(GOLDEN, 'hello');
  if (!existsSync(golden)) return false;
  const r = run(writeExecutable('probe-hello', new Uint8Array(readFileSync(golden))));
  return !r.error && r.status === 0 && r.stdout === 'Hello World\n';
})();

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}
export interface SectionHeader {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

/** Minimal, independent ELF32 executable parser for structural checks. */
export function inspect(bytes: Uint8Array): { entry: number; phdrs: ProgramHeader[]; shdrs: SectionHeader[] } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = v.getUint32(28, true);
  const shoff = v.getUint32(32, true);
  const phnum = v.getUint16(44, true);
  const shnum = v.getUint16(48, true);
  const shstrndx = v.getUint16(50, true);
  const phdrs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 32;
    phdrs.push({
      type: v.getUint32(o, true),
      offset: v.getUint32(o + 4, true),
      vaddr: v.getUint32(o + 8, true),
      filesz: v.getUint32(o + 16, true),
      memsz: v.getUint32(o + 20, true),
      flags: v.getUint32(o + 24, true),
      align: v.getUint32(o + 28, true),
    });
  }
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 40;
    raw.push({
      nameOff: v.getUint32(o, true),
      type: v.getUint32(o + 4, true),
      flags: v.getUint32(o + 8, true),
      addr: v.getUint32(o + 12, true),
      offset: v.getUint32(o + 16, true),
      size: v.getUint32(o + 20, true),
    });
  }
  const strOff = shnum ? raw[shstrndx]!.offset : 0;
  const name = (off: number) => {
    let s = '';
    for (let i = strOff + off; bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  };
  return { entry: v.getUint32(24, true), phdrs, shdrs: raw.map((r) => ({ ...r, name: name(r.nameOff) })) };
}

export const PT_LOAD = 1;
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
export const SHT_NOBITS = 8;

/** Structural invariants every tsld executable must satisfy; returns a list of problems. */
export function structuralProblems(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  const { entry, phdrs, shdrs } = inspect(bytes);
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) problems.push('no PT_LOAD');
  for (const p of loads) {
    if (p.offset % 0x1000 !== p.vaddr % 0x1000)
      problems.push(`PT_LOAD at ${p.vaddr.toString(16)}: p_offset ≢ p_vaddr mod page`);
    if (p.filesz > p.memsz) problems.push('p_filesz > p_memsz');
    if (p.offset + p.filesz > bytes.length) problems.push('segment extends past end of file');
  }
  if (!loads.some((p) => p.flags & 1 && entry >= p.vaddr && entry < p.vaddr + p.memsz))
    problems.push(`entry ${entry.toString(16)} not in an executable segment`);
  for (const s of shdrs) {
    if (!(s.flags & SHF_ALLOC)) continue;
    const seg = loads.find((p) => s.addr >= p.vaddr && s.addr + s.size <= p.vaddr + p.memsz);
    if (!seg) {
      problems.push(`${s.name} not inside any PT_LOAD`);
      continue;
    }
    if (s.type !== SHT_NOBITS && s.offset - seg.offset !== s.addr - seg.vaddr)
      problems.push(`${s.name}: file offset does not match its segment mapping`);
    if (s.flags & SHF_WRITE && !(seg.flags & 2)) problems.push(`${s.name} writable but its segment is not`);
    if (s.flags & SHF_EXECINSTR && !(seg.flags & 1)) problems.push(`${s.name} executable but its segment is not`);
  }
  return problems;
}
