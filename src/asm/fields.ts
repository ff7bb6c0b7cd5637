/**
 * Fields: a value written into the current section (data items and the
 * immediates/displacements of instructions), with the relocation it needs
 * when it refers to a segment base.
 */
import type { Value } from '../core/value.js';
import { ELF_WRT_SEGMENTS, type AssemblyContext, type ElfWrt, type FieldPlace } from './context.js';
import { writeX86_64WrtField } from './fields-x86-64.js';
import { emitWrtRelocation } from './wrt-field.js';
import type { SymbolEntry } from './symbols.js';
import { isX86_64Format } from './writer.js';

/** A relocation against no symbol: elf32's PLT one, or one only the listing shows (brackets). */
function listOnlyRelocation(
  ctx: AssemblyContext,
  place: FieldPlace,
  kind: { wrt: 'plt' } | { wrt: null; listedOnly: true },
): void {
  ctx.stream.current.relocations.push({
    offset: place.at,
    size: elf32RelocationSize(ctx, place),
    relative: place.relative,
    target: { kind: 'absolute' },
    targetSegment: -1,
    ...kind,
  });
}

/**
 * Writes a value into a field of the current section and records a
 * relocation when it refers to a segment base. `isData`: a data item's field
 * (plain numbers never come here: data.ts writes them with nasm's range check).
 */
export function writeField(ctx: AssemblyContext, place: FieldPlace, value: Value, isData: boolean): void {
  const special = value.wrt !== null && value.wrt < 0 ? ELF_WRT_SEGMENTS.find((w) => w.id === value.wrt) : undefined;
  // `5 wrt ..plt`: nasm writes the number (a relative field as for `jmp 0x1000`, less the
  // distance to the end) and lists the field in brackets, but emits no relocation, except elf32's
  // PC-relative PLT one against symbol 0 (measured; its other relative kinds are errors).
  const elf32Relative = place.relative && ctx.options.format === 'elf32';
  if (
    special &&
    value.base === null &&
    !value.unknown &&
    !value.segmentOf &&
    (!elf32Relative || special.wrt === 'plt')
  ) {
    listOnlyRelocation(ctx, place, elf32Relative ? { wrt: 'plt' } : { wrt: null, listedOnly: true });
    ctx.stream.storeField(place.at, place.size, value.offset - (place.relative ? BigInt(place.distanceToEnd) : 0n));
    return;
  }
  if (special) {
    if (isX86_64Format(ctx.options.format)) writeX86_64WrtField(ctx, place, value, special.wrt);
    else writeElfWrtField(ctx, place, value, special.wrt);
    return;
  }
  const { at, size, relative, distanceToEnd } = place;
  // `wrt 5`: bin has no segments; ELF cannot relocate by one, and drops it from a plain number,
  // written unchecked (`db -257 wrt 5` does not warn) with its field listed in brackets (measured).
  if (value.wrt !== null) {
    const bin = ctx.options.format === 'bin';
    // Errors nasm goes on from.
    if (ctx.finalPass && bin) ctx.errorNow('WRT not supported by binary output format');
    if (value.base === null && !value.unknown && !relative) {
      if (ctx.finalPass && !bin) listOnlyRelocation(ctx, place, { wrt: null, listedOnly: true });
      ctx.stream.storeField(at, size, value.offset);
      return;
    }
    if (ctx.finalPass && !bin) ctx.errorNow('ELF format does not support this use of WRT');
  }
  if (value.complex) ctx.reportError('expression is not simple or relocatable');
  if (value.scaled) {
    // `label*2` (see scaleRelocatable): instructions get the bare number, data cannot take it.
    if (isData) ctx.reportError('expression is not simple or relocatable');
    // A branch to one (`jz $+$`, `jmp x*2`) goes to that number, as `jmp 0x1000` does (measured).
    if (relative) addAbsoluteRelativeRelocation(ctx, place);
    ctx.stream.storeField(at, size, relative ? value.offset - BigInt(distanceToEnd) : value.offset);
    return;
  }
  let stored = value.offset;
  const minusBase = value.minusBase ?? null;
  if (minusBase !== null) {
    // `target - $`-style: PC-relative to the field, corrected by where the subtracted label lies.
    if (relative && value.base === null) {
      // `jmp -label`: reported, yet nasm still writes the number and lists the field as relocated.
      if (ctx.finalPass) ctx.diagnostics.error('invalid use of self-relative expression', ctx.currentLocation);
      ctx.stream.current.relocations.push({ ...absoluteRelativeRelocation(place), listedOnly: true });
      ctx.stream.storeField(at, size, value.offset - BigInt(distanceToEnd));
      return;
    }
    if (minusBase !== ctx.stream.current.segment || relative)
      ctx.reportError('expression is not simple or relocatable');
    stored += BigInt(at);
    // With no target (`-label`, `5 - label`) nasm relocates against *ABS*: bin subtracts the
    // field's address, elf32 writes R_386_PC32 against symbol 0, elf64 writes no relocation.
    if (value.base === null) addAbsoluteRelativeRelocation(ctx, { ...place, relative: true });
    else addRelocation(ctx, { ...place, relative: true }, value, false, stored);
  } else if (value.segmentOf) {
    writeSegmentBaseField(ctx, at, size, value);
    return;
  } else if (value.base !== null) {
    if (relative) stored -= BigInt(distanceToEnd);
    addRelocation(ctx, place, value, relative, stored);
  } else if (relative) {
    // PC-relative to a plain number (`jmp 0x1000`): nasm stores target - (distance to the
    // instruction end) and relocates it against *ABS*; bin then subtracts the field's address.
    stored -= BigInt(distanceToEnd);
    addAbsoluteRelativeRelocation(ctx, place);
  }
  ctx.stream.storeField(at, size, stored);
}

