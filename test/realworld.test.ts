/**
 * Real-world corpus: every case folder under fixtures/realworld (see its
 * README.md) is assembled by tsnasm in-process and compared with what nasm
 * 2.16.01 produced for it (scripts/gen-realworld-fixtures.sh): byte-identical
 * output (ELF objects included: headers, symbols, relocations) and the same
 * diagnostics, in nasm's order.
 *
 * KNOWN_GAPS lists the cases that do not match yet, each with its reason and
 * the class in docs/fidelity-triage.md. A gap case is still assembled: if it
 * starts matching, the test fails and asks for its removal, so the list only
 * shrinks and never hides a passing case. When the folder holds no cases (the
 * corpus is not committed, see the README) the suite is skipped with a
 * visible message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble, type OutputFormat } from '../src/library/assemble.js';
import { formatDiagnostic } from '../src/core/diagnostics.js';
import { describeByteMismatch, outputExtension, readFileRelativeTo, repoRoot } from './helpers/golden.js';

/**
 * Cases that differ from nasm today (corpus of scripts/collect-realworld.mjs): name → what differs.
 * Entries with a class id (C01…) are described in docs/fidelity-triage.md.
 */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  // bytes differ
  'linuxnasm-support-examples-builds-automake-gtk3-window-main':
    'bytes: first difference at 0x540 (nasm 1600 bytes, tsnasm 1600)',
  'nasm-test-join': 'C07 single-line macro with a string parameter and %, joins',
  'nasm-test-prefixsym': 'bytes: first difference at 0xf4 (nasm 528 bytes, tsnasm 528)',
  'nasm-test-mostsecs':
    'bytes: 131072 sections: nasm uses ELF extended numbering (e_shnum 0, SHN_XINDEX, .symtab_shndx)',
  'yasm-modules-arch-x86-tests-effaddr': 'C13 [eax+ecx+ebx-eax]: nasm picks base ebx index ecx after cancelling eax',
  // rejected by tsnasm, accepted by nasm
  'nasm-test-br3392707': 'rejects `dw byte (?,44)`: expression syntax error',
  'nasm-test-br3392711': 'rejects `mov eax, label(%??, _1)`: expression syntax error',
  'nasm-test-dup': 'rejects `db 7 dup dword (?, word ?,?)`: expression syntax error',
  'nasm-test-elf-visibility': "rejects `foo_weak:`: symbol `weak' not defined",
  'nasm-test-float': 'rejects `bf16 1.0`: parser: instruction expected',
  'nasm-test-immwarn':
    'messages: `push`/`imul` immediates that overflow: nasm warns "signed byte value exceeds bounds", tsnasm "word value exceeds bounds"',
  'nasm-test-imul': 'rejects `test 64`: invalid combination of opcode and operands',
  'nasm-test-lar-lsl': 'rejects `m lar`: invalid combination of opcode and operands',
  'nasm-test-masmdisp': "rejects `%use masm`: unknown `%use' package: `masm'",
  'nasm-test-pcrel': 'rejects `mov eax,[baz - $]`: expression is not simple or relocatable',
  'nasm-test-relocs': 'rejects `mov eax,[a32 foo]`: expecting ] at end of memory operand',
  'nasm-test-utf': 'rejects `dw __utf16__ "Hello, World!"`: symbol `__utf16__\' not defined',
  'nasm-test-weirdpaste': 'rejects `df 1, 36`: comma expected after operand',
  'nasm-test-xdefine': 'rejects `db _1digits(8)`: expression syntax error',
  'nasm-travis-br3392707-br3392707': 'rejects `dw byte (?,44)`: expression syntax error',
  'nasm-travis-float-float': 'rejects `bf16 1.0`: parser: instruction expected',
  'nasm-travis-imul-imul': 'rejects `test 64`: invalid combination of opcode and operands',
  'nasm-travis-lar-lsl-lar-lsl': 'rejects `m lar`: invalid combination of opcode and operands',
  'nasm-travis-riprel-riprel': 'rejects `mov al,[a64 foo]`: expecting ] at end of memory operand',
  'nasm-travis-utf-utf': 'rejects `dw __utf16__ "Hello, World!"`: symbol `__utf16__\' not defined',
  'nasm-travis-weirdpaste-weirdpaste': 'rejects `df 1, 36`: comma expected after operand',
  'nasm-travis-xdefine-xdefine': 'rejects `db _1digits(8)`: expression syntax error',
  'yasm-modules-arch-x86-tests-riprel1': 'rejects `a32 mov rax, [qword val]`: impossible combination of address sizes',
  // same bytes, other diagnostics
  'nasm-test-addr64x':
    'messages: nasm line 8: warning: byte data exceeds bounds [-w+number-overflow]; tsnasm line 8: warning: byte data exceeds bounds [-w+number-overflow]',
  'nasm-test-br2496848':
    'messages: nasm line 9: warning: numeric constant 0x1ffffffffffffffff does not fit in 64 bits [-w+number-overflow]; tsnasm line 19: warning: absolute address can not be RIP-relative [-w+ea-absolute]',
  'nasm-test-br3028880':
    "messages: nasm line 7: warning: nonexistent environment variable `PROJECTBASEDIR' [-w+pp-environment]; tsnasm (none)",
  'nasm-test-br3041451':
    "messages: nasm line 17: warning: negative `%rep' count: -2 [-w+pp-rep-negative]; tsnasm (none)",
  'nasm-test-br3392442':
    'messages: nasm line 4: warning: byte data exceeds bounds [-w+number-overflow]; tsnasm line 3: warning: byte data exceeds bounds [-w+number-overflow]',
  'nasm-test-dtbcd':
    'messages: nasm line 71: warning: too many digits in BCD constant [-w+user]; tsnasm line 71: warning: too many digits in BCD constant [-w+user]',
  'nasm-test-obsolete':
    'messages: nasm line 4: warning: instruction obsolete but valid on the target CPU [-w+obsolete-valid]; tsnasm (none)',
  'nasm-test-pushseg':
    'messages: nasm line 17: warning: instruction obsolete and removed from the target CPU [-w+obsolete-removed]; tsnasm (none)',
  'nasm-travis-addr64x-addr64x':
    'messages: nasm line 5: warning: byte data exceeds bounds [-w+number-overflow]; tsnasm line 5: warning: byte data exceeds bounds [-w+number-overflow]',
  'nasm-travis-br2496848-br2496848':
    'messages: nasm line 8: warning: numeric constant 0x1ffffffffffffffff does not fit in 64 bits [-w+number-overflow]; tsnasm line 18: warning: absolute address can not be RIP-relative [-w+ea-absolute]',
  'nasm-travis-br3392442-br3392442':
    'messages: nasm line 2: warning: byte data exceeds bounds [-w+number-overflow]; tsnasm line 1: warning: byte data exceeds bounds [-w+number-overflow]',
  'yasm-modules-arch-x86-tests-addrop':
    'messages: nasm line 22: warning: displacement size ignored on absolute address [-w+ea-dispsize]; tsnasm (none)',
  'yasm-modules-arch-x86-tests-div-err':
    'messages: nasm line 1: warning: invalid register size specification ignored [-w+regsize]; tsnasm (none)',
  'yasm-modules-arch-x86-tests-ea-over':
    'messages: nasm line 4: warning: dword data exceeds bounds [-w+number-overflow]; tsnasm (none)',
  'yasm-modules-arch-x86-tests-imm64':
    'messages: nasm line 17: warning: signed dword immediate exceeds bounds [-w+number-overflow]; tsnasm line 17: warning: signed dword immediate exceeds bounds [-w+number-overflow]',
  'yasm-modules-arch-x86-tests-riprel2':
    'messages: nasm line 20: warning: es segment base generated, but will be ignored in 64-bit mode [-w+prefix-seg]; tsnasm line 20: warning: es segment base generated, but will be ignored in 64-bit mode [-w+prefix-seg]',
  'yasm-modules-arch-x86-tests-ripseg':
    'messages: nasm line 6: warning: es segment base generated, but will be ignored in 64-bit mode [-w+prefix-seg]; tsnasm line 6: warning: es segment base generated, but will be ignored in 64-bit mode [-w+prefix-seg]',
  'yasm-tests-nasm-string':
    'messages: nasm line 3: warning: character constant too long [-w+other]; tsnasm line 3: warning: dword data exceeds bounds [-w+number-overflow]',
};

