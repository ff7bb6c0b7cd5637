/**
 * The progress reports that drive tsnasm's JIT policy (src/cli/jit-policy.ts): the
 * preprocessor counts the characters of the lines it yields, in every reading of the source,
 * and the policy lets V8's optimiser in once, after OPTIMISE_AFTER_CHARACTERS of them.
 * The policy is given a recorder instead of V8's setFlagsFromString: the real flags are
 * process-wide and would change this test process (and the test files sharing it).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/library/assemble.js';
import { PROGRESS_INTERVAL } from '../src/preprocess/index.js';
import { OPTIMISE_AFTER_CHARACTERS, optimiseOnlyLongRuns } from '../src/cli/jit-policy.js';

function progressOf(source: string): number[] {
  const reports: number[] = [];
  const result = assemble(source, {
    fileName: 'p.asm',
    format: 'bin',
    onProgress: (moreCharacters) => reports.push(moreCharacters),
  });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return reports;
}

describe('progress reports while reading', () => {
  it('one report each time the yielded lines reach PROGRESS_INTERVAL characters, none for the rest', () => {
    // 'nop' and its newline: 4 characters a line.
    const lines = (2 * PROGRESS_INTERVAL) / 4 + 100;
    expect(progressOf('nop\n'.repeat(lines))).toEqual([PROGRESS_INTERVAL, PROGRESS_INTERVAL]);
  });

  it('reports the characters read, also when a line crosses the interval', () => {
    // 7 characters a line: the report comes at the first line past the interval, with its count.
    const lines = Math.floor(PROGRESS_INTERVAL / 7) + 10;
    const reports = progressOf('db 1,2\n'.repeat(lines));
    expect(reports).toEqual([Math.ceil(PROGRESS_INTERVAL / 7) * 7]);
  });

  it('counts the text macros and %rep produce, not the text written', () => {
    const repeats = PROGRESS_INTERVAL / 4;
    const source = `%macro two 0\nnop\nnop\n%endmacro\n%rep ${repeats}\ntwo\n%endrep\n`;
    // A few dozen characters written; each repetition yields the macro's two 4-character lines.
    expect(progressOf(source)).toEqual([PROGRESS_INTERVAL, PROGRESS_INTERVAL]);
  });

  it('counts every reading when the source is read again in each pass', () => {
    // `%if` on a label makes every pass read the source again (src/asm/reread.ts).
    const body = 'nop\n'.repeat(PROGRESS_INTERVAL / 4);
    const once = progressOf(body).length;
    const reread = progressOf(`start:\n%if start == 0\n%endif\n${body}`).length;
    expect(once).toBe(1);
    expect(reread).toBeGreaterThan(once);
  });
});

describe('the JIT policy', () => {
  it('turns the optimiser off at once and on again once, after OPTIMISE_AFTER_CHARACTERS', () => {
    const flagsSet: string[] = [];
    const onProgress = optimiseOnlyLongRuns((flags) => flagsSet.push(flags));
    expect(flagsSet).toEqual(['--no-turbofan']);
    for (let read = PROGRESS_INTERVAL; read < OPTIMISE_AFTER_CHARACTERS; read += PROGRESS_INTERVAL)
      onProgress(PROGRESS_INTERVAL);
    expect(flagsSet).toEqual(['--no-turbofan']);
    onProgress(PROGRESS_INTERVAL);
    onProgress(PROGRESS_INTERVAL);
    expect(flagsSet).toEqual(['--no-turbofan', '--turbofan']);
  });
});
