/**
 * Instruction groups beyond the phase-1 integer core: newer general-purpose
 * instructions, system, x87, MMX, 3DNow!, SSE…SSE4.2, AES-NI, PCLMULQDQ, SHA,
 * GFNI (legacy encodings). Same notation as general.ts; opcodes from the
 * Intel SDM / AMD APM opcode maps.
 */
import { mmxRows, sseRows } from './simd.js';

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** r16/r32 + rm16/rm32 pairs with o16/o32: `NAME r,rm | <pre> o16 <op> /r`. */
function regRm(name: string, pre: string, op: string, cpu: string, flags = ''): string {
  return `
${name} r16,rm16 | o16 ${pre}${op} /r | ${cpu}${flags}
${name} r32,rm32 | o32 ${pre}${op} /r | ${cpu}${flags}
`;
}

function generalExtras(): string {
  let rows = `
NOP rm16               | o16 0F 1F /0        | p6
NOP rm32               | o32 0F 1F /0        | p6
MOVBE r16,m16          | o16 0F 38 F0 /r     | nehalem,msz,np
MOVBE r32,m32          | o32 0F 38 F0 /r     | nehalem,msz,np
MOVBE m16,r16          | o16 0F 38 F1 /r     | nehalem,msz,np
MOVBE m32,r32          | o32 0F 38 F1 /r     | nehalem,msz,np
MOVBE m64,r64          | o64 0F 38 F1 /r     | nehalem,rexw,msz,np
CRC32 r32,rm8          | F2 0F 38 F0 /r      | 8086
CRC32 r32,rm16         | o16 F2 0F 38 F1 /r  | 8086
CRC32 r32,rm32         | o32 F2 0F 38 F1 /r  | 8086,msz
ADCX r32,rm32          | 66 0F 38 F6 /r      | broadwell,msz
ADOX r32,rm32          | F3 0F 38 F6 /r      | broadwell,msz
RDRAND r16             | o16 0F C7 /6        | ivybridge
RDRAND r32             | o32 0F C7 /6        | ivybridge
RDSEED r16             | o16 0F C7 /7        | broadwell
RDSEED r32             | o32 0F C7 /7        | broadwell
RDPID r32              | F3 0F C7 /7         | icelake
MOVNTI m32,r32         | 0F C3 /r            | willamette,sm,np
UD0                    | 0F FF               | 186
UD0 r16,rm16           | o16 0F FF /r        | 186,msz
UD0 r32,rm32           | o32 0F FF /r        | 186,msz
UD1 r16,rm16           | o16 0F B9 /r        | 186,msz
UD1 r32,rm32           | o32 0F B9 /r        | 186,msz
UD1                    | 0F B9               | 186,nd
UD2A                   | 0F 0B               | 186
UD2B                   | 0F B9               | 186,nd
UD2B r16,rm16          | o16 0F B9 /r        | 186,msz
UD2B r32,rm32          | o32 0F B9 /r        | 186,msz
CMPXCHG16B m128        | o64 0F C7 /1            | x64,long
CMPXCHG486 rm8,r8      | 0F A6 /r            | 486,sm,lock,und,nd
CMPXCHG486 rm16,r16    | o16 0F A7 /r        | 486,sm,lock,und,nd
CMPXCHG486 rm32,r32    | o32 0F A7 /r        | 486,sm,lock,und,nd
XBTS r16,rm16          | o16 0F A6 /r        | 386,sm,und,nd
XBTS r32,rm32          | o32 0F A6 /r        | 386,sm,und,nd
IBTS rm16,r16          | o16 0F A7 /r        | 386,sm,und,nd
IBTS rm32,r32          | o32 0F A7 /r        | 386,sm,und,nd
UMOV rm8,r8            | 0F 10 /r            | 386,sm,und,nd
UMOV rm16,r16          | o16 0F 11 /r        | 386,sm,und,nd
UMOV rm32,r32          | o32 0F 11 /r        | 386,sm,und,nd
UMOV r8,rm8            | 0F 12 /r            | 386,sm,und,nd
UMOV r16,rm16          | o16 0F 13 /r        | 386,sm,und,nd
UMOV r32,rm32          | o32 0F 13 /r        | 386,sm,und,nd
INT01                  | F1                  | 386
INT03                  | CC                  | 8086
XABORT imm8            | C6 F8 ib,uw         | future,sm
XBEGIN rel16           | o16 C7 F8 rw        | future,ds,nolong
XBEGIN rel32           | o32 C7 F8 rd        | future,ds,nolong
XBEGIN rel64           | C7 F8 rd            | x64,long
FXSAVE64 m             | o64 0F AE /0            | x64,long,np
FXRSTOR64 m            | o64 0F AE /1            | x64,long,np
XSAVE64 m              | o64 0F AE /4            | x64,long,np
XRSTOR64 m             | o64 0F AE /5            | x64,long,np
XSAVEOPT64 m           | o64 0F AE /6            | x64,long,np
XSAVEC64 m             | o64 0F C7 /4            | x64,long,np
XSAVES64 m             | o64 0F C7 /5            | x64,long,np
XRSTORS64 m            | o64 0F C7 /3            | x64,long,np
PINSRQ xmm,rm64,imm8   | 66 o64 0F 3A 22 /r ib,u | x64,long
PEXTRQ rm64,xmm,imm8   | 66 o64 0F 3A 16 /r ib,u | x64,long
PTWRITE rm32           | 0F AE /4            | future,np
PTWRITE rm64           | o64 0F AE /4            | future,long,fz,np
GETSEC                 | 0F 37               | katmai
MOVNTSS m32,xmm        | F3 0F 2B /r         | 8086
MOVNTSD m64,xmm        | F2 0F 2B /r         | 8086
EXTRQ xmm,imm8,imm8    | 66 0F 78 /0 ib,u ib,u | 8086,ni
EXTRQ xmm,xmm          | 66 0F 79 /r         | 8086
INSERTQ xmm,xmm,imm8,imm8 | F2 0F 78 /r ib,u ib,u | 8086,ni
INSERTQ xmm,xmm        | F2 0F 79 /r         | 8086
MOVDIRI m32,r32        | 0F 38 F9 /r         | future,sm,msz,np
MOVDIRI m64,r64        | o64 0F 38 F9 /r         | x64,long,np,msz
MOVDIR64B r16,m512        | a16 66 0F 38 F8 /r  | future,nolong
MOVDIR64B r32,m512        | a32 66 0F 38 F8 /r  | future
ENQCMD r16,m512           | a16 F2 0F 38 F8 /r  | future,aprefix,nolong
ENQCMD r32,m512           | a16 F2 0F 38 F8 /r  | future,aprefix
ENQCMDS r16,m512          | a16 F3 0F 38 F8 /r  | future,aprefix,nolong
ENQCMDS r32,m512          | a16 F3 0F 38 F8 /r  | future,aprefix
CLDEMOTE m             | 0F 1C /0            | future,np
PREFETCHIT0 m8         | 0F 18 /7            | future
PREFETCHIT1 m8         | 0F 18 /6            | future
AADD m32,r32           | 0F 38 FC /r         | future,sm,msz
AAND m32,r32           | 66 0F 38 FC /r      | future,sm,msz
AXOR m32,r32           | F3 0F 38 FC /r      | future,sm,msz
WRSSD m32,r32          | o32 0F 38 F6 /r     | future,sm,msz
WRUSSD m32,r32         | o32 66 0F 38 F5 /r  | future,sm,msz
BNDMK bnd,mib          | F3 0F 1B /r         | future
BNDCL bnd,m            | F3 0F 1A /r         | future
BNDCL bnd,r32          | F3 0F 1A /r         | future,nolong
BNDCU bnd,m            | F2 0F 1A /r         | future
BNDCU bnd,r32          | F2 0F 1A /r         | future,nolong
BNDCN bnd,m            | F2 0F 1B /r         | future
BNDCN bnd,r32          | F2 0F 1B /r         | future,nolong
BNDMOV bnd,bnd/m       | 66 0F 1A /r         | future
BNDMOV bnd/m,bnd       | 66 0F 1B /r         | future
BNDLDX bnd,mib         | 0F 1A /r            | future
BNDLDX bnd,mib,r32     | rm-: 0F 1A /r       | future,nolong,nd
BNDLDX bnd,mib,r64     | rm-: 0F 1A /r       | future,long,nd
BNDSTX mib,bnd         | 0F 1B /r            | future
BNDSTX mib,bnd,r32     | mr-: 0F 1B /r       | future,nolong,nd
BNDSTX mib,r32,bnd     | m-r: 0F 1B /r       | future,nolong,nd
BNDSTX mib,bnd,r64     | mr-: 0F 1B /r       | future,long,nd
BNDSTX mib,r64,bnd     | m-r: 0F 1B /r       | future,long,nd
CLFLUSH m              | 0F AE /7            | willamette,np
CLFLUSHOPT m           | 66 0F AE /7         | skylake
CLWB m                 | 66 0F AE /6         | skylake
LFENCE                 | 0F AE E8            | willamette
MFENCE                 | 0F AE F0            | willamette
SFENCE                 | 0F AE F8            | katmai
PREFETCHNTA m8         | 0F 18 /0            | katmai
PREFETCHT0 m8          | 0F 18 /1            | katmai
PREFETCHT1 m8          | 0F 18 /2            | katmai
PREFETCHT2 m8          | 0F 18 /3            | katmai
PREFETCH m64           | 0F 0D /0            | 586,ni
PREFETCHW m64          | 0F 0D /1            | 586,ni
PREFETCHWT1 m8         | 0F 0D /2            | future
`;
  rows += regRm('POPCNT', 'F3 ', '0F B8', 'nehalem', ',msz');
  rows += regRm('LZCNT', 'F3 ', '0F BD', 'p6', ',msz'); // NASM's level for LZCNT (measured)
  rows += regRm('TZCNT', 'F3 ', '0F BC', 'haswell', ',msz');
  // The hint NOPs: 0F 18 … 0F 1F with every /digit.
  for (let n = 0; n < 64; n++) {
    const op = hex(0x18 + (n >> 3));
    rows += `HINT_NOP${n} rm16 | o16 0F ${op} /${n & 7} | p6\nHINT_NOP${n} rm32 | o32 0F ${op} /${n & 7} | p6\n`;
    rows += `HINT_NOP${n} rm64 | o64 0F ${op} /${n & 7} | x64,long\n`;
  }
  return rows;
}

