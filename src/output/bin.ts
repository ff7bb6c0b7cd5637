/**
 * `-f bin` writer: a flat image. Sections are placed from the `org` address:
 * `.text` first, then the other progbits sections in order, each at its
 * alignment (or its `start=`), then nobits sections, which take address
 * space but no file bytes. Relocations recorded by the core are resolved here
 * because only now are section addresses known.
 */
import type { ObjectFile, ObjectSection } from '../asm/object.js';
import { binDefaultAttributes } from '../asm/sections.js';
import { OutputWriteError, type OutputWriter } from '../asm/writer.js';

/**
 * A problem only the writer can see. `wholeFile` errors (section layout) are
 * reported as nasm does: a fatal error naming the file but no line.
 */
export class BinWriteError extends OutputWriteError {}

interface PlacedSection {
  section: ObjectSection;
  /** Load address (file position = start - origin). */
  start: bigint;
  /** Address used for labels (`vstart=`, else start). */
  vstart: bigint;
}

export interface BinLayout {
  sections: PlacedSection[];
  /** Where the file starts: `org`, or without one the lowest `start=` when `.text` has one (nasm, measured). */
  origin: bigint;
}

/** Rounds up on the number line: an org above 2^63 is kept as a negative number, where `/` would round down. */
function alignUp(n: bigint, a: bigint): bigint {
  const excess = ((n % a) + a) % a;
  return excess === 0n ? n : n + a - excess;
}

/**
 * Section order and addresses, as the NASM manual describes multisection bin
 * output: `.text` first, the other progbits sections in declaration order,
 * rearranged by `follows=` as nasm 2.16.01 does it (orderFollows); nobits
 * sections come after all of them. A section is placed at its `start=` or
 * else at the end of the previous one, rounded up to its alignment. Its virtual address
 * (what labels in it are worth) is `vstart=`, or the end of the `vfollows=`
 * section rounded up to `valign=` (default 4, whatever `align=` says), or else
 * the same as its load address.
 */
export function layoutBin(obj: ObjectFile): BinLayout {
  const textFirst = [...obj.sections].sort((a, b) => Number(b.name === '.text') - Number(a.name === '.text'));
  // nasm's bin output always has `.text` first, empty if nothing went there (it still places the next section).
  if (textFirst[0]?.name !== '.text') textFirst.unshift(emptyText());
  for (const section of textFirst) checkNobitsAttributes(section);
  const progbits = textFirst.filter((s) => s.attributes.kind !== 'nobits');
  const nobits = textFirst.filter((s) => s.attributes.kind === 'nobits');

  const ordered = orderFollows(progbits);

  let origin = obj.origin;
  const firstStart = ordered[0]?.attributes.start ?? null;
  if (obj.originGiven !== true && firstStart !== null) {
    origin = firstStart;
    for (const s of ordered)
      if (s.attributes.start !== null && s.attributes.start < origin) origin = s.attributes.start;
  }
  const placed: PlacedSection[] = [];
  let cursor = origin;
  for (const section of ordered) {
    const a = section.attributes;
    let start: bigint;
    if (a.start !== null) start = a.start;
    // The first section starts at the origin, moved up to an alignment it was given (`align=`,
    // `sectalign`, a large `align`): nasm pads the file from the origin to there.
    else if (placed.length === 0) start = a.alignDefined === true ? alignUp(origin, BigInt(a.align)) : origin;
    else start = alignUp(cursor, BigInt(a.align));
    // Compared as nasm's unsigned 64-bit addresses (an org at the top of the space is stored
    // negative here); the message is nasm's, its spelling kept.
    if (BigInt.asUintN(64, start) < BigInt.asUintN(64, origin))
      throw new BinWriteError(`section ${section.name} beings before program origin`, true);
    placed.push({ section, start, vstart: start });
    cursor = start + BigInt(section.size);
  }
  refuseOverlaps(placed);
  const lastProgbits = placed[placed.length - 1];
  for (const section of nobits) placed.push({ section, start: 0n, vstart: 0n });
  // Virtual addresses, once every load address is known (vfollows may point forward).
  const byName = new Map(placed.map((p) => [p.section.name, p]));
  const resolving = new Set<PlacedSection>();
  /** The run address, or null when it hangs on a circular vfollows path. */
  const resolveVirtual = (p: PlacedSection): bigint | null => {
    const a = p.section.attributes;
    const nobitsSection = a.kind === 'nobits';
    if (a.vstart !== null) return a.vstart;
    if (nobitsSection && a.start !== null) return a.start;
    // A nobits section has only a run address: `follows=` means `vfollows=` there.
    const leaderName = a.vfollows ?? (nobitsSection ? a.follows : null);
    let leader: PlacedSection | undefined;
    if (leaderName !== null) {
      leader = byName.get(leaderName);
      if (!leader) throw new BinWriteError(`section ${p.section.name} vfollows unknown section (${leaderName})`, true);
    } else if (!nobitsSection) {
      return p.start;
    } else {
      // nasm (measured): `.bss` goes after the last progbits section, any other nobits section
      // after the section declared before it (`.text` counts as declared first).
      leader = p.section.name === '.bss' ? lastProgbits : previousDeclared(textFirst, placed, p);
      if (!leader) return origin;
    }
    if (resolving.has(p)) return null;
    resolving.add(p);
    const leaderStart = resolveVirtual(leader);
    resolving.delete(p);
    return leaderStart === null ? null : alignUp(leaderStart + BigInt(leader.section.size), BigInt(runAlignment(a)));
  };
  const lost: string[] = [];
  for (const p of placed) {
    const vstart = resolveVirtual(p);
    if (vstart === null) lost.push(`cannot compute vstart for section ${p.section.name}`);
    else p.vstart = vstart;
  }
  if (lost.length > 0) throw new BinWriteError('circular vfollows path detected', true, lost);
  for (const p of placed) if (p.section.attributes.kind === 'nobits') p.start = p.vstart;
  return { sections: placed, origin };
}

