/**
 * What every part of the assembler shares while it walks the statements: the
 * options, the symbol table, the section streamer, the per-pass mode (bits,
 * cpu, warnings…), the per-statement size memos, and the ways to report and
 * to evaluate. The pass driver (assembler.ts) owns one; statement kinds
 * (emit-*.ts) and directive handlers (directives/) work through it.
 */
import { DEFAULT_FLOAT_MODE, type FloatMode } from '../core/float.js';
import {
  innermostLocation,
  WarningSwitches,
  type Diagnostic,
  type DiagnosticSink,
  type SourceLocation,
} from '../core/diagnostics.js';
import { evaluate, EvalError, LateEvalError, RegisterLeafError, type EvalEnv } from '../core/expressions.js';
import { registerOperand, registerTerms, registerUseError, type RegisterUse } from '../core/register-terms.js';
import { constantValue, isCriticalNumber, makeValue, UNKNOWN_VALUE, type Value } from '../core/value.js';
import type { Register } from '../encoder/registers.js';
import type { OptimizeLevel } from '../encoder/types.js';
import type { Expr, MemoryOperandAst, Statement, StatementBody } from '../parse/ast.js';
import { ByteBuffer } from './buffer.js';
import type { MapRequest, Relocation } from './object.js';
import { SectionStream } from './stream.js';
import { SymbolTable, type SymbolEntry } from './symbols.js';
import { NameMangling, type NameAffixes } from './name-mangling.js';
import { SizeMemos, type EncodingMode } from './memos.js';
import type { StatementSource } from './reread.js';
import { defaultBits, isElfFormat, type OutputFormatName } from './writer.js';

export interface AssemblerOptions {
  format: OutputFormatName;
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
  /**
   * Statements pass 1 reads in place of the given ones (at their index): nasm's pass 1 names a
   * `.local` before the first label plain `.local`, later passes after the last label of the
   * pass before (src/parse/leading-locals.ts).
   */
  passOneStatements?: ReadonlyArray<{ at: number; statement: Statement }>;
  /** Largest output, in bytes, a section's contents or a `-f bin` file may reach (default OUTPUT_LIMIT). */
  outputLimit?: number;
  /**
   * Statements read anew in every pass (the preprocessor asked about assembler symbols, which
   * nasm answers inside each pass; see reread.ts). The statements given to the Assembler are then ignored.
   */
  statementSource?: StatementSource;
  /** `--gprefix`, `--lprefix`, `--gpostfix`, `--lpostfix` (they win over `%pragma output gprefix`). */
  nameAffixes?: NameAffixes;
}

/** Default output size limit: 1 GiB, so a typo such as `times 0x7fffffff db 0` cannot fill memory or disk. */
export const OUTPUT_LIMIT = 1 << 30;

/** Where each statement and label was at the end of one pass. */
export interface PassSnapshot {
  pass: number;
  /** Per statement, in order: its space (section name, null in absolute space), start offset and size. */
  statements: Array<{ space: string | null; offset: number; size: number }>;
  /** Label values (offsets in their section; space null for plain numbers) at the end of the pass. */
  labels: Array<{ name: string; space: string | null; value: number }>;
}

export type ElfWrt = NonNullable<Relocation['wrt']>;

/** Where a field is and how it is measured. */
export interface FieldPlace {
  /** Offset of the field in the current section. */
  at: number;
  size: 1 | 2 | 4 | 8;
  /** PC-relative (measured from the end of the instruction: `distanceToEnd` bytes after the field). */
  relative: boolean;
  distanceToEnd: number;
  /** The CPU sign-extends the field (imm32 of a 64-bit operation, disp32 of a 64-bit address): x86-64 R_X86_64_32S. */
  signed?: boolean;
}

/**
 * elf32's special segments for `wrt`: each stands for a PIC relocation type.
 * They get ids below every real segment (which count up from 0).
 */
