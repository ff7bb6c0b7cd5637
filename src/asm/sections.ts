/**
 * Sections: NASM's default attributes per well-known name (as nasm 2.16.01's
 * elf32 output gives them, checked with readelf) and what the `section`
 * directive's attributes (read by src/parse/directives.ts) do to them.
 */
import type { SectionDirective } from '../parse/ast.js';
import type { SectionAttributes } from './object.js';
import { isElfFormat, type OutputFormatName } from './writer.js';

function attrs(partial: Partial<SectionAttributes>): SectionAttributes {
  return {
    kind: 'progbits',
    alloc: true,
    exec: false,
    write: false,
    tls: false,
    align: 1,
    start: null,
    vstart: null,
    follows: null,
    vfollows: null,
    valign: null,
    ...partial,
  };
}

/** Defaults for a new section in `-f elf32`, by name. Unknown names: progbits, alloc, align 1. */
export function elfDefaultAttributes(name: string): SectionAttributes {
  switch (name) {
    case '.text':
      return attrs({ exec: true, align: 16 });
    case '.data':
      return attrs({ write: true, align: 4 });
    case '.rodata':
      return attrs({ align: 4 });
    case '.bss':
      return attrs({ kind: 'nobits', write: true, align: 4 });
    case '.tdata':
      return attrs({ write: true, tls: true, align: 4 });
    case '.tbss':
      return attrs({ kind: 'nobits', write: true, tls: true, align: 4 });
    case '.comment':
      return attrs({ alloc: false, align: 1 });
    case '.note':
      return attrs({ kind: 'note', alloc: false, align: 4 });
    default:
      return attrs({});
  }
}

/** Defaults for `-f bin`: `.bss` is nobits; everything else progbits; alignment 4 unless `.text`. */
export function binDefaultAttributes(name: string): SectionAttributes {
  if (name === '.bss') return attrs({ kind: 'nobits', write: true, align: 4 });
  if (name === '.text') return attrs({ exec: true, align: 1 });
  return attrs({ write: true, align: 4 });
}

/**
 * nasm's ELF `align=` reads the number at the head of its value (`align=4+4` is 4, `align=0x3`
 * reports 3); a value without one (`align=abc`, `align=16abc`, `align=0`) leaves the alignment as
 * it was (measured on nasm 2.16.01).
 */
function elfAlignment(
  value: string,
  parseNumber: (text: string) => bigint | null,
): { align: bigint | null; problem?: string } {
  const head = /^-?[\w$.?@#~]*/.exec(value)?.[0] ?? '';
  const negative = head.startsWith('-');
  const magnitude = parseNumber(negative ? head.slice(1) : head);
  if (magnitude === null || magnitude === 0n) return { align: null };
  const n = negative ? -magnitude : magnitude;
  if (n < 0n || (n & (n - 1n)) !== 0n) return { align: null, problem: `section alignment ${n} is not a power of two` };
  return { align: n };
}

/**
 * A problem with a section's attributes, and when nasm reports it: `error` and `warning` at once,
 * `after-pass-one` in its second pass (bin's `align=`), `bin-final-pass` in the final pass (bin
 * names its unknown attributes only then, so not at all when pass one had errors).
 */
export interface AttributeProblem {
  message: string;
  /** 'bin-final-pass(-error)': a warning (an error) bin gives in its final pass only. */
  report: 'error' | 'warning' | 'after-pass-one' | 'bin-final-pass' | 'bin-final-pass-error';
}

/**
 * A section's attribute words as nasm's ELF output reads them: blanks may stand around the `=`
 * (`align = 16`, `align= 16`, `align =16`), so a word ending in `=` takes the next word as its
 * value and a word starting with `=` is the value of the word before (`x= foo=bar` is `x` with
 * the value `foo=bar`: measured). bin reads each word alone.
 */
export function joinSpacedValues(attributes: SectionDirective['attributes']): SectionDirective['attributes'] {
  const joined: Array<SectionDirective['attributes'][number]> = [];
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    if (a.text.startsWith('=')) {
      // No word before it to take it as a value (`section .data =1 write`, `d=1 =1 foo`): nasm
      // reads no further. The nameless word is kept: the section counts as given attributes.
      joined.push(a);
      break;
    }
    const next = attributes[i + 1];
    if (a.value === null && next?.text.startsWith('=') === true) {
      // `foo =bar`, or `align = 16`: the value is the rest of that word, or the word after a lone `=`.
      i++;
      let value = next.text.slice(1);
      const after = attributes[i + 1];
      if (value === '' && after !== undefined) {
        value = after.text;
        i++;
      }
      joined.push({ key: a.key, value, text: `${a.text}=${value}` });
    } else if (a.value === '' && next !== undefined) {
      joined.push({ key: a.key, value: next.text, text: `${a.text}${next.text}` });
      i++;
    } else joined.push(a);
  }
  return joined;
}

