/**
 * The assembler core: symbol table, sections and NASM's multi-pass layout.
 *
 * NASM's rules, reproduced exactly (its final layout is the fixed point of
 * these rules, not the smallest layout):
 *  - Pass 1 is optimistic: a symbol not yet defined is "unknown", and the
 *    encoder picks the form NASM picks for unknown values (short jumps).
 *  - Every later pass walks the statements in order with ONE value per symbol:
 *    a symbol defined earlier in this pass has this pass's value, a forward
 *    reference sees the value from the previous pass. Sizes may grow or shrink.
 *  - Passes repeat until a pass changes no symbol value; then the final pass
 *    emits bytes with exactly the same rules, so sizes cannot disagree.
 *  - Parse errors and other pass-1 errors stop assembly after pass 1; the rest
 *    (undefined symbols, bad operands, ranges) are reported in the final pass.
 *
 * Speed: statements are parsed once. Each pass touches a statement only as far
 * as needed: sizes of statements that cannot depend on layout are computed
 * once; an instruction whose operand values, taken relative to its own
 * address, did not change keeps its previous size without calling the encoder.
 */
import type { DiagnosticSink, Diagnostic, SourceLocation } from '../core/diagnostics.js';
import type { Statement } from '../parse/ast.js';
import { AssemblyContext, StatementError, type AssemblerOptions, type PassSnapshot } from './context.js';
import { runDirective } from './directives/index.js';
import { defineSpecialSymbol, refuseBinSpecials } from './directives/symbols.js';
import { staticLayoutDependence, trySettling, type Relaxation, type StatementPlaces } from './layout.js';
import { buildObject } from './object-builder.js';
import type { ObjectFile, Relocation } from './object.js';
import type { RelaxDirection } from './relax.js';
import { liveSymbols } from './pp-symbols.js';
import type { StatementSource } from './reread.js';
import { emitBody } from './statements.js';
import { onlyPlacedInMiddlePasses } from './instructions.js';
import type { SectionState } from './stream.js';
import { claimDeclaredSymbol, defineEqu } from './definitions.js';

/** nasm's `--limit-stalled-passes` default: passes in a row without fewer labels moving. */
const STALLED_PASS_LIMIT = 1000;

export type { AssemblerOptions, PassSnapshot } from './context.js';
export { bitsSetBy } from '../parse/directives.js';

/** Pass statistics for the teaching views and the benchmark. */
export interface PassReport {
  passes: number;
  /**
   * Set when the pass loop was short-cut by the layout model (src/asm/relax.ts):
   * after which assembler pass, how many passes it replayed on the model, and
   * whether (which way) the worklist finished, changing how many jumps.
   */
  relaxation?: { afterPass: number; replayedPasses: number; direction: RelaxDirection | null; jumpsChanged: number };
}

/**
 * What one statement produced in the final pass: the raw material for the
 * listing (`-l`) and the teaching views. One record per statement, in order.
 */
export interface EmissionRecord {
  statementIndex: number;
  location: SourceLocation;
  /** Section name, or null in `absolute` space. */
  section: string | null;
  /** Offset of the statement's start in its section (or the absolute counter). */
  offset: number;
  /** Bytes the statement put into its section (empty for nobits/absolute). */
  bytes: Uint8Array;
  /** Fields in `bytes` that carry relocations (`at` relative to the statement start). */
  relocations: Array<{
    at: number;
    size: number;
    external: boolean;
    relative: boolean;
    /** elf32 `wrt ..x` kind, when there is one. */
    wrt?: Relocation['wrt'];
    /** For `wrt ..sym`/`..got` against a label of this file: the offset of the symbol the field is relative to. */
    targetOffset?: number;
    /** A `seg x` field (an error in elf32; nasm lists it as [ssss]). */
    segment?: boolean;
    /** PC-relative from the end of the instruction (branches, RIP-relative operands), not from the field (`x - $`). */
    fromEnd?: boolean;
  }>;
  /** Address space taken without file bytes (resb in .bss, absolute). */
  reserved: number;
  /** For `equ`: the value. */
  equValue: bigint | null;
  /** For `times`: the repeat count. */
  repeat: number | null;
}

