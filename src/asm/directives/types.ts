/** What a directive handler is given: the assembly so far and the directive with its typed arguments. */
import type { DirectiveArguments, StatementBody } from '../../parse/ast.js';
import type { AssemblyContext } from '../context.js';

export type DirectiveStatement = Extract<StatementBody, { kind: 'directive' }>;

export type DirectiveHandler = (ctx: AssemblyContext, directive: DirectiveStatement) => void;

/** The arguments of a directive whose kind the parser decides by its name. */
export function argumentsOf<K extends DirectiveArguments['kind']>(
  directive: DirectiveStatement,
  kind: K,
): Extract<DirectiveArguments, { kind: K }> {
  const args = directive.arguments;
  if (args.kind !== kind) throw new Error(`directive ${directive.name}: ${kind} arguments expected, got ${args.kind}`);
  return args as Extract<DirectiveArguments, { kind: K }>;
}
