/**
 * The instruction table: rows written in manual-like notation, parsed once at
 * module load into compact objects and indexed by mnemonic.
 *
 * Row notation (one per line, `;` starts a comment):
 *
 *     MNEMONIC operand,operand | [roles:] code code … | flag,flag
 *
 * Operands (template side):
 *   r8 r16 r32 r64        general register of that size (r64: rax…r15)
 *   rm8 rm16 rm32 rm64    general register or memory of that size
 *   m8 m16 m32 m64 m80 m128   memory of that size
 *   m                     memory written without a size (`lgdt [x]`; a size keyword is a mismatch)
 *   ma                    memory of any size, with or without a keyword (LEA)
 *   moffs8/16/32/64       memory with no registers (the A0-A3 MOV forms; in BITS 64
 *                         only for `[qword x]` or an a32 address, never RIP-relative)
 *   mfar16 mfar32 mfar64  `far [mem]` (indirect far JMP/CALL)
 *   al ax eax rax cl cx ecx rcx dx es cs ss ds fs gs st0 xmm0   that exact register
 *   sreg creg dreg treg fpureg mm xmm    register of that class
 *   X/mN                  register class X or memory of N bits (`xmm/m64`)
 *   X/m                   register class X or memory written without a size (`pshufd x,y/m,imm8`)
 *   imm imm8 imm16 imm32 imm64  immediate (unsized operands match; sized must agree)
 *   =imm8                 immediate written with an explicit `byte`
 *   sbyte16 sbyte32 sbyte64   immediate known to fit a sign-extended byte (-O1+, not `strict`)
 *   sdword udword         64-bit immediate known to fit a sign-/zero-extended dword
 *                         (-Ox only, not `strict`; a forward reference is assumed to fit)
 *   1                     the constant 1 (shift-by-one forms)
 *   rel8                  short branch target (always short: LOOP, JCXZ)
 *   rel8o                 short branch the optimiser may pick (JMP, Jcc)
 *   rel16 rel32 rel64     near branch target (rel64: BITS 64's default size, still a rel32 field)
 *   far16 far32           `seg:offset` immediate far pointer
 *   to:fpureg             x87 register written with `to` (`fadd to st1`)
 *
 * Codes: `o16`/`o32` operand size (0x66 emitted when it differs from BITS;
 * in BITS 64 o32 is the default), `o64` 64-bit operand size (REX.W), `o64nw`
 * 64-bit operand size that is BITS 64's default (no REX.W: PUSH, POP, near
 * branches, MOV to/from control registers), `a16`/`a32`/`a64` address size,
 * hex opcode bytes, `XX+r` (register number added; r8…r15 add REX.B),
 * `/r` (ModR/M reg = the register operand, r/m = the r/m operand), `/rr` (both
 * fields the one register operand: `imul eax,5`), `/0`…`/7`, `iw` `id`
 * `id,s` (a dword sign-extended to 64 bits) `iq` immediates in operand order,
 * and the byte immediates, which differ in the values nasm takes without
 * "byte data exceeds bounds" (measured, fuzz/imm-range-probe.mjs): `ib` a
 * plain byte (-256…255), `ib,s` a sign-extended byte (checked against the
 * operation's size), `ib,u` an unsigned byte (0…255: any negative number
 * warns; INT, IN/OUT, shift counts, BT, SHLD, most SSE rows: BLENDPD, CMPPS,
 * PSLLW…) and `ib,uw` an unsigned byte checked as a plain one (-256…255;
 * PSHUFD/PSHUFW, PCLMULQDQ, AESKEYGENASSIST, SHA1RNDS4, GF2P8AFFINE*,
 * XABORT, HRESET and every VEX/XOP row); both unsigned kinds are also what the
 * disassembler reads as an unsigned byte. Then `rb` `rw` `rd` relative
 * branch fields, `sg` the segment word of a far pointer, `mo` a moffs
 * address-size displacement, `wait` an FWAIT byte before all prefixes. Roles (`mr:`) name which operand is the ModR/M
 * r/m (m), reg (r) or immediate (i); without them, an `rm`/`m` operand is
 * the r/m, a register is the reg field, except: a lone register with `/digit`
 * is the r/m, and of two registers with `/r` the second is the r/m.
 * REX is never written in a row: the encoder derives it (W from `o64` or the
 * `o64` prefix, R/X/B from registers 8…15, a bare REX for spl…dil/r8b…r15b;
 * see rex.ts) and places it after the prefixes and a row's leading 66/F2/F3.
 *
 * Flags: a CPU level (`8086` `186` `286` `386` `486` `586` `p6` …),
 * `sm` (an unsized memory operand takes the size of a sized operand),
 * `ds` (unsized operands only match when the row's operand size is BITS's
 * default), `lock` (LOCK allowed), `jcc` (short by default at -O0),
 * `ni` (NASM's size-matched rows: a size keyword on the immediate, or a
 * wrong memory size, is reported as a mismatch), `rs` (the leading
 * F2/F3 is a REP-slot prefix that a written rep/repne replaces), `long`
 * (64-bit-only form: outside 64-bit mode a match is "instruction not supported
 * in N-bit mode"), `norex` (spl…dil allowed without REX, ah…bh refused),
 * `aprefix` (a16/a32 adds 67h but does not size the address: NASM's ENQCMD),
 * `nolong` (the form does not exist in BITS 64: "instruction not supported in
 * 64-bit mode"), `ng` (the row offers no size to NASM's guess for an unsized
 * memory operand), `ksm` (a size keyword of another size on an opmask operand is a
 * mismatch, not a row that does not apply: the size-less KADD…),
 * `nonear` (`near` on the branch target is a mismatch: JMPE), `noo64` (a written
 * o64 adds no REX.W: NASM's JRCXZ, `o64 jrcxz $` is E3 FE), `rexw` (needs
 * REX.W: "invalid operands in non-64-bit mode" outside BITS 64), `fz` (a
 * `long` row that counts when NASM guesses an unsized memory operand's size),
 * `nat` (an unsized branch target/pointer is allowed at any cpu level),
 * `pre386` (only below `cpu 386`: NASM's Jcc-over-JMP for far conditional jumps),
 * `bnd`/`bndshort` (where the BND prefix is allowed), `hlex`/`hler` (which
 * HLE prefixes the row takes without LOCK), `nohle` (skipped under XACQUIRE/XRELEASE), `osopt` (o16/o32 only below -Ox),
 * `xs`/`nx` (a size keyword on an XMM/MMX register: accepted at the row's size / refused),
 * `pv` (a late VEX form: used only with `{vex}`/`{vex2}`/`{vex3}` written or under `cpu latevex`),
 * `ne` (never encoded: NASM's table has the row, but an earlier one always wins, so only the
 * disassembler reads it: VMOVSS's register form at opcode 11),
 * `nd` (not decoded: the disassembler skips the row — an alias such as `je`
 * for `jz`, or a form ndisasm prints as `db`), `repe` (F3 before it is written
 * `repe`, not `rep`: CMPS/SCAS), `msz`/`mnz` (the disassembler writes / omits
 * the memory operand's size keyword against its rule, as ndisasm does), `np` (the disassembler
 * decodes the form only without F2/F3, and 66 unless it is the form's operand
 * size: NASM's no-SSE-prefix forms), `cyrix`
 * (Cyrix form: decoded over another form of the same bytes only with ndisasm's
 * `-p cyrix`), `wx` (the disassembler decodes nothing when REX.W is present,
 * as ndisasm: PUSHF/POPF), `und` (documentation only).
 *
 * VEX and XOP rows (AVX…, FMA, BMI, XOP, AMX) put one dotted token such as
 * `vex.nds.128.66.0f.wig` before the opcode (documented in vex-spec.ts), may
 * name the vvvv operand `v` and an `/is4` register `s` in their roles, take
 * VSIB memory `vm32x` `vm32y` `vm64x` `vm64y` (an xmm/ymm index), and mark
 * with `*` an operand NASM lets the writer omit, taking the first operand's
 * place (`vaddps xmm1,xmm2` is `vaddps xmm1,xmm1,xmm2`): the table then holds a
 * second, shorter row (not decoded) that encodes through the full one.
 *
 * Every row is complete in itself: nothing after parsing adds flags or
 * changes operands, so what a row says is all the encoder (and the decoder in
 * src/disasm) know about that form. Some groups are written by small
 * generator functions (the ALU eight, Jcc/SETcc/CMOVcc over CONDITIONS, x87
 * arithmetic), each producing complete rows from its arguments.
 *
 * Adding an instruction is one row in the file of its group:
 * table/general.ts (integer core), table/extra.ts (newer general-purpose,
 * system, x87, 3DNow!), table/simd.ts (MMX, SSE…SSE4.2, AES, SHA, GFNI),
 * table/long.ts (BITS 64 forms of instructions whose other rows live elsewhere).
 * Within one mnemonic, order matters (the first matching row wins, as in
 * NASM). test/encoder/table.test.ts parses every row and checks the notation.
 */
