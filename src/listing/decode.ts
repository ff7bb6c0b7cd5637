/**
 * Takes apart the bytes of one i386 instruction (as the assembler emitted
 * them) into prefixes, opcode, ModR/M, SIB, displacement and immediate, for
 * the `--explain` view. The layout rules are the Intel SDM's (vol. 2, ch. 2);
 * which opcodes carry a ModR/M byte is the only per-opcode knowledge needed,
 * because the instruction's total length is known: whatever follows the
 * addressing bytes is the immediate (or branch offset / memory offset).
 */
import type { Register } from '../encoder/registers.js';

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
};

const GPR: Record<number, string[]> = {
  1: ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'],
  2: ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'],
  4: ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'],
};

const RM16 = ['bx+si', 'bx+di', 'bp+si', 'bp+di', 'si', 'di', 'bp', 'bx'];

/** One-byte opcodes followed by a ModR/M byte. */
function oneByteHasModrm(op: number): boolean {
  if (op < 0x40) return (op & 7) < 4;
  if (op >= 0x80 && op <= 0x8f) return true;
  if (op >= 0xd8 && op <= 0xdf) return true; // x87 escape
  if (op >= 0xd0 && op <= 0xd3) return true;
  return [0x62, 0x63, 0x69, 0x6b, 0xc0, 0xc1, 0xc4, 0xc5, 0xc6, 0xc7, 0xf6, 0xf7, 0xfe, 0xff].includes(op);
}

/** Two-byte (0F xx) opcodes *without* a ModR/M byte; nearly all others have one. */
function twoByteHasModrm(op: number): boolean {
  if (op >= 0x80 && op <= 0x8f) return false; // jcc rel32
  if (op >= 0xc8 && op <= 0xcf) return false; // bswap r32
  return ![
    0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x77, 0xa0, 0xa1, 0xa2, 0xa8, 0xa9, 0xaa,
  ].includes(op);
}

/** Opcodes whose reg field is an opcode extension (`/digit`) rather than a register. */
function regIsExtension(opcode: number[]): boolean {
  const op = opcode[opcode.length - 1]!;
  if (opcode.length === 1) {
    return (
      (op >= 0x80 && op <= 0x83) ||
      op === 0x8f ||
      op === 0xc0 ||
      op === 0xc1 ||
      op === 0xc6 ||
      op === 0xc7 ||
      (op >= 0xd0 && op <= 0xd3) ||
      (op >= 0xd8 && op <= 0xdf) ||
      op === 0xf6 ||
      op === 0xf7 ||
      op === 0xfe ||
      op === 0xff
    );
  }
  return opcode.length === 2 && [0x00, 0x01, 0x18, 0xba, 0xc7, 0x71, 0x72, 0x73, 0xae].includes(op);
}

/** Byte-sized operand forms (the w bit clear), for naming registers when the source gives no hint. */
function isByteOperation(opcode: number[]): boolean {
  const op = opcode[opcode.length - 1]!;
  if (opcode.length === 2) return op === 0xb6 || op === 0xbe || (op >= 0x90 && op <= 0x9f);
  if (op < 0x40) return (op & 7) === 0 || (op & 7) === 2;
  return [0x80, 0x82, 0x84, 0x86, 0x88, 0x8a, 0xc0, 0xc6, 0xd0, 0xd2, 0xf6, 0xfe].includes(op);
}

function readLittle(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return BigInt.asIntN(size * 8, v);
}