/**
 * The progbits order after `follows=`, as measured on nasm 2.16.01 (random and exhaustive
 * specs of up to 8 sections; scripts/gen-bin-follows-order.mjs). nasm does not sort the
 * sections into chains: it walks the list once, in its current order, and moves groups:
 *
 * - A section without `follows=` is stepped over.
 * - A section whose `follows=X` names the section the walk stepped over just before it is
 *   left where it is. (Right after a move the walk has stepped over nothing: a section that
 *   the move left behind X still counts as out of place.)
 * - Otherwise, when the section now right after X already has `follows=X`, nasm stops:
 *   `sections S and N can't both follow section X`, N being that section, S itself when the
 *   moves put it there.
 * - Otherwise S moves after X together with a group: the section after S, whatever it is,
 *   then every section after that without `follows=` and `start=`, or already walked,
 *   stopping before X when X lies ahead. A `follows=` of a section swept along this way
 *   is never looked at.
 * - The walk goes on at the section that came after the group.
 *
 * `follows=` naming the section itself is nasm's "is self following" error. A circular
 * `follows=` keeps nasm moving sections for ever; here it is refused.
 */
export function orderFollows(progbits: readonly ObjectSection[]): ObjectSection[] {
  const list = [...progbits];
  const walked = new Set<ObjectSection>();
  let stepped: ObjectSection | null = null;
  let moves = 0;
  for (let i = 0; i < list.length;) {
    const s = list[i]!;
    const target = s.attributes.follows;
    if (target === null) {
      stepped = s;
      i++;
      continue;
    }
    walked.add(s);
    let x = list.findIndex((t) => t.name === target);
    if (x < 0) throw new BinWriteError(`section ${s.name} follows an invalid or unknown section (${target})`, true);
    if (x === i) throw new BinWriteError(`section ${s.name} is self following`, true);
    if (stepped?.name === target) {
      stepped = s;
      i++;
      continue;
    }
    const taken = list[x + 1];
    if (taken && taken.attributes.follows === target)
      throw new BinWriteError(`sections ${s.name} and ${taken.name} can't both follow section ${target}`, true);
    if (++moves > 4 * list.length * list.length + 64)
      throw new BinWriteError(`circular follows= path detected at section ${s.name}`, true);
    let end = Math.min(i + 2, list.length);
    const joins = (t: ObjectSection): boolean =>
      (t.attributes.follows === null && t.attributes.start === null) || walked.has(t);
    while (end < list.length && joins(list[end]!)) end++;
    if (x > i && x < end) end = x;
    const after = list[end];
    const group = list.splice(i, end - i);
    x = list.findIndex((t) => t.name === target);
    list.splice(x + 1, 0, ...group);
    stepped = null;
    i = after ? list.indexOf(after) : list.length;
  }
  return list;
}

