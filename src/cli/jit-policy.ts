/**
 * When tsnasm lets V8's optimising compiler (TurboFan) run.
 *
 * TurboFan compiles hot functions on a background thread, and that thread's CPU counts: on a
 * source file of a few thousand lines it costs more than it saves, because the run is over
 * before the optimised code has paid back its compilation, while long runs need it (100,000
 * code lines take about 3 s with it and 5 s without). So the command starts with TurboFan off,
 * the interpreter and the cheap baseline compiler doing the work, and turns it on once the
 * preprocessor has produced OPTIMISE_AFTER_CHARACTERS of text (counted in every reading of the
 * source, expanded macro lines included): by then the run has shown itself long. Characters
 * rather than lines, because a long `db` line or an expanded macro costs more than a short
 * instruction; a count rather than a clock, so that a run behaves the same on a loaded machine.
 * Measured figures are in bench/RESULTS.md and the issue-14 notes.
 *
 * Only the real process does this (run() in tsnasm.ts): the flags are process-wide, and tests
 * that call main() in-process keep V8's defaults. The flags change speed, never results.
 */
import { setFlagsFromString } from 'node:v8';

/** Text read before the optimiser is let in: about 12,000 lines of ordinary code. */
export const OPTIMISE_AFTER_CHARACTERS = 256 * 1024;

/**
 * Turns TurboFan off now; returns the progress listener that turns it back on for long runs.
 * (`setFlags` is V8's own but for tests, which must not change the flags of their process.)
 */
export function optimiseOnlyLongRuns(
  setFlags: (flags: string) => void = setFlagsFromString,
): (moreCharacters: number) => void {
  setFlags('--no-turbofan');
  let read = 0;
  return (moreCharacters) => {
    if (read >= OPTIMISE_AFTER_CHARACTERS) return;
    read += moreCharacters;
    if (read >= OPTIMISE_AFTER_CHARACTERS) setFlags('--turbofan');
  };
}