export const ELF_WRT_SEGMENTS: ReadonlyArray<{ name: string; wrt: ElfWrt; id: number }> = [
  { name: '..gotpc', wrt: 'gotpc', id: -10 },
  { name: '..gotoff', wrt: 'gotoff', id: -11 },
  { name: '..got', wrt: 'got', id: -12 },
  { name: '..plt', wrt: 'plt', id: -13 },
  { name: '..sym', wrt: 'sym', id: -14 },
  { name: '..gottpoff', wrt: 'gottpoff', id: -15 },
  { name: '..tlsie', wrt: 'tlsie', id: -16 },
];

/** A memory operand with its address split once (registers vs the rest). */
export interface PreparedMemory {
  ast: MemoryOperandAst;
  registers: Array<{ reg: Register; scale: number; multiplied: boolean; bare: boolean; index?: boolean }>;
  rest: Expr | null;
  /** Two unscaled registers: whether nasm's register order applies is decided per pass (address.ts). */
  orderMayChange: boolean;
  /**
   * A mib index (`[ebx, ecx+x]`) whose value pass one does not know yet: taken as its register for
   * this pass (the displacement keeps its value: nasm sizes `[ebx+4, ecx+x]` with a disp8), and
   * nothing learnt about the line is kept (AssemblyContext.unknownMibIndex).
   */
  unknownIndex: boolean;
}

/** Internal: abandons the current statement after reporting. */
export class StatementError extends Error {}

/** An operand whose terms are one register plus a number: the register, or a register group (`zmm4+3`). */
export interface RegisterOperandValue {
  register: Register;
  plus: bigint;
}

/** nasm's message for a TIMES count that is not a number. */
export const NON_CONSTANT_TIMES = 'non-constant argument supplied to TIMES';

/** A message of nasm's second pass, kept while pass one runs (see reportAfterPassOne). */
export interface AfterPassOneMessage {
  message: string;
  location: SourceLocation | null;
  /** The statement it is about, and its place among the messages (their order within a statement). */
  statement: number;
  order: number;
}

export class AssemblyContext {
  readonly symbols = new SymbolTable();
  /** Symbol name affixes (`%pragma output gprefix`), applied to the object file's names. */
  readonly nameMangling: NameMangling;
  readonly stream: SectionStream;
  readonly memos: SizeMemos;
  readonly preparedMemory = new WeakMap<MemoryOperandAst, PreparedMemory>();
  readonly incbinCache = new Map<string, Uint8Array | null>();
  /** Label names and EQU definitions, for the static "does this value come from layout" test. */
  readonly labelNames = new Set<string>();
  readonly equDefinitions = new Map<string, Expr>();
  /** EQU name → whether its value comes from layout (see layoutDerived in layout.ts). */
  readonly layoutDerivedCache = new Map<string, boolean>();

