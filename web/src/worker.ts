/**
 * The playground's assembler, in a Web Worker so the page stays responsive:
 * each `assemble` request runs the whole pipeline (with the pass log and the
 * teaching records) and answers with everything the panes show. The last
 * object is kept for Link and Run, the container image and Step mode.
 */
import { buildImage } from '../../src/image/index.js';
import { createMachine, formatLinkDiagnostic, link, run, type Machine } from '../../src/index.js';
import { assemble } from '../../src/library/assemble.js';
import { nasmDiagnostics } from '../../src/library/diagnostics.js';
import { describeElf, explain, passTable, renderListing, type ExplainedLine } from '../../src/listing/index.js';
import { ELF_SIZES, SECTION_HEADER, readElfHeader, readSections, readStruct } from '../../src/elf/index.js';
import type { AssembleReply, Format, ImageReply, Reply, Request, RunReply, StepReply } from './protocol.js';
import { concatBytes } from '../../src/elf/strings.js';

interface Assembled {
  format: Format;
  fileName: string;
  object: Uint8Array | null;
  explain: ExplainedLine[];
}

let last: Assembled | null = null;
/** The executable linked from `last` (linked on first use). */
let linked: { from: Assembled; executable: Uint8Array | null; failure: string | null } | null = null;
let stepping: {
  machine: Machine;
  stdout: Uint8Array[];
  lineOf: Map<number, number>;
  before: Record<string, bigint>;
} | null = null;

const post = (reply: Reply, transfer: Transferable[] = []): void => {
  (self as unknown as { postMessage: (m: Reply, t: Transferable[]) => void }).postMessage(reply, transfer);
};

function assembleRequest(request: Extract<Request, { kind: 'assemble' }>): AssembleReply {
  const started = performance.now();
  const source = new TextEncoder().encode(request.source);
  const result = assemble(source, {
    fileName: request.fileName,
    format: request.format,
    recordPasses: true,
    teachingRecords: true,
  });
  const text = new TextDecoder('latin1').decode(source);
  const bytes = result.output ?? new Uint8Array(0);
  const lines = explain(result, { sourceText: text, format: request.format });
  last = { format: request.format, fileName: request.fileName, object: result.output, explain: lines };
  linked = null;
  stepping = null;
  let elf = null;
  if (result.output && request.format !== 'bin') elf = describeElf(result.output);
  return {
    kind: 'assembled',
    id: request.id,
    format: request.format,
    fileName: request.fileName,
    errorCount: result.errorCount,
    diagnostics: nasmDiagnostics(result),
    listing: renderListing(result, text, { fileName: request.fileName }),
    bytes,
    explain: lines,
    elf,
    passes: passTable(result, text),
    milliseconds: Math.round(performance.now() - started),
  };
}

/** Links the last object into an executable (once per assembly). */
function linkLast(): { executable: Uint8Array | null; failure: string | null } {
  if (last === null) return { executable: null, failure: 'nothing assembled yet' };
  if (linked?.from === last) return linked;
  let failure: string | null = null;
  let executable: Uint8Array | null = null;
  if (last.format === 'bin') failure = 'Link and Run need an ELF object: choose elf32 or elf64 as the format';
  else if (last.object === null) failure = 'the source has errors (see Diagnostics)';
  else {
    const result = link([{ name: last.fileName.replace(/\.asm$/, '') + '.o', data: last.object }]);
    executable = result.output;
    if (executable === null) failure = result.diagnostics.map(formatLinkDiagnostic).join('\n');
  }
  linked = { from: last, executable, failure };
  return linked;
}

function runRequest(request: Extract<Request, { kind: 'run' }>): RunReply {
  const { executable, failure } = linkLast();
  const empty = { stdout: '', stderr: '', exitStatus: null, summary: '', executable, steps: 0 };
  if (executable === null) return { kind: 'ran', id: request.id, failure, ...empty };
  const result = run(executable, { stdin: request.stdin, argv: ['./program'] });
  return {
    kind: 'ran',
    id: request.id,
    failure: null,
    stdout: result.stdoutText,
    stderr: new TextDecoder().decode(result.stderr),
    exitStatus: result.exitStatus,
    summary: result.summary,
    executable,
    steps: result.steps,
  };
}