/** A PC-relative field aimed at a plain address: relocated against *ABS* (symbol 0). */
function addAbsoluteRelativeRelocation(ctx: AssemblyContext, place: FieldPlace): void {
  ctx.stream.current.relocations.push(absoluteRelativeRelocation({ ...place, size: elf32RelocationSize(ctx, place) }));
}

function absoluteRelativeRelocation(place: FieldPlace): PendingRelocation {
  return {
    offset: place.at,
    size: place.size,
    relative: true,
    target: { kind: 'absolute' },
    targetSegment: -1,
    wrt: null,
  };
}

type PendingRelocation = AssemblyContext['stream']['current']['relocations'][number];

/** `seg x`: neither output format can express it; nasm reports it but still writes the field (listed as [ssss]). */
function writeSegmentBaseField(ctx: AssemblyContext, at: number, size: 1 | 2 | 4 | 8, value: Value): void {
  // A segment is 16 bits: a wider field is zero-extended, which nasm warns about before refusing
  // the reference (measured with bin and every ELF: `dd seg e`, `dq seg e`, `mov eax, seg e`).
  if (size > 2) ctx.warn(`${size * 8}-bit segment relocation zero-extended from 16 bits`, 'zext-reloc');
  if (ctx.finalPass) {
    ctx.diagnostics.error(
      `${ctx.options.format === 'bin' ? 'binary output' : 'ELF'} format does not support segment base references`,
      ctx.currentLocation,
    );
  }
  ctx.stream.current.relocations.push({
    offset: at,
    size,
    relative: false,
    target: { kind: 'section', sectionIndex: -1 },
    targetSegment: value.base ?? ctx.stream.current.segment,
    wrt: null,
    segmentBase: true,
  });
  ctx.stream.storeField(at, size, 0n);
}

/**
 * A field with `wrt ..gotpc/..gotoff/..got/..plt/..sym/..tlsie` (elf32 PIC and TLS code).
 * What goes into the field, measured against nasm 2.16.01:
 *  - ..gotpc: the value plus the field's own offset (GOT + A - P at run time);
 *  - ..gotoff: the offset into the section, relocated against the section;
 *  - ..got, ..tlsie: against the global symbol at exactly that address, addend 0;
 *  - ..plt: PC-relative only, like a call;
 *  - ..sym: against the nearest global symbol at or below the address.
 * and what nasm refuses (the statement stays, its field listed as a plain relocation): any
 * PC-relative byte; other PC-relative fields but `..plt`; bytes and words of the GOT and TLS kinds;
 * `..plt` that is not PC-relative; `..gottpoff` (x86-64 only) everywhere. A `dq` is relocated in
 * its low dword, with elf32's zero-extension warning first.
 */