  pass = 0;
  finalPass = false;
  /** Some symbol changed value in this pass. */
  changed = false;
  /** How many symbols changed value in this pass (nasm's measure of forward progress). */
  changedCount = 0;
  /** Instruction bytes kept between passes (SizeMemos.savedAt), and the mode of the latest ones kept. */
  readonly savedBytes = new ByteBuffer();
  savedMode: EncodingMode | null = null;
  /** The same by shared body (src/asm/instructions.ts reuseSharedBody). */
  readonly sharedBodyEncodings = new Map<StatementBody, { at: number; length: number; mode: EncodingMode }>();
  /** Every mode met so far, each once, by segment (see currentMode in instructions.ts; thousands of sections stay linear). */
  readonly modes = new Map<number, EncodingMode[]>();
  bits: 16 | 32 | 64 = 16;
  /** Warning classes on and off: the command line's, then `[warning ±class]` (reset every pass). */
  warnings = WarningSwitches.defaults();
  warningStack: WarningSwitches[] = [];
  cpu = 'all';
  defaultRel = false;
  defaultBnd = false;
  /** `[float …]`: rounding and denormals of float constants; like `default`, kept from pass to pass. */
  floatMode: FloatMode = DEFAULT_FLOAT_MODE;
  origin = 0n;
  originGiven = false;
  /** The pass that met an `org` last: a second one with another value in the same pass is an error. */
  originPass = 0;
  currentLocation: SourceLocation | null = null;
  currentIndex = 0;
  /**
   * The bytes the current statement made that went nowhere (code in a nobits section or in
   * absolute space): the final pass's emission record takes them for the listing, which shows
   * them as nasm's does.
   */
  unplacedBytes: Uint8Array | null = null;
  /**
   * `$` for the current statement: its start, the same in every TIMES repetition (as NASM has it).
   * Kept as a place and made into a Value only when an expression asks for it: most lines never
   * do, and a Value (with its BigInt) per statement per pass was a large share of all allocation.
   */
  private lineStartOffset = 0;
  private lineStartBase: number | null = null;
  private lineStartValue: Value | null = null;
  /** Set by evaluateAt: the `$` of another statement, in place of this line's. */
  private hereOverride: Value | null = null;
  private sectionStartOverride: Value = UNKNOWN_VALUE;
  missingSymbol: string | null = null;
  /**
   * The operands being built (buildOperands) have a mib index pass one does not know yet: the
   * instruction keeps no memo, saved bytes or fixed size from this pass (preparedMemory).
   */
  unknownMibIndex = false;
  /** Data lines with a value pass one did not know: the next passes look at them until they know it (data.ts). */
  readonly dataKnownLater = new Set<number>();
  /** bin's `[map …]` request (pass one). */
  mapRequest: MapRequest | null = null;
  /** The repeat count of the last `times` (for its EmissionRecord). */
  lastTimesCount = 0;
  /** Which repetition of a `times` line is being emitted (0 for the first, and outside `times`). */
  timesRepetition = 0;

  constructor(
    readonly statements: Statement[],
    readonly options: AssemblerOptions,
    readonly diagnostics: DiagnosticSink,
  ) {
    this.stream = new SectionStream(options.format);
    this.nameMangling = new NameMangling(options.nameAffixes);
    this.memos = new SizeMemos(statements.length);
    for (const stmt of statements) {
      if (stmt.label === null) continue;
      if (stmt.body.kind === 'equ') this.equDefinitions.set(stmt.label, stmt.body.value);
      else this.labelNames.add(stmt.label);
    }
  }

  /**
   * Resets the per-pass mode: every pass starts as the first did, except `default` and `float`,
   * which nasm 2.16.01 never resets: a later pass starts with the `default rel`/`bnd` (the
   * `float down`, `daz`) the previous pass ended with, so one at the end of a file applies to
   * the lines above it (measured: `dd 0.1` then `float down` gives cccccc3d).
   */
  beginPass(pass: number): void {
    this.pass = pass;
    this.changed = false;
    this.changedCount = 0;
    this.bits = defaultBits(this.options.format);
    this.cpu = 'all';
    this.warnings = this.diagnostics.warningSwitches.snapshot();
    this.warningStack = [];
    if (pass === 1) {
      this.defaultRel = false;
      this.defaultBnd = false;
      this.floatMode = DEFAULT_FLOAT_MODE;
    }
    this.stream.beginPass(this.finalPass);
  }

  /**
   * `label - other_label` may subtract only a label of the section being assembled into (it
   * becomes PC-relative): nasm's parser refuses an instruction operand or an equ that subtracts
   * another, in the first pass that knows both labels, and stops after that pass.
   */
  refuseOtherSectionSubtracted(value: Value): void {
    const minusBase = value.minusBase ?? null;
    if (minusBase === null || minusBase === this.stream.hereBase()) return;
    const message = 'invalid operand type';
    if (this.pass === 1 || this.finalPass) this.reportError(message, true);
    this.stopAfterThisPass(message);
  }

  /** An evaluation's error, reported in pass one too unless nasm gives it only at the end. */
  reportEvalError(e: EvalError): never {
    this.reportError(e.message, !(e instanceof LateEvalError));
  }

