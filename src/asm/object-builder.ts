/**
 * After the final pass: the object model (object.ts) the writers serialise,
 * with sections in output order and symbols in definition order.
 */
import { OUTPUT_LIMIT, type AssemblyContext } from './context.js';
import type { ObjectFile, ObjectSection, ObjectSymbol, Relocation } from './object.js';
import type { SectionState } from './stream.js';
import { declarationOf, type SymbolEntry } from './symbols.js';

export function buildObject(ctx: AssemblyContext): ObjectFile {
  // Declared sections in declaration order, then the implicit default section if it was used.
  const outputSections = ctx.stream.sections
    .filter((s) => s.declared || s.used)
    .sort((a, b) => a.declaredOrder - b.declaredOrder);
  const sectionIndex = new Map<SectionState, number>(outputSections.map((s, i) => [s, i]));
  const { symbols, symbolIndexByName } = outputSymbols(ctx, sectionIndex, relocationTargetNames(ctx, outputSections));
  const sections: ObjectSection[] = outputSections.map((s) => ({
    name: s.name,
    attributes: s.attributes,
    data: s.attributes.kind === 'nobits' ? new Uint8Array(0) : s.bytes.result(),
    size: s.offset - s.nobitsShortfall,
    relocations: s.relocations
      .filter((r) => r.listedOnly !== true)
      .map((r) => {
        const seg = ctx.stream.segments[r.targetSegment];
        const target: Relocation['target'] = !seg
          ? { kind: 'absolute' }
          : r.targetSymbol
            ? { kind: 'symbol', symbolIndex: symbolIndexByName.get(r.targetSymbol.name) ?? 0 }
            : seg.kind === 'section'
              ? {
                  kind: 'section',
                  sectionIndex: sectionIndex.get(seg.section) ?? 0,
                  ...(seg.load === true ? { load: true as const } : {}),
                }
              : { kind: 'symbol', symbolIndex: symbolIndexByName.get(seg.symbol.name) ?? 0 };
        const relocation: Relocation = { offset: r.offset, size: r.size, relative: r.relative, target, wrt: r.wrt };
        if (r.signed === true) relocation.signed = true;
        if (r.wideAddend !== undefined) relocation.wideAddend = r.wideAddend;
        return relocation;
      }),
  }));
  const outputLimit = ctx.options.outputLimit ?? OUTPUT_LIMIT;
  const map = ctx.mapRequest !== null ? { map: ctx.mapRequest } : {};
  const object: ObjectFile = {
    sourceName: ctx.options.sourceName,
    sections,
    symbols,
    origin: ctx.origin,
    outputLimit,
    ...map,
  };
  if (ctx.originGiven) object.originGiven = true;
  return object;
}

/**
 * The names of the symbols relocations refer to: the only ones whose index buildObject looks up
 * (a file of a million labels need not have a table of them all).
 */
function relocationTargetNames(ctx: AssemblyContext, sections: readonly SectionState[]): Set<string> {
  const names = new Set<string>();
  for (const section of sections)
    for (const r of section.relocations) {
      const seg = ctx.stream.segments[r.targetSegment];
      if (r.targetSymbol) names.add(r.targetSymbol.name);
      else if (seg !== undefined && seg.kind !== 'section') names.add(seg.symbol.name);
    }
  return names;
}

function outputSymbols(
  ctx: AssemblyContext,
  sectionIndex: ReadonlyMap<SectionState, number>,
  relocationTargets: ReadonlySet<string>,
): { symbols: ObjectSymbol[]; symbolIndexByName: Map<string, number> } {
  // In final-pass definition order (outputOrder, unique when set), referenced externs (no order) first.
  // (A list kept in that order: filling an array by outputOrder, out of order, made it a slow sparse one.)
  const ordered: SymbolEntry[] = [];
  for (const s of ctx.symbols.values()) if (s.outputOrder < 0 && s.kind === 'extern' && s.referenced) ordered.push(s);
  for (const s of ctx.symbols.inOutputOrder()) ordered.push(s);
  const symbols: ObjectSymbol[] = [];
  const symbolIndexByName = new Map<string, number>();
  const mangled = ctx.nameMangling.active;
  for (const s of ordered) {
    if (s.name.startsWith('..') && !s.name.startsWith('..@')) continue; // special symbols
    if (s.kind === 'extern' && !s.referenced) continue;
    if (relocationTargets.size > 0 && relocationTargets.has(s.name)) symbolIndexByName.set(s.name, symbols.length);
    const declared = declarationOf(s);
    const symbol: ObjectSymbol = {
      name: mangled ? mangledName(ctx, s) : s.name,
      binding: s.global || s.kind === 'extern' || s.kind === 'common' ? 'global' : 'local',
      section: symbolSection(ctx, s, sectionIndex),
      value: s.kind === 'common' ? BigInt(declared.commonAlign) : (s.value?.offset ?? 0n),
      size: declared.elfSizeValue ?? (s.kind === 'common' ? declared.commonSize : 0),
      visibility: declared.elfVisibility ?? 'default',
      type: declared.elfType ?? 'notype',
      commonAlign: declared.commonAlign,
      referenced: s.referenced,
    };
    if (declared.elfWeak) symbol.weak = true;
    symbols.push(symbol);
  }
  return { symbols, symbolIndexByName };
}

/** A symbol's name in the object file with the name affixes (some were set). */
function mangledName(ctx: AssemblyContext, s: SymbolEntry): string {
  const mangling = ctx.nameMangling;
  // nasm 2.16.01 gives commons the local affixes (measured).
  const globalName = s.kind !== 'common' && (s.global || s.kind === 'extern' || mangling.staticNames.has(s.name));
  return mangling.mangle(s.name, globalName);
}

function symbolSection(
  ctx: AssemblyContext,
  s: SymbolEntry,
  sectionIndex: ReadonlyMap<SectionState, number>,
): ObjectSymbol['section'] {
  if (s.kind === 'extern') return 'undef';
  if (s.kind === 'common') return 'common';
  if (!s.value || s.value.base === null) return 'abs';
  const seg = ctx.stream.segments[s.value.base];
  return seg && seg.kind === 'section' ? (sectionIndex.get(seg.section) ?? 'abs') : 'undef';
}