/** bin's own attributes: the ELF formats warn about them. */
const BIN_ONLY = ['start', 'vstart', 'follows', 'vfollows', 'valign'];
/** What nasm's bin output knows; the ELF flags (alloc, exec, write, tls…) are unknown attributes there. */
const BIN_KNOWN = ['progbits', 'nobits', 'align', ...BIN_ONLY];

/** bin names an unknown attribute as written, the whole word. */
const unknownToBin = (text: string): AttributeProblem => ({
  message: `ignoring unknown section attribute: "${text}"`,
  report: 'bin-final-pass',
});

/**
 * How bin reads the `=` of a word it knows (measured): its flags take none (`progbits=`,
 * `nobits=5` are unknown words, as are `start`, `follows`, `align`… written bare); nothing after
 * the `=` is an error for the section `follows=`/`vfollows=` name, a warning for the numbers. The
 * section then has no such attribute. Null when the word is well formed.
 */
function binWordProblem(key: string, value: string | null, text: string): AttributeProblem | null {
  const flag = key === 'progbits' || key === 'nobits';
  if (flag ? value !== null : value === null) return unknownToBin(text);
  if (flag || value !== '') return null;
  if (key === 'follows' || key === 'vfollows')
    return { message: `expecting section name for \`${key}' attribute`, report: 'bin-final-pass-error' };
  return { message: "No value given to attribute in `section' directive", report: 'bin-final-pass' };
}

/** Applies `progbits`, `nobits`, `alloc`, `exec`, `write`, `align=` … to `base`; returns the problems with bad ones. */
export function applySectionAttributes(
  base: SectionAttributes,
  attributes: SectionDirective['attributes'],
  parseNumber: (text: string) => bigint | null,
  /** For nasm's per-format wording of unknown attributes (and elf32 not knowing the bin-only ones). */
  context: { format: OutputFormatName; sectionName: string } | null = null,
): AttributeProblem[] {
  const problems: AttributeProblem[] = [];
  for (const { key, value, text } of attributes) {
    // nasm names an unknown attribute as written: elf its key (`CLASS` of `CLASS=CODE`), bin the whole word.
    const writtenKey = text.split('=')[0] ?? key;
    if (context && isElfFormat(context.format) && BIN_ONLY.includes(key)) {
      problems.push({
        message: `unknown section attribute '${writtenKey}' ignored on declaration of section \`${context.sectionName}'`,
        report: 'warning',
      });
      continue;
    }
    if (context?.format === 'bin') {
      const problem = BIN_KNOWN.includes(key) ? binWordProblem(key, value, text) : unknownToBin(text);
      if (problem !== null) {
        problems.push(problem);
        continue;
      }
    }
    // `merge`, `strings` and entry sizes ignore a value as the other ELF words do (`byte=1` is `byte`: measured).
    if (context !== null && isElfFormat(context.format) && readElfEntryAttribute(base, key, context)) continue;
    switch (key) {
      case 'progbits':
        base.kind = 'progbits';
        break;
      case 'nobits':
        base.kind = 'nobits';
        break;
      case 'note':
        base.kind = 'note';
        break;
      case 'alloc':
        base.alloc = true;
        break;
      case 'noalloc':
        base.alloc = false;
        break;
      case 'exec':
        base.exec = true;
        break;
      case 'noexec':
        base.exec = false;
        break;
      case 'write':
        base.write = true;
        break;
      case 'nowrite':
        base.write = false;
        break;
      case 'tls':
        base.tls = true;
        break;
      case 'notls':
        base.tls = false;
        break;
      case 'align': {
        // `align` with no value: an error to ELF (`align`, `align=`, `align =`), to bin an unknown word.
        const elfFormat = context !== null && isElfFormat(context.format);
        if (elfFormat && (value === null || value === '')) {
          problems.push({ message: 'section align without value specified', report: 'error' });
          break;
        }
        if (elfFormat && value !== null) {
          const elf = elfAlignment(value, parseNumber);
          if (elf.problem !== undefined) problems.push({ message: elf.problem, report: 'error' });
          else if (elf.align !== null) {
            base.align = Number(elf.align);
            base.alignDefined = true;
          }
          break;
        }
        const n = value === null ? null : parseNumber(value);
        if (n === null || n <= 0n || (n & (n - 1n)) !== 0n) {
          problems.push(
            context?.format === 'bin'
              ? { message: "argument to `align' is not a power of two", report: 'after-pass-one' }
              : { message: `section alignment ${value} is not a power of two`, report: 'error' },
          );
        } else {
          base.align = Number(n);
          base.alignDefined = true;
        }
        break;
      }
      case 'start':
        base.start = value === null ? null : parseNumber(value);
        break;
      case 'vstart':
        base.vstart = value === null ? null : parseNumber(value);
        break;
      case 'follows':
        base.follows = value;
        break;
      case 'vfollows':
        base.vfollows = value;
        break;
      case 'valign': {
        const n = value === null ? null : parseNumber(value);
        if (n === null || n <= 0n || (n & (n - 1n)) !== 0n)
          problems.push({ message: `section alignment ${value} is not a power of two`, report: 'error' });
        else base.valign = Number(n);
        break;
      }
      default:
        // An ELF attribute with no name before its `=` (`=1`, `=`) is dropped without a word (measured).
        if (writtenKey === '' && context !== null && isElfFormat(context.format)) break;
        problems.push(
          context === null
            ? { message: `unknown section attribute \`${writtenKey}' ignored`, report: 'warning' }
            : isElfFormat(context.format)
              ? {
                  message: `unknown section attribute '${writtenKey}' ignored on declaration of section \`${context.sectionName}'`,
                  report: 'warning',
                }
              : { message: `ignoring unknown section attribute: "${text}"`, report: 'bin-final-pass' },
        );
    }
  }
  if (context !== null && isElfFormat(context.format)) finishElfEntries(base, attributes, problems);
  return problems;
}

