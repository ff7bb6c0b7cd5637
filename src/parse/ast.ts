/**
 * The parsed form of a source line ("statement"): what the parser hands to the
 * assembler core. Expressions stay trees here; the core evaluates them in every
 * pass with the symbol values NASM's pass rules give.
 */
import type { SourceLocation } from '../core/diagnostics.js';
import type { Expr as CoreExpr } from '../core/expressions.js';
import type { Register } from '../encoder/registers.js';
import type { Decorators, OperandSize } from '../encoder/types.js';

export type { BinaryOperator, UnaryOperator } from '../core/expressions.js';

/** An expression as parsed: register leaves hold the encoder's Register. */
export type Expr = CoreExpr<Register>;

export interface RegisterOperandAst {
  kind: 'reg';
  reg: Register;
  size: OperandSize | null;
  /** Written with `to` (`fadd to st1`). */
  to: boolean;
  /** `near`/`short`/`far` written before the register (absent = none): nasm's misuse messages. */
  distance?: 'short' | 'near' | 'far';
  /** AVX-512 decorators written after the register (absent = none). */
  decorators?: Decorators;
}

export interface ImmediateOperandAst {
  kind: 'imm';
  expr: Expr;
  size: OperandSize | null;
  strict: boolean;
  distance: 'short' | 'near' | 'far' | null;
  /** `seg:off` far pointer: this is the segment part, `expr` the offset. */
  farSegment: Expr | null;
  to: boolean;
  /** Two different distances written (`short near x`): nasm's "mismatch in operand sizes". */
  distanceConflict?: true;
  /** `far` among two different distances (`far near x`): a FAR written, whichever came last. */
  farWritten?: true;
  /** Decorators written after an immediate (absent = none; the encoder refuses them). */
  decorators?: Decorators;
}

/**
 * `rel` / `abs` written in an address: one of them, or both (`[abs rel x]`, in either order). With
 * both, `abs` decides the address and `rel` still gives its warning on registers (measured on
 * nasm 2.16.01: `[rel abs x]` and `[abs rel x]` are absolute; `[abs rel ebx]` warns).
 */
export type RelativeWords = 'rel' | 'abs' | 'abs+rel';

/** The `rel`/`abs` words of an address after one more: both once they differ. */
export function withRelativeWord(before: RelativeWords | null, word: 'rel' | 'abs'): RelativeWords {
  return before === null || before === word ? word : 'abs+rel';
}

export interface MemoryOperandAst {
  kind: 'mem';
  size: OperandSize | null;
  strict: boolean;
  segment: Register | null;
  /** The address expression, registers included (split by the core). */
  address: Expr | null;
  /** MPX's `[base+disp, index]`: the expression after the comma, whose register is always the index. */
  splitIndex?: Expr | null;
  displacementSize: 1 | 2 | 4 | 8 | null;
  nosplit: boolean;
  relative: RelativeWords | null;
  /** `a16` / `a32` / `a64` inside the brackets (`[a32 foo]`): the instruction's address size, as its prefix would. */
  addressSize?: 16 | 32 | 64;
  /** `far` / `near` written before the brackets (`jmp far [x]`). */
  distance: 'short' | 'near' | 'far' | null;
  /** Two different distances written (`near far [x]`): nasm's "mismatch in operand sizes". */
  distanceConflict?: true;
  /** `far` among two different distances (`far near [x]`): a FAR written, whichever came last. */
  farWritten?: true;
  /** AVX-512 decorators written after the brackets (absent = none). */
  decorators?: Decorators;
  /**
   * The segment register was written before the brackets or without them (`es:[ebx]`, `es:5`):
   * memory to most instructions, a far pointer with a register for JMP/CALL (nasm refuses it).
   */
  segmentOutside?: true;
  /** No brackets at all (`es:5`, `es:ebx+5`): JMP/CALL read the address as a far pointer's offset. */
  unbracketed?: true;
}

