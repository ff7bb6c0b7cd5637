/**
 * The `%use smartalign` package: `alignmode` and an `align` that pads code with multi-byte NOPs.
 *
 * The NOPs (measured from nasm 2.16.01's output) are kept the way nasm keeps them: one
 * single-line macro per code size and NOP length, and a group size (the NOP repeated for long
 * pads). Each `alignmode` redefines only some of them, so a mode can keep part of the previous
 * mode's NOPs: in BITS 16, k7 sets the 1–4 byte NOPs but keeps the group (generic's 8-byte
 * `lea si` `lea di` pair after loading the package; p6's or k8's 4 after those modes).
 *
 * When assembling, `align` is one native statement (`__?smartalign_fill?__`, read by
 * src/parse/smartalign-fill.ts): it names the alignment, the jump threshold, the code size, the
 * group and the NOPs, and the assembler chooses the bytes from `$` in each pass (src/asm/smartalign.ts),
 * which is what nasm's macro computes in its preprocessor. A macro-text fill took a dozen
 * statements per `align`; files repeat `align` by the hundred thousand.
 */

import type { DirectiveCall, DirectiveTable } from './directives/types.js';
import type { PreprocessorState } from './state.js';
import { detokenize, tokenize, trimWs, type Tok } from './tokenize.js';

/** The native statement's keyword (src/parse/smartalign-fill.ts reads it). */
export const SMARTALIGN_FILL = '__?smartalign_fill?__';

/** What one alignment mode sets for one code size: NOPs of lengths 1…n, and the group (null: kept). */
interface SizeNops {
  nops: string[];
  group: number | null;
}

interface ModeNops {
  jump: number;
  sizes: Record<16 | 32 | 64, SizeNops>;
}

const K8_NOPS = ['90', '66 90', '66 66 90', '66 66 66 90'];
const P6_NOPS = [
  '90',
  '66 90',
  '0f 1f 00',
  '0f 1f 40 00',
  '0f 1f 44 00 00',
  '66 0f 1f 44 00 00',
  '0f 1f 80 00 00 00 00',
  '0f 1f 84 00 00 00 00 00',
];
const ONE_NOP: SizeNops = { nops: ['90'], group: 1 };

const MODES: Record<string, ModeNops> = {
  nop: { jump: 16, sizes: { 16: ONE_NOP, 32: ONE_NOP, 64: ONE_NOP } },
  generic: {
    jump: 8,
    sizes: {
      // `lea si,[si+0]` and `lea di,[di+0]` forms, the 8-byte group a pair of both.
      16: {
        nops: [
          '90',
          '89 f6',
          '8d 74 00',
          '8d b4 00 00',
          '8d b4 00 00 90',
          '8d b4 00 00 89 ff',
          '8d b4 00 00 8d 7d 00',
          '8d b4 00 00 8d bd 00 00',
        ],
        group: 8,
      },
      32: {
        nops: ['90', '89 f6', '8d 76 00', '8d 74 26 00', '90 8d 74 26 00', '8d b6 00 00 00 00', '8d b4 26 00 00 00 00'],
        group: 7,
      },
      64: { nops: K8_NOPS, group: 4 },
    },
  },
  k8: {
    jump: 16,
    sizes: { 16: { nops: K8_NOPS, group: 4 }, 32: { nops: K8_NOPS, group: 4 }, 64: { nops: K8_NOPS, group: 4 } },
  },
  k7: {
    jump: 16,
    sizes: {
      // nasm's k7 leaves the 16-bit group (and the longer NOPs) as the previous mode set them.
      16: { nops: K8_NOPS, group: null },
      32: {
        nops: ['90', '8b c0', '8d 04 20', '8d 44 20 00', '8d 44 20 00 90', '8d 80 00 00 00 00', '8d 04 05 00 00 00 00'],
        group: 7,
      },
      64: { nops: K8_NOPS, group: 4 },
    },
  },
  p6: {
    jump: 16,
    sizes: {
      16: { nops: P6_NOPS.slice(0, 4), group: 4 },
      32: { nops: P6_NOPS, group: 8 },
      64: { nops: P6_NOPS, group: 8 },
    },
  },
};

/** Defined while the jump threshold is text other than one number (see alignMacro). */
const CHECK = '__?SMARTALIGN_CHECK?__';

/** Longest NOP a group may use. */
const MAX_NOP = 8;
const CODE_SIZES = [16, 32, 64] as const;

const nopMacro = (bits: number, length: number): string => `__?ALIGN_${bits}BIT_${length}B?__`;
const groupMacro = (bits: number): string => `__?ALIGN_${bits}BIT_GROUP?__`;
/** The fill's operands for one code size: group, then the NOPs of length 1…8 (a name left undefined stays a name). */
const fillMacro = (bits: number): string => `__?ALIGN_${bits}BIT_FILL?__`;
/** A NOP as one token: `x` and its bytes in hex (`x0f1f00`). */
const nopWord = (hex: string): string => `x${hex.replaceAll(' ', '')}`;

/** Defined by SET_MODE when `alignmode` names no mode (the macro then gives nasm's %error). */
const UNKNOWN = '__?SMARTALIGN_UNKNOWN?__';

/**
 * The directive `alignmode` runs to set a mode (its name, without `%`; a reserved `__?…?__` name,
 * not one of nasm's): it defines what nasm's macro defines with one `%define` per NOP and group,
 * then the fill lists (`%xdefine`s of the group and NOP macros). Done as one native step because
 * files switch modes by the hundred thousand and those ~30 definitions per call were most of the
 * time; `alignmode` stays a macro, so its call still takes one ..@ number as in nasm.
 */
const SET_MODE = '__?smartalign_set_mode?__';