/**
 * ELF's entry attributes (nasm 2.16.01, measured with readelf): a size word sets the entry size,
 * the last one written winning (`tword` is 10, `pointer` the address size, single letters too).
 */
const ENTRY_SIZES: Readonly<Record<string, number>> = {
  byte: 1,
  b: 1,
  word: 2,
  w: 2,
  dword: 4,
  d: 4,
  qword: 8,
  q: 8,
  tword: 10,
  t: 10,
  oword: 16,
  o: 16,
  x: 16,
  yword: 32,
  y: 32,
  zword: 64,
  z: 64,
};

/** `merge`, `strings` or an entry size, taken into `base`; false for any other attribute. */
function readElfEntryAttribute(base: SectionAttributes, key: string, context: { format: OutputFormatName }): boolean {
  const word = key.toLowerCase();
  if (word === 'merge') base.merge = true;
  else if (word === 'strings') base.strings = true;
  else if (word === 'pointer' || word === 'p') base.entrySize = context.format === 'elf64' ? 8 : 4;
  else if (ENTRY_SIZES[word] !== undefined) base.entrySize = ENTRY_SIZES[word];
  else return false;
  return true;
}

/**
 * After a declaration's attributes: `merge` needs a size or `strings` (which alone mean 1-byte
 * characters), and a size written without `align=` aligns the section to the size's largest
 * power-of-two factor (`qword` 8, `tword` 2).
 */
function finishElfEntries(
  base: SectionAttributes,
  attributes: SectionDirective['attributes'],
  problems: AttributeProblem[],
): void {
  const sizeWritten = attributes.some((a) => entrySizeWord(a.key));
  if (!sizeWritten && !attributes.some((a) => /^(merge|strings)$/i.test(a.key))) return;
  if (base.merge === true && base.entrySize === undefined) {
    if (base.strings !== true)
      problems.push({
        message: "section attribute merge specified without an entry size or `strings'",
        report: 'error',
      });
    else base.entrySize = 1;
  }
  if (sizeWritten && base.entrySize !== undefined && !attributes.some((a) => a.key === 'align'))
    base.align = base.entrySize & -base.entrySize;
}

function entrySizeWord(key: string): boolean {
  const word = key.toLowerCase();
  return word === 'pointer' || word === 'p' || ENTRY_SIZES[word] !== undefined;
}