import type { RegisterClass } from './registers.js';
import { parseVexSpec, type VexSpec } from './vex-spec.js';
import { vexRows } from './table/vex-rows.js';
import {
  NO_DECORATIONS,
  parseEvexSpec,
  splitDecorations,
  type EvexSpec,
  type OperandDecorations,
} from './evex-spec.js';
import { evexRows } from './table/evex-rows.js';
import { generalRows } from './table/general.js';
import { extraRows } from './table/extra.js';
import { longRows } from './table/long.js';

export type OperandKind = 'reg' | 'rm' | 'mem' | 'imm' | 'rel' | 'far';

export interface TemplateOperand {
  readonly kind: OperandKind;
  /** Register class for reg / rm operands (general registers use gpr8/16/32). */
  readonly regClass: RegisterClass | null;
  /** A specific register number required, or -1. */
  readonly fixedReg: number;
  /** Memory size in bytes for rm/mem (0 = any); immediate/branch size for imm/rel/far (0 = any). */
  readonly size: number;
  readonly moffs: boolean;
  readonly far: boolean;
  /** `ma`: memory of any size, written or not (LEA). Plain `m` takes unsized memory only. */
  readonly anySize: boolean;
  /** `mu8`…`mu64`: memory of that size, unsized memory taken at it (the size-less KMOV's store). */
  readonly unsizedOk: boolean;
  /**
   * `k8`…`k64`, `k8/m8`…: an opmask register whose size keyword, if written, must be this
   * (`kmov k1,word k2` is KMOVW); 0 for plain `k`, which takes no size keyword (nasm: a mismatch).
   */
  readonly kSize: number;
  readonly exact: boolean;
  readonly sbyte: boolean;
  /** `sdword`/`udword`: a 64-bit immediate known to fit a sign-/zero-extended dword (-Ox, not `strict`); '' otherwise. */
  readonly dword: '' | 's' | 'u';
  readonly one: boolean;
  /** rel8 (always short) vs rel8o (optimiser's choice). */
  readonly optimizable: boolean;
  /** Register written with the `to` keyword (`fadd to st1`). */
  readonly to: boolean;
  /** VSIB memory (`vm32x`…): the class of its vector index register; null for ordinary memory. */
  readonly vsib: RegisterClass | null;
  /** `sibmem` (AMX tile loads/stores): unsized memory always encoded with a SIB byte. */
  readonly sib: boolean;
  /**
   * `mib` (MPX BNDLDX/BNDSTX/BNDMK): NASM never splits the address (`[eax*2]` stays index*2, `[eax*1]`
   * is an index); a row's implicit-role register operand (`mr-`) then replaces the index.
   */
  readonly mib: boolean;
  /** AVX-512 decorators the operand takes (`zmm{k}{z}`, `zmm/m512/b32{er}`; see evex-spec.ts). */
  readonly decorations: OperandDecorations;
  /**
   * Role in the encoding: 'r' ModR/M reg or +r, 'm' ModR/M r/m, 'i' immediate/branch, '-' implicit,
   * 'v' VEX/EVEX.vvvv, 's' the register in an `/is4` byte's top nibble.
   */
  role: 'r' | 'm' | 'i' | '-' | 'v' | 's';
}

