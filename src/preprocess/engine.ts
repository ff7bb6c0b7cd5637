/**
 * The NASM preprocessor: single-line macros (%define & co), multi-line macros
 * (%macro), %rep, conditionals, contexts, %include and the standard macro
 * package. It pulls logical lines from a stack of input frames (files, macro
 * expansions, %rep bodies) and produces the lines the assembler sees.
 *
 * Design notes:
 * - Lines are handled as lists of the preprocessor's own small tokens
 *   (tokenize.ts). Multi-line macro parameters are substituted textually and
 *   the line is re-tokenized, which gives NASM's implicit pasting
 *   (`%1_suffix`, `foo%1`) for free.
 * - Single-line macros expand by splicing and rescanning; every token made by
 *   an expansion carries the set of macros it came from ("hide set") so a
 *   macro never expands inside itself, which keeps expansion finite.
 * - Macros are found by hash lookup (one map for case-sensitive names, one
 *   keyed by lower case for %idefine/%imacro), never by scanning.
 */
import type { SourceLocation } from '../core/diagnostics.js';
import { FatalError } from '../core/diagnostics.js';
import { evaluate, ExprError, NonConstantError } from './expr.js';
import { FORMAT_MACROS, STANDARD_MACROS, TOKEN_ALIASES, USE_PACKAGES } from './stdmac.js';
import { K, type Tok, WS_TOKEN, detokenize, quoteString, skipWs, tokenize, trimWs, unquote } from './tokenize.js';
import type { PreprocessOptions } from './types.js';

export interface Where {
  file: string;
  line: number;
}

interface SrcLine {
  text: string;
  file: string;
  line: number;
}

interface SMacro {
  name: string;
  casesense: boolean;
  /** Parameter names, or null for a macro without parentheses. */
  params: string[] | null;
  greedy: boolean;
  /** nasm 2.15+ parameter modifiers (`=x`, `&x`, `&&x`, `!x`), one entry per parameter. */
  flags?: ParamFlags[];
  body: Tok[];
  /** `%defalias`: the name this one stands for. */
  alias?: string;
  /** Built-in macros computed at each use (__?LINE?__ …). */
  dynamic?: () => Tok[];
}

/** How a single-line macro argument is transformed before it replaces its parameter. */
interface ParamFlags {
  /** `=x`: the argument is evaluated and replaced by the number. */
  evaluate: boolean;
  /** `&x`: the argument becomes a quoted string. */
  stringify: boolean;
  /** `&&x`: like `&x`, but an argument that already is one string stays as it is. */
  keepString: boolean;
  /** `!x`: braces and surrounding white space are kept. */
  raw: boolean;
}

interface MMacro {
  name: string;
  casesense: boolean;
  min: number;
  max: number;
  greedy: boolean;
  nolist: boolean;
  recursive: boolean;
  defaults: Tok[][];
  body: SrcLine[];
  usesLabel: boolean;
  inProgress: number;
  where: Where;
}

interface Context {
  name: string;
  number: number;
}

const enum CondState {
  /** Emitting this branch. */
  True,
  /** No branch taken yet; looking for %elif/%else. */
  False,
  /** A branch was taken; skip the rest. */
  Done,
  /** The whole %if sits inside a skipped region. */
  Never,
  ElseTrue,
  ElseFalse,
}

interface Cond {
  state: CondState;
}

interface FrameBase {
  conds: Cond[];
  /** Where the outermost macro call enclosing this frame was (for diagnostics). */
  reportAt?: Where | undefined;
  /** Set when inside a .nolist macro: every line reports this location. */
  nolistWhere?: Where | undefined;
  macroDepth: number;
  listed: boolean;
}

interface FileFrame extends FrameBase {
  kind: 'file';
  name: string;
  lines: Array<{ text: string; line: number }>;
  index: number;
  /** Physical line number just past the end of the file (where "end of file" errors point). */
  eofLine: number;
  /** `%line` adjustment: physical line `from` becomes `to`, increasing by `step`. */
  lineMap?: { from: number; to: number; step: number; file: string };
}

interface MacroFrame extends FrameBase {
  kind: 'macro';
  mac: MMacro;
  invokedAs: string;
  params: Tok[][];
  /** %0 */
  nparams: number;
  rotate: number;
  unique: number;
  label: Tok[] | null;
  invokeWhere: Where;
  index: number;
}

interface RepFrame extends FrameBase {
  kind: 'rep';
  lines: SrcLine[];
  index: number;
  remaining: number;
  /** After %exitrep: the rest of this repetition is still read (nasm lists it) but not processed. */
  exiting?: boolean;
}

type Frame = FileFrame | MacroFrame | RepFrame;

/** A line ready for the assembler (before the Chevrotain lexing done by index.ts). */
export interface OutputLine {
  text: string;
  where: Where;
  /** Where nasm reports errors for this line (the outermost macro call), when inside a macro. */
  reportAt?: Where | undefined;
  trail?: Array<{ macro: string; location: Where }>;
  expansion?: Where[];
  macroDepth: number;
  listed: boolean;
}

interface Definition {
  kind: 'macro' | 'rep';
  mac?: MMacro;
  repCount?: number;
  lines: SrcLine[];
  depth: number;
  where: Where;
}

const COND_TYPES = [
  '',
  'def',
  'defalias',
  'idn',
  'idni',
  'ctx',
  'macro',
  'num',
  'str',
  'id',
  'token',
  'empty',
  'env',
  'usable',
  'usabledef',
];
const IF_DIRECTIVES = new Map<string, { type: string; negate: boolean; elif: boolean }>();
for (const t of COND_TYPES) {
  IF_DIRECTIVES.set('if' + t, { type: t, negate: false, elif: false });
  IF_DIRECTIVES.set('ifn' + t, { type: t, negate: true, elif: false });
  IF_DIRECTIVES.set('elif' + t, { type: t, negate: false, elif: true });
  IF_DIRECTIVES.set('elifn' + t, { type: t, negate: true, elif: true });
}

/** Every directive name the engine knows besides the %if family (what -a drops). */
const DIRECTIVE_NAMES = new Set([
  'else',
  'endif',
  'define',
  'idefine',
  'xdefine',
  'ixdefine',
  'undef',
  'iundef',
  'undefalias',
  'defalias',
  'idefalias',
  'assign',
  'iassign',
  'defstr',
  'idefstr',
  'deftok',
  'ideftok',
  'strcat',
  'istrcat',
  'strlen',
  'istrlen',
  'substr',
  'isubstr',
  'macro',
  'imacro',
  'rmacro',
  'rimacro',
  'endmacro',
  'endm',
  'unmacro',
  'unimacro',
  'rotate',
  'rep',
  'endrep',
  'exitrep',
  'exitmacro',
  'include',
  'require',
  'use',
  'pathsearch',
  'ipathsearch',
  'depend',
  'line',
  'error',
  'warning',
  'fatal',
  'pragma',
  'push',
  'pop',
  'repl',
  'clear',
  'aliases',
  'stacksize',
  'arg',
  'local',
]);

const CONDITION_CODES = [
  'o',
  'no',
  'b',
  'c',
  'nae',
  'ae',
  'nb',
  'nc',
  'e',
  'z',
  'ne',
  'nz',
  'be',
  'na',
  'a',
  'nbe',
  's',
  'ns',
  'p',
  'pe',
  'np',
  'po',
  'l',
  'nge',
  'ge',
  'nl',
  'le',
  'ng',
  'g',
  'nle',
  'cxz',
  'ecxz',
  'rcxz',
];
const INVERSE_CC: Record<string, string> = {
  o: 'no',
  no: 'o',
  b: 'nb',
  c: 'nc',
  nae: 'ae',
  ae: 'nae',
  nb: 'b',
  nc: 'c',
  e: 'ne',
  z: 'nz',
  ne: 'e',
  nz: 'z',
  be: 'nbe',
  na: 'a',
  a: 'na',
  nbe: 'be',
  s: 'ns',
  ns: 's',
  p: 'np',
  pe: 'po',
  np: 'p',
  po: 'pe',
  l: 'nl',
  nge: 'ge',
  ge: 'nge',
  nl: 'l',
  le: 'nle',
  ng: 'g',
  g: 'ng',
  nle: 'le',
};

interface StackModel {
  /** Frame register the names are relative to. */
  base: string;
  /** Every slot is rounded up to a multiple of this. */
  slot: number;
  /** Offset of the first %arg from the frame register (return address and saved frame pointer). */
  argStart: number;
}
/** The %stacksize models, measured against nasm 2.16.01. */
const STACK_MODELS: Record<string, StackModel> = {
  flat: { base: 'ebp', slot: 4, argStart: 8 },
  flat64: { base: 'rbp', slot: 8, argStart: 16 },
  large: { base: 'bp', slot: 2, argStart: 4 },
  small: { base: 'bp', slot: 2, argStart: 6 },
};
/** Sizes %arg and %local accept (zword is not among them in nasm 2.16.01). */
const FRAME_SIZES: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8, tword: 10, oword: 16, yword: 32 };

const REP_LIMIT = 1000000;
// nasm allows 10,000,000; a JS token array that size costs gigabytes and minutes, so we stop at 1,000,000 (documented difference).
const MACRO_TOKEN_LIMIT = 1000000;
const MACRO_LEVEL_LIMIT = 10000;
const SMACRO_EXPANSION_LIMIT = 1000000;

export const NASM_VERSION = { major: 2, minor: 16, subminor: 1, patch: 0, string: '2.16.01', id: 0x02100100 };

export class Preprocessor {
  private readonly smacros = new Map<string, SMacro[]>();
  private readonly ismacros = new Map<string, SMacro[]>();
  private readonly mmacros = new Map<string, MMacro[]>();
  private readonly immacros = new Map<string, MMacro[]>();
  private readonly frames: Frame[] = [];
  private readonly contexts: Context[] = [];
  private readonly defining: Definition[] = [];
  private readonly usedPackages = new Set<string>();
  private unique = 0;
  /** Location of the line being processed (for diagnostics and __?LINE?__). */
  private currentWhere: Where = { file: '', line: 0 };
  private currentFrame: Frame | null = null;
  /** >0 while macro-package text runs (no onSourceLine events then). */
  private setupDepth = 0;
  readonly dependencies: string[] = [];
  private readonly env: Record<string, string | undefined>;
  private readonly mode: 'assemble' | 'preprocess' | 'dependencies';
  private expansionCount = 0;
  /** %stacksize model and the running %arg / %local offsets (global, as in nasm). */
  private stackModel: StackModel = STACK_MODELS['flat']!;
  private argOffset = STACK_MODELS['flat']!.argStart;
  private localOffset = 0;
  /** nasm's limits, changed by `%pragma limit`. */
  private repLimit = REP_LIMIT;
  private macroLevelLimit = MACRO_LEVEL_LIMIT;
  /** `%aliases on|off` */
  private aliasesOn = true;
  /** Tokens made by single-line macros on the current line (-1 once over the limit). */
  private lineExpansionTokens = 0;

  constructor(
    private readonly source: string,
    private readonly options: PreprocessOptions,
  ) {
    this.mode = options.mode ?? 'assemble';
    const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
    this.env = options.env ?? proc?.env ?? {};
    // With -a nasm defines no macros at all, not even __?FILE?__.
    if (!options.noDirectives) this.definePredefined();
  }

  // -------------------------------------------------------------------------
  // Set-up
  // -------------------------------------------------------------------------