  /** Reports (in pass 1 for pass-1 errors, in the final pass for the rest) and abandons the statement. */
  reportError(message: string, pass1Error = false): never {
    if ((pass1Error && this.pass === 1) || this.finalPass) this.diagnostics.error(message, this.currentLocation);
    throw new StatementError(message);
  }

  /**
   * An error nasm reports in its second pass (bin's special symbols, bin's `align=`): kept while
   * pass one runs and reported after it only when pass one had no error of its own (nasm stops
   * after the first pass that had errors).
   */
  reportAfterPassOne(message: string, place = this.afterPassOnePlace()): void {
    if (this.pass === 1) this.afterPassOneErrors.push({ message, ...place });
  }

  /** Where a second-pass message about the current statement goes: kept for one known later. */
  afterPassOnePlace(): Omit<AfterPassOneMessage, 'message'> {
    return { statement: this.currentIndex, location: this.currentLocation, order: this.afterPassOneOrder++ };
  }

  /**
   * An error nasm reports in a pass between the first and the final one, after which it stops:
   * reported once, then the statement is abandoned; the pass driver ends after this pass.
   */
  stopAfterThisPass(message: string): never {
    this.diagnostics.error(message, this.currentLocation);
    this.stopped = true;
    throw new StatementError(message);
  }

  /**
   * A warning nasm gives in its second pass (bin's section attributes): shown, in statement order
   * with the errors of reportAfterPassOne, only when that pass has errors and assembly stops
   * there; else the final pass gives it again.
   */
  warnAfterPassOne(message: string, warningClass: string): void {
    const state = this.warnings.state(warningClass);
    if (this.pass !== 1 || state === 'off') return;
    this.afterPassOneWarnings.push({ message, ...this.afterPassOnePlace(), warningClass, promoted: state === 'error' });
  }

  stopped = false;

  readonly afterPassOneErrors: AfterPassOneMessage[] = [];
  readonly afterPassOneWarnings: Array<AfterPassOneMessage & { warningClass: string; promoted: boolean }> = [];
  /** Counts the second pass's messages, for their order within a statement. */
  private afterPassOneOrder = 0;
  /** Checks run once pass one is over (symbols defined later have values then), before its errors are reported. */
  readonly afterPassOneChecks: Array<() => void> = [];

  /**
   * A warning of the statement being assembled. nasm prints most warnings
   * in its final pass only, but one promoted to an error (`-w+error=x`)
   * counts in pass 1 already (and assembly stops after pass 1, as nasm's
   * does). `firstPass`: nasm raises it in pass 1 (the parser's
   * `label-orphan`), printed there whether promoted or not.
   */
  warn(message: string, warningClass: string, firstPass = false): Diagnostic | null {
    const state = this.warnings.state(warningClass);
    if (state === 'off') return null;
    const now = firstPass ? this.pass === 1 : this.finalPass || (state === 'error' && this.pass === 1);
    return now ? this.diagnostics.warningChecked(message, this.currentLocation, warningClass, state === 'error') : null;
  }

  /** A warning nasm gives as it reads the statement, in the pass that reads it, if its class is on. */
  warnNow(message: string, warningClass: string): void {
    const state = this.warnings.state(warningClass);
    if (state !== 'off')
      this.diagnostics.warningChecked(message, this.currentLocation, warningClass, state === 'error');
  }

  /**
   * A warning nasm raises in pass 1 and shows only when pass 1 fails (it holds a non-final
   * pass's warnings and drops them if the pass ends without errors): `forward reference in RESx`.
   */
  warnIfPassOneFails(message: string, warningClass: string): void {
    const state = this.warnings.state(warningClass);
    if (state === 'off' || this.pass !== 1) return;
    const d = this.diagnostics.warningChecked(message, this.currentLocation, warningClass, state === 'error');
    if (state !== 'error') this.passOneHeldWarnings.push(d);
  }

  readonly passOneHeldWarnings: Diagnostic[] = [];

  /** nasm words the zeroing warning differently per output format. */
  zeroingWarning(): void {
    const name = this.stream.current.name;
    this.warn(
      this.options.format === 'bin'
        ? `uninitialized space declared in ${name} section: zeroing`
        : `uninitialized space declared in non-BSS section \`${name}': zeroing`,
      'zeroing',
    );
  }

