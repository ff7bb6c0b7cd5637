/**
 * Single instructions measured against ndisasm 2.16.01 (fixtures/disasm/probes.src, recorded as
 * probes16/32/64.txt by scripts/gen-disasm-probes.mjs): tsndisasm must print every line as ndisasm did.
 * The bytes come from probes.src, so a recording that no longer matches its source fails here too.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ndisasmText, type NdisasmOptions } from '../../src/disasm/ndisasm.js';
import { disassemble } from '../../src/disasm/index.js';

const DIR = join(import.meta.dirname, '../../fixtures/disasm');

/** The probes of one mode: each instruction's bytes, in file order. */
function probes(bits: 16 | 32 | 64): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const line of readFileSync(join(DIR, 'probes.src'), 'utf8').split('\n')) {
    const m = /^(16|32|64) +([0-9A-Fa-f]+)\b/.exec(line);
    if (m && Number(m[1]) === bits) out.push(Uint8Array.from(Buffer.from(m[2] as string, 'hex')));
  }
  return out;
}

describe('single instructions: tsndisasm = ndisasm (recorded)', () => {
  for (const bits of [16, 32, 64] as const) {
    it(`BITS ${bits}`, () => {
      const parts = probes(bits);
      const bytes = Uint8Array.from(parts.flatMap((p) => [...p]));
      const syncs: bigint[] = [];
      let at = 0;
      for (const p of parts) {
        syncs.push(BigInt(at));
        at += p.length;
      }
      const options: NdisasmOptions = {
        bits,
        origin: 0n,
        skipHeader: 0n,
        skips: [],
        syncs,
        autoSync: false,
        vendor: 'intel',
      };
      const want = readFileSync(join(DIR, `probes${bits}.txt`), 'latin1');
      expect(ndisasmText(bytes, options).split('\n')).toEqual(want.split('\n'));
      expect(parts.length).toBeGreaterThan(5);
    });
  }
});

describe('NASM source of the probes says what the bytes are, not what ndisasm prints', () => {
  const source = (hex: string, bits: 16 | 32 | 64): string =>
    disassemble(Uint8Array.from(Buffer.from(hex, 'hex')), { bits })
      .map((i) => i.source)
      .join(' ; ');
  it('a VEX gather in BITS 64 names the index the bytes hold (ndisasm adds 16)', () => {
    expect(source('C4E269921C90', 64)).toBe('vgatherdps xmm3,[rax+xmm2*4],xmm2');
  });
  it('an /is4 register 8-15 outside BITS 64 keeps its top bit (ndisasm drops it; nasm writes it)', () => {
    expect(source('C4E3454BE3E0', 32)).toBe('vblendvpd ymm4,ymm7,ymm3,ymm14');
  });
  it('a MIB operand keeps the one-address spelling NASM reads back (nasm: 0F 1A 44 98 F0)', () => {
    expect(source('0F1A4498F0', 32)).toBe('bndldx bnd0,[eax+ebx*4-0x10]');
  });
  it('a 16-bit address ndisasm shows as a register is the memory form NASM assembles these bytes from', () => {
    // nasm 2.16.01 (BITS 16): C5 D0 12 10, 66 0F 70 10 01, 26 C5 D0 12 10, C5 FA 11 10.
    expect(source('C5D01210', 16)).toBe('vmovlps xmm2,xmm5,qword [bx+si]');
    expect(source('660F701001', 16)).toBe('pshufd xmm2,[bx+si],0x1');
    expect(source('26C5D01210', 16)).toBe('vmovlps xmm2,xmm5,qword [es:bx+si]');
    expect(source('C5FA1110', 16)).toBe('vmovss dword [bx+si],xmm2');
  });
  it('and the bytes themselves where no form has that memory operand (VMOVMSKPS takes a register only)', () => {
    expect(source('C5F85010', 16)).toBe('db 0xc5,0xf8,0x50,0x10');
  });
});
