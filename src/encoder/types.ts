/**
 * The contract between the assembler core and the instruction encoder.
 *
 * The core evaluates every operand expression (with the symbol values NASM's
 * pass rules give at this point) and hands the encoder an InstructionRequest.
 * The encoder picks the table row NASM would pick and returns the bytes plus
 * the fixups it could not resolve itself. The same call is used while sizing
 * (passes) and when emitting (final pass), so size and bytes never disagree.
 */
import type { Value } from '../core/value.js';
import type { Register } from './registers.js';

/** Operand size in bytes as written with a size keyword (byte=1 … tword=10, oword=16, yword=32, zword=64). */
export type OperandSize = 1 | 2 | 4 | 6 | 8 | 10 | 16 | 32 | 64;

/**
 * AVX-512 operand decorators as written after an operand: `{k1}`…`{k7}`,
 * `{z}`, `{1toN}`, and the rounding/SAE operand (`,{rn-sae}`), which NASM
 * attaches to the operand written before it.
 */
export interface Decorators {
  /** Opmask register number 1…7 (`{k0}` is not a decorator), or 0. */
  mask: number;
  zero: boolean;
  /**
   * Broadcast, as NASM keeps it: the OR of the codes log2(N)-1 of every
   * `{1toN}` written (so `{1to16}{1to8}` reads as 1to16), or -1 for none.
   */
  broadcast: number;
  /** `{rn-sae}` `{rd-sae}` `{ru-sae}` `{rz-sae}` (the last one written wins) or `{sae}`. */
  rounding: 'rn' | 'rd' | 'ru' | 'rz' | 'sae' | null;
  /**
   * Both `{sae}` and a rounding mode were written (`,{sae},{rn-sae}`): nasm refuses that on every
   * row ("unsupported mode decorator for instruction", measured). Absent = false.
   */
  mixedRounding?: boolean;
  /** A register group's size (`zmm4+3`: 4, `k2+1`: 2); absent for a plain operand. */
  registerSet?: number;
}

export interface RegisterOperand {
  kind: 'reg';
  reg: Register;
  /** Size keyword written before the register (`dword eax`), or null. */
  size: OperandSize | null;
  /** (Added by the encoder owner.) Written with the `to` keyword (`fadd to st1`). Optional; absent = false. */
  to?: boolean;
  /** AVX-512 decorators (absent = none). */
  decorators?: Decorators;
}

export interface ImmediateOperand {
  kind: 'imm';
  value: Value;
  /** Size keyword (`byte 5`, `dword label`), or null. */
  size: OperandSize | null;
  /** `strict`: do not optimise the size away from what was written. */
  strict: boolean;
  /** `short` / `near` / `far` written before a jump target. */
  distance: 'short' | 'near' | 'far' | null;
  /** For `jmp seg:off` / `call seg:off`: the segment part (value is then the offset). */
  farSegment: Value | null;
  /** True when the operand came from the `to` keyword form (`fadd to st1`). */
  to: boolean;
  /** AVX-512 decorators (absent = none; NASM refuses any on an immediate). */
  decorators?: Decorators;
}

export interface MemoryOperand {
  kind: 'mem';
  /** Size keyword outside the brackets (`dword [x]`), or null. */
  size: OperandSize | null;
  strict: boolean;
  /** Segment override written as `es:[...]` or `[es:...]`, or null. */
  segment: Register | null;
  /**
   * Registers in the address with their summed coefficients, in order of first
   * appearance: `[ebx+esi*4]` gives [{ebx,1},{esi,4}], `[eax*3]` gives [{eax,3}].
   * The encoder chooses base/index/scale from these (including NASM's splitting
   * of `eax*3` into `eax+eax*2` and its base/index swaps).
   */
  registers: Array<{
    reg: Register;
    scale: number;
    /**
     * (Added by the encoder owner.) True when this register was written
     * multiplied (`ebx*1`): NASM then prefers the other register as the base,
     * so `[ebx*1+eax]` encodes base eax, index ebx. Optional; absent = false.
     */
    multiplied?: boolean;
    /** Written alone at least once (`[edx+edx]`): `nosplit` then does not keep `edx*2` whole. Optional. */
    bare?: boolean;
    /**
     * (Added by the encoder owner.) True for the register written after the
     * comma of MPX's split notation `[base+disp,index]` (`bndldx bnd0,[eax+4,ebx]`):
     * it is always the SIB index, even alone. Optional; absent = false.
     */
    index?: boolean;
  }>;
  /** The non-register part of the address. */
  displacement: Value;
  /** True if the address has any non-register term at all (`[ebx+0]` counts). */
  hasDisplacement: boolean;
  /** Size keyword inside the brackets for the displacement (`[byte ebx+1]`, `[dword ebx+1]`), or null. */
  displacementSize: 1 | 2 | 4 | 8 | null;
  /** `nosplit` written inside the brackets. */
  nosplit: boolean;
  /** `rel` / `abs` inside the brackets: one, or both (`abs` decides; see RelativeWords). */
  relative: 'rel' | 'abs' | 'abs+rel' | null;
  /**
   * (Added by the encoder owner.) `far` / `near` written before a memory
   * operand (`jmp far [x]`, `call far [bx]`): selects the indirect far forms.
   * Optional; absent = null.
   */
  distance?: 'short' | 'near' | 'far' | null;
  /** AVX-512 decorators (absent = none). */
  decorators?: Decorators;
}

