/**
 * Statement builder: turns one preprocessed line (tokens) into a Statement.
 *
 * The line shape is decided by table lookups, as NASM does it: a leading name
 * is an instruction if the instruction table knows it, a pseudo-instruction
 * (db, resb, equ, times, incbin) or a directive if those tables know it, and a
 * label otherwise. Operands and expressions are parsed by the Chevrotain
 * grammar in grammar/operands.ts.
 */
import type { IToken } from 'chevrotain';
import * as T from '../../grammar/tokens.js';
import { parseExpression, parseExpressionPrefix, parseOperand, type RecoveredError } from '../../grammar/operands.js';
import { simpleExpression } from '../../grammar/fast-operands.js';
import type { DiagnosticSink, SourceLocation } from '../core/diagnostics.js';
import { lookupRegister } from '../encoder/registers.js';
import { mnemonicNames, PREFIX_NAMES, redundantPrefixCount } from '../encoder/index.js';
import type { PreprocessedLine } from '../preprocess/types.js';
import { SMARTALIGN_FILL } from '../preprocess/smartalign.js';
import { smartalignFill } from './smartalign-fill.js';
import type { DataItem, Expr, OperandAst, Statement, StatementBody } from './ast.js';
import { stringBytes } from '../core/numbers.js';
import { isRegisterGroupSize } from '../core/register-terms.js';
import { specialFloatName } from '../core/float.js';
import { evaluate, EvalError, someLeaf } from '../core/expressions.js';
import { constantValue, UNKNOWN_VALUE } from '../core/value.js';
import { parseDirectiveArguments, stripComment } from './directives.js';
import { NO_PREFIXES, plainImmediate, plainRegisterOperand } from '../../grammar/leaves.js';
import { DataListError, DataListParser, endsWithoutOperand, splitPercentNames } from './data-list.js';
import { fitted, flattened } from '../core/compact.js';
import { readDataItem } from './data-item.js';
import { DecoratorError, readBracePrefix, readOperandDecorators, type NameConstant } from './decorators.js';
import { expressionErrorMessage, ptrWarnings, readableOperand, scannerWarnings } from './nasm-scanner.js';

type UnitSize = 1 | 2 | 4 | 8 | 10 | 16 | 32 | 64;

const DATA_DIRECTIVES: ReadonlyMap<string, UnitSize> = new Map<string, UnitSize>([
  ['db', 1],
  ['dw', 2],
  ['dd', 4],
  ['dq', 8],
  ['dt', 10],
  ['do', 16],
  ['dy', 32],
  ['dz', 64],
]);
const RESERVE_DIRECTIVES: ReadonlyMap<string, UnitSize> = new Map<string, UnitSize>([
  ['resb', 1],
  ['resw', 2],
  ['resd', 4],
  ['resq', 8],
  ['rest', 10],
  ['reso', 16],
  ['resy', 32],
  ['resz', 64],
]);

/**
 * Assembler directives, in NASM's user-level spelling and bracket form. Each
 * has its own little argument syntax, read by parseDirectiveArguments (directives.ts).
 * `use16`/`use32`/`use64` are standard macros only (`[bits N]`): to nasm's parser the word is a
 * label (`use32 bl` is "parser: instruction expected", `[use32]` an unrecognized directive).
 */
export const DIRECTIVES: ReadonlySet<string> = new Set([
  'section',
  'segment',
  'bits',
  'global',
  'extern',
  'common',
  'static',
  'org',
  'cpu',
  'default',
  'absolute',
  'sectalign',
  'align',
  'alignb',
  'warning',
  'float',
  'required',
]);

/** Names that start a statement other than a label. */
export function isReservedStatementWord(lower: string): boolean {
  return (wordClass(lower) & RESERVED) !== 0;
}

const isRegisterName = (lower: string): boolean => lookupRegister(lower) !== undefined;

// What a lower-case word is to the builder. Every word that is not a label is in one table, built
// on first use: a label name is then one lookup that finds nothing, and no table fills with the
// file's label names (a cache of every word asked cost 1.1 µs per line of a data file whose lines
// all start with a new label, measured on 100,000 lines).
const PREFIX = 1;
const RESERVED = 2;
const MNEMONIC = 4;
let reservedWords: ReadonlyMap<string, number> | null = null;

function wordClass(lower: string): number {
  reservedWords ??= reservedWordClasses();
  return reservedWords.get(lower) ?? 0;
}

/**
 * The class of every word that starts a statement other than a label: the data and reservation
 * words, `equ`, `times`, `incbin`, the mnemonics (`MNEMONIC`) and the instruction prefixes (`PREFIX`).
 */
function reservedWordClasses(): ReadonlyMap<string, number> {
  const classes = new Map<string, number>();
  const add = (word: string, wordClass: number): void => {
    classes.set(word, (classes.get(word) ?? 0) | wordClass);
  };
  for (const word of [...DATA_DIRECTIVES.keys(), ...RESERVE_DIRECTIVES.keys(), 'equ', 'times', 'incbin'])
    add(word, RESERVED);
  for (const word of mnemonicNames()) add(word, RESERVED | MNEMONIC);
  for (const word of PREFIX_NAMES) add(word, RESERVED | PREFIX);
  return classes;
}

/** A line's body kept for later lines of the same text (StatementBuilder.shareBody). */
type SharedBody = Pick<Statement, 'body' | 'warnings'>;

