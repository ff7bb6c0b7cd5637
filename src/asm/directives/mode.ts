/** `bits`, `cpu`, `default` and `org`: how the following code is assembled. */
import { applyCpuDirective, cpuModeError } from '../../encoder/index.js';
import { isCriticalNumber } from '../../core/value.js';
import { argumentsOf, type DirectiveHandler } from './types.js';

const bits: DirectiveHandler = (ctx, directive) => {
  const mode = argumentsOf(directive, 'bits').bits;
  // A BITS nasm refuses leaves 16-bit mode in force, whatever was before (measured: `bits 32`,
  // then `bits 48` or `cpu 386` + `bits 64`, and `[rbx]` is an invalid 16-bit address).
  const error =
    mode === null
      ? `\`${directive.args.trim()}' is not a valid segment size; must be 16, 32 or 64`
      : cpuModeError(ctx.cpu, mode);
  if (error !== null) {
    ctx.bits = 16;
    return ctx.reportError(error, true);
  }
  ctx.bits = mode!;
};

const cpu: DirectiveHandler = (ctx, directive) => {
  const { cpu: next, error } = applyCpuDirective(ctx.cpu, argumentsOf(directive, 'text').text);
  if (error !== null) ctx.reportError(error, true);
  ctx.cpu = next;
};

/** `default rel|abs|bnd|nobnd`: nasm 2.16.01 reads the first word only and ignores the rest. */
const defaultDirective: DirectiveHandler = (ctx, directive) => {
  const word = argumentsOf(directive, 'text').text.toLowerCase().split(/[\s,]/)[0];
  if (word === 'rel' || word === 'abs') ctx.defaultRel = word === 'rel';
  else if (word === 'bnd' || word === 'nobnd') ctx.defaultBnd = word === 'bnd';
  else ctx.reportError('invalid parameter to [default] directive', true);
};

const CRITICAL_ORG = 'org value must be a critical expression';

/** Only bin knows `org`; elsewhere the bare word is no instruction either (nasm's wording). */
const org: DirectiveHandler = (ctx, directive) => {
  if (ctx.options.format !== 'bin')
    ctx.reportError(
      directive.bracketed === true
        ? `unrecognized directive [${directive.spelled ?? 'org'}]`
        : 'parser: instruction expected',
      true,
    );
  const v = ctx.criticalDirectiveValue(argumentsOf(directive, 'expression'), CRITICAL_ORG, () => {
    ctx.errorNow('No or invalid offset specified in ORG directive.');
  });
  if (!isCriticalNumber(v)) ctx.reportError(CRITICAL_ORG, true);
  // The same origin again is fine; another one is nasm's error (measured).
  if (ctx.originPass === ctx.pass && ctx.origin !== v.offset) ctx.reportError('program origin redefined', true);
  ctx.originPass = ctx.pass;
  ctx.origin = v.offset;
  ctx.originGiven = true;
};

export const MODE_DIRECTIVES: Readonly<Record<string, DirectiveHandler>> = {
  bits,
  cpu,
  default: defaultDirective,
  org,
};