export const enum CodeOp {
  Byte,
  BytePlusReg,
  ModRmReg,
  ModRmSame,
  ModRmDigit,
  Imm,
  Rel,
  FarSegment,
  Moffs,
  /** `/r0`: a ModR/M byte with mod 11, the register operand in reg and 000 in r/m (TILEZERO). */
  ModRmRegOnly,
  /** `/is4`: a byte holding the `s` operand's register number in bits 7-4. */
  Is4,
}

/** How an immediate field is read: see the `ib` notation above. */
export type ImmediateMode = '' | 's' | 'u' | 'uw';

/** An unsigned byte immediate of either range (`ib,u`, `ib,uw`): to the disassembler they are the same. */
export const isUnsignedImmediate = (code: Code): boolean => code.mode === 'u' || code.mode === 'uw';

export interface Code {
  readonly op: CodeOp;
  /** Byte value, /digit, or field width in bytes. */
  readonly value: number;
  /**
   * For Imm: 's' sign-extended byte, 'u' unsigned byte nasm checks as 0…255, 'uw' unsigned byte
   * nasm checks as a plain one (-256…255), '' plain.
   */
  readonly mode: ImmediateMode;
}

export interface Row {
  readonly mnemonic: string;
  readonly operands: readonly TemplateOperand[];
  readonly codes: readonly Code[];
  /** 16, 32 or 64 when the row has o16/o32/o64/o64nw, else 0. */
  readonly opSize: 0 | 16 | 32 | 64;
  /** `o64nw`: 64-bit operand size that is the default in BITS 64 (no REX.W: PUSH, POP, near branches). */
  readonly noRexW: boolean;
  /** 16, 32 or 64 when the row has a16/a32/a64, else 0. */
  readonly addrSize: 0 | 16 | 32 | 64;
  /** `nolong`: the form does not exist in 64-bit mode ("instruction not supported in 64-bit mode"). */
  readonly noLong: boolean;
  /** `ng`: the row offers no size to NASM's guess for an unsized memory operand (`movd mm0,[rax]` is the dword form in BITS 64 too). */
  readonly noGuess: boolean;
  /** `ksm`: an opmask operand's size keyword of another size than the row's is a mismatch (else the row does not apply). */
  readonly kSizeMismatch: boolean;
  readonly cpu: number;
  readonly sm: boolean;
  readonly ds: boolean;
  readonly lock: boolean;
  readonly jcc: boolean;
  /** `ni`: an immediate written with a size keyword is a size mismatch (NASM's size-matched rows: `pshufd x,y,byte 1`). */
  readonly noSizedImm: boolean;
  /** `inz`: ndisasm writes the immediate without its size (`psraw xmm3,0x23`) on a row that takes a sized one; display only. */
  readonly immediateUnsized: boolean;
  /** `rs`: the row's leading F2/F3 byte sits in the REP slot, so a written rep/repne prefix replaces it. */
  readonly repSlot: boolean;
  /** `long`: the form exists only in 64-bit mode; matching it elsewhere is "instruction not supported in N-bit mode". */
  readonly long: boolean;
  /**
   * `aprefix`: the row's a16/a32 only adds the 67h prefix; the address is still
   * encoded at its own size (measured on ENQCMD, whose rows are a16 in NASM
   * 2.16.01: `enqcmd eax,[0x10]` in BITS 32 is 67 F2 0F 38 F8 05 10 00 00 00).
   */
  readonly addrPrefixOnly: boolean;
  /**
   * `nat`: NASM's natural-size branch form: written without a size keyword
   * (`jmp x`, `call [x]`, `jmp 1:2`) it is allowed at every cpu level, the
   * row's level applying only to an explicit size or a register.
   */
  readonly naturalSize: boolean;
  /** `pre386`: used only when the `cpu` level is below the 386 (NASM's Jcc-over-JMP). */
  readonly pre386: boolean;
  /** `bnd`: a near branch that takes the BND prefix (elsewhere it is an error, as in NASM). */
  readonly bnd: boolean;
  /** `bndshort`: JMP's short form: BND written with `short` is an error, on an optimiser-chosen short jump it is dropped with a warning. */
  readonly bndShort: boolean;
  /** HLE: `hlex` takes XACQUIRE/XRELEASE without LOCK (XCHG), `hler` takes XRELEASE only (MOV to memory); other `lock` rows need LOCK. */
  readonly hle: '' | 'x' | 'r';
  /** `nohle`: the row is skipped when XACQUIRE or XRELEASE is written (NASM's moffs stores: `xrelease mov [m], eax` takes 89). */
  readonly noHle: boolean;
  /** Size keyword on a plain XMM register: `xs` accepts the row's own size, `nx` refuses any (NASM's per-row sizing). */
  readonly regSize: '' | 'xs' | 'nx';
  /** `osopt`: the row's o16/o32 applies only at -O0/-O1 (NASM's MOV sreg,reg). */
  readonly osBelowOx: boolean;
  /** `fz`: a `long` row that still counts in NASM's one-size-fits rule outside BITS 64 (PTWRITE rm64). */
  readonly fuzzyLong: boolean;
  /** `rexw`: a form that needs REX.W but is not flagged 64-bit-only in NASM: "invalid operands in non-64-bit mode" (MOVBE m64,r64). */
  readonly rexW: boolean;
  /**
   * `noo64`: a written o64 prefix adds no REX.W, and is accepted outside BITS 64 (NASM's JRCXZ:
   * `o64 jrcxz $` is E3 FE, `o64 loop $,rcx` is 48 E2 FD; the MMX/3DNow! arithmetic rows:
   * `o64 paddb mm1,mm2` is 0F FC CA in every mode; RDPID/UMONITOR/BNDCL… r64).
   */
  readonly o64Ignored: boolean;
  /** `nonear`: the `near` keyword is a size mismatch on this branch row (JMPE, XBEGIN). */
  readonly noNear: boolean;
  /** `norex`: REX-only byte registers (spl…dil) encode as 4…7 without REX, and ah…bh are refused (PINSRB). */
  readonly noRex: boolean;
  /** False for `nd` rows: the disassembler does not produce them (aliases, forms ndisasm prints as `db`). */
  readonly disassemble: boolean;
  /** `repe`: an F3 prefix is written `repe` when disassembled (CMPS/SCAS). */
  readonly repE: boolean;
  /** `msz`/`mnz`: ndisasm writes / omits the memory operand's size keyword, where src/disasm's rule does not say (display only). */
  readonly memSize: '' | 'show' | 'hide';
  /** `cyrix`: a Cyrix-only form; the disassembler prefers it over a form sharing its bytes only with `-p cyrix`. */
  readonly cyrix: boolean;
  /**
   * `np`: NASM's "no SSE prefix" form: ndisasm does not decode it behind an
   * F2/F3, nor behind a 66h the form does not take as its operand size (`F3 0F
   * AE 00` is `rep` and then `fxsave [eax]`). Display only; SIMD forms whose
   * bytes are another form behind 66/F2/F3 are found without the flag (src/disasm/patterns.ts).
   */
  readonly noSsePrefix: boolean;
  /** `wx`: with REX.W the bytes decode to nothing, as in ndisasm (PUSHF/POPF); display only. */
  readonly rexWInvalid: boolean;
  /**
   * `pv`: a late VEX form NASM uses only when `{vex}` (`{vex2}`, `{vex3}`) is written or under
   * `cpu latevex` (AVX-IFMA, AVX-NE-CONVERT, AVX-VNNI-INT8; cpu.ts); otherwise: "instruction not
   * encodable without explicit prefix".
   */
  readonly explicitVex: boolean;
  /** `wait` code: an FWAIT (9B) goes before every prefix (`fstsw`, `finit`…). */
  readonly wait: boolean;
  /** `vex.…`/`xop.…`: the row is VEX- or XOP-encoded (see vex-spec.ts); null for legacy rows. */
  readonly vex: VexSpec | null;
  /**
   * The row written with a `*` operand, when this row is its shorter form: the
   * encoder puts a copy of the first operand at `omitted` and encodes `full`.
   */
  readonly full: Row | null;
  readonly omitted: number;
  /** `evex.…`: the row is EVEX-encoded (see evex-spec.ts); null for other rows. */
  readonly evex: EvexSpec | null;
  /** Index of the operand playing each role (-1 if none). */
  readonly regIndex: number;
  readonly rmIndex: number;
  /** VEX.vvvv and `/is4` operands (-1 if none). */
  readonly vvvvIndex: number;
  readonly is4Index: number;
  /** The source text of the row, for diagnostics and tests. */
  readonly source: string;
}

