/**
 * readDataItem builds a number item (`5`, `0x1f`, `-5`) without the expression parser
 * (src/parse/data-item.ts): its tree must be the one the parser gives, and whatever is no plain
 * number must still reach the parser (and its errors).
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { IToken } from 'chevrotain';
import { lexLine } from '../../grammar/tokens.js';
import { parseExpressionByGrammar } from '../../grammar/operands.js';
import { readDataItem } from '../../src/parse/data-item.js';
import type { Expr } from '../../src/parse/ast.js';

const namer = (s: string): string => s;

function tokensOf(text: string): IToken[] {
  return lexLine(text).tokens;
}

function byParser(tokens: IToken[]): Expr {
  const parsed = parseExpressionByGrammar(tokens, namer);
  if (parsed.value === null) throw new Error(`the grammar refused ${tokens.map((t) => t.image).join(' ')}`);
  return parsed.value;
}

const NUMBERS = [
  '0',
  '5',
  '255',
  '1973287880',
  '9999999999999999999',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999',
  '0x869ff2',
  '0X1F',
  '0ffh',
  '$1f',
  '0b1010',
  '1010b',
  '0q17',
  '17o',
  '0d99',
  '99d',
  '1_000',
  '0x_ff',
  '$1e+16',
];

describe('number data items', () => {
  for (const written of [...NUMBERS, ...NUMBERS.map((n) => `-${n}`)]) {
    it(`${written}: the parser's tree`, () => {
      const tokens = tokensOf(written);
      const read = readDataItem(tokens, namer, byParser);
      expect(read.endsLine).toBe(false);
      expect(read.item.kind).toBe('expr');
      if (read.item.kind !== 'expr') return;
      expect(isDeepStrictEqual(read.item.expr, byParser(tokens))).toBe(true);
    });
  }

  it('a float or packed BCD stays a float item', () => {
    for (const written of ['1.5', '1e5', '-2.5', '123p', '0p99']) {
      expect(readDataItem(tokensOf(written), namer, byParser).item.kind).toBe('float');
    }
  });
});
