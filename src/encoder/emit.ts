/**
 * Emitting one matched row: the bytes and fixups of an instruction whose row encode.ts chose.
 *
 * The work goes in the order nasm checks things, each step a method of RowEmission that
 * returns an error message (or null to go on): registers the mode cannot encode, the operand-
 * and address-size prefixes, the effective address, REX/VEX/EVEX, the prefix bytes, then the
 * row's codes (opcode bytes, ModR/M, immediates, the relative field) and last the relative
 * displacement, known only once the instruction's length is.
 */
import { isPlainNumber, makeValue, type Value } from '../core/value.js';
import { encodeEffectiveAddress, forceSib, hasAddressRegister, impliedAddressSize, newEffectiveAddress } from './ea.js';
import { evexPrefix, ROUNDED_MEMORY, roundsMemory } from './evex.js';
import {
  disp8Warnings,
  generalRangeWarning,
  outsideRange,
  overflowWarning,
  rangeWarning,
  signedByteWarning,
  signedRangeWarning,
  unsignedByteWarning,
  writeLE,
} from './field-warnings.js';
import { defaultAddrSize, defaultOpSize } from './match.js';
import { mibAddress } from './mib.js';
import { conflictingPrefixes, LOCK_REP_PREFIX, SEGMENT_PREFIX } from './prefixes.js';
import { isLeadingPrefixByte, regOpIsCreg, registerRex, REX_R, REX_W } from './rex.js';
import type { Register } from './registers.js';
import { displacementWarning, ignoredSegmentWarning, resolveRipRelative, wantsRipRelative } from './rip.js';
import { CodeOp, parseRow, ROWS_BY_MNEMONIC, type Row, type Code, type TemplateOperand } from './table.js';
import type {
  EncodeContext,
  EncodeFailure,
  EncodeResult,
  EncodeWarning,
  Fixup,
  InstructionRequest,
  MemoryOperand,
  Operand,
  RegisterOperand,
} from './types.js';
import { encodingPrefix, encodingPrefixError, vexFields, vexRegisterRex, writeVexPrefix } from './vex.js';
import { encodeVsib, vectorIndex } from './vsib.js';

/** Per-call scratch state, reused to keep the hot path allocation-light. */
const scratch = new Uint8Array(64);
const ea = newEffectiveAddress(makeValue(0n, null, false, null, false));

/**
 * Produces the bytes for a matched row, or null when the row is an optimiser
 * short-branch form whose target turns out to be out of reach. `addressClash`: the line's
 * address sizes cannot agree (address-size.ts), which nasm has reported before any row.
 */
export function emit(
  written: Row,
  req: InstructionRequest,
  ctx: EncodeContext,
  addressClash = false,
): EncodeResult | null {
  const emission = EMISSION.start(written, req, ctx, addressClash);
  // A `{vex…}` the row cannot honour (`{vex} add r8d,1`: "not encodable") and a bnd/nobnd/repne
  // it does not allow (`bnd o64 add eax,1`: "bnd prefix is not allowed") are failures to match
  // for nasm, found before anything of the row (measured: `{vex} add eax,[si+di]` and `bnd add
  // eax,[si+di]` in BITS 32 give those, not the address's error); after an address-size clash
  // nasm then has nothing more to say.
  const unmatched = emission.refuseEncodingPrefix() ?? emission.refuseBranchPrefixes();
  if (unmatched !== null)
    return addressClash
      ? { ok: false, error: IMPOSSIBLE_ADDRESS_SIZES, followUps: [] }
      : { ok: false, error: unmatched };
  if (addressClash) return emission.afterAddressClash(optimizableBranch(written, req));
  // Then nasm's order for the matched row: the sizes, the address, registers and REX outside
  // BITS 64 (`o64 add ah,1`: the high byte), the VEX/EVEX prefix, the prefix bytes.
  const error =
    emission.chooseSizes() ??
    emission.chooseAddress() ??
    emission.refuseRegisters() ??
    emission.chooseRexVexEvex() ??
    emission.writePrefixes();
  if (error !== null) {
    // nasm sizes a JMP/Jcc of no written distance twice, and reports its REX complaint twice.
    const twice = error === 'invalid operands in non-64-bit mode' && optimizableBranch(written, req);
    const failure: EncodeFailure = twice ? { ok: false, error, followUps: [error] } : { ok: false, error };
    // The address's own warnings come before what the row's later checks refuse, all in pass 1
    // (measured: `o64 add eax,[byte 5]` in BITS 32 is the ea-dispsize warning, then "invalid
    // operands in non-64-bit mode"; `{vex2} vfmsub123sd xmm3,xmm6,[rel ebx]` the rel warning,
    // then "not encodable with {vex2}"); later warnings (operand size, segment) are not reached.
    const addressWarnings = emission.addressWarnings();
    if (addressWarnings.length > 0) failure.warnings = addressWarnings;
    // A `{vex2}` nasm cannot honour ends nothing: it writes three bytes and the line keeps its
    // length in that pass (measured: `-Lp` lists `{vex2} vfmsub123sd xmm3,xmm6,[rel ebx]` as `<len 5h>`).
    const length = error === NOT_ENCODABLE_WITH_VEX2 ? emission.lengthDespiteErrors(true) : null;
    if (typeof length === 'number') failure.length = length;
    return failure;
  }
  emission.writeCodes();
  return emission.finish();
}

const IMPOSSIBLE_ADDRESS_SIZES = 'impossible combination of address sizes';

/**
 * A byte register 0…7 on a row that needs no REX for it: PINSRB (`norex`) and the VEX/EVEX rows take
 * spl…dil as plain registers 4…7 (so ah…bh, the same numbers, cannot be told from them).
 */
function takesByteRegisterWithoutRex(row: Row, reg: Register): boolean {
  return (row.noRex || row.vex !== null || row.evex !== null) && reg.cls === 'gpr8' && reg.num < 8;
}
const NOT_ENCODABLE_WITH_VEX2 = 'instruction not encodable with {vex2} prefix';

/**
 * A JMP/Jcc whose target has no written distance or size: nasm's optimiser sizes it, going
 * through the instruction's checks twice (measured: `lock jz $` and `lock jmp $+0x100` warn
 * "instruction is not lockable" twice, `lock jz near $`, `lock jmp short $`, `lock call $`
 * once; `o64 jz $` in BITS 32 is "invalid operands in non-64-bit mode" twice).
 */