  private defineText(name: string, body: string, casesense = true): void {
    this.removeSmacros(name, null, casesense);
    this.addSmacro({ name, casesense, params: null, greedy: false, body: tokenize(body) });
  }

  private definePredefined(): void {
    const o = this.options;
    const dyn = (name: string, fn: () => Tok[]): void => {
      this.addSmacro({ name, casesense: true, params: null, greedy: false, body: [], dynamic: fn });
    };
    dyn('__?FILE?__', () => [{ k: K.STR, s: quoteString(this.currentWhere.file) }]);
    dyn('__?LINE?__', () => [{ k: K.NUM, s: String(this.currentWhere.line) }]);
    dyn('__?BITS?__', () => [{ k: K.NUM, s: String(this.mode !== 'assemble' ? 0 : (o.bits?.() ?? 16)) }]);
    // nasm -E runs as pass 3, nasm -M as pass 0.
    const passNumber = (): number =>
      this.mode === 'preprocess' ? 3 : this.mode === 'dependencies' ? 0 : (o.pass?.() ?? 2);
    dyn('__?PASS?__', () => [{ k: K.NUM, s: String(passNumber()) }]);
    this.defineText('__?NASM_MAJOR?__', String(NASM_VERSION.major));
    this.defineText('__?NASM_MINOR?__', String(NASM_VERSION.minor));
    this.defineText('__?NASM_SUBMINOR?__', String(NASM_VERSION.subminor));
    this.defineText('__?NASM_PATCHLEVEL?__', String(NASM_VERSION.patch));
    this.defineText('__?NASM_VERSION_ID?__', '0' + NASM_VERSION.id.toString(16).padStart(8, '0') + 'h');
    this.defineText('__?NASM_VER?__', `"${NASM_VERSION.string}"`);
    this.defineText('__?OUTPUT_FORMAT?__', o.outputFormat);
    this.defineTimes();

    // The standard package, then the format's own macros, then -D/-U.
    this.runSetupText(STANDARD_MACROS, 'standard.mac');
    const aliasLines = TOKEN_ALIASES.map((n) => `%idefine __?${n}?__ %?`).concat(
      TOKEN_ALIASES.map((n) => `%idefalias __${n}__ __?${n}?__`),
    );
    this.runSetupText(aliasLines.join('\n'), 'standard.mac');
    const fmt = FORMAT_MACROS[o.outputFormat];
    if (fmt) this.runSetupText(fmt, 'format.mac');
    // The output format starts in its default section; nasm records it in __?SECT?__.
    this.defineText('__?SECT?__', '[section .text]');
    // -D/-U/-P are applied in lines(), in command-line order, once the main file is open.
    // Setup must not disturb the label counter users see… except that nasm's own
    // standard macros do not consume numbers at definition time either.
  }

  private defineTimes(): void {
    const epochText = this.env['SOURCE_DATE_EPOCH'];
    const epoch = epochText !== undefined && /^\d+$/.test(epochText) ? Number(epochText) : null;
    const now = epoch !== null ? new Date(epoch * 1000) : new Date();
    const p2 = (n: number): string => String(n).padStart(2, '0');
    const local = {
      y: now.getFullYear(),
      mo: now.getMonth() + 1,
      d: now.getDate(),
      h: now.getHours(),
      mi: now.getMinutes(),
      s: now.getSeconds(),
    };
    const utc = {
      y: now.getUTCFullYear(),
      mo: now.getUTCMonth() + 1,
      d: now.getUTCDate(),
      h: now.getUTCHours(),
      mi: now.getUTCMinutes(),
      s: now.getUTCSeconds(),
    };
    for (const [prefix, t] of [
      ['', local],
      ['UTC_', utc],
    ] as const) {
      this.defineText(`__?${prefix}DATE?__`, `"${t.y}-${p2(t.mo)}-${p2(t.d)}"`);
      this.defineText(`__?${prefix}DATE_NUM?__`, `${t.y}${p2(t.mo)}${p2(t.d)}`);
      this.defineText(`__?${prefix}TIME?__`, `"${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}"`);
      this.defineText(`__?${prefix}TIME_NUM?__`, `${p2(t.h)}${p2(t.mi)}${p2(t.s)}`);
    }
    this.defineText('__?POSIX_TIME?__', String(Math.floor(now.getTime() / 1000)));
  }

  /** Runs macro-package text through the directive engine; it must not produce lines. */
  private runSetupText(text: string, name: string): void {
    const frame = this.makeFileFrame(name, text);
    const base = this.frames.length;
    this.frames.push(frame);
    // Macro-package lines are not source lines: the listing never shows them.
    this.setupDepth++;
    try {
      for (const out of this.run(base)) out;
    } finally {
      this.setupDepth--;
    }
  }

  private makeFileFrame(name: string, text: string): FileFrame {
    const lines: Array<{ text: string; line: number }> = [];
    for (const l of logicalLines(text)) lines.push(l);
    const physical = text.split('\n');
    const eofLine = physical.length - (physical[physical.length - 1] === '' ? 1 : 0) + 1;
    return { kind: 'file', name, lines, index: 0, eofLine, conds: [], macroDepth: 0, listed: true };
  }

  // -------------------------------------------------------------------------
  // Main loop
  // -------------------------------------------------------------------------

  *lines(): Generator<OutputLine> {
    const main = this.makeFileFrame(this.options.fileName, this.source);
    this.frames.push(main);
    this.addDependency(this.options.fileName, 'main');
    try {
      if (!this.options.noDirectives) yield* this.commandLineItems(main);
      yield* this.run(0);
    } catch (e) {
      if (!(e instanceof FatalError)) throw e;
    }
  }

  /**
   * -D, -U and -P in command-line order. A pre-included file runs as if
   * %included from line 0 of the main file, and its lines report that line
   * (nasm's __?LINE?__ is 0 there and messages name the main file).
   */
  private *commandLineItems(main: FileFrame): Generator<OutputLine> {
    const mainName = this.options.fileName;
    for (const p of this.options.predefines) {
      if (p.include) {
        this.currentFrame = main;
        this.currentWhere = { file: mainName, line: 0 };
        const depth = this.frames.length;
        this.includeFile(p.name, false);
        if (this.frames.length === depth) continue;
        const frame = this.frames[this.frames.length - 1] as FileFrame;
        frame.lineMap = { from: 0, to: 0, step: 0, file: mainName };
        yield* this.run(depth);
      } else if (p.undefine) this.runSetupText(`%undef ${p.name}`, 'command line');
      else this.runSetupText(`%define ${p.name} ${p.value ?? ''}`, 'command line');
    }
  }

  /** Processes lines until the frame stack shrinks back to `base` entries. */
  private *run(base: number): Generator<OutputLine> {
    while (this.frames.length > base) {
      const frame = this.frames[this.frames.length - 1]!;
      const raw = this.nextRawLine(frame);
      if (!raw) {
        this.endFrame(frame);
        continue;
      }
      this.currentFrame = frame;
      this.currentWhere = frame.nolistWhere ?? { file: raw.file, line: raw.line };
      if (this.options.onSourceLine && this.setupDepth === 0) {
        // nasm lists every line it reads, nested files and macro/%rep bodies one level deeper each.
        this.options.onSourceLine({
          text: raw.text,
          file: raw.file,
          line: raw.line,
          level: this.frames.length - 1,
          kind: frame.kind,
          listed: frame.listed,
        });
      }
      if (frame.kind === 'rep' && frame.exiting) continue;
      yield* this.processLine(raw, frame);
    }
  }

  private nextRawLine(frame: Frame): SrcLine | null {
    if (frame.kind === 'file') {
      const l = frame.lines[frame.index];
      if (!l) return null;
      frame.index++;
      const map = frame.lineMap;
      if (map) return { text: l.text, file: map.file, line: map.to + (l.line - map.from) * map.step };
      return { text: l.text, file: frame.name, line: l.line };
    }
    if (frame.kind === 'macro') {
      const l = frame.mac.body[frame.index];
      if (!l) return null;
      frame.index++;
      return l;
    }
    let l = frame.lines[frame.index];
    if (!l) {
      if (--frame.remaining <= 0) return null;
      frame.index = 0;
      l = frame.lines[0];
      if (!l) return null;
    }
    frame.index++;
    return l;
  }

  private endFrame(frame: Frame): void {
    if (frame.kind === 'file') {
      const eofWhere = this.fileEndWhere(frame);
      if (this.defining.length > 0) {
        const d = this.defining[0]!;
        this.defining.length = 0;
        this.currentWhere = eofWhere;
        if (d.kind === 'macro') this.error(`end of file while still defining macro \`${d.mac!.name}'`);
        else this.error('end of file while still in %rep');
      }
      if (frame.conds.length > 0) {
        this.currentWhere = eofWhere;
        this.frames.pop();
        this.fatal("expected `%endif' before end of file");
      }
    } else if (frame.kind === 'macro') {
      frame.mac.inProgress--;
    }
    this.frames.pop();
  }

  private fileEndWhere(frame: FileFrame): Where {
    const physical = frame.eofLine;
    const map = frame.lineMap;
    if (map) return { file: map.file, line: map.to + (physical - map.from) * map.step };
    return { file: frame.name, line: physical };
  }

  private *processLine(raw: SrcLine, frame: Frame): Generator<OutputLine> {
    this.lineExpansionTokens = 0;
    let toks = tokenize(raw.text);
    // While collecting a %macro or %rep body, lines are stored untouched.
    if (this.defining.length > 0) {
      this.collectDefinitionLine(raw, toks);
      return;
    }
    if (needsParamSubstitution(toks)) {
      const mf = frame.kind !== 'file' ? this.nearestMacroFrame() : null;
      if (mf) toks = this.substituteParams(toks, mf);
      else if (this.isEmitting(frame)) toks = this.dropMacroOnlyTokens(toks);
    }
    const first = skipWs(toks, 0);
    const head = toks[first];
    const emitting = this.isEmitting(frame);
    if (head && head.k === K.PPID && this.options.noDirectives) {
      // -a: directives are dropped without effect; only %line still renumbers.
      const name = head.s.slice(1).toLowerCase();
      if (name === 'line') {
        yield* this.directive(name, toks.slice(first + 1), head, frame);
        return;
      }
      if (IF_DIRECTIVES.has(name) || DIRECTIVE_NAMES.has(name)) return;
    } else if (head && head.k === K.PPID) {
      const name = head.s.slice(1).toLowerCase();
      const cond = IF_DIRECTIVES.get(name);
      if (cond || name === 'else' || name === 'endif') {
        this.conditionalDirective(name, cond, toks.slice(first + 1), frame);
        return;
      }
      if (!emitting) return;
      const handled = yield* this.directive(name, toks.slice(first + 1), head, frame);
      if (handled) return;
    } else if (!emitting) {
      return;
    }
    yield* this.expandAndEmit(toks, raw);
  }

  /** `%1`, `%%x` outside a macro call: nasm complains and drops them (`%?` stays as it is). */
  private dropMacroOnlyTokens(toks: Tok[]): Tok[] {
    return collapseWs(
      toks.filter((t) => {
        if (t.k !== K.PARAM && t.k !== K.LOCAL) return true;
        // nasm names `%{1:2}` without its braces.
        const text = t.s.startsWith('%{') ? '%' + t.s.slice(2, -1) : t.s;
        this.error(`\`${text}': not in a macro call`);
        return false;
      }),
    );
  }

  private isEmitting(frame: Frame): boolean {
    const top = frame.conds[frame.conds.length - 1];
    return !top || top.state === CondState.True || top.state === CondState.ElseTrue;
  }

