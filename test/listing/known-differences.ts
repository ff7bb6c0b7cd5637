/**
 * Cases whose listing still differs from nasm's, with the cause (none is in
 * the listing layout itself). Each is still rendered and compared; a case
 * that starts matching is reported so it can leave this list.
 */
export const KNOWN_DIFFERENCES = new Map<string, string>([
  // Errors: which pass, which message.
  [
    'warn-switches-all-error',
    'a run stopped after pass 1 by a promoted warning: nasm lists pass 1 data warnings (number-overflow) too',
  ],
  [
    'warn-switches-werror',
    'a run stopped after pass 1 by a promoted warning: nasm lists pass 1 data warnings (number-overflow) too',
  ],
  [
    'err-werror-class',
    'a run stopped after pass 1 by a promoted warning: nasm lists pass 1 data warnings (number-overflow) too',
  ],
  [
    'err-prefix-conflict-follow-ups',
    'nasm lists a line refused for a prefix conflict with the length of the line it assembles on (<len 2h>)',
  ],
  [
    'err-address-prefix-mode',
    'nasm lists the refused a64 lines with their length (<len 3h>) and keeps the offsets moving',
  ],
  [
    'err-rounding-wrapped',
    'nasm sizes a line whose decorator it refused (`({z})`, `{rd-sae}{rn-sae}`) and lists it with its length (<len 6h>)',
  ],
  [
    'err-incbin-directory',
    "nasm lists a directory's incbin with the length it found (<bin 7FFFFFFFFFFFFFFFh> on ext4) and a TIMES of it with <rep 2h>",
  ],
  ['err-data-in-absolute', 'nasm lists the refused data lines in absolute space with their lengths'],
  ['expression-warnings-nobits', 'nasm lists the bytes of data it then drops in a nobits section; we list ??'],
  [
    'times-zero-line-read',
    'a data line with an undefined value: nasm lists no bytes for the items before it, and <rep 2h> for a TIMES 2 one',
  ],
  [
    'err-far-pointer-register-override',
    'nasm sizes some lines it refuses for a register beside the colon (`mov eax, ebx:ecx`, `inc dword 2:ecx` <len 2h>), not others (`nop eax:ebx`); we size none',
  ],
  [
    'err-brace-operand-follow-ups',
    'after the operand message nasm keeps the instruction it read (`push {a b, c}`), listed with its pass-1 length (<len 2h>)',
  ],
  [
    'err-address-size-conflict',
    'nasm goes on assembling `[a32 a64 x]` after its error (-Lp lists the lines with their lengths); we drop the line',
  ],
  ['err-far-branch-label', 'nasm lists the bytes of `jmp far label` (EA … [ssss]) it refuses in the final pass'],
  ['nobits-init-warning', 'nasm lists the bytes of data it then drops in a nobits section; we list <res>/??'],
  ['nobits-pieces', 'nasm lists the bytes of code and data it then drops in a nobits section; we list <res>/??'],
  ['err-wide-integers', 'nasm lists the bytes of data it then drops in a nobits section; we list <res>/??'],
  ['nobits-data-overflow', 'nasm lists the bytes of data it then drops in a nobits section; we list <res>/??'],
  ['err-absolute-data-overflow', 'nasm lists the refused data lines in absolute space with their lengths'],
  ['err-nobits-undefined', 'nasm lists the bytes of data it then drops in a nobits section; we list <res>/??'],
  ['pp-smartalign-nobits', 'nasm lists the smartalign fill it then drops in a nobits section; we list no bytes'],
  ['pp-err-smartalign-absolute', 'nasm lists the smartalign fill it then drops in absolute space; we list no bytes'],
  [
    'err-times-count-before-body',
    'nasm -Lp lists pass 1 with `times -1`\'s "TIMES value -1 is negative", a final-pass message it keeps from stderr',
  ],
  ['list-directive', '[list -] … [list +]: tsnasm lists the lines nasm leaves out of the listing'],
  // Message wording.
  // Preprocessor.
  [
    'err-if-later-pass',
    'stopped by a preprocessor error in pass 2: nasm -Lp lists that pass with its %warning/%error (kept from stderr) and pass-2 jump sizes',
  ],
  [
    'pp-env-in-bodies',
    'nasm reads %!NAME as it fetches a macro/%rep body line (listed with the value, even in a branch not taken; its warning before the line)',
  ],
  // Lines refused in pass 1 that nasm's -Lp listing still sizes (tsnasm drops a refused line).
  [
    'seg-override-no-far-pass-one',
    'nasm lists the lines refused in pass 1 (seg:off with no far form) with their length and keeps the offsets moving',
  ],
  [
    'reserve-negative-pass-one-error',
    'nasm lists pass 1 sizes of negative and 2 GiB reservations (<len FFFFFFFFFFFFFFFEh>) that tsnasm does not take',
  ],
]);