/** Errors in a line abandon it: the builder throws this and the caller reports it. */
class LineError extends Error {
  /**
   * The line's label, once read: nasm defines it before reading the rest of the line, so a line
   * that fails later still defines it (and a second such line is a redefinition).
   */
  label: string | null = null;
  /** `lastRead`: where nasm stopped reading the line (its scanner warned up to there), when known. */
  constructor(
    message: string,
    readonly lastRead: IToken | null = null,
  ) {
    super(message);
  }
}

/** Tracks the last non-local label, which `.local` labels attach to. */
export class LabelScope {
  /** The last non-local label defined; nasm starts a pass with the one the previous pass ended on. */
  base = '';
  /** Whether a `.local` name was qualified before any non-local label of this reading (with `base` ''). */
  usedEmptyBase = false;

  /** The full name of a label as written (`.x` → `base.x`; `$x` → `x`). */
  qualify(written: string): string {
    const name = written.charCodeAt(0) === 36 /* $ */ ? written.slice(1) : written;
    if (name.startsWith('.') && !name.startsWith('..')) {
      if (this.base === '') this.usedEmptyBase = true;
      return this.base + name;
    }
    return name;
  }

  /** Called when a label is defined: non-local labels (not `.x`, not `..x`) become the new base. */
  define(written: string): void {
    const name = written.charCodeAt(0) === 36 /* $ */ ? written.slice(1) : written;
    if (!name.startsWith('.')) this.base = name;
  }
}

export class StatementBuilder {
  /** The `.local` label base (read it to carry a pass's last label into the next reading). */
  readonly scope = new LabelScope();
  /**
   * The `.local` names read under the current base label, one string each: every reference to
   * `.L0` under `f_12` builds `f_12.L0` anew, and the statements keep the first copy, flat for the
   * symbol table's lookups. Only one base's names are kept: a table of every name in the file cost
   * more to grow and search than the copies it saved (the names of other lines are their tokens' text).
   */
  private readonly localNames = new Map<string, string>();
  private localNamesBase = '';
  private readonly namer = (written: string): string => {
    const name = this.scope.qualify(written);
    // Only a `.local` name under a base label comes out longer than written: the others are the
    // token's own text (without its `$`).
    if (name.length <= written.length) return name;
    if (this.localNamesBase !== this.scope.base) {
      this.localNames.clear();
      this.localNamesBase = this.scope.base;
    }
    const known = this.localNames.get(name);
    if (known !== undefined) return known;
    this.localNames.set(name, name);
    return name;
  };

  /** Errors nasm reports while still building the statement (a missing `]`): reported after the line is built. */
  private recoveredErrors: RecoveredError[] = [];
  /** What nasm reads as the next operand after a missing `]`: the tokens after the next comma (`[G(eax, PW)]`). */
  private spilledOperand: IToken[] | null = null;
  /** Set by dataItem when nasm would ignore the rest of the data line (or read these tokens instead). */
  private dataLineEnded: boolean | IToken[] = false;

  /**
   * @param constantOf a name's value when it is a constant of an earlier line (nasm's parser reads
   *   `zmm4+x` as a register group when `x equ 3` came before); by default no name is known.
   */
  constructor(
    private readonly diagnostics: DiagnosticSink,
    constantOf: NameConstant = () => null,
  ) {
    this.constantOf = (name) => {
      this.askedConstant = true;
      return constantOf(name);
    };
  }

  private readonly constantOf: NameConstant;
  /** Whether building the current line consulted an earlier line's constant (then its body is its own). */
  private askedConstant = false;
  /** Whether the current line's TIMES body failed (its error and scanner warnings are reported: timesBody). */
  private timesBodyFailed = false;
  /**
   * Bodies of lines already built, by text: macro and `%rep` output repeats the same lines
   * thousands of times (smartalign's fill is a dozen per `align`), and one body serves them all.
   * Only lines whose reading depends on nothing but their text are kept (see shareBody).
   */
  private readonly sharedBodies = new Map<string, SharedBody>();
  /**
   * Bodies of lines that name `.local` labels, by their text, under the current base label only
   * (`localBodiesBase`): a new base names other symbols.
   */
  private readonly localBodies = new Map<string, SharedBody>();
  private localBodiesBase = '';

  /** The errors rules recovered from while building this line (read once). */
  private takeRecoveredErrors(): RecoveredError[] {
    const errors = this.recoveredErrors;
    this.recoveredErrors = [];
    return errors;
  }

  /** Set by dataItem when a string ends the data list (nasm ignores what follows). */
  private lineEndedByData(): boolean | IToken[] {
    const ended = this.dataLineEnded;
    // Taken once: the line goes on with those tokens, whose items are read like any others.
    if (ended !== true && ended !== false) this.dataLineEnded = false;
    return ended;
  }

