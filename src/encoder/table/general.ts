/**
 * General-purpose integer instructions (8086 … P6 and later additions), as
 * rows in manual-like notation. See ../table.ts for the notation.
 *
 * Row ORDER matters: for a given mnemonic the first row that matches the
 * operands wins, exactly as in NASM (e.g. `add eax,1` → `83 /0 ib,s` because
 * the sign-extended-byte row comes before `05 id`).
 */

/** Condition-code suffixes with their 4-bit condition numbers (Intel SDM table B-1). */
/**
 * The one spelling of each condition the disassembler writes (ndisasm's:
 * `jz`, `jnc`, `jpe`…); the other spellings' rows carry `nd`.
 */
const DISASSEMBLY_CONDITION = new Set([
  'o',
  'no',
  'c',
  'nc',
  'z',
  'nz',
  'na',
  'a',
  's',
  'ns',
  'pe',
  'po',
  'l',
  'nl',
  'ng',
  'g',
]);
/** `,nd` on a row whose condition name ndisasm does not print (the alias spellings). */
export const nd = (cc: string): string => (DISASSEMBLY_CONDITION.has(cc) ? '' : ',nd');
export const CONDITIONS: ReadonlyArray<readonly [string, number]> = [
  ['o', 0],
  ['no', 1],
  ['b', 2],
  ['c', 2],
  ['nae', 2],
  ['ae', 3],
  ['nb', 3],
  ['nc', 3],
  ['e', 4],
  ['z', 4],
  ['ne', 5],
  ['nz', 5],
  ['be', 6],
  ['na', 6],
  ['a', 7],
  ['nbe', 7],
  ['s', 8],
  ['ns', 9],
  ['p', 10],
  ['pe', 10],
  ['np', 11],
  ['po', 11],
  ['l', 12],
  ['nge', 12],
  ['ge', 13],
  ['nl', 13],
  ['le', 14],
  ['ng', 14],
  ['g', 15],
  ['nle', 15],
];

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** The eight ALU operations (ADD…CMP, /0…/7). CMP only reads its destination, so LOCK does not apply to it. */
function alu(name: string, n: number): string {
  const b = n * 8;
  const lock = name === 'CMP' ? '' : ',lock';
  return `
${name} rm8,r8        | ${hex(b)} /r             | 8086,sm${lock}
${name} rm16,r16      | o16 ${hex(b + 1)} /r         | 8086,sm${lock}
${name} rm32,r32      | o32 ${hex(b + 1)} /r         | 386,sm${lock}
${name} r8,rm8        | ${hex(b + 2)} /r             | 8086,sm
${name} r16,rm16      | o16 ${hex(b + 3)} /r         | 8086,sm
${name} r32,rm32      | o32 ${hex(b + 3)} /r         | 386,sm
${name} rm16,=imm8    | o16 83 /${n} ib,s        | 8086${lock}
${name} rm32,=imm8    | o32 83 /${n} ib,s        | 386${lock}
${name} al,imm8       | ${hex(b + 4)} ib             | 8086,sm
${name} ax,sbyte16    | mi: o16 83 /${n} ib,s        | 8086,sm
${name} ax,imm16      | o16 ${hex(b + 5)} iw         | 8086,sm
${name} eax,sbyte32   | mi: o32 83 /${n} ib,s        | 386,sm
${name} eax,imm32     | o32 ${hex(b + 5)} id         | 386,sm
${name} rm8,imm8      | 80 /${n} ib              | 8086,sm${lock}
${name} rm16,sbyte16  | o16 83 /${n} ib,s        | 8086,sm${lock}
${name} rm16,imm16    | o16 81 /${n} iw          | 8086,sm${lock}
${name} rm32,sbyte32  | o32 83 /${n} ib,s        | 386,sm${lock}
${name} rm32,imm32    | o32 81 /${n} id          | 386,sm${lock}
${name} rm8,imm8      | 82 /${n} ib              | 8086,sm${lock},nd,nolong
${name} rm64,r64      | o64 ${hex(b + 1)} /r         | x64,sm${lock},long
${name} r64,rm64      | o64 ${hex(b + 3)} /r         | x64,sm,long
${name} rm64,=imm8    | o64 83 /${n} ib,s        | x64${lock},long
${name} rax,sbyte64   | mi: o64 83 /${n} ib,s        | x64,sm,long
${name} rax,imm64     | o64 ${hex(b + 5)} id,s       | x64,sm,long
${name} rm64,sbyte64  | o64 83 /${n} ib,s        | x64${lock},long
${name} rm64,imm64    | o64 81 /${n} id,s        | x64${lock},long
`;
}

