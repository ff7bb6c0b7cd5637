/**
 * Just enough ELF to name an image's architecture: the identification bytes and
 * e_machine. The platform string follows the OCI/Go convention (GOARCH names).
 */
import { EM_386, EM_X86_64, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ET_DYN, ET_EXEC } from '../elf/constants.js';
import { ImageError } from './errors.js';

export type Architecture = '386' | 'amd64';

/** Reads the ELF header of `data` (named `name` in messages) and returns the image architecture. */
export function elfArchitecture(data: Uint8Array, name: string): Architecture {
  const isElf = data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
  if (!isElf) throw new ImageError(`${name}: not an ELF executable`);
  const elfClass = data[4];
  const headerSize = elfClass === ELFCLASS64 ? 64 : 52;
  if (data.length < headerSize) throw new ImageError(`${name}: truncated ELF header`);
  if (data[5] !== ELFDATA2LSB) throw new ImageError(`${name}: not a little-endian ELF file`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const type = view.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN) throw new ImageError(`${name}: ELF file is not an executable`);
  const machine = view.getUint16(18, true);
  if (elfClass === ELFCLASS32 && machine === EM_386) return '386';
  if (elfClass === ELFCLASS64 && machine === EM_X86_64) return 'amd64';
  throw new ImageError(
    `${name}: unsupported ELF machine ${String(machine)} in class ${String(elfClass)} (expected ELF32 i386 or ELF64 x86-64)`,
  );
}
