/**
 * Copies of values that a long run keeps, made smaller than V8 made the originals. Both matter
 * at a million lines, where a few hundred spare bytes per line are hundreds of megabytes.
 */

/**
 * An array grown by `push` keeps the spare room V8 gave it (a first push makes room for 17
 * elements, ~150 bytes): harmless for a temporary, but a parsed statement keeps its operand and
 * data-item arrays for the whole run. A copy has exactly its length.
 */
export function fitted<T>(grown: T[]): T[] {
  return grown.slice();
}

/**
 * A string built by `+=` is a tree of pieces (32 bytes a node, the pieces kept besides); kept as
 * a table's key it keeps the whole tree. Reading a character makes V8 flatten it in place into one
 * run of characters, and the tree is garbage (measured on Node 20: 422 -> 141 bytes a key for a
 * key built from 13 pieces). Where V8 does not, nothing is lost but the saving.
 */
export function flattened(built: string): string {
  built.charCodeAt(0);
  return built;
}
