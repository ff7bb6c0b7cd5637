/**
 * The value of an expression as NASM's evaluator sees it: a constant part plus
 * at most one relocatable base ("segment") with coefficient 1.
 *
 * Segment ids are allocated by the assembler: every section gets one, and every
 * external (or common) symbol gets one of its own, exactly as NASM treats an
 * extern as a segment of its own. The encoder only compares ids ("is the target
 * in the section I am assembling into?"); the writers map them to relocations.
 */
export interface Value {
  /** Constant part, with 64-bit two's complement wrap-around (NASM evaluates in int64). */
  offset: bigint;
  /** Segment id the value is relative to, or null for a plain number. */
  base: number | null;
  /**
   * True when the expression mentions a symbol that has no value yet in this pass
   * (a forward reference in pass 1). The encoder then chooses the optimistic form
   * NASM chooses for unknown values, and the offset is meaningless.
   */
  unknown: boolean;
  /** Segment id given by `wrt`, or null. */
  wrt: number | null;
  /** True for `seg X`: the value is the segment (paragraph) of X rather than its offset. */
  segmentOf: boolean;
  /**
   * A segment base subtracted from the value (`ext - $`, `label_in_data - label_in_text`).
   * When it is the section being assembled into, the value is self-relative
   * and becomes a PC-relative relocation; absent or null otherwise.
   */
  minusBase?: number | null;
  /**
   * A relocatable value multiplied by a number other than 1 (`label*2`): no
   * relocation can express it. See scaleRelocatable in src/asm/evaluate.ts.
   */
  scaled?: boolean;
  /**
   * A sum no relocation can express (`ext1 + ext2`, `5 - label`). nasm's
   * message depends on the user: "invalid operand type" for an instruction
   * operand, "invalid effective address: multiple base segments" in an
   * address, "expression is not simple or relocatable" in data.
   */
  complex?: boolean;
  /**
   * The segment bases with their multipliers, in nasm's order (by segment id), when `base` and
   * `minusBase` cannot say it: a scaled or complex value, or one with a base multiplied by 0
   * (`x*0` is 0 to an immediate, but its term stays for an address to refuse). Null otherwise.
   */
  terms?: readonly SegmentTerm[] | null;
}

/** One segment base of a value and how many times it counts (nasm's vector term). */
export interface SegmentTerm {
  readonly segment: number;
  readonly coefficient: bigint;
}

/**
 * A value with every field present, always in this order: all values then share one hidden class,
 * so the optimised code that reads them stays monomorphic (optional fields added later, `delete`
 * and frozen objects each made a shape of their own, and deoptimised the hot paths).
 */
export function makeValue(
  offset: bigint,
  base: number | null,
  unknown: boolean,
  wrt: number | null,
  segmentOf: boolean,
  minusBase: number | null = null,
  scaled = false,
  complex = false,
  terms: readonly SegmentTerm[] | null = null,
): Value {
  return { offset, base, unknown, wrt, segmentOf, minusBase, scaled, complex, terms };
}

// The fields that hold a number or null get both kinds once, now: the first value that stored the
// other kind used to change the shape under code already optimised for the first (which V8 then threw away).
makeValue(0n, 0, false, 0, false, 0, false, false, []);
makeValue(0n, null, false, null, false, null);

/** The same value with other fields (the copy keeps the one shape; see makeValue). */
export function withFields(v: Value, changes: Partial<Value>): Value {
  const c = { ...v, ...changes };
  return makeValue(
    c.offset,
    c.base,
    c.unknown,
    c.wrt,
    c.segmentOf,
    c.minusBase ?? null,
    c.scaled ?? false,
    c.complex ?? false,
    c.terms ?? null,
  );
}

/** Not frozen (a frozen object has a shape of its own); Readonly keeps it unchanged. */
export const UNKNOWN_VALUE: Readonly<Value> = makeValue(0n, null, true, null, false);

export function constantValue(n: bigint | number): Value {
  return makeValue(
    typeof n === 'bigint' ? BigInt.asIntN(64, n) : BigInt.asIntN(64, BigInt(n)),
    null,
    false,
    null,
    false,
  );
}

export function isPlainNumber(v: Value): boolean {
  return v.base === null && !v.unknown && v.wrt === null && !v.segmentOf && (v.minusBase ?? null) === null;
}

/**
 * What nasm's critical expressions (`org`, `times`, `resb`, section attributes) accept: a known
 * number with nothing else attached; `1 wrt 5` is refused there like an address (measured).
 */
export function isCriticalNumber(v: Value): boolean {
  return isPlainNumber(v) && v.scaled !== true && v.complex !== true;
}

/** The number a value is, or null when it is relocatable, unknown or otherwise no plain number. */
export function plainNumberOf(v: Value): bigint | null {
  return isPlainNumber(v) ? v.offset : null;
}

/** True when `n` fits in a signed byte (the `imm8,s` / disp8 test). */
export function fitsSignedByte(n: bigint): boolean {
  return n >= -128n && n <= 127n;
}
