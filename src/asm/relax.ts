/**
 * Branch relaxation in (close to) linear time.
 *
 * NASM settles jump sizes by re-running whole passes until no label moves. On
 * jump-heavy code a growing jump pushes the target of an earlier forward jump
 * out of reach, which NASM only notices in the next pass, and so on: the
 * number of passes grows with the file (46 passes at 100k generated lines,
 * hours at 1M). Each pass costs O(n), so the whole is super-linear.
 *
 * This module computes the same end state directly. Its input is a layout in
 * which every size is final except those of "span-dependent" jumps: jumps
 * whose size is `shortSize` when the target is within a signed byte of the
 * jump's end and `nearSize` otherwise. A jump's size only grows as the code
 * between it and its target grows, so the system is monotone. When NASM's last
 * pass moved every size the same way (all grew, or all shrank), its remaining
 * passes climb (or descend) to the nearest fixed point in that direction, and
 * so does a worklist that changes jumps only in that direction. The assembler
 * calls this only in that situation, and only when every other statement's size
 * is independent of layout (see Assembler.tryRelaxation).
 *
 * Cost: a short jump spans at most ~130 bytes, so when one item changes only
 * the jumps within a small window around it can be affected. Each jump changes
 * at most once, so the work is O((n + changes * window) log n), with positions
 * kept in a Fenwick tree (prefix sums with point updates).
 */

/** A span-dependent jump inside one section's item list. */
export interface RelaxJump {
  /** Index of the jump's item in the section. */
  item: number;
  /** Index of the item whose start is the target (a label's statement). */
  targetItem: number;
  /** Constant added to the target's position (`jmp label+2`). */
  addend: number;
  shortSize: number;
  nearSize: number;
}

export interface RelaxSection {
  /** Size of every item (statement) in section order; jump sizes are updated in place. */
  sizes: Int32Array;
  jumps: RelaxJump[];
}

/** How far (bytes) from a grown item a short jump that spans it can start. */
const SPAN_WINDOW = 300;

/** Prefix sums over item sizes with O(log n) update and query. */
class FenwickTree {
  private readonly tree: Float64Array;
  constructor(values: Int32Array) {
    const n = values.length;
    this.tree = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const j = i + 1;
      this.tree[j]! += values[i]!;
      const parent = j + (j & -j);
      if (parent <= n) this.tree[parent]! += this.tree[j]!;
    }
  }
  /** Sum of values[0..index) — the start position of item `index`. */
  prefix(index: number): number {
    let sum = 0;
    for (let j = index; j > 0; j -= j & -j) sum += this.tree[j]!;
    return sum;
  }
  add(index: number, delta: number): void {
    for (let j = index + 1; j < this.tree.length; j += j & -j) this.tree[j]! += delta;
  }
  /** The item whose extent holds `position` (the last item starting before it; 0 for position 0). */
  itemContaining(position: number): number {
    // Descend to the largest index whose prefix sum is < position.
    let index = 0;
    let remaining = position;
    let step = 1;
    while (step * 2 < this.tree.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = index + step;
      if (next < this.tree.length && this.tree[next]! < remaining) {
        index = next;
        remaining -= this.tree[next]!;
      }
    }
    return index;
  }
}

function fitsSignedByte(n: number): boolean {
  return n >= -128 && n <= 127;
}

/**
 * Which way the passes were moving when relaxation took over. NASM's passes
 * can also shrink jumps (when pass 1 over-estimated a forward distance), and
 * then they descend to the greatest fixed point below: the mirror image.
 */
export type RelaxDirection = 'grow' | 'shrink';

/**
 * Changes jumps in one direction until every jump has the size its distance
 * calls for. Returns the number of jumps changed.
 */
export function relaxSection(section: RelaxSection, direction: RelaxDirection): number {
  const { sizes, jumps } = section;
  const positions = new FenwickTree(sizes);
  const jumpAtItem = new Int32Array(sizes.length).fill(-1);
  jumps.forEach((j, index) => {
    jumpAtItem[j.item] = index;
  });
  // Only jumps in the "from" state can change: short ones when growing, near ones when shrinking.
  const changeable = (j: RelaxJump): boolean => sizes[j.item] === (direction === 'grow' ? j.shortSize : j.nearSize);

  const queued = new Uint8Array(jumps.length);
  const queue: number[] = [];
  jumps.forEach((j, index) => {
    if (changeable(j)) {
      queue.push(index);
      queued[index] = 1;
    }
  });

  let changed = 0;
  while (queue.length > 0) {
    const index = queue.pop()!;
    queued[index] = 0;
    const jump = jumps[index]!;
    if (!changeable(jump)) continue;
    const start = positions.prefix(jump.item);
    const target = positions.prefix(jump.targetItem) + jump.addend;
    // The short form reaches if the displacement from the end of the *short* encoding fits.
    const reaches = fitsSignedByte(target - (start + jump.shortSize));
    if (reaches === (direction === 'shrink')) {
      const size = direction === 'grow' ? jump.nearSize : jump.shortSize;
      positions.add(jump.item, size - sizes[jump.item]!);
      sizes[jump.item] = size;
      changed++;
    } else {
      continue;
    }

    // Every jump whose span holds this item starts within SPAN_WINDOW bytes of it: re-check those.
    let item = positions.itemContaining(Math.max(0, start - SPAN_WINDOW));
    let position = positions.prefix(item);
    const last = start + SPAN_WINDOW;
    for (; item < sizes.length && position <= last; item++) {
      const other = jumpAtItem[item]!;
      if (other >= 0 && queued[other] === 0 && changeable(jumps[other]!)) {
        queue.push(other);
        queued[other] = 1;
      }
      position += sizes[item]!;
    }
  }
  return changed;
}

/** Start position of every item after relaxation (prefix sums of the sizes). */
export function itemPositions(sizes: Int32Array): Float64Array {
  const positions = new Float64Array(sizes.length + 1);
  for (let i = 0; i < sizes.length; i++) positions[i + 1] = positions[i]! + sizes[i]!;
  return positions;
}
