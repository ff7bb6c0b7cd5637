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
  if (bin && ctx.pass === 1) attributes = binLateAttributes(ctx, entered, attributes, place);
  if (bin && ctx.finalPass && parsed.attributes.some((a) => BIN_VALUE_KEYS.includes(a.key) && a.value === ''))
    ctx.warn("No value given to attribute in `section' directive", 'other');
  if (ctx.pass === 1 && attributes.length > 0) applyAttributes(ctx, entered, attributes, redeclared);
  if (bin && ctx.finalPass) for (const w of binUnknownAttributes(entered, parsed.attributes)) ctx.warn(w, 'other');
  if (bin) defineSectionSymbols(ctx, entered);
};

/**
 * bin names its unknown attributes in nasm's final pass (so not at all when pass one had errors);
 * elf does in pass one. Read on a copy: the attributes were applied in pass one.
 */
function binUnknownAttributes(target: SectionState, attributes: SectionDirective['attributes']): string[] {
  const scratch = structuredClone(target.attributes);
  const problems = applySectionAttributes(scratch, attributes, () => null, { format: 'bin', sectionName: target.name });
  return problems.filter((p) => p.report === 'bin-final-pass').map((p) => p.message);
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
 * messages; an empty one only draws a warning. Returns the attributes to apply now.
 */
function binLateAttributes(
  ctx: AssemblyContext,
  target: SectionState,
  attributes: Attribute[],
  place: Place,
): Attribute[] {
  const now: Attribute[] = [];
  for (const a of attributes) {
    if (!BIN_VALUE_KEYS.includes(a.key) || a.value === null || readNumber(a.value).kind === 'integer') now.push(a);
    else if (a.value !== '') {
      const [statement, location] = [ctx.currentIndex, ctx.currentLocation];
      ctx.afterPassOneChecks.push(() => {
        lateAttribute(ctx, target, a, place, (m) => {
          ctx.reportAfterPassOne(m, statement, location);
        });
      });
    }
  }
  return now;
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
    report(v.message);
    report(invalid);
    return;
  }
  if (v.unknown && ctx.missingSymbol !== null) {
    report(`symbol \`${ctx.missingSymbol}' not defined`);
    report(invalid);
  } else if (!isCriticalNumber(v)) {
    report('section attribute value must be a critical expression');
  } else {
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
  const problems = applySectionAttributes(
    target.attributes,
    attributes,
    (t) => {
      const r = readNumber(t);
      return r.kind === 'integer' ? r.value : null;
    },
    { format: ctx.options.format, sectionName: target.name },
  );
  if (keepsAlign) target.attributes.align = Math.max(target.attributes.align, alignBefore);
  if (elf && redeclared && !sameKind(declaredBefore, kindOf(target.attributes))) {
    // nasm keeps a section's type and flags from its first declaration (the alignment still rises).
    restoreKind(target.attributes, declaredBefore);
    problems.unshift({
      message: `incompatible section attributes ignored on redeclaration of section \`${target.name}'`,
      report: 'warning',
    });
  }
  for (const p of problems) {
    if (p.report === 'after-pass-one') ctx.reportAfterPassOne(p.message);
    else if (p.report === 'error') ctx.diagnostics.error(p.message, ctx.currentLocation);
    else if (p.report === 'warning') ctx.warnNow(p.message, 'other');
    // 'bin-final-pass': named by the final pass (binUnknownAttributes).
  }
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
