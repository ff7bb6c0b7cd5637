/**
 * nasm's `disp[regs]` operands (issue 11): a displacement written before the
 * brackets joins the address inside them. Both parsers (the grammar and the
 * fast path) must build for `4[ebx]` the very tree they build for `[ebx+4]`,
 * and the assembler must then give the same bytes. The bytes nasm gives, its
 * messages and its `ptr` warnings are checked against real nasm by the golden
 * cases fixtures/golden/{prefix-displacement,err-prefix-displacement,
 * err-ptr-undefined} and fixtures/golden64/prefix-displacement64.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IToken } from 'chevrotain';
import { lexLine, retypeKeywords } from '../../grammar/tokens.js';
import { fastOperand } from '../../grammar/fast-operands.js';
import { parseOperandByGrammar } from '../../grammar/operands.js';
import { lookupRegister } from '../../src/encoder/registers.js';
import { assemble } from '../../src/index.js';
import { main } from '../../src/cli/tsnasm.js';
import { runMain } from '../helpers/cli-io.js';

const namer = (s: string): string => s;

function tokensOf(text: string): IToken[] {
  const { tokens } = lexLine(text);
  retypeKeywords(tokens, (lower) => lookupRegister(lower) !== undefined);
  return tokens;
}

/** [prefix form, the bracketed form nasm reads it as] */
const SAME_ADDRESS: ReadonlyArray<[string, string]> = [
  ['4[ebx]', '[ebx+4]'],
  ['4 [ebx]', '[ebx+4]'],
  ['x[ebx+2]', '[ebx+2+x]'],
  ['(x)[ebx]', '[ebx+x]'],
  ['3+4[ebx*2]', '[ebx*2+(3+4)]'],
  ['-4[ebx]', '[ebx+-4]'],
  ['ebx[ecx]', '[ecx+ebx]'],
  ['dword ptr [eax]', 'dword [eax+ptr]'],
  ['strict dword 4[byte ebx]', 'strict dword [byte ebx+4]'],
  ['4[nosplit ebx*2]', '[nosplit ebx*2+4]'],
  ['es:4[ebx]', '[es:ebx+4]'],
  ['4[es:ebx]', '[es:ebx+4]'],
  ['far 4[ebx]', 'far [ebx+4]'],
  ['4[ebx+x wrt ..gotoff]', '[ebx+x+4 wrt ..gotoff]'],
  ['lbl[rel 0]', '[rel 0+lbl]'],
  // Registers before the brackets take nasm's register order (alphabetical), the first is the base.
  ['ecx+ebx[0]', '[0+(ebx+ecx)]'],
  ['ecx*2+4+ebx[0]', '[0+(ebx+ecx*2+4)]'],
  ['r8+rax-x[0]', '[0+(r8+rax-x)]'],
];

describe('disp[regs] operands', () => {
  it.each(SAME_ADDRESS)('the grammar reads %s as %s', (prefixed, bracketed) => {
    const got = parseOperandByGrammar(tokensOf(prefixed), namer);
    expect(got.error).toBeNull();
    // The same address; a segment written outside the brackets is also marked (a far pointer to JMP/CALL).
    const outside = /^\w+:/.test(prefixed);
    expect(got.value).toEqual({
      ...parseOperandByGrammar(tokensOf(bracketed), namer).value,
      ...(outside ? { segmentOutside: true } : {}),
    });
  });

  it.each(SAME_ADDRESS)('the fast path builds the grammar tree for %s (or leaves it to the grammar)', (prefixed) => {
    const fast = fastOperand(tokensOf(prefixed), namer);
    if (fast !== null) expect(fast).toEqual(parseOperandByGrammar(tokensOf(prefixed), namer).value);
  });

  it('is refused where nasm refuses it, with nasm messages', () => {
    const errors = (line: string): string[] =>
      assemble(`bits 32\nx equ 4\nmov eax, ${line}\n`, { format: 'bin' }).diagnostics.map((d) => d.message);
    expect(errors('4[ebx][ecx]')).toEqual(['comma, decorator or end of line expected, got 91']);
    expect(errors('[ebx]4')).toEqual(['comma, decorator or end of line expected, got 269']);
    expect(errors('4[]')).toEqual(['expression syntax error']);
    expect(errors('4:5[ebx]')).toEqual(['invalid segment override']);
    expect(errors('x 5')).toEqual(['comma, colon, decorator or end of line expected after operand']);
  });

  it('assembles to the bytes of the bracketed form', () => {
    const bytes = (operand: string): number[] => {
      const result = assemble(`bits 32\nmov eax, ${operand}\nlea ecx, ${operand}\nlbl: dd 0\n`, { format: 'bin' });
      expect(result.diagnostics).toEqual([]);
      return [...result.bytes];
    };
    expect(bytes('4[ebx]')).toEqual(bytes('[ebx+4]'));
    expect(bytes('lbl[esi*4]')).toEqual(bytes('[esi*4+lbl]'));
    expect(bytes('es:lbl[ebp]')).toEqual(bytes('[es:ebp+lbl]'));
  });
});

describe('the ptr warning', () => {
  const source = 'bits 32\nptr:\nmov eax, dword ptr [eax]\ndd ptr, PTR-ptr\nPTR equ 1\n';
  const ptrMessages = (text: string, warnings: string[] = []): string[] =>
    assemble(text, { format: 'bin', warnings })
      .diagnostics.filter((d) => d.warningClass === 'ptr')
      .map((d) => `${d.location?.line ?? 0}: ${d.severity}: ${d.message}`);

  it('is given once per ptr word, in any case, as written', () => {
    expect(ptrMessages(source)).toEqual([
      "2: warning: `ptr' is not a NASM keyword",
      "3: warning: `ptr' is not a NASM keyword",
      "4: warning: `ptr' is not a NASM keyword",
      "4: warning: `PTR' is not a NASM keyword",
      "4: warning: `ptr' is not a NASM keyword",
      "5: warning: `PTR' is not a NASM keyword",
    ]);
  });

  it('follows -w-ptr, error=ptr and [warning -ptr]', () => {
    expect(ptrMessages(source, ['-ptr'])).toEqual([]);
    expect(ptrMessages(source, ['error=ptr']).every((m) => m.includes(': error: '))).toBe(true);
    expect(ptrMessages('[warning -ptr]\nptr:\n[warning +ptr]\ndd ptr\n')).toEqual([
      "4: warning: `ptr' is not a NASM keyword",
    ]);
  });

  it('is not given for words of directives that take no expression (global ptr)', () => {
    expect(ptrMessages('global ptr\nsection .text\n')).toEqual([]);
  });

  it('takes -w-ptr glued on the command line (not as -p tr, a pre-include)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsnasm-ptr-'));
    writeFileSync(join(dir, 'a.asm'), 'ptr: dd ptr\n');
    const quiet = runMain(main, ['-f', 'bin', '-w-ptr', '-o', 'a.bin', 'a.asm'], dir);
    expect(quiet).toEqual({ status: 0, stdout: '', stderr: '' });
    const failed = runMain(main, ['-f', 'bin', '-Werror=ptr', '-o', 'a.bin', 'a.asm'], dir);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("a.asm:1: error: `ptr' is not a NASM keyword [-w+error=ptr]");
  });
});