  private *expandAndEmit(toks: Tok[], raw: SrcLine): Generator<OutputLine> {
    const expanded = this.expandSmacros(toks);
    if (yield* this.tryMultiLineMacro(expanded, raw)) return;
    yield this.makeOutput(detokenize(expanded === toks ? toks : collapseWs(expanded)));
  }

  private makeOutput(text: string): OutputLine {
    const frame = this.currentFrame;
    const out: OutputLine = {
      text,
      where: this.currentWhere,
      macroDepth: frame?.macroDepth ?? 0,
      listed: frame?.listed ?? true,
    };
    if (frame?.reportAt) {
      out.reportAt = frame.reportAt;
      out.trail = this.macroTrail();
      out.expansion = this.expansionChain();
    }
    return out;
  }

  /** Outermost first: each macro and the line inside it that is being processed. */
  private macroTrail(): Array<{ macro: string; location: Where }> {
    const trail: Array<{ macro: string; location: Where }> = [];
    // nasm names only macros from source files: standard-macro and %use package frames are left out.
    const macroFrames = this.frames.filter((f): f is MacroFrame => f.kind === 'macro' && !this.isPackageMacro(f.mac));
    macroFrames.forEach((f, i) => {
      const next = macroFrames[i + 1];
      trail.push({ macro: f.mac.name, location: next ? next.invokeWhere : this.currentWhere });
    });
    return trail;
  }

  /** Defined by the standard macros, the output format's or a %use package (runSetupText), not by a source file. */
  private isPackageMacro(mac: MMacro): boolean {
    const file = mac.where.file;
    return file === 'standard.mac' || file === 'format.mac' || this.usedPackages.has(file.toLowerCase());
  }

