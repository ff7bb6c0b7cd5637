/**
 * The instruction-mix generator behind tsrun's differential tests: from a
 * seed, a NASM program that sets every general register, runs a random
 * sequence of integer instructions (ALU forms on 8/16/32/64-bit registers
 * and memory, inc/dec/neg/not, shifts and rotates, shld/shrd, mul/imul/
 * div/idiv, bt*, bsf/bsr, setcc/cmovcc, xchg/xadd/cmpxchg, movsx/movzx,
 * lea, bswap, cbw…cqo, string moves), folds the status flags after each
 * one into a checksum (masked to the flags the SDM defines for that
 * instruction, and the masked flags are what the next one starts from), and prints the registers, the checksum and a memory digest
 * in hex with the write system call. Used by scripts/gen-emu-fixtures.mjs
 * (golden outputs from the real CPU) and by the live test.
 */
import { mulberry32 as random } from './random.mjs';

const R32 = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'];
const R64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const NAMES = {
  rax: ['eax', 'ax', 'al'],
  rbx: ['ebx', 'bx', 'bl'],
  rcx: ['ecx', 'cx', 'cl'],
  rdx: ['edx', 'dx', 'dl'],
  rsi: ['esi', 'si', 'sil'],
  rdi: ['edi', 'di', 'dil'],
  rbp: ['ebp', 'bp', 'bpl'],
};
for (let i = 8; i < 16; i++) NAMES[`r${i}`] = [`r${i}d`, `r${i}w`, `r${i}b`];
const LEGACY8 = { eax: 'al', ebx: 'bl', ecx: 'cl', edx: 'dl' };
const HIGH8 = { eax: 'ah', ebx: 'bh', ecx: 'ch', edx: 'dh' };
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

const ALL = 0x8d5;
const NO_AF = 0x8c5;

