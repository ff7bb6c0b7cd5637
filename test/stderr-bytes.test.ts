/**
 * tsnasm reads its source one character per byte, so a message quoting the source holds those
 * bytes; its stderr must give them back as they were (not UTF-8 encoded a second time). Compared
 * byte for byte with nasm 2.16.01's stderr (fixtures/stderr-bytes, scripts/gen-stderr-bytes-fixture.sh).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../src/cli/tsnasm.js';
import { createNodeIo } from '../src/cli/node-io.js';
import { textBytes } from '../src/cli/tsnasm-modes.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'stderr-bytes');

describe('stderr bytes', () => {
  test('messages quoting bytes above 0x7F are written byte for byte, as nasm writes them', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'tsnasm-stderr-'));
    const written: Uint8Array[] = [];
    try {
      const status = main(['-f', 'bin', 'source.asm', '-o', join(scratch, 'out.bin')], {
        ...createNodeIo({ cwd: FIXTURE }),
        // As Node writes a string to a stream: in UTF-8.
        stderr: (text) => written.push(Buffer.from(text, 'utf8')),
        stderrBytes: (bytes) => written.push(bytes),
        env: {},
        isTTY: { stdout: false, stderr: false },
      });
      expect(status).toBe(1);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const got = Buffer.concat(written);
    const expected = readFileSync(join(FIXTURE, 'expected.stderr'));
    expect(got.toString('hex')).toBe(expected.toString('hex'));
  });

  test('characters above U+00FF (tsnasm text of its own) are written in UTF-8', () => {
    expect(Buffer.from(textBytes('\u00e9\u2026')).toString('hex')).toBe('e9e280a6');
  });
});
