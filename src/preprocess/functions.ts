/**
 * Preprocessor functions used inside expressions and lines: %eval(), %str(),
 * %strcat(), %strlen(), %tok(), %num(), %abs(), %cond(), %sel(), %count(),
 * %isdef(), %substr().
 */
import { expandSmacros } from './expand.js';
import type { PreprocessorState } from './state.js';
import { collapseWs, parseSmacroArgs, spliceTokens } from './toklist.js';
import { K, type Tok, detokenize, quoteString, tokenize, trimWs, unquote } from './tokenize.js';

/** Preprocessor functions: %eval(), %str(), %strlen(), %num(), %count() … */
export function tryFunction(pp: PreprocessorState, toks: Tok[], i: number): boolean {
  const name = toks[i]!.s.slice(1).toLowerCase();
  // nasm 2.16.01 has no %depend() or %pathsearch() functions (measured: they stay as written).
  const FUNCS = ['eval', 'str', 'strcat', 'strlen', 'tok', 'num', 'abs', 'cond', 'sel', 'count', 'isdef', 'substr'];
  if (!FUNCS.includes(name)) return false;
  const open = toks[i + 1];
  if (!open || open.k !== K.OP || open.s !== '(') return false;
  const parsed = parseSmacroArgs(toks, i + 1);
  if (!parsed) return false;
  const args = parsed.args.map((a) => trimWs(expandSmacros(pp, a)));
  const num = (a: Tok[] | undefined): bigint | null => (a ? pp.evalExpr(a, name) : null);
  let result: Tok[] = [];
  switch (name) {
    case 'eval': {
      result = [];
      args.forEach((a, k) => {
        const v = num(a);
        if (k > 0) result.push({ k: K.OP, s: ',' });
        result.push({ k: K.NUM, s: v === null ? '0' : v.toString() });
      });
      break;
    }
    case 'str':
      result = [
        {
          k: K.STR,
          s: quoteString(detokenize(collapseWs(trimWs(expandSmacros(pp, toks.slice(i + 2, parsed.end - 1)))))),
        },
      ];
      break;
    case 'strcat':
      result = [
        { k: K.STR, s: quoteString(args.map((a) => (a[0]?.k === K.STR ? unquote(a[0].s) : detokenize(a))).join('')) },
      ];
      break;
    case 'strlen':
      result = [{ k: K.NUM, s: String(args[0]?.[0]?.k === K.STR ? unquote(args[0][0].s).length : 0) }];
      break;
    case 'tok':
      result = args[0]?.[0]?.k === K.STR ? trimWs(tokenize(unquote(args[0][0].s))) : [];
      break;
    case 'num': {
      const v = num(args[0]);
      result = [{ k: K.STR, s: quoteString(v === null ? '0' : v.toString()) }];
      break;
    }
    case 'abs': {
      const v = num(args[0]);
      result = [{ k: K.NUM, s: (v === null ? 0n : v < 0n ? -v : v).toString() }];
      break;
    }
    case 'cond': {
      const v = num(args[0]);
      result = (v !== null && v !== 0n ? args[1] : args[2]) ?? [];
      break;
    }
    case 'sel': {
      const v = num(args[0]);
      result = v !== null && v > 0n ? (args[Number(v)] ?? []) : [];
      break;
    }
    case 'count':
      result = [{ k: K.NUM, s: String(args.length === 1 && args[0]!.length === 0 ? 0 : args.length) }];
      break;
    case 'isdef': {
      const t = args[0]?.[0];
      result = [{ k: K.NUM, s: t && pp.macros.findSmacros(t.s) ? '1' : '0' }];
      break;
    }
    default:
      return false;
  }
  spliceTokens(toks, i, parsed.end - i, result);
  return true;
}
