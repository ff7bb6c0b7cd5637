/**
 * Settling jump sizes in (close to) linear time, with NASM's result.
 *
 * NASM settles jump sizes by re-running whole passes until no label moves. On
 * jump-heavy code a growing jump pushes the target of an earlier forward jump
 * out of reach, which NASM only notices in the next pass, and so on: the
 * number of passes grows with the file (46 passes at 100k generated lines,
 * 73 when functions are aligned; hours at 1M). Each pass costs O(n), so the
 * whole is super-linear.
 *
 * Two engines, both used only when every size that can still change belongs
 * to a jump (short or near by its distance) or to position-only padding
 * (`align`); everything else must be fixed (see Assembler.trySettling):
 *
 *  1. replayPass: NASM's pass rules on flat arrays (one value per label,
 *     updated in place, so forward references see the previous pass). It
 *     gives exactly NASM's sequence of layouts, hundreds of times cheaper
 *     than a full pass, but as many passes.
 *  2. relaxSection: a worklist. A jump's size only grows as the code between
 *     it and its target grows, so without padding the system is monotone.
 *     When the latest pass moved every size the same way (all grew, or all
 *     shrank), NASM's remaining passes climb (or descend) to the nearest
 *     fixed point in that direction, and so does a worklist that changes
 *     jumps only in that direction. A short jump spans at most ~130 bytes,
 *     so when one item changes only the jumps within a small window around it
 *     can be affected; each jump changes at most once: O((n + changes *
 *     window) log n), with positions in a Fenwick tree.
 *
 * settleLayout replays passes until one moves sizes one way, then lets the
 * worklist finish (padding rules that out: it can shrink while code grows).
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

// ---------------------------------------------------------------------------
// Replaying NASM's passes on a layout model
// ---------------------------------------------------------------------------

/** How a statement's size reacts to layout inside the model. */
export const enum ItemKind {
  /** Never changes. */
  Fixed = 0,
  /** Short or near by the distance to its target (see RelaxJump). */
  Jump = 1,
  /** A function of its own start offset only: `times (16 - ($-$$) % 16) % 16 nop`, i.e. `align`. */
  PositionDependent = 2,
}

/**
 * Everything about a program's layout that can still change, as flat arrays
 * indexed by statement. A full assembler pass evaluates every operand and
 * encodes instructions; a pass over this model only re-sizes jumps and
 * alignment, so it is hundreds of times cheaper and yet follows NASM's rules
 * exactly: statements are walked in order and positions are updated in
 * place, so a backward reference sees this pass's value and a forward one the
 * previous pass's, as in NASM.
 */
export interface LayoutModel {
  /** Section index of each statement, or -1 outside every section (absolute space). */
  section: Int32Array;
  /** Size in the latest pass (updated). */
  size: Int32Array;
  /** Start offset in the latest pass, i.e. the value of a label there (updated). */
  start: Float64Array;
  kind: Uint8Array;
  /** Jumps: the statement whose start is the target, the addend, and the two sizes. */
  target: Int32Array;
  addend: Int32Array;
  shortSize: Int32Array;
  nearSize: Int32Array;
  /** Position-dependent statements: size at a given start offset (negative: cannot model, give up). */
  sizeAt: Map<number, (start: number) => number>;
  sectionCount: number;
}

export interface SettleResult {
  /** False when the model met something it cannot follow; the caller then keeps to full passes. */
  modelled: boolean;
  /** Passes replayed on the model. */
  passes: number;
  /** Set when the worklist finished the job, in which direction. */
  worklist: RelaxDirection | null;
  /** Jumps the worklist changed. */
  jumpsChanged: number;
  /** True when a fixed point was reached within the pass limit. */
  settled: boolean;
}

type PassDirection = RelaxDirection | 'mixed' | 'none';

/** One pass over the model. Returns which way sizes moved, or null when the model cannot follow. */
function replayPass(model: LayoutModel, offsets: Float64Array): PassDirection | null {
  offsets.fill(0);
  let grew = false;
  let shrank = false;
  const { section, size, start, kind, target, addend, shortSize, nearSize } = model;
  for (let i = 0; i < section.length; i++) {
    const s = section[i]!;
    if (s < 0) continue;
    const here = offsets[s]!;
    start[i] = here;
    let next = size[i]!;
    if (kind[i] === ItemKind.Jump) {
      const distance = start[target[i]!]! + addend[i]! - (here + shortSize[i]!);
      next = fitsSignedByte(distance) ? shortSize[i]! : nearSize[i]!;
    } else if (kind[i] === ItemKind.PositionDependent) {
      next = model.sizeAt.get(i)!(here);
      if (!(next >= 0)) return null;
    }
    if (next > size[i]!) grew = true;
    else if (next < size[i]!) shrank = true;
    size[i] = next;
    offsets[s] = here + next;
  }
  return grew && shrank ? 'mixed' : grew ? 'grow' : shrank ? 'shrink' : 'none';
}

/** Runs the worklist on every section of the model and writes sizes and starts back. */
function relaxModel(model: LayoutModel, direction: RelaxDirection): number {
  const itemsBySection: number[][] = Array.from({ length: model.sectionCount }, () => []);
  const itemOf = new Int32Array(model.section.length).fill(-1);
  model.section.forEach((s, i) => {
    if (s < 0) return;
    itemOf[i] = itemsBySection[s]!.length;
    itemsBySection[s]!.push(i);
  });
  let changed = 0;
  itemsBySection.forEach((items) => {
    const sizes = Int32Array.from(items, (i) => model.size[i]!);
    const jumps: RelaxJump[] = [];
    for (const i of items) {
      if (model.kind[i] !== ItemKind.Jump) continue;
      jumps.push({
        item: itemOf[i]!,
        targetItem: itemOf[model.target[i]!]!,
        addend: model.addend[i]!,
        shortSize: model.shortSize[i]!,
        nearSize: model.nearSize[i]!,
      });
    }
    if (jumps.length > 0) changed += relaxSection({ sizes, jumps }, direction);
    const positions = itemPositions(sizes);
    items.forEach((i, item) => {
      model.size[i] = sizes[item]!;
      model.start[i] = positions[item]!;
    });
  });
  return changed;
}

/**
 * Brings the model to NASM's fixed point: replays passes, and as soon as the
 * latest pass moved sizes one way only, with no position-dependent
 * statements (whose size can go down while code grows), lets the worklist
 * finish in one go. `lastPass` is how the assembler's own latest pass moved.
 */
export function settleLayout(model: LayoutModel, maxPasses: number, lastPass: PassDirection): SettleResult {
  const offsets = new Float64Array(model.sectionCount);
  let monotone = true;
  for (let i = 0; i < model.kind.length; i++)
    if (model.kind[i] === ItemKind.PositionDependent && model.section[i]! >= 0) monotone = false;
  let direction = lastPass;
  for (let passes = 0; ; passes++) {
    if (direction === 'none') return { modelled: true, passes, worklist: null, jumpsChanged: 0, settled: true };
    if (monotone && (direction === 'grow' || direction === 'shrink')) {
      const jumpsChanged = relaxModel(model, direction);
      return { modelled: true, passes, worklist: direction, jumpsChanged, settled: true };
    }
    if (passes >= maxPasses) return { modelled: true, passes, worklist: null, jumpsChanged: 0, settled: false };
    const moved = replayPass(model, offsets);
    if (moved === null) return { modelled: false, passes, worklist: null, jumpsChanged: 0, settled: false };
    direction = moved;
  }
}
