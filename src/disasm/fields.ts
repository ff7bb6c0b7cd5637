/**
 * An instruction's bytes taken apart field by field (prefixes, opcode,
 * ModR/M, SIB, displacement, immediates), each with a sentence saying what
 * it means, for the teaching views (`--explain`). The split comes from the
 * table-driven decoder (decode.ts): which row matched says whether the reg
 * field is a register or a `/digit`, which register class each field names,
 * and what follows the addressing bytes.
 */
import { CodeOp, type Row, type TemplateOperand } from '../encoder/table.js';
import { decodeOne, type Bits, type Decoded, type TailField } from './decode.js';
import { registerName } from './render.js';

export interface DecodedField {
  kind: 'prefix' | 'opcode' | 'modrm' | 'sib' | 'displacement' | 'immediate' | 'relative' | 'moffs';
  /** Offset of the field inside the instruction. */
  at: number;
  bytes: number[];
  description: string;
}

export interface ModRM {
  mod: number;
  reg: number;
  rm: number;
  /** What the reg field names: a register, or an opcode extension `/n`. */
  regMeaning: string;
  /** What mod+rm name: a register (mod=11) or an addressing form. */
  rmMeaning: string;
}

export interface Sib {
  scale: number;
  index: number;
  base: number;
  indexMeaning: string;
  baseMeaning: string;
}

export interface DecodedInstruction {
  prefixes: number[];
  opcode: number[];
  modrm: ModRM | null;
  sib: Sib | null;
  displacement: { at: number; size: number; value: bigint } | null;
  /** The first field after the addressing bytes (immediate, branch offset or memory offset). */
  immediate: { at: number; size: number; value: bigint } | null;
  fields: DecodedField[];
}

const PREFIX_NAMES: Record<number, string> = {
  0xf0: 'LOCK',
  0xf2: 'REPNE',
  0xf3: 'REP/REPE',
  0x2e: 'CS segment override',
  0x36: 'SS segment override',
  0x3e: 'DS segment override',
  0x26: 'ES segment override',
  0x64: 'FS segment override',
  0x65: 'GS segment override',
  0x66: 'operand-size override (switches between 16- and 32-bit operands)',
  0x67: 'address-size override (switches between 16- and 32-bit addressing)',
  0x9b: 'FWAIT (waits for pending x87 exceptions before the instruction)',
};

const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const RM16 = ['bx+si', 'bx+di', 'bp+si', 'bp+di', 'si', 'di', 'bp', 'bx'];

const hexByte = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');
const binary = (n: number, width: number): string => n.toString(2).padStart(width, '0');

function signed(value: number, size: number): bigint {
  return BigInt.asIntN(size * 8, BigInt(value));
}

/** The name of register `num` as the row's operand `t` reads it (its class, or the operand size's general registers). */
/** REX bits: R extends ModR/M reg, X the SIB index, B ModR/M r/m, the SIB base and +r opcodes. */
const REX_R = 4;
const REX_X = 2;
const REX_B = 1;

/** A 3-bit register field with its REX extension bit (`rexBit`) applied. */
const extended = (d: Decoded, num: number, rexBit: number): number => num | (d.rex & rexBit ? 8 : 0);

function operandRegister(t: TemplateOperand | undefined, num: number, d: Decoded): string {
  if (t?.regClass) return registerName(t.regClass, num, d.rex);
  return registerName(d.operandSize === 16 ? 'gpr16' : d.operandSize === 64 ? 'gpr64' : 'gpr32', num, d.rex);
}

/** The address register named by a 3-bit field (with its REX bit), in the address size in use. */
const addressRegister = (d: Decoded, num: number, rexBit: number): string =>
  registerName(d.addressSize === 64 ? 'gpr64' : 'gpr32', extended(d, num, rexBit));