export function optimizableBranch(row: Row, req: InstructionRequest): boolean {
  const relIndex = templateIndex(row, 'rel');
  const target = relIndex >= 0 ? req.operands[relIndex] : undefined;
  if (target?.kind !== 'imm' || target.distance !== null || target.size !== null) return false;
  let optimizable = OPTIMIZABLE_MNEMONICS.get(row.mnemonic);
  if (optimizable === undefined) {
    optimizable = ROWS_BY_MNEMONIC.get(row.mnemonic)?.some((r) => r.operands.some((t) => t.optimizable)) === true;
    OPTIMIZABLE_MNEMONICS.set(row.mnemonic, optimizable);
  }
  return optimizable;
}

/** Whether a mnemonic has a row with an optimiser-sized branch target (asked for every branch: kept). */
const OPTIMIZABLE_MNEMONICS = new Map<string, boolean>();

/** The place of the row's first template operand of this kind, or -1 (a loop: this runs for every instruction). */
function templateIndex(row: Row, kind: TemplateOperand['kind']): number {
  const operands = row.operands;
  for (let i = 0; i < operands.length; i++) if ((operands[i] as TemplateOperand).kind === kind) return i;
  return -1;
}

/** The placeholder row of the emission before its first start(). */
const NO_ROW: Row = parseRow('NOROW | | 8086');

/** The warnings nasm's second sizing of an optimised branch repeats: LOCK, HLE and ignored segments. */
const RESIZED_WARNINGS = new Set(['prefix-lock', 'prefix-hle', 'prefix-seg']);

/**
 * One row's emission: the state its steps share. There is one instance, started afresh by emit()
 * for each row it emits (an object of some forty fields per instruction was a good part of what
 * the encoder allocated). That is safe because emit is never re-entered while an emission is under
 * way (nothing a step calls emits or encodes), and nothing outlives the call: what emit returns
 * holds only the arrays and bytes start() and finish() make new for it.
 */
class RowEmission {
  /** The row with every operand: a shorter form (`vaddps xmm1,xmm2`) stands for its full row. */
  private row: Row = NO_ROW;
  private ops: readonly Operand[] = [];
  private req: InstructionRequest = { mnemonic: '', prefixes: [], operands: [] };
  private ctx: EncodeContext = { bits: 32, segment: 0, offset: 0n, optimize: 2, cpu: '', defaultRel: false };
  private bits: EncodeContext['bits'] = 32;
  /** The line's address sizes cannot agree (address-size.ts): nasm goes on with the mode's. */
  private addressClash = false;
  /** The result's warnings and fixups: new arrays for each emission. */
  private warnings: EncodeWarning[] = [];
  private fixups: Fixup[] = [];
  private readonly buf = scratch;
  /** Next byte to write in buf. */
  private p = 0;

  // Sizes and prefixes (chooseSizes).
  private opSize = 0;
  private addrSize = 0;
  private segment: string | null = null;
  private need66 = false;
  private need67 = false;
  private rexW = false;
  /** The address size an a16/a32/a64/asp prefix asks for (0: none). */
  private prefixAddr = 0;
  /** The {vex}/{vex3}/{evex} encoding prefix written, or ''. */
  private encodingWanted = '';
  /** `bnd` on JMP's short form: the prefix goes, with nasm's warning. */
  private dropBnd = false;
  /** An o64 outside BITS 64 on a row that would need its REX.W: refused with the registers. */
  private o64OutsideLongMode = false;
  /**
   * nasm's last word on an a16 in BITS 64 or an a64 outside it, given after the row's other
   * checks (such a prefix always leaves the line's address sizes clashing), or ''.
   */
  private modeComplaint = '';

  // The r/m operand (chooseAddress).
  private rmWritten: Operand | null = null;
  private rmOp: RegisterOperand | MemoryOperand | null = null;
  private memOp: MemoryOperand | null = null;

  // REX / VEX / EVEX (chooseRexVexEvex): rex -1 outside BITS 64 means "LOCK for cr8".
  private rex = 0;
  private rexByte = -1;
  private vex: Exclude<ReturnType<typeof vexFields>, string> | null = null;
  private evex: Exclude<ReturnType<typeof evexPrefix>, string> | null = null;

  // The codes (writeCodes).
  private immIndex = 0;
  private relAt = -1;
  private relWidth = 0;
  private relValue: Value | null = null;
  private ripAt = -1;
  private finalPassError: string | undefined = undefined;

  /** Starts the emission of a row: every field as a new emission has it (the initial values above). */
  start(written: Row, req: InstructionRequest, ctx: EncodeContext, addressClash: boolean): this {
    this.row = written.full ?? written;
    this.ops = written.full
      ? [...req.operands.slice(0, written.omitted), req.operands[0] as Operand, ...req.operands.slice(written.omitted)]
      : req.operands;
    this.req = req;
    this.ctx = ctx;
    this.bits = ctx.bits;
    this.addressClash = addressClash;
    this.warnings = [];
    this.fixups = [];
    this.p = 0;
    this.opSize = 0;
    this.addrSize = 0;
    this.segment = null;
    this.need66 = false;
    this.need67 = false;
    this.rexW = false;
    this.prefixAddr = 0;
    this.encodingWanted = encodingPrefix(req.prefixes);
    this.dropBnd = false;
    this.o64OutsideLongMode = false;
    this.modeComplaint = '';
    this.rmWritten = null;
    this.rmOp = null;
    this.memOp = null;
    this.rex = 0;
    this.rexByte = -1;
    this.vex = null;
    this.evex = null;
    this.immIndex = 0;
    this.relAt = -1;
    this.relWidth = 0;
    this.relValue = null;
    this.ripAt = -1;
    this.finalPassError = undefined;
    return this;
  }