/**
 * CPU levels, in NASM's order. The row flags use these names; some (`core2`,
 * `haswell`, `future`…) exist only for the table, the `cpu` directive accepts
 * the names in NASM_CPU_NAMES.
 */
export const CPU_LEVELS: Readonly<Record<string, number>> = {
  '8086': 0,
  '186': 1,
  '286': 2,
  '386': 3,
  '486': 4,
  '586': 5,
  pentium: 5,
  '686': 6,
  p6: 6,
  ppro: 6,
  p2: 6,
  p3: 7,
  katmai: 7,
  p4: 8,
  willamette: 8,
  prescott: 9,
  x64: 10,
  x86_64: 10,
  core2: 11,
  penryn: 12,
  nehalem: 13,
  westmere: 14,
  sandybridge: 15,
  ivybridge: 16,
  haswell: 17,
  broadwell: 18,
  skylake: 19,
  cannonlake: 20,
  icelake: 21,
  tigerlake: 22,
  future: 30,
  latest: 30,
  all: 30,
  default: 30,
  ia64: 30,
};

/**
 * The names NASM 2.16.01's `cpu` directive accepts (measured), with the level
 * each selects. `ivybridge`, `ia64` and `any` enable everything, like `all`.
 */
export const NASM_CPU_NAMES: Readonly<Record<string, number>> = {
  '8086': 0,
  '186': 1,
  '286': 2,
  '386': 3,
  '486': 4,
  '586': 5,
  pentium: 5,
  '686': 6,
  p6: 6,
  ppro: 6,
  pentiumpro: 6,
  p2: 6,
  p3: 7,
  katmai: 7,
  p4: 8,
  willamette: 8,
  prescott: 9,
  x64: 10,
  'x86-64': 10,
  nehalem: 13,
  westmere: 14,
  sandybridge: 15,
  ivybridge: 30,
  ia64: 30,
  'ia-64': 30,
  itanium: 30,
  all: 30,
  default: 30,
  any: 30,
};

