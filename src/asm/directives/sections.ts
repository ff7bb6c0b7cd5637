/** `section`/`segment`, `absolute` and `sectalign`: where the following statements go. */
import { readNumber } from '../../core/numbers.js';
import { isCriticalNumber, makeValue, type Value } from '../../core/value.js';
import { EvalError } from '../../core/expressions.js';
import { StatementError, type AssemblyContext } from '../context.js';
import { LayoutDependence } from '../memos.js';
import type { SectionDirective } from '../../parse/ast.js';
import { expressionArgument } from '../../parse/directives.js';
import { applySectionAttributes, joinSpacedValues } from '../sections.js';
import type { SectionState } from '../stream.js';
import type { SectionAttributes } from '../object.js';
import { argumentsOf, type DirectiveHandler } from './types.js';
import { isElfFormat } from '../writer.js';

const section: DirectiveHandler = (ctx, directive) => {
  const parsed = argumentsOf(directive, 'section').section;
  if (!parsed) return;
  const redeclared = ctx.stream.isDeclared(parsed.name);
  // `$` and `$$` in bin's attribute expressions are those of the section left (measured).
  const place = { here: ctx.lineStart, sectionStart: ctx.stream.sectionStartValue() };
  const entered = ctx.stream.enterSection(parsed.name);
  const bin = ctx.options.format === 'bin';
  let attributes = bin ? parsed.attributes : joinSpacedValues(parsed.attributes);
  // bin: a value that is no plain number waits for the end of pass one (queueLateAttribute).
  if (bin && ctx.pass === 1) attributes = attributes.filter((a) => !isLateAttribute(a));
  if (ctx.pass === 1 && attributes.length > 0) applyAttributes(ctx, entered, attributes, redeclared);
  if (bin && (ctx.pass === 1 || ctx.finalPass)) reportBinAttributes(ctx, entered, parsed.attributes, place);
  if (bin) defineSectionSymbols(ctx, entered);
};

/**
 * nasm reads bin's attributes again in its second pass and speaks then, word by word: shown if
 * that pass stops assembly with an error (one of these or another), else said again by the final
 * pass (elf speaks in pass one). A value that is no plain number is evaluated once pass one is
 * over, its messages in its place among the others.
 */
function reportBinAttributes(
  ctx: AssemblyContext,
  target: SectionState,
  attributes: SectionDirective['attributes'],
  place: Place,
): void {
  // Read on a copy: the attributes were applied in pass one.
  const scratch = structuredClone(target.attributes);
  for (const a of attributes) {
    if (ctx.pass === 1 && isLateAttribute(a)) queueLateAttribute(ctx, target, a, place);
    for (const m of binAttributeMessages(ctx, target, scratch, a)) {
      if (ctx.pass === 1) {
        if (m.error) ctx.reportAfterPassOne(m.message);
        else ctx.warnAfterPassOne(m.message, 'other');
      } else if (m.error) ctx.diagnostics.error(m.message, ctx.currentLocation);
      else ctx.warn(m.message, 'other');
    }
  }
  // A first declaration without a type word makes the section progbits.
  const type = binType(ctx, target);
  type.kind ??= 'progbits';
}

interface AttributeMessage {
  message: string;
  error: boolean;
}

/**
 * What bin says about one attribute word after its first pass: an unknown word, an empty value,
 * a literal `align=` that is no power of two (an expression's: lateAttribute), `start` beside
 * `follows` (or `vstart` beside `vfollows`) on one section.
 */
function binAttributeMessages(
  ctx: AssemblyContext,
  target: SectionState,
  scratch: SectionAttributes,
  a: Attribute,
): AttributeMessage[] {
  const messages: AttributeMessage[] = [];
  const literal = a.value !== null && integerLiteral(a.value) !== null;
  for (const p of applySectionAttributes(scratch, [a], integerLiteral, { format: 'bin', sectionName: target.name })) {
    const said = p.report === 'bin-final-pass' || p.report === 'bin-final-pass-error';
    if (said || (p.report === 'after-pass-one' && literal))
      messages.push({ message: p.message, error: p.report !== 'bin-final-pass' });
  }
  return [...messages, ...typeChange(ctx, target, a), ...placementClash(ctx, target, a)];
}

/** bin: each section's type in a pass, null while its first declaration has given none yet. */
const binTypes = new WeakMap<SectionState, { pass: number; kind: 'progbits' | 'nobits' | null }>();