  /**
   * What nasm reports after its "impossible combination of address sizes" (its first-pass check
   * of the line's address sizes, address-size.ts) for the row it matched: it goes on with the
   * mode's address size and reports what the row's checks find, in their order (measured in
   * BITS 16/32/64 against a16/a32/a64/asp): the address at that size ("invalid N-bit effective
   * address", or the displacement-size warning of an address with no register), registers and
   * REX outside BITS 64 ("invalid operands in non-64-bit mode", the high byte), the VEX/EVEX
   * prefix, and last an a16 in BITS 64 or an a64 outside it ("16-bit addressing is not supported
   * in 64-bit mode", "64-bit addressing is only supported in 64-bit mode"). Later warnings
   * (operand size, LOCK, ignored segments) are not reported. A JMP/Jcc the optimiser sizes goes
   * through the checks twice (`a64 jz $`). When only the clash, a `{vex2}` it cannot honour
   * (nasm writes three bytes) or that last complaint stand, nasm still gives the line its length
   * in that pass (its `-Lp` listing: `a32 add eax,[bx]` in BITS 16 is `<len 4h>`, 66 67 03 07).
   */
  afterAddressClash(sizedTwice: boolean): EncodeResult | null {
    const found: string[] = [];
    const error = this.chooseSizes() ?? this.chooseAddress() ?? this.refuseRegisters() ?? this.chooseRexVexEvex();
    if (error !== null && error !== IMPOSSIBLE_ADDRESS_SIZES) found.push(error);
    const lineKept = error === null || error === NOT_ENCODABLE_WITH_VEX2;
    if (lineKept && this.modeComplaint !== '') found.push(this.modeComplaint);
    const addressWarnings = this.addressWarnings();
    const failure: EncodeFailure = {
      ok: false,
      error: IMPOSSIBLE_ADDRESS_SIZES,
      followUps: [...addressWarnings, ...found, ...(sizedTwice ? found : [])],
    };
    if (!lineKept) return failure;
    const length = this.lengthDespiteErrors(error !== null);
    // (An optimiser's short form that does not reach: the near row sizes the line.)
    if (length === 'out of reach') return null;
    if (length !== null) failure.length = length;
    return failure;
  }

  /** The warnings the effective address gave (displacement size ignored, `rel` on registers). */
  addressWarnings(): EncodeWarning[] {
    return this.warnings.filter((w) => w.phase === 'address');
  }

  /** The length nasm gives a line whose errors leave it whole (an address-size clash, `{vex2}`), or null for none. */
  lengthDespiteErrors(vex2Refused: boolean): number | 'out of reach' | null {
    if (vex2Refused) {
      const vex = vexFields(this.row, this.ops, vexRegisterRex(this.row, this.ops, ea.rex), '{vex3}');
      if (typeof vex === 'string') return null;
      this.vex = vex;
    }
    if (this.writePrefixes() !== null) return null;
    this.writeCodes();
    const written = this.finish();
    if (written === null) return 'out of reach';
    return written.ok ? written.bytes.length : null;
  }

  /**
   * Registers this row cannot take in this mode, once the address is sound, in nasm's order
   * (measured in BITS 16 and 32): ah…bh on a row with no REX (PINSRB, VEX rows); ah…bh beside
   * anything that needs a REX byte, a REX-only register of the operands or the address or o64's
   * REX.W ("cannot use high byte register in rex instruction": `add ah,spl`, `add ah,[r8d]`,
   * `movzx r8d,ah`); then what needs REX outside BITS 64 ("invalid operands in non-64-bit mode":
   * `add spl,al`, `add eax,[r8d]`, `pinsrb xmm9,al,1`).
   */
  refuseRegisters(): string | null {
    const { row, ops, bits } = this;
    // A rounding mode on the memory operand comes before any register complaint (measured:
    // `vcvttsd2usi r10,qword [ebx],{sae}` in BITS 32).
    if (row.evex !== null && roundsMemory(row, ops)) return ROUNDED_MEMORY;
    for (const o of ops) {
      // NASM lets an /is4 register be xmm8…15 in any mode (its top bit is just the imm8's bit 7).
      if (o.kind !== 'reg' || (row.is4Index >= 0 && o === ops[row.is4Index])) continue;
      // PINSRB (`norex`) refuses ah…bh; so do VEX and EVEX rows, which have no REX to tell them from
      // spl…dil (measured: `vpbroadcastb xmm5,ah` is refused, `vpbroadcastb xmm5,spl` in BITS 32 is 62 … EC).
      if (takesByteRegisterWithoutRex(row, o.reg) && o.reg.num >= 4 && !o.reg.needsRex)
        return (row.vex !== null || row.evex !== null) && !row.noRex
          ? 'cannot use high register in AVX instruction'
          : 'instruction cannot use high registers';
    }
    if (bits === 64) return null; // (ah…bh against REX: chooseRexVexEvex)
    const needs = registerRex(row, ops, ea.rex);
    if (needs.highByte && (needs.forced || needs.bits !== 0 || this.o64OutsideLongMode))
      return 'cannot use high byte register in rex instruction';
    for (const o of ops) {
      if (o.kind !== 'reg' || (row.is4Index >= 0 && o === ops[row.is4Index])) continue;
      if (o.reg.needsRex && !takesByteRegisterWithoutRex(row, o.reg)) return 'invalid operands in non-64-bit mode';
    }
    // r8d…r15d (or an index xmm8…15) in the address.
    const memOp = this.memOp;
    const general = memOp !== null && vectorIndex(memOp) === null;
    if (memOp !== null)
      for (const r of memOp.registers)
        if (r.scale !== 0 && r.reg.needsRex && (!general || r.reg.cls === 'gpr32'))
          return 'invalid operands in non-64-bit mode';
    if (row.rexW || this.o64OutsideLongMode) return 'invalid operands in non-64-bit mode';
    return null;
  }

  /** A written {vex}/{vex2}/{vex3}/{rex} the row cannot honour (EVEX rows: refused while matching, evex-match.ts). */
  refuseEncodingPrefix(): string | null {
    return this.row.evex ? null : encodingPrefixError(this.row, this.encodingWanted);
  }

