/**
 * The process's file descriptors: 0-2 are the machine's stdin, stdout and
 * stderr sinks; open/openat give read-only descriptors on files the host
 * hands over through `MachineOptions.readFile` (the library does no I/O of
 * its own, so it runs in a browser). Also the `struct stat` layouts both ABIs
 * use, filled for fstat and its newer forms.
 */
import type { Mode } from './decode.js';
import type { Memory } from './memory.js';

export const ENOENT = 2;
export const EBADF = 9;
export const EACCES = 13;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ESPIPE = 29;

export interface OpenFile {
  path: string;
  data: Uint8Array;
  offset: number;
}

export interface FileHost {
  /** Bytes of a file the program opens, or null when there is none (ENOENT). */
  readFile: ((path: string) => Uint8Array | null) | null;
  /** Whether a standard descriptor (0-2) is a terminal. */
  isatty: (fd: number) => boolean;
}

const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
const S_IFREG = 0o100000;

export class FileTable {
  private readonly open = new Map<number, OpenFile>();

  constructor(readonly host: FileHost) {}

  /** open(path, flags): read-only opens of host files. */
  openPath(path: string, flags: number): number {
    if ((flags & 3) !== 0) return -EACCES; // O_WRONLY / O_RDWR: the emulated file system is read-only
    const data = this.host.readFile?.(path) ?? null;
    if (!data) return -ENOENT;
    let fd = 3;
    while (this.open.has(fd)) fd++;
    this.open.set(fd, { path, data, offset: 0 });
    return fd;
  }

  get(fd: number): OpenFile | undefined {
    return this.open.get(fd);
  }

  close(fd: number): number {
    if (fd >= 0 && fd <= 2) return 0;
    return this.open.delete(fd) ? 0 : -EBADF;
  }

  read(fd: number, max: number): Uint8Array | number {
    const f = this.open.get(fd);
    if (!f) return -EBADF;
    const chunk = f.data.subarray(f.offset, f.offset + max);
    f.offset += chunk.length;
    return chunk;
  }

  lseek(fd: number, offset: number, whence: number): number {
    if (fd >= 0 && fd <= 2) return -ESPIPE;
    const f = this.open.get(fd);
    if (!f) return -EBADF;
    const base = whence === 0 ? 0 : whence === 1 ? f.offset : whence === 2 ? f.data.length : NaN;
    const at = base + offset;
    if (!(at >= 0)) return -EINVAL;
    f.offset = at;
    return at;
  }

  /** Mode and size of a descriptor for stat, or an error number. */
  describe(fd: number): { mode: number; size: number; rdev: number } | number {
    if (fd >= 0 && fd <= 2)
      return this.host.isatty(fd)
        ? { mode: S_IFCHR | 0o620, size: 0, rdev: 0x8800 }
        : { mode: S_IFIFO | 0o600, size: 0, rdev: 0 };
    const f = this.open.get(fd);
    if (!f) return -EBADF;
    return { mode: S_IFREG | 0o644, size: f.data.length, rdev: 0 };
  }
}

/** Fills `struct stat` (x86-64) or `struct stat64` (i386) at `address`. */
export function writeStat(
  memory: Memory,
  mode: Mode,
  address: number,
  info: { mode: number; size: number; rdev: number },
  inode: number,
): void {
  const size = mode === 64 ? 144 : 96;
  memory.writeBytes(address, new Uint8Array(size));
  const put = (offset: number, bytes: number, value: number): void => {
    if (bytes === 8) memory.write64(address + offset, value >>> 0, Math.floor(value / 4294967296));
    else memory.write32(address + offset, value);
  };
  if (mode === 64) {
    put(0, 8, 1); // st_dev
    put(8, 8, inode);
    put(16, 8, 1); // st_nlink
    put(24, 4, info.mode);
    put(40, 8, info.rdev);
    put(48, 8, info.size);
    put(56, 8, 4096); // st_blksize
    put(64, 8, Math.ceil(info.size / 512));
  } else {
    put(0, 8, 1);
    put(12, 4, inode);
    put(16, 4, info.mode);
    put(20, 4, 1);
    put(32, 8, info.rdev);
    put(44, 8, info.size);
    put(52, 4, 4096);
    put(56, 8, Math.ceil(info.size / 512));
    put(88, 8, inode);
  }
}
