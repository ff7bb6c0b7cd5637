/**
 * The preprocessor's line loop: pulls logical lines from the stack of input
 * frames (files, macro calls, %rep bodies), hands directive lines to their
 * handlers (directives/), expands the rest (expand.ts, mmacro-call.ts) and
 * yields the lines the assembler sees.
 *
 * Design notes:
 * - Lines are handled as lists of the preprocessor's own small tokens
 *   (tokenize.ts). Multi-line macro parameters are substituted textually and
 *   the line is re-tokenized, which gives NASM's implicit pasting
 *   (`%1_suffix`, `foo%1`) for free.
 * - Single-line macros expand by splicing and rescanning; every token made by
 *   an expansion carries the set of macros it came from ("hide set") so a
 *   macro never expands inside itself, which keeps expansion finite.
 */
import { FatalError } from '../core/diagnostics.js';
import { conditionFunctions } from './directives/conditionals.js';
import { collectDefinitionLine } from './directives/multiline.js';
import { DIRECTIVES, droppedWithoutDirectives } from './directives/index.js';
import type { Directive } from './directives/types.js';
import { includeFile } from './directives/include.js';
import { lineDirectiveAtOnce, lineMarker, noteWarningDirective } from './directives/messages.js';
import { expandSmacros, resolveIndirections } from './expand.js';
import { hasTouchingTokens, startMultiLineMacro, substituteEnvironment, substituteParams } from './mmacro-call.js';
import type { FileFrame, Frame, OutputLine, SrcLine } from './model.js';
import { definePredefined } from './predefined.js';
import { fileEndWhere, makeFileFrame, nextRawLine } from './reader.js';
import { type ConditionFunction, PreprocessorState } from './state.js';
import { collapseWs, needsParamSubstitution } from './toklist.js';
import { K, type Tok, WS_TOKEN, detokenize, isTerminatedString, parameterName, skipWs, tokenize } from './tokenize.js';
import type { PreprocessOptions } from './types.js';

export type { OutputLine, Where } from './model.js';
export { logicalLines } from './reader.js';

export class Preprocessor extends PreprocessorState {
  constructor(
    private readonly source: string,
    options: PreprocessOptions,
  ) {
    super(options);
    // With -a nasm defines no macros at all, not even __?FILE?__.
    if (!options.noDirectives) definePredefined(this);
  }

  /** Runs macro-package text through the directive engine; it must not produce lines. */
  conditionFunction(name: string): ConditionFunction | undefined {
    return conditionFunctions.get(name);
  }

  runSetupText(text: string, name: string): void {
    const frame = makeFileFrame(name, text);
    const base = this.frames.length;
    this.frames.push(frame);
    // Macro-package lines are not source lines: the listing never shows them.
    this.setupDepth++;
    try {
      const lines = this.run(base);
      while (!lines.next().done) {
        // Macro-package text defines macros; it makes no lines.
      }
    } finally {
      this.setupDepth--;
    }
  }

