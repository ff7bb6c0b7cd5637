/**
 * `-f elf32` writer: an i386 relocatable ELF file (ELF32, REL relocations with
 * the addend in place), laid out by writeElfObject exactly as nasm 2.16.01
 * lays it out.
 */
import type { Relocation } from '../asm/object.js';
import {
  EM_386,
  R_386_16,
  R_386_32,
  R_386_8,
  R_386_GOT32,
  R_386_GOTOFF,
  R_386_GOTPC,
  R_386_PC16,
  R_386_PC32,
  R_386_PC8,
  R_386_PLT32,
  R_386_TLS_IE,
} from '../elf/index.js';
import type { ObjectFile } from '../asm/object.js';
import type { OutputWriter } from '../asm/writer.js';
import { ElfWriteError, writeElfObject, type ElfTarget } from './elf-object.js';

export { ElfWriteError } from './elf-object.js';

/**
 * The i386 relocation type for a field; `wrt ..x` selects the PIC and TLS types (psABI, "Relocation
 * Types"). The assembler has refused the fields nasm refuses (src/asm/fields.ts): what comes here
 * with a WRT is a dword, or a PC-relative `..plt` call.
 */
function relocationType({ size, relative, wrt }: Relocation): number {
  if (wrt !== null && wrt !== 'sym') {
    switch (wrt) {
      case 'gotpc':
        return R_386_GOTPC;
      case 'gotoff':
        return R_386_GOTOFF;
      case 'got':
        return R_386_GOT32;
      case 'plt':
        return R_386_PLT32;
      case 'tlsie':
        return R_386_TLS_IE;
      default:
        throw new ElfWriteError(`elf32 output format cannot make a \`wrt ..${wrt}' relocation`);
    }
  }
  switch (size) {
    case 4:
      return relative ? R_386_PC32 : R_386_32;
    case 2:
      return relative ? R_386_PC16 : R_386_16;
    case 1:
      return relative ? R_386_PC8 : R_386_8;
    default:
      throw new ElfWriteError('elf32 output format does not support 64-bit relocations');
  }
}

const ELF32_I386: ElfTarget = { cls: 32, machine: EM_386, rela: false, relocationType, relocatesAbsolute: true };

export function writeElf32(obj: ObjectFile): Uint8Array {
  return writeElfObject(obj, ELF32_I386);
}

/** The `-f elf32` writer (src/asm/writer.ts). */
export const elf32Writer: OutputWriter = { format: 'elf32', write: writeElf32 };
