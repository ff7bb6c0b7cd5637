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

/** Cases that differ from nasm today: name → reason (class id in docs/fidelity-triage.md). */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  // bytes
  'nasm-test-baddq': 'C11 %assign of an 8-character string keeps 8 bytes; nasm keeps the low 4 (dq gives abcd0000)',
  'nasm-test-changed': 'C10 `jmp .1` written after `here:` resolves to the previous `.1` in tsnasm, to here.1 in nasm',
  'nasm-test-coffalign': 'C09 `section .text align=32` after `align=64`: nasm keeps the larger alignment (64)',
  'nasm-test-expimp': 'C12 `jmp strict` without size to a backward label is shortened; nasm keeps it near',
  'nasm-test-hle': 'C13 xacquire/xrelease mov [mem],reg: nasm uses 88/89, tsnasm the A2/A3 moffs form',
  'nasm-test-optimization': 'C12 -Ox lea/displacement sizes with forward-minus-backward label differences',
  'yasm-modules-arch-x86-tests-effaddr': 'C13 [eax+ecx+ebx-eax]: nasm picks base ebx index ecx after cancelling eax',
  'yasm-modules-arch-x86-tests-gas32-gas-movsd':
    'C10 a local label before any non-local label takes the last non-local label of the previous pass (movsl.text)',
  'yasm-modules-objfmts-bin-tests-float': 'C04 long decimal in dq rounds differently (last mantissa bit)',
  'yasm-modules-objfmts-elf-tests-elfequabs': 'P1 jmp to a numeric target in elf32: no R_386_PC32 *ABS* relocation',
  'yasm-modules-objfmts-elf-tests-elfvisibility': 'C09 global x:hidden/internal/protected not written to st_other',
  'yasm-modules-objfmts-elf-tests-nasm-forceident':
    'C09 quoted section names ("x", `x`, $x) are not kept as nasm keeps them',
  'yasm-modules-objfmts-elf-tests-nasm-sectname': 'C09 quoted section name keeps its quotes in nasm',
  'yasm-tests-nasm-jumps': 'P1 numeric jump targets in BITS 16 elf32: no R_386_PC16 *ABS* relocation, wrong addend',
  // rejected by tsnasm, accepted by nasm
  'nasm-test-avx-vnni': 'V1 `cpu latevex` and VEX/EVEX instructions (out of the legacy scope)',
  'nasm-test-avx005': 'V1 VEX instructions (out of the legacy scope)',
  'nasm-test-br3392363': 'V1 EVEX instructions (out of the legacy scope)',
  'nasm-test-pinsr16': 'V1 VEX instructions (vpinsrb)',
  'nasm-test-pinsr32': 'V1 VEX instructions (vpinsrb)',
  'yasm-modules-arch-x86-tests-avx16': 'V1 VEX instructions (vextractps)',
  'nasm-test-bcd': 'C03 packed BCD constant `765432109876543210p` in dt',
  'nasm-test-dtbcd': 'C03 packed BCD constants (via a macro)',
  'nasm-test-radix': 'C03 `0x` with no digits: nasm accepts it as 0 in 2.16.01',
  'nasm-test-uscore': 'C03 `$1e+16` is a hex number followed by +16, not a float',
  'nasm-test-floatx': 'C03 hex float spellings such as `$1.0`',
  'nasm-test-float': 'C05 bfloat16 data (`bf16` / __?bfloat16?__)',
  'nasm-test-binoverflow': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-bin-align': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-ldlinux-sects': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-multisect1': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-multisect2': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-multisect3': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-multisect5': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-nomultisect1': 'C01 [map ...] directive',
  'yasm-modules-objfmts-bin-tests-multisect-nomultisect2': 'C01 [map ...] directive',
  'nasm-test-insnlbl': 'C02 instruction names as labels (`do:`, then `dq+2` as an operand)',
  'ostutorial-01-bootsector-barebones-boot-sect-simple': 'C02 `loop:` as a label',
  'nasm-test-br3392707': 'C06 `%(...)` grouped data lists (nasm 2.16 syntax)',
  'nasm-test-dup': 'C06 `%(...)` grouped data lists and dup (nasm 2.16 syntax)',
  'yasm-modules-parsers-tasm-tests-dup': 'C06 `10 dup(1)` data syntax',
  'yasm-modules-parsers-tasm-tests-res': 'C06 `2 dup (?)` data syntax',
  'yasm-modules-parsers-nasm-tests-endcomma': 'C06 trailing comma in db',
  'yasm-modules-parsers-nasm-tests-long': 'C06 `long` size keyword',
  'yasm-modules-parsers-tasm-tests-array': 'C06 `t[1]` (symbol followed by a bracketed offset)',
  'nasm-test-br3392711': 'C07 single-line macro with %?? / greedy parameters',
  'nasm-test-join': 'C07 single-line macro with a string parameter and %, joins',
  'nasm-test-xdefine': 'C07 %xdefine with a macro-built name (_1digits)',
  'nasm-test-utf': 'C07 u()/w() string functions (nasm 2.16 %define forms)',
  'nasm-test-fwdoptpp': 'C07 %if on ($-$$) (an assembler value) inside a source nasm accepts',
  'yasm-modules-preprocs-nasm-tests-ifcritical-err': 'C07 %if on a symbol nasm can evaluate (teststringlen)',
  'nasm-test-elf-visibility': 'C09 `global sym:function (end - sym)` size expressions',
  'nasm-test-mpx': 'C13 MPX: bndstx [eax+3], bnd0, ebx',
  'nasm-test-smartalign16': 'C12 smartalign with align 256: tsnasm fails with "short jump is out of range"',
  'nasm-test-smartalign32': 'C12 smartalign with align 256: tsnasm fails with "short jump is out of range"',
  'yasm-libyasm-tests-externdef': 'C10 `extern foo` then `foo:` is accepted by nasm',
  'yasm-modules-parsers-nasm-tests-locallabel2': 'C10 numeric local labels (.0, .1)',
  'yasm-modules-objfmts-bin-tests-multisect-initbss':
    'C08 data in a nobits section: nasm warns (and ignores), tsnasm errors',
  'yasm-tests-nasm-binfmt': 'C08 data in a nobits section: nasm warns (and ignores), tsnasm errors',
  // same bytes, other diagnostics
  'nasm-test-alonesym-obj': 'C08 unknown section attribute printed lower-cased; nasm keeps the spelling',
  'nasm-travis-alonesym-obj-alonesym-obj': 'C08 unknown section attribute printed lower-cased; nasm keeps the spelling',
  'nasm-test-br3392439': 'C08 unknown section attribute printed lower-cased; nasm keeps the spelling',
  'nasm-test-br3028880': 'C08 missing pp-environment warning (nonexistent environment variable)',
  'nasm-test-br3392442': 'C08 extra "byte data exceeds bounds" on and byte [0], ~80h / -256',
  'nasm-test-obsolete': 'C08 obsolete-valid / obsolete-removed / obsolete-nop warnings',
  'nasm-test-pushseg': 'C08 obsolete-removed warning (pop cs)',
  'nasm-test-ptr': 'C08 `ptr` warning',
  'nasm-travis-macroerr-macroerr': 'C08 `ptr` warning (inside macros)',
  'nasm-test-warnstack': 'C08 [warning push/pop] stack and warn-stack-empty',
  'nasm-travis-dbxsize-dbxsize': 'C08 extra "attempt to initialize memory in BSS" warning nasm does not give',
  'yasm-libyasm-tests-times-res': 'C08 zeroing warning repeated per times iteration; nasm gives it once',
  'yasm-modules-objfmts-bin-tests-reserve': 'C08 zeroing warning repeated per times iteration; nasm gives it once',
  'yasm-modules-arch-x86-tests-addrop': 'C08 ea-dispsize warning',
  'yasm-modules-arch-x86-tests-div-err': 'C08 regsize warning (invalid register size specification ignored)',
  'yasm-modules-arch-x86-tests-ea-over': 'C08 number-overflow warning on an address displacement',
  'yasm-modules-objfmts-bin-tests-float-err': 'C08 float-overflow / float-toolong warnings',
  'yasm-modules-objfmts-elf-tests-elfmanysym': 'C08 pp-macro-params-legacy warning',
  'yasm-tests-nasm-string': 'C08 "character constant too long" instead of number-overflow',
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