  /** The operand size, the 66h/REX.W it needs, and what the written size prefixes ask for. */
  chooseSizes(): string | null {
    const { row, req, bits, warnings } = this;
    // `osopt` rows (MOV sreg,r16/r32) carry their o16/o32 only below -Ox (measured: `mov ss,cx` is 66 8E D1 at -O1, 8E D1 at -Ox).
    let opSize: number = row.osBelowOx && this.ctx.optimize === 2 ? 0 : row.opSize;
    this.addrSize = row.addrSize || 0;
    this.need66 = opSize !== 0 && opSize !== 64 && opSize !== defaultOpSize(bits);
    this.rexW = bits === 64 && opSize === 64 && !row.noRexW;
    // (Redundant prefixes are nasm's parser's warning, given first: encodeInstruction in index.ts.)
    // A near branch to a target of no written size, or through memory of none, is nasm's
    // default-size row: it takes o16/o32 without a complaint (measured: `o32 jl $-65517` in
    // BITS 16 is 66 0F 8C 0E 00, `o16 jmp [eax]` in BITS 32 66 FF 20, both silent; `o16 jmp
    // dword $+0x100` and `o16 call eax` warn).
    const relIndex = templateIndex(row, 'rel');
    const relWritten = relIndex >= 0 ? this.ops[relIndex] : undefined;
    // So is a far pointer of no written size (`o32 jmp 0x5634:0x12e9` in BITS 16: 66 EA…, silent).
    const farIndex = templateIndex(row, 'far');
    const farWritten = farIndex >= 0 ? this.ops[farIndex] : undefined;
    const defaultSizedBranch =
      relIndex >= 0
        ? relWritten?.kind === 'imm' && relWritten.size === null
        : farIndex >= 0
          ? farWritten?.kind === 'imm' && farWritten.size === null
          : row.bnd && hasUnsizedMemory(req.operands);
    for (const pfx of req.prefixes) {
      // An operand-size prefix against the size the instruction itself implies (`o16 lodsd`): nasm warns.
      if (
        !defaultSizedBranch &&
        ((pfx === 'o16' && opSize === 32) ||
          (pfx === 'o32' && opSize === 16) ||
          (pfx === 'o64' && (opSize === 16 || opSize === 32)))
      ) {
        warnings.push({ message: `invalid operand size prefix, must be o${opSize}`, warningClass: 'prefix-opsize' });
      }
      // `osp` is a bare 0x66 (measured): nasm warns whenever the instruction has a size of its own.
      if (pfx === 'osp' && !defaultSizedBranch && (opSize === 16 || opSize === 32))
        warnings.push({ message: `invalid operand size prefix, must be o${opSize}`, warningClass: 'prefix-opsize' });
      if (pfx === 'osp') this.need66 = true;
      // `asp` is the other address size: a16 in BITS 32, a32 in BITS 16 and 64.
      else if (pfx === 'asp') this.prefixAddr = bits === 32 ? 16 : 32;
      else if (pfx === 'o16') this.need66 = bits !== 16;
      else if (pfx === 'o32') this.need66 = bits === 16;
      else if (pfx === 'o64') {
        // A `noo64` row takes o64 without a REX.W in every mode, so BITS 16/32 accept it too
        // (measured: `o64 paddb mm1,mm2` is 0F FC CA in BITS 32 and 64, `o64 paddq mm1,mm2` is
        // "invalid operands in non-64-bit mode" / 48 0F D4 CA). VEX/EVEX rows carry no REX
        // byte for o64 to need: nasm accepts it in BITS 16/32 (`o64 vaddps xmm1,xmm2,xmm3`).
        if (row.o64Ignored) continue;
        if (bits !== 64) {
          if (!row.vex && !row.evex) this.o64OutsideLongMode = true;
          continue;
        }
        // An o64nw row is 64-bit already with no REX.W (PUSH, POP, MOV to control registers,
        // `mov rax,1`'s B8 form, `call rax`, `jmp qword [rax]`, INVEPT): nasm adds none, except
        // to a near relative branch or a near branch through memory of no written size, whose
        // nasm rows take the default size. On an o16 row REX.W takes the 66h's place (measured:
        // `o64 push rax` is 50, `o64 call $` 48 E8, `o64 call [rax]` 48 FF 10, `o64 cbw` 48 98,
        // `o64 invept rax,[rax]` 66 0F 38 80 00).
        const defaultSized = relIndex >= 0 || (row.bnd && hasUnsizedMemory(req.operands));
        if (!row.noRexW || defaultSized) {
          this.rexW = true;
          this.need66 = false;
        }
      } else if (pfx === 'a16') this.prefixAddr = 16;
      else if (pfx === 'a32') this.prefixAddr = 32;
      else if (pfx === 'a64') this.prefixAddr = 64;
      else if (pfx in SEGMENT_PREFIX) this.segment = pfx;
    }
    // Always an address-size clash (address-size.ts): nasm names the prefix once more at the end.
    if (this.prefixAddr === 16 && bits === 64) this.modeComplaint = '16-bit addressing is not supported in 64-bit mode';
    if (this.prefixAddr === 64 && bits !== 64)
      this.modeComplaint = '64-bit addressing is only supported in 64-bit mode';
    if (opSize === 0) opSize = this.rexW ? 64 : this.need66 ? (bits === 16 ? 32 : 16) : defaultOpSize(bits);
    this.opSize = opSize;
    return null;
  }

  /** The r/m operand's effective address (into `ea`), the address size and whether it needs 67h. */
  chooseAddress(): string | null {
    const { row, ops, bits, warnings } = this;
    const rmWritten = row.rmIndex >= 0 ? (ops[row.rmIndex] as Operand) : null;
    // A bare number in the r/m place (`lea eax,5`) is NASM's absolute address [5].
    const rmOp: RegisterOperand | MemoryOperand | null =
      rmWritten && rmWritten.kind === 'imm' ? absoluteAddress(rmWritten.value) : rmWritten;
    const memOp: MemoryOperand | null = rmOp && rmOp.kind === 'mem' ? rmOp : null;
    this.rmWritten = rmWritten;
    this.rmOp = rmOp;
    this.memOp = memOp;
    const natural = defaultAddrSize(bits);
    const prefixAddr = this.prefixAddr;
    ea.rex = 0;
    ea.ripRelative = false;
    const template = row.rmIndex >= 0 ? (row.operands[row.rmIndex] as TemplateOperand) : null;
    if (this.addressClash) return this.recoverAddress(memOp, template);
    if (memOp && vectorIndex(memOp)) {
      // A gather's VSIB address (vsib.ts); on any other row a vector index is an invalid address.
      if (template === null || template.vsib === null) return `invalid ${bits}-bit effective address`;
      const err = encodeVsib(memOp, bits, ea, prefixAddr, false);
      if (err) return err;
      this.indirectRelativeWarning(memOp);
      this.addrSize = ea.addrSize;
      if (memOp.segment) this.segment = memOp.segment.name;
    } else if (memOp) {
      // (Registers and displacement sizes that leave no address size were refused before any
      // row, address-size.ts; what is left is one size, or the mode's choice.)
      const implied = impliedAddressSize(memOp, bits);
      if (implied < 0) return `invalid ${bits}-bit effective address`;
      // A row whose address size is 64 (MOVDIR64B, ENQCMD with a 64-bit register) and a 32-bit
      // address make nasm 2.16.01 panic ("assertion data.inslen >= 0 failed", measured:
      // `movdir64b rax,[eax]`, `enqcmd rax,[eax]`, `a32 enqcmd rax,[0x1234]`): refused.
      // (ENQCMD's r64 row carries no address size: its register, beside the m512, is the address's.)
      const m512 = row.operands[1]?.kind === 'mem' && row.operands[1].size === 64;
      const address64 = row.addrSize === 64 || (m512 && row.operands[0]?.regClass === 'gpr64');
      if (bits === 64 && address64 && (implied === 32 || prefixAddr === 32)) return IMPOSSIBLE_ADDRESS_SIZES;
      // An address of no register is encoded at the mode's size whatever the row's (MOVDIR64B's
      // register gives only the 67h, measured: `movdir64b ebx,[0x1234]` in BITS 16 is 67 66 0F 38
      // F8 1E 34 12, `movdir64b bx,[0x1234]` in BITS 32 67 66 0F 38 F8 1D 34 12 00 00).
      const registerFree = !hasAddressRegister(memOp);
      this.addrSize =
        (prefixAddr === 32 && bits === 64 ? 32 : implied) ||
        prefixAddr ||
        (row.addrPrefixOnly || registerFree ? 0 : this.addrSize) ||
        natural;
      if (memOp.segment) this.segment = memOp.segment.name;
      if (!(template as TemplateOperand).moffs) {
        const error = this.encodeAddress(memOp, template as TemplateOperand);
        if (error) return error;
      }
    } else if (!this.addrSize) this.addrSize = prefixAddr || natural;
    else if (prefixAddr && this.addrSize !== prefixAddr) {
      // A row's own address size (JCXZ/JECXZ/JRCXZ, LOOP with its counter) against a written
      // one: the size that is not the mode's natural one gets the 67h (measured: `a64 jecxz $`
      // in BITS 64 and `a32 jcxz $` in BITS 32 are both 67 E3). An a32 on a row that is a64
      // makes nasm 2.16.01 panic ("assertion data.inslen >= 0 failed"): refused.
      if (this.addrSize === natural && prefixAddr === 32 && bits === 64) return IMPOSSIBLE_ADDRESS_SIZES;
      if (this.addrSize === natural) this.addrSize = prefixAddr;
    }
    if (bits === 64 && this.addrSize === 16) return IMPOSSIBLE_ADDRESS_SIZES;
    // A row's own a16/a32 (MOVDIR64B's register size, ENQCMD's a16) asks for 67h
    // even when the memory operand implies the other size: NASM then emits one
    // 67h and encodes the address as written (measured: `movdir64b ax,[esi]` in
    // BITS 32 is 67 66 0F 38 F8 06).
    // es/cs/ss/ds overrides are emitted in BITS 64 but ignored by the CPU: NASM warns (`es movsb` too).
    if (bits === 64) ignoredSegmentWarning(this.segment, warnings);
    this.need67 = this.addrSize !== natural || (memOp !== null && row.addrSize !== 0 && row.addrSize !== natural);
    return null;
  }