function systemRows(): string {
  return `
LGDT m                 | 0F 01 /2            | 286
SGDT m                 | 0F 01 /0            | 286
LIDT m                 | 0F 01 /3            | 286
SIDT m                 | 0F 01 /1            | 286
LLDT rm16              | 0F 00 /2            | 286,ni
SLDT m16               | 0F 00 /0            | 286,ni
SLDT r16               | o16 0F 00 /0        | 286,ni
SLDT r32               | o32 0F 00 /0        | 386,ni
LTR rm16               | 0F 00 /3            | 286,ni
STR m16                | 0F 00 /1            | 286,ni
STR r16                | o16 0F 00 /1        | 286,ni
STR r32                | o32 0F 00 /1        | 386,ni
VERR rm16              | 0F 00 /4            | 286,ni
VERW rm16              | 0F 00 /5            | 286,ni
LMSW rm16              | 0F 01 /6            | 286,ni
SMSW m16               | 0F 01 /4            | 286,ni
SMSW r16               | o16 0F 01 /4        | 286,ni
SMSW r32               | o32 0F 01 /4        | 386,ni
LAR r16,m16            | o16 0F 02 /r        | 286,ni
LAR r16,r16            | o16 0F 02 /r        | 286,ni
LAR r16,r32            | o16 0F 02 /r        | 386,ni
LAR r32,m16            | o32 0F 02 /r        | 386,ni
LAR r32,r16            | o32 0F 02 /r        | 386,ni
LAR r32,r32            | o32 0F 02 /r        | 386,ni
LSL r16,m16            | o16 0F 03 /r        | 286,ni
LSL r16,r16            | o16 0F 03 /r        | 286,ni
LSL r16,r32            | o16 0F 03 /r        | 386,ni
LSL r32,m16            | o32 0F 03 /r        | 386,ni
LSL r32,r16            | o32 0F 03 /r        | 386,ni
LSL r32,r32            | o32 0F 03 /r        | 386,ni
INVLPG m               | 0F 01 /7            | 486
JMPE rm16              | o16 0F 00 /6        | ia64
JMPE rm32              | o32 0F 00 /6        | ia64
JMPE rel16             | o16 0F B8 rw        | ia64,ds,nonear
JMPE rel32             | o32 0F B8 rd        | ia64,ds,nonear
LDMXCSR m32            | 0F AE /2            | katmai,np
STMXCSR m32            | 0F AE /3            | katmai,np
FXSAVE m               | 0F AE /0            | p6,np
FXRSTOR m              | 0F AE /1            | p6,np
XSAVE m                | 0F AE /4            | nehalem,np
XRSTOR m               | 0F AE /5            | nehalem,np
XSAVEOPT m             | 0F AE /6            | future,np
XSAVEC m               | 0F C7 /4            | skylake,np
XSAVES m               | 0F C7 /5            | skylake,np
XRSTORS m              | 0F C7 /3            | skylake,np
XGETBV                 | 0F 01 D0            | nehalem
XSETBV                 | 0F 01 D1            | nehalem
MONITOR                | 0F 01 C8            | prescott
MONITOR eax,ecx,edx    | 0F 01 C8            | prescott,nolong
MWAIT                  | 0F 01 C9            | prescott
MWAIT eax,ecx          | 0F 01 C9            | prescott
CLAC                   | 0F 01 CA            | broadwell
STAC                   | 0F 01 CB            | broadwell
VMCALL                 | 0F 01 C1            | 8086
VMLAUNCH               | 0F 01 C2            | 8086
VMRESUME               | 0F 01 C3            | 8086
VMXOFF                 | 0F 01 C4            | 8086
VMFUNC                 | 0F 01 D4            | 8086
VMPTRLD m              | 0F C7 /6            | 8086,np
VMPTRST m              | 0F C7 /7            | 8086,np
VMCLEAR m              | 66 0F C7 /6         | 8086
VMXON m                | F3 0F C7 /6         | 8086
VMREAD rm32,r32        | 0F 78 /r            | 8086,nolong,msz,np
VMWRITE r32,rm32       | 0F 79 /r            | 8086,nolong,msz,np
VMREAD rm64,r64        | o64nw 0F 78 /r            | x64,long,msz,np
VMWRITE r64,rm64       | o64nw 0F 79 /r            | x64,long,msz,np
INVEPT r32,m128        | 66 0F 38 80 /r      | 8086,ni,nolong
INVVPID r32,m128       | 66 0F 38 81 /r      | 8086,ni,nolong
INVPCID r32,m128       | 66 0F 38 82 /r      | haswell,nolong
VMRUN                  | 0F 01 D8            | 8086
VMMCALL                | 0F 01 D9            | 8086
VMLOAD                 | 0F 01 DA            | 8086
VMSAVE                 | 0F 01 DB            | 8086
STGI                   | 0F 01 DC            | 8086
CLGI                   | 0F 01 DD            | 8086
SKINIT                 | 0F 01 DE            | x64,long
INVLPGA                | 0F 01 DF            | x64
INVLPGA eax,ecx        | a32 0F 01 DF        | x64
INVLPGA ax,ecx         | a16 0F 01 DF        | x64,nolong
RDFSBASE r32           | F3 0F AE /0         | future,long
RDFSBASE r64           | o64 F3 0F AE /0         | x64,long
RDGSBASE r64           | o64 F3 0F AE /1         | x64,long
WRFSBASE r64           | o64 F3 0F AE /2         | x64,long
WRGSBASE r64           | o64 F3 0F AE /3         | x64,long
RDPID r64              | F3 0F C7 /7         | x64,long,noo64
LAR r16,r64            | o16 0F 02 /r        | x64,long,ni
LAR r32,r64            | 0F 02 /r            | x64,long,ni
LSL r16,r64            | o16 0F 03 /r        | x64,long,ni
LSL r32,r64            | 0F 03 /r            | x64,long,ni
SLDT r64               | o64nw 0F 00 /0            | x64,long
STR r64                | o64 0F 00 /1            | x64,long
SMSW r64               | o64 0F 01 /4            | x64,long
AADD m64,r64           | o64 0F 38 FC /r         | x64,long,msz
AAND m64,r64           | o64 66 0F 38 FC /r      | x64,long
AXOR m64,r64           | o64 F3 0F 38 FC /r      | x64,long
CVTSI2SS xmm,rm64      | o64 F3 0F 2A /r         | x64,long,ni,ng
CVTSI2SD xmm,rm64      | o64 F2 0F 2A /r         | x64,long,ni,ng
RDGSBASE r32           | F3 0F AE /1         | future,long
WRFSBASE r32           | F3 0F AE /2         | future,long
WRGSBASE r32           | F3 0F AE /3         | future,long
WBNOINVD               | F3 0F 09            | future
MONITORX               | 0F 01 FA            | 8086
MONITORX eax,ecx,edx   | 0F 01 FA            | 8086
MONITORX ax,ecx,edx    | 0F 01 FA            | 8086
MWAITX                 | 0F 01 FB            | 8086
MWAITX eax,ecx         | 0F 01 FB            | 8086
CLZERO                 | 0F 01 FC            | future
CLZERO ax              | a16 0F 01 FC        | future,nolong
CLZERO eax             | a32 0F 01 FC        | future
CLZERO rax             | a64 0F 01 FC            | x64,long
PCONFIG                | 0F 01 C5            | future
VMGEXIT                | F2 0F 01 C1         | 8086
ENDBR32                | F3 0F 1E FB         | future
ENDBR64                | F3 0F 1E FA         | future
CLRSSBSY m64           | F3 0F AE /6         | future
RSTORSSP m64           | F3 0F 01 /5         | future
INCSSPD r32            | o32 F3 0F AE /5     | future
RDSSPD r32             | o32 F3 0F 1E /1     | future
SAVEPREVSSP            | F3 0F 01 EA         | future
SETSSBSY               | F3 0F 01 E8         | future
UMONITOR r16           | a16 F3 0F AE /6     | future,nolong
UMONITOR r32           | a32 F3 0F AE /6     | future
UMWAIT r32             | F2 0F AE /6         | future
TPAUSE r32             | 66 0F AE /6         | future
LOADALL                | 0F 07               | 386
LOADALL286             | 0F 05               | 286
SMI                    | F1                  | 386
RDSHR rm32             | o32 0F 36 /0        | p6,cyrix
WRSHR rm32             | o32 0F 37 /0        | p6,cyrix
SMINT                  | 0F 38               | p6,cyrix,nd
SMINTOLD               | 0F 7E               | 486,cyrix,nd
SVDC m80,sreg          | 0F 78 /r            | 486,cyrix
RSDC sreg,m80          | 0F 79 /r            | 486,cyrix
SVLDT m80              | 0F 7A /0            | 486,cyrix,nd
RSLDT m80              | 0F 7B /0            | 486,cyrix
SVTS m80               | 0F 7C /0            | 486,cyrix
RSTS m80               | 0F 7D /0            | 486,cyrix
CPU_WRITE              | 0F 3C               | 586
CPU_READ               | 0F 3D               | 586
DMINT                  | 0F 39               | p6
RDM                    | 0F 3A               | p6,cyrix,nd
XSTORE                 | 0F A7 C0            | 586
XCRYPTECB              | F3 0F A7 C8         | 586,rs
XCRYPTCBC              | F3 0F A7 D0         | 586,rs
XCRYPTCTR              | F3 0F A7 D8         | 586,rs
XCRYPTCFB              | F3 0F A7 E0         | 586,rs
XCRYPTOFB              | F3 0F A7 E8         | 586,rs
MONTMUL                | F3 0F A6 C0         | 586,rs
XSHA1                  | F3 0F A6 C8         | 586,rs
XSHA256                | F3 0F A6 D0         | 586,rs
ENCLS                  | 0F 01 CF            | future
ENCLU                  | 0F 01 D7            | future
ENCLV                  | 0F 01 C0            | future
XEND                   | 0F 01 D5            | future
XTEST                  | 0F 01 D6            | future
RDPKRU                 | 0F 01 EE            | future,long
WRPKRU                 | 0F 01 EF            | future,long
SERIALIZE              | 0F 01 E8            | future
PCOMMIT                | 66 0F AE F8         | future
XRESLDTRK              | F2 0F 01 E9         | future
XSUSLDTRK              | F2 0F 01 E8         | future
PVALIDATE              | F2 0F 01 FF         | 8086
RMPADJUST              | F3 0F 01 FE         | 8086
HRESET imm8            | F3 0F 3A F0 C0 ib,uw | future,sm
HRESET imm8,eax        | F3 0F 3A F0 C0 ib,uw | future
UIRET                  | F3 0F 01 EC         | future,long
TESTUI                 | F3 0F 01 ED         | future,long
CLUI                   | F3 0F 01 EE         | future,long
STUI                   | F3 0F 01 EF         | future,long
WRMSRNS                | 0F 01 C6            | future,long
RDMSRLIST              | F2 0F 01 C6         | future,long
WRMSRLIST              | F3 0F 01 C6         | future,long`;
}

