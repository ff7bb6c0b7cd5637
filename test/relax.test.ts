/**
 * Jump settling (src/asm/relax.ts). The worklist against the definition it
 * shortcuts: re-sizing every jump from scratch, over and over, until nothing
 * changes. Growing from all-short must reach the least fixed point, shrinking
 * from all-near the greatest one. Then the whole assembler with the layout
 * model against the assembler running every pass in full.
 */
import { describe, expect, test } from 'vitest';
import { itemPositions, relaxSection, type RelaxJump } from '../src/asm/relax.js';
import { assemble } from '../src/library/assemble.js';
import { generateSource } from '../bench/generate.mjs';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

interface Program {
  sizes: Int32Array;
  jumps: RelaxJump[];
}

/** Items of 0..7 bytes with a jump every few items to a target up to ~60 items away. */
function randomProgram(seed: number, items: number, start: 'short' | 'near'): Program {
  const next = random(seed);
  const sizes = new Int32Array(items);
  const jumps: RelaxJump[] = [];
  for (let i = 0; i < items; i++) {
    if (next() < 0.3) {
      const near = next() < 0.5 ? 5 : 6; // jmp rel32 or jcc rel32
      const targetItem = Math.max(0, Math.min(items - 1, i + Math.floor((next() - 0.5) * 120)));
      jumps.push({ item: i, targetItem, addend: 0, shortSize: 2, nearSize: near });
      sizes[i] = start === 'short' ? 2 : near;
    } else {
      sizes[i] = Math.floor(next() * 8);
    }
  }
  return { sizes, jumps };
}

/** The slow definition: Jacobi iteration of "short iff the target is in reach", moving only one way. */
function bruteForce(program: Program, direction: 'grow' | 'shrink'): Int32Array {
  const sizes = program.sizes.slice();
  for (;;) {
    const positions = itemPositions(sizes);
    let changed = false;
    const next = sizes.slice();
    for (const j of program.jumps) {
      const distance = positions[j.targetItem]! + j.addend - (positions[j.item]! + j.shortSize);
      const wanted = distance >= -128 && distance <= 127 ? j.shortSize : j.nearSize;
      const allowed = direction === 'grow' ? Math.max(wanted, sizes[j.item]!) : Math.min(wanted, sizes[j.item]!);
      if (allowed !== sizes[j.item]) {
        next[j.item] = allowed;
        changed = true;
      }
    }
    sizes.set(next);
    if (!changed) return sizes;
  }
}

describe('branch relaxation worklist', () => {
  test('a cascade: each grown jump pushes the previous one out of reach', () => {
    // jump0 -> target after 120 bytes of filler and jump1; jump1 spans 125 bytes.
    const sizes = Int32Array.from([2, 60, 2, 60, 5, 2]);
    const jumps: RelaxJump[] = [
      { item: 0, targetItem: 5, addend: 0, shortSize: 2, nearSize: 5 },
      { item: 2, targetItem: 5, addend: 0, shortSize: 2, nearSize: 5 },
    ];
    // jump1: 60 + 5 = 65 fits. jump0: 60 + 2 + 60 + 5 = 127 fits exactly.
    expect(relaxSection({ sizes, jumps }, 'grow')).toBe(0);
    sizes[3] = 64; // now jump0's distance is 131: only jump0 grows
    expect(relaxSection({ sizes, jumps }, 'grow')).toBe(1);
    expect(Array.from(sizes)).toEqual([5, 60, 2, 64, 5, 2]);
  });

  test('an addend moves the target (jmp label+3)', () => {
    const sizes = Int32Array.from([2, 125, 0]);
    const jumps: RelaxJump[] = [{ item: 0, targetItem: 2, addend: 3, shortSize: 2, nearSize: 5 }];
    expect(relaxSection({ sizes, jumps }, 'grow')).toBe(1); // 125 + 3 = 128 > 127
    expect(sizes[0]).toBe(5);
  });

  for (let seed = 1; seed <= 40; seed++) {
    test(`random program ${seed}: same sizes as brute-force iteration, both directions`, () => {
      const grow = randomProgram(seed, 400, 'short');
      const expectedGrow = bruteForce(grow, 'grow');
      relaxSection(grow, 'grow');
      expect(Array.from(grow.sizes)).toEqual(Array.from(expectedGrow));

      const shrink = randomProgram(seed, 400, 'near');
      const expectedShrink = bruteForce(shrink, 'shrink');
      relaxSection(shrink, 'shrink');
      expect(Array.from(shrink.sizes)).toEqual(Array.from(expectedShrink));
    });
  }

  test('a large section (200k items, 60k jumps) ends at a fixed point', () => {
    const program = randomProgram(99, 200_000, 'short');
    relaxSection(program, 'grow');
    const positions = itemPositions(program.sizes);
    // Every short jump reaches, every near one does not (it is a fixed point).
    for (const j of program.jumps) {
      const distance = positions[j.targetItem]! - (positions[j.item]! + j.shortSize);
      const reaches = distance >= -128 && distance <= 127;
      expect(reaches).toBe(program.sizes[j.item] === j.shortSize);
    }
  });
});

/**
 * The whole assembler with and without the layout model: every full pass run
 * (NASM's own rules, the reference the live tests check against nasm) versus
 * a few full passes plus the model. Bytes must be identical, with `align`
 * padding (replayed passes) and without (worklist).
 */
describe('layout model vs full passes', () => {
  const programs = [
    { seed: 101, lines: 3000, align: false },
    { seed: 102, lines: 3000, align: true },
    { seed: 103, lines: 6000, align: true },
    { seed: 104, lines: 6000, align: false },
  ];
  for (const { seed, lines, align } of programs) {
    test(`seed ${seed}, ${lines} lines${align ? ', align 16 before functions' : ''}`, () => {
      const source = generateSource({ lines, seed, align });
      const modelled = assemble(source, { fileName: 'p.asm', format: 'elf32' });
      const full = assemble(source, { fileName: 'p.asm', format: 'elf32', layoutModel: false });
      expect(modelled.errorCount).toBe(0);
      expect(modelled.stages?.passes?.relaxation, 'the model should have been used').toBeDefined();
      expect(full.stages?.passes?.relaxation).toBeUndefined();
      expect(full.stages!.passes!.passes).toBeGreaterThan(modelled.stages!.passes!.passes);
      expect(Buffer.from(modelled.output!).equals(Buffer.from(full.output!))).toBe(true);
    }, 60_000);
  }
});
