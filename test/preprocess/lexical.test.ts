/**
 * One lexical definition, two tokenizers: the preprocessor's scanner
 * (tokenize.ts) and the parser's Chevrotain lexer (grammar/tokens.ts) must cut
 * numbers, identifiers and strings at the same places, because both call the
 * same scanning functions. And the directive map knows every directive.
 */
import { describe, expect, it } from 'vitest';
import { Identifier, NumberLiteral, StringLiteral, lexLine, quotedStringEnd } from '../../grammar/tokens.js';
import { DIRECTIVES, droppedWithoutDirectives } from '../../src/preprocess/directives/index.js';
import { K, tokenize } from '../../src/preprocess/tokenize.js';

/** Lines chosen for the edges of each rule: number ends (hex e+, floats, p±), `$` names, escapes, `?`. */
const SAMPLES = [
  'mov eax, 0x1e+5',
  'dd 1.5e+5, 0x1.8p+3, 3.0e-2, 0ffh, 10b, 1_000q, $1f',
  'mov $eax, [..@12.x + ?name + a.b$c#d@e~f]',
  "db 'it''s', \"dq\", `a\\`b\\n`, ''",
  'jmp $$ + $ - lbl_9 ; comment 0x12',
  'x: times 3 db 1e5h',
];

/** The images of number, identifier and string tokens, in order, as each tokenizer sees them. */
function preprocessorView(line: string): string[] {
  const kinds = new Set([K.NUM, K.ID, K.STR]);
  return tokenize(line)
    .filter((t) => kinds.has(t.k))
    .map((t) => t.s);
}

function parserView(line: string): string[] {
  const types = new Set([NumberLiteral, Identifier, StringLiteral]);
  return lexLine(line)
    .tokens.filter((t) => types.has(t.tokenType))
    .map((t) => t.image);
}

describe('shared lexical rules', () => {
  for (const line of SAMPLES) {
    it(`both tokenizers cut numbers, names and strings alike: ${line}`, () => {
      const view = preprocessorView(line);
      expect(view.length).toBeGreaterThan(0);
      expect(parserView(line)).toEqual(view);
    });
  }

  it('an unterminated string runs to the end of the line for both: no string to the parser, but one token', () => {
    expect(quotedStringEnd("db 'abc", 3)).toBe(-1);
    const tokens = lexLine("db 1 'abc, 2 ; x").tokens;
    expect(tokens.map((t) => [t.tokenType.name, t.image])).toEqual([
      ['Identifier', 'db'],
      ['NumberLiteral', '1'],
      ['Other', "'abc, 2 ; x"],
    ]);
    expect(tokenize("db 'abc").at(-1)).toEqual({ k: K.STR, s: "'abc" });
  });

  it('a backquoted string ends at the first backquote not escaped by a backslash', () => {
    const line = 'db `a\\`b` , 1';
    expect(quotedStringEnd(line, 3)).toBe(9);
    expect(parserView(line)).toEqual(['db', '`a\\`b`', '1']);
  });
});

describe('directive map', () => {
  it('has every directive family', () => {
    const names = ['ifdef', 'elifnmacro', 'else', 'endif', 'define', 'ixdefine', 'undef', 'defalias', 'assign'];
    names.push('defstr', 'deftok', 'strcat', 'strlen', 'substr', 'macro', 'rmacro', 'unmacro', 'rotate', 'exitmacro');
    names.push('rep', 'endrep', 'exitrep', 'include', 'require', 'use', 'pathsearch', 'depend', 'push', 'pop');
    names.push('repl', 'stacksize', 'arg', 'local', 'error', 'warning', 'fatal', 'pragma', 'line', 'clear', 'aliases');
    for (const name of names) expect(DIRECTIVES.has(name), name).toBe(true);
    expect(DIRECTIVES.has('notadirective')).toBe(false);
  });

  it('only the %if family runs inside a skipped branch', () => {
    const skipping = [...DIRECTIVES].filter(([, d]) => d.whileSkipping).map(([name]) => name);
    expect(skipping.every((name) => /^(if|elif|else$|endif$)/.test(name))).toBe(true);
    expect(skipping).toContain('ifndef');
    expect(skipping).not.toContain('define');
  });

  it('-a drops every known directive line except %warning_push', () => {
    expect(droppedWithoutDirectives('define')).toBe(true);
    expect(droppedWithoutDirectives('if')).toBe(true);
    expect(droppedWithoutDirectives('warning_push')).toBe(false);
    expect(droppedWithoutDirectives('nonsense')).toBe(false);
  });
});
