/**
 * The parser's tokens made from the preprocessor's tokens (src/preprocess/lexed.ts)
 * must be exactly what lexing the output line's text gives: same images, offsets
 * and token types. Checked on every line the preprocessor produces for every source
 * under fixtures/, the benchmark workloads and a set of edge cases; and the mapping
 * must actually be used for ordinary lines (else the speed-up is gone silently).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IToken } from 'chevrotain';
import { lexLine } from '../../grammar/tokens.js';
import { DiagnosticSink } from '../../src/core/diagnostics.js';
import { Preprocessor } from '../../src/preprocess/engine.js';
import { parserTokens } from '../../src/preprocess/lexed.js';
import { WORKLOADS } from '../../bench/workloads.mjs';

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    // fixtures/realworld is a local, uncommitted corpus (hundreds of large files): not the committed fixtures.
    if (path === join('fixtures', 'realworld')) continue;
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(asm|inc|s)$/.test(name)) out.push(path);
  }
  return out;
}

const shape = (tokens: IToken[]): Array<[string, number, string]> =>
  tokens.map((t) => [t.image, t.startOffset, t.tokenType.name]);

/**
 * Preprocesses `source`; for each output line the mapping accepted, compares it with the lexer
 * (as JSON text of the shapes: an expect per line cost more than the preprocessing; the lines
 * that differ are listed, with both shapes, in `mismatches`).
 */
function check(source: string, fileName: string, mismatches: string[]): { mapped: number; lines: number } {
  const pp = new Preprocessor(source, {
    fileName,
    includePaths: [],
    predefines: [],
    readFile: () => null,
    diagnostics: new DiagnosticSink(),
    outputFormat: 'elf32',
  });
  let mapped = 0;
  let lines = 0;
  for (const out of pp.lines()) {
    lines++;
    if (!out.toks) continue;
    const tokens = parserTokens(out.toks, out.expanded === true);
    if (tokens === null) continue;
    mapped++;
    const got = JSON.stringify(shape(tokens));
    const want = JSON.stringify(shape(lexLine(out.text).tokens));
    if (got !== want) mismatches.push(`${fileName}: ${out.text}\n  mapped: ${got}\n  lexer:  ${want}`);
  }
  return { mapped, lines };
}

const EDGE_CASES = `
%define D $
%define P +
%define N 1e
%define E 5
%define C %%
%define Q ?
%define X(a,b) a b
%define Y(a,b) a%+b
%define ID abc
%define MODSTR 'x
  mov eax, D
  mov eax, D%+x
  mov eax, X(D,x), X(1e,+5)
  mov eax, ID~1
  dd N%+P%+E
  dd X(1,2) , Y(3,4), X(ID, ID), ID.ID
  dd 1 C 2, Q, Q Q
  dd 1 <<< 2 >>> 3 <=> 4 <> 5 != 6 // 7 %% 8 % 9
  db 'unterminated
  db MODSTR
  db "a""b", \`c\\\`d\`, 'e''f'
  mov eax, [ebx+ecx*4+$$-$]
  lea eax, [D+ID*2]
  jmp $+2
  db 1 # 2 \\ 3 @x ..@y .z
  %[ID] eax
  db X(',',1)
  mov ax, X(ID,(1))
`;

describe('parser tokens from preprocessor tokens', () => {
  it('match the lexer on every output line of the fixtures, workloads and edge cases', () => {
    let mapped = 0;
    let lines = 0;
    const add = (r: { mapped: number; lines: number }): void => {
      mapped += r.mapped;
      lines += r.lines;
    };
    const mismatches: string[] = [];
    for (const file of sourceFiles('fixtures')) add(check(readFileSync(file, 'latin1'), file, mismatches));
    for (const [name, make] of Object.entries(WORKLOADS)) {
      add(check(make({ lines: 3000, seed: 7 }), name, mismatches));
    }
    add(check(EDGE_CASES, 'edge.asm', mismatches));
    expect(mismatches.slice(0, 20), `${mismatches.length} lines differ`).toEqual([]);
    // Most lines take the mapping; the rest are lexed.
    expect(mapped).toBeGreaterThan(lines * 0.8);
  });

  it('is used for plain and expanded lines, and gives up where the lexer would read differently', () => {
    const lines = (source: string): Array<IToken[] | null> => {
      const pp = new Preprocessor(source, {
        fileName: 't.asm',
        includePaths: [],
        predefines: [],
        readFile: () => null,
        diagnostics: new DiagnosticSink(),
        outputFormat: 'elf32',
      });
      return [...pp.lines()].map((out) => (out.toks ? parserTokens(out.toks, out.expanded === true) : null));
    };
    const [plain, expanded, joined, percent] = lines(
      '%define R eax\n%define F(a) a\nmov eax, [ebx+4]\nmov R, 1\nmov eax, F($)x\nmov eax, 5 % 3\n',
    );
    expect(plain && shape(plain)).toEqual(shape(lexLine('mov eax, [ebx+4]').tokens));
    expect(expanded && shape(expanded)).toEqual(shape(lexLine('mov eax, 1').tokens));
    expect(joined).toBeNull(); // `$` then `x` side by side: the lexer reads `$x`
    expect(percent).toBeNull(); // `%` may start a preprocessor token: left to the lexer
  });
});
