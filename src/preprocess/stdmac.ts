/**
 * The standard macro package, written for tsnasm. It reproduces what nasm
 * 2.16.01 hands to its assembler (as observed with `nasm -E`): user-level
 * directives become the primitive bracket forms, `align` becomes a
 * `sectalign` plus a `times` fill, and so on. The *shape* (which words are
 * multi-line macros, which push a context) matters because every multi-line
 * macro call and every `%push` consumes one number of the counter that names
 * `%%` and `%$` labels (`..@N.name`), and those names end up in object files.
 */
import { smartalign } from './smartalign.js';

/** Lines run before the user's file, for every output format. */
export const STANDARD_MACROS = String.raw`
%define __?SECT?__
%defalias __SECT__ __?SECT?__
%imacro section 1+.nolist
%define __?SECT?__ [section %1]
__?SECT?__
%endmacro
%imacro segment 1+.nolist
%define __?SECT?__ [segment %1]
__?SECT?__
%endmacro
%define __?SECTALIGN_ALIGN_UPDATES_SECTION?__ 1
%imacro sectalign 1+.nolist
%ifidni %1,off
%define __?SECTALIGN_ALIGN_UPDATES_SECTION?__ 0
%elifidni %1,on
%define __?SECTALIGN_ALIGN_UPDATES_SECTION?__ 1
%else
[sectalign %1]
%endif
%endmacro
%defalias __SECTALIGN_ALIGN_UPDATES_SECTION__ __?SECTALIGN_ALIGN_UPDATES_SECTION?__
%imacro absolute 1+.nolist
%define __?SECT?__ [absolute %1]
__?SECT?__
%endmacro
%imacro struc 1-2.nolist 0
%push
%define %$strucname %1
[absolute %2]
%$strucname:
%endmacro
%imacro endstruc 0.nolist
%{$strucname}_size equ ($-%$strucname)
%pop
__?SECT?__
%endmacro
%imacro istruc 1.nolist
%push
%define %$strucname %1
%$strucstart:
%endmacro
%imacro at 1-2+.nolist
%defstr %$member %1
%substr %$member1 %$member 1
%ifidn %$member1, '.'
times (%$strucname%1-%$strucname)-($-%$strucstart) db 0
%else
times (%1-%$strucname)-($-%$strucstart) db 0
%endif
%2
%endmacro
%imacro iend 0.nolist
times %{$strucname}_size-($-%$strucstart) db 0
%pop
%endmacro
%imacro align 1-2+.nolist nop
%if __?SECTALIGN_ALIGN_UPDATES_SECTION?__
sectalign %1
%endif
times (((%1) - (($-$$) % (%1))) % (%1)) %2
%endmacro
%imacro alignb 1-2+.nolist
%if __?SECTALIGN_ALIGN_UPDATES_SECTION?__
sectalign %1
%endif
%ifempty %2
[warning push]
[warning -zeroing]
resb (((%1) - (($-$$) % (%1))) % (%1))
[warning pop]
%else
times (((%1) - (($-$$) % (%1))) % (%1)) %2
%endif
%endmacro
%imacro bits 1+.nolist
[bits %1]
%endmacro
%imacro use16 0.nolist
[bits 16]
%endmacro
%imacro use32 0.nolist
[bits 32]
%endmacro
%imacro use64 0.nolist
[bits 64]
%endmacro
%imacro extern 1-*.nolist
%rep %0
[extern %1]
%rotate 1
%endrep
%endmacro
%imacro static 1-*.nolist
%rep %0
[static %1]
%rotate 1
%endrep
%endmacro
%imacro global 1-*.nolist
%rep %0
[global %1]
%rotate 1
%endrep
%endmacro
%imacro required 1-*.nolist
%rep %0
[required %1]
%rotate 1
%endrep
%endmacro
%imacro common 1-*.nolist
%rep %0
[common %1]
%rotate 1
%endrep
%endmacro
%imacro cpu 1+.nolist
[cpu %1]
%endmacro
%define __?FLOAT_DAZ?__ nodaz
%define __?FLOAT_ROUND?__ near
%define __?FLOAT?__ __?FLOAT_DAZ?__,__?FLOAT_ROUND?__
%defalias __FLOAT_DAZ__ __?FLOAT_DAZ?__
%defalias __FLOAT_ROUND__ __?FLOAT_ROUND?__
%defalias __FLOAT__ __?FLOAT?__
%imacro float 1-*.nolist
%rep %0
[float %1]
%ifidni %1,daz
%define __?FLOAT_DAZ?__ daz
%elifidni %1,nodaz
%define __?FLOAT_DAZ?__ nodaz
%elifidni %1,near
%define __?FLOAT_ROUND?__ near
%elifidni %1,up
%define __?FLOAT_ROUND?__ up
%elifidni %1,down
%define __?FLOAT_ROUND?__ down
%elifidni %1,zero
%define __?FLOAT_ROUND?__ zero
%elifidni %1,default
%define __?FLOAT_DAZ?__ nodaz
%define __?FLOAT_ROUND?__ near
%endif
%rotate 1
%endrep
%endmacro
%imacro default 1+.nolist
[default %1]
%endmacro
%imacro userel 0.nolist
[default rel]
%endmacro
%imacro useabs 0.nolist
[default abs]
%endmacro
%imacro usebnd 0.nolist
[default bnd]
%endmacro
%imacro usenobnd 0.nolist
[default nobnd]
%endmacro
%imacro incbin 1-2+.nolist 0
%pathsearch __?incbin_path?__ %1
%depend __?incbin_path?__
%? __?incbin_path?__,%2
%undef __?incbin_path?__
%endmacro
%defalias __NASM_MAJOR__ __?NASM_MAJOR?__
%defalias __NASM_MINOR__ __?NASM_MINOR?__
%defalias __NASM_SUBMINOR__ __?NASM_SUBMINOR?__
%defalias __NASM_PATCHLEVEL__ __?NASM_PATCHLEVEL?__
%defalias __NASM_SNAPSHOT__ __?NASM_SNAPSHOT?__
%defalias __NASM_VERSION_ID__ __?NASM_VERSION_ID?__
%defalias __NASM_VER__ __?NASM_VER?__
%defalias __OUTPUT_FORMAT__ __?OUTPUT_FORMAT?__
%defalias __DEBUG_FORMAT__ __?DEBUG_FORMAT?__
%defalias __DATE__ __?DATE?__
%defalias __DATE_NUM__ __?DATE_NUM?__
%defalias __TIME__ __?TIME?__
%defalias __TIME_NUM__ __?TIME_NUM?__
%defalias __UTC_DATE__ __?UTC_DATE?__
%defalias __UTC_DATE_NUM__ __?UTC_DATE_NUM?__
%defalias __UTC_TIME__ __?UTC_TIME?__
%defalias __UTC_TIME_NUM__ __?UTC_TIME_NUM?__
%defalias __POSIX_TIME__ __?POSIX_TIME?__
%defalias __FILE__ __?FILE?__
%defalias __LINE__ __?LINE?__
%defalias __BITS__ __?BITS?__
%defalias __PTR__ __?PTR?__
%defalias __PASS__ __?PASS?__
`;

