/**
 * The emulated process's address space: sparse 4 KiB pages created only
 * where the loader, the stack, brk or mmap put them, with a cap on how many
 * may exist. Touching an address no page covers (or writing a read-only page)
 * raises a MemoryFault, which the machine reports as Linux's SIGSEGV.
 *
 * Addresses are JavaScript numbers (exact below 2^53, which covers every
 * user-space address of both modes); values are numbers of up to 32 bits, so
 * the hot path never allocates. A small direct-mapped cache in front of the
 * page map saves the Map lookup for the pages a loop keeps touching.
 */
export const PAGE_SIZE = 4096;
const TLB_SIZE = 256;

/** A wild access: no page there, or a write to a page that is not writable. */
export class MemoryFault extends Error {
  constructor(
    readonly address: number,
    readonly write: boolean,
  ) {
    super(`${write ? 'write to' : 'read from'} unmapped address 0x${address.toString(16)}`);
  }
}

/** More memory was asked for than the cap allows. */
export class MemoryCapExceeded extends Error {}

interface Page {
  bytes: Uint8Array;
  writable: boolean;
}

/** Page number and offset; the shift and mask are exact (and fast) below 2^32, division covers 64-bit addresses. */
const pageOf = (address: number): number => (address < 0x100000000 ? address >>> 12 : Math.floor(address / PAGE_SIZE));
const offsetOf = (address: number): number => (address < 0x100000000 ? address & 0xfff : address % PAGE_SIZE);

export class Memory {
  private readonly pages = new Map<number, Page>();
  /** Direct-mapped caches of page number → bytes, one for reads and one for writes (writable pages only). */
  private readonly readTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly readBytesOf: Array<Uint8Array | null> = new Array<Uint8Array | null>(TLB_SIZE).fill(null);
  private readonly writeTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly writeBytesOf: Array<Uint8Array | null> = new Array<Uint8Array | null>(TLB_SIZE).fill(null);
  /** Pages instructions were decoded from; writes to them are reported to `onCodeWrite`. */
  private readonly codePages = new Set<number>();
  /** Called with the page number when a code page is written (the decode cache drops what it held there). */
  onCodeWrite: ((page: number) => void) | null = null;

  /** `capBytes`: the most memory the process may have mapped at once. */
  constructor(readonly capBytes: number) {}

  get mappedBytes(): number {
    return this.pages.size * PAGE_SIZE;
  }

  private flushCaches(): void {
    this.readTag.fill(-1);
    this.writeTag.fill(-1);
  }

  /** Maps (zero-filled) every page touching [start, start+length); pages already there keep their bytes. */
  map(start: number, length: number, writable: boolean): void {
    if (length <= 0) return;
    const first = pageOf(start);
    const last = pageOf(start + length - 1);
    let fresh = 0;
    for (let p = first; p <= last; p++) if (!this.pages.has(p)) fresh++;
    if ((this.pages.size + fresh) * PAGE_SIZE > this.capBytes)
      throw new MemoryCapExceeded(`memory cap of ${this.capBytes} bytes exceeded`);
    for (let p = first; p <= last; p++) {
      const page = this.pages.get(p);
      if (page) page.writable ||= writable;
      else this.pages.set(p, { bytes: new Uint8Array(PAGE_SIZE), writable });
    }
    this.flushCaches();
  }

  /** Removes the pages wholly inside [start, start+length). */
  unmap(start: number, length: number): void {
    const first = Math.ceil(start / PAGE_SIZE);
    const end = Math.floor((start + length) / PAGE_SIZE);
    for (let p = first; p < end; p++) this.pages.delete(p);
    this.flushCaches();
  }

  /** Marks the pages touching a range read-only (after the loader has filled them). */
  protect(start: number, length: number): void {
    for (let p = pageOf(start); p <= pageOf(start + length - 1); p++) {
      const page = this.pages.get(p);
      if (page) page.writable = false;
    }
    this.flushCaches();
  }

  /** Notes that instructions were decoded from the page holding `address` (self-modifying code is then seen). */
  markCode(address: number): void {
    const n = pageOf(address);
    if (this.codePages.has(n)) return;
    this.codePages.add(n);
    this.writeTag[n & (TLB_SIZE - 1)] = -1;
  }

  isMapped(address: number): boolean {
    return this.pages.has(pageOf(address));
  }