const GPR_BY_SIZE: Record<number, RegisterClass> = { 1: 'gpr8', 2: 'gpr16', 4: 'gpr32', 8: 'gpr64' };
const FIXED: Record<string, [RegisterClass, number]> = {
  al: ['gpr8', 0],
  cl: ['gpr8', 1],
  dl: ['gpr8', 2],
  ax: ['gpr16', 0],
  cx: ['gpr16', 1],
  dx: ['gpr16', 2],
  eax: ['gpr32', 0],
  ecx: ['gpr32', 1],
  edx: ['gpr32', 2],
  rax: ['gpr64', 0],
  rcx: ['gpr64', 1],
  es: ['sreg', 0],
  cs: ['sreg', 1],
  ss: ['sreg', 2],
  ds: ['sreg', 3],
  fs: ['sreg', 4],
  gs: ['sreg', 5],
  st0: ['fpu', 0],
  xmm0: ['xmm', 0],
};
const REG_CLASS_TOKENS: Record<string, [RegisterClass, number]> = {
  r8: ['gpr8', 1],
  r16: ['gpr16', 2],
  r32: ['gpr32', 4],
  r64: ['gpr64', 8],
  sreg: ['sreg', 2],
  creg: ['creg', 4],
  dreg: ['dreg', 4],
  treg: ['treg', 4],
  fpureg: ['fpu', 10],
  mm: ['mmx', 8],
  xmm: ['xmm', 16],
  ymm: ['ymm', 32],
  zmm: ['zmm', 64],
  k: ['kreg', 8],
  bnd: ['bnd', 16],
  tmm: ['tmm', 1024],
};

function op(kind: OperandKind, rest: Partial<TemplateOperand>): TemplateOperand {
  return {
    kind,
    regClass: null,
    fixedReg: -1,
    size: 0,
    moffs: false,
    far: false,
    anySize: false,
    unsizedOk: false,
    kSize: 0,
    exact: false,
    sbyte: false,
    dword: '',
    one: false,
    optimizable: false,
    to: false,
    vsib: null,
    sib: false,
    mib: false,
    decorations: NO_DECORATIONS,
    role: kind === 'reg' ? 'r' : kind === 'rm' || kind === 'mem' ? 'm' : 'i',
    ...rest,
  };
}

/** Parses one template operand token with its AVX-512 decorations (`zmm/m512/b32{er}`). */
export function parseOperandToken(tok: string): TemplateOperand {
  const { base, decorations } = splitDecorations(tok);
  const parsed = parsePlainOperandToken(base);
  return decorations === NO_DECORATIONS ? parsed : { ...parsed, decorations };
}

/** Parses one template operand token; throws on an unknown token (caught by the table test). */
function parsePlainOperandToken(tok: string): TemplateOperand {
  const fixed = FIXED[tok];
  if (fixed) return op('reg', { regClass: fixed[0], fixedReg: fixed[1], role: '-' });
  const cls = REG_CLASS_TOKENS[tok];
  if (cls) return op('reg', { regClass: cls[0] });
  const opmask = /^k(8|16|32|64)(?:\/m\1)?$/.exec(tok);
  if (opmask) {
    const bytes = Number(opmask[1]) / 8;
    return op(tok.includes('/') ? 'rm' : 'reg', {
      regClass: 'kreg',
      kSize: bytes,
      size: tok.includes('/') ? bytes : 0,
    });
  }
  if (tok === 'to:fpureg') return op('reg', { regClass: 'fpu', to: true });
  if (tok === 'sibmem') return op('mem', { sib: true });
  if (tok === 'mib') return op('mem', { mib: true });
  const vsib = /^vm(32|64)([xyz])$/.exec(tok);
  if (vsib) return op('mem', { size: Number(vsib[1]) / 8, vsib: `${vsib[2] as 'x' | 'y' | 'z'}mm` });
  let m = /^rm(8|16|32|64)$/.exec(tok);
  if (m) {
    const bytes = Number(m[1]) / 8;
    return op('rm', { regClass: GPR_BY_SIZE[bytes] ?? null, size: bytes });
  }
  m = /^(\w+)\/m(\d*)$/.exec(tok);
  if (m) {
    const regTok = REG_CLASS_TOKENS[m[1] as string];
    if (!regTok) throw new Error(`bad operand ${tok}`);
    // `xmm/m` (no size): memory written without a size keyword only (NASM's unsized-memory rows).
    return op('rm', { regClass: regTok[0], size: m[2] ? Number(m[2]) / 8 : 0 });
  }
  m = /^m(\d*)$/.exec(tok);
  if (m) return op('mem', { size: m[1] ? Number(m[1]) / 8 : 0 });
  if (tok === 'ma') return op('mem', { size: 0, anySize: true });
  m = /^mu(8|16|32|64)$/.exec(tok);
  if (m) return op('mem', { size: Number(m[1]) / 8, unsizedOk: true });
  m = /^moffs(8|16|32|64)$/.exec(tok);
  if (m) return op('mem', { size: Number(m[1]) / 8, moffs: true });
  m = /^mfar(16|32|64)$/.exec(tok);
  if (m) return op('mem', { size: Number(m[1]) / 8, far: true });
  m = /^(=?)imm(8|16|32|64)?$/.exec(tok);
  if (m) return op('imm', { size: m[2] ? Number(m[2]) / 8 : 0, exact: m[1] === '=' });
  m = /^sbyte(16|32|64)$/.exec(tok);
  if (m) return op('imm', { size: Number(m[1]) / 8, sbyte: true });
  // 64-bit immediates the optimiser knows fit 32 bits: sign-extended (sdword) or zero-extended (udword).
  if (tok === 'sdword' || tok === 'udword') return op('imm', { size: 8, dword: tok === 'sdword' ? 's' : 'u' });
  if (tok === '1') return op('imm', { one: true });
  if (tok === 'rel8') return op('rel', { size: 0 });
  if (tok === 'rel8o') return op('rel', { size: 0, optimizable: true });
  m = /^rel(16|32|64)$/.exec(tok);
  if (m) return op('rel', { size: Number(m[1]) / 8 });
  m = /^far(16|32)$/.exec(tok);
  if (m) return op('far', { size: Number(m[1]) / 8 });
  throw new Error(`unknown operand type '${tok}'`);
}