function group3(name: string, n: number, lock: string): string {
  return `
${name} rm8   | F6 /${n}      | 8086${lock}
${name} rm16  | o16 F7 /${n}  | 8086${lock}
${name} rm32  | o32 F7 /${n}  | 386${lock}
${name} rm64  | o64 F7 /${n}  | x64,long${lock}
`;
}

function shift(name: string, n: number): string {
  return `
${name} rm8,1       | D0 /${n}          | 8086
${name} rm8,cl      | D2 /${n}          | 8086
${name} rm8,imm8    | C0 /${n} ib,u     | 186
${name} rm16,1      | o16 D1 /${n}      | 8086
${name} rm16,cl     | o16 D3 /${n}      | 8086
${name} rm16,imm8   | o16 C1 /${n} ib,u | 186
${name} rm32,1      | o32 D1 /${n}      | 386
${name} rm32,cl     | o32 D3 /${n}      | 386
${name} rm32,imm8   | o32 C1 /${n} ib,u | 386
${name} rm64,1      | o64 D1 /${n}      | x64,long
${name} rm64,cl     | o64 D3 /${n}      | x64,long
${name} rm64,imm8   | o64 C1 /${n} ib,u | x64,long
`;
}

function incDec(name: string, short: number, n: number): string {
  return `
${name} r16    | o16 ${hex(short)}+r  | 8086,nolong
${name} r32    | o32 ${hex(short)}+r  | 386,nolong
${name} rm8    | FE /${n}     | 8086,lock
${name} rm16   | o16 FF /${n} | 8086,lock
${name} rm32   | o32 FF /${n} | 386,lock
${name} rm64   | o64 FF /${n} | x64,lock,long
`;
}

function bitTest(name: string, regOp: number, n: number): string {
  return `
${name} rm16,r16   | o16 0F ${hex(regOp)} /r       | 386,sm${n === 4 ? '' : ',lock'}
${name} rm32,r32   | o32 0F ${hex(regOp)} /r       | 386,sm${n === 4 ? '' : ',lock'}
${name} rm16,imm8  | o16 0F BA /${n} ib,u    | 386${n === 4 ? '' : ',lock'}
${name} rm32,imm8  | o32 0F BA /${n} ib,u    | 386${n === 4 ? '' : ',lock'}
${name} rm64,r64   | o64 0F ${hex(regOp)} /r       | x64,long,sm${n === 4 ? '' : ',lock'}
${name} rm64,imm8  | o64 0F BA /${n} ib,u    | x64,long${n === 4 ? '' : ',lock'}
`;
}

/** A string instruction's three sizes; `flags` (e.g. `,repe`) go on every row. */
function string(name: string, op: number, cpu: string, flags = '', q = true): string {
  return `
${name}b | ${hex(op)}     | ${cpu}${flags}
${name}w | o16 ${hex(op + 1)} | ${cpu}${flags}
${name}d | o32 ${hex(op + 1)} | 386${flags}
${q ? `${name}q | o64 ${hex(op + 1)} | x64,long${flags}` : ''}
`;
}

