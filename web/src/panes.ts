/**
 * The panes beside the editor, each a function from the worker's answer to
 * DOM: diagnostics, explain (one source line's encoding taken apart), hex,
 * ELF structure, passes, and Step mode's registers. Text goes in through
 * textContent only, so nothing in a source file can become markup.
 */
import type { Diagnostic } from '../../src/index.js';
import type { ElfRegion, ExplainedLine } from '../../src/listing/index.js';
import type { PassView, StepReply } from './protocol.js';

type Child = Node | string | null;

/** A new element with attributes and children (strings become text nodes). */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null) element.append(child);
  return element;
}

function table(headings: readonly string[], rows: ReadonlyArray<readonly Child[]>, className = ''): HTMLElement {
  return el(
    'table',
    className ? { class: className } : {},
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
  );
}

const hex = (n: number, width = 0): string => n.toString(16).toUpperCase().padStart(width, '0');

export function renderDiagnostics(
  target: HTMLElement,
  diagnostics: readonly Diagnostic[],
  onPick: (line: number) => void,
): void {
  target.replaceChildren();
  if (diagnostics.length === 0) {
    target.append(el('div', { class: 'quiet' }, 'No messages.'));
    return;
  }
  for (const d of diagnostics) {
    const row = el('div', { class: `diagnostic ${d.severity}` }, d.text);
    if (d.line !== null) {
      const line = d.line;
      row.addEventListener('click', () => {
        onPick(line);
      });
    }
    target.append(row);
  }
}

/** Every statement the cursor's line produced (a macro call gives several). */
export function renderExplain(
  target: HTMLElement,
  lines: readonly ExplainedLine[],
  fileName: string,
  line: number,
): void {
  // A line made by a macro carries the outermost call's place, so a call line shows its whole expansion.
  // A label alone on its line is an 'empty' statement: worth showing only when it has a name.
  const here = lines.filter(
    (l) => l.file === fileName && l.line === line && (l.kind !== 'empty' || /^\s*[^\s;]/.test(l.source ?? '')),
  );
  target.replaceChildren(el('div', { class: 'pane-note' }, `Line ${line}: what the encoder made of it.`));
  if (here.length === 0) {
    target.append(el('div', { class: 'quiet' }, 'This line produced no statement (blank, comment or preprocessor).'));
    return;
  }
  for (const l of here) {
    const where = l.address === null ? '' : `${l.section ?? 'absolute'}+0x${hex(l.address)}  `;
    const source = l.bodyText ?? l.source?.trim() ?? '';
    const block = el(
      'div',
      { class: 'explained' },
      el('div', { class: 'explained-head' }, el('code', {}, source), el('span', { class: 'where' }, ` ${where}`)),
      el('div', { class: 'explained-bytes' }, l.hex || '(no bytes)'),
      el('div', { class: 'explained-summary' }, l.summary),
    );
    if (l.macroChain.length > 0)
      block.append(el('div', { class: 'quiet' }, 'from ' + l.macroChain.map((m) => `macro ${m.macro}`).join(' → ')));
    if (l.fields.length > 0)
      block.append(
        table(
          ['field', 'at', 'bytes', 'meaning'],
          l.fields.map((f) => [f.kind, String(f.at), el('code', {}, f.hex), f.description]),
          'fields',
        ),
      );
    target.append(block);
  }
}

/** 16 bytes a row: offset, hex, and the printable characters. */
export function renderHex(target: HTMLElement, bytes: Uint8Array, what: string): void {
  const rows: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const chunk = bytes.subarray(at, at + 16);
    const pairs = Array.from(chunk, (b) => hex(b, 2));
    const text = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(
      `${hex(at, 8)}  ${pairs.slice(0, 8).join(' ').padEnd(23)}  ${pairs.slice(8).join(' ').padEnd(23)}  |${text}|`,
    );
  }
  target.replaceChildren(
    el('div', { class: 'pane-note' }, `${what}: ${bytes.length} bytes`),
    el('pre', { class: 'hex' }, rows.join('\n') || '(empty: the source has errors)'),
  );
}

export function renderElf(target: HTMLElement, regions: readonly ElfRegion[] | null): void {
  target.replaceChildren();
  if (regions === null) {
    target.append(el('div', { class: 'quiet' }, 'No ELF file: choose elf32 or elf64 and fix any errors.'));
    return;
  }
  target.append(el('div', { class: 'pane-note' }, 'Every byte of the object file, header field by header field.'));
  for (const region of regions) {
    const details = el('details', region.title.startsWith('ELF header') ? { open: '' } : {});
    details.append(el('summary', {}, `${region.title}  (${region.size} bytes at 0x${hex(region.offset)})`));
    details.append(
      table(
        ['offset', 'field', 'value', 'meaning'],
        region.rows.map((r) => [hex(r.offset, 4), r.name, el('code', {}, r.value), r.meaning]),
      ),
    );
    target.append(details);
  }
}

export function renderPasses(target: HTMLElement, passes: PassView | null): void {
  target.replaceChildren();
  if (passes === null) {
    target.append(el('div', { class: 'quiet' }, 'No pass was recorded.'));
    return;
  }
  const passNames = passes.passes.map((p) => `pass ${p}`);
  target.append(
    el(
      'div',
      { class: 'pane-note' },
      `nasm's passes: sizes and label values until nothing moves (${passes.passes.length} pass${passes.passes.length === 1 ? '' : 'es'}). Rows that moved are marked *.`,
    ),
    el('h3', {}, 'Labels'),
    table(
      ['label', ...passNames],
      passes.labels.map((l) => [
        l.moved ? `${l.name} *` : l.name,
        ...l.values.map((v) => (v === null ? '-' : `${v.space ?? ''}+0x${hex(v.value)}`)),
      ]),
    ),
    el('h3', {}, 'Statements (offset, size)'),
    table(
      ['line', 'source', ...passNames],
      passes.rows.map((r) => [
        r.moved ? `${r.line} *` : String(r.line),
        el('code', {}, r.source),
        ...r.passes.map((p) => `${hex(p.offset)} / ${p.size}`),
      ]),
    ),
  );
}

export function renderStep(target: HTMLElement, state: StepReply): void {
  const parts: Child[] = [];
  if (state.failure !== null) parts.push(el('div', { class: 'diagnostic error' }, state.failure));
  if (state.instruction)
    parts.push(
      el(
        'div',
        { class: 'current', 'data-testid': 'step-instruction' },
        el('span', { class: 'where' }, state.instruction.address),
        '  ',
        el('code', {}, state.instruction.bytes.padEnd(24)),
        '  ',
        el('strong', {}, state.instruction.text),
      ),
    );
  if (state.ended !== null)
    parts.push(el('div', { class: 'ended' }, `Program ${state.ended} after ${state.steps} steps.`));
  else if (state.registers.length > 0)
    parts.push(el('div', { class: 'quiet' }, `${state.steps} instructions executed`));
  const registers = el('div', { class: 'registers' });
  for (const r of state.registers)
    registers.append(
      el('div', { class: r.changed ? 'register changed' : 'register' }, el('b', {}, r.name), ' ', r.value),
    );
  parts.push(registers);
  if (state.stdout) parts.push(el('h3', {}, 'stdout'), el('pre', { class: 'stdout' }, state.stdout));
  target.replaceChildren(...parts.filter((p): p is Node | string => p !== null));
}