function memoryMeaning(d: Decoded, mod: number, rm: number): string {
  if (d.addressSize === 64 || (d.addressSize === 32 && d.bits === 64)) {
    if (rm === 4) return 'memory, address given by the SIB byte';
    if (mod === 0 && rm === 5)
      return 'memory at rip + disp32 (RIP-relative: the address is relative to the next instruction)';
    return `memory at [${addressRegister(d, rm, REX_B)}${mod === 0 ? '' : ' + displacement'}]`;
  }
  if (d.addressSize === 32) {
    if (rm === 4) return 'memory, address given by the SIB byte';
    if (mod === 0 && rm === 5) return 'memory at an absolute 32-bit displacement (no base register)';
    return `memory at [${GPR32[rm]}${mod === 0 ? '' : ' + displacement'}]`;
  }
  if (mod === 0 && rm === 6) return 'memory at an absolute 16-bit displacement';
  return `memory at [${RM16[rm]}${mod === 0 ? '' : ' + displacement'}]`;
}

function opcodeField(d: Decoded, mnemonic: string): DecodedField {
  let description = `opcode ${d.opcode.map(hexByte).join(' ')} (${mnemonic})`;
  if (d.pattern.plusReg) {
    const num = extended(d, (d.opcode[d.opcode.length - 1] ?? 0) & 7, REX_B);
    const t = d.pattern.row.operands.find((o) => o.role === 'r');
    description += `: register ${operandRegister(t, num, d)} (${binary(num, 3)}) is in the low 3 bits (+r form)`;
  }
  return { kind: 'opcode', at: d.opcodeAt, bytes: [...d.opcode], description };
}

function modrmFields(d: Decoded, mnemonic: string, out: DecodedField[]): ModRM | null {
  const m = d.modrm;
  if (!m) return null;
  const row: Row = d.pattern.row;
  const regMeaning =
    d.pattern.digit >= 0
      ? `/${m.reg}: opcode extension selecting ${mnemonic}`
      : operandRegister(
          row.operands.find((o) => o.role === 'r'),
          extended(d, m.reg, REX_R),
          d,
        );
  const rmMeaning =
    m.mod === 3
      ? `register ${operandRegister(
          row.operands.find((o) => o.role === 'm'),
          extended(d, m.rm, REX_B),
          d,
        )}`
      : memoryMeaning(d, m.mod, m.rm);
  out.push({
    kind: 'modrm',
    at: m.at,
    bytes: [m.byte],
    description: `ModR/M ${binary(m.byte, 8)}: mod=${binary(m.mod, 2)}, reg=${binary(m.reg, 3)} (${regMeaning}), rm=${binary(m.rm, 3)} (${rmMeaning})`,
  });
  return { mod: m.mod, reg: m.reg, rm: m.rm, regMeaning, rmMeaning };
}

function sibField(d: Decoded, out: DecodedField[]): Sib | null {
  const s = d.sib;
  if (!s) return null;
  const scale = 1 << s.scale;
  const index = extended(d, s.index, REX_X);
  const indexMeaning = index === 4 ? 'none' : `${addressRegister(d, s.index, REX_X)}*${scale}`;
  const baseMeaning = s.base === 5 && d.modrm?.mod === 0 ? 'none (disp32 instead)' : addressRegister(d, s.base, REX_B);
  out.push({
    kind: 'sib',
    at: s.at,
    bytes: [s.byte],
    description: `SIB ${binary(s.byte, 8)}: scale=${binary(s.scale, 2)} (×${scale}), index=${binary(s.index, 3)} (${indexMeaning}), base=${binary(s.base, 3)} (${baseMeaning})`,
  });
  return { scale, index: s.index, base: s.base, indexMeaning, baseMeaning };
}

function tailField(f: TailField, d: Decoded, bytes: Uint8Array): DecodedField {
  const raw = Array.from(bytes.subarray(f.at, f.at + f.size));
  const value = signed(f.value, f.size);
  const bits = f.size * 8;
  if (f.code.op === CodeOp.Rel) {
    const description =
      f.size === 1
        ? `rel8: target = end of instruction ${value >= 0n ? '+' : '-'} ${value < 0n ? -value : value}; the short form fits because the distance is within -128..127`
        : `rel${bits}: target = end of instruction + ${value} (signed)`;
    return { kind: 'relative', at: f.at, bytes: raw, description };
  }
  if (f.code.op === CodeOp.Moffs)
    return {
      kind: 'moffs',
      at: f.at,
      bytes: raw,
      description: `moffs${bits}: the memory address itself (accumulator form, no ModR/M)`,
    };
  if (f.code.op === CodeOp.FarSegment)
    return { kind: 'immediate', at: f.at, bytes: raw, description: `segment = ${f.value} (of the far pointer)` };
  if (f.code.mode === 's')
    return {
      kind: 'immediate',
      at: f.at,
      bytes: raw,
      description: `imm8, sign-extended to ${d.operandSize} bits, because ${value} fits in -128..127`,
    };
  return { kind: 'immediate', at: f.at, bytes: raw, description: `imm${bits} = ${f.size === 1 ? f.value : value}` };
}