function jumpsAndCalls(): string {
  let rows = `
JMP rel8o     | EB rb           | 8086,ni,bndshort
JMP rel16     | o16 E9 rw       | 8086,ds,ni,bnd,nolong
JMP rel32     | o32 E9 rd       | 386,ds,ni,nat,bnd,nolong
JMP rel64     | o64nw E9 rd     | x64,ds,ni,nat,bnd,long
JMP far16     | o16 EA iw sg    | 8086,ds,ni,nolong
JMP far32     | o32 EA id sg    | 386,ds,ni,nat,nolong
JMP mfar16    | o16 FF /5       | 8086,ds,ni
JMP mfar32    | o32 FF /5       | 386,ds,ni,nat
JMP mfar64    | o64 FF /5       | x64,ds,ni,nat,long
JMP rm16      | o16 FF /4       | 8086,ds,ni,bnd,nolong
JMP rm32      | o32 FF /4       | 386,ds,ni,nat,bnd,nolong
JMP rm64      | o64nw FF /4     | x64,ds,ni,nat,bnd,long
CALL rel16    | o16 E8 rw       | 8086,ds,ni,bnd,nolong
CALL rel32    | o32 E8 rd       | 386,ds,ni,nat,bnd,nolong
CALL rel64    | o64nw E8 rd     | x64,ds,ni,nat,bnd,long
CALL far16    | o16 9A iw sg    | 8086,ds,ni,nolong
CALL far32    | o32 9A id sg    | 386,ds,ni,nat,nolong
CALL mfar16   | o16 FF /3       | 8086,ds,ni
CALL mfar32   | o32 FF /3       | 386,ds,ni,nat
CALL mfar64   | o64 FF /3       | x64,ds,ni,nat,long
CALL rm16     | o16 FF /2       | 8086,ds,ni,bnd,nolong
CALL rm32     | o32 FF /2       | 386,ds,ni,nat,bnd,nolong
CALL rm64     | o64nw FF /2     | x64,ds,ni,nat,bnd,long
JCXZ rel8     | a16 E3 rb       | 8086,nolong
JECXZ rel8    | a32 E3 rb       | 386
JRCXZ rel8    | a64 E3 rb       | x64,long,noo64
`;
  for (const [name, op] of [
    ['LOOP', 0xe2],
    ['LOOPE', 0xe1],
    ['LOOPZ', 0xe1],
    ['LOOPNE', 0xe0],
    ['LOOPNZ', 0xe0],
  ] as const) {
    rows += `
${name} rel8      | ${hex(op)} rb     | 8086
${name} rel8,cx   | a16 ${hex(op)} rb | 8086,nolong
${name} rel8,ecx  | a32 ${hex(op)} rb | 386
${name} rel8,rcx  | a64 ${hex(op)} rb | x64,long
`;
  }
  // Below the 386 there is no near Jcc: NASM then jumps over a near JMP with the
  // opposite condition (`jz far_away` → 75 03 E9 rel16), measured with `cpu 8086`.
  for (const [cc, n] of CONDITIONS) {
    rows += `
J${cc.toUpperCase()} rel8o  | ${hex(0x70 + n)} rb          | 8086,jcc,bnd${nd(cc)}
J${cc.toUpperCase()} rel16  | o16 0F ${hex(0x80 + n)} rw   | 386,ds,jcc,bnd${nd(cc)}
J${cc.toUpperCase()} rel32  | o32 0F ${hex(0x80 + n)} rd   | 386,ds,jcc,bnd${nd(cc)}
J${cc.toUpperCase()} rel64  | o64nw 0F ${hex(0x80 + n)} rd | x64,ds,jcc,bnd,long${nd(cc)}
J${cc.toUpperCase()} rel16  | o16 ${hex(0x70 + (n ^ 1))} 03 E9 rw  | 8086,ds,jcc,nonear,pre386
J${cc.toUpperCase()} rel32  | o32 ${hex(0x70 + (n ^ 1))} 05 E9 rd  | 8086,ds,jcc,nonear,pre386
`;
  }
  return rows;
}

function conditionals(): string {
  let rows = '';
  for (const [cc, n] of CONDITIONS) {
    const u = cc.toUpperCase();
    rows += `
SET${u} rm8          | 0F ${hex(0x90 + n)} /0     | 386,ni${nd(cc)}
CMOV${u} r16,rm16    | o16 0F ${hex(0x40 + n)} /r | p6,sm${nd(cc)}
CMOV${u} r32,rm32    | o32 0F ${hex(0x40 + n)} /r | p6,sm${nd(cc)}
CMOV${u} r64,rm64    | o64 0F ${hex(0x40 + n)} /r | x64,sm,long${nd(cc)}
`;
  }
  return rows;
}

/**
 * 64-bit forms of the newer general-purpose instructions (the older families
 * carry their rm64/r64 rows next to the 32-bit ones above).
 */
