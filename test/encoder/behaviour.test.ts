/**
 * Encoder behaviour beyond plain bytes: fixups for relocatable values, branch
 * sizing against the current segment, CPU levels, LOCK warnings, and the
 * speed the core relies on. Expected bytes/messages were observed with nasm
 * 2.16.01 (see fixtures/encoding/handwritten.src for the byte-level cases).
 */
import { describe, expect, it } from 'vitest';
import { constantValue, UNKNOWN_VALUE, type Value } from '../../src/core/value.js';
import { cpuDirectiveError, encodeInstruction, isInstructionPrefix, isMnemonic } from '../../src/encoder/index.js';
import { ALL_REGISTERS } from '../../src/encoder/registers.js';
import type { EncodeContext, EncodeSuccess, InstructionRequest, MemoryOperand } from '../../src/encoder/types.js';
import { parseLine } from './helpers/parse-line.js';

const SEG_TEXT = 1;
const SEG_DATA = 2;
const ctx = (over: Partial<EncodeContext> = {}): EncodeContext => ({
  bits: 32,
  segment: SEG_TEXT,
  offset: 0n,
  optimize: 2,
  cpu: 'all',
  defaultRel: false,
  ...over,
});
const rel = (base: number, offset: bigint): Value => ({ offset, base, unknown: false, wrt: null, segmentOf: false });

/** Parses `line`, replacing the first immediate (or the displacement) with `value`. */
function withValue(line: string, value: Value): InstructionRequest {
  const req = parseLine(line);
  for (const o of req.operands) {
    if (o.kind === 'imm') {
      o.value = value;
      break;
    }
    if (o.kind === 'mem') {
      o.displacement = value;
      o.hasDisplacement = true;
      break;
    }
  }
  return req;
}