/** Builds one program: `{ source, ops }`. */
export function mixProgram(seed, bits, count = 200) {
  const rnd = random(seed * 7919 + bits);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const int = (n) => Math.floor(rnd() * n);
  const imm32 = () => pick([0, 1, 2, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, int(0x100000000)]);
  const regs = bits === 64 ? R64 : R32;
  /** A register of `size` bytes named by its full register. */
  const sized = (full, size) => {
    if (size === bits / 8) return full;
    if (bits === 64) {
      const [d, w, b] = NAMES[full];
      return size === 4 ? d : size === 2 ? w : b;
    }
    if (size === 2) return full.slice(1);
    return LEGACY8[full] ?? null;
  };
  const regOf = (size) => {
    for (;;) {
      const r = sized(pick(regs), size);
      if (r) return r;
    }
  };
  const sizeOf = () => pick(bits === 64 ? [1, 2, 4, 8, 8] : [1, 2, 4, 4]);
  const word = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };
  const mem = (size) => `${word[size]} [cell+${int(4) * 8}]`;
  const body = [];
  const emit = (text, mask) => body.push({ text, mask });
  const immFor = (size) => (size === 8 ? imm32() | 0 : size === 4 ? imm32() : imm32() & (size === 2 ? 0xffff : 0xff));

  const fresh = () => {
    const r = regOf(bits / 8);
    const v =
      bits === 64
        ? `0x${int(0x100000000).toString(16)}${int(0x100000000).toString(16).padStart(8, '0')}`
        : `0x${int(0x100000000).toString(16)}`;
    emit(`mov ${r}, ${v}`, ALL);
  };
  const makers = [
    fresh,
    fresh,
    () => {
      const op = pick(['add', 'sub', 'adc', 'sbb', 'and', 'or', 'xor', 'cmp', 'test']);
      const size = sizeOf();
      const mask = ['and', 'or', 'xor', 'test'].includes(op) ? NO_AF : ALL;
      const form = int(op === 'test' ? 2 : 5);
      const [dst, src] = [
        [regOf(size), regOf(size)],
        [regOf(size), `${immFor(size)}`],
        [regOf(size), mem(size)],
        [mem(size), regOf(size)],
        [mem(size), `${immFor(size)}`],
      ][form];
      emit(`${op} ${dst}, ${src}`, mask);
    },
    () => {
      const size = sizeOf();
      emit(`${pick(['inc', 'dec', 'neg', 'not'])} ${int(3) === 0 ? mem(size) : regOf(size)}`, ALL);
    },
    () => {
      const size = sizeOf();
      const op = pick(['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr']);
      const rotate = op.startsWith('r');
      const max = size === 1 ? 7 : size === 2 ? 15 : size === 8 ? 63 : 31;
      if (size === 4 && int(3) === 0) {
        emit(`${op} ${regOf(4)}, cl`, rotate ? 0 : 0x0c5);
        return;
      }
      const n = 1 + int(max);
      emit(`${op} ${regOf(size)}, ${n}`, rotate ? (n === 1 ? 0x801 : 0x001) : n === 1 ? NO_AF : 0x0c5);
    },
    () => {
      const size = bits === 64 ? pick([4, 8]) : 4;
      const n = 1 + int(size * 8 - 1);
      emit(`${pick(['shld', 'shrd'])} ${regOf(size)}, ${regOf(size)}, ${n}`, n === 1 ? NO_AF : 0x0c5);
    },
    () => {
      const size = sizeOf();
      emit(`${pick(['mul', 'imul'])} ${int(3) === 0 ? mem(size) : regOf(size)}`, 0x801);
    },
    () => {
      const size = pick(bits === 64 ? [2, 4, 8] : [2, 4]);
      const form = int(2);
      emit(
        form ? `imul ${regOf(size)}, ${regOf(size)}` : `imul ${regOf(size)}, ${regOf(size)}, ${immFor(size) | 0}`,
        0x801,
      );
    },
    () => {
      // Divide with a divisor forced positive and nonzero, the dividend's high half prepared: never a fault.
      const size = pick(bits === 64 ? [4, 8] : [4]);
      const signed = int(2) === 1;
      const [acc, high, d] =
        size === 8 ? ['rax', 'rdx', pick(['rbx', 'rsi', 'r9', 'r12'])] : ['eax', 'edx', pick(['ebx', 'esi', 'edi'])];
      emit(`and ${d}, 0x7fff`, ALL);
      emit(`or ${d}, 1`, NO_AF);
      emit(signed ? (size === 8 ? 'cqo' : 'cdq') : `xor ${high}, ${high}`, 0);
      emit(`${signed ? 'idiv' : 'div'} ${d}`, 0);
      void acc;
    },
    () => {
      const size = pick(bits === 64 ? [2, 4, 8] : [2, 4]);
      const op = pick(['bt', 'bts', 'btr', 'btc']);
      emit(int(2) ? `${op} ${regOf(size)}, ${int(size * 8)}` : `${op} ${regOf(size)}, ${regOf(size)}`, 0x001);
    },
    () => {
      const size = pick(bits === 64 ? [2, 4, 8] : [2, 4]);
      const src = regOf(size);
      emit(`or ${src}, 0x100`, NO_AF);
      emit(`${pick(['bsf', 'bsr'])} ${regOf(size)}, ${src}`, 0x040);
    },
    () => emit(`set${pick(CC)} ${regOf(1)}`, ALL),
    () => {
      const size = pick(bits === 64 ? [2, 4, 8] : [2, 4]);
      emit(`cmov${pick(CC)} ${regOf(size)}, ${int(2) ? regOf(size) : mem(size)}`, ALL);
    },
    () => {
      const size = sizeOf();
      const op = pick(['xchg', 'xadd', 'cmpxchg']);
      emit(`${op} ${int(2) ? mem(size) : regOf(size)}, ${regOf(size)}`, op === 'xchg' ? ALL : ALL);
    },
    () => {
      const size = pick(bits === 64 ? [2, 4, 8] : [2, 4]);
      const from = size === 2 ? 1 : pick([1, 2]);
      emit(`${pick(['movsx', 'movzx'])} ${regOf(size)}, ${int(2) ? mem(from) : regOf(from)}`, ALL);
    },
    () => {
      const size = pick(bits === 64 ? [4, 8] : [4]);
      const full = bits === 64 ? regs : R32;
      const base = sized(pick(full), size);
      const index = sized(pick(full), size);
      emit(`lea ${regOf(size)}, [${base}+${index}*${pick([1, 2, 4, 8])}+${int(1000) - 500}]`.replace('+-', '-'), ALL);
    },
    () => emit(`bswap ${regOf(bits === 64 ? pick([4, 8]) : 4)}`, ALL),
    () => emit(pick(bits === 64 ? ['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo'] : ['cbw', 'cwde', 'cwd', 'cdq']), ALL),
    () => emit(`mov ${mem(4)}, ${regOf(4)}`, ALL),
    () => {
      if (bits === 64) emit(`movsxd ${regOf(8)}, ${regOf(4)}`, ALL);
      else emit(`mov ${pick(Object.values(HIGH8))}, ${pick(Object.values(LEGACY8))}`, ALL);
    },
    () => {
      const size = pick([1, 2, 4]);
      emit(`${pick(['add', 'sub', 'xor'])} ${regOf(size)}, ${mem(size)}`, ALL);
    },
  ];

  // String instructions over the 32-byte cell, forward or backward, with and without a repeat prefix.
  makers.push(() => {
    const [si, di, cx] = bits === 64 ? ['rsi', 'rdi', 'rcx'] : ['esi', 'edi', 'ecx'];
    const unit = pick(['b', 'w', 'd']);
    const width = { b: 1, w: 2, d: 4 }[unit];
    const count = 1 + int(8 / width);
    const back = int(2) === 1;
    // Backward: start at the last element of an 8-byte run, so either direction stays inside the cell.
    const start = (offset) => offset + (back ? 8 - width : 0);
    emit(`lea ${si}, [cell+${start(0)}]`, ALL);
    emit(`lea ${di}, [cell+${start(16)}]`, ALL);
    emit(`mov ${cx}, ${count}`, ALL);
    const op = pick(['movs', 'stos', 'lods', 'cmps', 'scas']);
    const compares = op === 'cmps' || op === 'scas';
    const prefix = op === 'lods' ? pick(['', 'rep ']) : compares ? pick(['', 'repe ', 'repne ']) : pick(['', 'rep ']);
    // One step with the direction flag set just before (the fold after each step clears DF).
    emit(`${back ? 'std' : 'cld'}\n  ${prefix}${op}${unit}`, ALL);
    // Pointers as offsets into the cell: the output must not depend on where the linker put it.
    emit(`sub ${si}, cell`, ALL);
    emit(`sub ${di}, cell`, ALL);
  });

  const init = regs.map(
    (r) =>
      `  mov ${r}, ${bits === 64 ? `0x${int(0x100000000).toString(16)}${int(0x100000000).toString(16).padStart(8, '0')}` : `0x${int(0x100000000).toString(16)}`}`,
  );
  for (let i = 0; i < count; i++) pick(makers)();
  return { source: render(bits, init, body), ops: body.length, lines: body.map((b) => b.text) };
}