  /** Builds the statement for one line; on a syntax error reports it and returns an empty statement. */
  build(line: PreprocessedLine, lineIndex: number): Statement {
    const shared =
      this.sharedBodies.get(line.text) ??
      (this.localBodiesBase === this.scope.base ? this.localBodies.get(line.text) : undefined);
    if (shared !== undefined) {
      const location = reportLocation(line);
      return shared.warnings !== undefined
        ? { label: null, body: shared.body, location, lineIndex, warnings: shared.warnings }
        : { label: null, body: shared.body, location, lineIndex };
    }
    T.retypeKeywords(line.tokens, isRegisterName);
    const tokens = splitPercentNames(line.tokens);
    this.recoveredErrors = [];
    this.askedConstant = false;
    this.timesBodyFailed = false;
    const diagnosticsBefore = this.diagnostics.list.length;
    try {
      const statement = this.buildChecked(tokens, line, lineIndex);
      const recovered = this.takeRecoveredErrors();
      if (recovered.length === 0) {
        if (this.diagnostics.list.length === diagnosticsBefore) this.shareBody(line, statement);
        return statement;
      }
      this.reportRecovered(tokens, recovered, statement.location);
      return { label: statement.label, body: statement.body, location: statement.location, lineIndex };
    } catch (e) {
      if (e instanceof LineError) {
        // nasm's scanner warned before the parser failed (only the command line's switches apply here).
        this.reportLineError(e, line, this.takeRecoveredErrors());
        return { label: e.label, body: { kind: 'empty' }, location: reportLocation(line), lineIndex };
      }
      throw e;
    }
  }

  /**
   * Keeps a line's body for later lines of the same text when its reading depended on the text
   * and the local-label base: no label (it moves the base), no earlier constant consulted, no
   * message (which each line must repeat); a `.local` name is read under the base, so such a
   * body serves only lines under the same base.
   */
  private shareBody(line: PreprocessedLine, statement: Statement): void {
    if (statement.label !== null || this.askedConstant) return;
    let local = false;
    for (const t of line.tokens) {
      const image = t.image;
      const at = image.charCodeAt(0) === 36 /* $ */ ? 1 : 0;
      // `..gotpc`, `..@1.end`: special and macro-local names are not qualified.
      if (image.charCodeAt(at) === 46 /* . */ && image.charCodeAt(at + 1) !== 46) local = true;
    }
    // A `.local` name means the base label's name: such bodies are kept by base and text.
    if (local && this.scope.base === '') return;
    const shared: SharedBody =
      statement.warnings !== undefined
        ? { body: statement.body, warnings: statement.warnings }
        : { body: statement.body };
    if (!local) {
      // Bounded, like the parser's other tables.
      if (this.sharedBodies.size >= 1 << 16) this.sharedBodies.clear();
      this.sharedBodies.set(flattened(line.text), shared);
      return;
    }
    if (this.localBodiesBase !== this.scope.base) {
      this.localBodies.clear();
      this.localBodiesBase = this.scope.base;
    }
    this.localBodies.set(flattened(line.text), shared);
  }

  /**
   * The errors of a line nasm still assembles, with its scanner's `ptr` warnings where it read
   * them: the words up to where it stood at each error before it (`dword ptr [ebx`), the rest
   * after, as it reads on (`mov eax, 1 2 ptr`).
   */
  private reportRecovered(tokens: IToken[], recovered: RecoveredError[], at: SourceLocation): void {
    this.reportAsRead(tokens, recovered, at, tokens.length, tokens.length);
  }

  /**
   * `errors` in order, each after the scanner's `ptr` warnings for the words read up to its token
   * (an error with no token stands at `unknownAt`), then the warnings for the rest up to `end`.
   */
  private reportAsRead(
    tokens: readonly IToken[],
    errors: readonly RecoveredError[],
    at: SourceLocation,
    end: number,
    unknownAt: number,
  ): void {
    let read = 0;
    const warnUpTo = (stop: number): void => {
      for (const w of stop > read ? (ptrWarnings(tokens.slice(read, stop)) ?? []) : [])
        this.diagnostics.warning(w.message, at, w.warningClass);
      read = Math.max(read, stop);
    };
    for (const error of errors) {
      warnUpTo(Math.min(error.token === null ? unknownAt : tokens.indexOf(error.token) + 1, end));
      this.diagnostics.error(error.message, at);
    }
    warnUpTo(end);
  }