/**
 * bin fixes a section's type once: `.text` and `.data` are progbits and `.bss` nobits from the
 * start, another section takes the first type word of its first declaration (else progbits).
 * A type word that differs later, on that line or another, is refused (measured).
 */
function typeChange(ctx: AssemblyContext, target: SectionState, a: Attribute): AttributeMessage[] {
  if ((a.key !== 'progbits' && a.key !== 'nobits') || a.value !== null) return [];
  const type = binType(ctx, target);
  if (type.kind === null) type.kind = a.key;
  if (type.kind === a.key) return [];
  return [{ message: `attempt to change section type from ${type.kind} to ${a.key}`, error: true }];
}

function binType(ctx: AssemblyContext, target: SectionState): { pass: number; kind: 'progbits' | 'nobits' | null } {
  let type = binTypes.get(target);
  if (type?.pass !== ctx.pass) {
    const name = target.name;
    type = {
      pass: ctx.pass,
      kind: name === '.bss' ? 'nobits' : name === '.text' || name === '.data' ? 'progbits' : null,
    };
    binTypes.set(target, type);
  }
  return type;
}

/**
 * The placement words each bin section has been given so far in a pass (pass one or the final
 * one), and the first `start`/`vstart` value after pass one (startRedefinition).
 */
const placed = new WeakMap<SectionState, { pass: number; words: Set<string>; starts: Map<string, bigint> }>();
/** Placement words a section cannot have both of: where it starts, or which section it follows. */
const CLASHING: Readonly<Record<string, string>> = {
  start: 'follows',
  follows: 'start',
  vstart: 'vfollows',
  vfollows: 'vstart',
};
/** The value a late (expression) `start=`/`vstart=` came to after pass one, for startRedefinition. */
const lateStartValues = new WeakMap<Attribute, bigint>();

/**
 * nasm's error for a section given both `start` and `follows` (or `vstart` and `vfollows`), in
 * either order and over several declarations, at the word that completes the pair (measured).
 * A `vfollows` after a `vstart` is not taken (its name is read as a word of its own); a `start`
 * that does not clash is compared with the section's first one (startRedefinition).
 */
function placementClash(ctx: AssemblyContext, target: SectionState, a: Attribute): AttributeMessage[] {
  const other = CLASHING[a.key];
  if (other === undefined || a.value === null || a.value === '') return [];
  let given = placed.get(target);
  if (given?.pass !== ctx.pass) {
    given = { pass: ctx.pass, words: new Set<string>(), starts: new Map<string, bigint>() };
    placed.set(target, given);
  }
  if (!given.words.has(other)) {
    given.words.add(a.key);
    if (ctx.pass === 1 && (a.key === 'start' || a.key === 'vstart')) startRedefinition(ctx, given.starts, a);
    return [];
  }
  if (a.key !== 'vfollows') given.words.add(a.key);
  const virtual = a.key.startsWith('v') ? 'v' : '';
  const clash = {
    message: `cannot combine \`${virtual}start' and \`${virtual}follows' section attributes`,
    error: true,
  };
  // After a `vstart`, nasm reads the name a `vfollows=` gives as a word of its own (measured).
  if (a.key === 'vfollows')
    return [clash, { message: `ignoring unknown section attribute: "${a.value}"`, error: false }];
  return [clash];
}

/**
 * A section keeps its first `start=` (`vstart=`): another value, on the same line or a later
 * declaration, is an error of nasm's second pass (measured: `start=3 start=4 start=4` is two,
 * `start=3 start=03h` none). Checked once pass one is over, in line order, when an expression's
 * value is known (lateAttribute), its message in the attribute's place.
 */
function startRedefinition(ctx: AssemblyContext, starts: Map<string, bigint>, a: Attribute): void {
  const at = ctx.afterPassOnePlace();
  const literal = integerLiteral(a.value ?? '');
  ctx.afterPassOneChecks.push(() => {
    const value = literal ?? lateStartValues.get(a);
    if (value === undefined) return; // an expression nasm could not evaluate: its own messages
    const first = starts.get(a.key);
    if (first === undefined) starts.set(a.key, value);
    else if (first !== value)
      ctx.reportAfterPassOne(
        a.key === 'start' ? 'section start address redefined' : 'section virtual start address (vstart) redefined',
        at,
      );
  });
}

/** bin's attributes that take an expression; nasm evaluates them in its second pass. */
const BIN_VALUE_KEYS = ['align', 'start', 'vstart', 'valign'];
type Attribute = SectionDirective['attributes'][number];
interface Place {
  here: Value;
  sectionStart: Value;
}

