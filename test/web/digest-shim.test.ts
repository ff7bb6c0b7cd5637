/**
 * The playground's SHA-256 (web/src/shims/digest.ts, used for image digests
 * in the browser) against Node's: every padding boundary and some random data.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestOf, sha256Hex } from '../../web/src/shims/digest.js';

function bytes(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 24;
  });
}

describe('the browser SHA-256', () => {
  it.each([0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537])('matches node:crypto on %i bytes', (n) => {
    const data = bytes(n, n + 1);
    expect(sha256Hex(data)).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('spells OCI digests', () => {
    expect(digestOf(new TextEncoder().encode('abc'))).toBe(
      'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
