/**
 * tsld on ELF64 x86-64 objects: the default output must be byte-identical to
 * `ld -m elf_x86_64 -z noseparate-code --build-id=none -z noexecstack` +
 * `strip -R .comment -s` (goldens committed by scripts/gen-linker-fixtures64.sh),
 * run natively with the recorded stdout and exit status, and be well-formed.
 */
import { spawnSync } from '../helpers/spawn.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readElfHeader, readRelocationSection, readSections, SHT_RELA, R_X86_64_NAMES } from '../../src/elf/index.js';
import { formatLinkDiagnostic, link } from '../../src/linker/index.js';
import { explainElf } from '../../src/listing/elf-explain.js';
import { hasTool, run, writeExecutable } from './helpers.js';
import {
  X64_GOLDEN,
  X64_OBJ,
  canRunX64,
  golden64,
  inspect64,
  problems64,
  programs64,
  readInput64,
} from './x64-helpers.js';

const hasReadelf = hasTool('readelf');
if (!canRunX64) console.warn('tsld x86-64 tests: this machine cannot run x86-64 executables; run checks SKIPPED');
if (!hasReadelf) console.warn('tsld x86-64 tests: readelf not found; readelf checks SKIPPED');

describe('x86-64 golden programs (ld -m elf_x86_64 + strip)', () => {
  for (const p of programs64()) {
    describe(p.name, () => {
      const result = link(p.inputs.map(readInput64), p.options);
      const golden = golden64(p.name);

      it('links without diagnostics', () => {
        expect(result.diagnostics).toEqual([]);
        expect(result.output).not.toBeNull();
      });

      it('is byte-identical to the committed ld+strip output', () => {
        expect(result.output!.length).toBe(golden.bytes.length);
        expect(Buffer.from(result.output!).equals(Buffer.from(golden.bytes))).toBe(true);
      });

      it('is an x86-64 executable a loader accepts', () => {
        expect(problems64(result.output!)).toEqual([]);
      });

      it.skipIf(!canRunX64)('runs natively: same stdout and exit status as the ld-linked program', () => {
        const r = run(writeExecutable(`x64-${p.name}`, result.output!));
        expect(r.stdout).toBe(golden.stdout);
        expect(r.status).toBe(golden.status);
      });

      it.skipIf(!hasReadelf)('readelf -a prints no warnings or errors', () => {
        const path = writeExecutable(`x64-readelf-${p.name}`, result.output!);
        const r = spawnSync('readelf', ['-a', '-W', path], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).not.toMatch(/warning|error/i);
      });
    });
  }

  it('hello64 is 568 bytes, loaded at 0x400000 with .text at 0x4000f0', () => {
    const out = link([readInput64('hello64.o')]).output!;
    expect(out.length).toBe(568);
    const image = inspect64(out);
    expect(image.entry).toBe(0x4000f0);
    expect(image.phdrs.map((p) => p.type)).toEqual([1, 1, 0x6474e551]);
    expect(image.phdrs[0]).toMatchObject({ offset: 0, vaddr: 0x400000, flags: 5 });
  });

  it('the PIC program gets a .got, a .got.plt and a PT_GNU_RELRO ending on a page boundary', () => {
    const out = link(['pic_main.o', 'pic_lib.o'].map(readInput64)).output!;
    const relro = inspect64(out).phdrs.find((p) => p.type === 0x6474e552);
    expect(relro).toBeDefined();
    expect((relro!.vaddr + relro!.memsz) % 0x1000).toBe(0);
  });
});

describe('x86-64 relocation coverage of the fixtures', () => {
  it('the objects use every relocation kind nasm and gas produce for static code', () => {
    const seen = new Set<string>();
    const objects = programs64()
      .flatMap((p) => p.inputs)
      .filter((n) => n.endsWith('.o'));
    for (const name of new Set(objects)) {
      const bytes = new Uint8Array(readFileSync(join(X64_OBJ, name)));
      const header = readElfHeader(bytes, 64);
      const sections = readSections(bytes, 64, header);
      for (const s of sections)
        if (s.type === SHT_RELA)
          for (const r of readRelocationSection(bytes, 64, s, sections.length, 1 << 30))
            seen.add(R_X86_64_NAMES[r.type] ?? String(r.type));
    }
    for (const kind of [
      'R_X86_64_64',
      'R_X86_64_32',
      'R_X86_64_32S',
      'R_X86_64_PC32',
      'R_X86_64_PLT32',
      'R_X86_64_16',
      'R_X86_64_8',
      'R_X86_64_PC16',
      'R_X86_64_GOTPCREL',
      'R_X86_64_GOTPCRELX',
      'R_X86_64_REX_GOTPCRELX',
      'R_X86_64_GOTOFF64',
      'R_X86_64_GOT64',
      'R_X86_64_SIZE32',
      'R_X86_64_SIZE64',
    ])
      expect(seen).toContain(kind);
  });
});

describe('x86-64 link errors', () => {
  it("mixing 32- and 64-bit objects gives ld's message", () => {
    const r = link(['hello64.o', 'mix32.o'].map(readInput64));
    expect(r.output).toBeNull();
    const ld = readFileSync(join(X64_GOLDEN, 'mix.ld-stderr'), 'utf8').trim();
    expect(r.diagnostics.map(formatLinkDiagnostic)).toEqual([ld.replace(/^ld: /, 'tsld: error: ')]);
  });

  it('the machine is the first object’s: 32-bit first makes the 64-bit object the odd one out', () => {
    const r = link(['mix32.o', 'hello64.o'].map(readInput64));
    expect(r.output).toBeNull();
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "i386:x86-64 architecture of input file `hello64.o' is incompatible with i386 output",
    ]);
  });

  it('an undefined symbol is reported like ld, and no file is produced', () => {
    const r = link([readInput64('multi_main.o')]);
    expect(r.output).toBeNull();
    expect(r.diagnostics[0]!.message).toBe(
      "multi_main.o: in function `_start': multi_main.asm:(.text+0x3): undefined reference to `greeting'",
    );
  });
});

describe('tsld --explain on ELF64', () => {
  it('names the ELF64 header and program header fields', () => {
    const text = explainElf(link([readInput64('hello64.o')]).output!, { colour: false });
    for (const field of ['EI_CLASS', 'e_machine', 'e_entry', 'e_phoff', 'e_shoff', 'p_type', 'p_flags', 'p_offset'])
      expect(text).toContain(field);
    expect(text).toMatch(/x86-64|X86_64|AMD x86-64/);
    expect(text).toMatch(/ELFCLASS64|64-bit/);
  });
});
