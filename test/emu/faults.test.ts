/**
 * Faults and limits one by one, through tsrun's main() in-process: small
 * i386 programs assembled and linked with this project's own assembler and
 * linker, each ending the way Linux ends such a process (status 128 + signal).
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/tsrun.js';
import { assemble, link } from '../../src/index.js';

function build(body: string): Uint8Array {
  const source = `section .text\nglobal _start\n_start:\n${body}\n`;
  const obj = assemble(source, { fileName: 't.asm', format: 'elf32' });
  if (!obj.output) throw new Error(`assembly failed: ${JSON.stringify(obj.diagnostics)}`);
  const exe = link([{ name: 't.o', data: obj.output }]);
  if (!exe.output) throw new Error(`link failed: ${JSON.stringify(exe.diagnostics)}`);
  return exe.output;
}

function tsrun(body: string, options: string[] = [], args: string[] = []) {
  const exe = build(body);
  let stdout = '';
  let stderr = '';
  const status = main([...options, 'prog', ...args], {
    stdout: (b) => (stdout += new TextDecoder().decode(b)),
    stderr: (t) => (stderr += t),
    readFile: () => exe,
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
});
