/**
 * Source mutations for the mutation fuzzer. Each takes the source's lines and
 * the seeded generator and returns new lines (or null when it found nothing
 * to act on). They are textual on purpose: the point is inputs no one wrote
 * by hand, valid or not, on which tsnasm must agree with nasm or at least
 * fail the way nasm fails, never crash or hang.
 */

const REGISTERS = [
  'al',
  'ah',
  'bl',
  'bh',
  'cl',
  'dh',
  'ax',
  'bx',
  'cx',
  'sp',
  'bp',
  'si',
  'di',
  'eax',
  'ebx',
  'ecx',
  'edx',
  'esp',
  'ebp',
  'esi',
  'edi',
  'es',
  'cs',
  'ss',
  'ds',
  'fs',
  'gs',
  'cr0',
  'dr7',
  'st0',
  'st1',
  'mm0',
  'xmm1',
  'rax',
  'r8d',
  'spl',
];
const SIZES = [
  'byte',
  'word',
  'dword',
  'qword',
  'tword',
  'oword',
  'short',
  'near',
  'far',
  'strict',
  'strict byte',
  'strict dword',
  'long',
  'ptr',
];
const DATA = ['db', 'dw', 'dd', 'dq', 'dt', 'do', 'resb', 'resw', 'resd', 'resq', 'times 3', 'times 0', 'incbin'];
const DIRECTIVES = [
  'section .data',
  'section .bss',
  'section .text',
  'segment .rodata',
  'bits 16',
  'bits 32',
  'bits 64',
  'use16',
  'align 4',
  'align 3',
  'alignb 16',
  'org 0x100',
  'absolute 0x10',
  'global',
  'extern',
  'common',
  'cpu 386',
  'default rel',
  '[map all]',
  '[warning -all]',
  'struc s',
  'endstruc',
  'istruc s',
  'iend',
  '%include "none.inc"',
  '%line 5 x.asm',
];
const MNEMONICS = [
  'mov',
  'add',
  'lea',
  'jmp',
  'call',
  'loop',
  'push',
  'pop',
  'xchg',
  'movzx',
  'imul',
  'shl',
  'int',
  'ret',
  'in',
  'out',
  'stosb',
  'rep movsd',
  'lock add',
  'fld',
  'cmpxchg8b',
  'enter',
  'bound',
  'arpl',
  'lds',
  'jecxz',
  'nop',
];
const NUMBERS = [
  '0',
  '1',
  '-1',
  '2',
  '3',
  '7',
  '0x7f',
  '0x80',
  '0xff',
  '0x100',
  '0x7fff',
  '0x8000',
  '0xffff',
  '0x10000',
  '0x7fffffff',
  '0x80000000',
  '0xffffffff',
  '0x100000000',
  '-0x80000000',
  '1e10',
  '1.5',
  '0x1p3',
  '123p',
  '$',
  '$$',
  '0x',
  '08',
  '0b102',
  "'ab'",
  '"\\xff"',
  '1_000',
  '99999999999999999999',
  '(1<<31)',
  '1/0',
  '-(3)',
  '__?NaN?__',
  '%0',
];
const TOKENS = [
  ',',
  '(',
  ')',
  '[',
  ']',
  '+',
  '-',
  '*',
  ':',
  '$',
  '$$',
  '%',
  '..@x',
  '.local',
  'wrt',
  'seg',
  '?',
  '\\',
  '"',
  "'",
  ';',
  'dup',
  '%%',
  '%1',
  'equ',
  'times',
  '{',
  '}',
  '~',
  '!',
  '<<',
  '//',
];

const NUMBER_RE =
  /(?<![\w.$])(?:0x[0-9a-f_]+|\$[0-9][0-9a-f_]*|[0-9][0-9a-f_]*[hqobdt]?|[0-9]+\.[0-9]*(?:e[+-]?\d+)?)(?![\w.])/gi;
