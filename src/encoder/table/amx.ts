/**
 * AMX (BITS 64 only: "instruction not supported in N-bit mode" elsewhere):
 * tile configuration, loads and stores through a `sibmem` address (always
 * encoded with a SIB byte), and the tile dot products (reg = destination,
 * r/m = first source, vvvv = second). Opcodes from the Intel SDM; forms
 * checked against NASM 2.16.01 (fixtures/encoding/vex).
 */
const AMX = 'x64,long';

export function amxRows(): string {
  return `
LDTILECFG m512                | vex.128.0f38.w0 49 /0          | ${AMX}
STTILECFG m512                | vex.128.66.0f38.w0 49 /0       | ${AMX}
TILERELEASE                   | vex.128.0f38.w0 49 C0          | ${AMX}
TILEZERO tmm                  | vex.128.f2.0f38.w0 49 /r0     | ${AMX}
TILELOADD tmm,sibmem          | vex.128.f2.0f38.w0 4B /r       | ${AMX}
TILELOADDT1 tmm,sibmem        | vex.128.66.0f38.w0 4B /r       | ${AMX}
TILESTORED sibmem,tmm         | vex.128.f3.0f38.w0 4B /r       | ${AMX}
TDPBF16PS tmm,tmm,tmm         | rmv: vex.128.f3.0f38.w0 5C /r  | ${AMX}
TDPBSSD tmm,tmm,tmm           | rmv: vex.128.f2.0f38.w0 5E /r  | ${AMX}
TDPBSUD tmm,tmm,tmm           | rmv: vex.128.f3.0f38.w0 5E /r  | ${AMX}
TDPBUSD tmm,tmm,tmm           | rmv: vex.128.66.0f38.w0 5E /r  | ${AMX}
TDPBUUD tmm,tmm,tmm           | rmv: vex.128.0f38.w0 5E /r     | ${AMX}
`;
}
