/**
 * `-f bin` writer: a flat image. Sections are placed from the `org` address:
 * `.text` first, then the other progbits sections in order, each at its
 * alignment (or its `start=`), then nobits sections, which take address
 * space but no file bytes. Relocations recorded by the core are resolved here
 * because only now are section addresses known.
 */
import type { ObjectFile, ObjectSection } from '../asm/object.js';

export class BinWriteError extends Error {}

interface PlacedSection {
  section: ObjectSection;
  /** Load address (file position = start - origin). */
  start: bigint;
  /** Address used for labels (`vstart=`, else start). */
  vstart: bigint;
}

function alignUp(n: bigint, a: bigint): bigint {
  return ((n + a - 1n) / a) * a;
}

export function layoutBin(obj: ObjectFile): PlacedSection[] {
  const textFirst = [...obj.sections].sort((a, b) => Number(b.name === '.text') - Number(a.name === '.text'));
  const progbits = textFirst.filter((s) => s.attributes.kind !== 'nobits');
  const nobits = textFirst.filter((s) => s.attributes.kind === 'nobits');
  const placed: PlacedSection[] = [];
  let cursor = obj.origin;
  for (const section of [...progbits, ...nobits]) {
    const a = section.attributes;
    let start: bigint;
    if (a.start !== null) start = a.start;
    else if (placed.length === 0) start = obj.origin;
    else start = alignUp(cursor, BigInt(a.align));
    const vstart = a.vstart ?? start;
    placed.push({ section, start, vstart });
    cursor = start + BigInt(section.size);
  }
  return placed;
}

export function writeBin(obj: ObjectFile): Uint8Array {
  const placed = layoutBin(obj);
  const sectionAddress = new Map<ObjectSection, bigint>(placed.map((p) => [p.section, p.vstart]));
  for (const sym of obj.symbols) {
    if (sym.section === 'undef' || sym.section === 'common') {
      throw new BinWriteError('binary output format does not support external references');
    }
  }
  const fileParts = placed.filter((p) => p.section.attributes.kind !== 'nobits');
  let end = obj.origin;
  for (const p of fileParts) if (p.start + BigInt(p.section.size) > end) end = p.start + BigInt(p.section.size);
  const out = new Uint8Array(Number(end - obj.origin));
  for (const p of fileParts) {
    const data = p.section.data.slice();
    for (const r of p.section.relocations) {
      if (r.target.kind !== 'section') throw new BinWriteError('binary output format does not support external references');
      const target = sectionAddress.get(obj.sections[r.target.sectionIndex]!)!;
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      let field = readField(view, r.offset, r.size);
      field += target;
      if (r.relative) field -= p.vstart + BigInt(r.offset);
      writeField(view, r.offset, r.size, field);
    }
    out.set(data, Number(p.start - obj.origin));
  }
  return out;
}

function readField(view: DataView, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(view.getUint8(at + i));
  return BigInt.asIntN(size * 8, v);
}

function writeField(view: DataView, at: number, size: number, value: bigint): void {
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    view.setUint8(at + i, Number(v & 0xffn));
    v >>= 8n;
  }
}