function ok(r: ReturnType<typeof encodeInstruction>): EncodeSuccess {
  if (!r.ok) throw new Error(r.error);
  return r;
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe('encoder: fixups and relocatable values', () => {
  it('absolute field holding a section-relative value becomes a fixup', () => {
    const r = ok(encodeInstruction(withValue('mov ecx, 0', rel(SEG_DATA, 0x10n)), ctx()));
    expect(hex(r.bytes)).toBe('B910000000');
    expect(r.fixups).toEqual([{ at: 1, size: 4, value: rel(SEG_DATA, 0x10n), relative: false, signed: false }]);
  });

  it('a relocatable immediate never takes the sign-extended byte form', () => {
    const r = ok(encodeInstruction(withValue('add eax, 0', rel(SEG_DATA, 4n)), ctx()));
    expect(hex(r.bytes)).toBe('0504000000');
    expect(r.fixups[0]?.at).toBe(1);
  });

  it('a relocatable displacement is always disp32', () => {
    const r = ok(encodeInstruction(withValue('mov eax, [ebx+0]', rel(SEG_DATA, 4n)), ctx()));
    expect(hex(r.bytes)).toBe('8B8304000000');
    expect(r.fixups[0]).toMatchObject({ at: 2, size: 4, relative: false });
  });

  it('moffs form carries the fixup on the address', () => {
    const r = ok(encodeInstruction(withValue('mov eax, [0]', rel(SEG_DATA, 8n)), ctx()));
    expect(hex(r.bytes)).toBe('A108000000');
    expect(r.fixups[0]).toMatchObject({ at: 1, size: 4 });
  });

  it('call/jmp to another segment: near form with a relative fixup', () => {
    const call = ok(encodeInstruction(withValue('call 0', rel(SEG_DATA, 0n)), ctx()));
    expect(hex(call.bytes)).toBe('E800000000');
    expect(call.fixups[0]).toMatchObject({ at: 1, size: 4, relative: true });
    const jmp = ok(encodeInstruction(withValue('jmp 0', rel(SEG_DATA, 0n)), ctx()));
    expect(hex(jmp.bytes)).toBe('E900000000');
  });

  it('jump to the same segment is resolved by the encoder, short when it reaches', () => {
    expect(hex(ok(encodeInstruction(withValue('jmp 0', rel(SEG_TEXT, 0x100n)), ctx({ offset: 0xf0n }))).bytes)).toBe(
      'EB0E',
    );
    expect(hex(ok(encodeInstruction(withValue('jmp 0', rel(SEG_TEXT, 0x200n)), ctx({ offset: 0xf0n }))).bytes)).toBe(
      'E90B010000',
    );
    expect(hex(ok(encodeInstruction(withValue('jne 0', rel(SEG_TEXT, 0x200n)), ctx({ offset: 0xf0n }))).bytes)).toBe(
      '0F850A010000',
    );
  });

  // Measured with nasm 2.16.01: `jmp L / add eax, K / times 123 nop / L: / K equ 1`
  // assembles to EB 7E 83 C0 01 … — pass 1 assumed the imm8 form for the unknown K.
  // A displacement is the opposite: `mov eax, [ebx+K]` in the same spot makes the jmp near.
  it('unknown (forward) target: short jump, imm8,s immediate, full-size displacement', () => {
    expect(ok(encodeInstruction(withValue('jmp 0', UNKNOWN_VALUE), ctx())).bytes.length).toBe(2);
    expect(ok(encodeInstruction(withValue('je 0', UNKNOWN_VALUE), ctx())).bytes.length).toBe(2);
    expect(ok(encodeInstruction(withValue('add eax, 0', UNKNOWN_VALUE), ctx())).bytes.length).toBe(3);
    expect(ok(encodeInstruction(withValue('mov eax, [ebx+1]', UNKNOWN_VALUE), ctx())).bytes.length).toBe(6);
  });

  it("explicit short jump out of range reports nasm's final-pass error", () => {
    const r = ok(encodeInstruction(withValue('jmp short 0', rel(SEG_TEXT, 0x1000n)), ctx()));
    expect(r.finalPassError).toBe('short jump is out of range');
    expect(r.bytes.length).toBe(2);
  });
});

describe('encoder: cpu levels and prefixes', () => {
  const err = (line: string, c: Partial<EncodeContext>) => {
    const r = encodeInstruction(parseLine(line), ctx(c));
    return r.ok ? hex(r.bytes) : r.error;
  };
  it("rejects instructions above the cpu level with nasm's message", () => {
    expect(err('cmovz eax, ebx', { cpu: '386' })).toBe('no instruction for this cpu level');
    expect(err('push 5', { cpu: '8086', bits: 16 })).toBe('no instruction for this cpu level');
    expect(err('addps xmm0, xmm1', { cpu: '686' })).toBe('no instruction for this cpu level');
    expect(err('cmovz eax, ebx', { cpu: '686' })).toBe('0F44C3');
  });
  it('warns about LOCK on a non-lockable instruction (and still emits it)', () => {
    const r = ok(encodeInstruction(parseLine('lock add eax, ebx'), ctx({ bits: 16 })));
    expect(hex(r.bytes)).toBe('F06601D8');
    expect(r.warnings).toEqual([{ message: 'instruction is not lockable', warningClass: 'prefix-lock' }]);
    expect(ok(encodeInstruction(parseLine('lock add [eax], ebx'), ctx())).warnings).toEqual([]);
  });
  it('classifies names', () => {
    expect(isMnemonic('MOV')).toBe(true);
    expect(isMnemonic('cmovnle')).toBe(true);
    expect(isMnemonic('foo')).toBe(false);
    for (const p of ['lock', 'REP', 'repne', 'o16', 'a32', 'es', 'wait']) expect(isInstructionPrefix(p)).toBe(true);
    expect(isInstructionPrefix('mov')).toBe(false);
  });
});

describe('encoder: reused scratch state', () => {
  it('gives the same bytes on every repeated call (speed is measured by npm run bench)', () => {
    const reqs = [
      'mov eax, [ebx+esi*4+8]',
      'add eax, 1',
      'jne $+0x20',
      'push ebp',
      'movzx eax, byte [edi]',
      'addps xmm0, [eax]',
    ].map((l) => parseLine(l));
    const c = ctx();
    const bytesOf = (r: InstructionRequest | undefined): string => {
      const result = encodeInstruction(r as InstructionRequest, c);
      return result.ok ? result.bytes.join(',') : result.error;
    };
    const first = reqs.map(bytesOf);
    for (let i = 0; i < 2000; i++) {
      const k = i % reqs.length;
      expect(bytesOf(reqs[k])).toBe(first[k]);
    }
  });
});

describe('encoder: interface additions (built without the test parser)', () => {
  const reg = (name: string) => {
    const r = ALL_REGISTERS.find((x) => x.name === name);
    if (!r) throw new Error(name);
    return r;
  };
  const mem = (registers: MemoryOperand['registers'], disp: bigint): MemoryOperand => ({
    kind: 'mem',
    size: null,
    strict: false,
    segment: null,
    registers,
    displacement: constantValue(disp),
    hasDisplacement: disp !== 0n,
    displacementSize: null,
    nosplit: false,
    relative: null,
  });
  it('MPX split addresses: the register marked `index` is the SIB index even alone (nasm: bndldx bnd0,[0x10,edi])', () => {
    const bnd0 = { kind: 'reg', reg: reg('bnd0'), size: null } as const;
    const alone = encodeInstruction(
      { mnemonic: 'bndldx', prefixes: [], operands: [bnd0, mem([{ reg: reg('edi'), scale: 1, index: true }], 0x10n)] },
      ctx(),
    );
    expect(ok(alone).bytes).toEqual(Uint8Array.from([0x0f, 0x1a, 0x04, 0x3d, 0x10, 0, 0, 0]));
    const plain = encodeInstruction(
      { mnemonic: 'bndldx', prefixes: [], operands: [bnd0, mem([{ reg: reg('edi'), scale: 1 }], 0x10n)] },
      ctx(),
    );
    expect(ok(plain).bytes).toEqual(Uint8Array.from([0x0f, 0x1a, 0x47, 0x10]));
  });
  it("64-bit-only registers and forms give nasm's mode errors outside BITS 64", () => {
    const err = (line: string, bits: 16 | 32 = 32) => {
      const r = encodeInstruction(parseLine(line), ctx({ bits }));
      return r.ok ? 'ok' : r.error;
    };
    expect(err('add rax, 1')).toBe('instruction not supported in 32-bit mode');
    expect(err('inc qword [eax]', 16)).toBe('instruction not supported in 16-bit mode');
    expect(err('mov r8d, 1')).toBe('invalid operands in non-64-bit mode');
    expect(err('mov sil, 1')).toBe('invalid operands in non-64-bit mode');
    expect(err('pinsrb xmm1, sil, 1')).toBe('ok');
    expect(err('pinsrb xmm1, ah, 1')).toBe('instruction cannot use high registers');
  });
  it("cpuDirectiveError accepts nasm's cpu names only, with nasm's message", () => {
    for (const n of ['8086', '386', 'P4', 'katmai', 'x86-64', 'nehalem', 'sandybridge', 'ivybridge', 'all', 'default'])
      expect(cpuDirectiveError(n)).toBeNull();
    expect(cpuDirectiveError('Core2')).toBe("unknown CPU type or flag 'Core2'");
    expect(cpuDirectiveError('haswell')).toBe("unknown CPU type or flag 'haswell'");
  });
});
