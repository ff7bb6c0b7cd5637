/**
 * Faults and limits one by one, through tsrun's main() in-process: small
 * i386 programs assembled and linked with this project's own assembler and
 * linker, each ending the way Linux ends such a process (status 128 + signal).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/tsrun.js';
import { assemble, link } from '../../src/index.js';

function build(body: string, bits: 32 | 64 = 32): Uint8Array {
  const source = `bits ${bits}\nsection .text\nglobal _start\n_start:\n${body}\n`;
  const obj = assemble(source, { fileName: 't.asm', format: bits === 64 ? 'elf64' : 'elf32' });
  if (!obj.output) throw new Error(`assembly failed: ${JSON.stringify(obj.diagnostics)}`);
  const exe = link([{ name: 't.o', data: obj.output }]);
  if (!exe.output) throw new Error(`link failed: ${JSON.stringify(exe.diagnostics)}`);
  return exe.output;
}

function tsrun(body: string, options: string[] = [], args: string[] = [], bits: 32 | 64 = 32) {
  const exe = build(body, bits);
  let stdout = '';
  let stderr = '';
  const status = main([...options, 'prog', ...args], {
    stdout: (b) => (stdout += new TextDecoder().decode(b)),
    stderr: (t) => (stderr += t),
    readFile: (path) => {
      if (path === 'prog') return exe;
      if (path === 'data.txt') return new TextEncoder().encode('file contents\n');
      throw new Error('ENOENT');
    },
    stdin: () => new TextEncoder().encode('abc'),
    env: ['HOME=/root'],
  });
  return { status, stdout, stderr };
}

const EXIT_EBX = 'mov eax,1\nint 0x80';

describe('tsrun faults and limits', () => {
  it('a wild read is a segmentation fault, status 139', () => {
    const r = tsrun('mov eax,[0x10]');
    expect(r.status).toBe(139);
    expect(r.stderr).toContain('Segmentation fault');
    expect(r.stderr).toContain('0x10');
  });

  it('writing the read-only text segment is a segmentation fault', () => {
    expect(tsrun('mov dword [_start],0').status).toBe(139);
  });

  it('ud2 is SIGILL, status 132', () => {
    const r = tsrun('ud2');
    expect(r.status).toBe(132);
    expect(r.stderr).toContain('Illegal instruction');
  });

  it('an unsupported instruction is SIGILL and is named', () => {
    const r = tsrun('paddb mm0,mm1');
    expect(r.status).toBe(132);
    expect(r.stderr).toContain("unsupported instruction 'paddb mm0,mm1'");
  });

  it('bytes that decode to nothing are SIGILL', () => {
    const r = tsrun('db 0x0f,0xff');
    expect(r.status).toBe(132);
    expect(r.stderr).toContain('Illegal instruction');
  });

  it('divide by zero and quotient overflow are SIGFPE, status 136', () => {
    expect(tsrun('xor ecx,ecx\ndiv ecx').status).toBe(136);
    expect(tsrun('mov edx,1\nmov eax,0\nmov ecx,1\ndiv ecx').status).toBe(136);
    expect(tsrun('mov eax,0x80000000\ncdq\nmov ecx,-1\nidiv ecx').status).toBe(136);
  });

  it('int3 is SIGTRAP, status 133', () => {
    expect(tsrun('int3').status).toBe(133);
  });

  it('--max-steps stops an endless loop with a message', () => {
    const r = tsrun('jmp $', ['--max-steps', '1000']);
    expect(r.status).toBe(124);
    expect(r.stderr).toContain('stopped after 1000 instructions');
  });

  it('exit status is what the program sets (low 8 bits)', () => {
    expect(tsrun(`mov ebx,300\n${EXIT_EBX}`).status).toBe(300 & 0xff);
  });

  it('an unknown system call returns -ENOSYS and --strace reports it', () => {
    const r = tsrun(`mov eax,999\nint 0x80\nmov ebx,eax\nneg ebx\n${EXIT_EBX}`, ['--strace']);
    expect(r.status).toBe(38);
    expect(r.stderr).toContain('syscall_999(');
    expect(r.stderr).toContain('ENOSYS');
  });

  it('argc and argv reach the program as Linux lays them out', () => {
    // exit status = argc; then write argv[1].
    const prog = [
      'mov ebx,[esp]',
      'push ebx',
      'mov ecx,[esp+12]', // after the push: argc copy, argc, argv[0], argv[1]
      'mov edi,ecx',
      'xor eax,eax',
      'mov edx,-1',
      'l: inc edx',
      'cmp byte [edi+edx],0',
      'jne l',
      'mov eax,4',
      'mov ebx,1',
      'int 0x80',
      'pop ebx',
      EXIT_EBX,
    ].join('\n');
    const r = tsrun(prog, [], ['hello', 'x']);
    expect(r.stdout).toBe('hello');
    expect(r.status).toBe(3);
  });

  it('read takes stdin; brk grows the heap', () => {
    const prog = [
      'mov eax,45\nxor ebx,ebx\nint 0x80', // brk(0)
      'mov esi,eax',
      'lea ebx,[eax+8192]\nmov eax,45\nint 0x80',
      'mov eax,3\nxor ebx,ebx\nmov ecx,esi\nmov edx,16\nint 0x80', // read into the new heap
      'mov edx,eax\nmov eax,4\nmov ebx,1\nmov ecx,esi\nint 0x80',
      'xor ebx,ebx',
      EXIT_EBX,
    ].join('\n');
    const r = tsrun(prog);
    expect(r.stdout).toBe('abc');
    expect(r.status).toBe(0);
  });

  it('--trace shows address, bytes, text and changed registers', () => {
    const r = tsrun(`mov ebx,7\n${EXIT_EBX}`, ['--trace']);
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(/0x[0-9a-f]+ {2}bb07000000 +mov ebx,0x7 {2}; ebx=0x7/);
  });

  it('a file that is not ELF is refused with status 126', () => {
    let stderr = '';
    const status = main(['x'], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      readFile: () => new Uint8Array([1, 2, 3]),
      stdin: () => new Uint8Array(0),
      env: [],
    });
    expect(status).toBe(126);
    expect(stderr).toContain('not an ELF file');
  });

  it('64-bit faults: wild access 139, ud2 132, divide error 136, int3 133', () => {
    expect(tsrun('mov rax,0x123456789000\nmov eax,[rax]', [], [], 64).status).toBe(139);
    expect(tsrun('ud2', [], [], 64).status).toBe(132);
    expect(tsrun('xor ecx,ecx\nmov rax,5\ncqo\nidiv rcx', [], [], 64).status).toBe(136);
    expect(tsrun('int3', [], [], 64).status).toBe(133);
  });

  it('--max-memory: brk beyond the cap fails with a notice, and the program sees it', () => {
    const prog = [
      'mov eax,45\nxor ebx,ebx\nint 0x80',
      'mov esi,eax',
      'lea ebx,[eax+0x2000000]\nmov eax,45\nint 0x80', // 32 MiB more
      'cmp eax,esi',
      'mov ebx,7\nje done\nmov ebx,0',
      'done:',
      EXIT_EBX,
    ].join('\n');
    const capped = tsrun(prog, ['--max-memory', '16']);
    expect(capped.status).toBe(7);
    expect(capped.stderr).toContain('memory cap of 16777216 bytes reached');
    expect(tsrun(prog).status).toBe(0);
  });

  it('a program too big for the cap is refused before it starts (126)', () => {
    const r = tsrun('ret\nsection .bss\nresb 64*1024*1024', ['--max-memory', '16']);
    expect(r.status).toBe(126);
    expect(r.stderr).toContain('does not fit');
  });

  it('open, read, lseek and close a file the host hands over; a missing file is ENOENT', () => {
    const prog = [
      'mov eax,5\nmov ebx,name\nxor ecx,ecx\nint 0x80', // open("data.txt", O_RDONLY)
      'mov edi,eax',
      'mov eax,19\nmov ebx,edi\nmov ecx,5\nxor edx,edx\nint 0x80', // lseek(fd, 5, SEEK_SET)
      'mov eax,3\nmov ebx,edi\nmov ecx,buf\nmov edx,64\nint 0x80', // read
      'mov edx,eax\nmov eax,4\nmov ebx,1\nmov ecx,buf\nint 0x80',
      'mov eax,6\nmov ebx,edi\nint 0x80', // close
      'mov eax,5\nmov ebx,missing\nxor ecx,ecx\nint 0x80',
      'mov ebx,eax\nneg ebx',
      EXIT_EBX,
      'section .data\nname: db "data.txt",0\nmissing: db "nope",0\nsection .bss\nbuf: resb 64',
    ].join('\n');
    const r = tsrun(prog, ['--strace']);
    expect(r.stdout).toBe('contents\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[strace] open(');
    expect(r.stderr).toContain('[strace] lseek(');
  });

  it('ioctl TCGETS on a descriptor that is not a terminal is ENOTTY; unknown 64-bit calls are ENOSYS', () => {
    const tty = tsrun(
      'mov eax,54\nmov ebx,1\nmov ecx,0x5401\nmov edx,esp\nsub edx,64\nint 0x80\nmov ebx,eax\nneg ebx\n' + EXIT_EBX,
    );
    expect(tty.status).toBe(25);
    const r = tsrun('mov eax,4000\nsyscall\nmov edi,eax\nneg edi\nmov eax,60\nsyscall', ['--strace'], [], 64);
    expect(r.status).toBe(38);
    expect(r.stderr).toContain('syscall_4000(');
  });

  it('anonymous mmap gives zeroed writable memory; munmap takes it away', () => {
    const prog = [
      'mov eax,9\nxor edi,edi\nmov esi,8192\nmov edx,3\nmov r10d,0x22\nmov r8,-1\nxor r9d,r9d\nsyscall',
      'mov rbx,rax',
      'mov dword [rbx+4096],41\nmov edi,[rbx+4096]\nadd edi,[rbx]\ninc edi', // 41 + 0 + 1
      'push rdi',
      'mov eax,11\nmov rdi,rbx\nmov esi,8192\nsyscall',
      'pop rdi',
      'mov eax,60\nsyscall',
    ].join('\n');
    expect(tsrun(prog, [], [], 64).status).toBe(42);
    const after = tsrun(
      'mov eax,9\nxor edi,edi\nmov esi,4096\nmov edx,3\nmov r10d,0x22\nmov r8,-1\nxor r9d,r9d\nsyscall\nmov rbx,rax\nmov eax,11\nmov rdi,rbx\nmov esi,4096\nsyscall\nmov eax,[rbx]',
      [],
      [],
      64,
    );
    expect(after.status).toBe(139);
  });

  it('x87 arithmetic: (1 + 1) * 1.5 stored as an integer', () => {
    const prog =
      'fld1\nfld1\nfaddp\npush 3\nfild dword [esp]\nfmulp\nmov dword [esp],2\nfidiv dword [esp]\nfistp dword [esp]\npop ebx\n' +
      EXIT_EBX;
    expect(tsrun(prog).status).toBe(3);
  });

  it('code written after it ran is decoded again (self-modifying code)', () => {
    const prog = [
      'mov ecx,2',
      'again: push ecx',
      'call fn',
      'pop ecx',
      'mov byte [fn+1],9',
      'dec ecx',
      'jnz again',
      'mov ebx,eax',
      EXIT_EBX,
      'section .data',
      'fn: mov eax,7',
      'ret',
    ].join('\n');
    expect(tsrun(prog).status).toBe(9);
  });

  it('--trace in 64-bit code: the shared decoder spells r8-r15 and the changed 64-bit registers', () => {
    const r = tsrun('mov r9,0x123456789\nlea r10,[r9+r9*2]\nmov edi,0\nmov eax,60\nsyscall', ['--trace'], [], 64);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/mov r9,0x123456789 +; r9=0x123456789/);
    expect(r.stderr).toMatch(/lea r10,\[r9\+r9\*2\] +; r10=0x369d0369b/);
  });
});