  // `{vex}` `{vex2}` `{vex3}` `{evex}` `{rex}` before an instruction are read by readBracePrefix (decorators.ts).
  private buildChecked(tokens: IToken[], line: PreprocessedLine, lineIndex: number): Statement {
    const location = reportLocation(line);
    let orphan = false;
    const make = (label: string | null, body: StatementBody): Statement => {
      // Reported by the assembler's first pass, under the `[warning]` state of that line.
      const warnings = this.timesBodyFailed ? null : scannerWarnings(tokens, body, orphan, label !== null);
      return warnings !== null ? { label, body, location, lineIndex, warnings } : { label, body, location, lineIndex };
    };
    if (tokens.length === 0) return make(null, { kind: 'empty' });

    const first = tokens[0]!;
    // `[directive args]`: every line that starts with `[` (nasm reads it as text, measured below).
    if (first.tokenType === T.LBracket) return make(null, bracketedDirective(line.text, first.startOffset));

    let pos = 0;
    let label: string | null = null;
    let writtenLabel = '';
    // A special float (`__?NaN?__`) is a number to nasm, not a name; a lone `?` is the
    // uninitialised-data token, which starts no statement either (`? dd 5`, measured).
    if (first.tokenType === T.Identifier && (specialFloatName(first.image) !== null || first.image === '?'))
      throw new LineError('label or instruction expected at start of line');
    if (first.image === SMARTALIGN_FILL) {
      const fill = smartalignFill(splitOperands(tokens.slice(1)), (part) => this.expression(part));
      if (fill !== null) return make(null, fill);
    }
    if (first.tokenType === T.Identifier) {
      const lower = first.image.toLowerCase();
      // A bare `bits` or `section` is a label to nasm (its macro wants a parameter).
      // `warning` has no standard macro: only `[warning …]` is the directive, and `warning x` is a
      // label followed by no instruction, nasm's "parser: instruction expected" (measured).
      if (
        DIRECTIVES.has(lower) &&
        lower !== 'warning' &&
        first.image[0] !== '$' &&
        tokens[1]?.tokenType !== T.Colon &&
        tokens.length > 1
      ) {
        const args = stripComment(tokens.length > 1 ? line.text.slice(tokens[1]!.startOffset).trim() : '', true);
        return make(null, { kind: 'directive', name: lower, args, arguments: parseDirectiveArguments(lower, args) });
      }
      const escaped = first.image[0] === '$';
      // `loop:`, `add:`, `str:`: with a colon any word is a label to nasm.
      // Not prefixes nor `times`: nasm reads those as such and then fails on the colon.
      const colonLabel = tokens[1]?.tokenType === T.Colon && lower !== 'times' && (wordClass(lower) & PREFIX) === 0;
      if (escaped || colonLabel || (wordClass(lower) & RESERVED) === 0) {
        label = this.namer(first.image);
        writtenLabel = first.image;
        pos = 1;
        if (tokens[pos]?.tokenType === T.Colon) pos++;
        // nasm 2.16.01 warns by default: a lone word may be a misspelt instruction.
        else if (tokens.length === 1) orphan = true;
      }
    } else if (first.tokenType !== T.LBrace && (first.tokenType !== T.Register || !isSegmentPrefix(first))) {
      throw new LineError('label or instruction expected at start of line');
    }

    const rest = tokens.slice(pos);
    // A label is the local-label base for its own line already (`boot: jmp .go` is `boot.go`);
    // an `equ` does not move the base.
    const isEqu = rest[0]?.tokenType === T.Identifier && rest[0].image.toLowerCase() === 'equ';
    if (label !== null && !isEqu) this.scope.define(writtenLabel);
    if (label === null || isEqu) return make(label, this.buildBody(rest, line, label !== null));
    try {
      return make(label, this.buildBody(rest, line, true));
    } catch (e) {
      if (e instanceof LineError) e.label = label;
      throw e;
    }
  }

  /**
   * What TIMES repeats. nasm evaluates the count as soon as it has read it, so a body it cannot
   * read (`times 3` with nothing, `times fwd x`) still has its count checked first ("non-constant
   * argument supplied to TIMES", then the body's error): the body's error is reported here and the
   * count kept over an empty body. A count that fails to evaluate (`times 1/0 x`) is the line's
   * only error.
   */
  /**
   * A TIMES statement. A TIMES body that is a TIMES again (`times 2 times 3 nop`) is one statement
   * to nasm: each count is checked as it is read, and the last one alone repeats (3 nops).
   */
  private timesStatement(count: Expr, tokens: IToken[], line: PreprocessedLine, labelled: boolean): StatementBody {
    const read = this.timesBody(count, tokens, line, labelled);
    // `x: times 2 equ 5`: nasm defines the label, then the EQU once per copy.
    const body: StatementBody = read.kind === 'equ' ? { ...read, labelFirst: true } : read;
    if (body.kind !== 'times') return { kind: 'times', count, body };
    return { ...body, overridden: [count, ...(body.overridden ?? [])] };
  }

  private timesBody(count: Expr, tokens: IToken[], line: PreprocessedLine, labelled: boolean): StatementBody {
    try {
      if (tokens.length === 0) throw new LineError('parser: instruction expected');
      return this.buildBody(tokens, line, true, labelled);
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      const countError = this.constantEvaluationError(count);
      if (countError !== null) throw new LineError(countError);
      // A labelled EQU's "bad syntax" is nasm's assembler's, once per copy (`x: times 3 equ 5, 6`).
      if (e.message === 'bad syntax for EQU' && this.recoveredErrors.length === 0)
        return { kind: 'equ-refused', operands: [], message: e.message };
      this.reportLineError(e, line, this.takeRecoveredErrors());
      this.timesBodyFailed = true;
      return { kind: 'empty' };
    }
  }

  /**
   * The error evaluating `expr` from numbers and earlier constants gives (`1/0`), or null; a
   * register in it is the assembler's to judge (a TIMES count of `eax` is "non-constant").
   */
  private constantEvaluationError(expr: Expr): string | null {
    if (someLeaf(expr, (leaf) => leaf.kind === 'register')) return null;
    try {
      evaluate(expr, {
        symbolValue: (name) => {
          const known = this.constantOf(name);
          return known === null ? null : constantValue(known);
        },
        here: UNKNOWN_VALUE,
        sectionStart: UNKNOWN_VALUE,
      });
      return null;
    } catch (e) {
      if (e instanceof EvalError) return e.message;
      throw e;
    }
  }

  /** Reports the error that ends a line, after the scanner's warnings for what nasm had read of it. */
  /**
   * The error that ended the line, after what nasm reported and read on past before it (`[strict]`:
   * "invalid size specification in effective address", then "expression syntax error"), each
   * after the scanner's `ptr` warnings for the words read up to it.
   */
  private reportLineError(e: LineError, line: PreprocessedLine, readPast: readonly RecoveredError[]): void {
    const at = reportLocation(line);
    const tokens = line.tokens;
    const end = e.lastRead === null ? tokens.length : tokens.indexOf(e.lastRead) + 1;
    this.reportAsRead(tokens, readPast, at, end, 0);
    this.diagnostics.error(e.message, at);
  }