/** Where the current section's output stood before a statement (for its EmissionRecord). */
interface StreamMark {
  section: SectionState;
  absolute: number | null;
  offset: number;
  length: number;
  relocations: number;
}

/** The pass driver: runs NASM's passes over the statements and builds the object after the final one. */
export class Assembler {
  private readonly ctx: AssemblyContext;
  /** Diagnostics reported in pass 1, with the statement being assembled (for nasm's message order). */
  readonly pass1StatementOfDiagnostic = new Map<Diagnostic, number>();
  /** The same for the final pass. */
  readonly finalStatementOfDiagnostic = new Map<Diagnostic, number>();
  /** Warnings nasm gives while reading a line's label (see ScannerWarning.ofLabel), for the message order. */
  readonly labelWordDiagnostics = new Set<Diagnostic>();
  /** Final-pass records, one per statement (see EmissionRecord). */
  readonly emissions: EmissionRecord[] = [];
  private places: StatementPlaces;
  /** Some statement got smaller (larger) in this pass than in the previous one. */
  private shrank = false;
  private grew = false;
  private relaxation: Relaxation | undefined;
  /** Per statement, 1 where a middle pass may only place it (onlyPlacedInMiddlePasses); made for the first one. */
  private plainInstruction: Uint8Array | undefined;

  constructor(
    private readonly statements: Statement[],
    private readonly options: AssemblerOptions,
    private readonly diagnostics: DiagnosticSink,
  ) {
    const ctx = new AssemblyContext(statements, options, diagnostics);
    this.ctx = ctx;
    for (const stmt of statements) ctx.memos.add(staticLayoutDependence(ctx, stmt.body));
    this.places = newPlaces(statements.length);
  }

  /**
   * Whether the last run got to its final pass. Stopped before it (errors in pass 1, or a later
   * pass that stops assembly), nasm never prints its final pass's messages: `%warning`, `%error`.
   */
  get reachedFinalPass(): boolean {
    return this.ctx.finalPass;
  }

  /** Runs all passes; returns the object model, or null when there were errors. */
  run(): { object: ObjectFile | null; report: PassReport } {
    const errorsBefore = this.diagnostics.errorCount;
    this.runPassOne();
    // Held warnings stand when pass one fails, the reading's errors (passOneOnly) being pass one's too.
    if (this.diagnostics.errorCount === errorsBefore && !this.options.passOneOnly)
      this.diagnostics.withdraw(this.ctx.passOneHeldWarnings);
    if (this.diagnostics.errorCount > errorsBefore || this.options.passOneOnly)
      return { object: null, report: { passes: 1 } };
    refuseBinSpecials(this.ctx);
    for (const check of this.ctx.afterPassOneChecks) check();
    if (this.ctx.afterPassOneErrors.length > 0) {
      // The second pass's messages in statement order (a sort keeps each statement's own order).
      const messages = [
        ...this.ctx.afterPassOneWarnings,
        ...this.ctx.afterPassOneErrors.map((e) => ({ ...e, warningClass: null, promoted: false })),
      ].sort((a, b) => a.statement - b.statement || a.order - b.order);
      for (const m of messages) {
        if (m.warningClass === null) this.diagnostics.error(m.message, m.location);
        else this.diagnostics.warningChecked(m.message, m.location, m.warningClass, m.promoted);
      }
      return { object: null, report: { passes: 2 } };
    }
    // -O0 too: its forward conditional jumps still take the short form in reach, so sizes move
    // and nasm runs passes until the labels settle (measured: a cascade of two forward `jz`s
    // needs a third pass; with two, a jump's field kept the target's stale address).
    const pass = this.optimizingPasses();
    if (pass === null || this.ctx.stopped) return { object: null, report: { passes: this.ctx.pass } };
    this.ctx.finalPass = true;
    this.runPass(pass + 1);
    const report: PassReport = { passes: pass + 1, ...(this.relaxation ? { relaxation: this.relaxation } : {}) };
    if (this.diagnostics.errorCount > errorsBefore) return { object: null, report };
    return { object: buildObject(this.ctx), report };
  }