const root = join(repoRoot, 'fixtures', 'realworld');

interface RealWorldCase {
  name: string;
  dir: string;
  format: OutputFormat;
}

function listCases(): RealWorldCase[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'format')))
    .map((e): RealWorldCase => {
      const format = readFileSync(join(root, e.name, 'format'), 'utf8').trim();
      if (format !== 'bin' && format !== 'elf32' && format !== 'elf64')
        throw new Error(`${e.name}: unknown format '${format}'`);
      return { name: e.name, dir: join(root, e.name), format };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** null when tsnasm matches nasm; otherwise what differs, first thing first. */
function mismatch(c: RealWorldCase): string | null {
  const base = join(c.dir, `expected.${outputExtension[c.format]}`);
  const nasmStderr = readFileSync(`${base}.stderr`, 'utf8').trim();
  const result = assemble(new Uint8Array(readFileSync(join(c.dir, 'source.asm'))), {
    fileName: 'source.asm',
    format: c.format,
    readFile: readFileRelativeTo(c.dir),
    teachingRecords: false,
  });
  const ours = (result.reportOrder ?? [...result.diagnostics.keys()])
    .map((i) => formatDiagnostic(result.diagnostics[i]!))
    .join('\n')
    .trim();
  if (!existsSync(base)) {
    if (result.output) return `nasm failed (${nasmStderr}), tsnasm assembled it`;
    return ours.split('\n')[0] === nasmStderr.split('\n')[0]
      ? null
      : `first error differs:\n${ours}\nnasm:\n${nasmStderr}`;
  }
  if (!result.output) return `nasm assembled it, tsnasm failed:\n${ours}`;
  const bytes = describeByteMismatch(new Uint8Array(readFileSync(base)), result.output, c.format);
  if (bytes !== null) return bytes;
  return ours === nasmStderr ? null : `diagnostics differ:\ntsnasm:\n${ours}\nnasm:\n${nasmStderr}`;
}

const cases = listCases();

describe('real-world corpus (fixtures/realworld)', () => {
  if (cases.length === 0) {
    console.warn('realworld tests SKIPPED: fixtures/realworld holds no cases (see fixtures/realworld/README.md)');
    test.skip('no real-world cases present', () => undefined);
    return;
  }
  for (const c of cases) {
    const gap = KNOWN_GAPS[c.name];
    // A few cases are large (nasm's 131072-section mostsecs): minutes under load, not the default minute.
    test(`${c.name} (${c.format})${gap ? ' [known gap]' : ''}`, { timeout: 600_000 }, () => {
      const problem = mismatch(c);
      if (gap) {
        expect(problem, `${c.name} now matches nasm: remove it from KNOWN_GAPS (${gap})`).not.toBeNull();
      } else if (problem !== null) {
        expect.fail(problem);
      }
    });
  }
  test('every KNOWN_GAPS entry names a case that exists', () => {
    const names = new Set(cases.map((c) => c.name));
    expect(Object.keys(KNOWN_GAPS).filter((name) => !names.has(name))).toEqual([]);
  });
});
