/**
 * Stage 3b (between createSections and assignAddresses), the content
 * rewriting ld does on its own:
 *  - SHF_MERGE|SHF_STRINGS sections (gcc's .rodata.str1.1): identical
 *    strings are stored once and a string that is the tail of another one
 *    points into it; the survivors keep first-seen order, and the merged
 *    blob takes the place of the first such input section. SHF_MERGE
 *    constant sections (.rodata.cst4…) keep each distinct entry once.
 *  - .eh_frame: byte-identical CIEs (with identical relocations) are kept
 *    once; FDEs are re-pointed at the surviving CIE after layout.
 * Invariant on exit: every input's `size` is its final size; relocations
 * of rewritten sections refer to the rewritten offsets.
 */
import { SHF_MERGE, SHF_STRINGS } from '../elf/index.js';
import type { InputSection, OutputSection } from './types.js';

export interface EhFramePointerFix {
  section: InputSection;
  /** Offset of the FDE (its length field) in the rewritten section. */
  fdeOffset: number;
  cieSection: InputSection;
  cieOffset: number;
}

export function mergeStrings(outputs: OutputSection[]): void {
  for (const out of outputs) {
    const groups = new Map<string, InputSection[]>();
    for (const input of out.inputs) {
      const entsize = input.elf?.entsize ?? 0;
      if ((input.flags & SHF_MERGE) === 0 || entsize === 0 || input.nobits) continue;
      // Only byte strings are split at NULs; wider string units are left alone.
      if ((input.flags & SHF_STRINGS) !== 0 && entsize !== 1) continue;
      if ((input.flags & SHF_STRINGS) === 0 && input.size % entsize !== 0) continue;
      const key = `${input.flags}/${input.align}/${entsize}`;
      const list = groups.get(key) ?? [];
      list.push(input);
      groups.set(key, list);
    }
    for (const inputs of groups.values()) mergeGroup(inputs);
  }
}

function mergeGroup(inputs: InputSection[]): void {
  const decoder = new TextDecoder('latin1');
  const strings = (inputs[0]!.flags & SHF_STRINGS) !== 0;
  const entsize = inputs[0]!.elf!.entsize;
  // Entries (as latin1 text, byte-exact) in first-seen order, and where each input's entries start.
  const order: string[] = [];
  const seen = new Set<string>();
  const pieces = inputs.map((input) => {
    const list: Array<{ start: number; text: string }> = [];
    if (!strings) {
      // Fixed-size constants (.rodata.cst4/8/16): identical entries are stored once.
      for (let start = 0; start < input.data.length; start += entsize) {
        const text = decoder.decode(input.data.subarray(start, start + entsize));
        list.push({ start, text });
        if (!seen.has(text)) {
          seen.add(text);
          order.push(text);
        }
      }
      return list;
    }
    let start = 0;
    for (let i = 0; i < input.data.length; i++) {
      if (input.data[i] !== 0) continue;
      const text = decoder.decode(input.data.subarray(start, i));
      list.push({ start, text });
      if (!seen.has(text)) {
        seen.add(text);
        order.push(text);
      }
      start = i + 1;
    }
    if (start < input.data.length) {
      // An unterminated tail cannot be merged safely; keep it verbatim as its own string.
      const text = decoder.decode(input.data.subarray(start));
      list.push({ start, text });
      if (!seen.has(text)) {
        seen.add(text);
        order.push(text);
      }
    }
    return list;
  });
  // A string that ends another (longer) string is stored inside it.
  const sortedByReverse = [...order].sort(compareReversed);
  const container = new Map<string, string>();
  for (let i = sortedByReverse.length - 1; i >= 0 && strings; i--) {
    const s = sortedByReverse[i]!;
    const next = sortedByReverse[i + 1];
    // After sorting by reversed text, a suffix sorts right before the strings that end with it.
    if (next !== undefined && next.length > s.length && next.endsWith(s)) container.set(s, container.get(next) ?? next);
  }
  const position = new Map<string, number>();
  const bytes: number[] = [];
  for (const s of order) {
    if (container.has(s)) continue;
    position.set(s, bytes.length);
    for (let i = 0; i < s.length; i++) bytes.push(s.charCodeAt(i));
    if (strings) bytes.push(0);
  }
  for (const s of order) {
    const c = container.get(s);
    if (c !== undefined) position.set(s, position.get(c)! + c.length - s.length);
  }
  const blob = Uint8Array.from(bytes);
  const first = inputs[0]!;
  inputs.forEach((input, k) => {
    const list = pieces[k]!;
    input.mergedInto = {
      section: first,
      map: (offset: number) => {
        // Find the string holding `offset` (binary search over starts).
        let lo = 0;
        let hi = list.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (list[mid]!.start <= offset) lo = mid;
          else hi = mid - 1;
        }
        const piece = list[lo];
        if (!piece) return offset;
        return position.get(piece.text)! + (offset - piece.start);
      },
    };
  });
  for (const input of inputs) {
    input.data = input === first ? blob : new Uint8Array(0);
    input.size = input === first ? blob.length : 0;
  }
}

