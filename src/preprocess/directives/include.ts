/**
 * Files: %include, %require (include once), %use (standard packages),
 * %pathsearch and %depend, and the include-path search they share with -P.
 */

import { fileNameFromSource, latin1 } from '../../core/latin1.js';
import { expandSmacros } from '../expand.js';
import { makeFileFrame } from '../reader.js';
import type { OutputLine } from '../model.js';
import type { PreprocessorState } from '../state.js';
import { USE_PACKAGE_LINES, USE_PACKAGES } from '../stdmac.js';
import { includeName } from '../toklist.js';
import { K, isString, quoteString, trimWs, unquote } from '../tokenize.js';
import { macroName } from './args.js';
import type { DirectiveCall, DirectiveTable } from './types.js';

export function searchInclude(pp: PreprocessorState, name: string): { path: string; data: Uint8Array } | null {
  const found = searchIncludeUncached(pp, name);
  if (!pp.searched.has(name)) pp.searched.set(name, found?.path ?? null);
  return found;
}

function searchIncludeUncached(pp: PreprocessorState, name: string): { path: string; data: Uint8Array } | null {
  // The name is kept as written (messages and dependency lists quote its bytes); it is opened by
  // the name those bytes spell.
  const direct = pp.options.readFile(fileNameFromSource(name));
  if (direct) return { path: name, data: direct };
  for (const dir of pp.options.includePaths) {
    const path = dir === '' ? name : /[\\/:]$/.test(dir) ? dir + name : dir + '/' + name;
    const data = pp.options.readFile(fileNameFromSource(path));
    if (data) return { path, data };
  }
  return null;
}

/**
 * nasm has no include depth limit of its own: a file that includes itself
 * recurses until the process runs out of file descriptors (about 1,020
 * levels with the usual limit of 1,024), and nasm reports that.
 */
const INCLUDE_DEPTH_LIMIT = 1020;

export function includeFile(pp: PreprocessorState, name: string, once: boolean): void {
  const firstSearch = !pp.searched.has(name);
  const found = searchInclude(pp, name);
  if (!found) {
    if (firstSearch) pp.addDependency(name);
    pp.error(`unable to open include file \`${name}': No such file or directory`);
    return;
  }
  // nasm's %require knows the files it included, not the main file: requiring that one
  // includes it again (and again, until nasm runs out of file descriptors).
  if (once && pp.dependencies.includes(found.path) && found.path !== pp.options.fileName) return;
  if (firstSearch) pp.addDependency(found.path);
  if (pp.frames.length > INCLUDE_DEPTH_LIMIT) {
    pp.error(`unable to open include file \`${name}': Too many open files`);
    return;
  }
  const text = latin1(found.data);
  const parent = pp.frames[pp.frames.length - 1]!;
  const frame = makeFileFrame(found.path, text);
  frame.reportAt = parent.reportAt;
  frame.nolistWhere = parent.nolistWhere;
  frame.macroDepth = parent.macroDepth;
  frame.listed = parent.listed;
  pp.frames.push(frame);
}

/** What follows the file name's string is ignored, with nasm's warning (`%include 'a.inc' x`). */
function warnTrailing(pp: PreprocessorState, name: string, trailing: boolean): void {
  if (trailing) pp.warning(`trailing garbage after \`%${name}' ignored`, 'pp-trailing');
}

function includeDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const list = trimWs(expandSmacros(pp, args));
  const file = includeName(list);
  if (file === null) {
    pp.error(`\`%${name}' expects a file name`);
    return;
  }
  warnTrailing(pp, name, file.trailing);
  includeFile(pp, file.name, name === 'require');
}

function useDirective(pp: PreprocessorState, { args }: DirectiveCall): OutputLine | undefined {
  const list = trimWs(args);
  const t = list[0];
  const pkg = t ? (t.k === K.STR ? unquote(t.s) : t.s) : '';
  if (!t) {
    pp.error("`%use' expects a package name, got end of line");
    return;
  }
  if (t.k !== K.ID && !isString(t)) {
    pp.error(`\`%use' expects a package name, got \`${t.s}'`);
    return;
  }
  // nasm reads the one name and warns about anything after it, before looking the package up.
  if (list.length > 1) pp.warning("trailing garbage after `%use' ignored", 'pp-trailing');
  const body = USE_PACKAGES[pkg.toLowerCase()];
  if (!body) {
    pp.error(`unknown \`%use' package: \`${pkg}'`);
    return;
  }
  if (pp.usedPackages.has(pkg.toLowerCase())) return;
  pp.usedPackages.add(pkg.toLowerCase());
  const saved = { where: pp.currentWhere, frame: pp.currentFrame };
  pp.runSetupText(body(), pkg);
  pp.currentWhere = saved.where;
  pp.currentFrame = saved.frame;
  const line = USE_PACKAGE_LINES[pkg.toLowerCase()];
  return line === undefined ? undefined : pp.makeOutput(line);
}

function pathsearchDirective(pp: PreprocessorState, { name, args }: DirectiveCall): undefined {
  const target = macroName(pp, args, name);
  if (!target) return;
  const file = includeName(trimWs(expandSmacros(pp, target.rest)));
  if (file === null) {
    pp.error(`\`%${name}' expects a file name`);
    return;
  }
  warnTrailing(pp, name, file.trailing);
  const found = searchInclude(pp, file.name);
  pp.macros.setSimple(target.key, name === 'pathsearch', [{ k: K.STR, s: quoteString(found?.path ?? file.name) }]);
}

function dependDirective(pp: PreprocessorState, { args }: DirectiveCall): undefined {
  const file = includeName(trimWs(expandSmacros(pp, args)));
  if (file === null) {
    pp.error("`%depend' expects a file name");
    return;
  }
  warnTrailing(pp, 'depend', file.trailing);
  pp.addDependency(file.name, 'depend');
}

export const includeDirectives: DirectiveTable = {
  include: includeDirective,
  require: includeDirective,
  use: useDirective,
  pathsearch: pathsearchDirective,
  ipathsearch: pathsearchDirective,
  depend: dependDirective,
};