  /**
   * The address after an address-size clash, at the size nasm falls back on: the mode's, but
   * 16-bit registers outside BITS 64 keep their 16-bit form (measured: `a32 mov eax,[bx]` in
   * BITS 32 says nothing more, `a32 mov eax,[si+di]` "invalid 32-bit effective address", `a16
   * mov eax,[ebx]` in BITS 16 "invalid 16-bit effective address", `a32 vpgatherdd
   * xmm21,[rsi+xmm25*2]` in BITS 64 nothing more). A moffs row's address is not looked at.
   */
  private recoverAddress(memOp: MemoryOperand | null, template: TemplateOperand | null): string | null {
    const bits = this.bits;
    const natural = defaultAddrSize(bits);
    this.addrSize = natural;
    // The line keeps a written a16/a32/asp the mode has as its 67h (an a16 in BITS 64 or an a64
    // outside it has none): `a32 add eax,[bx]` in BITS 16 is sized 66 67 03 07.
    const kept = this.prefixAddr === 64 ? bits === 64 : this.prefixAddr === 16 ? bits !== 64 : this.prefixAddr !== 0;
    // (So does a row's own address size: `a16 jecxz $` in BITS 64 is sized 67 E3 FE.)
    const rowSize = this.row.addrSize;
    this.need67 = (kept && this.prefixAddr !== natural) || (rowSize !== 0 && rowSize !== natural);
    // A row whose own address size is 64 (JRCXZ, LOOP with rcx, MOVDIR64B/ENQCMD/UMONITOR with a
    // 64-bit register) under an a16 in BITS 64, or an a32 against its memory operand: nasm says
    // nothing more and gives the line no length (measured: -Lp lists `a32 movdir64b rax,[rax]`
    // without one; `a32 jrcxz $`, `a32 umonitor rax` assemble).
    if (
      this.row.addrSize === 64 &&
      bits === 64 &&
      (this.prefixAddr === 16 || (this.prefixAddr === 32 && memOp !== null))
    )
      return IMPOSSIBLE_ADDRESS_SIZES;
    if (memOp === null || template === null) return null;
    if (memOp.segment) this.segment = memOp.segment.name;
    if (vectorIndex(memOp)) {
      if (template.vsib === null) return `invalid ${bits}-bit effective address`;
      const err = encodeVsib(memOp, bits, ea, 0, true);
      if (err) return err;
      this.indirectRelativeWarning(memOp);
      return null;
    }
    if (impliedAddressSize(memOp, bits) === -3) return `invalid ${bits}-bit effective address`;
    if (template.moffs) return null;
    const used = memOp.registers.filter((r) => r.scale !== 0);
    if (bits !== 64 && used.length > 0 && used.every((r) => r.reg.cls === 'gpr16')) this.addrSize = 16;
    return this.encodeAddress(memOp, template);
  }

  /**
   * `rel` on an address with registers, in every mode, once the address is sound (measured: `[rel
   * bx]` in BITS 16, `[abs rel ebx]` in BITS 32, `[rel ebx+xmm2]`; none for `[rel esi+esp*2]`).
   */
  private indirectRelativeWarning(memOp: MemoryOperand): void {
    if (memOp.relative !== null && memOp.relative !== 'abs' && memOp.registers.some((x) => x.scale !== 0))
      this.warnings.push({
        message: 'indirect address displacements cannot be RIP-relative',
        warningClass: 'other',
        phase: 'address',
      });
  }