async function imageRequest(request: Extract<Request, { kind: 'image' }>): Promise<ImageReply> {
  const { executable, failure } = linkLast();
  if (executable === null) return { kind: 'image', id: request.id, bytes: null, error: failure };
  try {
    const bytes = await buildImage({ files: [{ path: '/hello', data: executable }], format: 'docker', tag: 'hello' });
    return { kind: 'image', id: request.id, bytes, error: null };
  } catch (e) {
    return { kind: 'image', id: request.id, bytes: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Load address of each section of an executable, by name (tsld keeps the section headers). */
function sectionAddresses(executable: Uint8Array): Map<string, number> {
  const cls = executable[4] === 2 ? 64 : 32;
  const header = readElfHeader(executable, cls);
  const view = new DataView(executable.buffer, executable.byteOffset, executable.byteLength);
  const addresses = new Map<string, number>();
  readSections(executable, cls, header).forEach((section, i) => {
    const raw = readStruct(view, header.e_shoff + i * ELF_SIZES[cls].sectionHeader, SECTION_HEADER[cls]);
    addresses.set(section.name, raw.sh_addr);
  });
  return addresses;
}

/** Where each instruction of the main file ended up in the executable: address → source line. */
function lineMap(executable: Uint8Array, assembled: Assembled): Map<number, number> {
  const bases = sectionAddresses(executable);
  const lines = new Map<number, number>();
  for (const line of assembled.explain) {
    const base = line.section === null ? undefined : bases.get(line.section);
    if (line.kind !== 'instruction' || line.address === null || base === undefined) continue;
    if (line.file === assembled.fileName && line.macroChain.length === 0) lines.set(base + line.address, line.line);
    else if (line.macroChain[0]?.file === assembled.fileName) lines.set(base + line.address, line.line);
  }
  return lines;
}

const hex = (value: bigint | number, width = 0): string => value.toString(16).padStart(width, '0');

function stepState(id: number, failure: string | null): StepReply {
  const reply: StepReply = {
    kind: 'stepped',
    id,
    failure,
    registers: [],
    instruction: null,
    sourceLine: null,
    stdout: '',
    ended: null,
    steps: 0,
  };
  if (stepping === null) return reply;
  const { machine, lineOf, before } = stepping;
  const registers = machine.registers();
  const width = machine.mode === 64 ? 16 : 8;
  reply.registers = Object.entries(registers).map(([name, value]) => ({
    name,
    value: hex(value, width),
    changed: before[name] !== value,
  }));
  reply.steps = machine.steps;
  reply.stdout = new TextDecoder().decode(concatBytes(stepping.stdout));
  const outcome = machine.outcome;
  if (outcome) {
    reply.ended =
      outcome.kind === 'exit'
        ? `exited with status ${outcome.status}`
        : outcome.kind === 'signal'
          ? outcome.detail
          : 'stopped';
    return reply;
  }
  try {
    const instruction = machine.current();
    reply.instruction = {
      address: hex(instruction.address, width),
      bytes: Array.from(instruction.bytes, (b) => hex(b, 2)).join(' '),
      text: instruction.text,
    };
    reply.sourceLine = lineOf.get(instruction.address) ?? null;
  } catch (e) {
    reply.failure = e instanceof Error ? e.message : String(e);
  }
  return reply;
}

function stepRequest(request: Extract<Request, { kind: 'step' }>): StepReply {
  if (request.action === 'stop') {
    stepping = null;
    return stepState(request.id, null);
  }
  if (request.action === 'start' || stepping === null) {
    const { executable, failure } = linkLast();
    if (executable === null || last === null) return stepState(request.id, failure);
    const stdout: Uint8Array[] = [];
    const machine = createMachine(executable, { argv: ['./program'], stdout: (b) => stdout.push(b.slice()) });
    stepping = { machine, stdout, lineOf: lineMap(executable, last), before: machine.registers() };
    if (request.action === 'start') return stepState(request.id, null);
  }
  const { machine } = stepping;
  stepping.before = machine.registers();
  for (let i = 0; i < request.count && machine.outcome === null; i++) machine.step();
  return stepState(request.id, null);
}

self.onmessage = (event: MessageEvent<Request>): void => {
  const request = event.data;
  switch (request.kind) {
    case 'assemble':
      post(assembleRequest(request));
      break;
    case 'run':
      post(runRequest(request));
      break;
    case 'link':
      post({ kind: 'linked', id: request.id, ...linkLast() });
      break;
    case 'image':
      void imageRequest(request).then((reply) => {
        post(reply);
      });
      break;
    case 'step':
      post(stepRequest(request));
      break;
  }
};
