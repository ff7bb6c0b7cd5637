/**
 * The decoded instruction as NASM source that assembles back to the same
 * bytes (`Instruction.source`). ndisasm's text is for reading: branch and
 * RIP-relative targets are absolute addresses, a 67h address is marked
 * `[dword eax+esi]` (a displacement size to NASM), and a displacement wider
 * than its value, an index-only SIB or an unused 67h leave no trace. The
 * source spelling says each of them the way NASM reads it (measured with
 * nasm 2.16.01): `$+n` targets, `[dword ecx+0x55]`, `[byte eax+0x0]`,
 * `[nosplit edi*1-0x10]`, an explicit `a16`/`a32`.
 */
import type { RegisterClass } from '../encoder/registers.js';
import { addressPrefixShown, hasMemoryOperand, type Bits, type Decoded, type TailField } from './decode.js';
import { registerName } from './names.js';
import { maskHas } from './prefixes.js';

const RM16 = ['bx+si', 'bx+di', 'bp+si', 'bp+di', 'si', 'di', 'bp', 'bx'];
const hex = (n: bigint): string => '0x' + n.toString(16);

/** `+0x10` / `-0x10` / `$`-relative distance, as NASM reads them. */
const signed = (n: bigint): string => (n < 0n ? `-${hex(-n)}` : `+${hex(n)}`);

/** The distance from the instruction's start to `target` (`$+0x20`), kept within the address width. */
function fromHere(target: bigint, address: bigint, width: number): string {
  const distance = BigInt.asIntN(width, target - address);
  return distance === 0n ? '$' : `$${signed(distance)}`;
}

/**
 * The displacement (a disp8 times its EVEX N), and the size keyword NASM needs
 * to keep a field wider than its value (or a zero disp8). Under EVEX a value
 * fits the short field when it is a multiple of N whose quotient fits a byte.
 */
function displacement(d: Decoded): { text: string; keyword: string } {
  const disp = d.displacement;
  if (!disp) return { text: '', keyword: '' };
  const n = BigInt(d.evex?.scale ?? 1);
  const value = BigInt.asIntN(disp.size * 8, disp.big) * (disp.size === 1 ? n : 1n);
  const fitsByte = value % n === 0n && value / n >= -128n && value / n <= 127n;
  let keyword = '';
  if (disp.size === 1 && value === 0n) keyword = 'byte ';
  else if (disp.size > 1 && fitsByte) keyword = disp.size === 2 ? 'word ' : 'dword ';
  return { text: signed(value), keyword };
}

/** The register part of a SIB or ModR/M address (empty for an absolute one); `nosplit` keeps an index-only SIB. */
function registers(d: Decoded, cls: RegisterClass): { parts: string[]; nosplit: boolean } {
  const m = d.modrm;
  if (!m) return { parts: [], nosplit: false };
  if (d.addressSize === 16) return { parts: m.mod === 0 && m.rm === 6 ? [] : [RM16[m.rm] as string], nosplit: false };
  const s = d.sib;
  if (!s) return { parts: m.mod === 0 && m.rm === 5 ? [] : [registerName(cls, m.rmExt)], nosplit: false };
  const parts: string[] = [];
  const noBase = s.base === 5 && m.mod === 0;
  if (!noBase) parts.push(registerName(cls, s.baseExt));
  const vsib = d.pattern.row.operands.find((t) => t.vsib)?.vsib ?? null;
  const index = s.indexExt | (vsib ? (d.evex?.hidden.index ?? 0) : 0);
  if (s.indexExt !== 4 || vsib) parts.push(`${registerName(vsib ?? cls, index)}*${1 << s.scale}`);
  return { parts, nosplit: noBase && s.indexExt !== 4 && !vsib };
}

/** The address inside brackets, NASM style, with the segment override after any keyword (`[dword fs:eax+0x1]`). */
export function sourceAddress(d: Decoded, address: bigint, segment: string): string {
  const m = d.modrm;
  const disp = d.displacement;
  if (!m) return '';
  const ripRelative = d.bits === 64 && !d.sib && m.mod === 0 && m.rm === 5;
  if (ripRelative) {
    const target = address + BigInt(d.length) + BigInt.asIntN(32, disp?.big ?? 0n);
    return `rel ${segment}${fromHere(target, address, d.addressSize === 32 ? 32 : 64)}`;
  }
  const cls: RegisterClass = d.addressSize === 16 ? 'gpr16' : d.addressSize === 32 ? 'gpr32' : 'gpr64';
  const { parts, nosplit } = registers(d, cls);
  if (parts.length === 0) {
    // An absolute address: its field is the address size's (NASM: `[word 0x10]` is a 16-bit one in BITS 32).
    const size = disp?.size ?? 4;
    const value = BigInt.asUintN(size * 8, disp?.big ?? 0n);
    const defaultSize = d.bits === 16 ? 2 : 4;
    const keyword = size === defaultSize && d.bits !== 64 ? '' : size === 2 ? 'word ' : 'dword ';
    // BITS 64 sign-extends the field to the address: NASM takes `[dword -0x10]`, not `[0xfffffff0]`.
    const wide = BigInt.asIntN(size * 8, value);
    const text = d.bits === 64 && wide < 0n ? `-${hex(-wide)}` : hex(value);
    return `${keyword}${segment}${text}`;
  }
  const { text, keyword } = displacement(d);
  // An index-only SIB always has its disp32 (no keyword: `[dword eax*2]` would be a base register and a disp32).
  if (nosplit) return `nosplit ${segment}${parts.join('+')}${signed(BigInt.asIntN(32, disp?.big ?? 0n))}`;
  return `${keyword}${segment}${parts.join('+')}${text}`;
}

/** A relative branch's target as a distance from the instruction (`$+0x12`), as NASM assembles it at any address. */
export function sourceBranch(field: TailField, d: Decoded, bits: Bits): string {
  const distance = BigInt(d.length) + BigInt.asIntN(field.size * 8, field.big);
  return fromHere(distance, 0n, bits === 64 ? 64 : field.size === 4 || bits === 32 ? 32 : 16);
}

/** An unused 67h that ndisasm leaves unwritten and no address shows: NASM needs it said (`a32 xchg eax,edx`). */
export function hiddenAddressPrefix(d: Decoded, bits: Bits): string | null {
  if (!d.prefixes.includes(0x67) || maskHas(d.consumed, 0x67) || hasMemoryOperand(d)) return null;
  if (addressPrefixShown(d, bits)) return null;
  return bits === 32 ? 'a16' : 'a32';
}