function x87Rows(): string {
  let rows = `
FLD                  | D9 C1          | 8086,nd
FLD m32              | D9 /0          | 8086
FLD m64              | DD /0          | 8086
FLD m80              | DB /5          | 8086
FLD fpureg           | D9 C0+r        | 8086
FST                  | DD D1          | 8086,nd
FST m32              | D9 /2          | 8086
FST m64              | DD /2          | 8086
FST fpureg           | DD D0+r        | 8086
FSTP                 | DD D9          | 8086,nd
FSTP m32             | D9 /3          | 8086
FSTP m64             | DD /3          | 8086
FSTP m80             | DB /7          | 8086
FSTP fpureg          | DD D8+r        | 8086
FILD m16             | DF /0          | 8086
FILD m32             | DB /0          | 8086
FILD m64             | DF /5          | 8086
FIST m16             | DF /2          | 8086
FIST m32             | DB /2          | 8086
FISTP m16            | DF /3          | 8086
FISTP m32            | DB /3          | 8086
FISTP m64            | DF /7          | 8086
FISTTP m16           | DF /1          | prescott
FISTTP m32           | DB /1          | prescott
FISTTP m64           | DD /1          | prescott
FBLD m80             | DF /4          | 8086
FBLD m               | DF /4          | 8086
FBSTP m80            | DF /6          | 8086
FBSTP m              | DF /6          | 8086
FXCH                 | D9 C9          | 8086,nd
FXCH fpureg          | D9 C8+r        | 8086
FXCH fpureg,st0      | D9 C8+r        | 8086
FXCH st0,fpureg      | D9 C8+r        | 8086
FFREE                | DD C1          | 8086,nd
FFREE fpureg         | DD C0+r        | 8086
FFREEP               | DF C1          | 286,nd
FFREEP fpureg        | DF C0+r        | 286
FCOM                 | D8 D1          | 8086,nd
FCOMP                | D8 D9          | 8086,nd
FCOMPP               | DE D9          | 8086
FUCOM                | DD E1          | 386,nd
FUCOM fpureg         | DD E0+r        | 386
FUCOM st0,fpureg     | DD E0+r        | 386
FUCOMP               | DD E9          | 386,nd
FUCOMP fpureg        | DD E8+r        | 386
FUCOMP st0,fpureg    | DD E8+r        | 386
FUCOMPP              | DA E9          | 386
FCOMI                | DB F1          | p6,nd
FCOMI fpureg         | DB F0+r        | p6
FCOMI st0,fpureg     | DB F0+r        | p6
FCOMIP               | DF F1          | p6,nd
FCOMIP fpureg        | DF F0+r        | p6
FCOMIP st0,fpureg    | DF F0+r        | p6
FUCOMI               | DB E9          | p6,nd
FUCOMI fpureg        | DB E8+r        | p6
FUCOMI st0,fpureg    | DB E8+r        | p6
FUCOMIP              | DF E9          | p6,nd
FUCOMIP fpureg       | DF E8+r        | p6
FUCOMIP st0,fpureg   | DF E8+r        | p6
FLDCW m16            | D9 /5          | 8086,ni
FNSTCW m16           | D9 /7          | 8086,ni
FSTCW m16            | wait D9 /7     | 8086,ni
FNSTSW m16           | DD /7          | 8086,ni
FNSTSW ax            | DF E0          | 286,ni
FSTSW m16            | wait DD /7     | 8086,ni
FSTSW ax             | wait DF E0     | 286,ni
FLDENV m             | D9 /4          | 8086
FNSTENV m            | D9 /6          | 8086
FSTENV m             | wait D9 /6     | 8086
FRSTOR m             | DD /4          | 8086
FNSAVE m             | DD /6          | 8086
FSAVE m              | wait DD /6     | 8086
FNCLEX               | DB E2          | 8086
FCLEX                | wait DB E2     | 8086
FNINIT               | DB E3          | 8086
FINIT                | wait DB E3     | 8086
FNENI                | DB E0          | 8086
FENI                 | wait DB E0     | 8086
FNDISI               | DB E1          | 8086
FDISI                | wait DB E1     | 8086
FSETPM               | DB E4          | 286
`;
  // Operand-less D9 xx forms; the third column is the cpu level when not 8086 (NASM puts the 387 additions at 386).
  const noOps: Array<[string, number, string?]> = [
    ['FNOP', 0xd0],
    ['FCHS', 0xe0],
    ['FABS', 0xe1],
    ['FTST', 0xe4],
    ['FXAM', 0xe5],
    ['FLD1', 0xe8],
    ['FLDL2T', 0xe9],
    ['FLDL2E', 0xea],
    ['FLDPI', 0xeb],
    ['FLDLG2', 0xec],
    ['FLDLN2', 0xed],
    ['FLDZ', 0xee],
    ['F2XM1', 0xf0],
    ['FYL2X', 0xf1],
    ['FPTAN', 0xf2],
    ['FPATAN', 0xf3],
    ['FXTRACT', 0xf4],
    ['FPREM1', 0xf5, '386'],
    ['FDECSTP', 0xf6],
    ['FINCSTP', 0xf7],
    ['FPREM', 0xf8],
    ['FYL2XP1', 0xf9],
    ['FSQRT', 0xfa],
    ['FSINCOS', 0xfb, '386'],
    ['FRNDINT', 0xfc],
    ['FSCALE', 0xfd],
    ['FSIN', 0xfe, '386'],
    ['FCOS', 0xff, '386'],
  ];
  for (const [name, op, cpu = '8086'] of noOps) rows += `${name} | D9 ${hex(op)} | ${cpu}\n`;
  // The eight arithmetic operations: /digit in D8/DC (memory) and their register forms.
  const arith: Array<[string, number, number, number]> = [
    // name, digit, DC "to" base (st(i) op= st0), DE "p" base
    ['ADD', 0, 0xc0, 0xc0],
    ['MUL', 1, 0xc8, 0xc8],
    ['SUB', 4, 0xe8, 0xe8],
    ['SUBR', 5, 0xe0, 0xe0],
    ['DIV', 6, 0xf8, 0xf8],
    ['DIVR', 7, 0xf0, 0xf0],
  ];
  for (const [name, n, to, pop] of arith) {
    const d8 = 0xc0 + n * 8;
    rows += `
F${name} m32            | D8 /${n}        | 8086
F${name} m64            | DC /${n}        | 8086
F${name}                | DE ${hex(pop + 1)}       | 8086,nd
F${name} fpureg         | D8 ${hex(d8)}+r      | 8086
F${name} fpureg,st0     | DC ${hex(to)}+r      | 8086
F${name} st0,fpureg     | D8 ${hex(d8)}+r      | 8086
F${name} to:fpureg      | DC ${hex(to)}+r      | 8086
F${name}P               | DE ${hex(pop + 1)}       | 8086,nd
F${name}P fpureg        | DE ${hex(pop)}+r      | 8086
F${name}P fpureg,st0    | DE ${hex(pop)}+r      | 8086
FI${name} m16           | DE /${n}        | 8086
FI${name} m32           | DA /${n}        | 8086
`;
  }
  for (const [name, n] of [
    ['COM', 2],
    ['COMP', 3],
  ] as const) {
    rows += `
F${name} m32          | D8 /${n}        | 8086
F${name} m64          | DC /${n}        | 8086
F${name} fpureg       | D8 ${hex(0xc0 + n * 8)}+r     | 8086
F${name} st0,fpureg   | D8 ${hex(0xc0 + n * 8)}+r     | 8086
FI${name} m16         | DE /${n}        | 8086
FI${name} m32         | DA /${n}        | 8086
`;
  }
  const fcmov: Array<[string, string]> = [
    ['B', 'DA C0'],
    ['E', 'DA C8'],
    ['BE', 'DA D0'],
    ['U', 'DA D8'],
    ['NB', 'DB C0'],
    ['NE', 'DB C8'],
    ['NBE', 'DB D0'],
    ['NU', 'DB D8'],
  ];
  for (const [cc, op] of fcmov) {
    rows += `FCMOV${cc} | ${op.slice(0, 2)} ${hex(parseInt(op.slice(3), 16) + 1)} | p6,nd\nFCMOV${cc} fpureg | ${op}+r | p6\nFCMOV${cc} st0,fpureg | ${op}+r | p6\n`;
  }
  return rows;
}

