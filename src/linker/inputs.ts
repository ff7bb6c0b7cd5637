/**
 * Stage 1, readObjects: parse each input (object or archive) into typed
 * records. Invariant on exit: every InputFile's ELF structure is valid
 * (indices in range, data inside the file), and every section that can reach
 * the output has an InputSection with its own copy of the bytes.
 */
import {
  SHF_ALLOC,
  SHF_EXCLUDE,
  SHT_GROUP,
  SHT_NOBITS,
  SHT_NULL,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STT_FILE,
  SHF_TLS,
} from '../elf/index.js';
import { readElfObject } from './read-object.js';
import { LinkError } from './types.js';
import { isArchive, readArchive, type Archive } from './archive.js';
import type { InputFile, InputSection } from './types.js';

export type InputUnit = { kind: 'object'; file: InputFile } | { kind: 'archive'; name: string; archive: Archive };

/** Builds an InputFile from one relocatable object. */
export function loadObject(displayName: string, bytes: Uint8Array): InputFile {
  const { elf, machine } = readElfObject(displayName, bytes);
  const fileSymbol = elf.symbols.find((s) => s.type === STT_FILE && s.name !== '');
  const file: InputFile = {
    displayName,
    elf,
    machine,
    sourceName: fileSymbol ? fileSymbol.name : null,
    sections: [],
    globals: elf.symbols.map(() => null),
  };
  file.sections = elf.sections.map((sec): InputSection | null => {
    if (
      sec.type === SHT_NULL ||
      sec.type === SHT_SYMTAB ||
      sec.type === SHT_STRTAB ||
      sec.type === SHT_REL ||
      sec.type === SHT_RELA ||
      sec.type === SHT_GROUP
    )
      return null;
    // Non-allocated sections (.comment, .note.GNU-stack, debug info) end up
    // outside the image; `strip -R .comment -s` removes them from ld's output,
    // so tsld never emits them.
    if ((sec.flags & SHF_ALLOC) === 0 || (sec.flags & SHF_EXCLUDE) !== 0) return null;
    if ((sec.flags & SHF_TLS) !== 0)
      throw new LinkError(`${displayName}: thread-local section ${sec.name} is not supported`);
    const nobits = sec.type === SHT_NOBITS;
    return {
      file,
      name: sec.name,
      elf: sec,
      flags: sec.flags,
      nobits,
      size: sec.size,
      align: sec.addralign,
      data: nobits ? new Uint8Array(0) : sec.data.slice(),
      output: null,
      outputOffset: 0,
    };
  });
  return file;
}

export function readInputs(inputs: ReadonlyArray<{ name: string; data: Uint8Array }>): InputUnit[] {
  return inputs.map((input): InputUnit => {
    if (isArchive(input.data))
      return { kind: 'archive', name: input.name, archive: readArchive(input.name, input.data) };
    return { kind: 'object', file: loadObject(input.name, input.data) };
  });
}