interface ParsedCodes {
  vex: VexSpec | null;
  evex: EvexSpec | null;
  codes: Code[];
  opSize: 0 | 16 | 32 | 64;
  noRexW: boolean;
  addrSize: 0 | 16 | 32 | 64;
  wait: boolean;
}

function parseCodes(text: string): ParsedCodes {
  const codes: Code[] = [];
  let wait = false;
  let opSize: 0 | 16 | 32 | 64 = 0;
  let noRexW = false;
  let addrSize: 0 | 16 | 32 | 64 = 0;
  let vex: VexSpec | null = null;
  let evex: EvexSpec | null = null;
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    let m: RegExpExecArray | null;
    const spec: VexSpec | null = codes.length === 0 && !vex && !evex ? parseVexSpec(tok) : null;
    const evexSpec: EvexSpec | null = codes.length === 0 && !vex && !evex ? parseEvexSpec(tok) : null;
    if (spec) vex = spec;
    else if (evexSpec) evex = evexSpec;
    else if (tok === '/is4') codes.push({ op: CodeOp.Is4, value: 0, mode: '' });
    else if (tok === '/r0') codes.push({ op: CodeOp.ModRmRegOnly, value: 0, mode: '' });
    else if (tok === 'wait') wait = true;
    else if ((m = /^o(16|32|64)(nw)?$/.exec(tok))) {
      opSize = Number(m[1]) as 16 | 32 | 64;
      noRexW = m[2] !== undefined;
    } else if ((m = /^a(16|32|64)$/.exec(tok))) addrSize = Number(m[1]) as 16 | 32 | 64;
    else if ((m = /^([0-9A-F]{2})$/.exec(tok)))
      codes.push({ op: CodeOp.Byte, value: parseInt(m[1] as string, 16), mode: '' });
    else if ((m = /^([0-9A-F]{2})\+r$/.exec(tok)))
      codes.push({ op: CodeOp.BytePlusReg, value: parseInt(m[1] as string, 16), mode: '' });
    else if (tok === '/r') codes.push({ op: CodeOp.ModRmReg, value: 0, mode: '' });
    else if (tok === '/rr') codes.push({ op: CodeOp.ModRmSame, value: 0, mode: '' });
    else if ((m = /^\/([0-7])$/.exec(tok))) codes.push({ op: CodeOp.ModRmDigit, value: Number(m[1]), mode: '' });
    else if ((m = /^i([bwdq])(?:,(s|u|uw))?$/.exec(tok))) {
      const width = m[1] === 'b' ? 1 : m[1] === 'w' ? 2 : m[1] === 'd' ? 4 : 8;
      // `id,s`: a dword sign-extended to a 64-bit operand.
      if (m[2] && !(width === 1 || (width === 4 && m[2] === 's'))) throw new Error(`bad code ${tok}`);
      codes.push({ op: CodeOp.Imm, value: width, mode: (m[2] ?? '') as ImmediateMode });
    } else if ((m = /^r([bwd])$/.exec(tok)))
      codes.push({ op: CodeOp.Rel, value: m[1] === 'b' ? 1 : m[1] === 'w' ? 2 : 4, mode: '' });
    else if (tok === 'sg') codes.push({ op: CodeOp.FarSegment, value: 2, mode: '' });
    else if (tok === 'mo') codes.push({ op: CodeOp.Moffs, value: 0, mode: '' });
    else throw new Error(`unknown code '${tok}'`);
  }
  return { vex, evex, codes, opSize, noRexW, addrSize, wait };
}

const KNOWN_FLAGS = new Set([
  'sm',
  'ds',
  'lock',
  'jcc',
  'nd',
  'repe',
  'msz',
  'mnz',
  'cyrix',
  'np',
  'und',
  'ni',
  'inz',
  'rs',
  'long',
  'nolong',
  'ng',
  'ksm',
  'norex',
  'aprefix',
  'nonear',
  'noo64',
  'rexw',
  'fz',
  'nat',
  'pre386',
  'bnd',
  'bndshort',
  'hlex',
  'hler',
  'nohle',
  'osopt',
  'xs',
  'nx',
  'wx',
  'pv',
  'ne',
]);

/**
 * Default roles when the row gives none: with `/digit` and no r/m operand, the
 * lone register is the r/m; with `/r` and two registers, the first is the
 * reg field and the second the r/m (the manual's `reg, r/m` order).
 */
function inferRoles(operands: TemplateOperand[], codes: Code[], vex: VexSpec | EvexSpec | null): void {
  if (vex && vex.vvvv !== '') {
    inferVexRoles(operands, codes, vex.vvvv);
    return;
  }
  const regs = operands.filter((o) => o.role === 'r');
  const hasRm = operands.some((o) => o.role === 'm');
  if (hasRm) return;
  const digit = codes.some((c) => c.op === CodeOp.ModRmDigit);
  const slashR = codes.some((c) => c.op === CodeOp.ModRmReg);
  if (digit && !slashR && regs.length === 1) (regs[0] as TemplateOperand).role = 'm';
  else if (slashR && regs.length === 2) (regs[1] as TemplateOperand).role = 'm';
}