export type OperandAst = RegisterOperandAst | ImmediateOperandAst | MemoryOperandAst;

/** The sizes a data unit can have: `db` … `dz`, or a size keyword inside a data list. */
export type DataUnit = 1 | 2 | 4 | 8 | 10 | 16 | 32 | 64;

/**
 * One item of a `db`/`dw`/… list. `unit` is the element size a size keyword gave it (`dw byte
 * (1, ?)`, nasm 2.16); absent, the item has the directive's size.
 */
export type DataItem = (
  | { kind: 'expr'; expr: Expr }
  | { kind: 'string'; bytes: Uint8Array }
  /** A floating-point constant, kept as text: its bytes depend on the unit size. */
  | { kind: 'float'; text: string; negative: boolean }
  /** `?`, `count` of them in a row: uninitialised (zero in output), one reservation for nasm. */
  | { kind: 'uninit'; count: number }
  /** `COUNT dup (…)` whose count names symbols: expanded by the assembler in each pass. */
  | { kind: 'dup'; count: Expr; items: DataItem[] }
) & { unit?: DataUnit };

/** The element size of a data item on a line of `unit`-sized data. */
export function itemUnit(item: DataItem, unit: DataUnit): DataUnit {
  return item.unit ?? unit;
}

export type StatementBody =
  | { kind: 'empty' }
  | { kind: 'instruction'; mnemonic: string; prefixes: string[]; operands: OperandAst[] }
  | { kind: 'data'; unitSize: DataUnit; items: DataItem[] }
  /**
   * `operandErrors`: nasm's operand check refuses the count (`resb byte 1`), in the last pass,
   * with these messages (`resb ebx+2`: the group size, then the combination).
   */
  | { kind: 'reserve'; unitSize: DataUnit; count: Expr; operandErrors?: readonly string[] }
  | { kind: 'incbin'; file: string; offset: Expr | null; length: Expr | null }
  | {
      kind: 'equ';
      value: Expr;
      /** nasm's final-pass error for an operand keyword it took the value with (`x equ byte 1`). */
      finalPassError?: string;
      /**
       * Behind TIMES or a prefix (`x: times 2 equ 5`, `x: o16 equ 5`): nasm defines the label at `$`
       * first, then the EQU (so "inconsistently redefined" unless the value is that address).
       */
      labelFirst?: true;
    }
  /**
   * An EQU nasm's assembler refuses in pass 1, once per TIMES copy, with `message`: "EQU not
   * preceded by label" (it reads the `operands` first: their errors stand), or "bad syntax for
   * EQU" for a labelled one behind TIMES (`x: times 3 equ 5, 6`: three).
   */
  | { kind: 'equ-refused'; operands: OperandAst[]; message: string }
  /**
   * `overridden`: the counts of TIMES prefixes written before this one (`times 2 times 3 nop`):
   * nasm checks each as it reads it, and repeats by the last one only.
   */
  | { kind: 'times'; count: Expr; body: StatementBody; overridden?: readonly Expr[] }
  | SmartalignFill
  /**
   * An assembler directive (section, bits, global, …): `args` is the raw argument text (for listings),
   * `arguments` what the parser made of it. `bracketed`: written as `[name args]` (nasm words some
   * errors differently for the bare form).
   */
  | {
      kind: 'directive';
      name: string;
      args: string;
      arguments: DirectiveArguments;
      bracketed?: boolean;
      /** The name as written, when not in lower case (nasm's "unrecognized directive [FOO]" quotes it). */
      spelled?: string;
    };

/**
 * `align` under `%use smartalign` (src/preprocess/smartalign.ts): pad to `alignment` with the
 * group NOP repeated and one shorter NOP, or jump over plain NOPs when the pad is above
 * `threshold` (-1: never). The bytes depend on `$`, so the assembler chooses them in each pass.
 */
