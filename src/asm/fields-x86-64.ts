/**
 * Fields with `wrt ..got/..gotpc/..gotoff/..plt/..sym/..gottpoff/..tlsie` in
 * the x86-64 ELF formats (elf64, elfx32), whose RELA relocations carry the
 * addend apart from the field. What nasm 2.16.01 accepts and which addend it
 * writes, measured form by form (data, imm8/16/32/64, disp32, RIP-relative,
 * branches; extern, local and global targets):
 *
 *  - ..got:      GOT32/GOT64 absolute (dword/qword fields only, qword not in
 *                x32), GOTPCREL PC-relative; against the global symbol at
 *                exactly the address (an extern: itself), addend 0 or -4;
 *  - ..gotpc:    absolute: GOTPC32 against the section, addend value plus
 *                the field's own offset; PC-relative: as ..got;
 *  - ..gotoff:   qword absolute only (GOTOFF64, not in x32), addend the value;
 *  - ..plt:      PC-relative only (PLT32), against a global as ..got;
 *  - ..sym:      absolute only, against the nearest global at or below;
 *  - ..gottpoff: PC-relative only (GOTTPOFF), against a global as ..got;
 *  - ..tlsie:    refused (nasm's elf64 has no relocation for it);
 *  - an extern with an offset (`ext+2`) is refused in the GOT/PLT/TLS forms;
 *  - any of them in a byte-sized PC-relative field (`jmp short`): refused.
 *
 * The addend is left in the field, as for elf32's REL; the writer moves it
 * into the RELA entry (src/output/elf-object.ts).
 */
import type { Value } from '../core/value.js';
import type { AssemblyContext, ElfWrt, FieldPlace } from './context.js';
import type { SymbolEntry } from './symbols.js';
import { emitWrtRelocation } from './wrt-field.js';

export function writeX86_64WrtField(ctx: AssemblyContext, place: FieldPlace, value: Value, kind: ElfWrt): void {
  const { at, size, relative } = place;
  if (value.base === null || (value.minusBase ?? null) !== null)
    ctx.reportError('expression is not simple or relocatable');
  const segment = ctx.stream.segments[value.base];
  if (!segment) ctx.reportError('invalid relocation target');
  const x32 = ctx.options.format === 'elfx32';
  let wrt: ElfWrt | null = kind;
  let stored = value.offset;
  let targetSymbol: SymbolEntry | undefined;
  // These errors do not abandon the statement: nasm still lists the field (as a plain relocation).
  const fail = (message: string): void => {
    if (wrt !== null) ctx.diagnostics.error(message, ctx.currentLocation);
    wrt = null;
  };
  /** The global symbol a GOT/PLT/TLS reference names: the extern itself, or the global at exactly this address. */
  const viaGlobal = (nearest: boolean): void => {
    if (segment.kind !== 'section') {
      // GOT, PLT and TLS slots belong to the symbol itself: no offset from an extern.
      if (!nearest && value.offset !== 0n) fail('invalid access to an external symbol');
      return;
    }
    targetSymbol = ctx.symbols.globalSymbolFor(value.base!, value.offset, !nearest);
    if (targetSymbol) stored -= targetSymbol.value!.offset;
    else fail('unable to find a suitable global symbol for this reference');
  };
  if (relative && value.base === ctx.stream.current.segment) {
    // nasm 2.16.01 panics here (exit 3, no object); refusing keeps the rule: never wrong bytes with success.
    ctx.reportError('intra-segment OUT_REL4ADR');
  }
  // elfx32's messages name the format and are worded a little differently (measured).
  const formatName = x32 ? 'ELFX32' : 'ELF64';
  if (relative && size === 1) fail(x32 ? 'unsupported 8-bit ELF relocation' : 'Unsupported 8-bit ELF relocation');
  switch (kind) {
    case 'sym':
      if (relative) fail(`${formatName} format does not support this use of WRT`);
      else viaGlobal(true);
      break;
    case 'got':
      if (!relative && (size < 4 || (x32 && size === 8))) fail('invalid ..got reference');
      else viaGlobal(false);
      break;
    case 'gotpc':
      if (relative) viaGlobal(false);
      else stored += BigInt(at);
      break;
    case 'gotoff':
      if (relative)
        fail(x32 ? 'invalid ..gotoff reference' : 'ELF64 requires ..gotoff references to be qword absolute');
      else if (x32) fail("ELFX32 doesn't support R_X86_64_GOTOFF64");
      else if (size !== 8) fail('ELF64 requires ..gotoff references to be qword');
      break;
    case 'plt':
      if (!relative) fail('ELF format cannot produce non-PC-relative PLT references');
      else viaGlobal(false);
      break;
    case 'gottpoff':
      if (!relative) fail('ELF format does not support this use of WRT');
      else viaGlobal(false);
      break;
    case 'tlsie':
      fail(
        relative
          ? `${formatName} format does not support this use of WRT`
          : 'ELF format does not support this use of WRT',
      );
      break;
  }
  emitWrtRelocation(ctx, place, value.base, {
    wrt,
    stored,
    targetSymbol,
    fromEnd: relative,
    signed: place.signed === true,
  });
}