  private expansionChain(): Where[] {
    const chain: Where[] = [];
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') chain.push(f.invokeWhere);
    }
    return chain;
  }

  // -------------------------------------------------------------------------
  // Diagnostics
  // -------------------------------------------------------------------------

  private loc(): SourceLocation {
    const frame = this.currentFrame;
    const at = frame?.reportAt ?? this.currentWhere;
    const loc: SourceLocation = { file: at.file, line: at.line };
    if (frame?.reportAt) {
      // nasm follows a message from inside a macro with the chain of definitions.
      const trail = this.macroTrail().map((t) => ({
        macro: t.macro,
        location: { file: t.location.file, line: t.location.line },
      }));
      return { ...loc, expansion: this.expansionChain(), macroTrail: trail };
    }
    return loc;
  }

  private error(msg: string): void {
    this.options.diagnostics.error(msg, this.loc());
  }

  private warning(msg: string, cls: string): void {
    this.options.diagnostics.warning(msg, this.loc(), cls);
  }

  private fatal(msg: string): never {
    return this.options.diagnostics.fatal(msg, this.loc());
  }

  // -------------------------------------------------------------------------
  // Definitions (%macro … %endmacro, %rep … %endrep)
  // -------------------------------------------------------------------------

  private collectDefinitionLine(raw: SrcLine, toks: Tok[]): void {
    const def = this.defining[this.defining.length - 1]!;
    const head = toks[skipWs(toks, 0)];
    const name = head && head.k === K.PPID ? head.s.slice(1).toLowerCase() : '';
    if (def.kind === 'macro') {
      if (name === 'macro' || name === 'imacro' || name === 'rmacro' || name === 'rimacro') def.depth++;
      else if (name === 'endmacro' || name === 'endm') {
        if (def.depth === 0) {
          this.defining.pop();
          this.finishMacro(def);
          return;
        }
        def.depth--;
      }
    } else {
      if (name === 'rep') def.depth++;
      else if (name === 'endrep') {
        if (def.depth === 0) {
          this.defining.pop();
          this.finishRep(def);
          return;
        }
        def.depth--;
      }
    }
    def.lines.push(raw);
  }

  private finishMacro(def: Definition): void {
    const mac = def.mac!;
    mac.body = def.lines;
    mac.usesLabel = def.lines.some((l) => l.text.includes('%00'));
    const map = mac.casesense ? this.mmacros : this.immacros;
    const key = mac.casesense ? mac.name : mac.name.toLowerCase();
    const list = (map.get(key) ?? []).filter(
      (m) => !(m.min === mac.min && m.max === mac.max && m.greedy === mac.greedy),
    );
    list.push(mac);
    map.set(key, list);
  }

  private finishRep(def: Definition): void {
    const count = def.repCount ?? 0;
    if (count <= 0 || def.lines.length === 0) return;
    const parent = this.frames[this.frames.length - 1]!;
    const frame: RepFrame = {
      kind: 'rep',
      lines: def.lines,
      index: 0,
      remaining: count,
      conds: [],
      reportAt: parent.reportAt,
      nolistWhere: parent.nolistWhere,
      macroDepth: parent.macroDepth,
      listed: parent.listed,
    };
    this.frames.push(frame);
  }

  // -------------------------------------------------------------------------
  // Conditionals
  // -------------------------------------------------------------------------

  private conditionalDirective(
    name: string,
    cond: { type: string; negate: boolean; elif: boolean } | undefined,
    args: Tok[],
    frame: Frame,
  ): void {
    const conds = frame.conds;
    const top = conds[conds.length - 1];
    if (cond && !cond.elif) {
      if (!this.isEmitting(frame)) {
        conds.push({ state: CondState.Never });
        return;
      }
      const value = this.evalCondition(cond.type, args, name);
      conds.push({ state: value !== cond.negate ? CondState.True : CondState.False });
      return;
    }
    if (!top) {
      this.error(`\`%${name}': no matching \`%if'`);
      return;
    }
    if (cond) {
      // %elif…
      if (top.state === CondState.ElseTrue || top.state === CondState.ElseFalse) {
        this.warning(`\`%${name}' after \`%else', ignoring content`, 'pp-else-elif');
        top.state = CondState.Never;
        return;
      }
      if (top.state === CondState.True) top.state = CondState.Done;
      else if (top.state === CondState.False) {
        const value = this.evalCondition(cond.type, args, name);
        if (value !== cond.negate) top.state = CondState.True;
      }
      return;
    }
    if (name === 'else') {
      if (top.state === CondState.ElseTrue || top.state === CondState.ElseFalse) {
        this.warning("`%else' after `%else', ignoring content", 'pp-else-else');
        top.state = CondState.ElseFalse;
        return;
      }
      top.state = top.state === CondState.False ? CondState.ElseTrue : CondState.ElseFalse;
      if (top.state === CondState.ElseFalse && conds.length > 0) {
        // Stays skipped; a %if inside a skipped region keeps `Never` semantics.
      }
      return;
    }
    conds.pop();
  }

  private evalCondition(type: string, args: Tok[], directive: string): boolean {
    switch (type) {
      case '': {
        const v = this.evalExpr(this.expandSmacros(args), directive);
        return v !== null && v !== 0n;
      }
      case 'usable': {
        // %ifusable names a %use package: true when nasm has it.
        const list = trimWs(args);
        const t = list[0];
        if (!t) {
          this.error(`\`%${directive}' expects a package name, got end of line`);
          return false;
        }
        if (t.k !== K.ID && t.k !== K.STR) {
          this.error(`\`%${directive}' expects a package name, got \`${t.s}'`);
          return false;
        }
        if (list.length > 1) this.warning(`trailing garbage after \`%${directive}' ignored`, 'pp-trailing');
        return USE_PACKAGES[(t.k === K.STR ? unquote(t.s) : t.s).toLowerCase()] !== undefined;
      }
      case 'def':
      case 'defalias':
      case 'usabledef': {
        let any = false;
        const list = trimWs(args);
        if (list.length === 0) return false;
        for (const t of list) {
          if (t.k === K.WS) continue;
          if (t.k !== K.ID && t.k !== K.CTX) {
            this.error(`\`%${directive}' expects macro identifiers`);
            return false;
          }
          const key = t.k === K.CTX ? this.ctxKey(t.s) : t.s;
          if (key === null) continue;
          const defs = this.findSmacros(key);
          if (defs && (type !== 'defalias' || defs.some((d) => d.alias !== undefined))) any = true;
        }
        return any;
      }
      case 'idn':
      case 'idni': {
        const expanded = this.expandSmacros(args);
        const comma = expanded.findIndex((t) => t.k === K.OP && t.s === ',');
        if (comma < 0) {
          this.error(`\`%${directive}' expects two comma-separated arguments`);
          return false;
        }
        const a = comparable(expanded.slice(0, comma), type === 'idni');
        const b = comparable(expanded.slice(comma + 1), type === 'idni');
        return a === b;
      }
      case 'ctx': {
        const top = this.contexts[this.contexts.length - 1];
        if (!top) return false;
        return args.some((t) => t.k === K.ID && t.s.toLowerCase() === top.name.toLowerCase());
      }
      case 'macro': {
        const list = trimWs(args);
        const nameTok = list[0];
        if (!nameTok || nameTok.k !== K.ID) {
          this.error(`\`%${directive}' expects a macro name`);
          return false;
        }
        const spec = parseParamSpec(list.slice(1).filter((t) => t.k !== K.WS));
        const min = spec?.min ?? 0;
        const max = spec ? spec.max : Infinity;
        const cands = [...(this.mmacros.get(nameTok.s) ?? []), ...(this.immacros.get(nameTok.s.toLowerCase()) ?? [])];
        return cands.some((m) => (spec ? m.min <= max && (m.greedy ? Infinity : m.max) >= min : true));
      }
      case 'num':
      case 'str':
      case 'id':
      case 'token':
      case 'empty': {
        const list = trimWs(this.expandSmacros(args));
        if (type === 'empty') return list.length === 0;
        if (type === 'token') return list.length === 1;
        // nasm looks at the first token only (`%ifnum 1+2` is true).
        let toks = list;
        if (type === 'num' && toks.length >= 2 && toks[0]!.k === K.OP && toks[0]!.s === '-') toks = toks.slice(1);
        if (toks.length === 0) return false;
        const k = toks[0]!.k;
        return type === 'num' ? k === K.NUM : type === 'str' ? k === K.STR : k === K.ID;
      }
      case 'env': {
        const list = trimWs(args);
        const t = list[0];
        if (!t) return false;
        const name = t.k === K.STR ? unquote(t.s) : t.s.replace(/^%!/, '');
        return this.env[name] !== undefined;
      }
      default:
        return false;
    }
  }

  /** The one string argument `%deftok` and `%strlen` take (unquoted), or null after reporting nasm's error. */
  private stringArgument(rest: Tok[], directive: string): string | null {
    const list = trimWs(this.expandSmacros(rest));
    if (list.length !== 1 || list[0]!.k !== K.STR) {
      this.error(`\`%${directive}' requires string as second parameter`);
      return null;
    }
    return unquote(list[0]!.s);
  }

  private evalExpr(toks: Tok[], directive: string): bigint | null {
    try {
      return evaluate(toks, {
        symbol: () => {
          if (this.mode !== 'assemble') this.error('symbol references not supported in preprocess-only mode');
          throw new NonConstantError('symbol');
        },
      });
    } catch (e) {
      if (e instanceof ExprError) {
        this.error(e.message);
        return null;
      }
      if (e instanceof NonConstantError) {
        this.error(`non-constant value given to \`%${directive}'`);
        return null;
      }
      throw e;
    }
  }

  // -------------------------------------------------------------------------
  // Directives
  // -------------------------------------------------------------------------

  /** Returns false when the word is not a directive (the line is then an ordinary line). */
  private *directive(name: string, args: Tok[], head: Tok, frame: Frame): Generator<OutputLine, boolean> {
    switch (name) {
      case 'define':
      case 'idefine':
      case 'xdefine':
      case 'ixdefine':
        this.defineDirective(name, args);
        return true;
      case 'undef':
      case 'iundef':
      case 'undefalias': {
        const t = args[skipWs(args, 0)];
        if (!t || (t.k !== K.ID && t.k !== K.CTX)) {
          this.error(`\`%${name}' expects a macro identifier`);
          return true;
        }
        const key = t.k === K.CTX ? this.ctxKey(t.s) : t.s;
        if (key !== null) this.removeSmacros(key, null, name !== 'iundef');
        return true;
      }
      case 'defalias':
      case 'idefalias': {
        const list = args.filter((t) => t.k !== K.WS);
        if (list.length < 2 || list[0]!.k !== K.ID) {
          this.error(`\`%${name}' expects a macro identifier`);
          return true;
        }
        const nm = list[0]!.s;
        this.removeSmacros(nm, null, name === 'defalias');
        this.addSmacro({
          name: nm,
          casesense: name === 'defalias',
          params: null,
          greedy: false,
          body: [],
          alias: list[1]!.s,
        });
        return true;
      }
      case 'assign':
      case 'iassign': {
        const target = this.macroName(args, name);
        if (!target) return true;
        const v = this.evalExpr(this.expandSmacros(target.rest), name);
        if (v === null) return true;
        this.setSimple(target.key, name === 'assign', [{ k: K.NUM, s: v.toString() }]);
        return true;
      }
      case 'defstr':
      case 'idefstr': {
        const target = this.macroName(args, name);
        if (!target) return true;
        const text = detokenize(trimWs(this.expandSmacros(target.rest)));
        this.setSimple(target.key, name === 'defstr', [{ k: K.STR, s: quoteString(text) }]);
        return true;
      }
      case 'deftok':
      case 'ideftok': {
        const target = this.macroName(args, name);
        if (!target) return true;
        const str = this.stringArgument(target.rest, name);
        if (str === null) return true;
        this.setSimple(target.key, name === 'deftok', trimWs(tokenize(str)));
        return true;
      }
      case 'strcat':
      case 'istrcat': {
        const target = this.macroName(args, name);
        if (!target) return true;
        let s = '';
        for (const t of this.expandSmacros(target.rest)) {
          if (t.k === K.WS || (t.k === K.OP && t.s === ',')) continue;
          if (t.k !== K.STR) {
            this.error(`non-string passed to \`%${name}': ${t.s}`);
            return true;
          }
          s += unquote(t.s);
        }
        this.setSimple(target.key, name === 'strcat', [{ k: K.STR, s: quoteString(s) }]);
        return true;
      }
      case 'strlen':
      case 'istrlen': {
        const target = this.macroName(args, name);
        if (!target) return true;
        const str = this.stringArgument(target.rest, name);
        if (str === null) return true;
        this.setSimple(target.key, name === 'strlen', [{ k: K.NUM, s: String(str.length) }]);
        return true;
      }
      case 'substr':
      case 'isubstr': {
        const target = this.macroName(args, name);
        if (!target) return true;
        const list = trimWs(this.expandSmacros(target.rest));
        const strTok = list[0];
        if (!strTok || strTok.k !== K.STR) {
          this.error(`\`%${name}' requires string as second parameter`);
          return true;
        }
        const parts = splitTopLevel(list.slice(1), false);
        const str = unquote(strTok.s);
        const startV = parts[0] ? this.evalExpr(parts[0], name) : 1n;
        const lenV = parts[1] ? this.evalExpr(parts[1], name) : 1n;
        if (startV === null || lenV === null) return true;
        let start = Number(startV) - 1;
        let len = Number(lenV);
        if (start < 0) start = Math.max(0, str.length + start + 1);
        if (len < 0) len = Math.max(0, str.length - start + len + 1);
        this.setSimple(target.key, name === 'substr', [{ k: K.STR, s: quoteString(str.substr(start, len)) }]);
        return true;
      }
      case 'macro':
      case 'imacro':
      case 'rmacro':
      case 'rimacro':
        this.startMacroDefinition(name, args);
        return true;
      case 'endmacro':
      case 'endm':
        this.error(`\`%${name}': not defining a macro`);
        return true;
      case 'unmacro':
      case 'unimacro': {
        const list = args.filter((t) => t.k !== K.WS);
        const nm = list[0];
        if (!nm || nm.k !== K.ID) {
          this.error(`\`%${name}' expects a macro name`);
          return true;
        }
        const spec = parseParamSpec(list.slice(1));
        const cs = name === 'unmacro';
        const map = cs ? this.mmacros : this.immacros;
        const key = cs ? nm.s : nm.s.toLowerCase();
        const left = (map.get(key) ?? []).filter(
          (m) => !(spec && m.min === spec.min && m.max === spec.max && m.greedy === spec.greedy),
        );
        if (left.length) map.set(key, left);
        else map.delete(key);
        return true;
      }
      case 'rotate': {
        const mf = this.nearestMacroFrame();
        if (!mf) {
          this.error("`%rotate' invoked outside a macro call");
          return true;
        }
        const v = this.evalExpr(this.expandSmacros(args), name);
        if (v === null || mf.nparams === 0) return true;
        const n = mf.nparams;
        mf.rotate = (((mf.rotate + Number(BigInt.asIntN(32, v))) % n) + n) % n;
        return true;
      }
      case 'rep': {
        const v = this.evalExpr(
          this.expandSmacros(args.filter((t) => !(t.k === K.ID && t.s.toLowerCase() === '.nolist'))),
          name,
        );
        let count = v ?? 0n;
        if (count > BigInt(this.repLimit)) {
          this.error(`\`%rep' count ${count} exceeds limit (currently ${this.repLimit})`);
          count = 0n;
        }
        if (count < 0n) count = 0n;
        this.defining.push({ kind: 'rep', repCount: Number(count), lines: [], depth: 0, where: this.currentWhere });
        return true;
      }
      case 'endrep':
        this.error("`%endrep': no matching `%rep'");
        return true;
      case 'exitrep': {
        const idx = findLastIndex(this.frames, (f) => f.kind === 'rep');
        const macroIdx = findLastIndex(this.frames, (f) => f.kind === 'macro' || f.kind === 'file');
        if (idx < 0 || idx < macroIdx) {
          this.error("`%exitrep' not within `%rep' block");
          return true;
        }
        // nasm still reads the rest of this repetition (its listing shows those lines), then stops.
        this.popFramesTo(idx + 1);
        const repFrame = this.frames[idx] as RepFrame;
        repFrame.exiting = true;
        repFrame.remaining = 1;
        return true;
      }
      case 'exitmacro': {
        const idx = findLastIndex(this.frames, (f) => f.kind === 'macro');
        if (idx < 0) {
          this.error("`%exitmacro' not within `%macro' block");
          return true;
        }
        this.popFramesTo(idx);
        return true;
      }
      case 'include':
      case 'require': {
        const list = trimWs(this.expandSmacros(args));
        const fileName = includeName(list);
        if (fileName === null) {
          this.error(`\`%${name}' expects a file name`);
          return true;
        }
        this.includeFile(fileName, name === 'require');
        return true;
      }
      case 'use': {
        const list = trimWs(args);
        const t = list[0];
        const pkg = t ? (t.k === K.STR ? unquote(t.s) : t.s) : '';
        if (!t) {
          this.error("`%use' expects a package name");
          return true;
        }
        const body = USE_PACKAGES[pkg.toLowerCase()];
        if (!body) {
          this.error(`unknown \`%use' package: \`${pkg}'`);
          return true;
        }
        if (this.usedPackages.has(pkg.toLowerCase())) return true;
        this.usedPackages.add(pkg.toLowerCase());
        const saved = { where: this.currentWhere, frame: this.currentFrame };
        this.runSetupText(body(), pkg);
        this.currentWhere = saved.where;
        this.currentFrame = saved.frame;
        return true;
      }
      case 'pathsearch':
      case 'ipathsearch': {
        const target = this.macroName(args, name);
        if (!target) return true;
        const fileName = includeName(trimWs(this.expandSmacros(target.rest)));
        if (fileName === null) {
          this.error(`\`%${name}' expects a file name`);
          return true;
        }
        const found = this.searchInclude(fileName);
        this.setSimple(target.key, name === 'pathsearch', [{ k: K.STR, s: quoteString(found?.path ?? fileName) }]);
        return true;
      }
      case 'depend': {
        const fileName = includeName(trimWs(this.expandSmacros(args)));
        if (fileName === null) {
          this.error("`%depend' expects a file name");
          return true;
        }
        this.addDependency(fileName, 'depend');
        return true;
      }
      case 'line': {
        const list = args.filter((t) => t.k !== K.WS);
        const m = /^(\d+)$/.exec(list[0]?.s ?? '');
        if (!m) {
          this.error("`%line' expects line number");
          return true;
        }
        let step = 1;
        let i = 1;
        if (list[1]?.s === '+' && list[2]?.k === K.NUM) {
          step = Number(list[2].s);
          i = 3;
        }
        const rest = detokenize(trimWs(args.slice(args.indexOf(list[i - 1]!) + 1)));
        if (frame.kind === 'file') {
          const physNext = frame.lines[frame.index]?.line ?? 0;
          const file = rest ? (rest.startsWith('"') ? unquote(rest) : rest) : (frame.lineMap?.file ?? frame.name);
          // nasm counts the %line directive itself as line N, so the next line is N+step.
          frame.lineMap = { from: physNext, to: Number(m[1]) + step, step, file };
        }
        return true;
      }
      case 'error':
      case 'warning':
      case 'fatal': {
        const list = trimWs(this.expandSmacros(args));
        const msg = list.length === 1 && list[0]!.k === K.STR ? unquote(list[0]!.s) : detokenize(list);
        // nasm -M (pass 0) stays silent about %error and %warning; %fatal still stops it.
        if (this.mode === 'dependencies' && name !== 'fatal') return true;
        // nasm reports %error in its final pass and keeps assembling until then.
        if (name === 'error')
          this.options.diagnostics.report({ severity: 'error', message: msg, location: this.loc(), deferred: true });
        else if (name === 'warning') this.warning(msg, 'user');
        else this.fatal(msg);
        return true;
      }
      case 'pragma': {
        // `%pragma preproc …` is the preprocessor's own (and silent); the rest go
        // to the assembler in bracket form, which is what nasm -E shows.
        const words = trimWs(this.expandSmacros(args)).filter((t) => t.k !== K.WS);
        if (words[0]?.s.toLowerCase() === 'preproc') return true;
        if (this.mode === 'assemble') this.applyLimitPragma(words);
        yield this.makeOutput(`[pragma ${detokenize(collapseWs(trimWs(this.expandSmacros(args))))}]`);
        return true;
      }
      case 'push': {
        const list = trimWs(args);
        this.contexts.push({ name: list[0]?.s ?? '', number: this.unique++ });
        return true;
      }
      case 'pop': {
        if (this.contexts.length === 0) {
          this.error("`%pop': context stack is empty");
          return true;
        }
        const list = trimWs(args);
        const top = this.contexts[this.contexts.length - 1]!;
        if (list[0] && list[0].s.toLowerCase() !== top.name.toLowerCase()) {
          this.error(`\`%pop' in wrong context: ${top.name}, expected ${list[0].s}`);
        }
        this.contexts.pop();
        return true;
      }
      case 'repl': {
        const top = this.contexts[this.contexts.length - 1];
        if (!top) {
          this.error("`%repl': context stack is empty");
          return true;
        }
        top.name = trimWs(args)[0]?.s ?? '';
        return true;
      }
      case 'clear':
        this.smacros.clear();
        this.ismacros.clear();
        this.mmacros.clear();
        this.immacros.clear();
        return true;
      case 'stacksize':
        this.stackSizeDirective(args);
        return true;
      case 'arg':
      case 'local':
        this.frameVariableDirective(name, args);
        return true;
      case 'aliases': {
        // `%aliases off` stops %defalias names from expanding (they stay as written).
        const word = trimWs(args)[0]?.s.toLowerCase();
        if (word === 'off') this.aliasesOn = false;
        else if (word === 'on') this.aliasesOn = true;
        return true;
      }
      case 'warning_push':
        return true;
      default:
        return false;
    }
  }

  /**
   * `%stacksize flat|flat64|large|small`: picks the frame register, the slot
   * size and where arguments start, and resets both running offsets (as nasm
   * does; an invalid size leaves everything as it was).
   */
  private stackSizeDirective(args: Tok[]): void {
    const t = args[skipWs(args, 0)];
    if (!t || t.k !== K.ID) {
      this.error("`%stacksize' missing size parameter");
      return;
    }
    const model = STACK_MODELS[t.s.toLowerCase()];
    if (!model) {
      this.error("`%stacksize' invalid size type");
      return;
    }
    this.stackModel = model;
    this.argOffset = model.argStart;
    this.localOffset = 0;
  }

  /**
   * `%arg name:size, …` and `%local name:size, …` define each name as
   * `(ebp+N)` / `(ebp-N)`, every slot rounded up to the stack size. The offsets
   * only advance when the whole line parses; `%local` then adds the line's
   * total to `%$localsize` — which, as in nasm 2.16.01, is an "expression
   * syntax error" unless the program assigned `%$localsize` first.
   */
  private frameVariableDirective(directive: 'arg' | 'local' | string, args: Tok[]): void {
    const model = this.stackModel;
    const isLocal = directive === 'local';
    let offset = isLocal ? this.localOffset : this.argOffset;
    let total = 0;
    let i = skipWs(args, 0);
    for (;;) {
      const nameTok = args[i];
      if (!nameTok || nameTok.k !== K.ID) {
        this.error(`\`%${directive}' missing argument parameter`);
        return;
      }
      const colon = args[i + 1];
      if (!colon || colon.k !== K.OP || colon.s !== ':') {
        this.error(`syntax error processing \`%${directive}' directive`);
        return;
      }
      const sizeTok = args[i + 2];
      if (!sizeTok || sizeTok.k !== K.ID) {
        this.error(`\`%${directive}' missing size type parameter`);
        return;
      }
      const size = FRAME_SIZES[sizeTok.s.toLowerCase()];
      if (size === undefined) {
        this.error(`invalid size type for \`%${directive}' missing directive`);
        return;
      }
      const slot = Math.ceil(size / model.slot) * model.slot;
      let where: number;
      if (isLocal) {
        offset += slot;
        where = -offset;
      } else {
        where = offset;
        offset += slot;
      }
      total += slot;
      const body = `(${model.base}${where < 0 ? '-' : '+'}${Math.abs(where)})`;
      this.removeSmacros(nameTok.s, 0, true);
      this.addSmacro({ name: nameTok.s, casesense: true, params: null, greedy: false, body: tokenize(body) });
      i = skipWs(args, i + 3);
      const next = args[i];
      if (!next || next.k !== K.OP || next.s !== ',') break;
      i = skipWs(args, i + 1);
    }
    if (!isLocal) {
      this.argOffset = offset;
      return;
    }
    this.localOffset = offset;
    const key = this.ctxKey('%$localsize');
    const current = key === null ? undefined : this.findSmacros(key)?.find((d) => !d.params);
    if (key === null || !current) {
      this.error('expression syntax error');
      return;
    }
    const v = this.evalExpr(
      [...this.expandSmacros(current.body.map(stripHide)), { k: K.OP, s: '+' }, { k: K.NUM, s: String(total) }],
      'assign',
    );
    if (v !== null) this.setSimple(key, true, [{ k: K.NUM, s: v.toString() }]);
  }

  /**
   * `[pragma limit NAME N]` (or `nasm limit`): during assembly nasm applies it
   * to the lines after it; nasm -E never runs the assembler's pragma, so it
   * has no effect there.
   */
  private applyLimitPragma(words: Tok[]): void {
    let i = words[0]?.s.toLowerCase() === 'nasm' ? 1 : 0;
    if (words[i]?.s.toLowerCase() !== 'limit') return;
    i++;
    const name = words[i]?.s.toLowerCase();
    const value = words[i + 1];
    if (!name || !value || value.k !== K.NUM) return;
    const n = Number(value.s);
    if (!Number.isSafeInteger(n) || n < 0) return;
    if (name === 'rep') this.repLimit = n;
    else if (name === 'macro-levels') this.macroLevelLimit = n;
  }

  private popFramesTo(idx: number): void {
    while (this.frames.length > idx) {
      const f = this.frames.pop()!;
      if (f.kind === 'macro') f.mac.inProgress--;
    }
  }

  /** Reads the macro name at the start of a directive's arguments. */
  private macroName(args: Tok[], directive: string): { key: string; rest: Tok[] } | null {
    const i = skipWs(args, 0);
    const name = this.readName(args, i);
    if (!name) {
      this.error(`\`%${directive}' expects a macro identifier`);
      return null;
    }
    if (name.key === null) return null;
    return { key: name.key, rest: args.slice(name.next) };
  }

  /**
   * Reads a macro name that may be glued from pieces: `name`, `%$name`,
   * `prefix_%[expr]`, `%[a]%[b]`. Returns null if no name starts at `i`.
   */
  private readName(args: Tok[], i: number): { key: string | null; next: number } | null {
    const t = args[i];
    if (!t || (t.k !== K.ID && t.k !== K.CTX && t.k !== K.INDIRECT)) return null;
    let key: string | null = '';
    let j = i;
    while (j < args.length) {
      const p = args[j]!;
      if (p.k === K.ID || (p.k === K.NUM && j > i)) key += p.s;
      else if (p.k === K.CTX && j === i) key = this.ctxKey(p.s);
      else if (p.k === K.INDIRECT) key += detokenize(trimWs(this.expandSmacros(tokenize(p.s)))).replace(/\s+/g, '');
      else break;
      if (key === null) return { key: null, next: j + 1 };
      j++;
    }
    return { key, next: j };
  }

  private setSimple(key: string, casesense: boolean, body: Tok[]): void {
    this.removeSmacros(key, 0, casesense);
    this.addSmacro({ name: key, casesense, params: null, greedy: false, body });
  }

  private defineDirective(name: string, args: Tok[]): void {
    const i = skipWs(args, 0);
    const nameInfo = this.readName(args, i);
    if (!nameInfo) {
      this.error(`\`%${name}' expects a macro identifier`);
      return;
    }
    const key = nameInfo.key;
    if (key === null) return;
    let j = nameInfo.next;
    let params: string[] | null = null;
    let greedy = false;
    let flags: ParamFlags[] | undefined;
    if (args[j]?.k === K.OP && args[j]!.s === '(') {
      const parsed = this.parseSmacroParams(args, j + 1);
      if (!parsed) return;
      params = parsed.names;
      greedy = parsed.greedy;
      if (parsed.flags.some((f) => f.evaluate || f.stringify || f.raw)) flags = parsed.flags;
      j = parsed.end;
    }
    let body = trimWs(args.slice(j));
    if (name === 'xdefine' || name === 'ixdefine') body = trimWs(this.expandSmacros(body));
    const casesense = name === 'define' || name === 'xdefine';
    const existing = this.findSmacros(key);
    if (existing && existing.some((d) => !d.dynamic && !d.alias && (d.params === null) !== (params === null))) {
      // nasm keeps both kinds (measured: the next conflicting %define is reported again, and a
      // bare use then expands to nothing; see the bare-use rule in the expansion code).
      this.error(`macro \`${key}' defined both with and without parameters [-w+error=pp-macro-def-param-single]`);
    }
    this.removeSmacros(key, params ? params.length : 0, casesense);
    const def: SMacro = { name: key, casesense, params, greedy, body: body.map(stripHide) };
    if (flags) def.flags = flags;
    this.addSmacro(def);
  }

  /**
   * Reads a single-line macro's parameter list after its `(`: each entry is
   * optional modifiers (`=`, `&`, `&&`, `!`), an optional name (nameless
   * parameters take an argument that is dropped) and an optional greedy `+`.
   * nasm reads the list twice, so each complaint about it appears twice.
   */
  private parseSmacroParams(
    args: Tok[],
    start: number,
  ): { names: string[]; flags: ParamFlags[]; greedy: boolean; end: number } | null {
    const names: string[] = [];
    const flags: ParamFlags[] = [];
    let greedy = false;
    const complaints: string[] = [];
    let j = start;
    for (;;) {
      const f: ParamFlags = { evaluate: false, stringify: false, keepString: false, raw: false };
      let name = '';
      let plus = false;
      for (; j < args.length; j++) {
        const p = args[j]!;
        if (p.k === K.WS) continue;
        if (p.k !== K.OP) break;
        if (p.s === '=' || p.s === '==') f.evaluate = true;
        else if (p.s === '&') f.stringify = true;
        else if (p.s === '&&') f.stringify = f.keepString = true;
        else if (p.s === '!') f.raw = true;
        else if (p.s === '!=') {
          complaints.push("garbage `!=' in macro parameter list");
          f.raw = true;
        } else break;
      }
      if (args[j]?.k === K.ID) name = args[j++]!.s;
      j = skipWs(args, j);
      if (args[j]?.k === K.OP && args[j]!.s === '+') {
        plus = true;
        j = skipWs(args, j + 1);
      }
      if (greedy) complaints.push('greedy parameter must be last');
      // Only a `+` on the last parameter makes the macro greedy.
      greedy = plus;
      names.push(name);
      flags.push(f);
      const sep = args[j];
      if (sep?.k === K.OP && sep.s === ',') {
        j++;
        continue;
      }
      if (sep?.k === K.OP && sep.s === ')') {
        j++;
        break;
      }
      if (sep && sep.k !== K.WS) {
        // nasm names the stray token and still defines the macro with what it understood.
        complaints.push(`garbage \`${sep.s}' in macro parameter list`);
        j = args.findIndex((t, k) => k > j && t.k === K.OP && t.s === ')');
        if (j < 0) j = args.length;
        else j++;
        break;
      }
      this.error(`\`%define': parameter identifier expected`);
      return null;
    }
    for (let pass = 0; pass < 2; pass++) for (const c of complaints) this.error(c);
    return { names, flags, greedy, end: j };
  }

  /** Applies a parameter's modifiers to its argument (`=` evaluates, `&` quotes). */
  private applyParamFlags(value: Tok[], f: ParamFlags, index: number, macro: string): Tok[] {
    let v = value;
    if (f.evaluate || f.stringify) v = this.expandSmacros(v.slice());
    if (f.evaluate) {
      let n: bigint | null = null;
      try {
        n = BigInt.asIntN(
          64,
          evaluate(v, {
            symbol: () => {
              if (this.mode !== 'assemble') this.error('symbol references not supported in preprocess-only mode');
              throw new NonConstantError('symbol');
            },
          }),
        );
      } catch (e) {
        if (e instanceof ExprError) this.error(e.message);
        else if (e instanceof NonConstantError)
          this.error(`non-constant expression in parameter ${index} of macro \`${macro}'`);
        else throw e;
        return [];
      }
      v =
        n < 0n
          ? [
              { k: K.OP, s: '-' },
              { k: K.NUM, s: (-n).toString() },
            ]
          : [{ k: K.NUM, s: n.toString() }];
    }
    if (f.stringify) {
      const bare = trimWs(v);
      if (f.keepString && bare.length === 1 && bare[0]!.k === K.STR) return bare;
      v = [{ k: K.STR, s: quoteString(detokenize(collapseWs(v))) }];
    }
    return v;
  }

  private startMacroDefinition(name: string, args: Tok[]): void {
    const list = args.filter((t) => t.k !== K.WS);
    const nm = list[0];
    if (!nm || nm.k !== K.ID) {
      this.error(`\`%${name}' expects a macro name`);
      return;
    }
    // The parameter spec is the run of tokens after the name up to the next
    // white space (`1-2+.nolist`), optionally followed by a separate `.nolist`;
    // everything after it is the list of defaults.
    let i = skipWs(args, 0) + 1;
    i = skipWs(args, i);
    const specToks: Tok[] = [];
    while (i < args.length && args[i]!.k !== K.WS) specToks.push(args[i++]!);
    let j = skipWs(args, i);
    if (args[j]?.k === K.ID && args[j]!.s.toLowerCase() === '.nolist') {
      specToks.push(args[j]!);
      j = skipWs(args, j + 1);
    }
    // Split `0.nolist` style tokens (the number scanner swallows the dot).
    const rest: Tok[] = [];
    for (const t of specToks) {
      if (t.k === K.NUM && t.s.includes('.')) {
        const dot = t.s.indexOf('.');
        rest.push({ k: K.NUM, s: t.s.slice(0, dot) }, { k: K.ID, s: t.s.slice(dot) });
      } else rest.push(t);
    }
    const spec = parseParamSpec(rest);
    if (!spec || spec.consumed !== rest.length) {
      this.error(`\`%${name}' expects a parameter count`);
      return;
    }
    const defaultToks = trimWs(args.slice(j));
    const defaults = defaultToks.length ? splitTopLevel(defaultToks, true).map((d) => trimWs(d)) : [];
    const mac: MMacro = {
      name: nm.s,
      casesense: name === 'macro' || name === 'rmacro',
      min: spec.min,
      max: spec.max,
      greedy: spec.greedy,
      nolist: spec.nolist,
      recursive: name === 'rmacro' || name === 'rimacro',
      defaults,
      body: [],
      usesLabel: false,
      inProgress: 0,
      where: this.currentWhere,
    };
    this.defining.push({ kind: 'macro', mac, lines: [], depth: 0, where: this.currentWhere });
  }

  // -------------------------------------------------------------------------
  // %include
  // -------------------------------------------------------------------------

  /**
   * Include-file lookups already done, by name as written. nasm records a
   * dependency only the first time a name is searched for by %include, and a
   * %pathsearch of the name counts as that first search.
   */
  private readonly searched = new Map<string, string | null>();

  private searchInclude(name: string): { path: string; data: Uint8Array } | null {
    const found = this.searchIncludeUncached(name);
    if (!this.searched.has(name)) this.searched.set(name, found?.path ?? null);
    return found;
  }

  private searchIncludeUncached(name: string): { path: string; data: Uint8Array } | null {
    const direct = this.options.readFile(name);
    if (direct) return { path: name, data: direct };
    for (const dir of this.options.includePaths) {
      const path = dir === '' ? name : /[\\/:]$/.test(dir) ? dir + name : dir + '/' + name;
      const data = this.options.readFile(path);
      if (data) return { path, data };
    }
    return null;
  }

  private addDependency(path: string, kind: 'main' | 'include' | 'depend' = 'include'): void {
    this.dependencies.push(path);
    this.options.dependencies?.push(path);
    this.options.onDependency?.(path, kind);
  }

  private includeFile(name: string, once: boolean): void {
    const firstSearch = !this.searched.has(name);
    const found = this.searchInclude(name);
    if (!found) {
      if (firstSearch) this.addDependency(name);
      this.error(`unable to open include file \`${name}': No such file or directory`);
      return;
    }
    if (once && this.dependencies.includes(found.path)) return;
    if (firstSearch) this.addDependency(found.path);
    if (this.frames.length > 200) {
      this.fatal('too many levels of include files');
    }
    const text = new TextDecoder().decode(found.data);
    const parent = this.frames[this.frames.length - 1]!;
    const frame = this.makeFileFrame(found.path, text);
    frame.reportAt = parent.reportAt;
    frame.nolistWhere = parent.nolistWhere;
    frame.macroDepth = parent.macroDepth;
    frame.listed = parent.listed;
    this.frames.push(frame);
  }

  // -------------------------------------------------------------------------
  // Contexts
  // -------------------------------------------------------------------------

  /** Resolves `%$name` / `%$$name` to a key unique to its context, or null (with an error). */
  private ctxKey(text: string): string | null {
    let depth = 0;
    let i = 1;
    while (text[i + 1] === '$') {
      depth++;
      i++;
    }
    const ctx = this.contexts[this.contexts.length - 1 - depth];
    if (!ctx) {
      this.error(
        `\`${text}': context stack is ${this.contexts.length === 0 ? 'empty' : 'only ' + this.contexts.length + ' level' + (this.contexts.length === 1 ? '' : 's') + ' deep'}`,
      );
      return null;
    }
    return `..@${ctx.number}.${text.slice(i + 1)}`;
  }

  // -------------------------------------------------------------------------
  // Single-line macros
  // -------------------------------------------------------------------------

  private addSmacro(m: SMacro): void {
    const map = m.casesense ? this.smacros : this.ismacros;
    const key = m.casesense ? m.name : m.name.toLowerCase();
    const list = map.get(key);
    if (list) list.push(m);
    else map.set(key, [m]);
  }

  /** Removes definitions of `name` (all, or those taking `nparams` parameters). */
  private removeSmacros(name: string, nparams: number | null, casesense: boolean): void {
    const matches = (m: SMacro): boolean => nparams === null || (m.params ? m.params.length : 0) === nparams;
    const exact = this.smacros.get(name);
    if (exact) {
      const left = exact.filter((m) => !matches(m));
      if (left.length) this.smacros.set(name, left);
      else this.smacros.delete(name);
    }
    const lower = name.toLowerCase();
    const ins = this.ismacros.get(lower);
    if (ins) {
      const left = ins.filter((m) => !matches(m) || (casesense && m.name !== name && false));
      if (left.length) this.ismacros.set(lower, left);
      else this.ismacros.delete(lower);
    }
  }

  private findSmacros(name: string): SMacro[] | undefined {
    const exact = this.smacros.get(name);
    const ins = this.ismacros.get(name.toLowerCase());
    if (exact && ins) return [...exact, ...ins];
    return exact ?? ins;
  }

  /** Expands single-line macros in a line (splice and rescan), then applies `%+` pasting. */
  expandSmacros(input: Tok[]): Tok[] {
    if (!this.mightExpand(input)) return input;
    let toks = input.slice();
    let pasted = true;
    for (let round = 0; pasted && round < 100; round++) {
      toks = this.expandOnce(toks);
      pasted = false;
      if (toks.some((t) => t.k === K.PASTE)) {
        toks = pasteTokens(toks);
        pasted = true;
      }
    }
    return toks;
  }

  /** Cheap pre-check: does any token name a macro or need special handling? */
  private mightExpand(toks: Tok[]): boolean {
    for (const t of toks) {
      switch (t.k) {
        case K.ID:
          if (this.smacros.has(t.s) || (this.ismacros.size > 0 && this.ismacros.has(t.s.toLowerCase()))) return true;
          break;
        case K.CTX:
        case K.INDIRECT:
        case K.ENV:
        case K.PPID:
        case K.PASTE:
          return true;
        default:
      }
    }
    return false;
  }

  private expandOnce(toks: Tok[]): Tok[] {
    let i = 0;
    while (i < toks.length) {
      const t = toks[i]!;
      if (t.k === K.ID || t.k === K.CTX) {
        const replaced = this.tryExpandAt(toks, i);
        if (replaced) continue;
        if (t.k === K.CTX) {
          const key = this.ctxKey(t.s);
          toks[i] = { k: K.ID, s: key ?? t.s };
        }
        i++;
        continue;
      }
      if (t.k === K.INDIRECT) {
        const inner = this.expandSmacros(tokenize(t.s));
        const name = detokenize(trimWs(inner)).replace(/\s+/g, '');
        spliceTokens(
          toks,
          i,
          1,
          tokenize(name).map((x) => ({ ...x, hide: t.hide })),
        );
        continue;
      }
      if (t.k === K.ENV) {
        const raw = t.s.slice(2);
        const nm = raw.startsWith('"') || raw.startsWith("'") ? unquote(raw) : raw;
        const val = this.env[nm];
        if (val === undefined) this.warning(`nonexistent environment variable \`${nm}'`, 'pp-environment');
        spliceTokens(toks, i, 1, tokenize(val ?? ''));
        i++;
        continue;
      }
      if (t.k === K.PPID && t.s.length > 1 && !this.options.noDirectives) {
        const fn = this.tryFunction(toks, i);
        if (fn) continue;
      }
      i++;
    }
    return toks;
  }

  /** Expands the macro named by toks[i] in place; false if it is not a macro use. */
  private tryExpandAt(toks: Tok[], i: number): boolean {
    const t = toks[i]!;
    let key = t.k === K.CTX ? this.ctxKey(t.s) : t.s;
    if (key === null) return false;
    let defs = this.findSmacros(key);
    if (!defs) return false;
    if (!this.aliasesOn && defs.some((d) => d.alias !== undefined)) return false;
    // Follow %defalias chains.
    for (let hops = 0; defs && defs.length === 1 && defs[0]!.alias !== undefined && hops < 32; hops++) {
      key = defs[0]!.alias!;
      defs = this.findSmacros(key);
      if (!defs) {
        toks[i] = { k: K.ID, s: key, hide: t.hide };
        return false;
      }
    }
    if (!defs) return false;
    const hide = t.hide;
    const candidates = defs.filter((d) => !hide || !hide.includes(d));
    if (candidates.length === 0) return false;
    // Arguments?
    const j = skipWs(toks, i + 1);
    let args: Tok[][] | null = null;
    let rawArgs: Tok[][] = [];
    let end = i + 1;
    if (toks[j]?.k === K.OP && toks[j].s === '(' && candidates.some((d) => d.params)) {
      const parsed = parseSmacroArgs(toks, j);
      if (parsed) {
        args = parsed.args;
        rawArgs = parsed.raw;
        end = parsed.end;
      }
    }
    let def: SMacro | undefined;
    if (args) {
      def = candidates.find(
        (d) => d.params && (d.params.length === args!.length || (d.greedy && args!.length >= d.params.length)),
      );
      if (!def && args.length === 1 && args[0]!.length === 0)
        def = candidates.find((d) => d.params && d.params.length === 0);
    }
    if (!def) {
      // A bare name with definitions of both kinds (after nasm's "defined both with and without
      // parameters" error) is left alone, as nasm leaves it.
      const mixed = !args && candidates.some((d) => d.params) && candidates.some((d) => !d.params);
      def = mixed ? undefined : candidates.find((d) => !d.params);
      if (!def && args) {
        const n = args.length;
        this.warning(
          `single-line macro \`${t.s}' exists, but not taking ${n} parameter${n === 1 ? '' : 's'}`,
          'pp-macro-params-single',
        );
      }
      args = null;
      end = i + 1;
    }
    if (!def) return false;
    if (++this.expansionCount > SMACRO_EXPANSION_LIMIT) {
      this.error('maximum single-line macro expansion limit exceeded');
      this.expansionCount = -Infinity;
      return false;
    }
    j;
    const newHide = hide ? [...hide, def] : [def];
    let body: Tok[];
    if (def.dynamic) body = def.dynamic();
    else if (def.params && args) {
      const params = def.params;
      const flags = def.flags;
      if (flags) args = args.map((a, k) => (flags[Math.min(k, flags.length - 1)]!.raw ? (rawArgs[k] ?? a) : a));
      if (def.greedy && args.length > params.length) {
        // The greedy parameter takes the rest of the arguments as written, commas and spacing included.
        const head = args.slice(0, params.length - 1);
        const tail: Tok[] = [];
        rawArgs.slice(params.length - 1).forEach((a, k) => {
          if (k > 0) tail.push({ k: K.OP, s: ',' });
          for (const x of a) tail.push(x);
        });
        args = [...head, trimWs(tail)];
      }
      if (flags) args = args.map((a, k) => (flags[k] ? this.applyParamFlags(a, flags[k], k, def.name) : a));
      body = [];
      for (const b of def.body) {
        const pi = b.k === K.ID ? params.indexOf(b.s) : -1;
        if (pi >= 0) for (const x of args[pi]!) body.push(x);
        else body.push({ k: b.k, s: b.s, hide: newHide });
      }
      if (!this.countExpansion(body)) return false;
      spliceTokens(toks, i, end - i, body);
      return true;
    } else {
      body = def.body;
    }
    // Count before copying: a runaway body must fail cheaply.
    if (!this.countExpansion(body)) return false;
    const out: Tok[] = [];
    for (const b of body) {
      if (b.k === K.QQ) out.push({ k: K.ID, s: b.s === '%??' ? def.name : t.s, hide: newHide });
      else out.push({ k: b.k, s: b.s, hide: newHide });
    }
    spliceTokens(toks, i, end - i, out);
    return true;
  }

  /**
   * nasm stops a line's single-line macro expansion once it has produced more
   * than 10,000,000 tokens ("interminable macro recursion"; white space not
   * counted, measured with a doubling %xdefine): the guard against runaway
   * growth that would otherwise exhaust memory. Our threshold is lower
   * (MACRO_TOKEN_LIMIT), the message the same.
   */
  private countExpansion(body: readonly Tok[]): boolean {
    if (this.lineExpansionTokens < 0) return false;
    for (const t of body) if (t.k !== K.WS) this.lineExpansionTokens++;
    if (this.lineExpansionTokens <= MACRO_TOKEN_LIMIT) return true;
    this.lineExpansionTokens = -1;
    this.error('interminable macro recursion');
    return false;
  }

  /** Preprocessor functions: %eval(), %str(), %strlen(), %num(), %count() … */
  private tryFunction(toks: Tok[], i: number): boolean {
    const name = toks[i]!.s.slice(1).toLowerCase();
    // nasm 2.16.01 has no %depend() or %pathsearch() functions (measured: they stay as written).
    const FUNCS = ['eval', 'str', 'strcat', 'strlen', 'tok', 'num', 'abs', 'cond', 'sel', 'count', 'isdef', 'substr'];
    if (!FUNCS.includes(name)) return false;
    const open = toks[i + 1];
    if (!open || open.k !== K.OP || open.s !== '(') return false;
    const parsed = parseSmacroArgs(toks, i + 1);
    if (!parsed) return false;
    const args = parsed.args.map((a) => trimWs(this.expandSmacros(a)));
    const num = (a: Tok[] | undefined): bigint | null => (a ? this.evalExpr(a, name) : null);
    let result: Tok[] = [];
    switch (name) {
      case 'eval': {
        result = [];
        args.forEach((a, k) => {
          const v = num(a);
          if (k > 0) result.push({ k: K.OP, s: ',' });
          result.push({ k: K.NUM, s: v === null ? '0' : v.toString() });
        });
        break;
      }
      case 'str':
        result = [
          {
            k: K.STR,
            s: quoteString(detokenize(collapseWs(trimWs(this.expandSmacros(toks.slice(i + 2, parsed.end - 1)))))),
          },
        ];
        break;
      case 'strcat':
        result = [
          { k: K.STR, s: quoteString(args.map((a) => (a[0]?.k === K.STR ? unquote(a[0].s) : detokenize(a))).join('')) },
        ];
        break;
      case 'strlen':
        result = [{ k: K.NUM, s: String(args[0]?.[0]?.k === K.STR ? unquote(args[0][0].s).length : 0) }];
        break;
      case 'tok':
        result = args[0]?.[0]?.k === K.STR ? trimWs(tokenize(unquote(args[0][0].s))) : [];
        break;
      case 'num': {
        const v = num(args[0]);
        result = [{ k: K.STR, s: quoteString(v === null ? '0' : v.toString()) }];
        break;
      }
      case 'abs': {
        const v = num(args[0]);
        result = [{ k: K.NUM, s: (v === null ? 0n : v < 0n ? -v : v).toString() }];
        break;
      }
      case 'cond': {
        const v = num(args[0]);
        result = (v !== null && v !== 0n ? args[1] : args[2]) ?? [];
        break;
      }
      case 'sel': {
        const v = num(args[0]);
        result = v !== null && v > 0n ? (args[Number(v)] ?? []) : [];
        break;
      }
      case 'count':
        result = [{ k: K.NUM, s: String(args.length === 1 && args[0]!.length === 0 ? 0 : args.length) }];
        break;
      case 'isdef': {
        const t = args[0]?.[0];
        result = [{ k: K.NUM, s: t && this.findSmacros(t.s) ? '1' : '0' }];
        break;
      }
      default:
        return false;
    }
    spliceTokens(toks, i, parsed.end - i, result);
    return true;
  }

  // -------------------------------------------------------------------------
  // Multi-line macros
  // -------------------------------------------------------------------------

  private findMmacros(name: string): MMacro[] | undefined {
    const exact = this.mmacros.get(name);
    const ins = this.immacros.get(name.toLowerCase());
    if (exact && ins) return [...exact, ...ins];
    return exact ?? ins;
  }

  private *tryMultiLineMacro(toks: Tok[], raw: SrcLine): Generator<OutputLine, boolean> {
    let i = skipWs(toks, 0);
    let t = toks[i];
    if (!t || t.k !== K.ID) return false;
    let cands = this.findMmacros(t.s);
    let label: Tok[] | null = null;
    if (!cands) {
      // `label: macro args` / `label macro args`
      let j = i + 1;
      if (toks[j]?.k === K.OP && toks[j]!.s === ':') j++;
      j = skipWs(toks, j);
      const u = toks[j];
      if (!u || u.k !== K.ID || j === i + 1) return false;
      cands = this.findMmacros(u.s);
      if (!cands) return false;
      label = toks.slice(i, j);
      i = j;
      t = u;
    }
    const rest = trimWs(toks.slice(i + 1));
    const args = rest.length === 0 ? [] : splitTopLevel(rest, true).map((a) => trimWs(a));
    const n = args.length;
    const usable = cands.filter((m) => !(m.inProgress > 0 && !m.recursive));
    const mac = usable.find((m) => n >= m.min && (n <= m.max || m.greedy));
    if (!mac) {
      if (usable.length > 0) {
        this.warning(
          `multi-line macro \`${t.s}' exists, but not taking ${n} parameter${n === 1 ? '' : 's'}`,
          'pp-macro-params-multi',
        );
      }
      return false;
    }
    raw;
    let params = args;
    if (mac.greedy && n > mac.max) {
      // The greedy last parameter takes the rest of the line, commas included.
      params = args.slice(0, mac.max - 1);
      const restStart = nthTopLevelComma(rest, mac.max - 1);
      params.push(trimWs(rest.slice(restStart)));
    }
    // %0 as nasm counts it: the parameters given, or up to the last default when fewer were given.
    const nparams = Math.max(params.length, Math.min(mac.max, mac.min + mac.defaults.length));
    const full: Tok[][] = params.slice();
    for (let k = params.length; k < nparams; k++) {
      const d = mac.defaults[k - mac.min];
      full.push(d ?? []);
    }
    if (this.frames.filter((f) => f.kind === 'macro').length >= this.macroLevelLimit) {
      // nasm reports it and then passes the line through unexpanded.
      this.error('interminable multiline macro recursion');
      return false;
    }
    if (this.options.onSourceLine && this.setupDepth === 0) {
      // For `-Lm`: the call with its parameters as the macro receives them (defaults included).
      // nasm counts the parameters given, or up to the last default when fewer were given.
      const count = Math.min(full.length, Math.max(params.length, mac.min + mac.defaults.length));
      const shown = full
        .slice(0, count)
        .map((param) => `{${detokenize(trimWs(param))}}`)
        .join(',');
      this.options.onSourceLine({
        text: ` ;;; [macro] ${mac.name}${shown ? ' ' + shown : ''}`,
        file: this.currentWhere.file,
        line: this.currentWhere.line,
        level: this.frames.length - 1,
        kind: 'macro-call',
        listed: this.frames[this.frames.length - 1]!.listed,
      });
    }
    if (label && !mac.usesLabel) {
      const hasColon = label.some((x) => x.k === K.OP && x.s === ':');
      const labelText = detokenize(hasColon ? label : [...label, { k: K.OP, s: ':' }]);
      // nasm lists the label it splits off the call as a line of the expansion.
      this.options.onSourceLine?.({
        text: labelText,
        file: this.currentWhere.file,
        line: this.currentWhere.line,
        level: this.frames.length,
        kind: 'generated',
        listed: this.frames[this.frames.length - 1]!.listed && !mac.nolist,
      });
      yield this.makeOutput(labelText);
    }
    const parent = this.frames[this.frames.length - 1]!;
    const invokeWhere = this.currentWhere;
    mac.inProgress++;
    const frame: MacroFrame = {
      kind: 'macro',
      mac,
      invokedAs: t.s,
      params: full,
      nparams,
      rotate: 0,
      unique: this.unique++,
      label: label ? label.filter((x) => x.k === K.ID) : null,
      invokeWhere,
      index: 0,
      conds: [],
      reportAt: parent.reportAt ?? invokeWhere,
      nolistWhere: parent.nolistWhere ?? (mac.nolist ? invokeWhere : undefined),
      macroDepth: parent.macroDepth + 1,
      listed: parent.listed && !mac.nolist,
    };
    this.frames.push(frame);
    return true;
  }

  private nearestMacroFrame(): MacroFrame | null {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'macro') return f;
      if (f.kind === 'file') return null;
    }
    return null;
  }

  /**
   * Replaces %1, %{1:2}, %0, %00, %%local, %? in a macro body line. A
   * substituted value glues onto a touching identifier or number (`%1_x`,
   * `j%+1`), as nasm pastes ID+ID, ID+NUM and NUM+NUM after substitution.
   */
  private substituteParams(toks: Tok[], mf: MacroFrame): Tok[] {
    const n = mf.nparams;
    const param = (k: number): Tok[] => {
      if (k < 1 || k > n) return [];
      const idx = (k - 1 + mf.rotate) % n;
      return mf.params[idx] ?? [];
    };
    const out: Tok[] = [];
    /** Indexes in `out` where a substituted value starts or ends (candidate paste points). */
    const seams = new Set<number>();
    const put = (list: Tok[]): void => {
      seams.add(out.length);
      for (const t of list) out.push(t.hide ? { k: t.k, s: t.s } : t);
      seams.add(out.length);
    };
    for (const t of toks) {
      switch (t.k) {
        case K.PARAM: {
          let spec = t.s.slice(1);
          if (spec.startsWith('{')) spec = spec.slice(1, -1);
          if (spec === '00') {
            put(mf.label ? mf.label.slice() : []);
            break;
          }
          const range = /^(-?\d+):(-?\d+)$/.exec(spec);
          if (range) {
            const norm = (v: number): number => (v < 0 ? n + v + 1 : v);
            const a = norm(Number(range[1]));
            const b = norm(Number(range[2]));
            const list: Tok[] = [];
            const add = (k: number): void => {
              if (list.length) list.push({ k: K.OP, s: ',' });
              for (const x of param(k)) list.push(x);
            };
            if (a <= b) for (let k = a; k <= b; k++) add(k);
            else for (let k = a; k >= b; k--) add(k);
            put(list);
            break;
          }
          const m = /^([+-]?)(\d+)$/.exec(spec);
          if (!m) {
            out.push(t);
            break;
          }
          const k = Number(m[2]);
          if (k === 0 && m[1] === '') {
            put([{ k: K.NUM, s: String(n) }]);
            break;
          }
          const value = param(k);
          if (m[1] === '') {
            put(value);
          } else {
            const cc = detokenize(value).toLowerCase();
            if (!CONDITION_CODES.includes(cc)) {
              this.error(`macro parameter ${k} is not a condition code`);
              put(value);
            } else put([{ k: K.ID, s: m[1] === '-' ? (INVERSE_CC[cc] ?? cc) : detokenize(value) }]);
          }
          break;
        }
        case K.LOCAL:
          put([{ k: K.ID, s: `..@${mf.unique}.${t.s.slice(2)}` }]);
          break;
        case K.QQ:
          put([{ k: K.ID, s: t.s === '%??' ? mf.mac.name : mf.invokedAs }]);
          break;
        case K.INDIRECT: {
          // `%[%%i]`, `%[%1]`: the parameters inside the brackets are substituted too.
          const inner = tokenize(t.s);
          out.push(
            needsParamSubstitution(inner)
              ? { k: K.INDIRECT, s: detokenize(this.substituteParams(inner, mf)), hide: t.hide }
              : t,
          );
          break;
        }
        default:
          out.push(t);
      }
    }
    // Paste at seams: ID+ID, ID+NUM, NUM+NUM.
    const result: Tok[] = [];
    for (let i = 0; i < out.length; i++) {
      const t = out[i]!;
      const prev = result[result.length - 1];
      if (prev && seams.has(i) && canPaste(prev, t)) {
        result[result.length - 1] = { k: prev.k, s: prev.s + t.s };
        continue;
      }
      result.push(t);
    }
    return result;
  }
}

