/** Listings and teaching views over an `assemble` result (see docs/teaching.md). */
export { renderListing, parseListingFlags, listingWritten, type ListingOptions, type ListingFlags } from './listing.js';
export { explain, formatExplain, type ExplainedLine, type ExplainedField, type ExplainOptions } from './explain.js';
export { decodeFields, type DecodedInstruction, type DecodedField, type ModRM, type Sib } from '../disasm/fields.js';
export {
  dumpStage,
  passTable,
  DUMP_STAGES,
  type DumpStage,
  type DumpOptions,
  type PassRow,
  type PassLabel,
} from './dump.js';
export { explainElf, describeElf, ElfExplainError, type ElfRegion, type ElfRow } from './elf-explain.js';