  /** Pass 1, on the statements as it reads them (passOneStatements), then back to the later passes' ones. */
  private runPassOne(): void {
    const swapped = this.options.passOneStatements ?? [];
    const later = swapped.map(({ at }) => this.statements[at]!);
    for (const { at, statement } of swapped) this.statements[at] = statement;
    try {
      this.runPass(1);
    } finally {
      const memos = this.ctx.memos;
      swapped.forEach(({ at }, i) => {
        const statement = later[i]!;
        this.statements[at] = statement;
        // What pass 1 learnt of the line, its label's entry included, was about other names.
        memos.forget(at, staticLayoutDependence(this.ctx, statement.body));
        memos.label[at] = null;
      });
    }
  }

  /** An explicit limit, else none: nasm's default is to run passes while labels make progress. */
  private maxPasses(): number {
    return this.options.maxPasses ?? Infinity;
  }

  /** Passes until no symbol moves; the last one run, or null (reported) when they never settle. */
  private optimizingPasses(): number | null {
    const maxPasses = this.maxPasses();
    // nasm gives up when the number of labels that move stops going down for too many passes.
    let stalled = 0;
    let previousChanges = Infinity;
    let pass = 2;
    for (; pass <= maxPasses; pass++) {
      this.runPass(pass);
      if (this.ctx.stopped) return null;
      if (!this.ctx.changed) break;
      stalled = this.ctx.changedCount < previousChanges ? 0 : stalled + 1;
      previousChanges = this.ctx.changedCount;
      if (stalled > STALLED_PASS_LIMIT || (this.options.maxPasses !== undefined && pass >= maxPasses)) {
        const where = { file: this.options.sourceName, line: 0 };
        // nasm counts one more pass in -f bin (measured: 1004 passes in bin, 1003 in elf32).
        const passes = pass + (this.options.format === 'bin' ? 1 : 0);
        const message = `unable to find valid values for all labels after ${passes} passes; stalled for ${stalled}, giving up.`;
        this.diagnostics.error(message, where);
        return null;
      }
      if (this.options.layoutModel !== false && this.relaxation === undefined && (this.shrank || this.grew)) {
        // Pass 1 ran on unknown values, so how pass 2 moved says nothing about monotony: replay at least once.
        const moved = pass === 2 || (this.grew && this.shrank) ? 'mixed' : this.grew ? 'grow' : 'shrink';
        const outcome = trySettling(this.ctx, this.places, pass, moved);
        if (outcome !== null) this.relaxation = outcome.relaxation;
        if (outcome !== null && !outcome.settled) {
          pass = maxPasses + 1;
          break;
        }
      }
    }
    if (pass <= maxPasses) return pass;
    this.diagnostics.error(
      `unable to find valid values for all labels after ${maxPasses} passes; stabilized too late`,
      null,
    );
    return null;
  }

  private runPass(pass: number): void {
    const ctx = this.ctx;
    // `default rel`/`bnd` carry over into pass 2 (see beginPass): what pass 1 learnt about sizes
    // was learnt in another mode (`mov eax, [x]` above a `default rel` shrinks in pass 2).
    if (pass === 2 && (ctx.defaultRel || ctx.defaultBnd)) this.forgetSizes();
    ctx.beginPass(pass);
    const passLog: PassSnapshot['statements'] | null = this.options.onPass ? [] : null;
    this.shrank = false;
    this.grew = false;
    const source = this.options.statementSource;
    if (source) this.rereadPass(source, passLog);
    else if (pass > 1 && !ctx.finalPass && passLog === null) this.middlePass();
    else for (let i = 0; i < this.statements.length; i++) this.runStatement(i, passLog);
    if (passLog) this.options.onPass?.({ pass, statements: passLog, labels: this.labelValues() });
  }

  /**
   * A pass between pass one and the final pass, which only places statements. An instruction
   * whose size is known for good (SizeMemos.fixedSize) and that has nothing else to do in such
   * a pass (onlyPlacedInMiddlePasses) just moves the stream on, without the bookkeeping of runStatement:
   * on the code workload that is 9 lines in 10, in every such pass.
   */
  private middlePass(): void {
    const stream = this.ctx.stream;
    const fixedSize = this.ctx.memos.fixedSize;
    const plain = (this.plainInstruction ??= Uint8Array.from(this.statements, (s) =>
      onlyPlacedInMiddlePasses(s) ? 1 : 0,
    ));
    for (let i = 0; i < this.statements.length; i++) {
      const size = fixedSize[i]!;
      if (plain[i] === 1 && size >= 0 && stream.absoluteOffset === null) {
        const start = stream.current.offset;
        stream.advance(size);
        this.recordPlace(i, stream.current.index, start, size);
      } else {
        this.runStatement(i, null);
      }
    }
  }