  undefinedSymbolError(): never {
    this.reportError(`symbol \`${this.missingSymbol ?? '?'}' not defined`);
  }

  /** Gives a symbol its value for this pass (NASM: one definition per pass; a change means another pass). */
  setSymbolValue(sym: SymbolEntry, value: Value): void {
    if (sym.definedInPass === this.pass && sym.kind !== 'extern') {
      // nasm accepts a second definition with the same value (`start:` twice, `K equ 5` twice).
      const old = sym.value;
      // Compared in every pass, a value still waiting for a forward reference as the number it
      // stands for (0 for an undefined symbol, no section): nasm 2.16.01 accepts `a equ b` twice
      // and `a equ b` / `a equ c` with b and c at one address, refuses `a equ b` before and after
      // `b:`, and says "inconsistently redefined" in the pass that sees them differ, then stops.
      const same = old !== null && old.offset === value.offset && old.base === value.base;
      if (old !== null && !same) {
        // A different value takes over, location included: a third definition's note names the second.
        this.redefinitionError(sym);
        sym.value = value;
        sym.definedAt = this.currentLocation;
        if (this.pass > 1) this.stopped = true;
      }
      // The rest of the line is still assembled (nasm's pass-1 layout).
      return;
    }
    const old = sym.value;
    if (old === null || old.offset !== value.offset || old.base !== value.base || old.unknown !== value.unknown) {
      sym.value = value;
      this.changed = true;
      this.changedCount++;
    }
    sym.definedInPass = this.pass;
    // The first definition of the pass (a moved one after pass 1): where a redefinition's note
    // points, as nasm's does when pass 1 read the line under another name (leading-locals.ts).
    sym.definedAt = this.currentLocation;
    if (this.finalPass) this.symbols.markOutput(sym);
  }

  /**
   * setSymbolValue with this line's `$`, as a label is defined: a label that has not moved since
   * the last pass keeps its value, and no new one is made (a value and its BigInt per label per
   * pass were a sixth of all allocation on a file of data lines with labels).
   */
  setSymbolHere(sym: SymbolEntry): void {
    const old = sym.value;
    const stream = this.stream;
    if (
      old !== null &&
      sym.definedInPass !== this.pass &&
      !old.unknown &&
      old.base === stream.hereBase() &&
      old.wrt === null &&
      !old.segmentOf &&
      (old.minusBase ?? null) === null &&
      Number(old.offset) === stream.hereOffset()
    ) {
      sym.definedInPass = this.pass;
      if (this.pass === 1) sym.definedAt = this.currentLocation;
      if (this.finalPass) this.symbols.markOutput(sym);
      return;
    }
    this.setSymbolValue(sym, stream.hereValue());
  }

  redefinitionError(sym: SymbolEntry): void {
    const here = this.currentLocation;
    this.diagnostics.error(`label \`${sym.name}' inconsistently redefined`, here);
    if (sym.definedAt)
      this.diagnostics.report({
        severity: 'info',
        message: `label \`${sym.name}' originally defined here`,
        location: originalDefinitionNote(sym.definedAt, here),
      });
  }

  /** Marks the start of the statement about to be assembled as its `$` (see lineStart). */
  markLineStart(): void {
    const stream = this.stream;
    this.lineStartOffset = stream.hereOffset();
    this.lineStartBase = stream.absoluteOffset !== null ? stream.absoluteBase : stream.current.segment;
    this.lineStartValue = null;
  }

  /** `$` of the current statement. */
  get lineStart(): Value {
    return (this.lineStartValue ??= makeValue(BigInt(this.lineStartOffset), this.lineStartBase, false, null, false));
  }

  private readonly env: EvalEnv = this.makeEnv();

