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
import { WarningSwitches, type Diagnostic, type DiagnosticSink, type SourceLocation } from '../core/diagnostics.js';
import { constantValue, type Value } from '../core/value.js';
import { cpuDirectiveError, encodeInstruction } from '../encoder/index.js';
import type { Register } from '../encoder/registers.js';
import type { EncodeContext, Fixup, Operand, OptimizeLevel } from '../encoder/types.js';
import type { DataItem, Expr, MemoryOperandAst, OperandAst, Statement, StatementBody } from '../parse/ast.js';
import { readNumber } from '../core/numbers.js';
import { lexLine, retypeKeywords } from '../../grammar/tokens.js';
import { parseExpression } from '../../grammar/operands.js';
import { lookupRegister } from '../encoder/registers.js';
import { dependsOnLayout, evaluate, EvalError, someLeaf, type EvalEnv } from '../core/expressions.js';
import { splitAddress } from './address.js';
import { encodeFloat, FloatError } from '../core/float.js';
import { ItemKind, settleLayout, type LayoutModel, type RelaxDirection } from './relax.js';
import type { ObjectFile, ObjectSection, ObjectSymbol, Relocation, SectionAttributes } from './object.js';

type ElfWrt = NonNullable<Relocation['wrt']>;
/**
 * elf32's special segments for `wrt`: each stands for a PIC relocation type.
 * They get ids below every real segment (which count up from 0).
 */
const ELF_WRT_SEGMENTS: ReadonlyArray<{ name: string; wrt: ElfWrt; id: number }> = [
  { name: '..gotpc', wrt: 'gotpc', id: -10 },
  { name: '..gotoff', wrt: 'gotoff', id: -11 },
  { name: '..got', wrt: 'got', id: -12 },
  { name: '..plt', wrt: 'plt', id: -13 },
  { name: '..sym', wrt: 'sym', id: -14 },
];
import {
  applySectionAttributes,
  binDefaultAttributes,
  elfDefaultAttributes,
  parseSectionDirective,
} from './sections.js';

export interface AssemblerOptions {
  format: 'bin' | 'elf32';
  optimize: OptimizeLevel;
  sourceName: string;
  /** Reads an incbin file (already resolved against the search path by the caller). */
  readBinary: (path: string) => Uint8Array | null;
  /** Upper bound on optimisation passes before NASM-style failure. */
  maxPasses?: number;
  /** Called after every pass with where each statement and label was (for --dump=passes and -Lp listings). */
  onPass?: (snapshot: PassSnapshot) => void;
  /** Use the layout model (relax.ts) to settle jumps instead of running every pass in full (default true). */
  layoutModel?: boolean;
  /** Record an EmissionRecord per statement in the final pass (default true; listings need them). */
  recordEmissions?: boolean;
  /** Run pass 1 only, for its diagnostics (the source had errors already: nasm stops after pass 1). */
  passOneOnly?: boolean;
}

/** Where each statement and label was at the end of one pass. */
export interface PassSnapshot {
  pass: number;
  /** Per statement, in order: its space (section name, null in absolute space), start offset and size. */
  statements: Array<{ space: string | null; offset: number; size: number }>;
  /** Label values (offsets in their section; space null for plain numbers) at the end of the pass. */
  labels: Array<{ name: string; space: string | null; value: number }>;
}

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
    wrt?: 'sym' | 'gotpc' | 'gotoff' | 'got' | 'plt' | null;
    /** For `wrt ..sym`/`..got` against a label of this file: the offset of the symbol the field is relative to. */
    targetOffset?: number;
    /** A `seg x` field (an error in elf32; nasm lists it as [ssss]). */
    segment?: boolean;
  }>;
  /** Address space taken without file bytes (resb in .bss, absolute). */
  reserved: number;
  /** For `equ`: the value. */
  equValue: bigint | null;
  /** For `times`: the repeat count. */
  repeat: number | null;
}

type SymbolKind = 'label' | 'equ' | 'extern' | 'common';

interface SymbolEntry {
  name: string;
  kind: SymbolKind;
  /** Current value (labels: section-relative with base = section segment). */
  value: Value | null;
  /** Pass number in which the value was last set. */
  definedInPass: number;
  definedAt: SourceLocation | null;
  global: boolean;
  /** For externs and commons: the segment id standing for the symbol. */
  segment: number | null;
  commonSize: number;
  commonAlign: number;
  /** ELF symbol type from `global x:function` / `:data`. */
  elfType: 'function' | 'object' | null;
  /** ELF symbol size expression from `global x:function (x.end - x)`. */
  elfSize: string | null;
  /** Order in which the final pass defined it (ELF symbol order). */
  outputOrder: number;
  referenced: boolean;
  /** Index of the statement whose label this is (-1 for other symbols). */
  definedStatement: number;
}

interface SectionState {
  /** Position in Assembler.sections. */
  index: number;
  name: string;
  segment: number;
  attributes: SectionAttributes;
  /** Declared by a `section` directive (vs the implicit default section). */
  declared: boolean;
  /** Order of first declaration (ELF section order); implicit default gets +Infinity. */
  declaredOrder: number;
  /** Current offset during a pass. */
  offset: number;
  /** Used at all (code, data or a label) — an unused implicit .text is not output. */
  used: boolean;
  bytes: ByteBuffer;
  /** `targetSymbol`: set when the relocation names a defined global (`wrt ..sym` / `..got`) instead of its section. */
  /** `segmentBase`: a `seg x` field elf32 cannot express (reported; only the listing sees it). */
  relocations: Array<Relocation & { targetSegment: number; targetSymbol?: SymbolEntry; segmentBase?: true }>;
}