function threeDNowRows(): string {
  const ops: Array<[string, number]> = [
    ['PAVGUSB', 0xbf],
    ['PF2ID', 0x1d],
    ['PFACC', 0xae],
    ['PFADD', 0x9e],
    ['PFCMPEQ', 0xb0],
    ['PFCMPGE', 0x90],
    ['PFCMPGT', 0xa0],
    ['PFMAX', 0xa4],
    ['PFMIN', 0x94],
    ['PFMUL', 0xb4],
    ['PFRCP', 0x96],
    ['PFRCPIT1', 0xa6],
    ['PFRCPIT2', 0xb6],
    ['PFRSQIT1', 0xa7],
    ['PFRSQRT', 0x97],
    ['PFSUB', 0x9a],
    ['PFSUBR', 0xaa],
    ['PI2FD', 0x0d],
    ['PMULHRWA', 0xb7],
    ['PF2IW', 0x1c],
    ['PFNACC', 0x8a],
    ['PFPNACC', 0x8e],
    ['PI2FW', 0x0c],
    ['PSWAPD', 0xbb],
    ['PFRCPV', 0x86],
    ['PFRSQRTV', 0x87],
  ];
  let rows =
    'FEMMS | 0F 0E | 586\n' +
    `PAVEB mm,mm/m64 | 0F 50 /r | 586,cyrix,noo64
PADDSIW mm,mm/m64 | 0F 51 /r | 586,cyrix,noo64
PMAGW mm,mm/m64 | 0F 52 /r | 586,cyrix,noo64
PDISTIB mm,m | 0F 54 /r | 586,cyrix
PSUBSIW mm,mm/m64 | 0F 55 /r | 586,cyrix,noo64
PMVZB mm,m64 | 0F 58 /r | 586,cyrix
PMULHRWC mm,mm/m64 | 0F 59 /r | 586,cyrix,noo64
PMVNZB mm,m64 | 0F 5A /r | 586,cyrix
PMVLZB mm,m64 | 0F 5B /r | 586,cyrix
PMVGEZB mm,m64 | 0F 5C /r | 586,cyrix
PMULHRIW mm,mm/m64 | 0F 5D /r | 586,cyrix,noo64
PMACHRIW mm,m | 0F 5E /r | 586,cyrix
`;
  for (const [name, op] of ops) rows += `${name} mm,mm/m64 | 0F 0F /r ${hex(op)} | 586,noo64\n`;
  return rows;
}

export function extraRows(): string {
  return [generalExtras(), systemRows(), x87Rows(), mmxRows(), threeDNowRows(), sseRows()].join('\n');
}
