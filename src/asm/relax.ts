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
 *  1. PassReplayer: NASM's pass rules on flat arrays (one value per label,
 *     updated in place, so forward references see the previous pass). It
 *     gives exactly NASM's sequence of layouts, and as many passes, but a
 *     replayed pass visits only jumps, padding and jump targets, and only
 *     where something moved (after a size change until padding absorbs the
 *     shift, or a jump whose target moved). With `align` the number of passes
 *     still grows with the file (70 at 100k lines, 699 at 1M), and a shift by
 *     a multiple of the alignment is never absorbed, so a pass can still walk
 *     to the end of its section: close to linear per pass, not in total.
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
  sizeAt: Array<((start: number) => number) | undefined>;
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

/** A set of item positions as bits, with "the next member from here" (the walk's way to skip ahead). */
class PositionSet {
  private readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }
  add(p: number): void {
    this.words[p >>> 5]! |= 1 << (p & 31);
  }
  has(p: number): boolean {
    return (this.words[p >>> 5]! & (1 << (p & 31))) !== 0;
  }
  delete(p: number): void {
    this.words[p >>> 5]! &= ~(1 << (p & 31));
  }
  /** The smallest member >= p, or -1. */
  next(p: number): number {
    const words = this.words;
    let w = p >>> 5;
    if (w >= words.length) return -1;
    let bits = words[w]! & (-1 << (p & 31));
    while (bits === 0) {
      if (++w >= words.length) return -1;
      bits = words[w]!;
    }
    return (w << 5) + 31 - Math.clz32(bits & -bits);
  }
}

/**
 * Replays NASM's passes on the model, visiting only what can change.
 *
 * A statement's size in a pass is a pure function of its start (and, for a
 * jump, of its target's start as seen at that moment: this pass's value for a
 * backward target, the previous pass's for a forward one). So a pass only has
 * to visit statements whose start moved (those after a size change, until an
 * `align` absorbs the shift) and jumps whose target moved: backward jumps in
 * the same pass, forward jumps in the next. Everything else keeps its size.
 * The result is the same sequence of layouts as full passes; on files where
 * `align` absorbs most shifts a pass costs what it changes, not O(n).
 */
class PassReplayer {
  /** Jumps by target statement (CSR): jumpsTo[jumpsToStart[t] .. jumpsToStart[t+1]). */
  private readonly jumpsToStart: Int32Array;
  private readonly jumpsTo: Int32Array;
  /** Accumulated size change in this pass, per section. */
  private readonly shift: Float64Array;
  private shiftedSections = 0;
  /** Jumps (by item position) to re-evaluate in this pass and in the next although nothing before them moved. */
  private pendingNow: PositionSet;
  private pendingNext: PositionSet;
  /** Statements later passes look at (jumps, padding, jump targets), in order, and each one's place there. */
  private readonly items: Int32Array;
  private readonly positionOf: Int32Array;
  private grew = false;
  private shrank = false;
  /** A later pass ran, so starts of statements it does not look at are stale (see finish). */
  private stale = false;
  /** Running section offsets during the first pass, which visits everything (null afterwards). */
  private offsets: Float64Array | null;

