/**
 * EVEX (AVX-512) decoding against ndisasm 2.16.01: the EVEX corpus (nasm's
 * bytes for every AVX-512 row) as ndisasm reads it, recorded by
 * scripts/gen-disasm-fixtures.sh (fixtures/disasm/evex-corpus*.txt.gz, which
 * hold the bytes too); single instructions for each decoration; and, when
 * ndisasm is installed, fresh random EVEX streams. The recorded random EVEX
 * streams (evex16/32/64) run with the other cases in ndisasm-fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from '../helpers/spawn.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { disassemble } from '../../src/disasm/index.js';
import { ndisasmText } from '../../src/disasm/ndisasm.js';
import { compareLines, evexBytes, runTsndisasm } from './helpers.js';

const DIR = join(import.meta.dirname, '../../fixtures/disasm');

/** The bytes and instruction addresses of an ndisasm listing (first lines and `-` continuation lines). */
function bytesOf(listing: string): { bytes: Uint8Array; starts: bigint[] } {
  const hex: string[] = [];
  const starts: bigint[] = [];
  // Every address must be where the bytes before it end (checked line by line, one expect at the end:
  // an expect per line cost more than the decoding).
  const misplaced: string[] = [];
  let at = 0;
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    const m = line.startsWith(' ') ? /^ +-([0-9A-F]+)$/.exec(line) : /^([0-9A-F]{8,16}) {2}([0-9A-F]+)/.exec(line);
    if (!m) throw new Error(`not an ndisasm line: ${line}`);
    const h = (line.startsWith(' ') ? m[1] : m[2]) as string;
    if (!line.startsWith(' ')) {
      if (BigInt(`0x${m[1] as string}`) !== BigInt(at)) misplaced.push(`${line} (expected at 0x${at.toString(16)})`);
      starts.push(BigInt(at));
    }
    hex.push(h);
    at += h.length / 2;
  }
  expect(misplaced).toEqual([]);
  return { bytes: Uint8Array.from(Buffer.from(hex.join(''), 'hex')), starts };
}

describe('EVEX corpus: tsndisasm = ndisasm (recorded)', () => {
  for (const bits of [32, 64] as const) {
    it(`BITS ${bits}: every line identical`, () => {
      const want = gunzipSync(readFileSync(join(DIR, `evex-corpus${bits}.txt.gz`))).toString('latin1');
      const { bytes, starts } = bytesOf(want);
      const got = ndisasmText(bytes, {
        bits,
        origin: 0n,
        skipHeader: 0n,
        skips: [],
        syncs: starts,
        autoSync: false,
        vendor: 'intel',
      });
      const { same, total, diffs } = compareLines(want, got);
      console.log(`EVEX corpus BITS ${bits}: ${same}/${total} instructions identical to ndisasm`);
      expect(diffs).toEqual([]);
      expect(total).toBeGreaterThan(10000);
    });
  }
});

describe('EVEX streams: the generator is the fixtures script', () => {
  it('evexBytes reproduces the recorded streams', () => {
    // As hex text: toEqual walks a 240,000-byte array element by element (10 s); the strings compare at once.
    const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
    expect(hex(evexBytes(5005, 20000, false))).toBe(readFileSync(join(DIR, 'evex-a.bin')).toString('hex'));
    expect(hex(evexBytes(6006, 20000, true))).toBe(readFileSync(join(DIR, 'evex-b.bin')).toString('hex'));
  });
});

/** One instruction's text as tsndisasm writes it. */
function text(hex: string, bits: 16 | 32 | 64): string {
  const [ins] = disassemble(Uint8Array.from(Buffer.from(hex, 'hex')), { bits });
  return ins?.bytes.length === hex.length / 2 ? ins.text : `(${ins?.text ?? 'nothing'}: not the whole bytes)`;
}

