/**
 * BITS 64 forms of instructions whose 16/32-bit rows live in the other table
 * files: the 64-bit register and memory forms of SIMD, system and newer
 * general-purpose instructions (`long`: "instruction not supported in N-bit
 * mode" elsewhere). Each row measured against nasm 2.16.01; where NASM uses
 * the 64-bit default operand size without REX.W the row says `o64nw`.
 * See ../table.ts for the notation. These rows come after the mnemonic's
 * other rows; the 16/32-bit rows they replace in BITS 64 carry `nolong`.
 */
export function longRows(): string {
  return `
BNDCL bnd,r64              | F3 0F 1A /r              | x64,long,noo64
BNDCU bnd,r64              | F2 0F 1A /r              | x64,long,noo64
BNDCN bnd,r64              | F2 0F 1B /r              | x64,long,noo64
UD0 r64,rm64               | o64 0F FF /r             | x64,rexw,msz
UD1 r64,rm64               | o64 0F B9 /r             | x64,rexw,msz
MOVDIR64B r64,m512         | a64 66 0F 38 F8 /r       | x64,long,noo64
ENQCMD r64,m512            | a64 F2 o64 0F 38 F8 /r   | x64,long
ENQCMDS r64,m512           | a64 F3 o64 0F 38 F8 /r   | x64,long
LAR r64,m16                | o64 0F 02 /r             | x64,long,ni
LAR r64,r16                | o64 0F 02 /r             | x64,long,ni
LAR r64,r32                | o64 0F 02 /r             | x64,long,ni
LAR r64,r64                | o64 0F 02 /r             | x64,long,ni
LSL r64,m16                | o64 0F 03 /r             | x64,long,ni
LSL r64,r16                | o64 0F 03 /r             | x64,long,ni
LSL r64,r32                | o64 0F 03 /r             | x64,long,ni
LSL r64,r64                | o64 0F 03 /r             | x64,long,ni
JMPE rel32                 | o64nw 0F B8 rd           | ia64,ds,nonear,long,wx ; the default-size (unsized) form in BITS 64
INVEPT r64,m128            | 66 o64nw 0F 38 80 /r     | x64,ni,long,mnz
INVVPID r64,m128           | 66 o64nw 0F 38 81 /r     | x64,ni,long,mnz
INVPCID r64,m128           | 66 o64 0F 38 82 /r       | x64,long
PINSRW xmm,r64,imm8        | 66 o64 0F C4 /r ib,u     | x64,ni,long
PEXTRW r64,xmm,imm8        | 66 o64 0F C5 /r ib,u     | x64,ni,long
PEXTRW r64,xmm,imm8        | mri: 66 o64 0F 3A 15 /r ib,u | x64,long
MOVMSKPS r64,xmm           | o64 0F 50 /r             | x64,long
MOVMSKPD r64,xmm           | 66 o64 0F 50 /r          | x64,long
MOVD rm64,mm               | o64 0F 7E /r             | x64,long,ng,nd
MOVQ mm,rm64               | o64 0F 6E /r             | x64,long,msz
MOVQ rm64,mm               | o64 0F 7E /r             | x64,long,msz
MOVQ xmm,rm64              | 66 o64 0F 6E /r          | x64,long
MOVQ rm64,xmm              | 66 o64 0F 7E /r          | x64,long
CVTSS2SI r64,xmm/m32       | F3 o64 0F 2D /r          | x64,ni,long
CVTSD2SI r64,xmm/m64       | F2 o64 0F 2D /r          | x64,ni,long
CVTTSS2SI r64,xmm/m32      | F3 o64 0F 2C /r          | x64,ni,long
CVTTSD2SI r64,xmm/m64      | F2 o64 0F 2C /r          | x64,ni,long
EXTRACTPS r64,xmm,imm8     | mri: 66 o64 0F 3A 17 /r ib,u | x64,long
PEXTRB r64,xmm,imm8        | mri: 66 o64nw 0F 3A 14 /r ib,u | x64,long
INVLPGA rax,ecx            | a64 0F 01 DF             | x64,long
UMONITOR r64               | a64 F3 0F AE /6          | x64,long,noo64
`;
}