  /** A ModR/M memory operand (not a moffs): its ModR/M, SIB and displacement, into `ea`. */
  private encodeAddress(memOp: MemoryOperand, template: TemplateOperand): string | null {
    const { row, ops, bits, warnings, addrSize } = this;
    const rip = bits === 64 && addrSize !== 16 && wantsRipRelative(memOp, this.ctx, this.segment, warnings);
    const address = template.mib ? mibAddress(memOp, row, ops) : memOp;
    const err = encodeEffectiveAddress(address, addrSize as 16 | 32 | 64, bits, ea, rip);
    if (err) return err;
    this.indirectRelativeWarning(memOp);
    if (template.sib) forceSib(ea);
    // An absolute address's displacement size other than its address size is ignored: `[byte 5]`
    // anywhere, a 64-bit address's anything but dword (`[qword 5]` in BITS 64), `[word 5]` under
    // a32 (measured).
    const ds = memOp.displacementSize;
    if (ds !== null && (ds === 1 || (addrSize === 64 ? ds !== 4 : ds * 8 !== addrSize)) && !hasAddressRegister(memOp))
      warnings.push({
        message: 'displacement size ignored on absolute address',
        warningClass: 'ea-dispsize',
        phase: 'address',
      });
    return null;
  }

  /** REX (BITS 64), or outside it the LOCK byte NASM uses for cr8 (`mov eax,cr8` is F0 0F 20 C0); VEX; EVEX. */
  chooseRexVexEvex(): string | null {
    const { row, ops, bits, req } = this;
    const rexNeeds = registerRex(row, ops, ea.rex);
    // `{rex}` asks for a REX byte even when nothing needs one (NASM's 40h).
    if (req.prefixes.includes('{rex}')) rexNeeds.forced = true;
    let rex = rexNeeds.bits | (this.rexW ? REX_W : 0);
    if (bits !== 64) {
      if (rex & REX_R && regOpIsCreg(row, ops)) rex = -1;
      else rex = 0;
    } else if (rexNeeds.highByte && (rex !== 0 || rexNeeds.forced))
      return 'cannot use high byte register in rex instruction';
    this.rex = rex;
    this.rexByte = row.vex || row.evex ? -1 : rex > 0 || (bits === 64 && rexNeeds.forced) ? 0x40 | rex : -1;
    const vex = row.vex ? vexFields(row, ops, vexRegisterRex(row, ops, ea.rex), this.encodingWanted) : null;
    if (typeof vex === 'string') return vex;
    this.vex = vex;
    // EVEX rows: the prefix's fields, and the address's disp8*N compression (evex.ts).
    const evex = row.evex ? evexPrefix(row.evex, row, ops, ea, this.memOp, bits) : null;
    if (typeof evex === 'string') return evex;
    this.evex = evex;
    return null;
  }

  /** bnd/nobnd on a row that takes no BND, repne/repnz on one that does. */
  refuseBranchPrefixes(): string | null {
    const { row, req, ops, warnings } = this;
    if (req.prefixes.length === 0) return null; // nothing below applies without a prefix word
    // BND: only near branches take it; on JMP's short form NASM refuses an explicit
    // `short` and silently-short jumps lose the prefix with a warning. `nobnd` is allowed
    // where `bnd` is (measured: `nobnd jmp $` is EB FE, `nobnd jmp short $`, `nobnd add eax,ebx`
    // and `nobnd retf` are "nobnd prefix is not allowed").
    const relOp = ops.find((o) => o.kind === 'imm');
    const optimiserShort = row.bndShort && relOp?.kind === 'imm' && relOp.distance !== 'short';
    if (req.prefixes.includes('nobnd') && !row.bnd && !optimiserShort) return 'nobnd prefix is not allowed';
    // F2 written as repne/repnz on a row that takes BND: nasm refuses it, except on the short
    // Jcc the optimiser picks (measured: `repne jz $` is F2 74 FD, `repne jz short $`, `repne
    // jz $+0x100`, `repne call $` and `repne ret` are "repne prefix is not allowed"; JMP's short
    // form has no BND, so `repne jmp short $` is F2 EB FD).
    const repne = req.prefixes.find((x) => x === 'repne' || x === 'repnz');
    if (
      repne &&
      row.bnd &&
      !(row.operands.some((t) => t.optimizable) && relOp?.kind === 'imm' && relOp.distance === null)
    )
      return `${repne} prefix is not allowed`;
    if (req.prefixes.includes('bnd')) {
      if (optimiserShort) {
        this.dropBnd = true;
        warnings.push({
          message: 'jmp short does not init bnd regs - bnd prefix dropped',
          warningClass: 'prefix-bnd',
        });
      } else if (!row.bnd) return 'bnd prefix is not allowed';
    }
    return null;
  }

  /**
   * Prefix bytes in NASM's order (measured): wait, the REP slot (rep/repne/…,
   * or an `rs` row's own F2/F3), lock, segment, 0x66, 0x67 — whatever order
   * they were written in. Two different prefixes for one slot are an error.
   */
  writePrefixes(): string | null {
    const { row, req, warnings, buf, memOp } = this;
    if (conflictingPrefixes(req.prefixes)) return 'instruction has conflicting prefixes';
    const dropBnd = this.dropBnd;
    let repByte = -1;
    let lockWritten = false;
    for (const pfx of req.prefixes) {
      const b = LOCK_REP_PREFIX[pfx];
      if (b === undefined) continue;
      if (pfx === 'lock') {
        // One warning however many times it is written (measured: `lock lock add eax,ebx`).
        if (lockWritten) continue;
        lockWritten = true;
        // NASM: LOCK is only meaningful on a lockable row with a memory destination.
        if (!row.lock || !memOp) warnings.push({ message: 'instruction is not lockable', warningClass: 'prefix-lock' });
      } else if (!(pfx === 'bnd' && dropBnd)) repByte = b;
    }
    // `default bnd` (measured): every near branch takes F2, even over a REP prefix; JMP's short
    // form silently goes without; `nobnd` opts out.
    if (this.ctx.defaultBnd === true && row.bnd && !req.prefixes.includes('nobnd')) repByte = LOCK_REP_PREFIX.bnd!;
    this.hardwareLockElisionWarning(lockWritten);
    const repWritten = repByte >= 0;
    const firstCode = row.codes[0];
    if (!repWritten && row.repSlot && firstCode) repByte = firstCode.value;
    let p = this.p;
    if (row.wait || req.prefixes.includes('wait')) buf[p++] = 0x9b;
    if (repByte >= 0) buf[p++] = repByte;
    if (lockWritten || this.rex === -1) buf[p++] = 0xf0;
    if (this.segment) buf[p++] = SEGMENT_PREFIX[this.segment] as number;
    if (this.need66) buf[p++] = 0x66;
    if (this.need67) buf[p++] = 0x67;
    if (this.evex) for (const b of this.evex) buf[p++] = b;
    if (this.vex) p = writeVexPrefix(this.vex, buf, p);
    this.p = p;
    return null;
  }

