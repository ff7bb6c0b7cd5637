/**
 * The emulated process's address space: sparse 4 KiB pages created only
 * where the loader, the stack or brk put them, with a cap on how many may
 * exist. Touching an address no page covers (or writing a read-only page)
 * raises a MemoryFault, which the machine reports as Linux's SIGSEGV.
 */
export const PAGE_SIZE = 4096;

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

export class Memory {
  private readonly pages = new Map<number, Page>();

  /** `capBytes`: the most memory the process may have mapped at once. */
  constructor(readonly capBytes: number) {}

  get mappedBytes(): number {
    return this.pages.size * PAGE_SIZE;
  }

  /** Maps (zero-filled) every page touching [start, start+length); pages already there keep their bytes. */
  map(start: number, length: number, writable: boolean): void {
    if (length <= 0) return;
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor((start + length - 1) / PAGE_SIZE);
    let fresh = 0;
    for (let p = first; p <= last; p++) if (!this.pages.has(p)) fresh++;
    if ((this.pages.size + fresh) * PAGE_SIZE > this.capBytes)
      throw new MemoryCapExceeded(`memory cap of ${this.capBytes} bytes exceeded`);
    for (let p = first; p <= last; p++) {
      const page = this.pages.get(p);
      if (page) page.writable ||= writable;
      else this.pages.set(p, { bytes: new Uint8Array(PAGE_SIZE), writable });
    }
  }

  /** Removes the pages wholly inside [start, start+length). */
  unmap(start: number, length: number): void {
    const first = Math.ceil(start / PAGE_SIZE);
    const end = Math.floor((start + length) / PAGE_SIZE);
    for (let p = first; p < end; p++) this.pages.delete(p);
  }

  /** Marks the pages touching a range read-only (after the loader has filled them). */
  protect(start: number, length: number): void {
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.floor((start + length - 1) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      const page = this.pages.get(p);
      if (page) page.writable = false;
    }
  }

  isMapped(address: number): boolean {
    return this.pages.has(Math.floor(address / PAGE_SIZE));
  }

  private page(address: number, write: boolean): Uint8Array {
    const page = this.pages.get(Math.floor(address / PAGE_SIZE));
    if (!page || (write && !page.writable)) throw new MemoryFault(address, write);
    return page.bytes;
  }

  read8(address: number): number {
    return this.page(address, false)[address % PAGE_SIZE] as number;
  }

  write8(address: number, value: number): void {
    this.page(address, true)[address % PAGE_SIZE] = value & 0xff;
  }

  /** Little-endian unsigned read of 1, 2, 4 or 8 bytes. */
  read(address: number, size: number): bigint {
    const offset = address % PAGE_SIZE;
    if (offset + size <= PAGE_SIZE) {
      const bytes = this.page(address, false);
      if (size === 1) return BigInt(bytes[offset] as number);
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i] as number);
      return v;
    }
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.read8(address + i));
    return v;
  }

  /** Little-endian write of the low `size` bytes of value; checks every page first so a fault writes nothing. */
  write(address: number, size: number, value: bigint): void {
    this.page(address, true);
    this.page(address + size - 1, true);
    let v = value;
    for (let i = 0; i < size; i++) {
      this.write8(address + i, Number(v & 0xffn));
      v >>= 8n;
    }
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

  /** Loader's write: ignores page protection. */
  load(address: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      const a = address + i;
      const page = this.pages.get(Math.floor(a / PAGE_SIZE));
      if (!page) throw new MemoryFault(a, true);
      page.bytes[a % PAGE_SIZE] = data[i] as number;
    }
  }
}
