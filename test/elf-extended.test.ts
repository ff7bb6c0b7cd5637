/**
 * ELF extended section numbering: 65281 section headers (nasm's moresecs test
 * in small). nasm's 5 MB object is recorded as its size and sha256
 * (scripts/gen-elf-extended-fixture.sh); tsnasm's output must hash the same,
 * and its header must say what the ELF rules say.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { assemble } from '../src/library/assemble.js';
import { repoRoot } from './helpers/golden.js';

const dir = join(repoRoot, 'fixtures', 'elf-extended');

test(
  '65281 section headers: e_shnum 0 and the count in section 0, byte-identical to nasm',
  { timeout: 600_000 },
  () => {
    const [size, sha256] = readFileSync(join(dir, 'expected.o.sha256'), 'utf8').trim().split(' ');
    const result = assemble(new Uint8Array(readFileSync(join(dir, 'source.asm'))), {
      fileName: 'source.asm',
      format: 'elf32',
      teachingRecords: false,
    });
    const out = result.output!;
    expect(out).toBeDefined();
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    expect(view.getUint16(0x30, true)).toBe(0); // e_shnum
    const shoff = view.getUint32(0x20, true);
    expect(view.getUint32(shoff + 20, true)).toBe(65281); // section 0's sh_size
    expect(String(out.length)).toBe(size);
    expect(createHash('sha256').update(out).digest('hex')).toBe(sha256);
  },
);