export type Operand = RegisterOperand | ImmediateOperand | MemoryOperand;

export interface InstructionRequest {
  /** Mnemonic, lower case (`mov`, `jnz`, `rep` is a prefix, not a mnemonic). */
  mnemonic: string;
  /** Prefixes in source order, lower case: `lock`, `rep`, `repe`, `repz`, `repne`, `repnz`, `o16`, `o32`, `a16`, `a32`, `wait`, `cs`…`gs`, … */
  prefixes: string[];
  operands: Operand[];
}

/** Optimisation level as set by -O0, -O1 and -Ox (NASM's default is -Ox). */
export type OptimizeLevel = 0 | 1 | 2;

export interface EncodeContext {
  bits: 16 | 32 | 64;
  /** Segment id of the section being assembled into. */
  segment: number;
  /** Offset of the start of this instruction within its section. */
  offset: bigint;
  optimize: OptimizeLevel;
  /** Current `cpu` level name, lower case (`8086`, `386`, `686`, `all`, …). */
  cpu: string;
  /** `default rel` / `default abs` (64-bit only). */
  defaultRel: boolean;
  /** `default bnd`: near branches (rows flagged `bnd`) take F2 unless written `nobnd`. */
  defaultBnd?: boolean;
}

/** Bytes the encoder could not finish: the core resolves them or turns them into relocations. */
export interface Fixup {
  /** Offset of the field within the instruction's bytes. */
  at: number;
  /** Field size in bytes. */
  size: 1 | 2 | 4 | 8;
  /** The target value (symbol + addend). */
  value: Value;
  /**
   * True for a PC-relative field: the stored number is the target minus the
   * address of the end of the instruction.
   */
  relative: boolean;
  /** True when the field is signed (for range warnings): disp8, rel8, imm8,s. */
  signed: boolean;
}

/**
 * When nasm's final pass reports an encoder warning. That pass works each instruction out
 * twice, once for its size and once to write it (measured: which warnings come twice, in what
 * order): 'size' once while sizing (prefix checks; the default), 'write' once while writing
 * (immediate ranges), 'address' in both (the effective address is rebuilt each time),
 * 'segment' in both (last of the sizing ones, first of the writing ones), 'displacement'
 * twice in a row while writing.
 */
/** When nasm finds a warning: 'parse' as its parser reads the line (first, in every pass), the rest while sizing or writing. */
export type WarningPhase = 'parse' | 'size' | 'write' | 'address' | 'segment' | 'displacement';

/** A non-fatal diagnostic NASM would give (message, warning class, when). */
export interface EncodeWarning {
  message: string;
  warningClass: string;
  /** Absent = 'size'. */
  phase?: WarningPhase;
}

export interface EncodeSuccess {
  ok: true;
  /** Complete bytes; fixup fields hold zero (or the known part) until patched. */
  bytes: Uint8Array;
  fixups: Fixup[];
  /** Non-fatal diagnostics NASM would give, in the order the encoder found them. */
  warnings: EncodeWarning[];
  /**
   * (Added by the encoder owner.) An error NASM reports only in the final pass
   * (e.g. `short jump is out of range`): the bytes are valid for sizing, but if
   * this is the emitting pass the core must report this error on the line.
   */
  finalPassError?: string;
}

export interface EncodeFailure {
  ok: false;
  /** NASM's message, e.g. `invalid combination of opcode and operands`. */
  error: string;
  /**
   * When set, the messages NASM prints next for the same line (none when empty), errors and the
   * warnings found between them, in its order (an a64 prefix outside BITS 64: "impossible
   * combination of address sizes", then "64-bit addressing is only supported in 64-bit mode").
   */
  followUps?: readonly (string | EncodeWarning)[];
  /** Warnings nasm's parser gave the line before the failure (redundant prefixes), to print before `error`. */
  warnings?: readonly EncodeWarning[];
  /**
   * The length nasm still gives the line in the pass that reports these errors, when they leave
   * the instruction whole (an address-size clash, a `{vex2}` it cannot honour: its `-Lp` listing
   * shows `<len N>`).
   */
  length?: number;
}

export type EncodeResult = EncodeSuccess | EncodeFailure;
