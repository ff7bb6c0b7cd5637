/**
 * What the assembler remembers about each statement from one pass to the next (its last sizing
 * decision, bytes saved for the final pass, its label's symbol), kept as columns indexed by the
 * statement's number rather than as an object per statement.
 *
 * Why columns: a million-line source has a million memos alive for the whole run. As objects
 * they took 128 bytes each (13 fields and a header); as typed-array columns and a few arrays of
 * references they take about 60, which is most of the distance to the benchmark's memory target
 * (issue 14). They are also read in order by the layout model, which suits columns.
 */
import type { MemoryOperand } from '../encoder/types.js';
import type { SymbolEntry } from './symbols.js';

/**
 * How a statement's size can react to layout, for branch relaxation:
 * FIXED never changes; JUMP is a span-dependent jump (short or near by the
 * distance to a label); UNSAFE is anything else that depends on layout
 * (`align`, `times $-...`, immediates computed from label differences), which
 * makes the assembler keep to plain passes.
 */
export const enum LayoutDependence {
  Fixed,
  Jump,
  /** Size is a function of the statement's own offset only (`align` is `times (16-($-$$)%16)%16 nop`). */
  PositionDependent,
  Unsafe,
}

/**
 * A same-section branch's sizes at a short and a long distance (-1: no such form), probed once
 * (objects shared by all branches of one shape); for a JUMP, also the label it jumps to.
 */
export interface BranchMemo {
  readonly short: number;
  readonly near: number;
  /** Set when the statement's layout is LayoutDependence.Jump: the target is `target + addend`. */
  readonly target?: string;
  readonly addend?: number;
}

/**
 * Bytes with no fields, warnings, errors or unknown values depend only on the
 * operand values (the memo key, relative to the instruction's own address) and
 * on this mode: the encoder reads the position only to resolve values against
 * the current section. One object per run of statements in the same mode.
 */
export interface EncodingMode {
  bits: number;
  cpu: string;
  defaultRel: boolean;
  /** `default bnd` / `default nobnd`: near branches take the BND prefix unless written `nobnd`. */
  defaultBnd: boolean;
  segment: number;
}

/** A memory operand's registers, as the encoder gets them. */
export type AddressRegisters = MemoryOperand['registers'];

/**
 * An encoding whose fields are the only thing that changes with the values: its bytes, and for
 * each field the operand value that fills it (operand index, which value). The final pass writes
 * the bytes and the fields with this pass's values instead of encoding again.
 */
export interface EncodingTemplate {
  bytes: Uint8Array;
  fields: Array<{
    at: number;
    size: 1 | 2 | 4 | 8;
    relative: boolean;
    signed: boolean;
    operand: number;
    slot: 0 | 1;
    /** What the memo key does not hold about the value (wrt, seg, scaled, complex: see valueShape). */
    shape: string;
  }>;
  mode: EncodingMode;
  /** Per operand, its address registers in order (null for other operands; see addressRegisters in instructions.ts). */
  registers: Array<AddressRegisters | null>;
}

/** A yes/no worked out on first need: UNKNOWN until then. */
export const enum Lazy {
  Unknown = -1,
  No = 0,
  Yes = 1,
}

/** The memo key of an instruction: its operand values relative to its own address (instructions.ts memoKey). */
export type MemoKey = Array<number | string>;

/** The per-statement memos; statement i's are element i of every column. */
export class SizeMemos {
  /** How many statements have memos. */
  length = 0;
  /** The size for good (-1: recomputed each pass). */
  fixedSize = new Float64Array(0);
  /** The size in the last pass that computed one. */
  lastSize = new Float64Array(0);
  /** A LayoutDependence. */
  layout = new Uint8Array(0);
  /**
   * Bytes saved from an earlier pass for the final pass: where they are in
   * `AssemblyContext.savedBytes` (-1: none), how many, and the mode they were made in (savedMode).
   * Valid for `lastKey`; for an instruction whose operands hold no symbol or `$`, whatever the key.
   */
  savedAt = new Float64Array(0);
  savedLength = new Int32Array(0);
  /** Whether an instruction's operands hold symbols or `$` (a Lazy). */
  operandsMove = new Int8Array(0);
  /**
   * Whether an instruction's operands hold a number that warns when evaluated (`'hello'`, a number
   * over 64 bits): its final pass evaluates them again rather than reuse bytes (a Lazy).
   */
  warningLeaves = new Int8Array(0);
  savedMode: Array<EncodingMode | null> = [];
  /** The operand values seen last time (relative to the statement's own address when in its section). */
  lastKey: Array<MemoKey | null> = [];
  /** The last encoding with fields (valid for `lastKey`), for the final pass to patch (instructions.ts). */
  template: Array<EncodingTemplate | null> = [];
  branch: Array<BranchMemo | null> = [];
  /** The symbol table entry of the statement's label (null until its first definition). */
  label: Array<SymbolEntry | null> = [];

  /** Room for `capacity` statements (the assembler knows how many it was given). */
  constructor(capacity = 0) {
    this.grow(capacity);
  }

  /** Memos for one more statement, number `length`. */
  add(layout: LayoutDependence): void {
    const i = this.length;
    if (i === this.fixedSize.length) this.grow(Math.max(16, 2 * i));
    this.length = i + 1;
    this.label[i] = null;
    this.forget(i, layout);
  }

  /** Forgets what statement i's passes learnt, except its label. */
  forget(i: number, layout: LayoutDependence): void {
    this.fixedSize[i] = -1;
    this.lastSize[i] = 0;
    this.layout[i] = layout;
    this.savedAt[i] = -1;
    this.savedLength[i] = 0;
    this.operandsMove[i] = Lazy.Unknown;
    this.warningLeaves[i] = Lazy.Unknown;
    this.savedMode[i] = null;
    this.lastKey[i] = null;
    this.template[i] = null;
    this.branch[i] = null;
  }

  /** No statements (the next pass reads them anew); the room stays. */
  clear(): void {
    for (let i = 0; i < this.length; i++) {
      this.label[i] = null;
      this.forget(i, LayoutDependence.Fixed);
    }
    this.length = 0;
  }

  // Every column is allocated at its exact capacity (an array grown by push would keep spare room).
  private grow(capacity: number): void {
    this.fixedSize = resized(this.fixedSize, new Float64Array(capacity));
    this.lastSize = resized(this.lastSize, new Float64Array(capacity));
    this.layout = resized(this.layout, new Uint8Array(capacity));
    this.savedAt = resized(this.savedAt, new Float64Array(capacity));
    this.savedLength = resized(this.savedLength, new Int32Array(capacity));
    this.operandsMove = resized(this.operandsMove, new Int8Array(capacity));
    this.warningLeaves = resized(this.warningLeaves, new Int8Array(capacity));
    this.savedMode = resizedReferences(this.savedMode, capacity);
    this.lastKey = resizedReferences(this.lastKey, capacity);
    this.template = resizedReferences(this.template, capacity);
    this.branch = resizedReferences(this.branch, capacity);
    this.label = resizedReferences(this.label, capacity);
  }
}

function resized<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(old: T, room: T): T {
  room.set(old);
  return room;
}

function resizedReferences<T>(old: Array<T | null>, capacity: number): Array<T | null> {
  const room = new Array<T | null>(capacity).fill(null);
  for (let i = 0; i < old.length; i++) room[i] = old[i] ?? null;
  return room;
}