/**
 * VEX rows with an nds/dds/ndd hint and no roles: nds/dds rows are
 * `reg, vvvv, r/m[, is4 register][, imm]`, ndd rows `vvvv, r/m[, imm]`.
 */
function inferVexRoles(operands: TemplateOperand[], codes: Code[], hint: 'nds' | 'ndd' | 'dds'): void {
  const order: Array<TemplateOperand['role']> = hint === 'ndd' ? ['v', 'm'] : ['r', 'v', 'm'];
  if (codes.some((c) => c.op === CodeOp.Is4)) order.push('s');
  operands.forEach((o, i) => {
    if (o.kind !== 'imm') o.role = order[i] ?? 'i';
  });
}

/** Parses one row; throws with a message naming the row on any error. */
export function parseRow(line: string): Row {
  const parts = line.split('|').map((s) => s.trim());
  if (parts.length !== 3) throw new Error(`row needs 3 fields: ${line}`);
  const [head, enc, flagText] = parts as [string, string, string];
  const sp = head.search(/\s/);
  const mnemonic = (sp < 0 ? head : head.slice(0, sp)).toLowerCase();
  const opText = sp < 0 ? '' : head.slice(sp).trim();
  const opTokens = opText === '' ? [] : opText.split(',').map((t) => t.trim());
  const omissible = opTokens.findIndex((t) => t.endsWith('*'));
  const operands = opTokens.map((t) => parseOperandToken(t.replace(/\*$/, '')));
  let codeText = enc;
  const roleMatch = /^([mrivs-]+):\s*(.*)$/.exec(enc);
  if (roleMatch) {
    const roles = roleMatch[1] as string;
    if (roles.length !== operands.length) throw new Error(`roles do not match operands: ${line}`);
    operands.forEach((o, i) => (o.role = roles[i] as TemplateOperand['role']));
    codeText = roleMatch[2] as string;
  }
  const { vex, evex, codes, opSize, noRexW, addrSize, wait } = parseCodes(codeText);
  if (!roleMatch) inferRoles(operands, codes, vex ?? evex);
  let cpu = -1;
  const flags = new Set<string>();
  for (const f of flagText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (f in CPU_LEVELS) cpu = CPU_LEVELS[f] as number;
    else if (KNOWN_FLAGS.has(f)) flags.add(f);
    else throw new Error(`unknown flag '${f}' in: ${line}`);
  }
  if (cpu < 0) throw new Error(`row has no cpu level: ${line}`);
  const regIndex = operands.findIndex((o) => o.role === 'r');
  const rmIndex = operands.findIndex((o) => o.role === 'm');
  const needsReg = codes.some(
    (c) =>
      c.op === CodeOp.ModRmReg ||
      c.op === CodeOp.ModRmSame ||
      c.op === CodeOp.BytePlusReg ||
      c.op === CodeOp.ModRmRegOnly,
  );
  const needsRm = codes.some((c) => c.op === CodeOp.ModRmReg || c.op === CodeOp.ModRmDigit);
  if (needsReg && regIndex < 0) throw new Error(`row needs a register operand: ${line}`);
  if (needsRm && rmIndex < 0) throw new Error(`row needs an r/m operand: ${line}`);
  if (operands.filter((o) => o.role === 'r').length > 1 || operands.filter((o) => o.role === 'm').length > 1) {
    throw new Error(`ambiguous operand roles (write roles:): ${line}`);
  }
  const row: Row = {
    mnemonic,
    operands,
    codes,
    vex,
    evex,
    full: null,
    omitted: -1,
    vvvvIndex: operands.findIndex((o) => o.role === 'v'),
    is4Index: operands.findIndex((o) => o.role === 's'),
    opSize,
    noRexW,
    addrSize,
    noLong: flags.has('nolong'),
    noGuess: flags.has('ng'),
    kSizeMismatch: flags.has('ksm'),
    cpu,
    sm: flags.has('sm'),
    ds: flags.has('ds'),
    lock: flags.has('lock'),
    jcc: flags.has('jcc'),
    wait,
    disassemble: !flags.has('nd'),
    repE: flags.has('repe'),
    memSize: flags.has('msz') ? 'show' : flags.has('mnz') ? 'hide' : '',
    cyrix: flags.has('cyrix'),
    noSsePrefix: flags.has('np'),
    rexWInvalid: flags.has('wx'),
    explicitVex: flags.has('pv'),
    noSizedImm: flags.has('ni'),
    immediateUnsized: flags.has('inz'),
    repSlot: flags.has('rs'),
    long: flags.has('long'),
    noRex: flags.has('norex'),
    addrPrefixOnly: flags.has('aprefix'),
    noNear: flags.has('nonear'),
    o64Ignored: flags.has('noo64'),
    rexW: flags.has('rexw'),
    fuzzyLong: flags.has('fz'),
    naturalSize: flags.has('nat'),
    pre386: flags.has('pre386'),
    bnd: flags.has('bnd'),
    osBelowOx: flags.has('osopt'),
    regSize: flags.has('xs') ? 'xs' : flags.has('nx') ? 'nx' : '',
    bndShort: flags.has('bndshort'),
    hle: flags.has('hlex') ? 'x' : flags.has('hler') ? 'r' : '',
    noHle: flags.has('nohle'),
    regIndex,
    rmIndex,
    source: line,
  };
  return omissible < 0 ? row : { ...row, omitted: omissible };
}