  private forgetSizes(): void {
    const memos = this.ctx.memos;
    for (let i = 0; i < memos.length; i++) memos.forget(i, staticLayoutDependence(this.ctx, this.statements[i]!.body));
  }

  /**
   * A pass over statements read anew (AssemblerOptions.statementSource): they may differ from
   * the previous pass's, so nothing learnt about a statement is kept from one pass to the next.
   */
  private rereadPass(source: StatementSource, passLog: PassSnapshot['statements'] | null): void {
    const ctx = this.ctx;
    this.statements.length = 0;
    ctx.memos.clear();
    ctx.layoutDerivedCache.clear();
    const symbols = liveSymbols(ctx);
    for (const stmt of source.read(ctx.pass, ctx.finalPass, symbols)) {
      const i = this.statements.length;
      this.statements.push(stmt);
      if (stmt.label !== null) {
        if (stmt.body.kind === 'equ') ctx.equDefinitions.set(stmt.label, stmt.body.value);
        else ctx.labelNames.add(stmt.label);
      }
      ctx.memos.add(staticLayoutDependence(ctx, stmt.body));
      if (i >= this.places.size.length) this.places = newPlaces(2 * i + 16, this.places);
      this.runStatement(i, passLog);
    }
    if (source.endPass()) ctx.stopped = true;
  }

  /** One statement of a pass, with the bookkeeping around it (diagnostic origins, pass log, sizes). */
  private runStatement(i: number, passLog: PassSnapshot['statements'] | null): void {
    const ctx = this.ctx;
    const stream = ctx.stream;
    const stmt = this.statements[i]!;
    ctx.currentLocation = stmt.location;
    ctx.currentIndex = i;
    const before = ctx.finalPass && this.options.recordEmissions !== false ? this.mark() : null;
    const logStart = passLog ? { space: this.space(), offset: stream.hereOffset() } : null;
    const sectionBefore = stream.absoluteOffset === null ? stream.current.index : -1;
    const startBefore = stream.hereOffset();
    const diagnosticsBefore = this.diagnostics.list.length;
    if (stmt.warnings)
      for (const w of stmt.warnings) {
        const said = ctx.warn(w.message, w.warningClass, true);
        if (said !== null && w.ofLabel === true) this.labelWordDiagnostics.add(said);
      }
    try {
      this.executeStatement(stmt, i);
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
    }
    if (ctx.pass === 1 || ctx.finalPass) {
      const origins = ctx.finalPass ? this.finalStatementOfDiagnostic : this.pass1StatementOfDiagnostic;
      for (let d = diagnosticsBefore; d < this.diagnostics.list.length; d++) origins.set(this.diagnostics.list[d]!, i);
    }
    if (passLog && logStart) {
      const stayed = logStart.space === this.space();
      passLog.push({
        space: logStart.space?.name ?? null,
        offset: logStart.offset,
        size: stayed ? stream.hereOffset() - logStart.offset : 0,
      });
    }
    if (before) this.recordEmission(stmt, i, before);
    const stayed = sectionBefore >= 0 && stream.absoluteOffset === null && stream.current.index === sectionBefore;
    this.recordPlace(i, sectionBefore, startBefore, stayed ? stream.current.offset - startBefore : 0);
  }

  /** The section being assembled into, or null in absolute space. */
  private space(): SectionState | null {
    return this.ctx.stream.absoluteOffset === null ? this.ctx.stream.current : null;
  }

  private recordPlace(i: number, section: number, start: number, size: number): void {
    const places = this.places;
    if (size < places.size[i]!) this.shrank = true;
    else if (size > places.size[i]!) this.grew = true;
    places.section[i] = section;
    places.start[i] = start;
    places.size[i] = size;
  }