  *lines(): Generator<OutputLine> {
    const main = makeFileFrame(this.options.fileName, this.source);
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
        includeFile(this, p.name, false);
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
      const raw = nextRawLine(frame);
      if (!raw) {
        this.endFrame(frame);
        continue;
      }
      this.currentFrame = frame;
      // A body line is kept by its macro anyway, so it serves as its own location.
      this.currentWhere = frame.nolistWhere ?? (frame.kind === 'file' ? { file: raw.file, line: raw.line } : raw);
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
      if (frame.kind === 'rep' && frame.exiting && !this.isConditionalLine(raw)) continue;
      const out = this.processLine(raw, frame);
      if (out !== null) yield out;
    }
  }

  private endFrame(frame: Frame): void {
    if (frame.kind === 'file') {
      const eofWhere = fileEndWhere(frame);
      // Said at the file's end, not from inside the macro whose expansion its last line was.
      this.currentFrame = frame;
      // A definition begun in an included file may end in the file that included it (nasm checks
      // only at the end of the main file).
      if (this.defining.length > 0 && this.frames.length === 1) {
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
      const open = this.defining[0];
      if (open?.kind === 'rep' && open.openedIn === frame) {
        // Reported at the line that called the macro, without the chain of definitions.
        const at = frame.reportAt ?? this.currentWhere;
        this.options.diagnostics.fatal(`\`%rep' without \`%endrep' within expansion of macro \`${frame.mac.name}'`, {
          file: at.file,
          line: at.line,
        });
      }
      frame.mac.inProgress--;
    }
    this.frames.pop();
  }

  /** Handles one line read from `frame`: the line it gives the assembler, or null. */
  private processLine(raw: SrcLine, frame: Frame): OutputLine | null {
    this.lineExpansionTokens = 0;
    this.expansionCount = 0;
    let toks: Tok[];
    let hasParams: boolean;
    if (frame.kind === 'file') {
      // A line in a branch not taken that cannot be a directive is dropped without reading it
      // (most of a file under `%if 0` or `%ifdef OTHER_ARCH`): see below, and `#` line markers.
      if (this.defining.length === 0 && cannotBeDirective(raw.text) && !this.isEmitting(frame)) return null;
      toks = tokenize(raw.text);
      // `# 42 "file"` renumbers as it is read: inside %if 0 and macro bodies too (measured). A bad
      // one is an error where lines are read (a %macro or %rep body being collected too), not in a
      // branch not taken.
      if (raw.text.startsWith('#')) {
        const read = this.defining.length > 0 || this.isEmitting(frame);
        if (read || /^#\s*\d/.test(raw.text)) lineMarker(this, toks.slice(1), frame);
        return null;
      }
      hasParams = needsParamSubstitution(toks);
      if (this.defining.length > 0 || this.isEmitting(frame)) this.warnOpenConstructs(toks);
    } else {
      toks = bodyLineTokens(raw);
      hasParams = raw.hasParams === true;
    }
    // nasm runs %line the moment it reads it: in a branch not taken, in a %macro or %rep body
    // being collected (whose lines then keep the new numbers), ignored inside an expansion.
    const lead = toks[skipWs(toks, 0)];
    // Looked up once: the directive below is this one unless substitution changed the line's head.
    const leadWord = lead?.k === K.PPID ? directiveWord(lead.s) : null;
    if (leadWord?.name === 'line' && this.options.noDirectives !== true) {
      const report = this.defining.length > 0 || this.isEmitting(frame);
      lineDirectiveAtOnce(this, toks.slice(toks.indexOf(lead!) + 1), frame, report);
      return null;
    }
    // While collecting a %macro or %rep body, lines are stored untouched.
    if (this.defining.length > 0) {
      collectDefinitionLine(this, raw, leadWord?.name ?? '');
      return null;
    }
    let first = skipWs(toks, 0);
    // A line in a branch not taken is dropped unread unless it is a directive: as in nasm,
    // its macro parameters are not substituted (`j%+1` there is no error).
    if (toks[first]?.k !== K.PPID && !this.isEmitting(frame)) return null;
    if (hasParams) {
      const mf = frame.kind !== 'file' ? this.nearestMacroFrame() : null;
      const emitting = this.isEmitting(frame);
      if (mf) toks = substituteParams(this, toks, mf, emitting);
      else if (emitting) {
        if (frame.kind !== 'file') toks = substituteEnvironment(this, toks);
        toks = this.dropMacroOnlyTokens(toks);
      }
      first = skipWs(toks, 0);
    }
    // nasm expands a line's `%[…]` pieces before anything else reads it: a directive's arguments
    // (`%define Z %[Y]` keeps Y's value of now) and the arguments of the macros on the line
    // (`%sel(3, %[list])` picks from the list's items; FFmpeg's x86inc PIC_FREE, measured).
    if (this.isEmitting(frame)) {
      const resolved = resolveIndirections(this, toks);
      if (resolved !== toks) {
        toks = resolved;
        first = skipWs(toks, 0);
      }
    }
    // Substitution keeps a `%word` at the head, so a line without one here is being emitted (checked above).
    const head = toks[first];
    if (head?.k === K.PPID) {
      const word = head === lead && leadWord !== null ? leadWord : directiveWord(head.s);
      const done = this.runDirective(word, toks.slice(first + 1), frame);
      if (done === true) return null;
      if (done) return done;
    }
    if (head?.s === '[') noteWarningDirective(this, toks);
    return this.expandAndEmit(toks);
  }

  /**
   * After %exitrep nasm still runs the %if family in the rest of the repetition (a %if there
   * opens, an %endif closes one of the file's), and nothing else.
   */
  private isConditionalLine(raw: SrcLine): boolean {
    const toks = bodyLineTokens(raw);
    const lead = toks[skipWs(toks, 0)];
    return lead?.k === K.PPID && directiveWord(lead.s).directive?.whileSkipping === true;
  }

  /**
   * nasm warns about a string without its closing quote, and a `%{…}` without its `}` or with
   * nothing inside, as it reads a source line (not in a branch not taken).
   */
  private warnOpenConstructs(toks: Tok[]): void {
    for (const t of toks) {
      if (t.k === K.STR && !isTerminatedString(t.s))
        this.warning(`unterminated string (missing \`${t.s[0]!}')`, 'pp-open-string');
      if (t.brace === undefined) continue;
      if (t.brace !== 'empty') this.warning("unterminated %{...} construct (missing `}')", 'pp-open-brackets');
      if (t.brace !== 'open') this.warning('empty %{} construct expands to the % operator', 'pp-empty-braces');
    }
  }

  /**
   * Runs the directive `name` if it is one: true when the line is consumed,
   * an output line when the directive produces one (%pragma), false when the
   * line is an ordinary line after all.
   */
  private runDirective(word: DirectiveWord, args: Tok[], frame: Frame): OutputLine | boolean {
    const { name, directive } = word;
    if (this.options.noDirectives) {
      // -a: directives are dropped without effect; only %line still renumbers.
      if (name === 'line') return directive?.run(this, { name, args, frame }) ?? true;
      return droppedWithoutDirectives(name);
    }
    if (directive?.whileSkipping) return directive.run(this, { name, args, frame }) ?? true;
    if (!this.isEmitting(frame)) return true;
    if (!directive) return false;
    return directive.run(this, { name, args, frame }) ?? true;
  }

  /** `%1`, `%%x` outside a macro call: nasm complains and drops them (`%?` stays as it is). */
  private dropMacroOnlyTokens(toks: Tok[]): Tok[] {
    return collapseWs(
      toks.filter((t) => {
        if (t.k !== K.PARAM && t.k !== K.LOCAL) return true;
        this.error(`\`${parameterName(t.s)}': not in a macro call`);
        return false;
      }),
    );
  }

  /** Expands the line's macros: the line to emit, or null when a multi-line macro call consumed it. */
  private expandAndEmit(toks: Tok[]): OutputLine | null {
    const expanded = expandSmacros(this, toks);
    const call = startMultiLineMacro(this, expanded);
    if (call !== false) return call === true ? null : call;
    // A line whose macros all expanded to nothing is one space to nasm (its -E prints ` `).
    // (Parameters substituted side by side can leave two spaces: `    %1` with `{ nop }`.)
    const collapsed = collapseWs(expanded);
    const final = collapsed.length === 0 && toks.length > 0 ? [WS_TOKEN] : collapsed;
    const out = this.makeOutput(detokenize(final));
    // The parser's tokens are made from these (index.ts), not by lexing the text again.
    out.toks = final;
    out.expanded = expanded !== toks || hasTouchingTokens(toks);
    return out;
  }
}

/**
 * Whether a source line surely does not start with a `%` directive or a `#` line marker: its
 * first character other than a space or tab is a printable one that is not `%` (a blank line
 * counts too). Other leading characters go the long way, through the tokenizer.
 */
function cannotBeDirective(text: string): boolean {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i === text.length) return true;
  const c = text.charCodeAt(i);
  return c > 32 && c < 127 && c !== 37 /* % */ && text.charCodeAt(0) !== 35; /* # */
}

/** A `%word` that starts a line: its directive name (lower case, without `%`) and the directive, if it is one. */
interface DirectiveWord {
  name: string;
  directive: Directive | undefined;
}

/** Directive words by spelling, each lower-cased and looked up once. */
const DIRECTIVE_WORDS = new Map<string, DirectiveWord>();

function directiveWord(word: string): DirectiveWord {
  let entry = DIRECTIVE_WORDS.get(word);
  if (entry === undefined) {
    const name = word.slice(1).toLowerCase();
    entry = { name, directive: DIRECTIVES.get(name) };
    // Bounded: a source full of distinct `%words` must not grow it without end.
    if (DIRECTIVE_WORDS.size < 4096) DIRECTIVE_WORDS.set(word, entry);
  }
  return entry;
}

/** Macro and %rep bodies run again and again: their lines are tokenized once. */
function bodyLineTokens(raw: SrcLine): Tok[] {
  if (raw.toks === undefined) {
    raw.toks = tokenize(raw.text);
    raw.hasParams = needsParamSubstitution(raw.toks) || raw.toks.some((t) => t.k === K.ENV);
  }
  return raw.toks;
}