/** A mode's definitions as (name, body) pairs, tokenized once: SET_MODE runs by the hundred thousand. */
type Definitions = ReadonlyArray<readonly [string, readonly Tok[]]>;
const modeDefinitions = new Map<ModeNops, Definitions>();

function definitionsOf(mode: ModeNops): Definitions {
  let list = modeDefinitions.get(mode);
  if (list === undefined) {
    const pairs: Array<readonly [string, readonly Tok[]]> = [
      ['__?ALIGN_JMP_THRESHOLD?__', tokenize(String(mode.jump))],
    ];
    for (const bits of CODE_SIZES) {
      const size = mode.sizes[bits];
      size.nops.forEach((hex, k) => pairs.push([nopMacro(bits, k + 1), tokenize(nopWord(hex))]));
      if (size.group !== null) pairs.push([groupMacro(bits), tokenize(String(size.group))]);
    }
    list = pairs;
    modeDefinitions.set(mode, list);
  }
  return list;
}

function setModeDirective(pp: PreprocessorState, call: DirectiveCall): undefined {
  const macros = pp.macros;
  const name = detokenize(trimWs(call.args)).toLowerCase();
  const mode = Object.hasOwn(MODES, name) ? MODES[name] : undefined;
  if (mode === undefined) macros.setSimple(UNKNOWN, true, []);
  else {
    macros.removeSmacros(UNKNOWN, null, true);
    // (A copy of each body: a definition owns its token list.)
    for (const [macro, body] of definitionsOf(mode)) macros.setSimple(macro, true, body.slice());
  }
  // The fill lists, as `%xdefine` would expand them: a macro left undefined stays its name.
  for (const bits of CODE_SIZES) {
    const values = FILL_PARTS[bits].map((macro) => {
      const definition = macros.findSmacros(macro)?.find((d) => d.params === null);
      return definition === undefined ? macro : detokenize(definition.body);
    });
    macros.setSimple(fillMacro(bits), true, tokenize(values.join(',')));
  }
  return undefined;
}

/** The macros a fill list is made of, per code size: the group, then the NOPs of length 1…MAX_NOP. */
const FILL_PARTS: Record<16 | 32 | 64, string[]> = {
  16: fillParts(16),
  32: fillParts(32),
  64: fillParts(64),
};

function fillParts(bits: number): string[] {
  return [groupMacro(bits), ...Array.from({ length: MAX_NOP }, (_, k) => nopMacro(bits, k + 1))];
}

export const smartalignDirectives: DirectiveTable = { [SET_MODE]: setModeDirective };

function alignmodeMacro(): string[] {
  const lines = ['%imacro alignmode 1-2.nolist', `%undef ${CHECK}`, `%${SET_MODE} %1`, `%ifdef ${UNKNOWN}`];
  // nasm's message for a mode it does not know (measured: `alignmode foo`).
  lines.push('%error unknown alignment mode: %1', '%endif');
  // The threshold is kept as text: nasm compares it with the pad in its preprocessor (`nojmp`: never jump).
  lines.push(
    '%ifnempty %2',
    '%ifidni %2,nojmp',
    '%xdefine __?ALIGN_JMP_THRESHOLD?__ -1',
    '%else',
    '%xdefine __?ALIGN_JMP_THRESHOLD?__ %2',
    // Only a threshold other than one number needs align's comparison (which is then nasm's error).
    `%define ${CHECK}`,
    '%iftoken %2',
    '%ifnum %2',
    `%undef ${CHECK}`,
    '%endif',
    '%endif',
    '%endif',
    '%endif',
    '%xdefine __?ALIGNMODE?__ %1,__?ALIGN_JMP_THRESHOLD?__',
  );
  lines.push('%endmacro', '%defalias __ALIGNMODE__ __?ALIGNMODE?__');
  return lines;
}

/**
 * `align` under smartalign. In nasm -E (pass 3) it stays a plain `times … nop` fill, which is
 * what nasm shows there. The empty `%if` is nasm's comparison of the pad with the threshold: a
 * threshold that is no number (`alignmode 32, k7`) fails there, on the `align` line, as in nasm
 * (a plain number cannot fail, so it skips the comparison).
 * The `%%end` label after the fill is one nasm makes too (it shows in ELF symbol tables); it is
 * a macro of its own so that its number comes after `sectalign`'s, as nasm's does.
 */
function alignMacro(): string[] {
  return [
    '%imacro __?SMARTALIGN_END?__ 0.nolist',
    '%%end:',
    '%endmacro',
    '%unimacro align 1-2+.nolist',
    '%imacro align 1-2+.nolist',
    '%if __?SECTALIGN_ALIGN_UPDATES_SECTION?__',
    'sectalign %1',
    '%endif',
    '%ifnempty %2',
    'times (((%1) - (($-$$) % (%1))) % (%1)) %2',
    '%elif __?PASS?__ == 3',
    'times (((%1) - (($-$$) % (%1))) % (%1)) nop',
    '%else',
    `%ifdef ${CHECK}`,
    '%if __?ALIGN_JMP_THRESHOLD?__ != -1 && 0 > __?ALIGN_JMP_THRESHOLD?__',
    '%endif',
    '%endif',
    `${SMARTALIGN_FILL} %1, __?ALIGN_JMP_THRESHOLD?__, __?BITS?__, __?ALIGN_%[__?BITS?__]BIT_FILL?__`,
    '__?SMARTALIGN_END?__',
    '%endif',
    '%endmacro',
  ];
}

export function smartalign(): string {
  // Loading the package selects the generic mode with a macro call, which (as in nasm) takes one ..@ number.
  return ['%define __?USE_SMARTALIGN?__', ...alignmodeMacro(), ...alignMacro(), 'alignmode generic'].join('\n');
}