/** Adjacent white space (left by macros that expand to nothing) prints as one space. */
function collapseWs(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (const t of toks) {
    if (t.k === K.WS && out.length > 0 && out[out.length - 1]!.k === K.WS) continue;
    out.push(t);
  }
  return out;
}

function canPaste(a: Tok, b: Tok): boolean {
  if (a.k === K.ID) return b.k === K.ID || b.k === K.NUM;
  if (a.k === K.NUM) return b.k === K.NUM || b.k === K.ID;
  return false;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** `toks.splice(at, remove, ...insert)` without spreading: long expansions would overflow the call stack. */
function spliceTokens(toks: Tok[], at: number, remove: number, insert: readonly Tok[]): void {
  if (insert.length < 10000) {
    toks.splice(at, remove, ...insert);
    return;
  }
  const tail = toks.slice(at + remove);
  toks.length = at;
  for (const t of insert) toks.push(t);
  for (const t of tail) toks.push(t);
}

function stripHide(t: Tok): Tok {
  return t.hide ? { k: t.k, s: t.s } : t;
}

function needsParamSubstitution(toks: Tok[]): boolean {
  for (const t of toks)
    if (t.k === K.PARAM || t.k === K.LOCAL || t.k === K.QQ || (t.k === K.INDIRECT && t.s.includes('%'))) return true;
  return false;
}

function findLastIndex<T>(list: T[], pred: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) return i;
  return -1;
}