const u32 = (d: Uint8Array, o: number) => (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;

export function mergeEhFrameCies(outputs: OutputSection[]): EhFramePointerFix[] {
  const fixes: EhFramePointerFix[] = [];
  const out = outputs.find((o) => o.name === '.eh_frame');
  if (!out) return fixes;
  const kept = new Map<string, { section: InputSection; offset: number }>();
  for (const input of out.inputs) {
    if (input.name !== '.eh_frame' || input.nobits || !input.elf) continue;
    const data = input.data;
    const relocs = input.file.elf.relocations.get(input.elf.index) ?? [];
    // Parse records; bail out (leave the section untouched) on anything unusual.
    const records: Array<{ start: number; end: number; isCie: boolean; ciePointer: number }> = [];
    let pos = 0;
    let ok = true;
    while (pos + 4 <= data.length) {
      const length = u32(data, pos);
      if (length === 0 || length === 0xffffffff || pos + 4 + length > data.length || length < 4) {
        ok = length === 0 && pos + 4 === data.length;
        if (length === 0) records.push({ start: pos, end: pos + 4, isCie: false, ciePointer: -1 });
        break;
      }
      const id = u32(data, pos + 4);
      records.push({ start: pos, end: pos + 4 + length, isCie: id === 0, ciePointer: id === 0 ? -1 : pos + 4 - id });
      pos += 4 + length;
    }
    if (!ok || (pos !== data.length && records[records.length - 1]?.end !== data.length)) continue;

    const newStart = new Map<number, number>();
    const cieTarget = new Map<number, { section: InputSection; offset: number }>();
    const pieces: Uint8Array[] = [];
    let cursor = 0;
    const dropped: Array<{ start: number; end: number }> = [];
    for (const r of records) {
      if (r.isCie) {
        const relKey = relocs
          .filter((x) => x.offset >= r.start && x.offset < r.end)
          .map((x) => `${x.offset - r.start}:${x.type}:${input.file.elf.symbols[x.symbolIndex]?.name ?? ''}`)
          .join(',');
        const key = `${Array.from(data.subarray(r.start, r.end)).join(',')}|${relKey}`;
        const existing = kept.get(key);
        if (existing) {
          cieTarget.set(r.start, existing);
          dropped.push(r);
          continue;
        }
        const self = { section: input, offset: cursor };
        kept.set(key, self);
        cieTarget.set(r.start, self);
      }
      newStart.set(r.start, cursor);
      pieces.push(data.subarray(r.start, r.end));
      cursor += r.end - r.start;
    }
    for (const r of records) {
      if (r.isCie || r.ciePointer < 0) continue;
      const target = cieTarget.get(r.ciePointer);
      if (target)
        fixes.push({
          section: input,
          fdeOffset: newStart.get(r.start)!,
          cieSection: target.section,
          cieOffset: target.offset,
        });
    }
    if (dropped.length === 0) continue;
    const merged = new Uint8Array(cursor);
    let at = 0;
    for (const p of pieces) {
      merged.set(p, at);
      at += p.length;
    }
    const shift = (offset: number) => {
      let delta = 0;
      for (const d of dropped) if (d.end <= offset) delta += d.end - d.start;
      return offset - delta;
    };
    input.file.elf.relocations.set(
      input.elf.index,
      relocs
        .filter((x) => !dropped.some((d) => x.offset >= d.start && x.offset < d.end))
        .map((x) => ({ ...x, offset: shift(x.offset) })),
    );
    input.data = merged;
    input.size = merged.length;
  }
  return fixes;
}

/** After layout: point each FDE at its (possibly merged) CIE. */
export function applyEhFrameFixes(fixes: EhFramePointerFix[]): void {
  for (const f of fixes) {
    const here = f.section.outputOffset + f.fdeOffset + 4;
    const cie = f.cieSection.outputOffset + f.cieOffset;
    const value = (here - cie) >>> 0;
    const d = f.section.data;
    const o = f.fdeOffset + 4;
    d[o] = value & 0xff;
    d[o + 1] = (value >>> 8) & 0xff;
    d[o + 2] = (value >>> 16) & 0xff;
    d[o + 3] = (value >>> 24) & 0xff;
  }
}

/**
 * Orders strings as their reversed texts would sort, so that a string sorts
 * just before the longer strings it ends. The strings are decoded one byte
 * per UTF-16 unit, so comparing units from the end is comparing bytes.
 */
function compareReversed(a: string, b: string): number {
  for (let i = a.length - 1, j = b.length - 1; i >= 0 && j >= 0; i--, j--) {
    const difference = a.charCodeAt(i) - b.charCodeAt(j);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
