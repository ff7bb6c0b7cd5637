/** The examples menu: the post's program first (the page opens on it), then one of each kind. */
import post from '../../fixtures/hello.asm?raw';
import avx from '../examples/avx.asm?raw';
import boot from '../examples/boot.asm?raw';
import hello32 from '../examples/hello32.asm?raw';
import hello64 from '../examples/hello64.asm?raw';
import macros from '../examples/macros.asm?raw';
import type { Format } from './protocol.js';

export interface Example {
  title: string;
  fileName: string;
  format: Format;
  source: string;
}

export const EXAMPLES: readonly Example[] = [
  { title: "The post's Hello World (32-bit)", fileName: 'hello.asm', format: 'elf32', source: post },
  { title: 'Hello World, 32-bit (int 0x80)', fileName: 'hello32.asm', format: 'elf32', source: hello32 },
  { title: 'Hello World, 64-bit (syscall)', fileName: 'hello64.asm', format: 'elf64', source: hello64 },
  { title: 'Macros: %macro, %rep, %assign', fileName: 'macros.asm', format: 'elf32', source: macros },
  { title: 'AVX (VEX encoding)', fileName: 'avx.asm', format: 'elf64', source: avx },
  { title: 'Boot sector (flat binary)', fileName: 'boot.asm', format: 'bin', source: boot },
];
