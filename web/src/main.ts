/**
 * The playground page: an editor, the assembler in a worker (debounced on
 * every edit), and the panes that show what it made. Link & Run, Step and
 * the downloads ask the worker for the linked executable.
 */
import { createEditor } from './editor.js';
import { EXAMPLES } from './examples.js';
import { renderDiagnostics, renderElf, renderExplain, renderHex, renderPasses, renderStep } from './panes.js';
import type { AssembleReply, Format, Reply, Request } from './protocol.js';

const DEBOUNCE_MS = 250;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element;
}

function select(id: string): HTMLSelectElement {
  const element = byId(id);
  if (!(element instanceof HTMLSelectElement)) throw new Error(`#${id} is no select`);
  return element;
}

function input(id: string): HTMLInputElement {
  const element = byId(id);
  if (!(element instanceof HTMLInputElement)) throw new Error(`#${id} is no input`);
  return element;
}

const exampleSelect = select('example');
const formatSelect = select('format');
const status = byId('status');

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
let nextId = 1;
let latestAssemble = 0;
let assembled: AssembleReply | null = null;
let fileName = EXAMPLES[0]!.fileName;
const waiting = new Map<number, (reply: Reply) => void>();

/** A request as the page writes it: `ask` numbers it. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Sends a request; the promise settles with the worker's answer to it. */
function ask(request: Unnumbered<Request>): Promise<Reply> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const numbered: Request = { ...request, id };
    worker.postMessage(numbered);
  });
}

worker.onmessage = (event: MessageEvent<Reply>): void => {
  const reply = event.data;
  waiting.get(reply.id)?.(reply);
  waiting.delete(reply.id);
};

// ----- tabs -----

function showTab(name: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button'))
    button.classList.toggle('active', button.dataset['tab'] === name);
  for (const pane of document.querySelectorAll<HTMLElement>('[data-pane]')) pane.hidden = pane.dataset['pane'] !== name;
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button'))
  button.addEventListener('click', () => {
    showTab(button.dataset['tab'] ?? 'listing');
  });

// ----- editor and assembly -----

const editor = createEditor(byId('source'), EXAMPLES[0]!.source, {
  change: () => {
    scheduleAssemble();
  },
  cursor: (line) => {
    if (assembled) renderExplain(byId('explain'), assembled.explain, assembled.fileName, line);
  },
});

let timer: ReturnType<typeof setTimeout> | undefined;
function scheduleAssemble(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void assembleNow(), DEBOUNCE_MS);
}

async function assembleNow(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  const request = { kind: 'assemble', source: editor.text(), format: formatSelect.value as Format, fileName } as const;
  const id = nextId;
  latestAssemble = id;
  status.textContent = 'assembling…';
  const reply = await ask(request);
  if (reply.kind !== 'assembled' || id !== latestAssemble) return;
  assembled = reply;
  show(reply);
}

function show(reply: AssembleReply): void {
  const errors = reply.errorCount;
  const warnings = reply.diagnostics.filter((d) => d.severity === 'warning').length;
  status.textContent =
    `${reply.fileName} → ${reply.format}: ` +
    (errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : `${reply.bytes.length} bytes`) +
    (warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '') +
    ` (${reply.milliseconds} ms)`;
  status.className = errors > 0 ? 'status failed' : 'status';
  byId('listing').textContent = reply.listing;
  renderDiagnostics(byId('diagnostics'), reply.diagnostics, (line) => {
    editor.showStepLine(null);
    editor.view.dispatch({ selection: { anchor: editor.view.state.doc.line(line).from }, scrollIntoView: true });
    editor.view.focus();
  });
  editor.showDiagnostics(reply.diagnostics, reply.fileName);
  renderExplain(byId('explain'), reply.explain, reply.fileName, editor.cursorLine());
  renderHex(byId('hex'), reply.bytes, reply.format === 'bin' ? 'flat binary' : 'object file');
  renderElf(byId('elf'), reply.elf);
  renderPasses(byId('passes'), reply.passes);
  editor.showStepLine(null);
}

// ----- examples and format -----

for (const [index, example] of EXAMPLES.entries())
  exampleSelect.append(new Option(example.title, String(index), index === 0, index === 0));
formatSelect.value = EXAMPLES[0]!.format;

exampleSelect.addEventListener('change', () => {
  const example = EXAMPLES[Number(exampleSelect.value)];
  if (!example) return;
  fileName = example.fileName;
  formatSelect.value = example.format;
  editor.setText(example.source);
  void assembleNow();
});
formatSelect.addEventListener('change', () => void assembleNow());
byId('assemble').addEventListener('click', () => void assembleNow());

// ----- run, step, downloads -----

/** Waits for a pending edit to be assembled, so Run and the downloads use what is on screen. */
async function settled(): Promise<void> {
  if (timer !== undefined || assembled === null) await assembleNow();
}

byId('run').addEventListener('click', () => {
  void (async () => {
    await settled();
    showTab('output');
    byId('stdout').textContent = '';
    byId('exit-status').textContent = 'running…';
    const reply = await ask({ kind: 'run', stdin: input('stdin').value });
    if (reply.kind !== 'ran') return;
    byId('stdout').textContent = reply.stdout;
    byId('stderr').textContent = reply.stderr;
    byId('stderr-box').hidden = reply.stderr === '';
    byId('exit-status').textContent =
      reply.failure ??
      `Program ${reply.summary} after ${reply.steps} instructions (exit status ${reply.exitStatus ?? '-'}).`;
  })();
});

async function step(action: 'start' | 'step' | 'stop', count = 1): Promise<void> {
  await settled();
  showTab('stepper');
  const reply = await ask({ kind: 'step', action, count });
  if (reply.kind !== 'stepped') return;
  renderStep(byId('stepper'), reply);
  editor.showStepLine(reply.sourceLine);
}

byId('step').addEventListener('click', () => void step('start'));
byId('step-start').addEventListener('click', () => void step('start'));
byId('step-one').addEventListener('click', () => void step('step'));
byId('step-ten').addEventListener('click', () => void step('step', 10));
byId('step-stop').addEventListener('click', () => void step('stop'));

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

const baseName = (): string => fileName.replace(/\.asm$/, '');

function complain(message: string): void {
  status.textContent = message;
  status.className = 'status failed';
}

byId('download-object').addEventListener('click', () => {
  void (async () => {
    await settled();
    if (!assembled || assembled.errorCount > 0) {
      complain('nothing to download: the source has errors');
      return;
    }
    download(assembled.bytes, assembled.format === 'bin' ? `${baseName()}.bin` : `${baseName()}.o`);
  })();
});

byId('download-executable').addEventListener('click', () => {
  void (async () => {
    await settled();
    const reply = await ask({ kind: 'link' });
    if (reply.kind !== 'linked') return;
    if (reply.executable === null) {
      complain(reply.failure ?? 'link failed');
      return;
    }
    download(reply.executable, baseName());
  })();
});

byId('download-image').addEventListener('click', () => {
  void (async () => {
    await settled();
    const reply = await ask({ kind: 'image' });
    if (reply.kind !== 'image') return;
    if (reply.bytes === null) {
      complain(reply.error ?? 'image failed');
      return;
    }
    download(reply.bytes, `${baseName()}-image.tar`);
  })();
});

void assembleNow();