/** Parses `N`, `N-M`, `N-*`, `N+`, `.nolist` from a %macro line (no white space tokens). */
function parseParamSpec(
  toks: Tok[],
): { min: number; max: number; greedy: boolean; nolist: boolean; consumed: number } | null {
  let i = 0;
  const first = toks[i];
  if (!first || first.k !== K.NUM || !/^\d+$/.test(first.s)) return null;
  const min = Number(first.s);
  let max = min;
  i++;
  if (toks[i]?.k === K.OP && toks[i]!.s === '-') {
    const t = toks[i + 1];
    if (t?.k === K.OP && t.s === '*') {
      max = Infinity;
      i += 2;
    } else if (t?.k === K.NUM && /^\d+$/.test(t.s)) {
      max = Number(t.s);
      i += 2;
    }
  }
  let greedy = false;
  if (toks[i]?.k === K.OP && toks[i]!.s === '+') {
    greedy = true;
    i++;
  }
  let nolist = false;
  if (toks[i]?.k === K.ID && toks[i]!.s.toLowerCase() === '.nolist') {
    nolist = true;
    i++;
  }
  return { min, max, greedy, nolist, consumed: i };
}

/** Splits at top-level commas; braces `{…}` group (and are removed when they wrap a whole argument). */
function splitTopLevel(toks: Tok[], braces: boolean): Tok[][] {
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.k === K.OP) {
      if (braces && t.s === '{') depth++;
      else if (braces && t.s === '}') depth--;
      else if (t.s === ',' && depth === 0) {
        out.push(unbrace(cur));
        cur = [];
        continue;
      }
    }
    cur.push(t);
  }
  out.push(unbrace(cur));
  return out;
}