  /** `labelled`: a label stands before the body (a TIMES body has none, though its errors read as if). */
  private buildBody(
    tokens: IToken[],
    line: PreprocessedLine,
    hasLabel: boolean,
    labelled: boolean = hasLabel,
  ): StatementBody {
    if (tokens.length === 0) return { kind: 'empty' };
    const prefixes: string[] = [];
    let pos = 0;
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      const lower = t.image.toLowerCase();
      if (
        (t.tokenType === T.Identifier && (wordClass(lower) & PREFIX) !== 0) ||
        (t.tokenType === T.Register && isSegmentPrefix(t))
      ) {
        prefixes.push(lower);
        pos++;
      } else if (t.tokenType === T.LBrace) {
        // `{evex}`, `{vex3}`…: kept with their braces so no name can clash.
        const prefix = this.decorated(line, () => readBracePrefix(tokens, pos, hasLabel || prefixes.length > 0));
        if (prefix === null) break;
        prefixes.push(prefix.name);
        pos = prefix.next;
      } else {
        break;
      }
    }
    const head = tokens[pos];
    if (head === undefined) {
      // Prefixes alone (`rep`, `o32`, `es`, `wait es`): nasm emits their bytes; the last one acts as the instruction.
      if (prefixes.length === 0) return { kind: 'instruction', mnemonic: '', prefixes, operands: [] };
      return {
        kind: 'instruction',
        mnemonic: prefixes[prefixes.length - 1]!,
        prefixes: prefixes.slice(0, -1),
        operands: [],
      };
    }
    if (head.tokenType !== T.Identifier) {
      this.warnRedundantPrefixes(prefixes, line);
      throw new LineError(
        hasLabel || prefixes.length > 0
          ? 'parser: instruction expected'
          : 'label or instruction expected at start of line',
        head,
      );
    }
    const word = head.image.toLowerCase();
    const operandTokens = tokens.slice(pos + 1);

