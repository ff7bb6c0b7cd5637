/**
 * Round trip decoder → encoder over the encoding corpora (fixtures/encoding,
 * nasm 2.16.01's bytes, BITS 64 ones in x64/): every line's bytes are disassembled and
 * the text is assembled again by the encoder at the same offsets; the bytes
 * must come back. Where they do not, the difference is classified: ndisasm's
 * spelling that nasm assembles to other bytes (listed in KNOWN, each with the
 * reason) is counted apart from real decoder/encoder disagreements, which must
 * stay at zero.
 */
import { describe, expect, it } from 'vitest';
import { disassemble, type Instruction } from '../../src/disasm/index.js';
import { encodeInstruction } from '../../src/encoder/index.js';
import { CodeOp } from '../../src/encoder/table.js';
import type { OptimizeLevel } from '../../src/encoder/types.js';
import { fixtureFiles, readFixture } from '../encoder/helpers/fixtures.js';
import { parseSourceLine, TEST_SEGMENT } from '../encoder/helpers/parse-line.js';

const hexOf = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');

/** Assembles one decoded instruction at `here` (bin-style: PC-relative fields to a plain number resolved). */
function assembleText(bits: 16 | 32 | 64, text: string, here: number, optimize: OptimizeLevel): string | null {
  let req;
  try {
    req = parseSourceLine(text, BigInt(here));
  } catch {
    return null;
  }
  if (req === null) return null;
  const r = encodeInstruction(req, {
    bits,
    segment: TEST_SEGMENT,
    offset: BigInt(here),
    optimize,
    cpu: 'all',
    defaultRel: false,
  });
  if (!r.ok || r.finalPassError) return null;
  const bytes = Uint8Array.from(r.bytes);
  for (const f of r.fixups) {
    const v = f.value;
    if (!f.relative || v.base !== null || v.unknown || v.wrt !== null) continue;
    let n = BigInt.asUintN(f.size * 8, v.offset - (BigInt(here) + BigInt(bytes.length)));
    for (let k = 0; k < f.size; k++, n >>= 8n) bytes[f.at + k] = Number(n & 0xffn);
  }
  return hexOf(bytes);
}

/**
 * The decoded text with a branch target written as `$+distance`: ndisasm writes
 * the absolute address, which nasm never reaches with a short jump (a jump to
 * a constant is near: `jpo 0x6a` assembles to 0F 8B), while the distance keeps
 * what the bytes say.
 */
function relativeTarget(ins: Instruction, bits: 16 | 32 | 64): string {
  if (ins.branchTarget === null) return ins.text;
  if (bits === 64) return relativeTarget64(ins);
  const rel = ins.decoded?.tail.find((f) => f.code.op === CodeOp.Rel);
  const span = rel?.size === 2 || (rel?.size === 1 && bits === 16) ? 0x10000 : 0x100000000;
  let distance = (ins.branchTarget - ins.offset) % span;
  if (distance >= span / 2) distance -= span;
  if (distance < -span / 2) distance += span;
  const at = ins.text.lastIndexOf('0x' + ins.branchTarget.toString(16));
  const spelled = distance < 0 ? `$-${-distance}` : `$+${distance}`;
  return at < 0
    ? ins.text
    : ins.text.slice(0, at) + spelled + ins.text.slice(at + 2 + ins.branchTarget.toString(16).length);
}

/** BITS 64: the target is a 64-bit address (beyond a number's precision), so the distance comes from the field. */
function relativeTarget64(ins: Instruction): string {
  const rel = ins.decoded?.tail.find((f) => f.code.op === CodeOp.Rel);
  if (!rel) return ins.text;
  const distance = BigInt(ins.bytes.length) + BigInt.asIntN(rel.size * 8, rel.big);
  const target = '0x' + BigInt.asUintN(64, BigInt(ins.offset) + distance).toString(16);
  const at = ins.text.lastIndexOf(target);
  const spelled = distance < 0n ? `$-${-distance}` : `$+${distance}`;
  return at < 0 ? ins.text : ins.text.slice(0, at) + spelled + ins.text.slice(at + target.length);
}

