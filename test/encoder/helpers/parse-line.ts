/**
 * A SMALL source-line → InstructionRequest parser for encoder tests, used
 * before the team's real parser exists. Handles what the encoding corpus
 * contains: prefixes, registers, size keywords, `strict`, `short/near/far`,
 * `[seg:base+index*scale+disp]`, `nosplit`, numbers (with + - * and
 * parentheses), `$` (the instruction's own address, in segment 0) and
 * `seg:offset` far pointers.
 */
import { constantValue, type Value } from '../../../src/core/value.js';
import { lookupRegister, type Register } from '../../../src/encoder/registers.js';
import { isInstructionPrefix, isMnemonic } from '../../../src/encoder/index.js';
import type { InstructionRequest, MemoryOperand, Operand, OperandSize } from '../../../src/encoder/types.js';

export const TEST_SEGMENT = 0;

const SIZE_WORDS: Record<string, OperandSize> = {
  byte: 1,
  word: 2,
  dword: 4,
  fword: 6,
  qword: 8,
  tword: 10,
  oword: 16,
  yword: 32,
  zword: 64,
};

type Token = { t: 'id' | 'num' | 'op'; s: string; n?: bigint };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(0x[0-9a-f]+|[0-9][0-9a-f]*h\b|\d+)|([A-Za-z_.?$][\w.?$]*)|(\S))/giy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].trim() === '') break;
    if (m[1]) {
      const s = m[1].toLowerCase();
      const n = s.endsWith('h') ? BigInt('0x' + s.slice(0, -1)) : BigInt(s);
      out.push({ t: 'num', s, n });
    } else if (m[2]) out.push({ t: 'id', s: m[2].toLowerCase() });
    else out.push({ t: 'op', s: m[3] as string });
  }
  return out;
}

/** Linear expression: constant + Σ reg*coef (+ `$` base). */
interface Lin {
  c: bigint;
  regs: Array<{ reg: Register; scale: number; multiplied: boolean; bare: boolean }>;
  dollar: number;
}

class ExprParser {
  i = 0;
  constructor(
    private toks: Token[],
    private here: bigint,
  ) {}
  peek(): Token | undefined {
    return this.toks[this.i];
  }
  expr(): Lin {
    let a = this.term();
    for (;;) {
      const t = this.peek();
      if (t?.t === 'op' && (t.s === '+' || t.s === '-')) {
        this.i++;
        const b = this.term();
        a = add(a, t.s === '-' ? scale(b, -1n) : b);
      } else return a;
    }
  }
  term(): Lin {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.t === 'op' && t.s === '*') {
        this.i++;
        const b = this.unary();
        if (a.regs.length === 0 && a.dollar === 0) {
          a = scale(b, a.c);
          a.regs.forEach((r) => ((r.multiplied = true), (r.bare = false)));
        } else {
          a = scale(a, b.c);
          a.regs.forEach((r) => ((r.multiplied = true), (r.bare = false)));
        }
      } else return a;
    }
  }
  unary(): Lin {
    const t = this.toks[this.i++];
    if (!t) throw new Error('unexpected end');
    if (t.t === 'op' && t.s === '-') return scale(this.unary(), -1n);
    if (t.t === 'op' && t.s === '+') return this.unary();
    if (t.t === 'op' && t.s === '(') {
      const e = this.expr();
      this.i++;
      return e;
    }
    if (t.t === 'num') return { c: t.n as bigint, regs: [], dollar: 0 };
    if (t.t === 'id' && t.s === '$') return { c: this.here, regs: [], dollar: 1 };
    if (t.t === 'id') {
      const reg = lookupRegister(t.s);
      if (reg) return { c: 0n, regs: [{ reg, scale: 1, multiplied: false, bare: true }], dollar: 0 };
    }
    throw new Error(`bad token ${t.s}`);
  }
}

function add(a: Lin, b: Lin): Lin {
  const regs = a.regs.map((r) => ({ ...r }));
  for (const r of b.regs) {
    const e = regs.find((x) => x.reg === r.reg);
    if (e) {
      e.scale += r.scale;
      e.multiplied ||= r.multiplied;
      e.bare ||= r.bare;
    } else regs.push({ ...r });
  }
  return { c: a.c + b.c, regs, dollar: a.dollar + b.dollar };
}
function scale(a: Lin, k: bigint): Lin {
  return { c: a.c * k, regs: a.regs.map((r) => ({ ...r, scale: r.scale * Number(k) })), dollar: a.dollar * Number(k) };
}

function linValue(l: Lin): Value {
  const v = constantValue(l.c);
  if (l.dollar === 1) v.base = TEST_SEGMENT;
  return v;
}