    if (word === 'times') {
      // Common case first, without the parser: `times 3 nop`, a single-token count followed by a word.
      const next = operandTokens[1];
      if (next !== undefined && next.tokenType === T.Identifier && next.image !== '?') {
        const count = simpleExpression(operandTokens.slice(0, 1), this.namer);
        if (count) return this.timesStatement(count, operandTokens.slice(1), line, labelled);
      }
      const prefix = parseExpressionPrefix(operandTokens, this.namer);
      if (prefix.error || prefix.value === null) throw new LineError(expressionErrorMessage(prefix.error?.message));
      return this.timesStatement(prefix.value, operandTokens.slice(prefix.consumed), line, labelled);
    }
    if (word === 'equ') {
      // Without a label nasm reads the operands as an instruction's (their syntax and evaluation errors
      // stand), then refuses the line in pass 1, once per TIMES repetition (measured: `equ 5`,
      // `rep equ`, `times 2 equ`, `equ x/0`).
      if (!labelled) {
        // The assembler gives "EQU not preceded by label" after the colons' messages, once per TIMES copy.
        const message = 'EQU not preceded by label';
        if (this.refuseEquColons(operandTokens, line, null)) return { kind: 'equ-refused', operands: [], message };
        return { kind: 'equ-refused', operands: this.operands(operandTokens, line), message };
      }
      if (prefixes.length > 0) return { ...this.labelledEqu(operandTokens, line), labelFirst: true };
      return this.labelledEqu(operandTokens, line);
    }
    const dataUnit = DATA_DIRECTIVES.get(word);
    if (dataUnit !== undefined) {
      // `db )`: a `)` that closes nothing ends the list (data-list.ts).
      if (operandTokens.length === 0 || operandTokens[0]!.tokenType === T.RParen)
        this.diagnostics.warning('no operand for data declaration', reportLocation(line), 'db-empty');
      this.dataLineEnded = false;
      const lists = new DataListParser(
        (item, asExpression) => this.dataItem(item, asExpression),
        (count) => this.expression(count),
        (message) => {
          this.diagnostics.error(message, reportLocation(line));
        },
      );
      try {
        const items = lists.line(operandTokens, dataUnit, () => this.lineEndedByData());
        // `db word`, `db %`: nothing left once the ending size or group mark is dropped.
        if (items.length === 0 && operandTokens.length > 0 && endsWithoutOperand(operandTokens))
          this.diagnostics.warning('no operand for data declaration', reportLocation(line), 'db-empty');
        return { kind: 'data', unitSize: dataUnit, items };
      } catch (e) {
        if (!(e instanceof DataListError)) throw e;
        throw new LineError(e.message, e.lastRead);
      }
    }
    const reserveUnit = RESERVE_DIRECTIVES.get(word);
    if (reserveUnit !== undefined) {
      // `resw` alone: nasm's operand check refuses it in the final pass (a pass-1 error elsewhere
      // ends the run without it; undefined symbols before it are reported first).
      if (operandTokens.length === 0)
        return {
          kind: 'reserve',
          unitSize: reserveUnit,
          count: { kind: 'number', value: 0n },
          operandErrors: ['invalid combination of opcode and operands'],
        };
      return this.reserve(reserveUnit, operandTokens, line);
    }
    if (word === 'incbin') {
      const parts = splitOperands(operandTokens);
      const fileTok = parts[0]?.[0];
      if (!fileTok || fileTok.tokenType !== T.StringLiteral || parts[0]!.length !== 1) {
        throw new LineError("`incbin' expects a file name");
      }
      return {
        kind: 'incbin',
        file: new TextDecoder().decode(stringBytes(fileTok.image)),
        offset: parts[1] ? this.expression(parts[1]) : null,
        length: parts[2] ? this.expression(parts[2]) : null,
      };
    }
    if ((wordClass(word) & MNEMONIC) !== 0) {
      const operands = this.operands(operandTokens, line);
      return {
        kind: 'instruction',
        mnemonic: word,
        prefixes: withBracketAddressSize(prefixes.length === 0 ? NO_PREFIXES : prefixes, operands),
        operands,
      };
    }
    this.warnRedundantPrefixes(prefixes, line);
    throw new LineError(
      hasLabel || prefixes.length > 0
        ? 'parser: instruction expected'
        : 'label or instruction expected at start of line',
      head,
    );
  }

  /**
   * nasm's parser warns of each repeated prefix word as it reads it; on a line it then cannot
   * read (`lock lock foo`) that is the only place the warning comes from (the encoder gives it
   * for lines it assembles).
   */
  private warnRedundantPrefixes(prefixes: readonly string[], line: PreprocessedLine): void {
    if (prefixes.length < 2) return;
    const repeats = redundantPrefixCount(prefixes);
    for (let i = 0; i < repeats; i++)
      this.diagnostics.warning('instruction has redundant prefixes', reportLocation(line), 'other');
  }

  /**
   * nasm reads an EQU's value as a non-branch instruction's operands, where a colon after anything
   * but a segment register is "invalid segment override", once per colon, and a `seg:offset` value
   * is then refused (`x equ 1:2`: the override, then "bad syntax for EQU"; `x equ 1:` ends in
   * "expression syntax error"; all measured). Only reached on a line that is no plain expression.
   * `refusal` null: the caller refuses the line itself; true when there were such colons.
   */
  private refuseEquColons(tokens: IToken[], line: PreprocessedLine, refusal: string | null): boolean {
    let misplaced = 0;
    let openConditionals = 0;
    for (let i = 1; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.tokenType === T.Identifier && t.image === '?') openConditionals++;
      else if (t.tokenType !== T.Colon) continue;
      else if (openConditionals > 0)
        openConditionals--; // the `:` of `a ? b : c`
      else if (!isSegmentPrefix(tokens[i - 1]!)) misplaced++;
    }
    if (misplaced === 0) return false;
    const at = reportLocation(line);
    for (let i = 0; i < misplaced; i++) this.diagnostics.error('invalid segment override', at);
    if (tokens[tokens.length - 1]!.tokenType === T.Colon) throw new LineError('expression syntax error');
    if (refusal !== null) throw new LineError(refusal);
    return true;
  }

  /** A labelled EQU's value, as nasm reads it (throws the line's error). */
  private labelledEqu(operandTokens: IToken[], line: PreprocessedLine): Extract<StatementBody, { kind: 'equ' }> {
    if (operandTokens.length === 0) throw new LineError('bad syntax for EQU');
    try {
      return { kind: 'equ', value: this.expression(operandTokens) };
    } catch (e) {
      this.refuseEquColons(operandTokens, line, 'bad syntax for EQU');
      // nasm reads the value as an instruction's operands: more than one, or a memory one, is
      // "bad syntax for EQU" (`x equ 1,2`, `x equ [1]`); one plain immediate is the value, with
      // the errors the operand parser recovered from (`x equ 1 2` wants a comma; `x equ 1,` is
      // fine). All measured.
      if (!(e instanceof LineError)) throw e;
      const operands = this.operands(operandTokens, line);
      const only = operands[0];
      if (operands.length !== 1 || only?.kind === 'mem') throw new LineError('bad syntax for EQU');
      if (only?.kind !== 'imm' || only.farSegment !== null) throw e;
      if (isPlainImmediate(only)) return { kind: 'equ', value: only.expr };
      // A decorator, size, distance or `to` (`x equ 1 {k1}`, `x equ byte 1`): the symbol still
      // takes the value, and the final pass refuses the line (measured).
      const finalPassError = equKeywordError(only);
      if (finalPassError === null) throw e;
      return { kind: 'equ', value: only.expr, finalPassError };
    }
  }

  private dataItem(tokens: IToken[], asExpression: boolean): DataItem {
    const read = readDataItem(tokens, this.namer, (expr) => this.expression(expr), asExpression);
    if (read.endsLine) this.dataLineEnded = read.continuesWith ?? true;
    return read.item;
  }

  /**
   * nasm reads a `resb` count as an instruction's operands: a count that is no plain expression
   * gets the operand parser's message (`resb 1 2`), or fails its operand checks when the
   * instruction is assembled, in the last pass (`resb byte 1`, `resb al`).
   */
  private reserve(unitSize: UnitSize, tokens: IToken[], line: PreprocessedLine): StatementBody {
    const simple = simpleExpression(tokens, this.namer);
    if (simple) return { kind: 'reserve', unitSize, count: simple };
    const plain = !tokens.some((t) => t.tokenType === T.Register || /^(near|short|far)$/i.test(t.image));
    const result = plain ? parseExpression(tokens, this.namer) : null;
    if (result?.value) return { kind: 'reserve', unitSize, count: result.value };
    const operands = this.operands(tokens, line);
    const only = operands.length === 1 ? operands[0]! : null;
    const recovered = this.recoveredErrors[0];
    if (only?.kind === 'imm' && only.distance === 'far') throw new LineError('invalid use of FAR operand specifier');
    if (only?.kind === 'imm' && only.farSegment !== null) throw new LineError('invalid segment override');
    if (only?.kind !== 'imm' && recovered !== undefined) {
      // `resb [eax`: the missing `]` is all nasm says.
      this.recoveredErrors = [];
      throw new LineError(recovered.message);
    }
    const count = only?.kind === 'imm' ? only.expr : { kind: 'number' as const, value: 0n };
    const registerSet = only?.kind === 'reg' ? only.decorators?.registerSet : undefined;
    const badGroup = registerSet !== undefined && !isRegisterGroupSize(registerSet);
    const operandError =
      only?.kind !== 'imm'
        ? 'invalid combination of opcode and operands'
        : only.size !== null || only.distance !== null
          ? 'mismatch in operand sizes'
          : only.decorators !== undefined
            ? 'unsupported mode decorator for instruction'
            : null;
    if (operandError === null) return { kind: 'reserve', unitSize, count };
    const operandErrors = badGroup ? ['invalid register set size', operandError] : [operandError];
    return { kind: 'reserve', unitSize, count, operandErrors };
  }

  private expression(tokens: IToken[]): Expr {
    const simple = simpleExpression(tokens, this.namer);
    if (simple) return simple;
    const result = parseExpression(tokens, this.namer);
    if (result.value === null) throw new LineError(expressionErrorMessage(result.error?.message));
    return result.value;
  }

  /**
   * An instruction's operands with their AVX-512 decorators. A rounding
   * operand (`,{rn-sae}`) is no operand for NASM: it decorates the operand
   * written before it (and is dropped when it comes first).
   */
  private operands(tokens: IToken[], line: PreprocessedLine): OperandAst[] {
    const operands: OperandAst[] = [];
    const parts = splitOperands(tokens);
    this.spilledOperand = null;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      // `imul rax,rcx,` (a macro's empty last argument): nasm drops one empty operand at the end (measured).
      // Any other empty operand (`mov eax,,1`, `ret ,`) is a syntax error to nasm.
      if (part.length === 0) {
        if (i > 0 && i === parts.length - 1) break;
        throw new LineError('expression syntax error');
      }
      const read = this.decorated(line, () => readOperandDecorators(part, this.constantOf));
      if (read.kind === 'plain') {
        operands.push(this.operand(read.tokens));
      } else if (read.kind === 'decorated') {
        operands.push({ ...this.operand(read.tokens), decorators: read.decorators });
      } else {
        const previous = operands[operands.length - 1];
        if (previous === undefined) continue;
        const decorators = previous.decorators ?? { mask: 0, zero: false, broadcast: -1, rounding: null };
        const next = { ...decorators, rounding: read.mode };
        // The last mode written stands, but `{sae}` beside a rounding mode is refused (nasm keeps both).
        if (decorators.rounding !== null && (decorators.rounding === 'sae') !== (read.mode === 'sae'))
          next.mixedRounding = true;
        operands[operands.length - 1] = { ...previous, decorators: next };
      }
      const spilled = this.takeSpilledOperand();
      if (spilled !== null) parts.splice(i + 1, 0, ...splitOperands(spilled));
    }
    return fitted(operands);
  }

  private takeSpilledOperand(): IToken[] | null {
    const spilled = this.spilledOperand;
    this.spilledOperand = null;
    return spilled;
  }

  /** Runs a decorator reader; NASM's first messages are reported here and the last ends the line. */
  private decorated<R>(line: PreprocessedLine, read: () => R): R {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof DecoratorError)) throw e;
      const at = reportLocation(line);
      for (const message of e.messages.slice(0, -1)) this.diagnostics.error(message, at);
      throw new LineError(e.message);
    }
  }

  private operand(tokens: IToken[]): OperandAst {
    if (tokens.length === 0) throw new LineError('invalid combination of opcode and operands');
    if (tokens.length === 1) {
      const t = tokens[0]!;
      if (t.tokenType === T.Register) return plainRegisterOperand(lookupRegister(t.image)!);
      const simple = simpleExpression(tokens, this.namer);
      if (simple) return plainImmediate(simple);
    }
    const result = parseOperand(tokens, this.namer);
    if (result.value === null) {
      const message = result.error?.message ?? '';
      if (message.includes('--> RParen <--')) throw new LineError("expecting `)'", result.error?.token ?? null);
      if (message === 'trailing tokens' || message === 'invalid segment override') {
        // nasm reports the error and still assembles the operand it could read (listings show its bytes).
        const read = readableOperand(tokens, message, result.error?.token ?? null, this.namer);
        if (read.operand === null) throw new LineError(read.message);
        if (read.recovered) this.recoveredErrors.push(...read.recovered);
        this.recoveredErrors.push({ message: read.message, token: result.error?.token ?? null });
        return read.operand;
      }
      if (tokens.some((t) => t.tokenType === T.LBracket) && /RBracket|\]/.test(message)) {
        // nasm reports the missing `]` and still assembles the operand as if it were there, where it
        // stopped reading (`[ebx 4` is `[ebx]`); it goes on after the next comma (`[G(eax, PW)]`: `PW)]`).
        const stop = result.error?.token ? tokens.indexOf(result.error.token) : -1;
        const read = stop > 0 ? tokens.slice(0, stop) : tokens;
        const last = read[read.length - 1]!;
        const closed = parseOperand(
          [...read, { ...last, image: ']', tokenType: T.RBracket, tokenTypeIdx: T.RBracket.tokenTypeIdx! }],
          this.namer,
        );
        if (closed.value === null) {
          // Still no good with its `]`: the expression inside is what nasm could not read (`[ebx+`).
          const still = closed.error?.message ?? '';
          if (/--> RBracket <--/.test(still) || still === 'trailing tokens')
            throw new LineError('expecting ] at end of memory operand');
          throw new LineError(expressionErrorMessage(still), result.error?.token ?? null);
        }
        if (closed.recovered) this.recoveredErrors.push(...closed.recovered);
        this.recoveredErrors.push({ message: 'expecting ] at end of memory operand', token: tokens[stop] ?? null });
        const comma = stop > 0 ? tokens.findIndex((t, i) => i > stop && t.tokenType === T.Comma) : -1;
        if (comma >= 0) this.spilledOperand = tokens.slice(comma + 1);
        return closed.value;
      }
      // nasm's scanner reads no further than the token its expression parser stumbled on (`] ptr`).
      if (result.recovered) this.recoveredErrors.push(...result.recovered);
      throw new LineError(expressionErrorMessage(message), result.error?.token ?? null);
    }
    if (result.recovered) this.recoveredErrors.push(...result.recovered);
    return result.value;
  }
}