function emptyText(): ObjectSection {
  const attributes = { ...binDefaultAttributes('.text') };
  return { name: '.text', attributes, data: new Uint8Array(0), size: 0, relocations: [] };
}

/**
 * Sections whose bytes would share addresses (`start=` into another section): nasm 2.16.01 stops
 * with `sections A and B overlap!`, A the one that starts first (measured), where writing one over
 * the other would give wrong bytes.
 */
function refuseOverlaps(placed: readonly PlacedSection[]): void {
  // An empty section holds no bytes to overlap (`start=` on one at another's address is no error).
  const byStart = placed
    .filter((p) => p.section.size > 0)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < byStart.length; i++) {
    const before = byStart[i - 1]!;
    const after = byStart[i]!;
    if (before.start + BigInt(before.section.size) > after.start)
      throw new BinWriteError(`sections ${before.section.name} and ${after.section.name} overlap!`, true);
  }
}

/** A nobits section has one address: its real (start, follows, align) and virtual attributes may not both be given. */
function checkNobitsAttributes(section: ObjectSection): void {
  const a = section.attributes;
  if (a.kind !== 'nobits') return;
  const real = a.start !== null || a.follows !== null || a.alignDefined === true;
  const virtual = a.vstart !== null || a.vfollows !== null || a.valign !== null;
  if (real && virtual)
    throw new BinWriteError(`cannot mix real and virtual attributes in nobits section (${section.name})`, true);
}

/** The alignment of a run address placed after another section: `valign=`, a nobits section's `align=`, else 4. */
export function runAlignment(a: ObjectSection['attributes']): number {
  if (a.valign !== null) return a.valign;
  if (a.kind === 'nobits' && a.alignDefined === true) return a.align;
  return 4;
}

function previousDeclared(
  declared: readonly ObjectSection[],
  placed: readonly PlacedSection[],
  p: PlacedSection,
): PlacedSection | undefined {
  const index = declared.indexOf(p.section);
  const before = index > 0 ? declared[index - 1] : undefined;
  return placed.find((q) => q.section === before);
}

export function writeBin(obj: ObjectFile): Uint8Array {
  const { sections: placed, origin } = layoutBin(obj);
  const sectionAddress = new Map<ObjectSection, bigint>(placed.map((p) => [p.section, p.vstart]));
  const loadAddress = new Map<ObjectSection, bigint>(placed.map((p) => [p.section, p.start]));
  for (const sym of obj.symbols) {
    if (sym.section === 'common') {
      throw new BinWriteError('binary output format does not support external references');
    }
  }
  const fileParts = placed.filter((p) => p.section.attributes.kind !== 'nobits');
  // A section's place in the file: its distance from the origin, in nasm's unsigned 64-bit addresses.
  const fileOffset = (p: PlacedSection): bigint => BigInt.asUintN(64, p.start - origin);
  let fileSize = 0n;
  // The file ends with the last byte of data: an empty section after it adds no padding (nasm 2.16.01).
  for (const p of fileParts)
    if (p.section.size > 0 && fileOffset(p) + BigInt(p.section.size) > fileSize)
      fileSize = fileOffset(p) + BigInt(p.section.size);
  if (obj.outputLimit !== undefined && fileSize > BigInt(obj.outputLimit)) {
    throw new BinWriteError(
      `output file would be ${fileSize} bytes, over the output size limit of ${obj.outputLimit} bytes` +
        ` (raise it with --output-limit)`,
      true,
    );
  }
  const out = new Uint8Array(Number(fileSize));
  for (const p of fileParts) {
    if (p.section.size === 0) continue;
    const data = p.section.data.slice();
    for (const r of p.section.relocations) {
      if (r.target.kind === 'symbol')
        throw new BinWriteError('binary output format does not support external references');
      const target =
        r.target.kind === 'absolute'
          ? 0n
          : (r.target.load === true ? loadAddress : sectionAddress).get(obj.sections[r.target.sectionIndex]!)!;
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      let field = readField(view, r.offset, r.size);
      field += target;
      if (r.relative) field -= p.vstart + BigInt(r.offset);
      writeField(view, r.offset, r.size, field);
    }
    out.set(data, Number(fileOffset(p)));
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

/** The `-f bin` writer (src/asm/writer.ts). */
export const binWriter: OutputWriter = { format: 'bin', write: writeBin };