/**
 * bin: a value that is no plain number (`align=4*4`, `start=fwd`, `vstart=und`) is evaluated once
 * pass one is over, when symbols defined further down have values, with nasm's second-pass
 * messages. (An empty one only draws a warning: binWordProblem.)
 */
function isLateAttribute(a: Attribute): boolean {
  return BIN_VALUE_KEYS.includes(a.key) && a.value !== null && a.value !== '' && integerLiteral(a.value) === null;
}

function queueLateAttribute(ctx: AssemblyContext, target: SectionState, a: Attribute, place: Place): void {
  // Its messages go where the attribute is written, among the line's other messages.
  const at = ctx.afterPassOnePlace();
  ctx.afterPassOneChecks.push(() => {
    lateAttribute(ctx, target, a, place, (m) => {
      ctx.reportAfterPassOne(m, at);
    });
  });
}

function lateAttribute(
  ctx: AssemblyContext,
  target: SectionState,
  a: Attribute,
  place: Place,
  report: (m: string) => void,
): void {
  const invalid = "Invalid attribute value specified in `section' directive.";
  const argument = expressionArgument(a.value ?? '');
  if (argument.kind !== 'expression') return;
  if (argument.expr === null) {
    // nasm: an unclosed parenthesis is its only complaint; other syntax errors add the attribute's.
    const unclosed = (a.value ?? '').split('(').length > (a.value ?? '').split(')').length;
    report(unclosed ? "expecting `)'" : 'expression syntax error');
    if (!unclosed) report(invalid);
    return;
  }
  const v = ctx.evaluateAt(argument.expr, place.here, place.sectionStart);
  if (v instanceof EvalError) {
    // As nasm reads the value, an undefined symbol stops it before any later error (`align=x/0`).
    report(ctx.missingSymbol !== null ? `symbol \`${ctx.missingSymbol}' not defined` : v.message);
    report(invalid);
    return;
  }
  if (v.unknown && ctx.missingSymbol !== null) {
    report(`symbol \`${ctx.missingSymbol}' not defined`);
    report(invalid);
  } else if (!isCriticalNumber(v)) {
    report('section attribute value must be a critical expression');
  } else {
    lateStartValues.set(a, v.offset);
    const problems = applySectionAttributes(target.attributes, [{ ...a, value: String(v.offset) }], (t) => BigInt(t), {
      format: ctx.options.format,
      sectionName: target.name,
    });
    for (const p of problems) report(p.message);
  }
}

/**
 * bin defines `section.NAME.start` (load address) and `section.NAME.vstart` (run address) for every
 * declared section: relocatable values, usable before the declaration (not in critical expressions).
 */
function defineSectionSymbols(ctx: AssemblyContext, section: SectionState): void {
  const a = section.attributes;
  // Without vstart=/vfollows= both addresses are the same: keep one segment so `section.x.start - $$` is a number.
  const moved = a.vstart !== null || a.vfollows !== null;
  const bases: Array<[string, number]> = [
    ['start', moved ? ctx.stream.loadSegmentOf(section) : section.segment],
    ['vstart', section.segment],
  ];
  for (const [suffix, base] of bases) {
    const sym = ctx.symbols.symbol(`section.${section.name}.${suffix}`);
    sym.kind = 'equ';
    sym.definedInPass = ctx.pass;
    // Not through setSymbolValue: these are no symbols of the output (nor of the map).
    if (sym.value?.base === base) continue;
    sym.value = makeValue(0n, base, false, null, false);
    ctx.changed = true;
  }
}

/** What an ELF section's type and flags are, all but its alignment. */
interface DeclaredKind {
  kind: SectionAttributes['kind'];
  alloc: boolean;
  exec: boolean;
  write: boolean;
  tls: boolean;
  merge: boolean;
  strings: boolean;
  entrySize: number;
}

function kindOf(a: SectionAttributes): DeclaredKind {
  const { kind, alloc, exec, write, tls } = a;
  return {
    kind,
    alloc,
    exec,
    write,
    tls,
    merge: a.merge === true,
    strings: a.strings === true,
    entrySize: a.entrySize ?? 0,
  };
}

function sameKind(a: DeclaredKind, b: DeclaredKind): boolean {
  return (Object.keys(a) as Array<keyof DeclaredKind>).every((k) => a[k] === b[k]);
}

function restoreKind(a: SectionAttributes, k: DeclaredKind): void {
  Object.assign(a, { kind: k.kind, alloc: k.alloc, exec: k.exec, write: k.write, tls: k.tls });
  a.merge = k.merge;
  a.strings = k.strings;
  if (k.entrySize > 0) a.entrySize = k.entrySize;
  else delete a.entrySize;
}

