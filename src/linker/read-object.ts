/**
 * What tsld accepts as input: ELF32 little-endian i386 relocatable objects
 * with REL relocations. The structure is read by src/elf; this module adds
 * the linker's policy and names the file in every message.
 */
import {
  EI_CLASS,
  EI_DATA,
  ELFDATA2LSB,
  EM_386,
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

/** Parses an ELF32 i386 relocatable object. `name` is used in error messages. */
export function readElfObject(name: string, bytes: Uint8Array): ElfObject {
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

function readAcceptedObject(bytes: Uint8Array): ElfObject {
  if (!hasElfMagic(bytes)) fail('file format not recognized');
  if (bytes.length < 16) fail('truncated ELF header');
  const cls = elfClassOf(bytes[EI_CLASS]);
  if (cls === 64) fail('64-bit ELF object is not supported (tsld links ELF32 i386 only; assemble with -f elf32)');
  if (cls === undefined) fail(`unknown ELF class ${bytes[EI_CLASS]}`);
  if (bytes[EI_DATA] !== ELFDATA2LSB) fail('big-endian ELF object is not supported');
  const header = readElfHeader(bytes, cls);
  if (header.e_type !== ET_REL)
    fail(
      header.e_type === ET_EXEC
        ? 'is an executable, not a relocatable object'
        : `not a relocatable object (e_type ${header.e_type})`,
    );
  if (header.e_machine !== EM_386) fail(`unsupported machine ${header.e_machine} (expected Intel 80386)`);
  const sections = readSections(bytes, cls, header);
  const symbols = readSymbols(bytes, cls, sections);
  const relocations = new Map<number, ElfRelocation[]>();
  for (const section of sections) {
    if (section.type === SHT_RELA)
      fail(`RELA relocations (section ${section.name}) are not used on i386 and not supported`);
    if (section.type !== SHT_REL) continue;
    relocations.set(section.info, readRelocationSection(bytes, cls, section, sections.length, symbols.length));
  }
  return { sections, symbols, relocations };
}