  private makeEnv(): EvalEnv {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below are not arrows: they need the context by name
    const context = this;
    return {
      symbolValue: (name: string): Value | null => {
        const sym = this.symbols.get(name);
        if (!sym || sym.value === null) {
          this.missingSymbol ??= name;
          return null;
        }
        if (sym.kind === 'extern' || sym.kind === 'common') sym.referenced = true;
        return sym.value;
      },
      // Getters: `$` and `$$` are made only when an expression mentions them (see lineStart).
      get here(): Value {
        return context.hereOverride ?? context.lineStart;
      },
      get sectionStart(): Value {
        return context.hereOverride === null ? context.stream.sectionStartValue() : context.sectionStartOverride;
      },
      warn: (message: string, warningClass: string): void => {
        // nasm evaluates a line's expressions as it reads the line: once, however often TIMES repeats it.
        if (this.evaluatingQuietly || this.timesRepetition !== 0) return;
        const given = this.warn(message, warningClass);
        if (given !== null) this.warnedAsRead.add(given);
      },
      characterBytes: (): number => (this.bits === 64 ? 8 : 4),
      get floatMode(): FloatMode {
        return context.floatMode;
      },
      // Reported (in pass 1, as nasm does for a known value) but the line keeps its value and size.
      fail: (message: string): void => {
        this.errorNow(message);
      },
      specialSegment: (name: string): number | null => {
        if (!isElfFormat(this.options.format) || !name.startsWith('..')) return null;
        // elf32 knows the TLS ones too (nasm 2.16.01: `..tlsie` is R_386_TLS_IE, `..gottpoff` always refused).
        const special = ELF_WRT_SEGMENTS.find((w) => w.name === name);
        return special?.id ?? null;
      },
    };
  }

  /**
   * Evaluates for the current statement; errors are reported (pass one and final pass). `use` says
   * what the value is for, which decides nasm's message when registers are left in it.
   */
  evaluateExpr(expr: Expr, use: RegisterUse = 'data'): Value {
    this.startEvaluation();
    return this.evaluateInEnv(expr, this.env, use, false) as Value;
  }

  /**
   * Whether `expr` has a value in this pass, found without a word: the caller evaluates it again
   * where its warnings and errors belong (nasm reads a data line's values and floats in order and
   * stops at the first value that fails: warnFloats).
   */
  hasValue(expr: Expr): boolean {
    this.startEvaluation();
    this.env.labelWrtTolerated = false;
    return this.evaluatedAgain(() => {
      try {
        return !evaluate(expr, this.env).unknown;
      } catch (e) {
        // A register in data is the output stage's complaint, which keeps the line going.
        if (e instanceof RegisterLeafError) return true;
        if (e instanceof EvalError) return false;
        throw e;
      }
    });
  }

  /** Runs `evaluation` without the warnings of the expressions it evaluates (given once already). */
  evaluatedAgain<T>(evaluation: () => T): T {
    const before = this.evaluatingQuietly;
    this.evaluatingQuietly = true;
    try {
      return evaluation();
    } finally {
      this.evaluatingQuietly = before;
    }
  }

  /** Warnings of a line's expressions, given as nasm reads the line: not repeated with TIMES copies. */
  readonly warnedAsRead = new WeakSet<Diagnostic>();

  /** hasValue or evaluatedAgain is at work: the evaluation's warnings are not given. */
  private evaluatingQuietly = false;

  /** An immediate operand's value, or the register it is (`2*ebx - ebx` is ebx to nasm, `ebx+3` a group). */
  evaluateOperand(expr: Expr): Value | RegisterOperandValue {
    this.startEvaluation();
    return this.evaluateInEnv(expr, this.env, 'operand', true);
  }

  private startEvaluation(): void {
    this.hereOverride = null;
    this.env.unknownsCancel = !this.finalPass;
    this.missingSymbol = null;
  }

  /** evaluateTerms with its errors reported (pass one and final pass) and the statement abandoned. */
  private evaluateInEnv(
    expr: Expr,
    env: EvalEnv,
    use: RegisterUse,
    registerAllowed: boolean,
  ): Value | RegisterOperandValue {
    try {
      return this.evaluateTerms(expr, env, use, registerAllowed);
    } catch (e) {
      if (e instanceof EvalError) this.reportEvalError(e);
      throw e;
    }
  }

