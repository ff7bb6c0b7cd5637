/**
 * `-f elf64` and `-f elfx32` writers: x86-64 relocatable ELF files with RELA
 * relocations (ELF64, or ELF32 for the x32 ABI), laid out by writeElfObject
 * exactly as nasm 2.16.01 lays them out. Which R_X86_64_* type a field gets,
 * as measured against nasm (the assembler has already refused the
 * combinations nasm refuses, with nasm's messages, in src/asm/fields.ts):
 *
 *   plain or `wrt ..sym`  8/16/32(S)/64, PC8/16/32/64 when PC-relative;
 *                         32S when the CPU sign-extends the field
 *   `wrt ..got`           GOT32/GOT64, GOTPCREL when PC-relative
 *   `wrt ..gotpc`         GOTPC32 (any field size), GOTPCREL when PC-relative
 *   `wrt ..gotoff`        GOTOFF64 (qword only)
 *   `wrt ..plt`           PLT32 (PC-relative only)
 *   `wrt ..gottpoff`      GOTTPOFF (PC-relative only)
 */
import type { ObjectFile, Relocation } from '../asm/object.js';
import type { OutputWriter } from '../asm/writer.js';
import {
  EM_X86_64,
  R_X86_64_16,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_8,
  R_X86_64_GOT32,
  R_X86_64_GOT64,
  R_X86_64_GOTOFF64,
  R_X86_64_GOTPC32,
  R_X86_64_GOTPCREL,
  R_X86_64_GOTTPOFF,
  R_X86_64_PC16,
  R_X86_64_PC32,
  R_X86_64_PC64,
  R_X86_64_PC8,
  R_X86_64_PLT32,
} from '../elf/index.js';
import { ElfWriteError, writeElfObject, type ElfTarget } from './elf-object.js';

const ABSOLUTE: Readonly<Record<number, number>> = { 1: R_X86_64_8, 2: R_X86_64_16, 4: R_X86_64_32, 8: R_X86_64_64 };
const PC_RELATIVE: Readonly<Record<number, number>> = {
  1: R_X86_64_PC8,
  2: R_X86_64_PC16,
  4: R_X86_64_PC32,
  8: R_X86_64_PC64,
};

/** The R_X86_64_* type of a field (see the table above). */
export function x86_64RelocationType(r: Relocation): number {
  const { size, relative, wrt } = r;
  const cannot = (): never => {
    throw new ElfWriteError(
      `ELF64 output format cannot make a ${size * 8}-bit${relative ? ' PC-relative' : ''} \`wrt ..${wrt ?? ''}' relocation`,
    );
  };
  switch (wrt) {
    case null:
    case 'sym':
      if (relative) return PC_RELATIVE[size]!;
      return size === 4 && r.signed === true ? R_X86_64_32S : ABSOLUTE[size]!;
    case 'got':
      if (relative) return size === 4 ? R_X86_64_GOTPCREL : cannot();
      return size === 4 ? R_X86_64_GOT32 : size === 8 ? R_X86_64_GOT64 : cannot();
    case 'gotpc':
      if (relative) return size === 4 ? R_X86_64_GOTPCREL : cannot();
      return R_X86_64_GOTPC32;
    case 'gotoff':
      return !relative && size === 8 ? R_X86_64_GOTOFF64 : cannot();
    case 'plt':
      return relative && size === 4 ? R_X86_64_PLT32 : cannot();
    case 'gottpoff':
      return relative && size === 4 ? R_X86_64_GOTTPOFF : cannot();
    case 'tlsie':
      return cannot();
  }
}

/** nasm 2.16.01's elf64 and elfx32 drop the relocation of a branch to a plain address (measured: `jmp 0x1000`). */
const X86_64 = { machine: EM_X86_64, rela: true, relocationType: x86_64RelocationType, relocatesAbsolute: false };
const ELF64_X86_64: ElfTarget = { cls: 64, ...X86_64 };
const ELFX32_X86_64: ElfTarget = { cls: 32, ...X86_64 };

export function writeElf64(obj: ObjectFile): Uint8Array {
  return writeElfObject(obj, ELF64_X86_64);
}

export function writeElfx32(obj: ObjectFile): Uint8Array {
  return writeElfObject(obj, ELFX32_X86_64);
}

/** The `-f elf64` writer (src/asm/writer.ts). */
export const elf64Writer: OutputWriter = { format: 'elf64', write: writeElf64 };
/** The `-f elfx32` writer. */
export const elfx32Writer: OutputWriter = { format: 'elfx32', write: writeElfx32 };
