/**
 * Directive arguments: each assembler directive has its own little syntax
 * (`global f:function (f.end - f)`, `section .data align=16`, `common x 4:8`),
 * read here once so the assembler receives typed arguments (DirectiveArguments).
 */
import { lexLine, retypeKeywords } from '../../grammar/tokens.js';
import { parseExpression } from '../../grammar/operands.js';
import { lookupRegister } from '../encoder/registers.js';
import type { DirectiveArguments, Expr, SectionDirective, SymbolDeclaration } from './ast.js';

/** Reads the arguments of directive `name` (lower case) from its text. */
export function parseDirectiveArguments(name: string, args: string): DirectiveArguments {
  switch (name) {
    case 'section':
    case 'segment':
      return { kind: 'section', section: parseSectionDirective(args) };
    case 'bits':
    case 'use16':
    case 'use32':
    case 'use64':
      return { kind: 'bits', bits: bitsSetBy(name, args) };
    case 'global':
    case 'static':
    case 'extern':
      return { kind: 'symbols', symbols: splitNames(args) };
    case 'common':
      return { kind: 'common', common: parseCommon(args), hasColon: args.includes(':') };
    case 'org':
    case 'absolute':
    case 'sectalign':
      return { kind: 'expression', expr: directiveExpression(args) };
    case 'align':
    case 'alignb':
      return { kind: 'expression', expr: directiveExpression(args.split(',')[0]!) };
    case 'warning':
      return {
        kind: 'words',
        words: args
          .trim()
          .toLowerCase()
          .split(/\s+/)
          .filter((w) => w.length > 0),
      };
    default:
      return { kind: 'text', text: args.trim() };
  }
}

/** The mode a `bits N` / `use16` / `use32` / `use64` directive selects, or null for a bad size. */
export function bitsSetBy(name: string, args: string): 16 | 32 | 64 | null {
  if (name === 'use16') return 16;
  if (name === 'use32') return 32;
  if (name === 'use64') return 64;
  const n = args.trim();
  return n === '16' || n === '32' || n === '64' ? (Number(n) as 16 | 32 | 64) : null;
}

/**
 * A directive's expression (`org 0x7c00`, `absolute label+4`, `align 16`).
 * Names are taken as written: directives do not qualify local labels.
 */
export function directiveExpression(text: string): Expr | null {
  const lexed = lexLine(text.trim());
  retypeKeywords(lexed.tokens, (n) => lookupRegister(n) !== undefined);
  return parseExpression(lexed.tokens, (s) => s).value;
}

/** Parses `name attr attr=value …` (the name may be quoted). */
export function parseSectionDirective(args: string): SectionDirective | null {
  const words = args.match(/"[^"]*"|'[^']*'|[^\s]+/g);
  if (!words || words.length === 0) return null;
  let name = words[0];
  if (/^["'].*["']$/.test(name)) name = name.slice(1, -1);
  const attributes = words.slice(1).map((w) => {
    const eq = w.indexOf('=');
    return eq < 0
      ? { key: w.toLowerCase(), value: null }
      : { key: w.slice(0, eq).toLowerCase(), value: w.slice(eq + 1) };
  });
  return { name, attributes };
}

/** `name size` or `name size:align`. */
function parseCommon(args: string): { name: string; size: string; align: string | null } | null {
  const m = /^\s*([^\s]+)\s+([^\s:]+)(?:\s*:\s*([^\s]+))?/.exec(args);
  if (!m) return null;
  return { name: m[1]!, size: m[2]!, align: m[3] ?? null };
}

/** Splits at top-level commas (a size expression may hold parenthesised ones). */
function splitTopLevel(args: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of args) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items;
}

/** Splits `a, b:function (b.end - b), c:data 4` into names with optional ELF types and size expressions. */
function splitNames(args: string): SymbolDeclaration[] {
  return splitTopLevel(args)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const colon = s.indexOf(':');
      const rawName = (colon < 0 ? s : s.slice(0, colon)).trim();
      const rest = colon < 0 ? '' : s.slice(colon + 1).trim();
      const name = rawName.startsWith('$') ? rawName.slice(1) : rawName;
      const m = /^(\w+)\s*(.*)$/.exec(rest);
      const t = m ? m[1]!.toLowerCase() : '';
      const type = t === 'function' ? 'function' : t === 'data' || t === 'object' ? 'object' : null;
      const sizeText = m && m[2]!.trim().length > 0 ? m[2]!.trim() : null;
      return { name, type, sizeText, size: sizeText === null ? null : directiveExpression(sizeText) };
    });
}