  private executeStatement(stmt: Statement, index: number): void {
    const body = stmt.body;
    this.ctx.markLineStart();
    // `x: times 2 equ 5`, `x: o16 equ 5`: nasm defines the label, then the EQU (labelFirst).
    if (stmt.label !== null && (body.kind !== 'equ' || body.labelFirst === true)) this.defineLabel(stmt.label);
    switch (body.kind) {
      case 'empty':
        return;
      case 'equ':
        defineEqu(this.ctx, stmt.label!, body.value);
        if (body.finalPassError !== undefined && this.ctx.finalPass) this.ctx.errorNow(body.finalPassError);
        return;
      case 'directive':
        runDirective(this.ctx, body);
        return;
      default:
        emitBody(this.ctx, body, index);
    }
  }

  private defineLabel(name: string): void {
    const ctx = this.ctx;
    // The statement's own entry, looked up by name in its first pass only.
    const labels = ctx.memos.label;
    const sym = (labels[ctx.currentIndex] ??= ctx.symbols.symbol(name));
    claimDeclaredSymbol(ctx, sym);
    sym.kind = 'label';
    sym.definedStatement = ctx.currentIndex;
    if (ctx.stream.absoluteOffset === null) ctx.stream.current.used = true;
    ctx.setSymbolHere(sym);
    defineSpecialSymbol(ctx, sym);
  }

  /** Current label values, for PassSnapshot. */
  private labelValues(): PassSnapshot['labels'] {
    const labels: PassSnapshot['labels'] = [];
    for (const sym of this.ctx.symbols.values()) {
      if (sym.kind !== 'label' || !sym.value) continue;
      const segment = sym.value.base === null ? undefined : this.ctx.stream.segments[sym.value.base];
      labels.push({
        name: sym.name,
        space: segment?.kind === 'section' ? segment.section.name : null,
        value: Number(sym.value.offset),
      });
    }
    return labels;
  }

  private mark(): StreamMark {
    const stream = this.ctx.stream;
    return {
      section: stream.current,
      absolute: stream.absoluteOffset,
      offset: stream.hereOffset(),
      length: stream.current.bytes.length,
      relocations: stream.current.relocations.length,
    };
  }

  private recordEmission(stmt: Statement, index: number, before: StreamMark): void {
    const stream = this.ctx.stream;
    const current = stream.current;
    const sameSpace = before.section === current && (before.absolute === null) === (stream.absoluteOffset === null);
    const placed = sameSpace && before.absolute === null ? current.bytes.slice(before.length) : null;
    // Code in a nobits section or absolute space went nowhere, but the listing shows its bytes.
    const unplaced = this.ctx.unplacedBytes;
    this.ctx.unplacedBytes = null;
    const bytes = placed !== null && placed.length > 0 ? placed : (unplaced ?? placed ?? new Uint8Array(0));
    const advanced = sameSpace ? stream.hereOffset() - before.offset : 0;
    const relocations = sameSpace
      ? current.relocations.slice(before.relocations).map((r) => ({
          at: r.offset - before.offset,
          size: r.size,
          external: stream.segments[r.targetSegment]?.kind === 'extern',
          relative: r.relative,
          wrt: r.wrt,
          ...(r.targetSymbol?.value ? { targetOffset: Number(r.targetSymbol.value.offset) } : {}),
          ...(r.segmentBase ? { segment: true } : {}),
          ...(r.fromEnd ? { fromEnd: true } : {}),
        }))
      : [];
    const body = stmt.body;
    this.emissions.push({
      statementIndex: index,
      location: stmt.location,
      section: before.absolute === null ? before.section.name : null,
      offset: before.offset,
      bytes,
      relocations,
      reserved: Math.max(0, advanced - bytes.length),
      equValue: body.kind === 'equ' && stmt.label ? (this.ctx.symbols.get(stmt.label)?.value?.offset ?? null) : null,
      repeat: body.kind === 'times' ? this.ctx.lastTimesCount : null,
    });
  }
}

/** Room for `count` statements' places, keeping those of `old`. */
function newPlaces(count: number, old?: StatementPlaces): StatementPlaces {
  const places = {
    section: new Int32Array(count).fill(-1),
    start: new Float64Array(count),
    size: new Float64Array(count),
  };
  if (old) {
    places.section.set(old.section);
    places.start.set(old.start);
    places.size.set(old.size);
  }
  return places;
}