/** The shorter row of a row written with a `*` operand: that operand left out, encoding through `full`. */
function shorterRow(full: Row): Row {
  const at = full.omitted;
  const operands = full.operands.filter((_, i) => i !== at);
  return {
    ...full,
    operands,
    full: { ...full, omitted: -1 },
    disassemble: false,
    regIndex: operands.findIndex((o) => o.role === 'r'),
    rmIndex: operands.findIndex((o) => o.role === 'm'),
    vvvvIndex: operands.findIndex((o) => o.role === 'v'),
    is4Index: operands.findIndex((o) => o.role === 's'),
  };
}

/** All row text of the table, in order. */
export function tableText(): string {
  return generalRows() + '\n' + extraRows() + '\n' + longRows() + '\n' + vexRows() + '\n' + evexRows();
}

/** The rows one table line stands for: itself, or with a `*` operand the full row and the shorter one. */
function rowsOfLine(line: string): Row[] {
  const written = parseRow(line);
  return written.omitted < 0 ? [written] : [{ ...written, omitted: -1 }, shorterRow(written)];
}

/** The table's row lines grouped by mnemonic: all RowIndex needs up front. */
export interface TableLines {
  /** Each mnemonic (lower case) with its row lines in table order, joined by newlines. */
  readonly groups: Readonly<Record<string, string>>;
  /** The mnemonic of every row line in table order, joined by spaces (read by `allRows` only). */
  readonly order: string;
}

/**
 * Groups the table text by mnemonic (comments and blank lines dropped). This walk over
 * ~6,000 lines costs more than everything else a small file's assembly does at start-up, so
 * the CLI bundle (scripts/bundle.mjs) runs it at build time and holds the result as a literal.
 */
export function groupTableLines(text: string): TableLines {
  const groups = new Map<string, string[]>();
  const order: string[] = [];
  for (const raw of text.split('\n')) {
    const comment = raw.indexOf(';');
    const line = (comment < 0 ? raw : raw.slice(0, comment)).trim();
    if (line === '') continue;
    const mnemonic = /^[^\s|]*/.exec(line)![0].toLowerCase();
    let list = groups.get(mnemonic);
    if (!list) groups.set(mnemonic, (list = []));
    list.push(line);
    order.push(mnemonic);
  }
  const joined: Record<string, string> = {};
  for (const [mnemonic, lines] of groups) joined[mnemonic] = lines.join('\n');
  return { groups: joined, order: order.join(' ') };
}

/**
 * The rows of each mnemonic, parsed on first use. Parsing the whole table
 * took ~50 ms of every start-up; a small file uses a handful of mnemonics.
 */
class RowIndex implements ReadonlyMap<string, readonly Row[]> {
  private readonly parsed = new Map<string, Row[]>();
  /** The rows of each mnemonic grouped by source line (a `*` operand makes two rows of one line). */
  private readonly parsedByLine = new Map<string, Row[][]>();
  /** Each mnemonic's row lines, joined by newlines (split when the mnemonic is first used). */
  private readonly lines: Map<string, string>;

  constructor(private readonly table: TableLines) {
    this.lines = new Map(Object.entries(table.groups));
  }

  get size(): number {
    return this.lines.size;
  }

  has(mnemonic: string): boolean {
    return this.lines.has(mnemonic);
  }

  get(mnemonic: string): readonly Row[] | undefined {
    let rows = this.parsed.get(mnemonic);
    if (rows === undefined) {
      const lines = this.lines.get(mnemonic);
      if (lines === undefined) return undefined;
      const byLine = lines.split('\n').map(rowsOfLine);
      rows = byLine.flat();
      this.parsed.set(mnemonic, rows);
      this.parsedByLine.set(mnemonic, byLine);
    }
    return rows;
  }

  *entries(): MapIterator<[string, readonly Row[]]> {
    for (const mnemonic of this.lines.keys()) yield [mnemonic, this.get(mnemonic)!];
  }

  keys(): MapIterator<string> {
    return this.lines.keys();
  }

  *values(): MapIterator<readonly Row[]> {
    for (const mnemonic of this.lines.keys()) yield this.get(mnemonic)!;
  }

  forEach(callback: (rows: readonly Row[], mnemonic: string, map: ReadonlyMap<string, readonly Row[]>) => void): void {
    for (const [mnemonic, rows] of this.entries()) callback(rows, mnemonic, this);
  }

  [Symbol.iterator](): MapIterator<[string, readonly Row[]]> {
    return this.entries();
  }

  /** All rows in table order (the same Row objects `get` returns). */
  allRows(): Row[] {
    const next = new Map<string, number>();
    return this.table.order.split(' ').flatMap((mnemonic) => {
      const k = next.get(mnemonic) ?? 0;
      next.set(mnemonic, k + 1);
      this.get(mnemonic);
      return this.parsedByLine.get(mnemonic)![k]!;
    });
  }
}

const index = new RowIndex(groupTableLines(tableText()));
export const ROWS_BY_MNEMONIC: ReadonlyMap<string, readonly Row[]> = index;

/**
 * Every row in table order. Built (the whole table parsed) on first access:
 * the assembler never needs it, the decoder and the tests do.
 */
export const ALL_ROWS: readonly Row[] = lazyArray(() => index.allRows());

function lazyArray<T>(build: () => T[]): readonly T[] {
  const target: T[] = [];
  let built = false;
  const fill = (): void => {
    if (built) return;
    built = true;
    target.push(...build());
  };
  return new Proxy(target, {
    get: (t, key, receiver) => (fill(), Reflect.get(t, key, receiver) as unknown),
    has: (t, key) => (fill(), Reflect.has(t, key)),
    ownKeys: (t) => (fill(), Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: (t, key) => (fill(), Reflect.getOwnPropertyDescriptor(t, key)),
  });
}