  /**
   * NASM's HLE checks: XCHG takes both alone, MOV-to-memory takes XRELEASE,
   * other lockable rows need LOCK with them, the rest take neither.
   */
  private hardwareLockElisionWarning(lockWritten: boolean): void {
    const { row, memOp } = this;
    let hle = '';
    for (const x of this.req.prefixes) if (x === 'xacquire' || x === 'xrelease') hle ||= x;
    if (!hle) return;
    let problem: string;
    if (!memOp) problem = 'invalid with this instruction';
    else if (row.hle === 'x') problem = '';
    else if (row.hle === 'r') problem = hle === 'xacquire' ? 'invalid with this instruction' : '';
    else if (row.lock) problem = lockWritten ? '' : 'with this instruction requires lock';
    else problem = 'invalid with this instruction';
    if (problem) this.warnings.push({ message: `${hle} ${problem}`, warningClass: 'prefix-hle' });
  }

  /** The row's codes: opcode bytes, ModR/M, immediates; the relative field is left for finish(). */
  writeCodes(): void {
    const { row, buf } = this;
    const regOp = row.regIndex >= 0 ? (this.ops[row.regIndex] as Operand) : null;
    const regNum = regOp && regOp.kind === 'reg' ? regOp.reg.num & 7 : 0;
    let codeIndex = 0;
    let rexPending = this.rexByte >= 0;
    for (const code of row.codes) {
      // A REP-slot F2/F3 (`rs` rows) went out with the prefixes (or was replaced by a written rep).
      if (codeIndex++ === 0 && row.repSlot) continue;
      if (rexPending && !isLeadingPrefixByte(code, codeIndex - 1, row)) {
        buf[this.p++] = this.rexByte;
        rexPending = false;
      }
      this.writeCode(code, regNum);
    }
    if (rexPending) buf[this.p++] = this.rexByte; // a row of prefix bytes only (`o64` alone)
  }

  private writeCode(code: Code, regNum: number): void {
    const buf = this.buf;
    switch (code.op) {
      case CodeOp.Byte:
        buf[this.p++] = code.value;
        break;
      case CodeOp.BytePlusReg:
        buf[this.p++] = code.value + regNum;
        break;
      case CodeOp.ModRmReg:
        this.writeModRm(regNum);
        break;
      case CodeOp.ModRmSame:
        buf[this.p++] = 0xc0 | (regNum << 3) | regNum;
        break;
      case CodeOp.ModRmDigit:
        this.writeModRm(code.value);
        break;
      case CodeOp.Imm:
        this.writeImmediate(code);
        break;
      case CodeOp.FarSegment: {
        const o = this.ops[this.immIndex - 1];
        if (o && o.kind === 'imm' && o.farSegment && this.field(o.farSegment, 2, false))
          rangeWarning(o.farSegment.offset, 2, this.warnings, 'data');
        break;
      }
      case CodeOp.Moffs: {
        const { memOp, addrSize } = this;
        if (memOp && this.field(memOp.displacement, addrSize / 8, false) && addrSize !== 64)
          generalRangeWarning(memOp.displacement.offset, addrSize / 8, 'write', this.warnings);
        break;
      }
      case CodeOp.ModRmRegOnly:
        buf[this.p++] = 0xc0 | (regNum << 3);
        break;
      case CodeOp.Is4: {
        const o = this.ops[this.row.is4Index];
        buf[this.p++] = o?.kind === 'reg' ? (o.reg.num & 15) << 4 : 0;
        break;
      }
      case CodeOp.Rel: {
        const o = this.nextImmediate();
        if (!o || o.kind !== 'imm') break;
        this.relAt = this.p;
        this.relWidth = code.value;
        this.relValue = o.value;
        this.p += this.relWidth;
        break;
      }
    }
  }

  /** The operand of the next immediate place in the row's template. */
  private nextImmediate(): Operand | undefined {
    const { row, ops } = this;
    while (this.immIndex < ops.length) {
      const t = row.operands[this.immIndex] as TemplateOperand;
      const o = ops[this.immIndex++];
      if (t.role === 'i') return o;
    }
    return undefined;
  }

  private writeImmediate(code: Code): void {
    const o = this.nextImmediate();
    if (!o || o.kind !== 'imm') return;
    const width = code.value;
    const warnings = this.warnings;
    const n = o.value.offset;
    if (code.mode === 's' && width === 4) {
      if (!this.field(o.value, 4, true)) return;
      const t = BigInt.asIntN(64, n);
      if (outsideRange(t, 31, 31)) {
        overflowWarning(warnings, 'signed dword immediate exceeds bounds', 'write');
        overflowWarning(warnings, 'dword data exceeds bounds', 'write');
      }
    } else if (code.mode === 's') {
      // `push byte x` (a row of no operand size) pushes a qword in BITS 64; a written o16/o32/o64
      // sets the width nasm checks the value against, even where it warns the prefix is wrong
      // (`o16 push 0x100000000` in BITS 32 or 64: "word value exceeds bounds", measured).
      const written = writtenOperandSize(this.req.prefixes);
      const opSize = written ?? (this.bits === 64 && this.row.opSize === 0 ? 64 : this.opSize);
      if (this.field(o.value, 1, true)) signedByteWarning(n, opSize, o.size === 1, warnings);
    } else if (code.mode === 'u') {
      if (this.field(o.value, 1, false)) unsignedByteWarning(n, warnings);
    } else if (this.field(o.value, width, false)) {
      // A plain field, and `ib,uw` (an unsigned byte nasm checks as a plain one): it wraps.
      rangeWarning(n, width, warnings, 'data', true);
    }
  }

  /**
   * A number field: a plain number is written, anything else is written as its known part with
   * a fixup. Returns whether it was a plain number, which the caller then checks for its range
   * (callers check after writing: writing gives no warnings, so the order of messages is the same).
   */
  private field(v: Value, width: number, signed: boolean): boolean {
    const plain = isPlainNumber(v);
    writeLE(this.buf, this.p, v.unknown ? 0n : v.offset, width);
    if (!plain) this.fixups.push({ at: this.p, size: width as 1 | 2 | 4, value: v, relative: false, signed });
    this.p += width;
    return plain;
  }

  private writeModRm(reg: number): void {
    const { rmOp, buf } = this;
    if (!rmOp) return;
    if (rmOp.kind === 'reg') {
      buf[this.p++] = 0xc0 | (reg << 3) | (rmOp.reg.num & 7);
      return;
    }
    buf[this.p++] = ea.modRm | (reg << 3);
    if (ea.sib >= 0) buf[this.p++] = ea.sib;
    if (ea.ripRelative) {
      this.ripAt = this.p;
      this.p += 4;
    } else if (ea.dispSize) this.writeDisplacement();
  }

