/**
 * MMX, SSE … SSE4.2, SSSE3, AES-NI, PCLMULQDQ, SHA and GFNI (legacy encodings),
 * one complete row per form (notation in ../table.ts). Opcodes from the Intel
 * SDM / AMD APM opcode maps; cpu levels and the sizing flags (`ni`, `xs`,
 * `nx`) measured against NASM 2.16.01.
 *
 * Sizing flags in this file, as NASM sizes these instructions (measured):
 *   ni  the operands are sized as a whole: a memory operand of another size is
 *       "mismatch in operand sizes" (`pxor xmm1,qword [x]`), not "invalid combination".
 *   xs  a size keyword on the plain XMM register is accepted at the row's
 *       memory size (`haddpd oword xmm1,xmm2`, `pmovzxbw qword xmm1,xmm2`).
 *   nx  any size keyword on the register is a mismatch (`movq qword xmm1,xmm2`).
 */

export function mmxRows(): string {
  return `
EMMS                              | 0F 77                   | 586
MOVD mm,rm32                      | 0F 6E /r                | 586,msz
MOVD rm32,mm                      | 0F 7E /r                | 586,msz
MOVD xmm,rm32                     | 66 0F 6E /r             | willamette,ni
MOVD rm32,xmm                     | 66 0F 7E /r             | willamette,ni
MOVD mm,rm64                      | o64 0F 6E /r                | x64,long,ng,nd
MOVQ mm,mm/m64                    | 0F 6F /r                | 586
MOVQ mm/m64,mm                    | 0F 7F /r                | 586
MOVQ xmm,xmm/m64                  | F3 0F 7E /r             | willamette,ni,nx
MOVQ xmm/m64,xmm                  | 66 0F D6 /r             | willamette,ni,nx
MOVQ2DQ xmm,mm                    | F3 0F D6 /r             | willamette
MOVDQ2Q mm,xmm                    | F2 0F D6 /r             | willamette
PSHUFW mm,mm/m,imm8               | 0F 70 /r ib,uw          | katmai,ni,noo64
PSHUFD xmm,xmm/m,imm8             | 66 0F 70 /r ib,uw       | willamette,ni
PSHUFHW xmm,xmm/m,imm8            | F3 0F 70 /r ib,uw       | willamette,ni
PSHUFLW xmm,xmm/m,imm8            | F2 0F 70 /r ib,uw       | willamette,ni
PINSRW mm,r32/m16,imm8            | 0F C4 /r ib,u           | katmai,ni
PINSRW xmm,r32/m16,imm8           | 66 0F C4 /r ib,u        | willamette,ni
PINSRW mm,r16,imm8                | 0F C4 /r ib,u           | katmai,ni
PINSRW xmm,r16,imm8               | 66 0F C4 /r ib,u        | willamette,ni
PEXTRW r32,mm,imm8                | 0F C5 /r ib,u           | katmai,ni
PEXTRW r32,xmm,imm8               | 66 0F C5 /r ib,u        | willamette,ni
PEXTRW r32/m16,xmm,imm8           | 66 0F 3A 15 /r ib,u     | 8086
PMOVMSKB r32,mm                   | 0F D7 /r                | katmai
PMOVMSKB r32,xmm                  | 66 0F D7 /r             | willamette
MOVNTQ m64,mm                     | 0F E7 /r                | katmai
MOVNTDQ m128,xmm                  | 66 0F E7 /r             | willamette,ni
MASKMOVQ mm,mm                    | 0F F7 /r                | katmai,nx
MASKMOVDQU xmm,xmm                | 66 0F F7 /r             | willamette
PUNPCKLQDQ xmm,xmm/m128           | 66 0F 6C /r             | willamette,ni
PUNPCKHQDQ xmm,xmm/m128           | 66 0F 6D /r             | willamette,ni
PSRLDQ xmm,imm8                   | 66 0F 73 /3 ib,u        | willamette,inz
PSLLDQ xmm,imm8                   | 66 0F 73 /7 ib,u        | willamette,inz
; MMX arithmetic with its 66-prefixed SSE2 form. NASM's cpu levels (measured): MMX is 586, the SSE-era
; additions katmai/willamette. ni on the XMM memory forms: NASM sizes these as a whole, so a wrong memory
; size is "mismatch in operand sizes" (pxor xmm1,qword [x]), not "invalid combination".
; PMULUDQ/PSUBQ's MMX forms take m128 like their SSE2 forms (measured: pmuludq mm1,oword [x] assembles).
PUNPCKLBW mm,mm/m64               | 0F 60 /r                | 586,noo64
PUNPCKLBW xmm,xmm/m128            | 66 0F 60 /r             | willamette,ni
PUNPCKLWD mm,mm/m64               | 0F 61 /r                | 586,noo64
PUNPCKLWD xmm,xmm/m128            | 66 0F 61 /r             | willamette,ni
PUNPCKLDQ mm,mm/m64               | 0F 62 /r                | 586,noo64
PUNPCKLDQ xmm,xmm/m128            | 66 0F 62 /r             | willamette,ni
PACKSSWB mm,mm/m64                | 0F 63 /r                | 586,noo64
PACKSSWB xmm,xmm/m128             | 66 0F 63 /r             | willamette,ni
PCMPGTB mm,mm/m64                 | 0F 64 /r                | 586,noo64
PCMPGTB xmm,xmm/m128              | 66 0F 64 /r             | willamette,ni
PCMPGTW mm,mm/m64                 | 0F 65 /r                | 586,noo64
PCMPGTW xmm,xmm/m128              | 66 0F 65 /r             | willamette,ni
PCMPGTD mm,mm/m64                 | 0F 66 /r                | 586,noo64
PCMPGTD xmm,xmm/m128              | 66 0F 66 /r             | willamette,ni
PACKUSWB mm,mm/m64                | 0F 67 /r                | 586,noo64
PACKUSWB xmm,xmm/m128             | 66 0F 67 /r             | willamette,ni
PUNPCKHBW mm,mm/m64               | 0F 68 /r                | 586,noo64
PUNPCKHBW xmm,xmm/m128            | 66 0F 68 /r             | willamette,ni
PUNPCKHWD mm,mm/m64               | 0F 69 /r                | 586,noo64
PUNPCKHWD xmm,xmm/m128            | 66 0F 69 /r             | willamette,ni
PUNPCKHDQ mm,mm/m64               | 0F 6A /r                | 586,noo64
PUNPCKHDQ xmm,xmm/m128            | 66 0F 6A /r             | willamette,ni
PACKSSDW mm,mm/m64                | 0F 6B /r                | 586,noo64
PACKSSDW xmm,xmm/m128             | 66 0F 6B /r             | willamette,ni
PCMPEQB mm,mm/m64                 | 0F 74 /r                | 586,noo64
PCMPEQB xmm,xmm/m128              | 66 0F 74 /r             | willamette,ni
PCMPEQW mm,mm/m64                 | 0F 75 /r                | 586,noo64
PCMPEQW xmm,xmm/m128              | 66 0F 75 /r             | willamette,ni
PCMPEQD mm,mm/m64                 | 0F 76 /r                | 586,noo64
PCMPEQD xmm,xmm/m128              | 66 0F 76 /r             | willamette,ni
PSRLW mm,mm/m64                   | 0F D1 /r                | 586,noo64
PSRLW xmm,xmm/m128                | 66 0F D1 /r             | willamette,ni
PSRLD mm,mm/m64                   | 0F D2 /r                | 586,noo64
PSRLD xmm,xmm/m128                | 66 0F D2 /r             | willamette,ni
PSRLQ mm,mm/m64                   | 0F D3 /r                | 586,noo64
PSRLQ xmm,xmm/m128                | 66 0F D3 /r             | willamette,ni
PADDQ mm,mm/m64                   | 0F D4 /r                | willamette
PADDQ xmm,xmm/m128                | 66 0F D4 /r             | willamette,ni
PMULLW mm,mm/m64                  | 0F D5 /r                | 586,noo64
PMULLW xmm,xmm/m128               | 66 0F D5 /r             | willamette,ni
PSUBUSB mm,mm/m64                 | 0F D8 /r                | 586,noo64
PSUBUSB xmm,xmm/m128              | 66 0F D8 /r             | willamette,ni
PSUBUSW mm,mm/m64                 | 0F D9 /r                | 586,noo64
PSUBUSW xmm,xmm/m128              | 66 0F D9 /r             | willamette,ni
PMINUB mm,mm/m64                  | 0F DA /r                | katmai,noo64
PMINUB xmm,xmm/m128               | 66 0F DA /r             | willamette,ni
PAND mm,mm/m64                    | 0F DB /r                | 586,noo64
PAND xmm,xmm/m128                 | 66 0F DB /r             | willamette,ni
PADDUSB mm,mm/m64                 | 0F DC /r                | 586,noo64
PADDUSB xmm,xmm/m128              | 66 0F DC /r             | willamette,ni
PADDUSW mm,mm/m64                 | 0F DD /r                | 586,noo64
PADDUSW xmm,xmm/m128              | 66 0F DD /r             | willamette,ni
PMAXUB mm,mm/m64                  | 0F DE /r                | katmai,noo64
PMAXUB xmm,xmm/m128               | 66 0F DE /r             | willamette,ni
PANDN mm,mm/m64                   | 0F DF /r                | 586,noo64
PANDN xmm,xmm/m128                | 66 0F DF /r             | willamette,ni
PAVGB mm,mm/m64                   | 0F E0 /r                | katmai,noo64
PAVGB xmm,xmm/m128                | 66 0F E0 /r             | willamette,ni
PSRAW mm,mm/m64                   | 0F E1 /r                | 586,noo64
PSRAW xmm,xmm/m128                | 66 0F E1 /r             | willamette,ni
PSRAD mm,mm/m64                   | 0F E2 /r                | 586,noo64
PSRAD xmm,xmm/m128                | 66 0F E2 /r             | willamette,ni
PAVGW mm,mm/m64                   | 0F E3 /r                | katmai,noo64
PAVGW xmm,xmm/m128                | 66 0F E3 /r             | willamette,ni
PMULHUW mm,mm/m64                 | 0F E4 /r                | katmai,noo64
PMULHUW xmm,xmm/m128              | 66 0F E4 /r             | willamette,ni
PMULHW mm,mm/m64                  | 0F E5 /r                | 586,noo64
PMULHW xmm,xmm/m128               | 66 0F E5 /r             | willamette,ni
PSUBSB mm,mm/m64                  | 0F E8 /r                | 586,noo64
PSUBSB xmm,xmm/m128               | 66 0F E8 /r             | willamette,ni
PSUBSW mm,mm/m64                  | 0F E9 /r                | 586,noo64
PSUBSW xmm,xmm/m128               | 66 0F E9 /r             | willamette,ni
PMINSW mm,mm/m64                  | 0F EA /r                | katmai,noo64
PMINSW xmm,xmm/m128               | 66 0F EA /r             | willamette,ni
POR mm,mm/m64                     | 0F EB /r                | 586,noo64
POR xmm,xmm/m128                  | 66 0F EB /r             | willamette,ni
PADDSB mm,mm/m64                  | 0F EC /r                | 586,noo64
PADDSB xmm,xmm/m128               | 66 0F EC /r             | willamette,ni
PADDSW mm,mm/m64                  | 0F ED /r                | 586,noo64
PADDSW xmm,xmm/m128               | 66 0F ED /r             | willamette,ni
PMAXSW mm,mm/m64                  | 0F EE /r                | katmai,noo64
PMAXSW xmm,xmm/m128               | 66 0F EE /r             | willamette,ni
PXOR mm,mm/m64                    | 0F EF /r                | 586,noo64
PXOR xmm,xmm/m128                 | 66 0F EF /r             | willamette,ni
PSLLW mm,mm/m64                   | 0F F1 /r                | 586,noo64
PSLLW xmm,xmm/m128                | 66 0F F1 /r             | willamette,ni
PSLLD mm,mm/m64                   | 0F F2 /r                | 586,noo64
PSLLD xmm,xmm/m128                | 66 0F F2 /r             | willamette,ni
PSLLQ mm,mm/m64                   | 0F F3 /r                | 586,noo64
PSLLQ xmm,xmm/m128                | 66 0F F3 /r             | willamette,ni
PMULUDQ mm,mm/m128                | 0F F4 /r                | willamette,ni,nx,noo64
PMULUDQ xmm,xmm/m128              | 66 0F F4 /r             | willamette,ni
PMADDWD mm,mm/m64                 | 0F F5 /r                | 586,noo64
PMADDWD xmm,xmm/m128              | 66 0F F5 /r             | willamette,ni
PSADBW mm,mm/m64                  | 0F F6 /r                | katmai,noo64
PSADBW xmm,xmm/m128               | 66 0F F6 /r             | willamette,ni
PSUBB mm,mm/m64                   | 0F F8 /r                | 586,noo64
PSUBB xmm,xmm/m128                | 66 0F F8 /r             | willamette,ni
PSUBW mm,mm/m64                   | 0F F9 /r                | 586,noo64
PSUBW xmm,xmm/m128                | 66 0F F9 /r             | willamette,ni
PSUBD mm,mm/m64                   | 0F FA /r                | 586,noo64
PSUBD xmm,xmm/m128                | 66 0F FA /r             | willamette,ni
PSUBQ mm,mm/m128                  | 0F FB /r                | willamette,ni,nx,noo64
PSUBQ xmm,xmm/m128                | 66 0F FB /r             | willamette,ni
PADDB mm,mm/m64                   | 0F FC /r                | 586,noo64
PADDB xmm,xmm/m128                | 66 0F FC /r             | willamette,ni
PADDW mm,mm/m64                   | 0F FD /r                | 586,noo64
PADDW xmm,xmm/m128                | 66 0F FD /r             | willamette,ni
PADDD mm,mm/m64                   | 0F FE /r                | 586,noo64
PADDD xmm,xmm/m128                | 66 0F FE /r             | willamette,ni
; Shifts by an immediate (0F 71/72/73 /digit).
PSRLW mm,imm8                     | 0F 71 /2 ib,u           | 586,ni
PSRLW xmm,imm8                    | 66 0F 71 /2 ib,u        | willamette,inz
PSRAW mm,imm8                     | 0F 71 /4 ib,u           | 586,ni
PSRAW xmm,imm8                    | 66 0F 71 /4 ib,u        | willamette,inz
PSLLW mm,imm8                     | 0F 71 /6 ib,u           | 586,ni
PSLLW xmm,imm8                    | 66 0F 71 /6 ib,u        | willamette,inz
PSRLD mm,imm8                     | 0F 72 /2 ib,u           | 586,ni
PSRLD xmm,imm8                    | 66 0F 72 /2 ib,u        | willamette,inz
PSRAD mm,imm8                     | 0F 72 /4 ib,u           | 586,ni
PSRAD xmm,imm8                    | 66 0F 72 /4 ib,u        | willamette,inz
PSLLD mm,imm8                     | 0F 72 /6 ib,u           | 586,ni
PSLLD xmm,imm8                    | 66 0F 72 /6 ib,u        | willamette,inz
PSRLQ mm,imm8                     | 0F 73 /2 ib,u           | 586,ni
PSRLQ xmm,imm8                    | 66 0F 73 /2 ib,u        | willamette,inz
PSLLQ mm,imm8                     | 0F 73 /6 ib,u           | 586,ni
PSLLQ xmm,imm8                    | 66 0F 73 /6 ib,u        | willamette,inz
; SSSE3 (0F 38 xx, MMX and 66-prefixed XMM forms).
PSHUFB mm,mm/m64                  | 0F 38 00 /r             | 8086
PSHUFB xmm,xmm/m128               | 66 0F 38 00 /r          | 8086
PHADDW mm,mm/m64                  | 0F 38 01 /r             | 8086
PHADDW xmm,xmm/m128               | 66 0F 38 01 /r          | 8086
PHADDD mm,mm/m64                  | 0F 38 02 /r             | 8086
PHADDD xmm,xmm/m128               | 66 0F 38 02 /r          | 8086
PHADDSW mm,mm/m64                 | 0F 38 03 /r             | 8086
PHADDSW xmm,xmm/m128              | 66 0F 38 03 /r          | 8086
PMADDUBSW mm,mm/m64               | 0F 38 04 /r             | 8086
PMADDUBSW xmm,xmm/m128            | 66 0F 38 04 /r          | 8086
PHSUBW mm,mm/m64                  | 0F 38 05 /r             | 8086
PHSUBW xmm,xmm/m128               | 66 0F 38 05 /r          | 8086
PHSUBD mm,mm/m64                  | 0F 38 06 /r             | 8086
PHSUBD xmm,xmm/m128               | 66 0F 38 06 /r          | 8086
PHSUBSW mm,mm/m64                 | 0F 38 07 /r             | 8086
PHSUBSW xmm,xmm/m128              | 66 0F 38 07 /r          | 8086
PSIGNB mm,mm/m64                  | 0F 38 08 /r             | 8086
PSIGNB xmm,xmm/m128               | 66 0F 38 08 /r          | 8086
PSIGNW mm,mm/m64                  | 0F 38 09 /r             | 8086
PSIGNW xmm,xmm/m128               | 66 0F 38 09 /r          | 8086
PSIGND mm,mm/m64                  | 0F 38 0A /r             | 8086
PSIGND xmm,xmm/m128               | 66 0F 38 0A /r          | 8086
PMULHRSW mm,mm/m64                | 0F 38 0B /r             | 8086
PMULHRSW xmm,xmm/m128             | 66 0F 38 0B /r          | 8086
PABSB mm,mm/m64                   | 0F 38 1C /r             | 8086
PABSB xmm,xmm/m128                | 66 0F 38 1C /r          | 8086
PABSW mm,mm/m64                   | 0F 38 1D /r             | 8086
PABSW xmm,xmm/m128                | 66 0F 38 1D /r          | 8086
PABSD mm,mm/m64                   | 0F 38 1E /r             | 8086
PABSD xmm,xmm/m128                | 66 0F 38 1E /r          | 8086
PALIGNR mm,mm/m64,imm8            | 0F 3A 0F /r ib,u        | 8086,ni
PALIGNR xmm,xmm/m,imm8            | 66 0F 3A 0F /r ib,u     | 8086,ni
`;
}