function hexByte(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

export interface DecodeContext {
  /** BITS in effect (16 or 32). */
  bits: 16 | 32;
  mnemonic: string;
  /** Register operands written in the source, used to name reg/rm fields by their class. */
  registers: Register[];
}

/** Splits an instruction's bytes into its fields. */
export function decodeInstruction(bytes: Uint8Array, context: DecodeContext): DecodedInstruction {
  const fields: DecodedField[] = [];
  const prefixes: number[] = [];
  let at = 0;
  while (at < bytes.length && PREFIX_NAMES[bytes[at]!] !== undefined) {
    prefixes.push(bytes[at]!);
    fields.push({ kind: 'prefix', at, bytes: [bytes[at]!], description: PREFIX_NAMES[bytes[at]!]! });
    at++;
  }
  const operandSize = (context.bits === 32) !== prefixes.includes(0x66) ? 4 : 2;
  const addressSize = (context.bits === 32) !== prefixes.includes(0x67) ? 32 : 16;

  const opcodeStart = at;
  const opcode: number[] = [];
  let hasModrm = false;
  if (bytes[at] === 0x0f) {
    opcode.push(0x0f);
    at++;
    const second = bytes[at] ?? 0;
    opcode.push(second);
    at++;
    if (second === 0x38 || second === 0x3a) {
      opcode.push(bytes[at] ?? 0);
      at++;
      hasModrm = true;
    } else {
      hasModrm = twoByteHasModrm(second);
    }
  } else if (at < bytes.length) {
    opcode.push(bytes[at]!);
    at++;
    hasModrm = oneByteHasModrm(opcode[0]!);
  }
  const last = opcode[opcode.length - 1] ?? 0;
  let opcodeText = `opcode ${opcode.map(hexByte).join(' ')} (${context.mnemonic})`;
  const embedded =
    (opcode.length === 1 &&
      ((last >= 0x40 && last <= 0x5f) || (last >= 0x90 && last <= 0x97) || (last >= 0xb0 && last <= 0xbf))) ||
    (opcode.length === 2 && last >= 0xc8 && last <= 0xcf);
  if (embedded && !(opcode.length === 1 && last === 0x90)) {
    const size = opcode.length === 1 && last >= 0xb0 && last <= 0xb7 ? 1 : operandSize;
    opcodeText += `: register ${GPR[size]![last & 7]} (${(last & 7).toString(2).padStart(3, '0')}) is in the low 3 bits (+r form)`;
  }
  fields.push({ kind: 'opcode', at: opcodeStart, bytes: opcode, description: opcodeText });

  const fallbackSize = isByteOperation(opcode) ? 1 : operandSize;
  const nameRegister = (num: number, exclude: Register | null): { text: string; reg: Register | null } => {
    const match = context.registers.find((r) => r.num === num && r !== exclude);
    if (match) return { text: match.name, reg: match };
    return { text: GPR[fallbackSize]![num]!, reg: null };
  };

  let modrm: ModRM | null = null;
  let sib: Sib | null = null;
  let displacement: DecodedInstruction['displacement'] = null;
  if (hasModrm && at < bytes.length) {
    const byte = bytes[at]!;
    const mod = byte >> 6;
    const reg = (byte >> 3) & 7;
    const rm = byte & 7;
    const regNamed = regIsExtension(opcode)
      ? { text: `/${reg}: opcode extension selecting ${context.mnemonic}`, reg: null }
      : nameRegister(reg, null);
    let rmMeaning: string;
    let displacementSize = 0;
    let sibByte: number | null = null;
    if (mod === 3) {
      rmMeaning = `register ${nameRegister(rm, regNamed.reg).text}`;
    } else if (addressSize === 32) {
      if (rm === 4) {
        sibByte = bytes[at + 1] ?? 0;
        rmMeaning = 'memory, address given by the SIB byte';
      } else if (mod === 0 && rm === 5) {
        rmMeaning = 'memory at an absolute 32-bit displacement (no base register)';
      } else {
        rmMeaning = `memory at [${GPR[4]![rm]}${mod === 0 ? '' : ' + displacement'}]`;
      }
      displacementSize = mod === 1 ? 1 : mod === 2 || (mod === 0 && rm === 5) ? 4 : 0;
      if (sibByte !== null && mod === 0 && (sibByte & 7) === 5) displacementSize = 4;
    } else {
      if (mod === 0 && rm === 6) rmMeaning = 'memory at an absolute 16-bit displacement';
      else rmMeaning = `memory at [${RM16[rm]}${mod === 0 ? '' : ' + displacement'}]`;
      displacementSize = mod === 1 ? 1 : mod === 2 || (mod === 0 && rm === 6) ? 2 : 0;
    }
    modrm = { mod, reg, rm, regMeaning: regNamed.text, rmMeaning };
    const bits = (n: number, w: number): string => n.toString(2).padStart(w, '0');
    fields.push({
      kind: 'modrm',
      at,
      bytes: [byte],
      description: `ModR/M ${bits(byte, 8)}: mod=${bits(mod, 2)}, reg=${bits(reg, 3)} (${regNamed.text}), rm=${bits(rm, 3)} (${rmMeaning})`,
    });
    at++;
    if (sibByte !== null) {
      const scale = 1 << (sibByte >> 6);
      const index = (sibByte >> 3) & 7;
      const base = sibByte & 7;
      const indexMeaning = index === 4 ? 'none' : `${GPR[4]![index]}*${scale}`;
      const baseMeaning = base === 5 && mod === 0 ? 'none (disp32 instead)' : GPR[4]![base]!;
      sib = { scale, index, base, indexMeaning, baseMeaning };
      fields.push({
        kind: 'sib',
        at,
        bytes: [sibByte],
        description: `SIB ${bits(sibByte, 8)}: scale=${bits(sibByte >> 6, 2)} (×${scale}), index=${bits(index, 3)} (${indexMeaning}), base=${bits(base, 3)} (${baseMeaning})`,
      });
      at++;
    }
    if (displacementSize > 0) {
      const value = readLittle(bytes, at, displacementSize);
      displacement = { at, size: displacementSize, value };
      const why =
        displacementSize === 1
          ? `disp8, sign-extended: ${value} fits in -128..127, so the short form was chosen`
          : `disp${displacementSize * 8}${mod === 0 ? ' (absolute address)' : `: ${value} does not fit in a signed byte`}`;
      fields.push({
        kind: 'displacement',
        at,
        bytes: Array.from(bytes.slice(at, at + displacementSize)),
        description: why,
      });
      at += displacementSize;
    }
  }

  let immediate: DecodedInstruction['immediate'] = null;
  if (at < bytes.length) {
    const size = bytes.length - at;
    const value = readLittle(bytes, at, Math.min(size, 8));
    immediate = { at, size, value };
    const isShortBranch =
      opcode.length === 1 && ((last >= 0x70 && last <= 0x7f) || last === 0xeb || (last >= 0xe0 && last <= 0xe3));
    const isNearBranch =
      (opcode.length === 1 && (last === 0xe8 || last === 0xe9)) ||
      (opcode.length === 2 && last >= 0x80 && last <= 0x8f);
    const isMoffs = opcode.length === 1 && last >= 0xa0 && last <= 0xa3;
    let kind: DecodedField['kind'] = 'immediate';
    let description: string;
    if (isShortBranch) {
      kind = 'relative';
      description = `rel8: target = end of instruction ${value >= 0n ? '+' : '-'} ${value < 0n ? -value : value}; the short form fits because the distance is within -128..127`;
    } else if (isNearBranch) {
      kind = 'relative';
      description = `rel${size * 8}: target = end of instruction + ${value} (signed)`;
    } else if (isMoffs) {
      kind = 'moffs';
      description = `moffs${size * 8}: the memory address itself (accumulator form, no ModR/M)`;
    } else if (size === 1 && (last === 0x83 || last === 0x6b || last === 0x6a) && opcode.length === 1) {
      description = `imm8, sign-extended to ${operandSize * 8} bits, because ${value} fits in -128..127`;
    } else {
      description = `imm${size * 8} = ${size === 1 ? BigInt.asUintN(8, value) : value}`;
    }
    fields.push({ kind, at, bytes: Array.from(bytes.slice(at)), description });
  }
  return { prefixes, opcode, modrm, sib, displacement, immediate, fields };
}
