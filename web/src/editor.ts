/**
 * The source editor: CodeMirror 6 with the NASM highlighting of
 * nasm-language.ts, nasm's messages shown inline (underlined lines and a
 * gutter marker), and a highlighted line for Step mode.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { Diagnostic } from '../../src/index.js';
import { nasm } from './nasm-language.js';

const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#0550ae', fontWeight: '600' },
  { tag: tags.definitionKeyword, color: '#8250df', fontWeight: '600' },
  { tag: tags.atom, color: '#953800' },
  { tag: tags.number, color: '#0a7d5a' },
  { tag: tags.string, color: '#a31515' },
  { tag: tags.lineComment, color: '#6e7781', fontStyle: 'italic' },
  { tag: tags.processingInstruction, color: '#cf222e' },
  { tag: tags.labelName, color: '#1f2328', fontWeight: '600' },
  { tag: tags.typeName, color: '#8250df' },
  { tag: tags.operator, color: '#57606a' },
  { tag: tags.special(tags.variableName), color: '#953800' },
]);

/** Step mode's current line (0 for none). */
const setStepLine = StateEffect.define<number>();
const stepLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, transaction) {
    let next = value.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setStepLine)) continue;
      const line = effect.value;
      next =
        line > 0 && line <= transaction.state.doc.lines
          ? Decoration.set([Decoration.line({ class: 'cm-step-line' }).range(transaction.state.doc.line(line).from)])
          : Decoration.none;
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export interface Editor {
  view: EditorView;
  text(): string;
  setText(text: string): void;
  /** The 1-based line of the cursor. */
  cursorLine(): number;
  showDiagnostics(diagnostics: readonly Diagnostic[], fileName: string): void;
  showStepLine(line: number | null): void;
}

export function createEditor(
  parent: HTMLElement,
  initial: string,
  on: { change: () => void; cursor: (line: number) => void },
): Editor {
  let lastCursorLine = 0;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        nasm,
        syntaxHighlighting(highlight),
        lintGutter(),
        stepLine,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) on.change();
          const line = update.state.doc.lineAt(update.state.selection.main.head).number;
          if (line !== lastCursorLine || update.docChanged) {
            lastCursorLine = line;
            on.cursor(line);
          }
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
    },
    cursorLine: () => view.state.doc.lineAt(view.state.selection.main.head).number,
    showDiagnostics(diagnostics, fileName) {
      const doc = view.state.doc;
      const marks: EditorDiagnostic[] = [];
      for (const d of diagnostics) {
        if (d.file !== fileName || d.line === null || d.line > doc.lines) continue;
        const line = doc.line(d.line);
        const from = line.from + line.text.search(/\S|$/);
        marks.push({
          from,
          to: Math.max(from, line.to),
          severity: d.severity === 'warning' ? 'warning' : d.severity === 'info' ? 'info' : 'error',
          message: d.warningClass ? `${d.message} [-w+${d.warningClass}]` : d.message,
          source: 'tsnasm',
        });
      }
      view.dispatch(setDiagnostics(view.state, marks));
    },
    showStepLine(line) {
      view.dispatch({
        effects: setStepLine.of(line ?? 0),
        ...(line !== null && line <= view.state.doc.lines
          ? { selection: { anchor: view.state.doc.line(line).from }, scrollIntoView: true }
          : {}),
      });
    },
  };
}