/** A growable byte buffer for the final pass. */
class ByteBuffer {
  private buf = new Uint8Array(256);
  length = 0;
  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  push(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  fill(value: number, count: number): void {
    this.ensure(count);
    this.buf.fill(value, this.length, this.length + count);
    this.length += count;
  }
  patch(at: number, bytes: Uint8Array): void {
    this.buf.set(bytes, at);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
  /** Appends `copies` more copies of the last `length` bytes. */
  repeatTail(length: number, copies: number): void {
    this.ensure(length * copies);
    const from = this.length - length;
    for (let i = 0; i < copies; i++) this.buf.copyWithin(this.length + i * length, from, from + length);
    this.length += length * copies;
  }
  slice(from: number): Uint8Array {
    return this.buf.slice(from, this.length);
  }
}

/**
 * How a statement's size can react to layout, for branch relaxation:
 * FIXED never changes; JUMP is a span-dependent jump (short or near by the
 * distance to a label); UNSAFE is anything else that depends on layout
 * (`align`, `times $-...`, immediates computed from label differences), which
 * makes the assembler keep to plain passes.
 */
const enum LayoutDependence {
  Fixed,
  Jump,
  /** Size is a function of the statement's own offset only (`align` is `times (16-($-$$)%16)%16 nop`). */
  PositionDependent,
  Unsafe,
}

interface JumpShape {
  target: string;
  addend: number;
  shortSize: number;
  nearSize: number;
}

/** Per-statement memo of the last sizing decision. */
interface SizeMemo {
  /** -1 when the size must be recomputed each pass. */
  fixedSize: number;
  /** Values seen last time (relative to the statement's own address when in its section). */
  lastKey: Array<number | string> | null;
  lastSize: number;
  layout: LayoutDependence;
  jump: JumpShape | null;
  /** Sizes of a same-section branch at a short and a long distance (probed once; null = not probed). */
  branchSizes: { short: number; near: number } | null;
}

/** Encoder messages about effective addresses that no symbol value can make valid. */
const IMPOSSIBLE_ADDRESS =
  /^(invalid effective address|invalid (16|32|64)-bit effective address|impossible combination of address sizes)/;

/** Internal: abandons the current statement after reporting. */
class StatementError extends Error {}

/** A memory operand with its address split once (registers vs the rest). */
interface PreparedMemory {
  ast: MemoryOperandAst;
  registers: Array<{ reg: Register; scale: number; multiplied: boolean; index?: boolean }>;
  rest: Expr | null;
}

const ABSOLUTE_SEGMENT = -1;

export class Assembler {
  private readonly symbols = new Map<string, SymbolEntry>();
  private readonly sections: SectionState[] = [];
  private readonly sectionByName = new Map<string, SectionState>();
  /** Segment id → what it stands for. */
  private readonly segments: Array<
    { kind: 'section'; section: SectionState } | { kind: 'extern'; symbol: SymbolEntry }
  > = [];
  private readonly memos: SizeMemo[];
  private readonly preparedMemory = new WeakMap<MemoryOperandAst, PreparedMemory>();
  private readonly incbinCache = new Map<string, Uint8Array | null>();
  /** Diagnostics reported in pass 1, with the statement being assembled (for nasm's message order). */
  readonly pass1StatementOfDiagnostic = new Map<Diagnostic, number>();
  /** The same for the final pass. */
  readonly finalStatementOfDiagnostic = new Map<Diagnostic, number>();
  /** Final-pass records, one per statement (see EmissionRecord). */
  readonly emissions: EmissionRecord[] = [];
  private readonly directiveExpressions = new Map<string, Expr | null>();
  /** Label names and EQU definitions, for the static "does this value come from layout" test. */
  private readonly labelNames = new Set<string>();
  private readonly equDefinitions = new Map<string, Expr>();
  private readonly layoutDerivedCache = new Map<string, boolean>();

  // Where each statement was in the last pass: section index (-1 in absolute space), start and size.
  private readonly statementSection: Int32Array;
  private readonly statementStart: Float64Array;
  private readonly statementSize: Float64Array;
  /** Some statement got smaller (larger) in this pass than in the previous one. */
  private shrank = false;
  private grew = false;
  private relaxation: PassReport['relaxation'] | undefined;
  private currentIndex = 0;

  private pass = 0;
  private finalPass = false;
  private changed = false;
  private declarationCounter = 0;
  private outputCounter = 0;

  // Per-pass state.
  private bits: 16 | 32 | 64 = 16;
  /** Warning classes on and off: the command line's, then `[warning ±class]` (reset every pass). */
  private warnings = new WarningSwitches();
  private warningStack: WarningSwitches[] = [];
  private cpu = 'all';
  private defaultRel = false;
  private current!: SectionState;
  /** Set while in `absolute` mode: the absolute location counter. */
  private absoluteOffset: number | null = null;
  /** Segment the absolute space is relative to (`absolute label+4` in .data), or null. */
  private absoluteBase: number | null = null;
  private origin = 0n;
  private currentLocation: SourceLocation | null = null;
  /** `$` for the current statement: its start, the same in every TIMES repetition (as NASM has it). */
  private lineStart: Value = constantValue(0);
  private missingSymbol: string | null = null;

  constructor(
    private readonly statements: Statement[],
    private readonly options: AssemblerOptions,
    private readonly diagnostics: DiagnosticSink,
  ) {
    for (const stmt of statements) {
      if (stmt.label === null) continue;
      if (stmt.body.kind === 'equ') this.equDefinitions.set(stmt.label, stmt.body.value);
      else this.labelNames.add(stmt.label);
    }
    this.memos = statements.map((stmt) => ({
      fixedSize: -1,
      lastKey: null,
      lastSize: 0,
      layout: this.staticLayoutDependence(stmt.body),
      jump: null,
      branchSizes: null,
    }));
    this.statementSection = new Int32Array(statements.length).fill(-1);
    this.statementStart = new Float64Array(statements.length);
    this.statementSize = new Float64Array(statements.length);
  }

  /** Runs all passes; returns the object model, or null when there were errors. */
  run(): { object: ObjectFile | null; report: PassReport } {
    const maxPasses = this.options.maxPasses ?? 1000;
    const errorsBefore = this.diagnostics.errorCount;
    this.runPass(1);
    if (this.diagnostics.errorCount > errorsBefore || this.options.passOneOnly)
      return { object: null, report: { passes: 1 } };
    let pass = 2;
    if (this.options.optimize > 0) {
      for (; pass <= maxPasses; pass++) {
        this.runPass(pass);
        if (!this.changed) break;
        if (
          pass >= 2 &&
          this.options.layoutModel !== false &&
          this.relaxation === undefined &&
          (this.shrank || this.grew)
        ) {
          // Pass 1 ran on unknown values, so how pass 2 moved says nothing about monotony: replay at least once.
          const moved = pass === 2 || (this.grew && this.shrank) ? 'mixed' : this.grew ? 'grow' : 'shrink';
          if (!this.trySettling(pass, moved)) {
            pass = maxPasses + 1;
            break;
          }
        }
      }
      if (pass > maxPasses) {
        this.diagnostics.error(
          `unable to find valid values for all labels after ${maxPasses} passes; stabilized too late`,
          null,
        );
        return { object: null, report: { passes: maxPasses } };
      }
    } else {
      // -O0: NASM still needs a second pass so forward references get values.
      this.runPass(pass);
    }
    this.finalPass = true;
    this.runPass(pass + 1);
    const report: PassReport = { passes: pass + 1, ...(this.relaxation ? { relaxation: this.relaxation } : {}) };
    if (this.diagnostics.errorCount > errorsBefore) return { object: null, report };
    return { object: this.buildObject(), report };
  }

  // -------------------------------------------------------------------------
  // Passes
  // -------------------------------------------------------------------------

  private runPass(pass: number): void {
    this.pass = pass;
    this.changed = false;
    this.bits = this.options.format === 'elf32' ? 32 : 16;
    this.cpu = 'all';
    this.warnings = this.diagnostics.warningSwitches.copy();
    this.warningStack = [];
    this.defaultRel = false;
    this.absoluteOffset = null;
    for (const s of this.sections) {
      s.offset = 0;
      if (this.finalPass) {
        s.bytes = new ByteBuffer();
        s.relocations = [];
      }
    }
    this.current = this.defaultSection();
    const passLog: PassSnapshot['statements'] | null = this.options.onPass ? [] : null;
    this.shrank = false;
    this.grew = false;
    for (let i = 0; i < this.statements.length; i++) {
      const stmt = this.statements[i]!;
      this.currentLocation = stmt.location;
      this.currentIndex = i;
      const before = this.finalPass && this.options.recordEmissions !== false ? this.snapshot() : null;
      const passStart = passLog
        ? { space: this.absoluteOffset === null ? this.current : null, offset: this.hereOffset() }
        : null;
      const sectionBefore = this.absoluteOffset === null ? this.current.index : -1;
      const startBefore = this.hereOffset();
      const diagnosticsBefore = this.diagnostics.list.length;
      try {
        this.executeStatement(stmt, i);
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
      }
      if (pass === 1 || this.finalPass) {
        const origins = this.finalPass ? this.finalStatementOfDiagnostic : this.pass1StatementOfDiagnostic;
        for (let d = diagnosticsBefore; d < this.diagnostics.list.length; d++)
          origins.set(this.diagnostics.list[d]!, i);
      }
      if (passLog && passStart) {
        const stayed = passStart.space === (this.absoluteOffset === null ? this.current : null);
        passLog.push({
          space: passStart.space?.name ?? null,
          offset: passStart.offset,
          size: stayed ? this.hereOffset() - passStart.offset : 0,
        });
      }
      if (before) this.recordEmission(stmt, i, before);
      const stayed = sectionBefore >= 0 && this.absoluteOffset === null && this.current.index === sectionBefore;
      const size = stayed ? this.current.offset - startBefore : 0;
      if (size < this.statementSize[i]!) this.shrank = true;
      else if (size > this.statementSize[i]!) this.grew = true;
      this.statementSection[i] = sectionBefore;
      this.statementStart[i] = startBefore;
      this.statementSize[i] = size;
    }
    if (passLog) this.options.onPass?.({ pass, statements: passLog, labels: this.labelValues() });
  }

  /** Current label values, for PassSnapshot. */
  private labelValues(): PassSnapshot['labels'] {
    const labels: PassSnapshot['labels'] = [];
    for (const sym of this.symbols.values()) {
      if (sym.kind !== 'label' || !sym.value) continue;
      const segment = sym.value.base === null ? undefined : this.segments[sym.value.base];
      labels.push({
        name: sym.name,
        space: segment?.kind === 'section' ? segment.section.name : null,
        value: Number(sym.value.offset),
      });
    }
    return labels;
  }

  /** True when errors should be reported in this pass (pass 1 for pass-1 errors, the final pass for the rest). */
  private reportError(message: string, pass1Error = false): never {
    if ((pass1Error && this.pass === 1) || this.finalPass) this.diagnostics.error(message, this.currentLocation);
    throw new StatementError(message);
  }

  private warn(message: string, warningClass: string): void {
    if (this.finalPass && this.warnings.enabled(warningClass))
      this.diagnostics.warningChecked(message, this.currentLocation, warningClass);
  }

  /** `[warning -x]`, `+x`, `*x` (back to the default: on), `push`, `pop` (the standard `alignb` silences `zeroing` this way). */
  private warningDirective(args: string): void {
    for (const word of args
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0)) {
      const lower = word.toLowerCase();
      if (lower === 'push') this.warningStack.push(this.warnings.copy());
      else if (lower === 'pop') this.warnings = this.warningStack.pop() ?? this.diagnostics.warningSwitches.copy();
      else if (lower.startsWith('-') || lower.startsWith('+') || lower.startsWith('*')) this.warnings.apply(lower);
    }
  }

  /** nasm words the zeroing warning differently per output format. */
  private zeroingWarning(): void {
    this.warn(
      this.options.format === 'bin'
        ? `uninitialized space declared in ${this.current.name} section: zeroing`
        : `uninitialized space declared in non-BSS section \`${this.current.name}': zeroing`,
      'zeroing',
    );
  }

  private snapshot(): {
    section: SectionState;
    absolute: number | null;
    offset: number;
    length: number;
    relocations: number;
  } {
    return {
      section: this.current,
      absolute: this.absoluteOffset,
      offset: this.hereOffset(),
      length: this.current.bytes.length,
      relocations: this.current.relocations.length,
    };
  }

  private recordEmission(stmt: Statement, index: number, before: ReturnType<Assembler['snapshot']>): void {
    const sameSpace = before.section === this.current && (before.absolute === null) === (this.absoluteOffset === null);
    const bytes = sameSpace && before.absolute === null ? this.current.bytes.slice(before.length) : new Uint8Array(0);
    const advanced = sameSpace ? this.hereOffset() - before.offset : 0;
    const relocations = sameSpace
      ? this.current.relocations.slice(before.relocations).map((r) => ({
          at: r.offset - before.offset,
          size: r.size,
          external: this.segments[r.targetSegment]?.kind === 'extern',
          relative: r.relative,
          wrt: r.wrt,
          ...(r.targetSymbol?.value ? { targetOffset: Number(r.targetSymbol.value.offset) } : {}),
          ...(r.segmentBase ? { segment: true } : {}),
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
      equValue: body.kind === 'equ' && stmt.label ? (this.symbols.get(stmt.label)?.value?.offset ?? null) : null,
      repeat: body.kind === 'times' ? this.lastTimesCount : null,
    });
  }

  private lastTimesCount = 0;

  private executeStatement(stmt: Statement, index: number): void {
    const body = stmt.body;
    this.lineStart = this.hereValue();
    if (stmt.label !== null && body.kind !== 'equ') this.defineLabel(stmt.label);
    switch (body.kind) {
      case 'empty':
        return;
      case 'equ':
        this.defineEqu(stmt.label!, body.value);
        return;
      case 'directive':
        this.directive(body.name, body.args, body.bracketed === true);
        return;
      default:
        this.emitBody(body, index);
    }
  }

  /** Offset of `$` in the current section (or the absolute counter). */
  private hereOffset(): number {
    return this.absoluteOffset ?? this.current.offset;
  }

  private hereValue(): Value {
    if (this.absoluteOffset !== null) {
      return {
        offset: BigInt(this.absoluteOffset),
        base: this.absoluteBase,
        unknown: false,
        wrt: null,
        segmentOf: false,
      };
    }
    return {
      offset: BigInt(this.current.offset),
      base: this.current.segment,
      unknown: false,
      wrt: null,
      segmentOf: false,
    };
  }

  private emitBody(body: StatementBody, index: number): void {
    switch (body.kind) {
      case 'times':
        this.times(body, index);
        return;
      case 'instruction':
        this.instruction(body, index);
        return;
      case 'data':
        this.data(body, index);
        return;
      case 'reserve':
        this.reserve(body);
        return;
      case 'incbin':
        this.incbin(body);
        return;
      default:
        return;
    }
  }

  private advance(size: number): void {
    if (this.absoluteOffset !== null) {
      this.absoluteOffset += size;
      return;
    }
    this.current.offset += size;
    if (size > 0) this.current.used = true;
  }

  // -------------------------------------------------------------------------
  // Symbols
  // -------------------------------------------------------------------------

  private symbol(name: string): SymbolEntry {
    let s = this.symbols.get(name);
    if (!s) {
      s = {
        name,
        kind: 'label',
        value: null,
        definedInPass: 0,
        definedAt: null,
        global: false,
        segment: null,
        commonSize: 0,
        commonAlign: 0,
        elfType: null,
        elfSize: null,
        outputOrder: -1,
        referenced: false,
        definedStatement: -1,
      };
      this.symbols.set(name, s);
    }
    return s;
  }

  private setSymbolValue(sym: SymbolEntry, value: Value): void {
    if (sym.definedInPass === this.pass && sym.kind !== 'extern') {
      if (this.pass === 1) {
        this.diagnostics.error(`label \`${sym.name}' inconsistently redefined`, this.currentLocation);
        if (sym.definedAt)
          this.diagnostics.report({
            severity: 'info',
            message: `label \`${sym.name}' originally defined here`,
            location: sym.definedAt,
          });
      }
      // The first definition stands; the rest of the line is still assembled (nasm's pass-1 layout).
      return;
    }
    const old = sym.value;
    if (old === null || old.offset !== value.offset || old.base !== value.base || old.unknown !== value.unknown) {
      sym.value = value;
      this.changed = true;
    }
    sym.definedInPass = this.pass;
    if (this.pass === 1) sym.definedAt = this.currentLocation;
    if (this.finalPass) sym.outputOrder = this.outputCounter++;
  }

  private defineLabel(name: string): void {
    const sym = this.symbol(name);
    if (sym.kind === 'extern' || sym.kind === 'common') {
      this.reportError(`symbol \`${name}' redefined`, true);
    }
    if (this.options.format === 'bin' && sym.global && (sym.elfType !== null || sym.elfSize !== null)) {
      // `global f:function` means nothing to bin; nasm says so where the label is defined.
      this.reportError('binary format does not support any special symbol types', true);
    }
    sym.kind = 'label';
    sym.definedStatement = this.currentIndex;
    if (this.absoluteOffset === null) this.current.used = true;
    this.setSymbolValue(sym, this.hereValue());
  }

  private defineEqu(name: string, expr: Expr): void {
    const sym = this.symbol(name);
    sym.kind = 'equ';
    const value = this.evaluateExpr(expr);
    if (value.complex) this.reportError('invalid operand type', true);
    if (value.unknown) {
      // A forward reference in an equ is fine in later passes; keep it unknown for now.
      if (this.finalPass) this.undefinedSymbolError();
    }
    this.setSymbolValue(sym, value);
  }

  private undefinedSymbolError(): never {
    this.reportError(`symbol \`${this.missingSymbol ?? '?'}' not defined`);
  }

  private readonly env: EvalEnv = {
    symbolValue: (name: string): Value | null => {
      const sym = this.symbols.get(name);
      if (!sym || sym.value === null) {
        if (this.missingSymbol === null) this.missingSymbol = name;
        return null;
      }
      if (sym.kind === 'extern' || sym.kind === 'common') sym.referenced = true;
      return sym.value;
    },
    here: constantValue(0),
    sectionStart: constantValue(0),
    warn: (message: string, warningClass: string): void => {
      this.warn(message, warningClass);
    },
    // Reported (in pass 1, as nasm does for a known value) but the line keeps its value and size.
    fail: (message: string): void => {
      if (this.pass === 1 || this.finalPass) this.diagnostics.error(message, this.currentLocation);
    },
    segmentOfSymbol: (name: string): number | null => {
      if (this.options.format === 'elf32' && name.startsWith('..')) {
        const special = ELF_WRT_SEGMENTS.find((w) => w.name === name);
        if (special) return special.id;
      }
      const sym = this.symbols.get(name);
      return sym?.value?.base ?? null;
    },
  };

  private evaluateExpr(expr: Expr): Value {
    this.env.here = this.lineStart;
    this.env.sectionStart =
      this.absoluteOffset !== null
        ? constantValue(0)
        : { offset: 0n, base: this.current.segment, unknown: false, wrt: null, segmentOf: false };
    this.missingSymbol = null;
    try {
      return evaluate(expr, this.env);
    } catch (e) {
      if (e instanceof EvalError) this.reportError(e.message, true);
      throw e;
    }
  }

  /** Evaluates an expression that must have a known plain value now (TIMES counts, RESB sizes, …). */
  private criticalNumber(expr: Expr, what: string): bigint {
    const v = this.evaluateExpr(expr);
    if (v.unknown || v.base !== null) this.reportError(what, true);
    return v.offset;
  }

  // -------------------------------------------------------------------------
  // Sections and directives
  // -------------------------------------------------------------------------

  private defaultSection(): SectionState {
    return this.sectionByName.get('.text') ?? this.createSection('.text', false);
  }

  private createSection(name: string, declared: boolean): SectionState {
    const attributes = this.options.format === 'elf32' ? elfDefaultAttributes(name) : binDefaultAttributes(name);
    const section: SectionState = {
      index: this.sections.length,
      name,
      segment: this.segments.length,
      attributes,
      declared,
      declaredOrder: declared ? this.declarationCounter++ : Number.POSITIVE_INFINITY,
      offset: 0,
      used: false,
      bytes: new ByteBuffer(),
      relocations: [],
    };
    this.segments.push({ kind: 'section', section });
    this.sections.push(section);
    this.sectionByName.set(name, section);
    return section;
  }

  private directive(name: string, args: string, bracketed = false): void {
    switch (name) {
      case 'section':
      case 'segment':
        this.sectionDirective(args);
        return;
      case 'bits':
      case 'use16':
      case 'use32':
      case 'use64': {
        const bits = bitsSetBy(name, args);
        if (bits === null)
          this.reportError(`\`${args.trim()}' is not a valid segment size; must be 16, 32 or 64`, true);
        this.bits = bits;
        return;
      }
      case 'global':
      case 'static':
        for (const item of splitNames(args)) {
          const sym = this.symbol(item.name);
          if (name === 'global') sym.global = true;
          if (item.type) sym.elfType = item.type;
          if (item.size) sym.elfSize = item.size;
        }
        return;
      case 'extern':
        for (const item of splitNames(args)) this.declareExtern(item.name);
        return;
      case 'common':
        this.commonDirective(args);
        return;
      case 'org':
        // Only bin knows `org`; elsewhere the bare word is no instruction either (nasm's wording).
        if (this.options.format !== 'bin')
          this.reportError(bracketed ? 'unrecognized directive [org]' : 'parser: instruction expected', true);
        this.origin = this.parseDirectiveNumber(args);
        return;
      case 'cpu': {
        const problem = cpuDirectiveError(args);
        if (problem !== null) this.reportError(problem, true);
        this.cpu = args.trim().toLowerCase();
        return;
      }
      case 'default':
        this.defaultRel = args.trim().toLowerCase() === 'rel';
        return;
      case 'absolute': {
        // NASM allows a relocatable start (`absolute label+4`): labels there keep its offset.
        const v = this.directiveValue(args);
        if (v.unknown) this.reportError('non-constant argument supplied to ABSOLUTE', true);
        this.absoluteOffset = Number(v.offset);
        this.absoluteBase = v.base;
        // Labels in a space that starts at a label move with layout: keep to plain passes.
        if (v.base !== null) this.memos[this.currentIndex]!.layout = LayoutDependence.Unsafe;
        return;
      }
      case 'sectalign': {
        const n = Number(this.parseDirectiveNumber(args));
        if (this.absoluteOffset === null && n > this.current.attributes.align) this.current.attributes.align = n;
        return;
      }
      case 'align':
      case 'alignb':
        this.alignDirective(name, args);
        return;
      case 'warning':
        this.warningDirective(args);
        return;
      case 'float':
      case 'required':
        return;
      case 'pragma':
        // `%pragma limit …` already acted on in the preprocessor; nasm ignores namespaces it does not know.
        return;
      default:
        this.reportError(`unrecognized directive [${name}]`, true);
    }
  }

  /** Evaluates a directive's expression argument (`org 0x7c00`, `absolute label+4`, `align 16`). */
  private directiveValue(args: string): Value {
    const text = args.trim();
    let expr = this.directiveExpressions.get(text);
    if (expr === undefined) {
      const lexed = lexLine(text);
      retypeKeywords(lexed.tokens, (n) => lookupRegister(n) !== undefined);
      const parsed = parseExpression(lexed.tokens, (s) => s);
      expr = parsed.value;
      this.directiveExpressions.set(text, expr);
    }
    if (expr === null) this.reportError('expression syntax error', true);
    return this.evaluateExpr(expr);
  }

  private parseDirectiveNumber(args: string): bigint {
    const v = this.directiveValue(args);
    if (v.unknown || v.base !== null) this.reportError(`non-constant argument supplied to directive`, true);
    return v.offset;
  }

  private sectionDirective(args: string): void {
    const parsed = parseSectionDirective(args);
    if (!parsed) return;
    this.absoluteOffset = null;
    let section = this.sectionByName.get(parsed.name);
    if (!section) {
      section = this.createSection(parsed.name, true);
    } else if (!section.declared) {
      section.declared = true;
      section.declaredOrder = this.declarationCounter++;
    }
    if (this.pass === 1 && parsed.attributes.length > 0) {
      // nasm 2.16.01 (elf): naming any attribute drops the name's default alignment to 1 unless align= is given.
      if (this.options.format === 'elf32' && !parsed.attributes.some((a) => a.key === 'align'))
        section.attributes.align = 1;
      const problems = applySectionAttributes(
        section.attributes,
        parsed.attributes,
        (t) => {
          const r = readNumber(t);
          return r.kind === 'integer' ? r.value : null;
        },
        { format: this.options.format, sectionName: parsed.name },
      );
      for (const p of problems) {
        if (p.startsWith('section alignment') || p.startsWith('argument to'))
          this.diagnostics.error(p, this.currentLocation);
        else this.diagnostics.warning(p, this.currentLocation, 'other');
      }
    }
    this.current = section;
  }

  private declareExtern(name: string): void {
    const sym = this.symbol(name);
    if (sym.kind === 'label' && sym.value !== null && sym.segment === null) return; // already defined locally
    if (sym.kind !== 'extern') {
      sym.kind = 'extern';
      sym.segment = this.segments.length;
      this.segments.push({ kind: 'extern', symbol: sym });
      sym.value = { offset: 0n, base: sym.segment, unknown: false, wrt: null, segmentOf: false };
    }
    if (this.finalPass) sym.outputOrder = this.outputCounter++;
  }

  private commonDirective(args: string): void {
    if (this.options.format === 'bin') {
      // Pass-1 errors in nasm's bin output; an alignment (`name size:align`) is a "special symbol type" to it.
      this.reportError(
        /:/.test(args)
          ? 'binary format does not support any special symbol types'
          : 'binary output format does not support common variables',
        true,
      );
    }
    const m = /^\s*([^\s]+)\s+([^\s:]+)(?:\s*:\s*([^\s]+))?/.exec(args);
    if (!m) this.reportError('common directive requires a name and a size', true);
    const sym = this.symbol(m[1]!);
    const size = readNumber(m[2]!);
    const align = m[3] ? readNumber(m[3]) : null;
    if (sym.kind !== 'common') {
      sym.kind = 'common';
      sym.global = true;
      sym.segment = this.segments.length;
      this.segments.push({ kind: 'extern', symbol: sym });
      sym.value = { offset: 0n, base: sym.segment, unknown: false, wrt: null, segmentOf: false };
    }
    sym.commonSize = size.kind === 'integer' ? Number(size.value) : 0;
    sym.commonAlign = align && align.kind === 'integer' ? Number(align.value) : 0;
    if (this.finalPass) sym.outputOrder = this.outputCounter++;
  }

  /** `align n[, fill]` pads with NOPs (0x90) like NASM's macro, and raises the section alignment; `alignb` reserves. */
  private alignDirective(name: string, args: string): void {
    const n = Number(this.parseDirectiveNumber(args.split(',')[0]!));
    if (n <= 0 || (n & (n - 1)) !== 0) this.reportError('alignment must be a power of two', true);
    if (name === 'align' && this.absoluteOffset === null && n > this.current.attributes.align)
      this.current.attributes.align = n;
    const pad = (n - (this.hereOffset() % n)) % n;
    if (pad === 0) return;
    if (this.finalPass && this.absoluteOffset === null && this.current.attributes.kind !== 'nobits') {
      this.current.bytes.fill(name === 'align' ? 0x90 : 0, pad);
    }
    this.advance(pad);
  }

  // -------------------------------------------------------------------------
  // Statements that produce bytes
  // -------------------------------------------------------------------------

  private times(body: Extract<StatementBody, { kind: 'times' }>, index: number): void {
    let count: bigint;
    try {
      count = this.criticalNumber(body.count, 'non-constant argument supplied to TIMES');
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      // Reported; nasm then assembles the line once (its pass-1 layout counts it).
      count = 1n;
    }
    // A final-pass error in nasm (the count may still change): earlier passes skip the line, and the
    // listing of the final pass has the lines before it.
    if (count < 0n) this.reportError(`TIMES value ${count} is negative`);
    const n = Number(count);
    this.lastTimesCount = n;
    if (n === 0) {
      // The layout model needs the unit size of `align`-style padding even while it is zero.
      if (!this.finalPass && this.memos[index]!.fixedSize < 0) this.measureTimesUnit(body.body, index);
      return;
    }
    const inner = body.body;
    const diagnosticsBefore = this.diagnostics.list.length;
    // Data and reservations have the same size every time: one evaluation, then copies.
    for (let i = 0; i < n; i++) {
      const fixed = this.memos[index]!.fixedSize;
      if (i > 0 && !this.finalPass && fixed >= 0 && (inner.kind === 'data' || inner.kind === 'instruction')) {
        this.advance(fixed * (n - i));
        return;
      }
      if (inner.kind === 'data' && i > 0 && !this.finalPass) {
        this.advance(this.memos[index]!.lastSize * (n - i));
        return;
      }
      if (i === 1 && this.finalPass && this.repeatPlainData(inner, n - 1, diagnosticsBefore)) return;
      this.emitBody(inner, index);
    }
  }

  /**
   * Final pass, TIMES of data: `$` is the same in every repetition, so when the
   * first one needed no relocation, the others are byte copies of it.
   */
  private repeatPlainData(inner: StatementBody, copies: number, diagnosticsBefore: number): boolean {
    const size = this.memos[this.currentIndex]!.lastSize;
    if (inner.kind !== 'data' || this.inBss() || size <= 0) return false;
    const firstDiagnostics = this.diagnostics.list.slice(diagnosticsBefore);
    if (firstDiagnostics.some((d) => d.severity !== 'warning')) return false;
    const section = this.current;
    if (
      section.relocations.length > 0 &&
      section.relocations[section.relocations.length - 1]!.offset >= section.offset - size
    )
      return false;
    section.bytes.repeatTail(size, copies);
    section.offset += size * copies;
    // nasm warns once per repetition (`times 3 db 300`: three overflow warnings).
    for (let i = 0; i < copies; i++) {
      for (const d of firstDiagnostics)
        this.diagnostics.warningChecked(d.message, d.location, d.warningClass ?? 'other');
    }
    return true;
  }

  /** Records the size of one repetition of a TIMES body without emitting it (data, or an instruction that does not depend on layout). */
  private measureTimesUnit(inner: StatementBody, index: number): void {
    const memo = this.memos[index]!;
    if (inner.kind === 'data') {
      memo.fixedSize = this.dataSize(inner);
    } else if (inner.kind === 'instruction' && inner.mnemonic !== '' && !inner.operands.some(operandDependsOnLayout)) {
      const operands = inner.operands.map((op) => this.buildOperand(op));
      const ctx: EncodeContext = {
        bits: this.bits,
        segment: this.current.segment,
        offset: BigInt(this.current.offset),
        optimize: this.options.optimize,
        cpu: this.cpu,
        defaultRel: this.defaultRel,
      };
      const result = encodeInstruction({ mnemonic: inner.mnemonic, prefixes: inner.prefixes, operands }, ctx);
      if (result.ok && !result.finalPassError) memo.fixedSize = result.bytes.length;
    }
  }

  private inBss(): boolean {
    return this.absoluteOffset !== null || this.current.attributes.kind === 'nobits';
  }

  private reserve(body: Extract<StatementBody, { kind: 'reserve' }>): void {
    const count = this.criticalNumber(body.count, 'attempt to reserve non-constant quantity of BSS space');
    if (count < 0n) this.reportError(`invalid negative size in reserve`, true);
    const size = Number(count) * body.unitSize;
    if (!this.inBss()) {
      this.zeroingWarning();
      if (this.finalPass) this.current.bytes.fill(0, size);
    }
    this.advance(size);
  }

  private incbin(body: Extract<StatementBody, { kind: 'incbin' }>): void {
    let data = this.incbinCache.get(body.file);
    if (data === undefined) {
      data = this.options.readBinary(body.file);
      this.incbinCache.set(body.file, data);
    }
    if (data === null) this.reportError(`\`incbin': unable to open file \`${body.file}'`, true);
    const start = body.offset ? Number(this.criticalNumber(body.offset, 'non-constant incbin offset')) : 0;
    let slice = data.subarray(Math.min(start, data.length));
    if (body.length) slice = slice.subarray(0, Number(this.criticalNumber(body.length, 'non-constant incbin length')));
    if (this.finalPass && !this.inBss()) this.current.bytes.push(slice);
    this.advance(slice.length);
  }

  private data(body: Extract<StatementBody, { kind: 'data' }>, index: number): void {
    const memo = this.memos[index]!;
    if (this.inBss()) {
      this.warn(`attempt to initialize memory in BSS section \`${this.current.name}': ignored`, 'other');
      this.advance(this.dataSize(body));
      return;
    }
    if (!this.finalPass) {
      if (memo.fixedSize < 0) memo.fixedSize = this.dataSize(body);
      // Values are only needed in the final pass, but nasm already rejects impossible ones in pass 1.
      // A value that cannot be computed (division by zero …) drops the line, which then takes no
      // space; a scaled address still takes its bytes (as nasm's -Lp listing of pass 1 shows).
      const scaled = this.pass === 1 && this.checkDataValues(body);
      memo.lastSize = memo.fixedSize;
      this.advance(memo.fixedSize);
      if (scaled) this.reportError('expression is not simple or relocatable', true);
      return;
    }
    const start = this.current.offset;
    if (body.items.some((item) => item.kind === 'uninit')) this.zeroingWarning();
    let overflowWarned = false;
    for (const item of body.items) {
      const itemStart = this.current.offset;
      this.dataItem(item, body.unitSize, (message) => {
        if (!overflowWarned) this.warn(message, 'number-overflow');
        overflowWarned = true;
      });
      itemStart;
    }
    memo.lastSize = this.current.offset - start;
  }

  /**
   * Pass 1: errors in data values that no later pass can change (the value is known and impossible).
   * Reports evaluation errors itself; returns whether a value is a scaled address (reported by the caller).
   */
  private checkDataValues(body: Extract<StatementBody, { kind: 'data' }>): boolean {
    let scaled = false;
    for (const item of body.items) {
      if (item.kind !== 'expr') continue;
      const value = this.evaluateExpr(item.expr);
      if (value.scaled || value.complex) scaled = true;
    }
    return scaled;
  }

  private dataSize(body: Extract<StatementBody, { kind: 'data' }>): number {
    let size = 0;
    for (const item of body.items) {
      if (item.kind === 'string') size += Math.ceil(item.bytes.length / body.unitSize) * body.unitSize;
      else size += body.unitSize;
    }
    return size;
  }

  private dataItem(item: DataItem, unit: number, overflow: (message: string) => void): void {
    const out = this.current.bytes;
    switch (item.kind) {
      case 'string': {
        const padded = Math.ceil(item.bytes.length / unit) * unit;
        out.push(item.bytes);
        out.fill(0, padded - item.bytes.length);
        this.current.offset += padded;
        return;
      }
      case 'uninit':
        out.fill(0, unit);
        this.current.offset += unit;
        return;
      case 'float': {
        let bytes: Uint8Array;
        try {
          bytes = encodeFloat(item.text, item.negative, unit);
        } catch (e) {
          if (e instanceof FloatError) this.reportError(e.message);
          throw e;
        }
        out.push(bytes);
        this.current.offset += unit;
        return;
      }
      case 'expr': {
        const value = this.evaluateExpr(item.expr);
        if (value.unknown) this.undefinedSymbolError();
        if (unit > 8) {
          if (value.base !== null) this.reportError('expression is not simple or relocatable');
          // dt / do with an integer: NASM rejects integers wider than 8 bytes here.
          this.reportError(`integer supplied as ${unit * 8}-bit data`);
        }
        this.writeField(this.current.offset, unit as 1 | 2 | 4 | 8, value, false, unit, overflow);
        this.current.offset += unit;
        return;
      }
    }
  }

  /**
   * Writes a value into a field of the current section at `at` (the section
   * offset) and records a relocation when it refers to a segment base.
   * `distanceToEnd` is what a PC-relative field is measured from: the end of
   * its instruction, relative to the field.
   */
  private writeField(
    at: number,
    size: 1 | 2 | 4 | 8,
    value: Value,
    relative: boolean,
    distanceToEnd: number,
    overflow: ((message: string) => void) | null,
  ): void {
    const special = value.wrt !== null && value.wrt < 0 ? ELF_WRT_SEGMENTS.find((w) => w.id === value.wrt) : undefined;
    if (special) {
      this.writeElfWrtField(at, size, value, relative, distanceToEnd, special.wrt);
      return;
    }
    if (value.complex) this.reportError('expression is not simple or relocatable');
    if (value.scaled) {
      // `label*2` (see scaleRelocatable): instructions get the bare number, data cannot take it.
      if (overflow !== null) this.reportError('expression is not simple or relocatable');
      this.storeField(at, size, relative ? value.offset - BigInt(distanceToEnd) : value.offset);
      return;
    }
    let stored = value.offset;
    const minusBase = value.minusBase ?? null;
    if (minusBase !== null) {
      // `target - $`-style: PC-relative to the field, corrected by where the subtracted label lies.
      if (minusBase !== this.current.segment || relative) this.reportError('expression is not simple or relocatable');
      stored += BigInt(at);
      this.addRelocation(at, size, value, true);
    } else if (value.base !== null || value.segmentOf) {
      if (value.segmentOf) {
        // nasm reports it but still writes the field (listed as [ssss]) and goes on with the line.
        if (this.finalPass) {
          this.diagnostics.error(
            `${this.options.format === 'bin' ? 'binary output' : 'ELF'} format does not support segment base references`,
            this.currentLocation,
          );
        }
        this.current.relocations.push({
          offset: at,
          size,
          relative: false,
          target: { kind: 'section', sectionIndex: -1 },
          targetSegment: value.base ?? this.current.segment,
          wrt: null,
          segmentBase: true,
        });
        this.storeField(at, size, 0n);
        return;
      }
      if (relative) stored -= BigInt(distanceToEnd);
      this.addRelocation(at, size, value, relative);
    } else if (relative) {
      // PC-relative to an absolute address: NASM emits it against the absolute target.
      stored -= BigInt(this.current.offset) + BigInt(distanceToEnd);
    } else if (overflow && !fitsField(stored, size)) {
      overflow(`${SIZE_NAMES[size]} data exceeds bounds`);
    }
    this.storeField(at, size, stored);
  }

  /** Writes a little-endian field of the current section (appending, or patching an instruction's field). */
  private storeField(at: number, size: number, stored: bigint): void {
    const bytes = new Uint8Array(size);
    let v = BigInt.asUintN(size * 8, stored);
    for (let i = 0; i < size; i++) {
      bytes[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    if (at === this.current.bytes.length) this.current.bytes.push(bytes);
    else this.current.bytes.patch(at, bytes);
  }

  /**
   * A field with `wrt ..gotpc/..gotoff/..got/..plt/..sym` (elf32 PIC code).
   * What goes into the field, measured against nasm 2.16.01:
   *  - ..gotpc: the value plus the field's own offset (GOT + A - P at run time);
   *  - ..gotoff: the offset into the section, relocated against the section;
   *  - ..got: against the global symbol at exactly that address, addend 0;
   *  - ..plt: PC-relative only, like a call;
   *  - ..sym: against the nearest global symbol at or below the address.
   */
  private writeElfWrtField(
    at: number,
    size: 1 | 2 | 4 | 8,
    value: Value,
    relative: boolean,
    distanceToEnd: number,
    kind: ElfWrt,
  ): void {
    let wrt: ElfWrt | null = kind;
    if (value.base === null || (value.minusBase ?? null) !== null)
      this.reportError('expression is not simple or relocatable');
    let stored = value.offset;
    let targetSymbol: SymbolEntry | undefined;
    const segment = this.segments[value.base];
    if (!segment) this.reportError('invalid relocation target');
    // These errors do not abandon the statement: nasm still emits the field (and lists it) as a plain relocation.
    const fail = (message: string): void => {
      this.diagnostics.error(message, this.currentLocation);
      wrt = null;
    };
    if ((wrt === 'got' || wrt === 'sym') && segment.kind === 'section') {
      targetSymbol = this.globalSymbolFor(value.base, value.offset, wrt === 'got');
      if (targetSymbol) stored -= targetSymbol.value!.offset;
      else fail('unable to find a suitable global symbol for this reference');
    }
    if (wrt === 'plt' && !relative) fail('ELF format cannot produce non-PC-relative PLT references');
    if (wrt === 'gotpc') stored += BigInt(at);
    if (relative) stored -= BigInt(distanceToEnd);
    if (segment.kind === 'extern') segment.symbol.referenced = true;
    this.current.relocations.push({
      offset: at,
      size,
      relative,
      target: { kind: 'symbol', symbolIndex: -1 },
      targetSegment: value.base,
      wrt,
      ...(targetSymbol ? { targetSymbol } : {}),
    });
    this.storeField(at, size, stored);
  }

  /** The global label of a section that `wrt ..sym` (at or below `offset`) or `..got` (exactly at it) refers to. */
  private globalSymbolFor(segment: number, offset: bigint, exact: boolean): SymbolEntry | undefined {
    let best: SymbolEntry | undefined;
    for (const s of this.symbols.values()) {
      if (!s.global || s.kind !== 'label' || s.value?.base !== segment) continue;
      const v = s.value.offset;
      if (exact ? v !== offset : v > offset) continue;
      if (!best || v > best.value!.offset) best = s;
    }
    return best;
  }

  private addRelocation(at: number, size: 1 | 2 | 4 | 8, value: Value, relative: boolean): void {
    const seg = this.segments[value.base!];
    if (!seg) this.reportError('invalid relocation target');
    if (seg.kind === 'extern' && this.options.format === 'bin') {
      this.reportError('binary output format does not support external references');
    }
    if (seg.kind === 'extern') seg.symbol.referenced = true;
    this.current.relocations.push({
      offset: at,
      size,
      relative,
      target: seg.kind === 'section' ? { kind: 'section', sectionIndex: -1 } : { kind: 'symbol', symbolIndex: -1 },
      targetSegment: value.base!,
      wrt: null,
    });
  }

  // -------------------------------------------------------------------------
  // Instructions
  // -------------------------------------------------------------------------

  private instruction(body: Extract<StatementBody, { kind: 'instruction' }>, index: number): void {
    if (this.absoluteOffset !== null || this.current.attributes.kind === 'nobits') {
      if (body.mnemonic !== '') {
        this.reportError(
          this.absoluteOffset !== null
            ? 'attempt to assemble code in [ABSOLUTE] space'
            : `attempt to initialize memory in BSS section \`${this.current.name}': ignored`,
        );
      }
    }
    if (body.mnemonic === '') return; // prefixes alone: nothing in this version
    const memo = this.memos[index]!;
    if (!this.finalPass && memo.fixedSize >= 0) {
      this.advance(memo.fixedSize);
      return;
    }
    const offset = this.current.offset;
    const operands = body.operands.map((op) => this.buildOperand(op));
    if (!this.finalPass) {
      const key = this.memoKey(operands, offset);
      if (memo.lastKey !== null && sameKey(memo.lastKey, key)) {
        this.advance(memo.lastSize);
        return;
      }
      memo.lastKey = key;
    }
    const ctx: EncodeContext = {
      bits: this.bits,
      segment: this.current.segment,
      offset: BigInt(offset),
      optimize: this.options.optimize,
      cpu: this.cpu,
      defaultRel: this.defaultRel,
    };
    const result = encodeInstruction({ mnemonic: body.mnemonic, prefixes: body.prefixes, operands }, ctx);
    if (!result.ok) {
      if (this.finalPass && this.missingSymbol !== null && operands.some(hasUnknown)) this.undefinedSymbolError();
      // nasm rejects an impossible effective address as soon as it sees one (pass 1, so a -Lp
      // listing shows pass 1), unless a value in it is not known yet.
      const pass1 = IMPOSSIBLE_ADDRESS.test(result.error) && !operands.some(hasUnknown);
      if (
        result.error === 'impossible combination of address sizes' &&
        ((pass1 && this.pass === 1) || this.finalPass)
      ) {
        // nasm follows it with its generic complaint about the address (measured in 16- and 32-bit code).
        this.diagnostics.error(result.error, this.currentLocation);
        this.reportError(`invalid ${this.bits}-bit effective address`, pass1);
      }
      this.reportError(result.error, pass1);
    }
    if (this.finalPass) {
      if (this.missingSymbol !== null && operands.some(hasUnknown)) this.undefinedSymbolError();
      if (result.finalPassError) {
        this.diagnostics.error(result.finalPassError, this.currentLocation);
        for (const w of result.warnings) this.warn(w.message, w.warningClass);
        // nasm still writes the short jump, its displacement cut to a byte with a warning; the
        // listing shows those bytes and the next line's address after them.
        this.warn('byte data exceeds bounds', 'number-overflow');
        this.emitInstruction(result.bytes, result.fixups, offset);
        this.advance(result.bytes.length);
        throw new StatementError(result.finalPassError);
      }
      for (const w of result.warnings) this.warn(w.message, w.warningClass);
      this.emitInstruction(result.bytes, result.fixups, offset);
    }
    const size = result.bytes.length;
    memo.lastSize = size;
    if (memo.fixedSize < 0 && !body.operands.some(operandDependsOnLayout)) memo.fixedSize = size;
    else if (!this.finalPass && this.statements[index]!.body === body) {
      memo.layout = this.instructionLayoutDependence(body, operands, memo, ctx, size);
      // Sizes that layout cannot change (calls, relocated addresses) need no more encoding until the final pass.
      if (memo.layout === LayoutDependence.Fixed) memo.fixedSize = size;
    }
    this.advance(size);
  }

  // -------------------------------------------------------------------------
  // Branch relaxation (see relax.ts for the algorithm and why it is exact)
  // -------------------------------------------------------------------------

  /** What we know about a statement's layout dependence before any pass. */
  private staticLayoutDependence(body: StatementBody): LayoutDependence {
    switch (body.kind) {
      case 'directive':
        return body.name === 'align' || body.name === 'alignb' ? LayoutDependence.Unsafe : LayoutDependence.Fixed;
      case 'reserve':
        if (!this.layoutDerived(body.count)) return LayoutDependence.Fixed;
        return positionOnly(body.count) ? LayoutDependence.PositionDependent : LayoutDependence.Unsafe;
      case 'times': {
        if (body.body.kind === 'instruction' && body.body.operands.some(operandDependsOnLayout))
          return LayoutDependence.Unsafe;
        if (this.staticLayoutDependence(body.body) !== LayoutDependence.Fixed) return LayoutDependence.Unsafe;
        if (!this.layoutDerived(body.count)) return LayoutDependence.Fixed;
        return positionOnly(body.count) && body.body.kind !== 'reserve'
          ? LayoutDependence.PositionDependent
          : LayoutDependence.Unsafe;
      }
      case 'instruction':
        // Decided from operand values once they are known (instructionLayoutDependence).
        return body.operands.some(operandDependsOnLayout) ? LayoutDependence.Unsafe : LayoutDependence.Fixed;
      default:
        return LayoutDependence.Fixed;
    }
  }

  /** True when an expression's plain value can change when code moves ($, labels, EQUs of them). */
  private layoutDerived(expr: Expr, depth = 0): boolean {
    switch (expr.kind) {
      case 'number':
      case 'register':
        return false;
      case 'here':
      case 'sectionStart':
        return true;
      case 'unary':
        return this.layoutDerived(expr.operand, depth);
      case 'binary':
        return this.layoutDerived(expr.left, depth) || this.layoutDerived(expr.right, depth);
      case 'symbol': {
        if (this.labelNames.has(expr.name)) return true;
        const definition = this.equDefinitions.get(expr.name);
        if (definition === undefined) return false; // extern, common or undefined: never a layout number
        const cached = this.layoutDerivedCache.get(expr.name);
        if (cached !== undefined) return cached;
        if (depth > 64) return true; // deep or circular EQU chains: assume the worst
        this.layoutDerivedCache.set(expr.name, true); // guards against cycles while computing
        const derived = this.layoutDerived(definition, depth + 1);
        this.layoutDerivedCache.set(expr.name, derived);
        return derived;
      }
    }
  }

  /**
   * Classifies an instruction from the operand values of this pass. Relocatable
   * values always take full-size fields, so only plain numbers computed from
   * layout, and branches to the section being assembled, can change size.
   */
  private instructionLayoutDependence(
    body: Extract<StatementBody, { kind: 'instruction' }>,
    operands: Operand[],
    memo: SizeMemo,
    ctx: EncodeContext,
    size: number,
  ): LayoutDependence {
    let branchOperand = -1;
    for (let i = 0; i < operands.length; i++) {
      const op = operands[i]!;
      const ast = body.operands[i]!;
      const checks: Array<{ value: Value; expr: Expr | null }> = [];
      if (op.kind === 'imm' && ast.kind === 'imm') {
        checks.push({ value: op.value, expr: ast.expr });
        if (op.farSegment) checks.push({ value: op.farSegment, expr: ast.farSegment });
      } else if (op.kind === 'mem' && ast.kind === 'mem') {
        checks.push({ value: op.displacement, expr: this.preparedMemory.get(ast)?.rest ?? null });
      }
      for (const { value, expr } of checks) {
        if (value.unknown || (value.minusBase ?? null) !== null) return LayoutDependence.Unsafe;
        if (value.base === null && !value.segmentOf && value.wrt === null) {
          if (expr !== null && this.layoutDerived(expr)) return LayoutDependence.Unsafe;
        } else if (
          value.base === this.current.segment &&
          value.wrt === null &&
          !value.segmentOf &&
          op.kind === 'imm' &&
          !op.farSegment
        ) {
          branchOperand = i;
        }
      }
    }
    if (branchOperand < 0) return LayoutDependence.Fixed;
    if (memo.branchSizes === null) memo.branchSizes = this.probeBranchSizes(body, operands, branchOperand, ctx);
    const sizes = memo.branchSizes;
    if (sizes.short === sizes.near || sizes.short < 0 || sizes.near < 0) {
      // One size only (a call, or LOOP/JCXZ with no near form: out of reach is an error, not a bigger jump).
      return size === Math.max(sizes.short, sizes.near) ? LayoutDependence.Fixed : LayoutDependence.Unsafe;
    }
    const ast = body.operands[branchOperand]!;
    const target = operands.length === 1 && ast.kind === 'imm' ? jumpTarget(ast.expr) : null;
    if (target === null || !this.labelNames.has(target.name) || (size !== sizes.short && size !== sizes.near))
      return LayoutDependence.Unsafe;
    memo.jump = { target: target.name, addend: target.addend, shortSize: sizes.short, nearSize: sizes.near };
    return LayoutDependence.Jump;
  }

  /** Encodes a same-section branch with its target next to it and far away; -1 marks a form that cannot be encoded. */
  private probeBranchSizes(
    body: Extract<StatementBody, { kind: 'instruction' }>,
    operands: Operand[],
    branchOperand: number,
    ctx: EncodeContext,
  ): { short: number; near: number } {
    const sizeAt = (distance: bigint): number => {
      const probe = operands.slice();
      const op = probe[branchOperand]!;
      if (op.kind !== 'imm') return -1;
      probe[branchOperand] = { ...op, value: { ...op.value, offset: ctx.offset + distance } };
      const r = encodeInstruction({ mnemonic: body.mnemonic, prefixes: body.prefixes, operands: probe }, ctx);
      return r.ok && !r.finalPassError ? r.bytes.length : -1;
    };
    return { short: sizeAt(0n), near: sizeAt(0x4000n) };
  }

  /**
   * After a pass that still moved labels: if every size that depends on
   * layout belongs to a jump or to position-only padding (`align`), the rest
   * of NASM's passes are replayed on a flat model of the layout
   * (settleLayout in relax.ts), which is hundreds of times cheaper per pass and
   * finishes with the linear worklist once sizes move one way only. The labels
   * get the settled values and the normal passes resume (and confirm them).
   * Returns false when the model ran out of passes (NASM's "stabilized too late").
   */
  private trySettling(afterPass: number, lastPass: 'grow' | 'shrink' | 'mixed'): boolean {
    const count = this.statements.length;
    // Most files that cannot use the model say so early: check before allocating it.
    for (let i = 0; i < count; i++) if (this.memos[i]!.layout === LayoutDependence.Unsafe) return true;
    const model: LayoutModel = {
      section: this.statementSection.slice(),
      size: Int32Array.from(this.statementSize),
      start: this.statementStart.slice(),
      kind: new Uint8Array(count),
      target: new Int32Array(count),
      addend: new Int32Array(count),
      shortSize: new Int32Array(count),
      nearSize: new Int32Array(count),
      sizeAt: new Map(),
      sectionCount: this.sections.length,
    };
    for (let i = 0; i < count; i++) {
      const memo = this.memos[i]!;
      if (memo.layout === LayoutDependence.Jump) {
        const jump = memo.jump!;
        const target = this.symbols.get(jump.target);
        const section = this.statementSection[i]!;
        if (!target || target.kind !== 'label' || target.definedStatement < 0 || section < 0) return true;
        if (this.statementSection[target.definedStatement] !== section) return true;
        model.kind[i] = ItemKind.Jump;
        model.target[i] = target.definedStatement;
        model.addend[i] = jump.addend;
        model.shortSize[i] = jump.shortSize;
        model.nearSize[i] = jump.nearSize;
      } else if (memo.layout === LayoutDependence.PositionDependent) {
        const sizeAt = this.positionSizeFunction(i);
        if (sizeAt === null) return true;
        model.kind[i] = ItemKind.PositionDependent;
        model.sizeAt.set(i, sizeAt);
      }
    }
    // The recorded layout must be the one the labels have now; anything else means a case this code does not model.
    const labelsInSections = [...this.symbols.values()].filter(
      (s) => s.kind === 'label' && s.definedStatement >= 0 && this.statementSection[s.definedStatement]! >= 0,
    );
    for (const s of labelsInSections) {
      const section = this.sections[this.statementSection[s.definedStatement]!]!;
      if (
        s.value === null ||
        s.value.base !== section.segment ||
        Number(s.value.offset) !== this.statementStart[s.definedStatement]
      )
        return true;
    }

    const maxPasses = (this.options.maxPasses ?? 1000) - afterPass;
    const result = settleLayout(model, maxPasses, lastPass);
    if (!result.modelled) return true;
    for (const s of labelsInSections) {
      s.value = { ...s.value!, offset: BigInt(model.start[s.definedStatement]!) };
    }
    this.relaxation = {
      afterPass,
      replayedPasses: result.passes,
      direction: result.worklist,
      jumpsChanged: result.jumpsChanged,
    };
    return result.settled;
  }

  /**
   * Size of a position-dependent statement (`times N-($-$$)`-style count, or
   * `resb` of one) as a function of its start offset, for the layout model.
   * Null when the repeated unit's size is not known.
   */
  private positionSizeFunction(index: number): ((start: number) => number) | null {
    const body = this.statements[index]!.body;
    const section = this.sections[this.statementSection[index]!];
    if (!section) return null;
    let countExpr: Expr;
    let unit: number;
    if (body.kind === 'times') {
      countExpr = body.count;
      unit = body.body.kind === 'reserve' ? -1 : this.memos[index]!.fixedSize;
    } else if (body.kind === 'reserve') {
      countExpr = body.count;
      unit = body.unitSize;
    } else {
      return null;
    }
    if (unit < 0) return null;
    const segment = section.segment;
    const env: EvalEnv = {
      symbolValue: () => null,
      here: constantValue(0),
      sectionStart: { offset: 0n, base: segment, unknown: false, wrt: null, segmentOf: false },
    };
    return (start: number): number => {
      env.here = { offset: BigInt(start), base: segment, unknown: false, wrt: null, segmentOf: false };
      try {
        const v = evaluate(countExpr, env);
        if (v.unknown || v.base !== null || v.offset < 0n) return -1;
        return Number(v.offset) * unit;
      } catch {
        return -1;
      }
    };
  }

  private emitInstruction(bytes: Uint8Array, fixups: Fixup[], offset: number): void {
    this.current.bytes.push(bytes);
    for (const f of fixups) {
      this.writeField(offset + f.at, f.size, f.value, f.relative, bytes.length - f.at, null);
    }
  }

  /** The values an instruction's size can depend on, relative to its own address where that is meaningful. */
  private memoKey(operands: Operand[], offset: number): Array<number | string> {
    const key: Array<number | string> = [this.bits, this.cpu];
    const push = (v: Value): void => {
      if (v.unknown) key.push('?');
      else if (v.base === this.current.segment && (v.minusBase ?? null) === null)
        key.push('r', Number(v.offset) - offset);
      else key.push(v.base === null ? 'n' : `b${v.base}-${v.minusBase ?? ''}`, Number(v.offset));
    };
    for (const op of operands) {
      if (op.kind === 'imm') {
        push(op.value);
        if (op.farSegment) push(op.farSegment);
      } else if (op.kind === 'mem') {
        push(op.displacement);
      }
    }
    return key;
  }

  private buildOperand(op: OperandAst): Operand {
    switch (op.kind) {
      case 'reg':
        return { kind: 'reg', reg: op.reg, size: op.size, to: op.to };
      case 'imm': {
        const value = this.evaluateExpr(op.expr);
        if (value.complex) this.reportError('invalid operand type', true);
        const farSegment = op.farSegment ? this.evaluateExpr(op.farSegment) : null;
        return { kind: 'imm', value, size: op.size, strict: op.strict, distance: op.distance, farSegment, to: op.to };
      }
      case 'mem': {
        let prepared = this.preparedMemory.get(op);
        if (!prepared) {
          try {
            const split = op.address ? splitAddress(op.address) : { registers: [], rest: null };
            const registers: PreparedMemory['registers'] = split.registers;
            if (op.splitIndex) {
              const index = splitAddress(op.splitIndex);
              if (index.rest !== null || index.registers.length !== 1) throw new EvalError('invalid mib expression');
              registers.push({ ...index.registers[0]!, index: true });
            }
            prepared = { ast: op, registers, rest: split.rest };
          } catch (e) {
            if (e instanceof EvalError) this.reportError(e.message, true);
            throw e;
          }
          this.preparedMemory.set(op, prepared);
        }
        const displacement = prepared.rest ? this.evaluateExpr(prepared.rest) : constantValue(0);
        if (displacement.complex) this.reportError('invalid effective address: multiple base segments', true);
        if (displacement.scaled)
          this.reportError('invalid effective address: impossible segment base multiplier', true);
        return {
          kind: 'mem',
          size: op.size,
          strict: op.strict,
          segment: op.segment,
          registers: prepared.registers,
          displacement,
          hasDisplacement: prepared.rest !== null,
          displacementSize: op.displacementSize,
          nosplit: op.nosplit,
          relative: op.relative,
          distance: op.distance,
        };
      }
    }
  }

  // -------------------------------------------------------------------------
  // Output
  // -------------------------------------------------------------------------

  /** The ELF size given with `global x:function SIZE`, evaluated after the final pass. */
  private symbolSize(s: SymbolEntry): number {
    if (s.elfSize === null) return 0;
    try {
      const v = this.directiveValue(s.elfSize);
      return v.unknown || v.base !== null ? 0 : Number(v.offset);
    } catch {
      return 0;
    }
  }

  private buildObject(): ObjectFile {
    // Declared sections in declaration order, then the implicit default section if it was used.
    const outputSections = this.sections
      .filter((s) => s.declared || s.used)
      .sort((a, b) => a.declaredOrder - b.declaredOrder);
    const sectionIndex = new Map<SectionState, number>(outputSections.map((s, i) => [s, i]));

    const ordered = [...this.symbols.values()]
      .filter((s) => s.outputOrder >= 0 || (s.kind === 'extern' && s.referenced))
      .sort((a, b) => a.outputOrder - b.outputOrder);
    const symbols: ObjectSymbol[] = [];
    const symbolIndexByName = new Map<string, number>();
    for (const s of ordered) {
      if (s.name.startsWith('..') && !s.name.startsWith('..@')) continue; // special symbols
      if (s.kind === 'extern' && !s.referenced) continue;
      let section: ObjectSymbol['section'];
      if (s.kind === 'extern') section = 'undef';
      else if (s.kind === 'common') section = 'common';
      else if (!s.value || s.value.base === null) section = 'abs';
      else {
        const seg = this.segments[s.value.base];
        section = seg && seg.kind === 'section' ? (sectionIndex.get(seg.section) ?? 'abs') : 'undef';
      }
      symbolIndexByName.set(s.name, symbols.length);
      symbols.push({
        name: s.name,
        binding: s.global || s.kind === 'extern' || s.kind === 'common' ? 'global' : 'local',
        section,
        value: s.kind === 'common' ? BigInt(s.commonAlign) : (s.value?.offset ?? 0n),
        size: s.kind === 'common' ? s.commonSize : this.symbolSize(s),
        type: s.elfType ?? 'notype',
        commonAlign: s.commonAlign,
        referenced: s.referenced,
      });
    }

    const sections: ObjectSection[] = outputSections.map((s) => ({
      name: s.name,
      attributes: s.attributes,
      data: s.attributes.kind === 'nobits' ? new Uint8Array(0) : s.bytes.result(),
      size: s.offset,
      relocations: s.relocations.map((r) => {
        const seg = this.segments[r.targetSegment]!;
        const target: Relocation['target'] = r.targetSymbol
          ? { kind: 'symbol', symbolIndex: symbolIndexByName.get(r.targetSymbol.name) ?? 0 }
          : seg.kind === 'section'
            ? { kind: 'section', sectionIndex: sectionIndex.get(seg.section) ?? 0 }
            : { kind: 'symbol', symbolIndex: symbolIndexByName.get(seg.symbol.name) ?? 0 };
        return { offset: r.offset, size: r.size, relative: r.relative, target, wrt: r.wrt };
      }),
    }));
    return { sourceName: this.options.sourceName, sections, symbols, origin: this.origin };
  }
}

const SIZE_NAMES: Readonly<Record<number, string>> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

/** NASM's data range check: a value fits if it is a valid signed or unsigned number of that width. */
function fitsField(value: bigint, size: number): boolean {
  if (size >= 8) return true;
  const bits = BigInt(size * 8);
  return value >= -(1n << (bits - 1n)) && value < 1n << bits;
}

function hasUnknown(op: Operand): boolean {
  if (op.kind === 'imm') return op.value.unknown || (op.farSegment?.unknown ?? false);
  if (op.kind === 'mem') return op.displacement.unknown;
  return false;
}

function operandDependsOnLayout(op: OperandAst): boolean {
  if (op.kind === 'imm') return dependsOnLayout(op.expr) || (op.farSegment !== null && dependsOnLayout(op.farSegment));
  if (op.kind === 'mem') return op.address !== null && dependsOnLayout(op.address);
  return false;
}

/** The mode a `bits N` / `use16` / `use32` / `use64` directive selects, or null for a bad size. */
export function bitsSetBy(name: string, args: string): 16 | 32 | 64 | null {
  if (name === 'use16') return 16;
  if (name === 'use32') return 32;
  if (name === 'use64') return 64;
  const n = args.trim();
  return n === '16' || n === '32' || n === '64' ? (Number(n) as 16 | 32 | 64) : null;
}

/** True for expressions made only of numbers, `$` and `$$` (alignment padding). */
function positionOnly(expr: Expr): boolean {
  return !someLeaf(expr, (leaf) => leaf.kind === 'symbol' || leaf.kind === 'register');
}

/** `label`, `label + n` or `label - n` with a small n: the jump targets relaxation understands. */
function jumpTarget(expr: Expr): { name: string; addend: number } | null {
  if (expr.kind === 'symbol') return { name: expr.name, addend: 0 };
  if (
    expr.kind === 'binary' &&
    (expr.op === '+' || expr.op === '-') &&
    expr.left.kind === 'symbol' &&
    expr.right.kind === 'number'
  ) {
    const n = Number(expr.right.value) * (expr.op === '-' ? -1 : 1);
    return Math.abs(n) <= 16 ? { name: expr.left.name, addend: n } : null;
  }
  return null;
}

function sameKey(a: Array<number | string>, b: Array<number | string>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Splits `a, b:function (b.end - b), c:data 4` into names with optional ELF types and size expressions. */
function splitNames(args: string): Array<{ name: string; type: 'function' | 'object' | null; size: string | null }> {
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
  return items
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
      const size = m && m[2]!.trim().length > 0 ? m[2]!.trim() : null;
      return { name, type, size };
    });
}