function longModeOnly(): string {
  return `
POPCNT r64,rm64    | F3 o64 0F B8 /r       | x64,long
LZCNT r64,rm64     | F3 o64 0F BD /r       | x64,long
TZCNT r64,rm64     | F3 o64 0F BC /r       | x64,long
CRC32 r64,rm8      | F2 o64 0F 38 F0 /r    | x64,long
CRC32 r64,rm64     | F2 o64 0F 38 F1 /r    | x64,long
ADCX r64,rm64      | 66 o64 0F 38 F6 /r    | x64,long
ADOX r64,rm64      | F3 o64 0F 38 F6 /r    | x64,long
MOVBE r64,m64      | o64 0F 38 F0 /r       | nehalem,rexw,np,msz
RDRAND r64         | o64 0F C7 /6          | x64,long
RDSEED r64         | o64 0F C7 /7          | x64,long
MOVNTI m64,r64     | o64 0F C3 /r          | x64,long,np
NOP rm64           | o64 0F 1F /0          | x64,long
INCSSPQ r64        | F3 o64 0F AE /5       | x64,long
RDSSPQ r64         | F3 o64 0F 1E /1       | x64,long
WRSSQ m64,r64      | o64 0F 38 F6 /r       | x64,long,msz
WRUSSQ m64,r64     | 66 o64 0F 38 F5 /r    | x64,long
SENDUIPI r64       | F3 0F C7 /6           | x64,long
SWAPGS             | 0F 01 F8              | x64,long
`;
}