function unbrace(toks: Tok[]): Tok[] {
  const t = trimWs(toks);
  if (
    t.length >= 2 &&
    t[0]!.k === K.OP &&
    t[0]!.s === '{' &&
    t[t.length - 1]!.k === K.OP &&
    t[t.length - 1]!.s === '}'
  ) {
    // Only when the braces match each other.
    let depth = 0;
    for (let i = 0; i < t.length; i++) {
      if (t[i]!.k === K.OP && t[i]!.s === '{') depth++;
      else if (t[i]!.k === K.OP && t[i]!.s === '}') {
        depth--;
        if (depth === 0 && i < t.length - 1) return toks;
      }
    }
    return t.slice(1, -1);
  }
  return toks;
}

/** Index just after the n-th top-level comma. */
function nthTopLevelComma(toks: Tok[], n: number): number {
  if (n <= 0) return 0;
  let depth = 0;
  let seen = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k !== K.OP) continue;
    if (t.s === '{') depth++;
    else if (t.s === '}') depth--;
    else if (t.s === ',' && depth === 0 && ++seen === n) return i + 1;
  }
  return toks.length;
}

/** Parses `( a, b )` starting at the `(`; nasm strips the first argument's leading space and every argument's trailing space. */
function parseSmacroArgs(toks: Tok[], open: number): { args: Tok[][]; raw: Tok[][]; end: number } | null {
  const args: Tok[][] = [];
  /** The same arguments as written: braces and white space kept (for `!x` parameters). */
  const raw: Tok[][] = [];
  let rawCur: Tok[] = [];
  let cur: Tok[] = [];
  let paren = 0;
  let brace = 0;
  let strippedBrace = false;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i]!;
    const atSeparator = t.k === K.OP && brace === 0 && paren === 0 && (t.s === ')' || t.s === ',');
    if (atSeparator) {
      raw.push(rawCur);
      rawCur = [];
    } else rawCur.push(t);
    if (t.k === K.OP) {
      if (t.s === '{') {
        brace++;
        if (brace === 1 && trimWs(cur).length === 0) {
          strippedBrace = true;
          cur = [];
          continue;
        }
      } else if (t.s === '}') {
        brace--;
        if (brace === 0 && strippedBrace) {
          // Only the brace that opened the argument goes; one inside it (`r({1,2})`) stays.
          strippedBrace = false;
          continue;
        }
      } else if (brace === 0) {
        if (t.s === '(') paren++;
        else if (t.s === ')') {
          if (paren === 0) {
            args.push(trimEnd(cur));
            args[0] = trimStart(args[0]!);
            return { args, raw, end: i + 1 };
          }
          paren--;
        } else if (t.s === ',' && paren === 0) {
          // nasm moves white space before a comma to the start of the next
          // argument and drops the white space after the comma.
          const carried = cur.length > 0 && cur[cur.length - 1]!.k === K.WS;
          args.push(trimEnd(cur));
          cur = carried ? [WS_TOKEN] : [];
          while (toks[i + 1]?.k === K.WS) rawCur.push(toks[++i]!);
          continue;
        }
      }
    }
    cur.push(t);
  }
  return null;
}