/** Where nasm reports problems on this line: for macro output, the outermost call, with the macro chain. */
function reportLocation(line: PreprocessedLine): SourceLocation {
  return line.report ?? line.location;
}

function isSegmentPrefix(t: IToken): boolean {
  return lookupRegister(t.image)?.cls === 'sreg';
}

/** Splits operand tokens on commas that are not inside (), [] or {}. */
export function splitOperands(tokens: IToken[]): IToken[][] {
  const parts: IToken[][] = [];
  if (tokens.length === 0) return parts;
  let depth = 0;
  let current: IToken[] = [];
  for (const t of tokens) {
    const tt = t.tokenType;
    if (tt === T.LParen || tt === T.LBracket || tt === T.LBrace) depth++;
    else if (tt === T.RParen || tt === T.RBracket || tt === T.RBrace) depth--;
    if (tt === T.Comma && depth === 0) {
      parts.push(current);
      current = [];
    } else {
      current.push(t);
    }
  }
  parts.push(current);
  return parts;
}

export type { SourceLocation };

/**
 * `mov eax,[a32 foo]`: an address size written inside the brackets is the instruction's
 * `a32` prefix (measured: the same bytes); one that contradicts the prefix is nasm's error.
 */
function withBracketAddressSize(prefixes: string[], operands: readonly OperandAst[]): string[] {
  let size: 16 | 32 | 64 | undefined;
  for (const op of operands) if (op.kind === 'mem' && op.addressSize !== undefined) size = op.addressSize;
  if (size === undefined) return prefixes;
  const prefix = `a${size}`;
  for (const p of prefixes)
    if ((p === 'a16' || p === 'a32' || p === 'a64') && p !== prefix)
      throw new LineError('conflicting address size specifications');
  return prefixes.includes(prefix) ? prefixes : [...prefixes, prefix];
}

