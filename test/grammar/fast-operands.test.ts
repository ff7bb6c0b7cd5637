/**
 * The hand-written operand fast path (grammar/fast-operands.ts) must build
 * exactly the tree the Chevrotain grammar builds, for every operand it accepts.
 * Checked differentially on every operand of every source under fixtures/,
 * the benchmark workloads and a list of edge cases.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { IToken } from 'chevrotain';
import { lexLine, retypeKeywords } from '../../grammar/tokens.js';
import { fastExpression, fastExpressionPrefix, fastOperand } from '../../grammar/fast-operands.js';
import {
  parseExpressionByGrammar,
  parseExpressionPrefixByGrammar,
  parseOperandByGrammar,
} from '../../grammar/operands.js';
import { lookupRegister } from '../../src/encoder/registers.js';
import { splitOperands } from '../../src/parse/statement.js';
import { WORKLOADS } from '../../bench/workloads.mjs';

const namer = (s: string): string => (s.startsWith('.') ? `base${s}` : s);

function tokensOf(text: string): IToken[] {
  const { tokens } = lexLine(text);
  retypeKeywords(tokens, (lower) => lookupRegister(lower) !== undefined);
  return tokens;
}

/** Operand token lists of a source line: everything after the first word (and a label), split on commas. */
function operandsOfLine(text: string): IToken[][] {
  const tokens = tokensOf(text);
  let pos = 0;
  if (tokens[1]?.image === ':') pos = 2;
  return splitOperands(tokens.slice(pos + 1)).filter((op) => op.length > 0);
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(asm|src|inc|s)$/.test(name)) out.push(path);
  }
  return out;
}

const EDGE_CASES = [
  'eax',
  'dword [ebx + ecx*4 + 8]',
  '[es:di]',
  'byte [rel foo]',
  '[nosplit eax*2]',
  '[dword es: 0x1234]',
  '[]',
  'qword [fs:rax+rdx*8-16]',
  'short label',
  'strict dword 5',
  'near [eax]',
  'far [ebx]',
  'to st1',
  '-(1+2)*3',
  '1 << 2 >> 1 <<< 3 >>> 4',
  '1 == 2 = 3 != 4 <> 5 <= 6 >= 7 <=> 8 < 9 > 10',
  '1 || 2 ^^ 3 && 4 | 5 ^ 6 & 7',
  '10 / 3 // 2 % 5 %% 7',
  '~!-+5',
  '$ - $$',
  '\'ab\' + "cd" + `e\\n`',
  '.local + 1',
  '$eax',
  '0x10 + 10h + $10 + 0b101 + 777q',
  '1.5',
  '(((((1)))))',
  'a ? b : c',
  'es:5',
  'seg foo',
  'foo wrt ..got',
  '__?float32?__(1.5)',
  '[eax, ebx]',
  '4[ebx]',
  'dword ptr [eax]',
  'ebx[ecx+4]',
  '3+4[ebx*2]',
  '4[]',
  '[ebx]4',
  '4[ebx][ecx]',
  'es:4[ebx]',
  '[eax',
  'eax)',
  '1 +',
  '%$x',
  Array.from({ length: 30 }, (_, i) => `${i}`).join(' + '),
];

function compareOperand(text: string, tokens: IToken[]): boolean {
  const fast = fastOperand(tokens, namer);
  if (fast === null) return false;
  const grammar = parseOperandByGrammar(tokens, namer);
  // Node's strict deep equality decides (an expect() per operand of the corpus took seconds); on a difference
  // toStrictEqual fails with its diff.
  if (!isDeepStrictEqual(fast, grammar.value))
    expect({ text, value: fast }).toStrictEqual({ text, value: grammar.value });
  return true;
}

describe('fast operand parser', () => {
  it('agrees with the grammar on edge cases (and declines what it does not cover)', () => {
    let accepted = 0;
    for (const text of EDGE_CASES) if (compareOperand(text, tokensOf(text))) accepted++;
    expect(accepted).toBeGreaterThan(15);
    for (const declined of ['a ? b : c', 'es:5', 'seg foo', 'foo wrt ..got', '[eax, ebx]', '[eax', '1 +'])
      expect(fastOperand(tokensOf(declined), namer)).toBeNull();
  });

  it('agrees with the grammar on expressions', () => {
    for (const text of EDGE_CASES) {
      const tokens = tokensOf(text);
      const fast = fastExpression(tokens, namer);
      if (fast === null) continue;
      expect({ text, value: fast }).toStrictEqual({ text, value: parseExpressionByGrammar(tokens, namer).value });
    }
  });

  it('agrees with the grammar on expression prefixes (times counts)', () => {
    const cases = [
      '3 nop',
      '16 db 0',
      '(4 - 1) * 2 movsb',
      '510-($-$$) db 0',
      'n db 1',
      '3 ? 1 : 2 nop',
      '3 wrt x nop',
      '3 4 nop',
      '2 eax',
      '-1 foo(2)',
      ...EDGE_CASES.map((e) => `${e} nop`),
    ];
    let accepted = 0;
    for (const text of cases) {
      const tokens = tokensOf(text);
      const fast = fastExpressionPrefix(tokens, namer);
      if (fast === null) continue;
      accepted++;
      const grammar = parseExpressionPrefixByGrammar(tokens, namer);
      expect({ text, value: fast.expr, consumed: fast.consumed }).toStrictEqual({
        text,
        value: grammar.value,
        consumed: grammar.consumed,
      });
    }
    expect(accepted).toBeGreaterThan(10);
    for (const declined of ['3 ? 1 : 2 nop', '3 wrt x nop', '3 4 nop', '2 eax'])
      expect(fastExpressionPrefix(tokensOf(declined), namer)).toBeNull();
  });

  it('agrees with the grammar on every operand of the fixtures and benchmark sources', () => {
    const texts: string[] = [];
    for (const file of sourceFiles('fixtures')) texts.push(...readFileSync(file, 'latin1').split('\n'));
    for (const make of Object.values(WORKLOADS)) texts.push(...make({ lines: 3000, seed: 7 }).split('\n'));
    let accepted = 0;
    let seen = 0;
    for (const line of texts) {
      if (/^\s*%/.test(line)) continue;
      for (const op of operandsOfLine(line)) {
        seen++;
        if (compareOperand(line, op)) accepted++;
      }
    }
    // Most operands take the fast path (the point of it).
    expect(accepted).toBeGreaterThan(seen * 0.5);
  });
});