export function sseRows(): string {
  return `
MOVUPS xmm,xmm/m128               | 0F 10 /r                | katmai
MOVUPS xmm/m128,xmm               | 0F 11 /r                | katmai
MOVUPD xmm,xmm/m128               | 66 0F 10 /r             | willamette
MOVUPD xmm/m128,xmm               | 66 0F 11 /r             | willamette
MOVSS xmm,xmm/m32                 | F3 0F 10 /r             | katmai
MOVSS xmm/m32,xmm                 | F3 0F 11 /r             | katmai
MOVSD xmm,xmm/m64                 | F2 0F 10 /r             | willamette
MOVSD xmm/m64,xmm                 | F2 0F 11 /r             | willamette
; MOVLPS before MOVHLPS, MOVHPS before MOVLHPS: the order ndisasm tries them in, which shows when it reads
; a 16-bit address as a register (src/disasm/decode.ts, registerFromAddress: 0F 12 10 stays movlps).
MOVLPS xmm,m64                    | 0F 12 /r                | katmai
MOVHLPS xmm,xmm                   | 0F 12 /r                | katmai
MOVLPS m64,xmm                    | 0F 13 /r                | katmai
MOVLPD xmm,m64                    | 66 0F 12 /r             | willamette
MOVLPD m64,xmm                    | 66 0F 13 /r             | willamette
MOVSLDUP xmm,xmm/m128             | F3 0F 12 /r             | prescott
MOVDDUP xmm,xmm/m64               | F2 0F 12 /r             | prescott,xs
MOVSHDUP xmm,xmm/m128             | F3 0F 16 /r             | prescott
UNPCKLPS xmm,xmm/m128             | 0F 14 /r                | katmai
UNPCKLPD xmm,xmm/m128             | 66 0F 14 /r             | willamette
UNPCKHPS xmm,xmm/m128             | 0F 15 /r                | katmai
UNPCKHPD xmm,xmm/m128             | 66 0F 15 /r             | willamette
MOVHPS xmm,m64                    | 0F 16 /r                | katmai
MOVLHPS xmm,xmm                   | 0F 16 /r                | katmai
MOVHPS m64,xmm                    | 0F 17 /r                | katmai
MOVHPD xmm,m64                    | 66 0F 16 /r             | willamette
MOVHPD m64,xmm                    | 66 0F 17 /r             | willamette
MOVAPS xmm,xmm/m128               | 0F 28 /r                | katmai
MOVAPS xmm/m128,xmm               | 0F 29 /r                | katmai
MOVAPD xmm,xmm/m128               | 66 0F 28 /r             | willamette
MOVAPD xmm/m128,xmm               | 66 0F 29 /r             | willamette
CVTPI2PS xmm,mm/m64               | 0F 2A /r                | katmai
CVTPI2PD xmm,mm/m64               | 66 0F 2A /r             | willamette,ni
CVTSI2SS xmm,rm32                 | F3 0F 2A /r             | katmai,ni,msz
CVTSI2SD xmm,rm32                 | F2 0F 2A /r             | willamette,ni,msz
MOVNTPS m128,xmm                  | 0F 2B /r                | katmai
MOVNTPD m128,xmm                  | 66 0F 2B /r             | willamette,ni
CVTTPS2PI mm,xmm/m64              | 0F 2C /r                | katmai,mnz
CVTTPD2PI mm,xmm/m128             | 66 0F 2C /r             | willamette,ni
CVTTSS2SI r32,xmm/m32             | F3 0F 2C /r             | katmai,ni
CVTTSD2SI r32,xmm/m64             | F2 0F 2C /r             | willamette,ni
CVTPS2PI mm,xmm/m64               | 0F 2D /r                | katmai
CVTPD2PI mm,xmm/m128              | 66 0F 2D /r             | willamette,ni
CVTSS2SI r32,xmm/m32              | F3 0F 2D /r             | katmai,ni
CVTSD2SI r32,xmm/m64              | F2 0F 2D /r             | willamette,ni
UCOMISS xmm,xmm/m32               | 0F 2E /r                | katmai
UCOMISD xmm,xmm/m64               | 66 0F 2E /r             | willamette
COMISS xmm,xmm/m32                | 0F 2F /r                | katmai
COMISD xmm,xmm/m64                | 66 0F 2F /r             | willamette
MOVMSKPS r32,xmm                  | 0F 50 /r                | katmai
MOVMSKPD r32,xmm                  | 66 0F 50 /r             | willamette
RSQRTPS xmm,xmm/m128              | 0F 52 /r                | katmai
RSQRTSS xmm,xmm/m32               | F3 0F 52 /r             | katmai
RCPPS xmm,xmm/m128                | 0F 53 /r                | katmai
RCPSS xmm,xmm/m32                 | F3 0F 53 /r             | katmai
CVTPS2PD xmm,xmm/m64              | 0F 5A /r                | willamette,ni
CVTPD2PS xmm,xmm/m128             | 66 0F 5A /r             | willamette,ni
CVTSS2SD xmm,xmm/m32              | F3 0F 5A /r             | willamette,ni
CVTSD2SS xmm,xmm/m64              | F2 0F 5A /r             | willamette,ni
CVTDQ2PS xmm,xmm/m128             | 0F 5B /r                | willamette,ni
CVTPS2DQ xmm,xmm/m128             | 66 0F 5B /r             | willamette,ni
CVTTPS2DQ xmm,xmm/m128            | F3 0F 5B /r             | willamette,ni
MOVDQA xmm,xmm/m128               | 66 0F 6F /r             | willamette,xs
MOVDQA xmm/m128,xmm               | 66 0F 7F /r             | willamette,xs
MOVDQU xmm,xmm/m128               | F3 0F 6F /r             | willamette,xs
MOVDQU xmm/m128,xmm               | F3 0F 7F /r             | willamette,xs
HADDPD xmm,xmm/m128               | 66 0F 7C /r             | prescott,xs
HADDPS xmm,xmm/m128               | F2 0F 7C /r             | prescott,xs
HSUBPD xmm,xmm/m128               | 66 0F 7D /r             | prescott,xs
HSUBPS xmm,xmm/m128               | F2 0F 7D /r             | prescott,xs
ADDSUBPD xmm,xmm/m128             | 66 0F D0 /r             | prescott,xs
ADDSUBPS xmm,xmm/m128             | F2 0F D0 /r             | prescott,xs
LDDQU xmm,m128                    | F2 0F F0 /r             | prescott
CVTTPD2DQ xmm,xmm/m128            | 66 0F E6 /r             | willamette,ni
CVTDQ2PD xmm,xmm/m64              | F3 0F E6 /r             | willamette,ni
CVTPD2DQ xmm,xmm/m128             | F2 0F E6 /r             | willamette,ni
SHUFPS xmm,xmm/m128,imm8          | 0F C6 /r ib,u           | katmai
SHUFPD xmm,xmm/m128,imm8          | 66 0F C6 /r ib,u        | willamette
CMPPS xmm,xmm/m128,imm8           | 0F C2 /r ib,u           | katmai
CMPPD xmm,xmm/m128,imm8           | 66 0F C2 /r ib,u        | willamette
CMPSS xmm,xmm/m32,imm8            | F3 0F C2 /r ib,u        | katmai
CMPSD xmm,xmm/m128,imm8           | F2 0F C2 /r ib,u        | willamette
; Packed/scalar single/double quartets: ps (none), pd (66), ss (F3), sd (F2).
SQRTPS xmm,xmm/m128               | 0F 51 /r                | katmai
SQRTPD xmm,xmm/m128               | 66 0F 51 /r             | willamette,xs
SQRTSS xmm,xmm/m32                | F3 0F 51 /r             | katmai
SQRTSD xmm,xmm/m64                | F2 0F 51 /r             | willamette
ANDPS xmm,xmm/m128                | 0F 54 /r                | katmai
ANDPD xmm,xmm/m128                | 66 0F 54 /r             | willamette,ni
ANDNPS xmm,xmm/m128               | 0F 55 /r                | katmai
ANDNPD xmm,xmm/m128               | 66 0F 55 /r             | willamette,ni
ORPS xmm,xmm/m128                 | 0F 56 /r                | katmai
ORPD xmm,xmm/m128                 | 66 0F 56 /r             | willamette,xs
XORPS xmm,xmm/m128                | 0F 57 /r                | katmai
XORPD xmm,xmm/m128                | 66 0F 57 /r             | willamette
ADDPS xmm,xmm/m128                | 0F 58 /r                | katmai
ADDPD xmm,xmm/m128                | 66 0F 58 /r             | willamette,ni
ADDSS xmm,xmm/m32                 | F3 0F 58 /r             | katmai
ADDSD xmm,xmm/m64                 | F2 0F 58 /r             | willamette,ni
MULPS xmm,xmm/m128                | 0F 59 /r                | katmai
MULPD xmm,xmm/m128                | 66 0F 59 /r             | willamette,xs
MULSS xmm,xmm/m32                 | F3 0F 59 /r             | katmai
MULSD xmm,xmm/m64                 | F2 0F 59 /r             | willamette,xs
SUBPS xmm,xmm/m128                | 0F 5C /r                | katmai
SUBPD xmm,xmm/m128                | 66 0F 5C /r             | willamette,xs
SUBSS xmm,xmm/m32                 | F3 0F 5C /r             | katmai
SUBSD xmm,xmm/m64                 | F2 0F 5C /r             | willamette
MINPS xmm,xmm/m128                | 0F 5D /r                | katmai
MINPD xmm,xmm/m128                | 66 0F 5D /r             | willamette,ni
MINSS xmm,xmm/m32                 | F3 0F 5D /r             | katmai
MINSD xmm,xmm/m64                 | F2 0F 5D /r             | willamette,ni
DIVPS xmm,xmm/m128                | 0F 5E /r                | katmai
DIVPD xmm,xmm/m128                | 66 0F 5E /r             | willamette,ni
DIVSS xmm,xmm/m32                 | F3 0F 5E /r             | katmai
DIVSD xmm,xmm/m64                 | F2 0F 5E /r             | willamette,ni
MAXPS xmm,xmm/m128                | 0F 5F /r                | katmai
MAXPD xmm,xmm/m128                | 66 0F 5F /r             | willamette,ni
MAXSS xmm,xmm/m32                 | F3 0F 5F /r             | katmai
MAXSD xmm,xmm/m64                 | F2 0F 5F /r             | willamette,ni
; CMPccPS/PD/SS/SD pseudo-instructions: the predicate is the trailing immediate byte.
CMPEQPS xmm,xmm/m128              | 0F C2 /r 00             | katmai
CMPEQPD xmm,xmm/m128              | 66 0F C2 /r 00          | willamette,ni
CMPEQSS xmm,xmm/m32               | F3 0F C2 /r 00          | katmai
CMPEQSD xmm,xmm/m64               | F2 0F C2 /r 00          | willamette,ni
CMPLTPS xmm,xmm/m128              | 0F C2 /r 01             | katmai
CMPLTPD xmm,xmm/m128              | 66 0F C2 /r 01          | willamette,ni
CMPLTSS xmm,xmm/m32               | F3 0F C2 /r 01          | katmai
CMPLTSD xmm,xmm/m64               | F2 0F C2 /r 01          | willamette,ni
CMPLEPS xmm,xmm/m128              | 0F C2 /r 02             | katmai
CMPLEPD xmm,xmm/m128              | 66 0F C2 /r 02          | willamette,ni
CMPLESS xmm,xmm/m32               | F3 0F C2 /r 02          | katmai
CMPLESD xmm,xmm/m64               | F2 0F C2 /r 02          | willamette,ni
CMPUNORDPS xmm,xmm/m128           | 0F C2 /r 03             | katmai
CMPUNORDPD xmm,xmm/m128           | 66 0F C2 /r 03          | willamette,ni
CMPUNORDSS xmm,xmm/m32            | F3 0F C2 /r 03          | katmai
CMPUNORDSD xmm,xmm/m64            | F2 0F C2 /r 03          | willamette,ni
CMPNEQPS xmm,xmm/m128             | 0F C2 /r 04             | katmai
CMPNEQPD xmm,xmm/m128             | 66 0F C2 /r 04          | willamette,ni
CMPNEQSS xmm,xmm/m32              | F3 0F C2 /r 04          | katmai
CMPNEQSD xmm,xmm/m64              | F2 0F C2 /r 04          | willamette,ni
CMPNLTPS xmm,xmm/m128             | 0F C2 /r 05             | katmai
CMPNLTPD xmm,xmm/m128             | 66 0F C2 /r 05          | willamette,ni
CMPNLTSS xmm,xmm/m32              | F3 0F C2 /r 05          | katmai
CMPNLTSD xmm,xmm/m64              | F2 0F C2 /r 05          | willamette,ni
CMPNLEPS xmm,xmm/m128             | 0F C2 /r 06             | katmai
CMPNLEPD xmm,xmm/m128             | 66 0F C2 /r 06          | willamette,ni
CMPNLESS xmm,xmm/m32              | F3 0F C2 /r 06          | katmai
CMPNLESD xmm,xmm/m64              | F2 0F C2 /r 06          | willamette,ni
CMPORDPS xmm,xmm/m128             | 0F C2 /r 07             | katmai
CMPORDPD xmm,xmm/m128             | 66 0F C2 /r 07          | willamette,ni
CMPORDSS xmm,xmm/m32              | F3 0F C2 /r 07          | katmai
CMPORDSD xmm,xmm/m64              | F2 0F C2 /r 07          | willamette,ni
; SSE4.1 / SSE4.2, AES-NI, GFNI (66 0F 38 / 66 0F 3A).
PTEST xmm,xmm/m128                | 66 0F 38 17 /r          | 8086
PMOVSXBW xmm,xmm/m64              | 66 0F 38 20 /r          | 8086,xs
PMOVSXBD xmm,xmm/m32              | 66 0F 38 21 /r          | 8086
PMOVSXBQ xmm,xmm/m16              | 66 0F 38 22 /r          | 8086
PMOVSXWD xmm,xmm/m64              | 66 0F 38 23 /r          | 8086,xs
PMOVSXWQ xmm,xmm/m32              | 66 0F 38 24 /r          | 8086
PMOVSXDQ xmm,xmm/m64              | 66 0F 38 25 /r          | 8086,xs
PMULDQ xmm,xmm/m128               | 66 0F 38 28 /r          | 8086
PCMPEQQ xmm,xmm/m128              | 66 0F 38 29 /r          | 8086
PACKUSDW xmm,xmm/m128             | 66 0F 38 2B /r          | 8086
PMOVZXBW xmm,xmm/m64              | 66 0F 38 30 /r          | 8086,xs
PMOVZXBD xmm,xmm/m32              | 66 0F 38 31 /r          | 8086
PMOVZXBQ xmm,xmm/m16              | 66 0F 38 32 /r          | 8086
PMOVZXWD xmm,xmm/m64              | 66 0F 38 33 /r          | 8086,xs
PMOVZXWQ xmm,xmm/m32              | 66 0F 38 34 /r          | 8086
PMOVZXDQ xmm,xmm/m64              | 66 0F 38 35 /r          | 8086,xs
PCMPGTQ xmm,xmm/m128              | 66 0F 38 37 /r          | 8086
PMINSB xmm,xmm/m128               | 66 0F 38 38 /r          | 8086
PMINSD xmm,xmm/m128               | 66 0F 38 39 /r          | 8086
PMINUW xmm,xmm/m128               | 66 0F 38 3A /r          | 8086
PMINUD xmm,xmm/m128               | 66 0F 38 3B /r          | 8086
PMAXSB xmm,xmm/m128               | 66 0F 38 3C /r          | 8086
PMAXSD xmm,xmm/m128               | 66 0F 38 3D /r          | 8086
PMAXUW xmm,xmm/m128               | 66 0F 38 3E /r          | 8086
PMAXUD xmm,xmm/m128               | 66 0F 38 3F /r          | 8086
PMULLD xmm,xmm/m128               | 66 0F 38 40 /r          | 8086
PHMINPOSUW xmm,xmm/m128           | 66 0F 38 41 /r          | 8086
AESIMC xmm,xmm/m128               | 66 0F 38 DB /r          | westmere
AESENC xmm,xmm/m128               | 66 0F 38 DC /r          | westmere
AESENCLAST xmm,xmm/m128           | 66 0F 38 DD /r          | westmere
AESDEC xmm,xmm/m128               | 66 0F 38 DE /r          | westmere
AESDECLAST xmm,xmm/m128           | 66 0F 38 DF /r          | westmere
GF2P8MULB xmm,xmm/m128            | 66 0F 38 CF /r          | future
MOVNTDQA xmm,m128                 | 66 0F 38 2A /r          | 8086
PBLENDVB xmm,xmm/m,xmm0           | 66 0F 38 10 /r          | 8086,mnz
PBLENDVB xmm,xmm/m128             | 66 0F 38 10 /r          | 8086,mnz,nd
BLENDVPS xmm,xmm/m128,xmm0        | 66 0F 38 14 /r          | 8086
BLENDVPS xmm,xmm/m128             | 66 0F 38 14 /r          | 8086,nd
BLENDVPD xmm,xmm/m128,xmm0        | 66 0F 38 15 /r          | 8086
BLENDVPD xmm,xmm/m128             | 66 0F 38 15 /r          | 8086,nd
SHA1NEXTE xmm,xmm/m128            | 0F 38 C8 /r             | future
SHA1MSG1 xmm,xmm/m128             | 0F 38 C9 /r             | future
SHA1MSG2 xmm,xmm/m128             | 0F 38 CA /r             | future
SHA256RNDS2 xmm,xmm/m128,xmm0     | 0F 38 CB /r             | future
SHA256RNDS2 xmm,xmm/m128          | 0F 38 CB /r             | future,nd
SHA256MSG1 xmm,xmm/m128           | 0F 38 CC /r             | future
SHA256MSG2 xmm,xmm/m128           | 0F 38 CD /r             | future
SHA1RNDS4 xmm,xmm/m128,imm8       | 0F 3A CC /r ib,uw       | future
PEXTRB r32/m8,xmm,imm8            | 66 0F 3A 14 /r ib,u     | 8086
PEXTRD rm32,xmm,imm8              | 66 0F 3A 16 /r ib,u     | 8086
EXTRACTPS rm32,xmm,imm8           | 66 0F 3A 17 /r ib,u     | 8086
PINSRB xmm,r32/m8,imm8            | 66 0F 3A 20 /r ib,u     | 8086,mnz
PINSRB xmm,r8,imm8                | 66 0F 3A 20 /r ib,u     | 8086,norex
INSERTPS xmm,xmm/m32,imm8         | 66 0F 3A 21 /r ib,u     | 8086
PINSRD xmm,rm32,imm8              | 66 0F 3A 22 /r ib,u     | 8086
AESKEYGENASSIST xmm,xmm/m128,imm8 | 66 0F 3A DF /r ib,uw    | westmere
PCLMULQDQ xmm,xmm/m128,imm8       | 66 0F 3A 44 /r ib,uw    | westmere
PCLMULLQLQDQ xmm,xmm/m128         | 66 0F 3A 44 /r 00       | westmere
PCLMULHQLQDQ xmm,xmm/m128         | 66 0F 3A 44 /r 01       | westmere
PCLMULLQHQDQ xmm,xmm/m128         | 66 0F 3A 44 /r 10       | westmere
PCLMULHQHQDQ xmm,xmm/m128         | 66 0F 3A 44 /r 11       | westmere
GF2P8AFFINEQB xmm,xmm/m128,imm8   | 66 0F 3A CE /r ib,uw    | future
GF2P8AFFINEINVQB xmm,xmm/m128,imm8| 66 0F 3A CF /r ib,uw    | future
ROUNDPS xmm,xmm/m128,imm8         | 66 0F 3A 08 /r ib,u     | 8086
ROUNDPD xmm,xmm/m128,imm8         | 66 0F 3A 09 /r ib,u     | 8086
ROUNDSS xmm,xmm/m32,imm8          | 66 0F 3A 0A /r ib,u     | 8086
ROUNDSD xmm,xmm/m64,imm8          | 66 0F 3A 0B /r ib,u     | 8086
BLENDPS xmm,xmm/m128,imm8         | 66 0F 3A 0C /r ib,u     | 8086
BLENDPD xmm,xmm/m128,imm8         | 66 0F 3A 0D /r ib,u     | 8086
PBLENDW xmm,xmm/m128,imm8         | 66 0F 3A 0E /r ib,u     | 8086
DPPS xmm,xmm/m128,imm8            | 66 0F 3A 40 /r ib,u     | 8086
DPPD xmm,xmm/m128,imm8            | 66 0F 3A 41 /r ib,u     | 8086
MPSADBW xmm,xmm/m128,imm8         | 66 0F 3A 42 /r ib,u     | 8086
PCMPESTRM xmm,xmm/m128,imm8       | 66 0F 3A 60 /r ib,u     | 8086
PCMPESTRI xmm,xmm/m128,imm8       | 66 0F 3A 61 /r ib,u     | 8086
PCMPISTRM xmm,xmm/m128,imm8       | 66 0F 3A 62 /r ib,u     | 8086
PCMPISTRI xmm,xmm/m128,imm8       | 66 0F 3A 63 /r ib,u     | 8086
`;
}