/** A displacement wider than its value needs (nasm, given the value, picks the short form). */
function wideDisplacement(ins: Instruction): boolean {
  const d = ins.decoded?.displacement;
  if (d?.size === 1 && d.value === 0) return true;
  if (!d || d.size === 1 || ins.text.includes('[dword 0x') || /\[(?:[a-z]s:)?0x/.test(ins.text)) return false;
  const v = d.value >= 2 ** (d.size * 8 - 1) ? d.value - 2 ** (d.size * 8) : d.value;
  return v >= -128 && v <= 127;
}

/**
 * ndisasm spellings that nasm assembles to other bytes or refuses (each
 * measured with nasm 2.16.01), as [test on a decoded instruction, reason].
 * The first match classifies a line; whatever matches none is a real
 * disagreement between decoder and encoder.
 */
const KNOWN: Array<[(ins: Instruction, bits: 16 | 32 | 64) => boolean, string]> = [
  [
    (i) => i.mnemonic === 'db',
    'db: bytes no form decodes (as ndisasm); the rest of the line is read from another start',
  ],
  [
    (i) => /\[d?word [a-z]/.test(i.text),
    'ndisasm marks a 67h address `[dword eax+esi]`; nasm reads the keyword as a displacement size',
  ],
  [(i, bits) => bits === 16 && /\bbnd\d/.test(i.text), 'MPX in BITS 16: nasm 2.16.01 says `symbol bnd7 not defined`'],
  [
    (i) => /^(?:\w+ )*j(?!mp )\w+ d?word /.test(i.text),
    'a size on a conditional jump (`jo word 0x10` in BITS 32): nasm says `mismatch in operand sizes`',
  ],
  [
    (i) => i.bytes.subarray(0, i.decoded?.opcodeAt ?? 0).includes(0x67) && !/\[|\ba(16|32)\b/.test(i.text),
    'an unused 67h that ndisasm does not write (measured rule): the text has no trace of it',
  ],
  [
    wideDisplacement,
    'a displacement wider than its value (`[ecx+0x55]` as disp32, `[eax+0x0]`): nasm picks the short form',
  ],
  [
    (i) =>
      i.decoded?.modrm !== null &&
      /^mov (?:al|ax|eax),\[(?:dword )?0x|^mov \[(?:dword )?0x[0-9a-f]+\],(?:al|ax|eax)$/.test(i.text),
    'MOV between the accumulator and an absolute ModR/M address: nasm picks the shorter A0-A3 form',
  ],
  [
    (i) => i.decoded?.sib?.base === 5 && i.decoded.modrm?.mod === 0 && i.decoded.sib.scale === 0,
    'SIB index*1 with no base (`[edi-0x10]`): nasm encodes it as a base register without SIB',
  ],
  [
    (i) => /,[abcd]h,/.test(i.text) && i.mnemonic.endsWith('pinsrb'),
    "pinsrb with ah..bh (ndisasm's name for reg 4-7): nasm says `instruction cannot use high registers`",
  ],
];

interface Outcome {
  same: boolean;
  decoded: string;
  instructions: Instruction[];
}

function roundTrip(bits: 16 | 32 | 64, hex: string, optimize: OptimizeLevel): Outcome {
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  const out: string[] = [];
  const texts: string[] = [];
  const instructions = disassemble(bytes, { bits });
  for (const ins of instructions) {
    texts.push(ins.text);
    if (ins.mnemonic === 'db') out.push(hexOf(ins.bytes));
    else
      out.push(assembleText(bits, relativeTarget(ins, bits), ins.offset, optimize) ?? `(${ins.text}: not assembled)`);
  }
  return { same: out.join('') === hex, decoded: texts.join(' ; '), instructions };
}

describe('round trip: decode nasm bytes, re-encode the text', () => {
  const files = [
    ...fixtureFiles('corpus-'),
    ...fixtureFiles('forms-'),
    ...fixtureFiles('addressing-'),
    ...fixtureFiles('corpus-', 'x64'),
    ...fixtureFiles('forms-', 'x64'),
  ];
  const report: string[] = [];
  let sameAll = 0;
  let totalAll = 0;
  const classes = new Map<string, { count: number; example: string }>();
  let unexplained: string[] = [];
  // BITS 64 is measured against a floor, not yet held to zero unexplained lines (see the branch report's classes).
  let same64 = 0;
  let total64 = 0;
  for (const file of files) {
    it(file, () => {
      let same = 0;
      let total = 0;
      for (const c of readFixture(file)) {
        if (c.hex === null || c.hex === '') continue;
        total++;
        const r = roundTrip(c.bits, c.hex, c.optimize);
        if (r.same) {
          same++;
          continue;
        }
        const known = KNOWN.find(([test]) => r.instructions.some((ins) => test(ins, c.bits)));
        const key = known ? known[1] : `unexplained: ${r.decoded.split(' ')[0] ?? ''}`;
        const entry = classes.get(key) ?? { count: 0, example: `${c.bits} | ${c.hex} | ${r.decoded}` };
        entry.count++;
        classes.set(key, entry);
        if (!known && c.bits !== 64) unexplained.push(`${c.bits} | ${c.source} | ${c.hex} | decoded: ${r.decoded}`);
      }
      sameAll += same;
      totalAll += total;
      if (file.startsWith('x64/')) {
        same64 += same;
        total64 += total;
      }
      report.push(`${file.padEnd(24)} ${same} / ${total} (${((100 * same) / total).toFixed(2)}%)`);
      expect(total).toBeGreaterThan(0);
    });
  }
  it('report', () => {
    const lines = [...classes].sort((a, b) => b[1].count - a[1].count);
    console.log(
      `round trip, lines whose bytes come back:\n${report.join('\n')}\n` +
        `all: ${sameAll} / ${totalAll} (${((100 * sameAll) / totalAll).toFixed(2)}%)\nclasses of difference:\n` +
        lines.map(([k, v]) => `${String(v.count).padStart(6)}  ${k}\n        e.g. ${v.example}`).join('\n'),
    );
    expect(unexplained.slice(0, 20)).toEqual([]);
    console.log(`BITS 64 round trip: ${same64} / ${total64} (${((100 * same64) / total64).toFixed(2)}%)`);
    expect(same64 / total64).toBeGreaterThanOrEqual(0.985);
    unexplained = [];
  });
});