function writeElfWrtField(ctx: AssemblyContext, place: FieldPlace, value: Value, kind: ElfWrt): void {
  const { at, size, relative } = place;
  let wrt: ElfWrt | null = kind;
  if (value.base === null || (value.minusBase ?? null) !== null)
    ctx.reportError('expression is not simple or relocatable');
  let stored = value.offset;
  let targetSymbol: SymbolEntry | undefined;
  const segment = ctx.stream.segments[value.base];
  if (!segment) ctx.reportError('invalid relocation target');
  const relocationSize = elf32RelocationSize(ctx, place);
  // These errors do not abandon the statement: nasm still emits the field (and lists it) as a plain relocation.
  const fail = (message: string): void => {
    if (wrt !== null) ctx.diagnostics.error(message, ctx.currentLocation);
    wrt = null;
  };
  if (relative && value.base === ctx.stream.current.segment) {
    // nasm 2.16.01 panics here (exit 3, no object); refusing keeps the rule: never wrong bytes with success.
    ctx.reportError('intra-segment OUT_REL4ADR');
  }
  const gotOrTls = kind === 'got' || kind === 'gotoff' || kind === 'gotpc' || kind === 'tlsie';
  if (relative && size === 1) fail('Unsupported 8-bit ELF relocation');
  else if (relative && kind !== 'plt')
    fail(
      kind === 'tlsie' || !gotOrTls
        ? 'ELF format does not support this use of WRT'
        : 'ELF format cannot produce PC-relative GOT references',
    );
  else if (!relative && kind === 'plt') fail('ELF format cannot produce non-PC-relative PLT references');
  else if (kind === 'gottpoff') fail('ELF format does not support this use of WRT');
  else if (gotOrTls && size < 4) fail(`Unsupported ${size * 8}-bit ELF relocation`);
  if ((wrt === 'got' || wrt === 'tlsie') && segment.kind !== 'section' && value.offset !== 0n)
    fail('invalid access to an external symbol');
  if ((wrt === 'got' || wrt === 'tlsie' || wrt === 'sym') && segment.kind === 'section') {
    targetSymbol = ctx.symbols.globalSymbolFor(value.base, value.offset, wrt !== 'sym');
    if (targetSymbol) stored -= targetSymbol.value!.offset;
    else fail('unable to find a suitable global symbol for this reference');
  }
  if (wrt === 'gotpc') stored += BigInt(at);
  emitWrtRelocation(ctx, place, value.base, { wrt, stored, targetSymbol, relocationSize });
}

function addRelocation(ctx: AssemblyContext, place: FieldPlace, value: Value, fromEnd: boolean, stored: bigint): void {
  const { at, relative } = place;
  const seg = ctx.stream.segments[value.base!];
  if (!seg) ctx.reportError('invalid relocation target');
  if (seg.kind === 'extern' && ctx.options.format === 'bin' && ctx.finalPass) {
    // nasm's output stage refuses it: the statement stands, listed with its relocated field and
    // taking its room (measured: `call ext` lists E8(00000000), the next line 5 bytes on).
    ctx.diagnostics.error('binary output format does not support external references', ctx.currentLocation);
  }
  if (seg.kind === 'extern') seg.symbol.referenced = true;
  ctx.stream.current.relocations.push({
    offset: at,
    size: elf32RelocationSize(ctx, place),
    relative,
    target: seg.kind === 'section' ? { kind: 'section', sectionIndex: -1 } : { kind: 'symbol', symbolIndex: -1 },
    targetSegment: value.base!,
    wrt: null,
    ...(place.signed === true ? { signed: true } : {}),
    ...(fromEnd ? { fromEnd: true as const } : {}),
    ...(BigInt.asIntN(place.size * 8, stored) !== stored ? { wideAddend: stored } : {}),
  });
}

/**
 * The size of a field's relocation. The 32-bit ELF formats have no 64-bit PC-relative one (an
 * error, worded per format); elf32 has no 64-bit absolute one either: nasm relocates the low
 * dword of a `dq label` (the high dword stays 0) and warns (measured with nasm 2.16.01).
 */
function elf32RelocationSize(ctx: AssemblyContext, place: FieldPlace): FieldPlace['size'] {
  if (place.size === 8 && place.relative && ctx.options.format === 'elfx32') {
    // Reported, but the field is still listed (nasm's output stage complains; the statement stands).
    ctx.diagnostics.error('32-bit ELF format does not support 64-bit relocations', ctx.currentLocation);
  }
  if (place.size !== 8 || ctx.options.format !== 'elf32') return place.size;
  if (place.relative) {
    ctx.diagnostics.error('64-bit signed relocation unsupported by output format elf32', ctx.currentLocation);
    return 4;
  }
  ctx.warn('64-bit unsigned relocation zero-extended from 32 bits', 'zext-reloc');
  return 4;
}
