/**
 * The per-statement memos are columns that grow as statements are added (src/asm/memos.ts):
 * what one statement's passes learnt must stay with that statement through growth, be
 * forgotten when asked (its label kept), and be gone after clear().
 */
import { describe, expect, test } from 'vitest';
import { LayoutDependence, Lazy, SizeMemos } from '../../src/asm/memos.js';
import { SymbolTable } from '../../src/asm/symbols.js';
import { fitted, flattened } from '../../src/core/compact.js';

describe('SizeMemos', () => {
  test('a new memo knows nothing yet', () => {
    const memos = new SizeMemos(1);
    memos.add(LayoutDependence.PositionDependent);
    expect(memos.length).toBe(1);
    expect(memos.fixedSize[0]).toBe(-1);
    expect(memos.savedAt[0]).toBe(-1);
    expect(memos.layout[0]).toBe(LayoutDependence.PositionDependent);
    expect(memos.operandsMove[0]).toBe(Lazy.Unknown);
    expect(memos.warningLeaves[0]).toBe(Lazy.Unknown);
    expect([memos.lastKey[0], memos.template[0], memos.branch[0], memos.label[0], memos.savedMode[0]]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  test('values stay with their statement when the columns grow past their room', () => {
    const memos = new SizeMemos(2);
    const label = new SymbolTable().symbol('start');
    for (let i = 0; i < 100; i++) {
      memos.add(LayoutDependence.Fixed);
      memos.fixedSize[i] = i * 3;
      memos.lastSize[i] = 2 ** 33 + i; // sizes are not limited to 32 bits
      memos.lastKey[i] = [32, 'all', i];
    }
    memos.label[1] = label;
    memos.add(LayoutDependence.Jump);
    expect(memos.length).toBe(101);
    expect(memos.fixedSize[99]).toBe(297);
    expect(memos.lastSize[50]).toBe(2 ** 33 + 50);
    expect(memos.lastKey[7]).toEqual([32, 'all', 7]);
    expect(memos.label[1]).toBe(label);
    expect(memos.layout[100]).toBe(LayoutDependence.Jump);
    expect(memos.fixedSize[100]).toBe(-1);
  });

  test('forget keeps the label and drops the rest; clear drops everything', () => {
    const memos = new SizeMemos(0);
    const label = new SymbolTable().symbol('here');
    memos.add(LayoutDependence.Fixed);
    memos.fixedSize[0] = 5;
    memos.savedAt[0] = 12;
    memos.operandsMove[0] = Lazy.Yes;
    memos.branch[0] = { short: 2, near: 5 };
    memos.label[0] = label;
    memos.forget(0, LayoutDependence.Unsafe);
    expect([memos.fixedSize[0], memos.savedAt[0], memos.operandsMove[0], memos.layout[0]]).toEqual([
      -1,
      -1,
      Lazy.Unknown,
      LayoutDependence.Unsafe,
    ]);
    expect(memos.branch[0]).toBeNull();
    expect(memos.label[0]).toBe(label);
    memos.clear();
    expect(memos.length).toBe(0);
    memos.add(LayoutDependence.Fixed);
    expect(memos.label[0]).toBeNull();
  });
});

describe('compact copies', () => {
  test('fitted copies an array element for element', () => {
    const grown: number[] = [];
    for (let i = 0; i < 5; i++) grown.push(i);
    const copy = fitted(grown);
    expect(copy).toEqual([0, 1, 2, 3, 4]);
    expect(copy).not.toBe(grown);
  });

  test('flattened gives the same string', () => {
    let built = '';
    for (let i = 0; i < 20; i++) built += `,%e${i}`;
    expect(flattened(built)).toBe(built);
    expect(flattened('')).toBe('');
  });
});