export function generalRows(): string {
  const parts: string[] = [];
  ['ADD', 'OR', 'ADC', 'SBB', 'AND', 'SUB', 'XOR', 'CMP'].forEach((name, n) => parts.push(alu(name, n)));
  parts.push(
    group3('NOT', 2, ',lock'),
    group3('NEG', 3, ',lock'),
    group3('MUL', 4, ''),
    group3('DIV', 6, ''),
    group3('IDIV', 7, ''),
  );
  parts.push(`
IMUL rm8                 | F6 /5               | 8086
IMUL rm16                | o16 F7 /5           | 8086
IMUL rm32                | o32 F7 /5           | 386
IMUL r16,rm16            | o16 0F AF /r        | 386,sm
IMUL r32,rm32            | o32 0F AF /r        | 386,sm
IMUL r16,=imm8           | o16 6B /rr ib,s     | 186
IMUL r16,sbyte16         | o16 6B /rr ib,s     | 186,sm
IMUL r16,imm16           | o16 69 /rr iw       | 186,sm
IMUL r32,=imm8           | o32 6B /rr ib,s     | 386
IMUL r32,sbyte32         | o32 6B /rr ib,s     | 386,sm
IMUL r32,imm32           | o32 69 /rr id       | 386,sm
IMUL r16,rm16,=imm8      | o16 6B /r ib,s      | 186
IMUL r16,rm16,sbyte16    | o16 6B /r ib,s      | 186,sm
IMUL r16,rm16,imm16      | o16 69 /r iw        | 186,sm
IMUL r32,rm32,=imm8      | o32 6B /r ib,s      | 386
IMUL r32,rm32,sbyte32    | o32 6B /r ib,s      | 386,sm
IMUL r32,rm32,imm32      | o32 69 /r id        | 386,sm
IMUL rm64                | o64 F7 /5           | x64,long
IMUL r64,rm64            | o64 0F AF /r        | x64,sm,long
IMUL r64,=imm8           | o64 6B /rr ib,s     | x64,long
IMUL r64,sbyte64         | o64 6B /rr ib,s     | x64,sm,long
IMUL r64,imm32           | o64 69 /rr id,s     | x64,sm,long
IMUL r64,rm64,=imm8      | o64 6B /r ib,s      | x64,long
IMUL r64,rm64,sbyte64    | o64 6B /r ib,s      | x64,sm,long
IMUL r64,rm64,imm32      | o64 69 /r id,s      | x64,sm,long
`);
  ['ROL', 'ROR', 'RCL', 'RCR', 'SHL', 'SHR', 'SAL', 'SAR'].forEach((name, i) =>
    parts.push(shift(name, [0, 1, 2, 3, 4, 5, 4, 7][i] as number)),
  );
  parts.push(incDec('INC', 0x40, 0), incDec('DEC', 0x48, 1));
  parts.push(`
MOV al,moffs8        | A0 mo             | 8086,sm
MOV ax,moffs16       | o16 A1 mo         | 8086,sm
MOV eax,moffs32      | o32 A1 mo         | 386,sm
MOV moffs8,al        | A2 mo             | 8086,sm,nohle
MOV moffs16,ax       | o16 A3 mo         | 8086,sm,nohle
MOV moffs32,eax      | o32 A3 mo         | 386,sm,nohle
MOV rax,moffs64      | o64 A1 mo         | x64,sm,long
MOV moffs64,rax      | o64 A3 mo         | x64,sm,long,nohle
MOV rm8,r8           | 88 /r             | 8086,sm,hler
MOV rm16,r16         | o16 89 /r         | 8086,sm,hler
MOV rm32,r32         | o32 89 /r         | 386,sm,hler
MOV r8,rm8           | 8A /r             | 8086,sm
MOV r16,rm16         | o16 8B /r         | 8086,sm
MOV r32,rm32         | o32 8B /r         | 386,sm
MOV rm64,r64         | o64 89 /r         | x64,sm,hler,long
MOV r64,rm64         | o64 8B /r         | x64,sm,long
MOV m16,sreg         | 8C /r             | 8086,sm
MOV r16,sreg         | mr: o16 8C /r     | 8086
MOV r32,sreg         | mr: o32 8C /r     | 386
MOV r64,sreg         | mr: o64nw 8C /r   | x64,long
MOV m64,sreg         | o64 8C /r         | x64,long
MOV sreg,m16         | 8E /r             | 8086,sm
MOV sreg,r16         | rm: o16 8E /r     | 8086,osopt
MOV sreg,r32         | rm: o32 8E /r     | 386,osopt
MOV sreg,r64         | rm: o64nw 8E /r   | x64,long
MOV sreg,m64         | o64 8E /r         | x64,long
MOV r32,creg         | mr: 0F 20 /r      | 386,nolong
MOV creg,r32         | rm: 0F 22 /r      | 386,nolong
MOV r64,creg         | mr: o64nw 0F 20 /r | x64,long
MOV creg,r64         | rm: o64nw 0F 22 /r | x64,long
MOV r32,dreg         | mr: 0F 21 /r      | 386,nolong
MOV dreg,r32         | rm: 0F 23 /r      | 386,nolong
MOV r64,dreg         | mr: o64nw 0F 21 /r | x64,long
MOV dreg,r64         | rm: o64nw 0F 23 /r | x64,long
MOV r32,treg         | mr: 0F 24 /r      | 386,nd,nolong
MOV treg,r32         | rm: 0F 26 /r      | 386,nd,nolong
MOV r8,imm8          | B0+r ib           | 8086,sm
MOV r16,imm16        | o16 B8+r iw       | 8086,sm
MOV r32,imm32        | o32 B8+r id       | 386,sm
MOV rm8,imm8         | C6 /0 ib          | 8086,sm,hler
MOV rm16,imm16       | o16 C7 /0 iw      | 8086,sm,hler
MOV rm32,imm32       | o32 C7 /0 id      | 386,sm,hler
MOV r64,udword       | o64nw B8+r id     | x64,sm,long,nd
MOV r64,sdword       | mi: o64 C7 /0 id,s | x64,sm,long
MOV r64,imm64        | o64 B8+r iq       | x64,sm,long
MOV rm64,imm64       | o64 C7 /0 id,s    | x64,hler,long
MOV rm64,imm32       | o64 C7 /0 id,s    | x64,hler,long,nd

TEST rm8,r8          | 84 /r             | 8086,sm
TEST rm16,r16        | o16 85 /r         | 8086,sm
TEST rm32,r32        | o32 85 /r         | 386,sm
TEST r8,m8           | 84 /r             | 8086,sm,nd
TEST r16,m16         | o16 85 /r         | 8086,sm,nd
TEST r32,m32         | o32 85 /r         | 386,sm,nd
TEST al,imm8         | A8 ib             | 8086,sm
TEST ax,imm16        | o16 A9 iw         | 8086,sm
TEST eax,imm32       | o32 A9 id         | 386,sm
TEST rm8,imm8        | F6 /0 ib          | 8086,sm
TEST rm16,imm16      | o16 F7 /0 iw      | 8086,sm
TEST rm32,imm32      | o32 F7 /0 id      | 386,sm
TEST rm64,r64        | o64 85 /r         | x64,sm,long
TEST r64,m64         | o64 85 /r         | x64,sm,nd,long
TEST rax,imm64       | o64 A9 id,s       | x64,sm,long
TEST rm64,imm64      | o64 F7 /0 id,s    | x64,long

XCHG eax,eax         | rm: o32 87 /r     | x64,long,nd ; BITS 64: 90 would be NOP, not a zero-extending exchange
XCHG ax,r16          | o16 90+r          | 8086
XCHG eax,r32         | o32 90+r          | 386
XCHG rax,r64         | o64 90+r          | x64,long
XCHG r16,ax          | o16 90+r          | 8086
XCHG r32,eax         | o32 90+r          | 386
XCHG r64,rax         | o64 90+r          | x64,long
XCHG r8,rm8          | 86 /r             | 8086,sm
XCHG rm8,r8          | 86 /r             | 8086,sm,lock,hlex
XCHG r16,rm16        | o16 87 /r         | 8086,sm
XCHG rm16,r16        | o16 87 /r         | 8086,sm,lock,hlex
XCHG r32,rm32        | o32 87 /r         | 386,sm
XCHG rm32,r32        | o32 87 /r         | 386,sm,lock,hlex
XCHG r64,rm64        | o64 87 /r         | x64,sm,long
XCHG rm64,r64        | o64 87 /r         | x64,sm,lock,hlex,long

LEA r16,ma           | o16 8D /r         | 8086
LEA r32,ma           | o32 8D /r         | 386
LEA r16,imm          | rm: o16 8D /r     | 8086,nd ; nasm takes a bare number as the address: lea eax,5 = lea eax,[5]
LEA r32,imm          | rm: o32 8D /r     | 386,nd
LEA r64,ma           | o64 8D /r         | x64,long
LEA r64,imm          | rm: o64 8D /r     | x64,nd,long
LDS r16,m            | o16 C5 /r         | 8086,nolong
LDS r32,m            | o32 C5 /r         | 386,nolong
LES r16,m            | o16 C4 /r         | 8086,nolong
LES r32,m            | o32 C4 /r         | 386,nolong
LFS r16,m            | o16 0F B4 /r      | 386
LFS r32,m            | o32 0F B4 /r      | 386
LFS r64,m            | o64 0F B4 /r      | x64,long
LGS r16,m            | o16 0F B5 /r      | 386
LGS r32,m            | o32 0F B5 /r      | 386
LGS r64,m            | o64 0F B5 /r      | x64,long
LSS r16,m            | o16 0F B2 /r      | 386
LSS r32,m            | o32 0F B2 /r      | 386
LSS r64,m            | o64 0F B2 /r      | x64,long

PUSH r16             | o16 50+r          | 8086
PUSH r32             | o32 50+r          | 386,nolong
PUSH r64             | o64nw 50+r        | x64,long
PUSH rm16            | o16 FF /6         | 8086
PUSH rm32            | o32 FF /6         | 386,nolong
PUSH rm64            | o64nw FF /6       | x64,long
PUSH es              | 06                | 8086,nolong
PUSH cs              | 0E                | 8086,nolong
PUSH ss              | 16                | 8086,nolong
PUSH ds              | 1E                | 8086,nolong
PUSH fs              | 0F A0             | 386
PUSH gs              | 0F A8             | 386
PUSH =imm8           | 6A ib,s           | 186
PUSH sbyte16         | o16 6A ib,s       | 186,ds,nd
PUSH sbyte32         | o32 6A ib,s       | 386,ds,nolong,nd
PUSH imm16           | o16 68 iw         | 186,ds
PUSH imm32           | o32 68 id         | 386,ds,nolong
PUSH sbyte32         | o64nw 6A ib,s     | x64,long
PUSH sbyte64         | o64nw 6A ib,s     | x64,ds,long
PUSH imm32           | o64nw 68 id,s     | x64,long
PUSH imm64           | o64nw 68 id,s     | x64,ds,long
POP r16              | o16 58+r          | 8086
POP r32              | o32 58+r          | 386,nolong
POP r64              | o64nw 58+r        | x64,long
POP rm16             | o16 8F /0         | 8086
POP rm32             | o32 8F /0         | 386,nolong
POP rm64             | o64nw 8F /0       | x64,long
POP es               | 07                | 8086,nolong
POP cs               | 0F                | 8086,und,nd
POP ss               | 17                | 8086,nolong
POP ds               | 1F                | 8086,nolong
POP fs               | 0F A1             | 386
POP gs               | 0F A9             | 386
PUSHA                | 60                | 186,nolong
PUSHAW               | o16 60            | 186,nolong
PUSHAD               | o32 60            | 386,nolong
POPA                 | 61                | 186,nolong
POPAW                | o16 61            | 186,nolong
POPAD                | o32 61            | 386,nolong
PUSHF                | 9C                | 8086,wx
PUSHFW               | o16 9C            | 8086
PUSHFD               | o32 9C            | 386,nolong
PUSHFQ               | o64nw 9C          | x64,long,wx
POPF                 | 9D                | 8086,wx
POPFW                | o16 9D            | 8086
POPFD                | o32 9D            | 386,nolong
POPFQ                | o64nw 9D          | x64,long,wx

RET                  | C3                | 8086,bnd
RET imm16            | C2 iw             | 8086,sm,bnd
RETN                 | C3                | 8086,bnd
RETN imm16           | C2 iw             | 8086,sm,bnd
RETW                 | o16 C3            | 8086,bnd
RETW imm16           | C2 iw             | 8086,sm,bnd ; nasm 2.16.01 emits no 66h here (measured)
RETD                 | o32 C3            | 8086,bnd,nolong
RETD imm16           | o32 C2 iw         | 8086,sm,bnd,nolong
RETQ                 | o64nw C3          | x64,bnd,long
RETQ imm16           | o64nw C2 iw       | x64,sm,bnd,long
RETF                 | CB                | 8086
RETF imm16           | CA iw             | 8086,sm
RETFW                | o16 CB            | 8086
RETFW imm16          | o16 CA iw         | 8086,sm
RETFD                | o32 CB            | 8086
RETFD imm16          | o32 CA iw         | 8086,sm
RETFQ                | o64 CB            | x64,long
RETFQ imm16          | o64 CA iw         | x64,sm,long
RETNW                | o16 C3            | 8086,bnd
RETNW imm16          | o16 C2 iw         | 8086,sm,bnd
RETND                | o32 C3            | 8086,bnd,nolong
RETND imm16          | o32 C2 iw         | 8086,sm,bnd,nolong
RETNQ                | o64nw C3          | x64,bnd,long
RETNQ imm16          | o64nw C2 iw       | x64,sm,bnd,long
IRET                 | CF                | 8086
IRETW                | o16 CF            | 8086
IRETD                | o32 CF            | 386
IRETQ                | o64 CF            | x64,long
INT imm8             | CD ib,u           | 8086,sm
INT3                 | CC                | 8086
INT1                 | F1                | 386
ICEBP                | F1                | 386
INTO                 | CE                | 8086,nolong
ENTER imm16,imm8     | C8 iw ib,u        | 186,ni
LEAVE                | C9                | 186

NOP                  | 90                | 8086
HLT                  | F4                | 8086
CLI                  | FA                | 8086
STI                  | FB                | 8086
CLD                  | FC                | 8086
STD                  | FD                | 8086
CLC                  | F8                | 8086
STC                  | F9                | 8086
CMC                  | F5                | 8086
CBW                  | o16 98            | 8086
CWDE                 | o32 98            | 386
CWD                  | o16 99            | 8086
CDQ                  | o32 99            | 386
CDQE                 | o64 98            | x64,long
CQO                  | o64 99            | x64,long
LAHF                 | 9F                | 8086
SAHF                 | 9E                | 8086
XLATB                | D7                | 8086
XLAT                 | D7                | 8086
SALC                 | D6                | 8086,und
AAA                  | 37                | 8086,nolong
AAS                  | 3F                | 8086,nolong
DAA                  | 27                | 8086,nolong
DAS                  | 2F                | 8086,nolong
AAM                  | D4 0A             | 8086,nolong
AAM imm8             | D4 ib,u           | 8086,sm,nolong
AAD                  | D5 0A             | 8086,nolong
AAD imm8             | D5 ib,u           | 8086,sm,nolong
WAIT                 | wait              | 8086
FWAIT                | wait              | 8086
PAUSE                | F3 90             | 8086
CPUID                | 0F A2             | 586
RDTSC                | 0F 31             | 586
RDTSCP               | 0F 01 F9          | x64
RDMSR                | 0F 32             | 586
WRMSR                | 0F 30             | 586
RDPMC                | 0F 33             | 686
SYSCALL              | 0F 05             | p6
SYSRET               | 0F 07             | p6
SYSENTER             | 0F 34             | p6
SYSEXIT              | 0F 35             | p6
UD2                  | 0F 0B             | 186
CLTS                 | 0F 06             | 286
INVD                 | 0F 08             | 486
WBINVD               | 0F 09             | 486
RSM                  | 0F AA             | 586
BOUND r16,m          | o16 62 /r         | 186,nolong
BOUND r32,m          | o32 62 /r         | 386,nolong
ARPL rm16,r16        | 63 /r             | 286,sm,nolong

MOVZX r16,rm8        | o16 0F B6 /r      | 386,mnz
MOVZX r32,rm8        | o32 0F B6 /r      | 386
MOVZX r32,rm16       | o32 0F B7 /r      | 386
MOVSX r16,rm8        | o16 0F BE /r      | 386,mnz
MOVSX r32,rm8        | o32 0F BE /r      | 386
MOVSX r32,rm16       | o32 0F BF /r      | 386
MOVZX r64,rm8        | o64 0F B6 /r      | x64,long
MOVZX r64,rm16       | o64 0F B7 /r      | x64,long
MOVSX r64,rm8        | o64 0F BE /r      | x64,long
MOVSX r64,rm16       | o64 0F BF /r      | x64,long
MOVSX r64,rm32       | o64 63 /r         | x64,long,nd
MOVSXD r64,rm32      | o64 63 /r         | x64,long

IN al,imm8           | E4 ib,u           | 8086,sm
IN ax,imm8           | o16 E5 ib,u       | 8086,sm
IN eax,imm8          | o32 E5 ib,u       | 386,sm
IN al,dx             | EC                | 8086,sm
IN ax,dx             | o16 ED            | 8086,sm
IN eax,dx            | o32 ED            | 386,sm
OUT imm8,al          | E6 ib,u           | 8086,sm
OUT imm8,ax          | o16 E7 ib,u       | 8086,sm
OUT imm8,eax         | o32 E7 ib,u       | 386,sm
OUT dx,al            | EE                | 8086,sm
OUT dx,ax            | o16 EF            | 8086,sm
OUT dx,eax           | o32 EF            | 386,sm

BSWAP r32            | o32 0F C8+r       | 486
BSWAP r64            | o64 0F C8+r       | x64,long
BSF r64,rm64         | o64 0F BC /r      | x64,sm,long
BSR r64,rm64         | o64 0F BD /r      | x64,sm,long
XADD rm64,r64        | o64 0F C1 /r      | x64,sm,lock,long
CMPXCHG rm64,r64     | o64 0F B1 /r      | x64,sm,lock,long
SHLD rm64,r64,imm8   | o64 0F A4 /r ib,u | x64,ni,long
SHLD rm64,r64,cl     | o64 0F A5 /r      | x64,long
SHRD rm64,r64,imm8   | o64 0F AC /r ib,u | x64,ni,long
SHRD rm64,r64,cl     | o64 0F AD /r      | x64,long
BSF r16,rm16         | o16 0F BC /r      | 386,sm
BSF r32,rm32         | o32 0F BC /r      | 386,sm
BSR r16,rm16         | o16 0F BD /r      | 386,sm
BSR r32,rm32         | o32 0F BD /r      | 386,sm
XADD rm8,r8          | 0F C0 /r          | 486,sm,lock
XADD rm16,r16        | o16 0F C1 /r      | 486,sm,lock
XADD rm32,r32        | o32 0F C1 /r      | 486,sm,lock
CMPXCHG rm8,r8       | 0F B0 /r          | 586,sm,lock
CMPXCHG rm16,r16     | o16 0F B1 /r      | 586,sm,lock
CMPXCHG rm32,r32     | o32 0F B1 /r      | 586,sm,lock
CMPXCHG8B m64        | 0F C7 /1          | 586,lock
SHLD rm16,r16,imm8   | o16 0F A4 /r ib,u | 386,ni
SHLD rm32,r32,imm8   | o32 0F A4 /r ib,u | 386,ni
SHLD rm16,r16,cl     | o16 0F A5 /r      | 386
SHLD rm32,r32,cl     | o32 0F A5 /r      | 386
SHRD rm16,r16,imm8   | o16 0F AC /r ib,u | 386,ni
SHRD rm32,r32,imm8   | o32 0F AC /r ib,u | 386,ni
SHRD rm16,r16,cl     | o16 0F AD /r      | 386
SHRD rm32,r32,cl     | o32 0F AD /r      | 386
`);
  parts.push(bitTest('BT', 0xa3, 4), bitTest('BTS', 0xab, 5), bitTest('BTR', 0xb3, 6), bitTest('BTC', 0xbb, 7));
  parts.push(
    string('MOVS', 0xa4, '8086'),
    string('CMPS', 0xa6, '8086', ',repe'),
    string('STOS', 0xaa, '8086'),
    string('LODS', 0xac, '8086'),
    string('SCAS', 0xae, '8086', ',repe'),
    string('INS', 0x6c, '186', '', false),
    string('OUTS', 0x6e, '186', '', false),
  );
  parts.push(jumpsAndCalls(), conditionals(), longModeOnly());
  return parts.join('\n');
}
