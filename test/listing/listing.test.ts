/**
 * `-l` listings against nasm 2.16.01's own (fixtures/golden/<case>/expected.lst,
 * made with `nasm -f elf32 [args] source.asm -l expected.lst`).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/library/assemble.js';
import { renderListing } from '../../src/listing/index.js';
import { listingCases, renderCase } from './golden-cases.js';
import { listGoldenCases } from '../helpers/golden.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';

const cases = listingCases();
/** Each case's listing, rendered once: the count below reuses what the per-case tests rendered. */
const rendered = new Map<string, string>();
const listingOf = (c: (typeof cases)[number]): string => {
  let text = rendered.get(c.name);
  if (text === undefined) rendered.set(c.name, (text = renderCase(c)));
  return text;
};

describe('listing goldens (nasm -l)', () => {
  it('has a golden listing for every golden case', () => {
    const listed = new Set(cases.map((c) => c.name));
    const missing = listGoldenCases()
      .map((c) => c.name)
      .filter((name) => !listed.has(name));
    expect(missing, 'run scripts/gen-listing-fixtures.sh to make their expected.lst').toEqual([]);
  });

  for (const c of cases.filter((c) => !KNOWN_DIFFERENCES.has(c.name))) {
    it(`${c.name}: identical to nasm's listing`, () => {
      expect(listingOf(c)).toBe(c.expected);
    });
  }

  it('counts identical listings over all cases', () => {
    const identical = cases.filter((c) => listingOf(c) === c.expected).map((c) => c.name);
    const nowMatching = identical.filter((name) => KNOWN_DIFFERENCES.has(name));
    console.info(
      `listing: ${identical.length}/${cases.length} identical to nasm` +
        (nowMatching.length ? `; now matching, remove from KNOWN_DIFFERENCES: ${nowMatching.join(' ')}` : ''),
    );
    expect(identical.length).toBeGreaterThanOrEqual(cases.length - KNOWN_DIFFERENCES.size);
  });
});

describe('listing layout details', () => {
  const list = (source: string): string[] => {
    const result = assemble(source, { fileName: 't.asm', format: 'elf32' });
    return renderListing(result, source, { fileName: 't.asm' }).split('\n');
  };

  it('wraps data after nine bytes with a `-` mark and a continuation line carrying the address', () => {
    const lines = list('section .data\ndb 1,2,3,4,5,6,7,8,9,10,11\n');
    expect(lines[1]).toBe('     2 00000000 010203040506070809-     db 1,2,3,4,5,6,7,8,9,10,11');
    expect(lines[2]).toBe('     2 00000009 0A0B               ');
  });

  it('never splits a relocated field and brackets it by kind', () => {
    const lines = list('bits 32\nextern e\nsection .text\nx: mov dword [x], e\ncall e\n');
    expect(lines[3]).toBe('     4 00000000 C705[00000000]-         x: mov dword [x], e');
    expect(lines[4]).toBe('     4 00000006 [00000000]         ');
    expect(lines[5]).toContain('E8(00000000)');
  });

  it('shows one repetition of TIMES with <rep Nh>, reservations as ?? or <res Nh>', () => {
    const lines = list('section .text\ntimes 17 nop\nsection .bss\nresb 2\nresb 9\n');
    expect(lines[1]).toMatch(/^ {5}2 00000000 90<rep 11h> {13}times 17 nop$/);
    expect(lines[3]).toContain('00000000 ????');
    expect(lines[4]).toContain('00000002 <res 9h>');
  });

  it('-Lm lists each macro call with the parameters it receives (as nasm 2.16.01 -Lm does)', () => {
    // Expected lines copied from `nasm -f elf32 -Lm` on the same source.
    const source = '%define X 5\n%macro m 1-3 7\n db %1\n%endmacro\nm X\nm  1 , {2,3}\n';
    const result = assemble(source, { fileName: 't.asm', format: 'elf32' });
    expect(renderListing(result, source, { fileName: 't.asm', macroCalls: true })).toBe(
      [
        '     1                                  %define X 5',
        '     2                                  %macro m 1-3 7',
        '     3                                   db %1',
        '     4                                  %endmacro',
        '     5                                  m X',
        '     5                                   ;;; [macro] m {5},{7}',
        '     3 00000000 05                  <1>  db %1',
        '     6                                  m  1 , {2,3}',
        '     6                                   ;;; [macro] m {1},{2,3}',
        '     3 00000001 01                  <1>  db %1',
        '',
      ].join('\n'),
    );
    expect(renderListing(result, source, { fileName: 't.asm' })).not.toContain(';;;');
  });

  it('puts diagnostics under their line', () => {
    const lines = list('bits 32\nmov al, ebx\n');
    expect(lines[2]).toBe('     2          ******************       error: invalid combination of opcode and operands');
  });
});