const LABEL_DEF = /^\s*([A-Za-z_.?@$][\w.?@$#~]*):/;

function pickLine(lines, rand, test) {
  const candidates = [];
  lines.forEach((l, i) => {
    if (test(l)) candidates.push(i);
  });
  return candidates.length ? rand.pick(candidates) : null;
}
/** A stateless test with a /g pattern (RegExp.test on /g keeps lastIndex between calls). */
const has = (re, text) => new RegExp(re.source, re.flags.replace('g', '')).test(text);
const code = (l) => l.replace(/;.*$/, '');
const replaceLine = (lines, i, text) => lines.map((l, k) => (k === i ? text : l));

/** Replaces the n-th match of `re` in a line with `by`. */
function replaceNth(line, re, rand, by) {
  const matches = [...code(line).matchAll(re)];
  if (!matches.length) return null;
  const m = rand.pick(matches);
  return line.slice(0, m.index) + by(m[0]) + line.slice(m.index + m[0].length);
}

export const MUTATIONS = {
  swapOperands(lines, rand) {
    const i = pickLine(lines, rand, (l) => /^\s*(?:\S+:)?\s*\w+\s+[^,;]+,[^,;]+/.test(code(l)));
    if (i === null) return null;
    return replaceLine(lines, i, lines[i].replace(/(\w+\s+)([^,;]+?)\s*,\s*([^,;]+?)(\s*(?:;|$))/, '$1$3, $2$4'));
  },
  duplicateLabel(lines, rand) {
    const i = pickLine(lines, rand, (l) => LABEL_DEF.test(l));
    if (i === null) return null;
    const label = LABEL_DEF.exec(lines[i])[1];
    const at = rand.int(lines.length + 1);
    return [
      ...lines.slice(0, at),
      rand.chance(0.5) ? `${label}:` : `${label} equ ${rand.pick(NUMBERS)}`,
      ...lines.slice(at),
    ];
  },
  deleteToken(lines, rand) {
    const i = pickLine(lines, rand, (l) => /\S/.test(code(l)));
    if (i === null) return null;
    const out = replaceNth(lines[i], /[\w.$@?%]+|[^\s\w]/g, rand, () => '');
    return out === null ? null : replaceLine(lines, i, out);
  },
  insertToken(lines, rand) {
    const i = pickLine(lines, rand, (l) => /\S/.test(code(l)));
    if (i === null) return null;
    const line = lines[i];
    const at = rand.int(code(line).length + 1);
    const token = rand.chance(0.3) ? rand.pick(REGISTERS) : rand.pick(TOKENS);
    return replaceLine(lines, i, `${line.slice(0, at)} ${token} ${line.slice(at)}`);
  },
  changeNumber(lines, rand) {
    const i = pickLine(lines, rand, (l) => has(NUMBER_RE, code(l)));
    if (i === null) return null;
    const out = replaceNth(lines[i], NUMBER_RE, rand, () => rand.pick(NUMBERS));
    return out === null ? null : replaceLine(lines, i, out);
  },
  changeSize(lines, rand) {
    const sized = /\b(?:byte|word|dword|qword|tword|oword|short|near|far|strict)\b/gi;
    const i = pickLine(lines, rand, (l) => has(sized, code(l)) || /\[/.test(code(l)));
    if (i === null) return null;
    const line = lines[i];
    const out = has(sized, code(line))
      ? replaceNth(line, sized, rand, () => rand.pick(SIZES))
      : line.replace('[', `${rand.pick(SIZES)} [`);
    return out === null ? null : replaceLine(lines, i, out);
  },
  changeDirective(lines, rand) {
    const data = /\b(?:db|dw|dd|dq|dt|do|resb|resw|resd|resq|times\s+\S+)\b/gi;
    const i = pickLine(
      lines,
      rand,
      (l) => has(data, code(l)) || /^\s*(?:section|segment|bits|align|org|global|extern)\b/i.test(l),
    );
    if (i === null) return null;
    const out = has(data, code(lines[i]))
      ? replaceNth(lines[i], data, rand, () => rand.pick(DATA))
      : rand.pick(DIRECTIVES);
    return out === null ? null : replaceLine(lines, i, out);
  },
  insertDirective(lines, rand) {
    const at = rand.int(lines.length + 1);
    return [...lines.slice(0, at), rand.pick(DIRECTIVES), ...lines.slice(at)];
  },
  changeRegister(lines, rand) {
    const re = new RegExp(`\\b(?:${REGISTERS.join('|')})\\b`, 'gi');
    const i = pickLine(lines, rand, (l) => has(re, code(l)));
    if (i === null) return null;
    const out = replaceNth(lines[i], re, rand, () => rand.pick(REGISTERS));
    return out === null ? null : replaceLine(lines, i, out);
  },
  changeMnemonic(lines, rand) {
    const i = pickLine(lines, rand, (l) => /^\s*(?:[\w.]+:)?\s*[a-z]{2,}\s/i.test(code(l)) && !/^\s*%/.test(l));
    if (i === null) return null;
    return replaceLine(lines, i, lines[i].replace(/^(\s*(?:[\w.]+:)?\s*)[a-z]{2,}/i, `$1${rand.pick(MNEMONICS)}`));
  },
  parenthesise(lines, rand) {
    const i = pickLine(lines, rand, (l) => /,\s*[^,;\s]/.test(code(l)));
    if (i === null) return null;
    const depth = rand.pick([1, 2, 50, 400]);
    return replaceLine(
      lines,
      i,
      lines[i].replace(/,\s*([^,;]+?)(\s*(?:;|$))/, `, ${'('.repeat(depth)}$1${')'.repeat(depth)}$2`),
    );
  },
  duplicateLine(lines, rand) {
    const i = rand.int(lines.length);
    const at = rand.int(lines.length + 1);
    return [...lines.slice(0, at), lines[i], ...lines.slice(at)];
  },
  deleteLine(lines, rand) {
    if (lines.length < 2) return null;
    const i = rand.int(lines.length);
    return lines.filter((_, k) => k !== i);
  },
  wrapInMacro(lines, rand) {
    const from = rand.int(lines.length);
    const to = Math.min(lines.length, from + 1 + rand.int(5));
    const wrap = rand.pick([
      ['%rep 3', '%endrep'],
      ['%if 1', '%endif'],
      ['%ifdef NOPE', '%endif'],
      ['%macro m 0-*', '%endmacro\nm 1,2'],
      ['%push ctx', '%pop'],
      ['%rep 100000', '%endrep'],
    ]);
    return [...lines.slice(0, from), wrap[0], ...lines.slice(from, to), ...wrap[1].split('\n'), ...lines.slice(to)];
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** 1–3 mutations in a row; returns the new text and the names of what was applied. */
export function mutate(text, rand) {
  let lines = text.split('\n');
  const applied = [];
  const wanted = 1 + rand.int(3);
  for (let tries = 0; applied.length < wanted && tries < 20; tries++) {
    const name = rand.pick(MUTATION_NAMES);
    const next = MUTATIONS[name](lines, rand);
    if (next === null) continue;
    lines = next;
    applied.push(name);
  }
  return { text: lines.join('\n'), applied };
}