function trimEnd(toks: Tok[]): Tok[] {
  let b = toks.length;
  while (b > 0 && toks[b - 1]!.k === K.WS) b--;
  return toks.slice(0, b);
}
function trimStart(toks: Tok[]): Tok[] {
  let a = 0;
  while (a < toks.length && toks[a]!.k === K.WS) a++;
  return toks.slice(a);
}

/** Joins tokens around `%+` (white space around it is dropped) and re-tokenizes the pasted text. */
function pasteTokens(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.k !== K.PASTE) {
      out.push(t);
      continue;
    }
    while (out.length && out[out.length - 1]!.k === K.WS) out.pop();
    let j = i + 1;
    while (j < toks.length && toks[j]!.k === K.WS) j++;
    const left = out.pop();
    const right = toks[j];
    if (!left || !right || right.k === K.PASTE) {
      if (left) out.push(left);
      i = j - 1;
      continue;
    }
    const merged = tokenize(left.s + right.s);
    out.push(...merged);
    i = j;
  }
  return out;
}

/** Text for comparing %ifidn arguments: tokens without white space. */
function comparable(toks: Tok[], fold: boolean): string {
  const parts = toks.filter((t) => t.k !== K.WS).map((t) => (t.k === K.STR ? 'S' + unquote(t.s) : 'T' + t.s));
  const s = parts.join('\u0000');
  return fold ? s.toLowerCase() : s;
}

/** File name of an %include-like directive: a string, `<name>`, or bare text. */
function includeName(toks: Tok[]): string | null {
  if (toks.length === 0) return null;
  if (toks.length === 1 && toks[0]!.k === K.STR) return unquote(toks[0]!.s);
  const text = detokenize(toks);
  if (text.startsWith('<') && text.endsWith('>')) return text.slice(1, -1);
  return text;
}

/** Splits source text into logical lines: `\` at the end of a line joins it with the next. */
export function* logicalLines(source: string): Generator<{ text: string; line: number }> {
  const physical = source.split('\n');
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop();
  for (let i = 0; i < physical.length; i++) {
    const firstLine = i + 1;
    let text = physical[i]!.endsWith('\r') ? physical[i]!.slice(0, -1) : physical[i]!;
    while (text.endsWith('\\') && i + 1 < physical.length) {
      i++;
      const next = physical[i]!.endsWith('\r') ? physical[i]!.slice(0, -1) : physical[i]!;
      text = text.slice(0, -1) + next;
    }
    yield { text, line: firstLine };
  }
}

export { WS_TOKEN };