export interface SmartalignFill {
  kind: 'smartalign';
  alignment: Expr;
  /** As `alignmode` was given it: nasm compares it in the preprocessor, which refuses what is no number. */
  threshold: Expr;
  /** The code size the NOPs were chosen for (the near jump's size). */
  bits: 16 | 32 | 64;
  /** How long the NOP repeated for long pads is. */
  group: number;
  /** `nops[k - 1]` is the k-byte NOP (null: the mode defines none). */
  nops: ReadonlyArray<Uint8Array | null>;
}

/** `section name attr attr=value …`: the name (unquoted) and its attribute words. */
export interface SectionDirective {
  name: string;
  /** Attribute words and `key=value` pairs after the name: key lowercased, `text` the word as written (for messages). */
  attributes: Array<{ key: string; value: string | null; text: string }>;
}

/** One name of `global`/`static`/`extern`, with elf32's `:function`/`:data` type and size expression. */
export type SymbolVisibility = 'default' | 'internal' | 'hidden' | 'protected';

export interface SymbolDeclaration {
  name: string;
  /**
   * The text after the colon with runs of blanks made one and the end trimmed, as nasm compares a
   * repeated declaration's (null: no colon, or nothing after it).
   */
  special: string | null;
  type: 'function' | 'object' | null;
  visibility: SymbolVisibility | null;
  /** ELF binding words: `weak` (true) or `strong` (false); null when neither was written. */
  weak: boolean | null;
  /** An unknown first word was taken as the type: nasm then insists on a size expression. */
  sizeRequired: boolean;
  /** The size expression after the type, as written (null when there is none). */
  sizeText: string | null;
  /** `sizeText` parsed (null when it is no valid expression). */
  size: Expr | null;
  /** The expression in which nasm finds the name it reports when the size has an undefined symbol (readSpecial). */
  sizeReport: Expr | null;
}

/** `common name size:align type visibility` (ELF). */
export interface CommonDeclaration {
  name: string;
  size: string;
  align: string | null;
  type: 'function' | 'object' | null;
  visibility: SymbolVisibility | null;
  weak: boolean | null;
  /** The symbol size written after the type words (st_size in place of the common's size), as for `global`. */
  sizeText: string | null;
  symbolSize: Expr | null;
  sizeReport: Expr | null;
  /** The text after the colon, trimmed (`8 object`): a repeated declaration must repeat it. */
  special: string | null;
}

/**
 * A directive's arguments as its own little syntax reads them. `expr` is null
 * when the text is no valid expression (the assembler reports it, in pass 1).
 */
export type DirectiveArguments =
  | { kind: 'section'; section: SectionDirective | null }
  /** `bits N`, `use16` …: null for a size other than 16, 32 or 64. */
  | { kind: 'bits'; bits: 16 | 32 | 64 | null }
  | { kind: 'symbols'; symbols: SymbolDeclaration[]; syntaxError?: string }
  /** `common name size[:align]` (null when the text has no name and size). */
  | { kind: 'common'; common: CommonDeclaration | null; hasColon: boolean }
  /** `org`, `absolute`, `sectalign`, `align`, `alignb` (the alignment: the text before any comma). */
  | { kind: 'expression'; expr: Expr | null; syntaxError?: string }
  /** `[warning ±class]`, `[warning push]`: the argument as one word (white space collapsed). */
  | { kind: 'words'; words: string[] }
  /** `cpu`, `default` and the directives with nothing to read: the trimmed text. */
  | { kind: 'text'; text: string };

export interface Statement {
  /** Label defined at the start of the line (already qualified: `.x` → `main.x`), or null. */
  label: string | null;
  body: StatementBody;
  location: SourceLocation;
  /** Index of the preprocessed line this came from (for listings). */
  lineIndex: number;
  /** Warnings the parser found (`ptr`, `label-orphan`), reported by the assembler's first pass under `[warning]`. */
  warnings?: ReadonlyArray<{ message: string; warningClass: string; ofLabel?: true }>;
}
