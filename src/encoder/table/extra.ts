/**
 * Instruction groups beyond the phase-1 integer core (system, x87, MMX, SSE …).
 * Same notation as general.ts.
 */
export function extraRows(): string {
  return '';
}