describe('EVEX spellings (each measured with ndisasm 2.16.01)', () => {
  const cases: Array<[16 | 32 | 64, string, string]> = [
    // Registers 16-31 (R', X, V'), opmask and zeroing.
    [64, '62317C0858FF', 'vaddps xmm15,xmm0,xmm23'],
    [64, '62F1748E58FF', 'vaddps xmm7{k6}{z},xmm1,xmm7'],
    // disp8*N: a disp8 of 0x10 on a 64-byte vector is 0x400; a broadcast element scales by 4.
    [64, '62F17C49584001', 'vaddps zmm0{k1},zmm0,zword [rax+0x40]'],
    [64, '62513C18584C2402', 'vaddps xmm9,xmm8,dword [r12+0x8]{1to4}'],
    // Rounding on a scalar form, after the operand that takes it; a packed form reads b as 128 bits.
    [64, '6291467058FF', 'vaddss xmm7,xmm23,xmm31,{rz-sae}'],
    [64, '62F166382ACB', 'vcvtsi2ss xmm1,xmm3,{rd-sae},ebx'],
    [64, '62F14C7858F8', 'vaddps xmm7,xmm6,xmm0'],
    [32, '62F27D18C8D7', 'vexp2ps zmm2,zmm7,{sae}'],
    // ndisasm's own spellings: sized imm8, compare and clmul aliases, element-size registers, `{1to0}`.
    [64, '62F17D8C70EA9E', 'vpshufd xmm5{k4}{z},xmm2,byte 0x9e'],
    [64, '62F16408C2CD0D', 'vcmpgeps k1,xmm3,xmm5'],
    [64, '62F365081EC601', 'vpcmpltud k0,xmm3,xmm6'],
    [64, '62F365081FC603', 'vpcmpd k0,xmm3,xmm6,byte 0x3'],
    [64, '62F37D1844400100', 'vpclmullqlqdq xmm0,xmm0,oword [rax+0x4]'],
    [32, '62F27D087AFF', 'vpbroadcastb xmm7,bh'],
    [64, '62D37D0814C401', 'vpextrb r12w,xmm0,byte 0x1'],
    [32, '62F17D187B8EC0DFFFFF', 'vcvtps2qq xmm1,qword dword [esi-0x2040]{1to0}'],
    // A compare alias with {sae} drops the immediate after it; register groups (`zmm1+3`, `k5+1`), 4FMAPS unsized.
    [64, '62D17E18C2F800', 'vcmpeqss k7,xmm0,xmm8,{sae}'],
    [64, '62F277489A6808', 'v4fmaddps zmm5,zmm1+3,[rax+0x80]'],
    [64, '62B23FC99A0CF5C0DFFFFF', 'v4fmaddps zmm1{k1}{z},zmm8+3,[r14*8-0x2040]'],
    [64, '62D27F0068E9', 'vp2intersectd k5+1,xmm16,xmm9'],
    [64, '62F2470068A902010000', 'vp2intersectd k5+1,xmm23,oword [rcx+0x102]'],
    // Outside BITS 64: R, X, R' ignored, B and V' read (BITS 32 bases too: `r10d`).
    [32, '62E27D00A03C42', 'vpscatterdd dword [edx+xmm0*2],xmm7'],
    [16, '62C165D8F5C2', 'vpmaddwd xmm0,xmm3,xmm10'],
    [32, '62C1D523EFAAB7D0C376', 'vpxorq ymm5{k3},ymm21,yword [r10d+0x76c3d0b7]'],
    // No instruction: an opmask above k7, a general register above 15, P0's reserved bit.
    [64, '6281411B74B8A9867957', '(db 0x62: not the whole bytes)'],
    [64, '62EA05201588D6D66232', '(db 0x62: not the whole bytes)'],
  ];
  for (const [bits, hex, want] of cases) {
    it(`BITS ${bits} ${hex}: ${want}`, () => {
      expect(text(hex, bits)).toBe(want);
    });
  }
});

const hasNdisasm = spawnSync('ndisasm', ['-v']).status === 0;
describe.skipIf(!hasNdisasm)('live: random EVEX streams against the installed ndisasm', () => {
  it('same output in BITS 16, 32 and 64 (>= 99.9% of instructions)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsndisasm-evex-'));
    for (const bits of ['16', '32', '64']) {
      const bytes = evexBytes(Date.now() & 0xffff, 5000, bits === '64');
      const path = join(dir, `e${bits}.bin`);
      writeFileSync(path, bytes);
      const want = execFileSync('ndisasm', ['-b', bits, path], { maxBuffer: 1 << 26 }).toString('latin1');
      const { same, total } = compareLines(want, runTsndisasm(['-b', bits], bytes).out);
      console.log(`live EVEX BITS ${bits}: ${same}/${total} identical`);
      expect(same / total, `BITS ${bits}: ${same}/${total}`).toBeGreaterThanOrEqual(0.999);
    }
  });
});
if (!hasNdisasm) console.log('live EVEX tsndisasm test skipped: ndisasm is not installed');

describe('NASM source of EVEX bytes (Instruction.source)', () => {
  const source = (hex: string, bits: 16 | 32 | 64): string =>
    disassemble(Uint8Array.from(Buffer.from(hex, 'hex')), { bits })
      .map((i) => i.source)
      .join(' ; ');
  it('says what ndisasm leaves out: {evex}, the rounding form, R′ outside BITS 64, disp8*N', () => {
    // ndisasm reads b on a packed register form as `vaddps xmm7,xmm6,xmm0`; the bytes are the zmm form with {rz-sae}.
    expect(source('62F14C7858F8', 64)).toBe('{evex} vaddps zmm7,zmm6,zmm0,{rz-sae}');
    // R' is ignored by ndisasm in BITS 32 (`vpscatterdd …,xmm7`), but nasm wrote xmm23.
    expect(source('62E27D00A03C42', 32)).toBe('{evex} vpscatterdd [edx+xmm16*2],xmm23');
    expect(source('62F17C49584001', 64)).toBe('{evex} vaddps zmm0{k1},zmm0,zword [rax+0x40]');
    // A disp32 that disp8*N could hold keeps its width only with `dword`; one it cannot needs nothing.
    expect(source('62F17C49588001000000', 64)).toBe('{evex} vaddps zmm0{k1},zmm0,zword [rax+0x1]');
    expect(source('62F17C49588040000000', 64)).toBe('{evex} vaddps zmm0{k1},zmm0,zword [dword rax+0x40]');
  });
  it('AMX forms with a fixed or register-only ModR/M decode', () => {
    expect(source('C4E27849C0', 64)).toBe('tilerelease');
    expect(source('C4E27B49D8', 64)).toBe('tilezero tmm3');
  });
});