  /** Whether [start, start+length) is free of pages (for mmap's placement). */
  isFree(start: number, length: number): boolean {
    for (let p = pageOf(start); p <= pageOf(start + length - 1); p++) if (this.pages.has(p)) return false;
    return true;
  }

  private readPage(address: number): Uint8Array {
    const n = pageOf(address);
    const slot = n & (TLB_SIZE - 1);
    if (this.readTag[slot] === n) return this.readBytesOf[slot] as Uint8Array;
    const page = this.pages.get(n);
    if (!page) throw new MemoryFault(address, false);
    this.readTag[slot] = n;
    this.readBytesOf[slot] = page.bytes;
    return page.bytes;
  }

  private writePage(address: number): Uint8Array {
    const n = pageOf(address);
    const slot = n & (TLB_SIZE - 1);
    if (this.writeTag[slot] === n) return this.writeBytesOf[slot] as Uint8Array;
    const page = this.pages.get(n);
    if (!page || !page.writable) throw new MemoryFault(address, true);
    if (this.codePages.delete(n)) this.onCodeWrite?.(n);
    this.writeTag[slot] = n;
    this.writeBytesOf[slot] = page.bytes;
    return page.bytes;
  }

  read8(address: number): number {
    return this.readPage(address)[offsetOf(address)] as number;
  }

  read16(address: number): number {
    const o = offsetOf(address);
    if (o > PAGE_SIZE - 2) return this.read8(address) | (this.read8(address + 1) << 8);
    const b = this.readPage(address);
    return (b[o] as number) | ((b[o + 1] as number) << 8);
  }

  /** Unsigned 32-bit read. */
  read32(address: number): number {
    const o = offsetOf(address);
    if (o > PAGE_SIZE - 4) return (this.read16(address) | (this.read16(address + 2) << 16)) >>> 0;
    const b = this.readPage(address);
    return (
      ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>>
      0
    );
  }

  /** Unsigned read of 1, 2 or 4 bytes (8: the low half). */
  read(address: number, size: number): number {
    return size === 4 || size === 8 ? this.read32(address) : size === 1 ? this.read8(address) : this.read16(address);
  }

  /** An 8-byte value as a bigint (for tools and the rare wide operation). */
  read64(address: number): bigint {
    return (BigInt(this.read32(address + 4)) << 32n) | BigInt(this.read32(address));
  }

  write8(address: number, value: number): void {
    this.writePage(address)[offsetOf(address)] = value;
  }

  write16(address: number, value: number): void {
    const o = offsetOf(address);
    if (o > PAGE_SIZE - 2) {
      this.writePage(address + 1);
      this.write8(address, value);
      this.write8(address + 1, value >>> 8);
      return;
    }
    const b = this.writePage(address);
    b[o] = value;
    b[o + 1] = value >>> 8;
  }

  write32(address: number, value: number): void {
    const o = offsetOf(address);
    if (o > PAGE_SIZE - 4) {
      this.writePage(address + 3); // fault before writing anything
      this.write16(address, value);
      this.write16(address + 2, value >>> 16);
      return;
    }
    const b = this.writePage(address);
    b[o] = value;
    b[o + 1] = value >>> 8;
    b[o + 2] = value >>> 16;
    b[o + 3] = value >>> 24;
  }

  /** Write of the low `size` (1, 2 or 4) bytes of value. */
  write(address: number, size: number, value: number): void {
    if (size === 4) this.write32(address, value);
    else if (size === 1) this.write8(address, value);
    else this.write16(address, value);
  }

  /** An 8-byte write from two halves; checks both ends first so a fault writes nothing. */
  write64(address: number, lo: number, hi: number): void {
    this.writePage(address);
    this.writePage(address + 7);
    this.write32(address, lo);
    this.write32(address + 4, hi);
  }

  readBytes(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.read8(address + i);
    return out;
  }

  /** Up to `max` bytes from address, stopping early at an unmapped page (for instruction fetch). */
  readAvailable(address: number, max: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < max && this.isMapped(address + i); i++) out.push(this.read8(address + i));
    return Uint8Array.from(out);
  }

  writeBytes(address: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.write8(address + i, data[i] as number);
  }

  /** Loader's write: ignores page protection; copies a page at a time. */
  load(address: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const a = address + done;
      const page = this.pages.get(pageOf(a));
      if (!page) throw new MemoryFault(a, true);
      const offset = offsetOf(a);
      const n = Math.min(PAGE_SIZE - offset, data.length - done);
      page.bytes.set(data.subarray(done, done + n), offset);
      done += n;
    }
  }
}
