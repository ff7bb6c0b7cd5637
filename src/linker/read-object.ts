/**
 * What tsld accepts as input: little-endian relocatable objects, either
 * ELF32 i386 with REL relocations or ELF64 x86-64 with RELA relocations
 * (each machine's psABI choice). The structure is read by src/elf; this
 * module adds the linker's policy and names the file in every message.
 */
import {
  EI_CLASS,
  EI_DATA,
  ELFDATA2LSB,
  EM_386,
  EM_X86_64,
  ET_EXEC,
  ET_REL,
  ElfFormatError,
  SHT_REL,
  SHT_RELA,
  elfClassOf,
  hasElfMagic,
  readElfHeader,
  readRelocationSection,
  readSections,
  readSymbols,
  type ElfObject,
  type ElfRelocation,
} from '../elf/index.js';
import { LinkError } from './types.js';

/** An accepted object and the machine it was built for. */
export interface AcceptedObject {
  elf: ElfObject;
  machine: number;
}

/** Parses an ELF32 i386 or ELF64 x86-64 relocatable object. `name` is used in error messages. */
export function readElfObject(name: string, bytes: Uint8Array): AcceptedObject {
  try {
    return readAcceptedObject(bytes);
  } catch (e) {
    if (e instanceof ElfFormatError) throw new LinkError(`${name}: ${e.message}`);
    throw e;
  }
}

function fail(message: string): never {
  throw new ElfFormatError(message);
}

function readAcceptedObject(bytes: Uint8Array): AcceptedObject {
  if (!hasElfMagic(bytes)) fail('file format not recognized');
  if (bytes.length < 16) fail('truncated ELF header');
  const cls = elfClassOf(bytes[EI_CLASS]);
  if (cls === undefined) fail(`unknown ELF class ${bytes[EI_CLASS]}`);
  if (bytes[EI_DATA] !== ELFDATA2LSB) fail('big-endian ELF object is not supported');
  const header = readElfHeader(bytes, cls);
  if (header.e_type !== ET_REL)
    fail(
      header.e_type === ET_EXEC
        ? 'is an executable, not a relocatable object'
        : `not a relocatable object (e_type ${header.e_type})`,
    );
  const machine = cls === 32 ? EM_386 : EM_X86_64;
  if (header.e_machine !== machine)
    fail(
      `unsupported machine ${header.e_machine} (expected ${cls === 32 ? 'Intel 80386 in ELF32' : 'x86-64 in ELF64'})`,
    );
  // Each psABI fixes the relocation format: REL on i386, RELA on x86-64.
  const wanted = cls === 32 ? SHT_REL : SHT_RELA;
  const sections = readSections(bytes, cls, header);
  const symbols = readSymbols(bytes, cls, sections);
  const relocations = new Map<number, ElfRelocation[]>();
  for (const section of sections) {
    if (section.type === (cls === 32 ? SHT_RELA : SHT_REL))
      fail(
        `${cls === 32 ? 'RELA' : 'REL'} relocations (section ${section.name}) are not used on ${cls === 32 ? 'i386' : 'x86-64'} and not supported`,
      );
    if (section.type !== wanted) continue;
    relocations.set(section.info, readRelocationSection(bytes, cls, section, sections.length, symbols.length));
  }
  return { elf: { sections, symbols, relocations }, machine };
}