/** Splits an operand list on top-level commas. */
function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function parseOperand(text: string, here: bigint): Operand {
  let size: OperandSize | null = null;
  let strict = false;
  let distance: 'short' | 'near' | 'far' | null = null;
  let to = false;
  let rest = text.trim();
  for (;;) {
    const m = /^(\w+)\s*(.*)$/s.exec(rest);
    if (!m) break;
    const w = (m[1] as string).toLowerCase();
    if (w in SIZE_WORDS) size = SIZE_WORDS[w] as OperandSize;
    else if (w === 'strict') strict = true;
    else if (w === 'short' || w === 'near' || w === 'far') distance = w;
    else if (w === 'to') to = true;
    else break;
    rest = m[2] as string;
  }
  // Segment override outside brackets: `es:[...]`
  let segment: Register | null = null;
  const segOut = /^(es|cs|ss|ds|fs|gs)\s*:\s*(\[.*)$/is.exec(rest);
  if (segOut) {
    segment = lookupRegister(segOut[1] as string) ?? null;
    rest = segOut[2] as string;
  }
  if (rest.startsWith('[')) {
    let inner = rest.slice(1, rest.lastIndexOf(']')).trim();
    let displacementSize: 1 | 2 | 4 | 8 | null = null;
    let nosplit = false;
    let relative: 'rel' | 'abs' | null = null;
    for (;;) {
      const m = /^(byte|word|dword|qword|nosplit|rel|abs)\b\s*(.*)$/is.exec(inner);
      const segIn = /^(es|cs|ss|ds|fs|gs)\s*:\s*(.*)$/is.exec(inner);
      if (segIn) {
        segment = lookupRegister(segIn[1] as string) ?? null;
        inner = segIn[2] as string;
        continue;
      }
      if (!m) break;
      const w = (m[1] as string).toLowerCase();
      if (w === 'nosplit') nosplit = true;
      else if (w === 'rel' || w === 'abs') relative = w;
      else displacementSize = SIZE_WORDS[w] as 1 | 2 | 4 | 8;
      inner = m[2] as string;
    }
    // MPX split notation `[base+disp,index]`: the part after the comma is the index.
    const comma = inner.indexOf(',');
    const indexText = comma >= 0 ? inner.slice(comma + 1) : '';
    if (comma >= 0) inner = inner.slice(0, comma);
    const toks = tokenize(inner);
    const p = new ExprParser(toks, here);
    const lin = p.expr();
    const hasDisplacement = toks.some((t) => t.t === 'num' || t.s === '$');
    const indexRegs = comma >= 0 ? new ExprParser(tokenize(indexText), here).expr().regs : [];
    const mem: MemoryOperand = {
      kind: 'mem',
      size,
      strict,
      segment,
      registers: [
        ...lin.regs.map((r) => ({ reg: r.reg, scale: r.scale, multiplied: r.multiplied, bare: r.bare })),
        ...indexRegs.map((r) => ({ reg: r.reg, scale: r.scale, multiplied: r.multiplied, index: true })),
      ],
      displacement: linValue(lin),
      hasDisplacement,
      displacementSize,
      nosplit,
      relative,
      distance,
    };
    return mem;
  }
  const reg = lookupRegister(rest);
  if (reg) return { kind: 'reg', reg, size, to };
  // `es:5` without brackets is a memory reference to nasm (a segment register before the colon).
  const segBare = /^(es|cs|ss|ds|fs|gs)\s*:\s*(.*)$/is.exec(rest);
  if (segBare) {
    const inner = parseOperand(`[${segBare[2] as string}]`, here) as MemoryOperand;
    return { ...inner, size, strict, segment: lookupRegister(segBare[1] as string) ?? null };
  }
  // seg:off far pointer
  const colon = rest.indexOf(':');
  if (colon > 0) {
    const segLin = new ExprParser(tokenize(rest.slice(0, colon)), here).expr();
    const offLin = new ExprParser(tokenize(rest.slice(colon + 1)), here).expr();
    return { kind: 'imm', value: linValue(offLin), size, strict, distance, farSegment: linValue(segLin), to };
  }
  const lin = new ExprParser(tokenize(rest), here).expr();
  return { kind: 'imm', value: linValue(lin), size, strict, distance, farSegment: null, to };
}

/**
 * Parses `[prefix…] mnemonic operands` into a request. `here` is the address
 * of the line (for `$`). A lone word that is neither an instruction nor a
 * prefix is a label to nasm (`frstpm` alone defines a label): null.
 */
export function parseSourceLine(line: string, here = 0n): InstructionRequest | null {
  let rest = line.replace(/;.*$/, '').trim();
  const prefixes: string[] = [];
  for (;;) {
    const m = /^(\w+)\b\s*(.*)$/s.exec(rest);
    if (!m) throw new Error(`no mnemonic in '${line}'`);
    const w = (m[1] as string).toLowerCase();
    if (isInstructionPrefix(w) && (m[2] as string) !== '' && !/^[:,]/.test(m[2] as string)) {
      prefixes.push(w);
      rest = m[2] as string;
      continue;
    }
    if ((m[2] as string).trim() === '' && prefixes.length === 0 && !isMnemonic(w) && !isInstructionPrefix(w))
      return null;
    const operands =
      (m[2] as string).trim() === '' ? [] : splitOperands(m[2] as string).map((o) => parseOperand(o, here));
    return { mnemonic: w, prefixes, operands };
  }
}

/** parseSourceLine for lines known to hold an instruction (a label-only line throws). */
export function parseLine(line: string, here = 0n): InstructionRequest {
  const req = parseSourceLine(line, here);
  if (req === null) throw new Error(`'${line}' is a label, not an instruction`);
  return req;
}