  constructor(private readonly model: LayoutModel) {
    const n = model.section.length;
    const counts = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) if (model.kind[i] === ItemKind.Jump) counts[model.target[i]! + 1]!++;
    for (let t = 0; t < n; t++) counts[t + 1]! += counts[t]!;
    this.jumpsToStart = counts;
    this.jumpsTo = new Int32Array(counts[n]!);
    const fill = counts.slice(0, n);
    for (let i = 0; i < n; i++) if (model.kind[i] === ItemKind.Jump) this.jumpsTo[fill[model.target[i]!]!++] = i;
    this.shift = new Float64Array(model.sectionCount);
    this.offsets = new Float64Array(model.sectionCount);
    const items: number[] = [];
    this.positionOf = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      if (model.section[i]! < 0) continue;
      if (model.kind[i] === ItemKind.Fixed && counts[i] === counts[i + 1]) continue;
      this.positionOf[i] = items.length;
      items.push(i);
    }
    this.items = Int32Array.from(items);
    this.pendingNow = new PositionSet(items.length);
    this.pendingNext = new PositionSet(items.length);
  }

  /** One pass. Returns which way sizes moved, or null when the model cannot follow. */
  pass(): PassDirection | null {
    const outcome = this.offsets !== null ? this.firstPass() : this.laterPass();
    if (outcome === null) return null;
    const { grew, shrank } = this;
    return grew && shrank ? 'mixed' : grew ? 'grow' : shrank ? 'shrink' : 'none';
  }

  /** The first pass visits every statement, laying the sections out from 0 as a full pass does. */
  private firstPass(): true | null {
    const { section } = this.model;
    this.beginPass();
    for (let i = 0; i < section.length; i++) {
      const s = section[i]!;
      if (s < 0) continue;
      if (this.positionOf[i]! >= 0) this.pendingNow.delete(this.positionOf[i]!);
      if (this.visit(i, s) === null) return null;
    }
    this.offsets = null;
    return true;
  }

  /**
   * Later passes walk only the statements that can change or be looked at (jumps, padding, jump
   * targets), and skip straight to the next pending jump where nothing before it moved.
   */
  private laterPass(): true | null {
    const { section } = this.model;
    const { items } = this;
    // Everything pending now was visited in the last pass: the next pass's set becomes this one's.
    const pending = this.pendingNext;
    this.pendingNext = this.pendingNow;
    this.pendingNow = pending;
    this.beginPass();
    this.stale = true;
    const m = items.length;
    let p = 0;
    for (;;) {
      if (this.shiftedSections === 0) {
        // Nothing moves from here on: go straight to the next jump whose target moved.
        p = pending.next(p);
        if (p < 0) break;
      }
      if (p >= m) break;
      const i = items[p]!;
      const s = section[i]!;
      if (this.shift[s] !== 0 || pending.has(p)) {
        pending.delete(p);
        if (this.visit(i, s) === null) return null;
      }
      p++;
    }
    return true;
  }

  private beginPass(): void {
    this.shift.fill(0);
    this.shiftedSections = 0;
    this.grew = false;
    this.shrank = false;
  }

  /** Brings every statement's start up to date (later passes leave those they never look at behind). */
  finish(): void {
    if (!this.stale) return;
    const { section, size, start } = this.model;
    const offsets = new Float64Array(this.model.sectionCount);
    for (let i = 0; i < section.length; i++) {
      const s = section[i]!;
      if (s < 0) continue;
      start[i] = offsets[s]!;
      offsets[s]! += size[i]!;
    }
  }

  /** Re-sizes one statement at its new start; returns its size change (null: cannot model). */
  private visit(i: number, s: number): number | null {
    const model = this.model;
    // The first pass lays every section out from 0, as a full pass does; later ones shift the previous layout.
    const here = this.offsets === null ? model.start[i]! + this.shift[s]! : this.offsets[s]!;
    if (here !== model.start[i]) {
      model.start[i] = here;
      this.targetMoved(i);
    }
    const size = model.size[i]!;
    let next = size;
    const kind = model.kind[i];
    if (kind === ItemKind.Jump) {
      const distance = model.start[model.target[i]!]! + model.addend[i]! - (here + model.shortSize[i]!);
      next = fitsSignedByte(distance) ? model.shortSize[i]! : model.nearSize[i]!;
    } else if (kind === ItemKind.PositionDependent) {
      next = model.sizeAt[i]!(here);
      if (!(next >= 0)) return null;
    }
    if (this.offsets !== null) this.offsets[s] = here + next;
    if (next !== size) {
      if (next > size) this.grew = true;
      else this.shrank = true;
      model.size[i] = next;
      const before = this.shift[s]!;
      const after = before + next - size;
      this.shift[s] = after;
      if (before === 0) this.shiftedSections++;
      else if (after === 0) this.shiftedSections--;
    }
    return next - size;
  }

  /** Statement `t` starts elsewhere: jumps after it see that in this pass, jumps before it in the next. */
  private targetMoved(t: number): void {
    for (let k = this.jumpsToStart[t]!; k < this.jumpsToStart[t + 1]!; k++) {
      const j = this.jumpsTo[k]!;
      if (j > t) this.pendingNow.add(this.positionOf[j]!);
      else if (j < t) this.pendingNext.add(this.positionOf[j]!);
    }
  }
}

/** Runs the worklist on every section of the model and writes sizes and starts back. */
function relaxModel(model: LayoutModel, direction: RelaxDirection): number {
  // Plain loops over typed arrays: this runs over every statement of the file (a typed array's
  // `from` with a mapping function and per-statement closures cost several times more).
  const { section, size, start, kind } = model;
  const count = section.length;
  const lengths = new Int32Array(model.sectionCount);
  for (let i = 0; i < count; i++) if (section[i]! >= 0) lengths[section[i]!]!++;
  const itemsBySection = Array.from(lengths, (length) => new Int32Array(length));
  const filled = new Int32Array(model.sectionCount);
  // Each statement's place among its section's statements.
  const itemOf = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    const s = section[i]!;
    if (s < 0) continue;
    itemOf[i] = filled[s]!;
    itemsBySection[s]![filled[s]!++] = i;
  }
  let changed = 0;
  for (const items of itemsBySection) {
    const sizes = new Int32Array(items.length);
    const jumps: RelaxJump[] = [];
    for (let item = 0; item < items.length; item++) {
      const i = items[item]!;
      sizes[item] = size[i]!;
      if (kind[i] !== ItemKind.Jump) continue;
      jumps.push({
        item,
        targetItem: itemOf[model.target[i]!]!,
        addend: model.addend[i]!,
        shortSize: model.shortSize[i]!,
        nearSize: model.nearSize[i]!,
      });
    }
    if (jumps.length > 0) changed += relaxSection({ sizes, jumps }, direction);
    const positions = itemPositions(sizes);
    for (let item = 0; item < items.length; item++) {
      const i = items[item]!;
      size[i] = sizes[item]!;
      start[i] = positions[item]!;
    }
  }
  return changed;
}

/**
 * Brings the model to NASM's fixed point: replays passes, and as soon as the
 * latest pass moved sizes one way only, with no position-dependent
 * statements (whose size can go down while code grows), lets the worklist
 * finish in one go. `lastPass` is how the assembler's own latest pass moved.
 */
export function settleLayout(model: LayoutModel, maxPasses: number, lastPass: PassDirection): SettleResult {
  const replayer = new PassReplayer(model);
  let monotone = true;
  for (let i = 0; i < model.kind.length; i++)
    if (model.kind[i] === ItemKind.PositionDependent && model.section[i]! >= 0) monotone = false;
  let direction = lastPass;
  for (let passes = 0; ; passes++) {
    if (direction === 'none') {
      replayer.finish();
      return { modelled: true, passes, worklist: null, jumpsChanged: 0, settled: true };
    }
    if (monotone && (direction === 'grow' || direction === 'shrink')) {
      const jumpsChanged = relaxModel(model, direction);
      return { modelled: true, passes, worklist: direction, jumpsChanged, settled: true };
    }
    if (passes >= maxPasses) {
      replayer.finish();
      return { modelled: true, passes, worklist: null, jumpsChanged: 0, settled: false };
    }
    const moved = replayer.pass();
    if (moved === null) return { modelled: false, passes, worklist: null, jumpsChanged: 0, settled: false };
    direction = moved;
  }
}
