/**
 * Loads a static ELF executable as Linux's binfmt_elf does for a program
 * without an interpreter: each PT_LOAD segment mapped at its address (file
 * bytes, then zeros up to p_memsz), the break just past the highest segment,
 * and the initial stack: argc, argv, envp, the auxiliary vector, and the
 * strings and AT_RANDOM bytes they point to.
 */
import {
  EI_NIDENT,
  EM_386,
  EM_X86_64,
  ET_EXEC,
  PROGRAM_HEADER,
  PT_INTERP,
  PT_LOAD,
  elfClassOf,
  readElfHeader,
  readStruct,
  viewOf,
  ELF_SIZES,
} from '../elf/index.js';
import type { Mode } from './decode.js';
import { PAGE_SIZE, type Memory } from './memory.js';

/** The file cannot be run: the message says why (not ELF, wrong machine, dynamically linked…). */
export class LoadError extends Error {}

export interface LoadedImage {
  mode: Mode;
  entry: number;
  /** Initial program break (page-aligned end of the highest segment). */
  brk: number;
  stackPointer: number;
  /** Address of the program headers in memory (AT_PHDR), 0 if no segment covers them. */
  phdr: number;
}

const STACK_TOP: Record<Mode, number> = { 32: 0xc0000000, 64: 0x7ffffffff000 };
/** Stack mapped up front (Linux grows it on demand; first version maps a fixed 1 MiB). */
export const STACK_SIZE = 1 << 20;

const AT = { NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12 };
const AT_GID = 13;
const AT_EGID = 14;
const AT_PLATFORM = 15;
const AT_HWCAP = 16;
const AT_CLKTCK = 17;
const AT_SECURE = 23;
const AT_RANDOM = 25;
const AT_EXECFN = 31;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export interface StartInfo {
  argv: readonly string[];
  env: readonly string[];
  /** The 16 AT_RANDOM bytes (fixed by default so runs repeat). */
  random: Uint8Array;
}

export function loadElf(bytes: Uint8Array, memory: Memory, start: StartInfo): LoadedImage {
  if (bytes.length < EI_NIDENT || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    throw new LoadError('not an ELF file');
  const cls = elfClassOf(bytes[4]);
  if (!cls) throw new LoadError('unknown ELF class');
  const header = readElfHeader(bytes, cls);
  const mode: Mode = cls;
  if (header.e_machine !== (cls === 32 ? EM_386 : EM_X86_64))
    throw new LoadError(`not an ${cls === 32 ? 'i386' : 'x86-64'} executable (e_machine ${header.e_machine})`);
  if (header.e_type !== ET_EXEC) throw new LoadError('not a static executable (e_type is not ET_EXEC)');
  const view = viewOf(bytes);
  const phSize = ELF_SIZES[cls].programHeader;
  if (header.e_phoff + header.e_phnum * phSize > bytes.length) throw new LoadError('program headers out of range');
  let brk = 0;
  let phdr = 0;
  for (let i = 0; i < header.e_phnum; i++) {
    const ph = readStruct(view, header.e_phoff + i * phSize, PROGRAM_HEADER[cls]);
    if (ph.p_type === PT_INTERP) throw new LoadError('dynamically linked executables are not supported');
    if (ph.p_type !== PT_LOAD || ph.p_memsz === 0) continue;
    if (ph.p_offset + ph.p_filesz > bytes.length) throw new LoadError(`segment ${i} runs past the end of the file`);
    const writable = (ph.p_flags & 2) !== 0;
    memory.map(ph.p_vaddr, ph.p_memsz, true);
    memory.load(ph.p_vaddr, bytes.subarray(ph.p_offset, ph.p_offset + ph.p_filesz));
    if (!writable) memory.protect(ph.p_vaddr, ph.p_memsz);
    if (header.e_phoff >= ph.p_offset && header.e_phoff < ph.p_offset + ph.p_filesz)
      phdr = ph.p_vaddr + (header.e_phoff - ph.p_offset);
    brk = Math.max(brk, alignUp(ph.p_vaddr + ph.p_memsz, PAGE_SIZE));
  }
  if (brk === 0) throw new LoadError('no loadable segments');
  const top = STACK_TOP[mode];
  memory.map(top - STACK_SIZE, STACK_SIZE, true);
  const auxv: Array<[number, number]> = [
    [AT.PHDR, phdr],
    [AT.PHENT, phSize],
    [AT.PHNUM, header.e_phnum],
    [AT.PAGESZ, PAGE_SIZE],
    [AT.BASE, 0],
    [AT.FLAGS, 0],
    [AT.ENTRY, header.e_entry],
    [AT.UID, 0],
    [AT.EUID, 0],
    [AT_GID, 0],
    [AT_EGID, 0],
    [AT_HWCAP, 0],
    [AT_CLKTCK, 100],
    [AT_SECURE, 0],
  ];
  const stackPointer = buildStack(memory, mode, top, start, auxv);
  return { mode, entry: header.e_entry, brk, stackPointer, phdr };
}

/** Writes the strings, AT_RANDOM, then argc/argv/envp/auxv (16-byte aligned at argc) below `top`. */
function buildStack(memory: Memory, mode: Mode, top: number, start: StartInfo, auxv: Array<[number, number]>): number {
  const word = mode / 8;
  const encoder = new TextEncoder();
  let sp = top - word; // end marker
  const putString = (s: string): number => {
    const b = encoder.encode(s + '\0');
    sp -= b.length;
    memory.writeBytes(sp, b);
    return sp;
  };
  const execfn = putString(start.argv[0] ?? '');
  const envAddrs = start.env.map(putString);
  const argAddrs = start.argv.map(putString);
  const platform = putString(mode === 64 ? 'x86_64' : 'i686');
  sp -= 16;
  sp -= sp % 16;
  const random = sp;
  memory.writeBytes(random, start.random);
  auxv.push([AT_PLATFORM, platform], [AT_RANDOM, random], [AT_EXECFN, execfn], [AT.NULL, 0]);
  const words: number[] = [start.argv.length, ...argAddrs, 0, ...envAddrs, 0];
  for (const [k, v] of auxv) words.push(k, v);
  sp -= words.length * word;
  sp -= sp % 16; // (not `& ~15`: 64-bit addresses exceed JavaScript's 32-bit bitwise operators)
  words.forEach((w, i) => {
    if (word === 8) memory.write64(sp + i * word, w >>> 0, Math.floor(w / 4294967296));
    else memory.write32(sp + i * word, w);
  });
  return sp;
}