/**
 * The REX prefix (BITS 64): four bits that widen the operand to 64 bits (W) and add a fourth bit
 * to the ModR/M reg field (R), the SIB index (X) and the ModR/M r/m, SIB base or opcode register (B).
 */
function rexField(d: Decoded): DecodedField {
  const bit = (mask: number): number => (d.rex & mask ? 1 : 0);
  const w = bit(8);
  const r = bit(4);
  const x = bit(2);
  const b = bit(1);
  const parts = [
    `W=${w}${w ? ' (64-bit operand size)' : ''}`,
    `R=${r}${r ? ' (ModR/M reg + 8)' : ''}`,
    `X=${x}${x ? ' (SIB index + 8)' : ''}`,
    `B=${b}${b ? ' (ModR/M r/m, SIB base or opcode register + 8)' : ''}`,
  ];
  return { kind: 'prefix', at: d.opcodeAt - 1, bytes: [d.rex], description: `REX ${parts.join(', ')}` };
}

/**
 * Splits the instruction at the start of `bytes` into its fields. `mnemonic`
 * names the instruction in the descriptions (default: the matched row's).
 * Bytes no table row decodes come back as one opcode field saying so.
 */
export function decodeFields(bytes: Uint8Array, bits: Bits, mnemonic?: string): DecodedInstruction {
  const d = decodeOne(bytes, bits);
  if (!d) {
    const all = Array.from(bytes);
    const description = `${all.map(hexByte).join(' ')}: no form in the instruction table decodes these bytes`;
    return {
      prefixes: [],
      opcode: all,
      modrm: null,
      sib: null,
      displacement: null,
      immediate: null,
      fields: [{ kind: 'opcode', at: 0, bytes: all, description }],
    };
  }
  const name = mnemonic ?? d.pattern.row.mnemonic;
  const fields: DecodedField[] = d.prefixes.map((b, at) => ({
    kind: 'prefix',
    at,
    bytes: [b],
    description: PREFIX_NAMES[b] ?? 'prefix',
  }));
  if (d.rex !== 0) fields.push(rexField(d));
  fields.push(opcodeField(d, name));
  const modrm = modrmFields(d, name, fields);
  const sib = sibField(d, fields);
  let displacement: DecodedInstruction['displacement'] = null;
  const disp = d.displacement;
  if (disp) {
    const value = signed(disp.value, disp.size);
    displacement = { at: disp.at, size: disp.size, value };
    const why =
      disp.size === 1
        ? `disp8, sign-extended: ${value} fits in -128..127, so the short form was chosen`
        : modrm?.mod === 0 && modrm.rm === 5 && d.bits === 64 && !d.sib
          ? `disp32, relative to the end of the instruction (RIP-relative): ${value}`
          : `disp${disp.size * 8}${modrm?.mod === 0 ? ' (absolute address)' : `: ${value} does not fit in a signed byte`}`;
    fields.push({
      kind: 'displacement',
      at: disp.at,
      bytes: Array.from(bytes.subarray(disp.at, disp.at + disp.size)),
      description: why,
    });
  }
  const tail = d.tail.map((f) => tailField(f, d, bytes));
  fields.push(...tail);
  const first = d.tail[0];
  const immediate = first ? { at: first.at, size: first.size, value: signed(first.value, first.size) } : null;
  return { prefixes: [...d.prefixes], opcode: [...d.opcode], modrm, sib, displacement, immediate, fields };
}
