/**
 * An array grown by `push` keeps the spare room V8 gave it (a first push makes room for 17
 * elements, ~150 bytes): harmless for a temporary, but a parsed statement keeps its operand and
 * data-item arrays for the whole run, and at a million lines that spare room is over 100 MB.
 * A copy has exactly its length.
 */
export function fitted<T>(grown: T[]): T[] {
  return grown.slice();
}