  /** The value, or with registers in the sum nasm's view of it for `use` (register-terms.ts). */
  private evaluateTerms(
    expr: Expr,
    env: EvalEnv,
    use: RegisterUse,
    registerAllowed: boolean,
  ): Value | RegisterOperandValue {
    env.labelWrtTolerated = use === 'equ' || use === 'reserve' || (typeof use === 'object' && 'count' in use);
    try {
      return evaluate(expr, env);
    } catch (e) {
      if (!(e instanceof RegisterLeafError)) throw e;
    }
    let terms;
    try {
      terms = registerTerms(expr, env);
    } catch (error) {
      // An operator's error ends the evaluation there: no symbol counts as met (`resb ebx*fwd` does not warn).
      this.missingSymbol = null;
      throw error;
    }
    // Reported, and nasm goes on with the sum (its listing sizes the line).
    for (const message of terms.reported) this.errorNow(message);
    if (typeof use === 'object' && 'count' in use && use.count === NON_CONSTANT_TIMES && terms.zeroedRegister)
      return constantValue(0);
    if (terms.registers.size === 0) return terms.rest;
    const register = registerAllowed ? registerOperand(terms) : null;
    if (register !== null) return register;
    if (typeof use === 'object' && 'directive' in use) {
      // An undefined symbol anywhere in a directive's critical expression is nasm's first complaint
      // (`sectalign ebx*2+zz`, `org ebx-zz`: "symbol `zz' not defined before use"), the caller's.
      if (this.missingSymbol !== null) return terms.rest;
      if (use.directive === null) throw new StatementError('register in a directive');
      this.reportError(use.directive, true);
    }
    const { messages, finalPassOnly } = registerUseError(terms, use);
    const last = messages.pop()!;
    for (const message of messages) if (!finalPassOnly || this.finalPass) this.errorNow(message);
    // Data keeps its place (nasm's listing sizes `dd ebx`); other uses drop the statement.
    if (use === 'data') {
      this.errorNow(last);
      return terms.rest;
    }
    this.reportError(last, !finalPassOnly);
  }

  /**
   * Evaluates with the `$` and `$$` of another statement (one kept from pass one); an evaluation
   * error comes back as the error for the caller to report where it belongs.
   */
  evaluateAt(expr: Expr, here: Value, sectionStart: Value): Value | EvalError {
    this.hereOverride = here;
    this.sectionStartOverride = sectionStart;
    this.env.unknownsCancel = !this.finalPass;
    this.env.labelWrtTolerated = false;
    this.missingSymbol = null;
    try {
      return evaluate(expr, this.env);
    } catch (e) {
      if (e instanceof EvalError) return e;
      throw e;
    } finally {
      this.hereOverride = null;
    }
  }

  /** Evaluates an expression that must have a known plain value now (TIMES counts, RESB sizes, …). */
  criticalNumber(expr: Expr, what: string): bigint {
    const v = this.evaluateExpr(expr, { count: what });
    // After pass one (`times 0*u` passed it as 0) an undefined symbol is nasm's usual error.
    if (v.unknown && this.finalPass && this.missingSymbol !== null) this.undefinedSymbolError();
    if (v.unknown) this.reportError(what, true);
    if (!isCriticalNumber(v)) {
      // An address (`fwd - 0x10` through an EQU, a number in pass one): nasm refuses it in the
      // first pass that sees it and stops after that pass (measured with TIMES and DUP).
      if (this.pass === 1 || this.finalPass) this.reportError(what, true);
      this.stopAfterThisPass(what);
    }
    return v.offset;
  }