/** Float-constant and string-function tokens: `__?float32?__` etc. stand for themselves without the `?`. */
export const TOKEN_ALIASES = [
  'infinity',
  'nan',
  'qnan',
  'snan',
  'float8',
  'float16',
  'float32',
  'float64',
  'float80m',
  'float80e',
  'float128l',
  'float128h',
  'utf16',
  'utf16le',
  'utf16be',
  'utf32',
  'utf32le',
  'utf32be',
  'ilog2e',
  'ilog2w',
  'ilog2f',
  'ilog2c',
];

/** Extra macros for each output format. */
export const FORMAT_MACROS: Record<string, string> = {
  bin: String.raw`
%imacro org 1+.nolist
[org %1]
%endmacro
`,
  elf32: String.raw`
%imacro osabi 1+.nolist
[osabi %1]
%endmacro
`,
};

const ALT_REG_NAMES: Array<[string, string]> = [
  ['r0', 'rax'],
  ['r1', 'rcx'],
  ['r2', 'rdx'],
  ['r3', 'rbx'],
  ['r4', 'rsp'],
  ['r5', 'rbp'],
  ['r6', 'rsi'],
  ['r7', 'rdi'],
];

function altreg(): string {
  const lines = ['%define __?USE_ALTREG?__'];
  const low8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'];
  const w16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
  const d32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
  ALT_REG_NAMES.forEach(([alt, reg], i) => {
    lines.push(
      `%idefine ${alt} ${reg}`,
      `%idefine ${alt}l ${low8[i]}`,
      `%idefine ${alt}b ${low8[i]}`,
      `%idefine ${alt}w ${w16[i]}`,
      `%idefine ${alt}d ${d32[i]}`,
    );
    if (i < 4) lines.push(`%idefine ${alt}h ${['ah', 'ch', 'dh', 'bh'][i]}`);
  });
  return lines.join('\n');
}