/**
 * A line that starts with `[`, read as nasm reads it (measured): up to the first `]` in its text,
 * strings or not (`[section .data "]`, which `section .data "` becomes, is the attribute `"`); the
 * name is the first word, up to a space or that `]` (`[eax mov]` is the unknown directive `eax`,
 * `[a,b]` the unknown `a,b`); without a `]` the line is "invalid directive line".
 */
function bracketedDirective(text: string, open: number): StatementBody {
  const close = text.indexOf(']', open + 1);
  if (close < 0) throw new LineError('invalid directive line');
  let start = open + 1;
  while (start < close && isDirectiveSpace(text.charCodeAt(start))) start++;
  let end = start;
  while (end < close && !isDirectiveSpace(text.charCodeAt(end))) end++;
  const spelled = text.slice(start, end);
  const name = spelled.toLowerCase();
  const args = text.slice(end, close).trim();
  const body: StatementBody = {
    kind: 'directive',
    name,
    args,
    arguments: parseDirectiveArguments(name, args),
    bracketed: true,
  };
  return name === spelled ? body : { ...body, spelled };
}

/** Space, tab and the other white space C's isspace knows. */
function isDirectiveSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * nasm's final-pass error for an EQU value written with operand keywords, in its order (measured):
 * `to`, then a broadcast, a mask (`{k1}{z}` too), `{z}` alone, and last a size or distance.
 */
function equKeywordError(op: Extract<OperandAst, { kind: 'imm' }>): string | null {
  const d = op.decorators;
  if (d !== undefined && (d.rounding !== null || d.registerSet !== undefined)) return null;
  if (op.to) return 'invalid combination of opcode and operands';
  if (d !== undefined && d.broadcast >= 0) return 'broadcast not permitted on this operand';
  if (d !== undefined && d.mask > 0) return 'mask not permitted on this operand';
  if (d !== undefined && d.zero) return 'unsupported mode decorator for instruction';
  return op.size !== null || op.distance !== null ? 'mismatch in operand sizes' : null;
}

/** An immediate with nothing but its value (`strict` allowed): no size, distance, far segment, `to` or decorators. */
function isPlainImmediate(op: Extract<OperandAst, { kind: 'imm' }>): boolean {
  return op.size === null && op.distance === null && op.farSegment === null && !op.to && op.decorators === undefined;
}