  /**
   * A TIMES or DUP count. nasm's first pass sees every symbol not defined yet as one shared
   * unknown term, so `fwd_end - fwd_start` is already a number there (0) and is accepted, while
   * `fwd`, `fwd + 1` or a forward EQU alone is refused in pass one (measured on nasm 2.16.01).
   * A self-dependent count (`n equ end - start` repeating inside start…end) then never settles.
   */
  criticalCount(expr: Expr, what: string): bigint {
    // A plain number (most counts): its value, with nothing to warn about in any pass.
    if (
      expr.kind === 'number' &&
      expr.overflowed === undefined &&
      expr.floatCall === undefined &&
      expr.characters === undefined
    )
      return expr.value;
    if (this.pass !== 1) return this.criticalNumber(expr, what);
    const env: EvalEnv = {
      ...this.env,
      // An EQU whose value was not known yet when it was defined is a plain number in nasm's pass one.
      symbolValue: (name) => {
        const value = this.env.symbolValue(name);
        return value?.unknown === true ? constantValue(0n) : value;
      },
      unknownsCancel: true,
      here: this.lineStart,
      sectionStart: this.stream.sectionStartValue(),
    };
    const v = this.evaluateInEnv(expr, env, { count: what }, false) as Value;
    if (!isCriticalNumber(v)) this.reportError(what, true);
    return v.offset;
  }

  /**
   * Refuses to let the current section's stored bytes grow past the output
   * limit (nobits sections and `absolute` space take no bytes: no limit).
   * Reported in the final pass, when offsets are exact.
   */
  checkOutputRoom(size: number): void {
    if (this.stream.inBss()) return;
    const limit = this.options.outputLimit ?? OUTPUT_LIMIT;
    if (this.stream.current.offset + size <= limit) return;
    this.reportError(
      `section \`${this.stream.current.name}' would exceed the output size limit of ${limit} bytes` +
        ` (raise it with --output-limit)`,
    );
  }

  /**
   * A directive argument nasm evaluates as a critical expression (`org`, `sectalign`, `absolute`):
   * any symbol without a value yet is an error naming it, even one that would cancel (`d2 - d1`).
   * `onInvalid` adds the directive's own follow-up message (org's) to such an error, a syntax
   * error or an operator's error. `registerMessage` is the directive's error for a value with
   * registers left in it (`org ebx`), null when nasm skips the directive without a word
   * (`sectalign ebx`). Relocatable values are returned.
   */
  criticalDirectiveValue(
    argument: { expr: Expr | null; syntaxError?: string },
    registerMessage: string | null,
    onInvalid?: () => void,
  ): Value {
    const refuse = (message: string): never => {
      this.errorNow(message);
      onInvalid?.();
      throw new StatementError(message);
    };
    if (argument.expr === null) return refuse(argument.syntaxError ?? 'expression syntax error');
    this.startEvaluation();
    let v: Value | RegisterOperandValue;
    try {
      v = this.evaluateTerms(argument.expr, this.env, { directive: registerMessage }, false);
    } catch (e) {
      // nasm's critical evaluation stops at the first undefined symbol (`org x/0`: x, not the division).
      if (e instanceof EvalError)
        refuse(this.missingSymbol !== null ? `symbol \`${this.missingSymbol}' not defined before use` : e.message);
      throw e;
    }
    if (this.missingSymbol !== null) refuse(`symbol \`${this.missingSymbol}' not defined before use`);
    return v as Value;
  }

  /** An error at this line that does not abandon it, printed when nasm would: in pass 1 or the final pass. */
  errorNow(message: string): void {
    if (this.pass === 1 || this.finalPass) this.diagnostics.error(message, this.currentLocation);
  }
}

/**
 * Where nasm 2.16.01's "originally defined here" points, without a macro trail (measured): the
 * line the original definition was written on, inside its macro's body when a macro made it;
 * but when the redefinition is itself made by a macro, the line that called that macro (the
 * error's own line), wherever the original was.
 */
function originalDefinitionNote(original: SourceLocation, redefinition: SourceLocation | null): SourceLocation {
  if (redefinition !== null && (redefinition.macroTrail?.length ?? 0) > 0)
    return { file: redefinition.file, line: redefinition.line };
  const innermost = innermostLocation(original);
  return { file: innermost.file, line: innermost.line };
}