/**
 * The masm package of nasm 2.16.01 (behaviour measured with nasm -E): `name segment [attrs]` opens
 * section `name`, `name ends`/`name endp`/`end` disappear, `proc far` makes `ret` a `retf` (any other
 * argument a `retn`) until `endp`, `tbyte` is `tword`, `offset` is nothing, and `ptr`/`flat` become
 * the words the operand parser reads as MASM's (`dword ptr x` is the memory at x, `flat:` no
 * segment). It also selects `default rel` (USE_PACKAGE_LINES).
 */
function masm(): string {
  return String.raw`
%unimacro segment 1+
%imacro segment 0-1+.nolist
%define __?SECT?__ [segment %00 %1]
__?SECT?__
%endmacro
%imacro ends 0+.nolist
%null ends %00
%endmacro
%imacro proc 0-*.nolist
%rep %0
%ifidni %1,far
%idefine ret retf
%else
%idefine ret retn
%endif
%rotate 1
%endrep
%endmacro
%imacro endp 0.nolist
%null endp %00
%undef ret
%endmacro
%ifndef st
%idefine st(x) st %+ x
%endif
%idefine ptr __?masm_ptr?__
%idefine flat __?masm_flat?__
%idefine offset
%imacro end 0+.nolist
%endmacro
%idefine tbyte tword
`;
}

/** The line a package gives the assembler where it is used (nasm -E shows it on the `%use` line). */
export const USE_PACKAGE_LINES: Readonly<Record<string, string>> = { masm: '[default rel]' };

/**
 * `%use` packages. smartalign keeps nasm's observable behaviour in -E mode
 * (where the pass is not an assembly pass, align falls back to plain NOP
 * fills) and uses multi-byte NOP fills otherwise.
 */
export const USE_PACKAGES: Record<string, () => string> = {
  altreg,
  smartalign,
  fp: () => String.raw`
%define __?USE_FP?__
%define Inf __?Infinity?__
%define NaN __?QNaN?__
%define QNaN __?QNaN?__
%define SNaN __?SNaN?__
%define float8(x) __?float8?__(x)
%define float16(x) __?float16?__(x)
%define float32(x) __?float32?__(x)
%define float64(x) __?float64?__(x)
%define float80m(x) __?float80m?__(x)
%define float80e(x) __?float80e?__(x)
%define float128l(x) __?float128l?__(x)
%define float128h(x) __?float128h?__(x)
%define bfloat16(x) __?bfloat16?__(x)
%imacro bf16 1-*.nolist
%rep %0
dw __?bfloat16?__(%1)
%rotate 1
%endrep
%endmacro
`,
  masm,
  ifunc: () => String.raw`
%define __?USE_IFUNC?__
%idefine ilog2(x) (__?ilog2e?__(x))
%idefine ilog2e(x) (__?ilog2e?__(x))
%idefine ilog2w(x) (__?ilog2w?__(x))
%idefine ilog2f(x) (__?ilog2f?__(x))
%idefine ilog2c(x) (__?ilog2c?__(x))
%idefine ilog2fw(x) (__?ilog2w?__(x))
%idefine ilog2cw(x) (__?ilog2w?__(x) * 0 + __?ilog2c?__(x))
`,
};