  private writeDisplacement(): void {
    const { bits, addrSize, warnings } = this;
    // A bare value as the address (`lea rdx,label`) in BITS 64 has a sign-extended disp32, as a
    // written `[label]` has (the assembler tells the two apart by this flag: R_X86_64_32S).
    const signed = ea.dispSize === 1 || (this.rmWritten?.kind === 'imm' && addrSize === 64);
    const n = ea.disp.offset;
    if (this.field(ea.disp, ea.dispSize, signed)) {
      if (ea.dispSize === 1) {
        if (bits === 64) displacementWarning(n, 1, warnings);
        else disp8Warnings(n, addrSize, warnings);
      } else if (addrSize === 64) displacementWarning(n, 4, warnings);
      else generalRangeWarning(n, ea.dispSize, 'displacement', warnings);
    } else if (ea.dispSize !== 1 && isSimpleRelocatable(ea.disp)) {
      // A label's displacement (its offset in its section plus the addend; an extern's addend)
      // is checked once, signed when a 64-bit address sign-extends it (measured, br2496848);
      // relocated immediates and data are not checked at all.
      if (addrSize === 64) signedRangeWarning(n, 4, warnings);
      else generalRangeWarning(n, ea.dispSize, 'write', warnings);
    }
  }

  /** The relative field and a RIP-relative displacement, now that the length is known; the result. */
  finish(): EncodeResult | null {
    const { row, ctx, buf, fixups, warnings, bits, p } = this;
    const v = this.relValue;
    if (v !== null) {
      const relAt = this.relAt;
      const relWidth = this.relWidth;
      // (A scaled address, `$+$`, is a number to nasm: a field for the output stage, as `jmp 0x1000`.)
      const inSection =
        v.base === ctx.segment && v.wrt === null && !v.segmentOf && (v.minusBase ?? null) === null && v.scaled !== true;
      if (!v.unknown && inSection) {
        const disp = v.offset - (ctx.offset + BigInt(p));
        // A near jump within the section: signed in 64-bit mode, else any 16/32-bit number (measured).
        // A rel16 outside BITS 16 (`jmp word $+40000` in BITS 32, 66 E9) is signed too: only
        // BITS 16's 64 KiB wrap takes any 16-bit number (measured: nasm warns "word data
        // exceeds bounds" for ±40000 in BITS 32, not in BITS 16).
        if ((relWidth > 1 && bits === 64) || (relWidth === 2 && bits === 32))
          signedRangeWarning(disp, relWidth, warnings);
        else if (relWidth > 1) generalRangeWarning(disp, relWidth, 'write', warnings);
        if (relWidth === 1 && (disp < -128n || disp > 127n)) {
          // An optimiser-chosen short form that does not reach: let the caller try the near row.
          const relIndex = templateIndex(row, 'rel');
          const o = this.ops[relIndex];
          // (Also at -O0: NASM still sizes conditional jumps there, measured `jo $-1000` → 0F 80.)
          if (row.operands[relIndex]?.optimizable && o?.kind === 'imm' && o.distance === null) return null;
          this.finalPassError = 'short jump is out of range';
        }
        writeLE(buf, relAt, disp, relWidth);
      } else {
        for (let k = 0; k < relWidth; k++) buf[relAt + k] = 0;
        fixups.push({ at: relAt, size: relWidth as 1 | 2 | 4, value: v, relative: true, signed: relWidth === 1 });
      }
    }
    if (this.ripAt >= 0 && resolveRipRelative(ea.disp, this.ripAt, p, ctx, buf, fixups) === 'local')
      signedRangeWarning(ea.disp.offset - (ctx.offset + BigInt(p)), 4, warnings);

    // The second sizing of an optimised branch: its prefix warnings again, before the writing
    // pass's own (measured: `cs lock jz $` in BITS 64 is lock, cs, lock, cs, cs).
    if (warnings.length > 0 && optimizableBranch(this.row, this.req)) {
      const found = warnings.length;
      for (let i = 0; i < found; i++) {
        const w = warnings[i] as EncodeWarning;
        if (RESIZED_WARNINGS.has(w.warningClass))
          warnings.push({ message: w.message, warningClass: w.warningClass, phase: 'size' });
      }
    }
    const result: EncodeResult = { ok: true, bytes: resultBytes(buf, p), fixups, warnings };
    if (this.finalPassError) result.finalPassError = this.finalPassError;
    return result;
  }
}

const EMISSION = new RowEmission();

/**
 * The bytes of every result are views into a shared pool, filled front to back and never written
 * again (a full pool is replaced; the views keep it alive): one small view per instruction instead
 * of a new Uint8Array and ArrayBuffer each (`slice`), which cost twice the memory and time.
 */
const POOL_SIZE = 8192;
let pool = new Uint8Array(POOL_SIZE);
let poolUsed = 0;

function resultBytes(buf: Uint8Array, length: number): Uint8Array {
  if (poolUsed + length > POOL_SIZE) {
    pool = new Uint8Array(POOL_SIZE);
    poolUsed = 0;
  }
  const at = poolUsed;
  for (let k = 0; k < length; k++) pool[at + k] = buf[k] as number;
  poolUsed = at + length;
  return new Uint8Array(pool.buffer, at, length);
}

function absoluteAddress(value: Value): MemoryOperand {
  return {
    kind: 'mem',
    size: null,
    strict: false,
    segment: null,
    registers: [],
    displacement: value,
    hasDisplacement: true,
    displacementSize: null,
    nosplit: false,
    relative: null,
  };
}

/** A symbol plus a number (no wrt, no segment base, no difference of labels): its offset is the field's addend. */
function isSimpleRelocatable(v: Value): boolean {
  return (
    !v.unknown &&
    v.base !== null &&
    v.wrt === null &&
    !v.segmentOf &&
    (v.minusBase ?? null) === null &&
    !v.complex &&
    !v.scaled
  );
}

/** The operand size an o16/o32/o64 prefix on the line asks for (the last one written), or null. */
function writtenOperandSize(prefixes: readonly string[]): 16 | 32 | 64 | null {
  let size: 16 | 32 | 64 | null = null;
  for (const p of prefixes) {
    if (p === 'o16') size = 16;
    else if (p === 'o32') size = 32;
    else if (p === 'o64') size = 64;
  }
  return size;
}

/** A memory operand of no written size among the operands. */
function hasUnsizedMemory(operands: readonly Operand[]): boolean {
  for (const o of operands) if (o.kind === 'mem' && o.size === null) return true;
  return false;
}