/** Pass 1: the attributes a `section` line gives, with nasm's complaints about bad ones. */
function applyAttributes(
  ctx: AssemblyContext,
  target: SectionState,
  attributes: SectionDirective['attributes'],
  redeclared: boolean,
): void {
  const elf = isElfFormat(ctx.options.format);
  // nasm 2.16.01 (elf): naming any attribute on a section's first declaration drops the name's
  // default alignment to 1 unless align= is given; a later declaration only ever raises it
  // (in bin, an alignment given before: its default of 4 for data sections is no floor).
  const alignBefore = target.attributes.align;
  const declaredBefore = kindOf(target.attributes);
  const keepsAlign = redeclared && (elf || target.attributes.alignDefined);
  if (elf && !redeclared && !attributes.some((a) => a.key === 'align')) target.attributes.align = 1;
  const problems = applySectionAttributes(target.attributes, attributes, integerLiteral, {
    format: ctx.options.format,
    sectionName: target.name,
  });
  if (keepsAlign) target.attributes.align = Math.max(target.attributes.align, alignBefore);
  if (elf && redeclared && !sameKind(declaredBefore, kindOf(target.attributes))) {
    // nasm keeps a section's type and flags from its first declaration (the alignment still rises).
    restoreKind(target.attributes, declaredBefore);
    problems.push({
      message: `incompatible section attributes ignored on redeclaration of section \`${target.name}'`,
      report: 'warning',
    });
  }
  for (const p of problems) {
    if (p.report === 'error') ctx.diagnostics.error(p.message, ctx.currentLocation);
    else if (p.report === 'warning') ctx.warnNow(p.message, 'other');
    // 'after-pass-one' and 'bin-final-pass…' (bin): in binAttributeMessages' order.
  }
}

/** An attribute's value as a number when it is an integer literal (else it waits: binLateAttributes). */
function integerLiteral(text: string): bigint | null {
  const r = readNumber(text);
  return r.kind === 'integer' ? r.value : null;
}

/** NASM allows a relocatable start (`absolute label+4`): labels there keep its offset. */
const absolute: DirectiveHandler = (ctx, directive) => {
  let v: Value;
  try {
    v = ctx.criticalDirectiveValue(
      argumentsOf(directive, 'expression'),
      'cannot use non-relocatable expression as ABSOLUTE address',
    );
  } catch (e) {
    // nasm enters absolute space even after a bad argument, at 0x100 (measured: the next line's offset).
    if (e instanceof StatementError) {
      ctx.stream.absoluteOffset = 0x100;
      ctx.stream.absoluteBase = null;
    }
    throw e;
  }
  if (v.unknown) ctx.reportError('non-constant argument supplied to ABSOLUTE', true);
  ctx.stream.absoluteOffset = Number(v.offset);
  ctx.stream.absoluteBase = v.base;
  // Labels in a space that starts at a label move with layout: keep to plain passes.
  if (v.base !== null) ctx.memos.layout[ctx.currentIndex] = LayoutDependence.Unsafe;
};

/**
 * `sectalign N` (and the `align`/`alignb` macros built on it): N must be a power of two below 2^31
 * (nasm 2.16.01's messages quote the argument as written; pass-one errors).
 */
const sectalign: DirectiveHandler = (ctx, directive) => {
  // A label's offset counts as the number (`x: sectalign x` at 0 is "not power of two").
  // A register in the argument (`sectalign ebx`) skips the directive without a word (measured).
  const v = ctx.criticalDirectiveValue(argumentsOf(directive, 'expression'), null);
  if (v.unknown) ctx.reportError('non-constant argument supplied to directive', true);
  const value = BigInt.asUintN(64, v.offset);
  const written = directive.args.trim();
  if (value === 0n || (value & (value - 1n)) !== 0n)
    ctx.reportError(`segment alignment \`${written}' is not power of two`, true);
  const log2 = value.toString(2).length - 1;
  if (log2 >= 31) ctx.reportError(`absurdly large segment alignment \`${written}' (2^${log2})`, true);
  const n = Number(value);
  const current = ctx.stream.current;
  if (ctx.stream.absoluteOffset === null && n > current.attributes.align) {
    current.attributes.align = n;
    current.attributes.alignDefined = true;
  }
};

export const SECTION_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  section,
  segment: section,
  absolute,
  sectalign,
};