function render(bits, init, body) {
  const w = bits === 64;
  const sp = w ? 'rsp' : 'esp';
  const acc = w ? 'rax' : 'eax';
  // FOLD mask: checksum = rol(checksum, 5) ^ (flags & mask); the next instruction starts from the defined
  // flags alone (undefined ones cleared), the same on every CPU.
  const foldMacro = [
    '%macro FOLD 1',
    w ? '  pushfq' : '  pushfd',
    `  and dword [${sp}], %1`,
    `  push ${acc}`,
    `  mov ${acc}, [sum]`,
    `  rol ${acc}, 5`,
    `  xor ${acc}, [${sp}+${w ? 8 : 4}]`,
    `  mov [sum], ${acc}`,
    `  pop ${acc}`,
    w ? '  popfq' : '  popfd',
    '%endmacro',
  ].join('\n');
  const lines = body.map((b) => `  ${b.text}\n  FOLD 0x${b.mask.toString(16)}`);
  const regs = w ? R64 : R32;
  const prints = [...regs.map((r) => `  mov ${acc}, ${r}\n  call hex`), `  mov ${acc}, [sum]\n  call hex`];
  const digest = w
    ? '  xor rax, rax\n  mov rcx, 4\n  lea rsi, [cell]\n.d: rol rax, 7\n  xor rax, [rsi]\n  add rsi, 8\n  loop .d\n  call hex'
    : '  xor eax, eax\n  mov ecx, 8\n  mov esi, cell\n.d: rol eax, 7\n  xor eax, [esi]\n  add esi, 4\n  loop .d\n  call hex';
  const exit = w ? '  mov edi, 0\n  mov eax, 60\n  syscall' : '  xor ebx, ebx\n  mov eax, 1\n  int 0x80';
  return `; generated by scripts/emu-mix.mjs: random integer instructions, flags folded into a checksum, registers printed
bits ${bits}
${w ? 'default rel\n' : ''}${foldMacro}
section .bss
cell: resq 4
sum: resq 1
line: resb 20
section .data
digits: db "0123456789abcdef"
section .text
global _start
_start:
  mov dword [cell], 0x12345678
  mov dword [cell+8], 0x9abcdef0
  mov dword [cell+16], 0x0f0f0f0f
  mov dword [cell+24], 0x80000001
${init.join('\n')}
${lines.join('\n')}
${prints.join('\n')}
${digest}
${exit}

; hex: writes ${acc} as ${w ? 16 : 8} hex digits and a newline (keeps the other registers)
hex:
  push ${w ? 'rcx' : 'ecx'}
  push ${w ? 'rdx' : 'edx'}
  push ${w ? 'rsi' : 'esi'}
  push ${w ? 'rdi' : 'edi'}
  ${w ? 'push r11' : 'push ebx'}
  mov ecx, ${w ? 16 : 8}
  lea ${w ? 'rdi' : 'edi'}, [line]
.next:
  rol ${acc}, 4
  mov edx, eax
  and edx, 15
  lea ${w ? 'rsi' : 'esi'}, [digits]
  mov dl, [${w ? 'rsi+rdx' : 'esi+edx'}]
  mov [${w ? 'rdi' : 'edi'}], dl
  inc ${w ? 'rdi' : 'edi'}
  dec ecx
  jnz .next
  mov byte [${w ? 'rdi' : 'edi'}], 10
  push ${acc}
${
  w
    ? '  mov eax, 1\n  mov edi, 1\n  lea rsi, [line]\n  mov edx, 17\n  syscall'
    : '  mov eax, 4\n  mov ebx, 1\n  mov ecx, line\n  mov edx, 9\n  int 0x80'
}
  pop ${acc}
  ${w ? 'pop r11' : 'pop ebx'}
  pop ${w ? 'rdi' : 'edi'}
  pop ${w ? 'rsi' : 'esi'}
  pop ${w ? 'rdx' : 'edx'}
  pop ${w ? 'rcx' : 'ecx'}
  ret
`;
}
