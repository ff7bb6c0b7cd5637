/**
 * The last step of every `wrt ..got/..plt/..sym/…` field, shared by the i386 and x86-64 rules:
 * make the stored value relative to the end of the instruction when the field is PC-relative,
 * mark an extern as used, record the relocation against the target (or the global symbol chosen
 * for it) and store the field's bytes.
 */
import type { AssemblyContext, ElfWrt, FieldPlace } from './context.js';
import type { SymbolEntry } from './symbols.js';

export interface WrtRelocation {
  wrt: ElfWrt | null;
  /** The value the field holds before it is made relative. */
  stored: bigint;
  targetSymbol: SymbolEntry | undefined;
  /** x86-64: the addend counts from the end of the instruction (RELA), and the field is sign-extended. */
  fromEnd?: boolean;
  signed?: boolean;
  /** The relocation's size when it differs from the field's: elf32 relocates a `dq`'s low dword. */
  relocationSize?: FieldPlace['size'];
}

export function emitWrtRelocation(ctx: AssemblyContext, place: FieldPlace, base: number, r: WrtRelocation): void {
  const { at, size, relative, distanceToEnd } = place;
  const stored = relative ? r.stored - BigInt(distanceToEnd) : r.stored;
  const segment = ctx.stream.segments[base];
  if (segment?.kind === 'extern') segment.symbol.referenced = true;
  ctx.stream.current.relocations.push({
    offset: at,
    size: r.relocationSize ?? size,
    relative,
    target: { kind: 'symbol', symbolIndex: -1 },
    targetSegment: base,
    wrt: r.wrt,
    ...(r.targetSymbol ? { targetSymbol: r.targetSymbol } : {}),
    ...(r.fromEnd === true ? { fromEnd: true as const } : {}),
    ...(r.signed === true ? { signed: true } : {}),
  });
  ctx.stream.storeField(at, size, stored);
}
