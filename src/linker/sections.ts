/**
 * Stage 3, createSections: map input sections to output sections following
 * ld's default elf_i386 script, in script order; sections no rule names are
 * "orphans", each placed after the script section of the same kind (code
 * after .text, read-only after .rodata, data after .data, zero-fill after
 * .bss), as ld places them. COMMON symbols become synthetic inputs at the
 * end of .bss.
 * Invariant on exit: each returned OutputSection has at least one input
 * (`empty` marks those ld would drop because every input has size 0);
 * each used InputSection has `output` set; order is final output order.
 */
import { SHF_ALLOC, SHF_EXECINSTR, SHF_MERGE, SHF_STRINGS, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS } from '../elf/index.js';
import type { GlobalSymbol, InputFile, InputSection, OutputSection, SegmentClass } from './types.js';

type OrphanKind = 'code' | 'rodata' | 'data' | 'bss';

interface Rule {
  name: string;
  /** Groups are filled one after another; inside a group, file-major order as ld's wildcards. */
  groups: Array<{ patterns: string[]; sortByName?: boolean; common?: boolean }>;
  segment: SegmentClass;
  /** Orphans of this kind go right after this section. */
  orphanAnchor?: OrphanKind;
  /** ld's `. = ALIGN(. != 0 ? 32 / 8 : 1)` (64 / 8 on x86-64) at the end of the section. */
  endAlign?: 'word';
}

/** The parts of `ld -m elf_i386 --verbose`'s script that static objects can reach. */
const RULES: Rule[] = [
  { name: '.init', groups: [{ patterns: ['.init'] }], segment: 'text' },
  {
    name: '.text',
    segment: 'text',
    orphanAnchor: 'code',
    groups: [
      { patterns: ['.text.unlikely', '.text.*_unlikely', '.text.unlikely.*'] },
      { patterns: ['.text.exit', '.text.exit.*'] },
      { patterns: ['.text.startup', '.text.startup.*'] },
      { patterns: ['.text.hot', '.text.hot.*'] },
      { patterns: ['.text.sorted.*'], sortByName: true },
      { patterns: ['.text', '.stub', '.text.*', '.gnu.linkonce.t.*'] },
    ],
  },
  { name: '.fini', groups: [{ patterns: ['.fini'] }], segment: 'text' },
  {
    name: '.rodata',
    groups: [{ patterns: ['.rodata', '.rodata.*', '.gnu.linkonce.r.*'] }],
    segment: 'text',
    orphanAnchor: 'rodata',
  },
  { name: '.rodata1', groups: [{ patterns: ['.rodata1'] }], segment: 'text' },
  { name: '.eh_frame', groups: [{ patterns: ['.eh_frame'] }, { patterns: ['.eh_frame.*'] }], segment: 'text' },
  { name: '.gcc_except_table', groups: [{ patterns: ['.gcc_except_table', '.gcc_except_table.*'] }], segment: 'text' },
  { name: '.preinit_array', groups: [{ patterns: ['.preinit_array'] }], segment: 'data' },
  {
    name: '.init_array',
    groups: [{ patterns: ['.init_array.*', '.ctors.*'], sortByName: true }, { patterns: ['.init_array', '.ctors'] }],
    segment: 'data',
  },
  {
    name: '.fini_array',
    groups: [{ patterns: ['.fini_array.*', '.dtors.*'], sortByName: true }, { patterns: ['.fini_array', '.dtors'] }],
    segment: 'data',
  },
  {
    name: '.data.rel.ro',
    groups: [{ patterns: ['.data.rel.ro.local*'] }, { patterns: ['.data.rel.ro', '.data.rel.ro.*'] }],
    segment: 'data',
  },
  // Filled by the linker (got.ts) when x86-64 code needs a GOT.
  { name: '.got', groups: [{ patterns: ['.got', '.igot'] }], segment: 'data' },
  { name: '.got.plt', groups: [{ patterns: ['.got.plt', '.igot.plt'] }], segment: 'data' },
  {
    name: '.data',
    groups: [{ patterns: ['.data', '.data.*', '.gnu.linkonce.d.*'] }],
    segment: 'data',
    orphanAnchor: 'data',
  },
  { name: '.data1', groups: [{ patterns: ['.data1'] }], segment: 'data' },
  {
    name: '.bss',
    segment: 'data',
    orphanAnchor: 'bss',
    endAlign: 'word',
    groups: [
      { patterns: ['.dynbss'] },
      { patterns: ['.bss', '.bss.*', '.gnu.linkonce.b.*'] },
      { patterns: [], common: true },
    ],
  },
];

function globMatch(pattern: string, name: string): boolean {
  // ld script wildcards used above only contain `*`.
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  if (!name.startsWith(parts[0]!)) return false;
  let pos = parts[0]!.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = name.indexOf(parts[i]!, pos);
    if (at < 0) return false;
    pos = at + parts[i]!.length;
  }
  const last = parts[parts.length - 1]!;
  return name.length - last.length >= pos && name.endsWith(last);
}

function orphanKind(sec: InputSection): OrphanKind {
  if (sec.flags & SHF_EXECINSTR) return 'code';
  if (sec.nobits) return 'bss';
  if (sec.flags & SHF_WRITE) return 'data';
  return 'rodata';
}

function makeOutput(name: string, segment: SegmentClass, inputs: InputSection[], endAlign: number): OutputSection {
  let flags = 0;
  let align = 1;
  for (const s of inputs) {
    flags |= s.flags & (SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR);
    align = Math.max(align, s.align);
  }
  // ld keeps merge/string flags (and entsize) only when every input agrees.
  const first = inputs[0]!;
  const firstEntsize = first.elf?.entsize ?? first.entsize ?? 0;
  const mergeBits = first.flags & (SHF_MERGE | SHF_STRINGS);
  const allSameMerge = inputs.every(
    (s) => (s.flags & (SHF_MERGE | SHF_STRINGS)) === mergeBits && (s.elf?.entsize ?? s.entsize ?? 0) === firstEntsize,
  );
  if (allSameMerge) flags |= mergeBits;
  const nobits = inputs.every((s) => s.nobits);
  const elfTypes = new Set(inputs.map((s) => s.elf?.type ?? (s.nobits ? SHT_NOBITS : SHT_PROGBITS)));
  const type = nobits
    ? SHT_NOBITS
    : elfTypes.size === 1 && !elfTypes.has(SHT_NOBITS)
      ? [...elfTypes][0]!
      : SHT_PROGBITS;
  const out: OutputSection = {
    name,
    inputs,
    flags,
    type,
    nobits,
    align,
    entsize: allSameMerge ? firstEntsize : 0,
    segment,
    fillWithNops: (flags & SHF_EXECINSTR) !== 0,
    endAlign,
    size: 0,
    address: 0,
    fileOffset: 0,
    // ld drops output sections whose inputs are all empty; their symbols still get addresses.
    empty: inputs.every((s) => s.size === 0),
  };
  for (const s of inputs) s.output = out;
  return out;
}

/**
 * ld allocates COMMON symbols while walking its symbol hash table, placing
 * each in the COMMON input section of the file that owns it; those sections
 * are then laid out in file order. The walk order is the bucket order of a
 * 4051-bucket table keyed by this string hash (observed to reproduce
 * GNU ld 2.40's placement exactly); within a bucket, newest entry first.
 */
export function symbolHashBucket(name: string): number {
  let hash = 0;
  const bytes = new TextEncoder().encode(name);
  for (const c of bytes) {
    hash = (hash + c + (c << 17)) >>> 0;
    hash = (hash ^ (hash >>> 2)) >>> 0;
  }
  const len = bytes.length;
  hash = (hash + len + (len << 17)) >>> 0;
  hash = (hash ^ (hash >>> 2)) >>> 0;
  return hash % 4051;
}

function orderCommons(commons: GlobalSymbol[], files: InputFile[], symbols: Map<string, GlobalSymbol>): GlobalSymbol[] {
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const firstSeen = new Map([...symbols.keys()].map((name, i) => [name, i]));
  const key = (g: GlobalSymbol) =>
    [fileIndex.get(g.file!)!, symbolHashBucket(g.name), -firstSeen.get(g.name)!] as const;
  return [...commons].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

/**
 * `linkerSections` are sections the linker itself fills (.got, .got.plt);
 * they are placed by the same rules, after the inputs' sections of the same name.
 */
export function createSections(
  files: InputFile[],
  symbols: Map<string, GlobalSymbol>,
  wordAlign: number,
  linkerSections: InputSection[] = [],
): OutputSection[] {
  const all: InputSection[] = [
    ...files.flatMap((f) => f.sections.filter((s): s is InputSection => s !== null)),
    ...linkerSections,
  ];
  const claimed = new Set<InputSection>();

  // One COMMON input section per owning file (ld's per-bfd COMMON section),
  // aligned to its strictest symbol, symbols inside in hash-walk order.
  const commonSymbols = [...symbols.values()].filter((g) => g.state === 'common' && g.file);
  const orderedCommons: InputSection[] = [];
  for (const g of orderCommons(commonSymbols, files, symbols)) {
    let sec = orderedCommons.find((c) => c.file === g.file);
    if (!sec) {
      sec = {
        file: g.file!,
        name: 'COMMON',
        elf: null,
        flags: SHF_ALLOC | SHF_WRITE,
        nobits: true,
        size: 0,
        align: 1,
        data: new Uint8Array(0),
        output: null,
        outputOffset: 0,
        commonSymbols: [],
      };
      orderedCommons.push(sec);
    }
    const offset = Math.ceil(sec.size / g.commonAlign) * g.commonAlign;
    g.section = sec;
    g.value = offset;
    sec.size = offset + g.commonSize;
    sec.align = Math.max(sec.align, g.commonAlign);
    sec.commonSymbols!.push(g);
  }
  const fromRules = new Map<string, InputSection[]>();
  for (const rule of RULES) {
    const picked: InputSection[] = [];
    for (const group of rule.groups) {
      if (group.common) {
        picked.push(...orderedCommons);
        continue;
      }
      let groupPicked = all.filter((s) => !claimed.has(s) && group.patterns.some((p) => globMatch(p, s.name)));
      if (group.sortByName)
        groupPicked = [...groupPicked].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const s of groupPicked) claimed.add(s);
      picked.push(...groupPicked);
    }
    fromRules.set(rule.name, picked);
  }

  // Orphans: grouped by name in first-seen order.
  const orphanGroups = new Map<string, InputSection[]>();
  for (const s of all) {
    if (claimed.has(s)) continue;
    const list = orphanGroups.get(s.name);
    if (list) list.push(s);
    else orphanGroups.set(s.name, [s]);
  }
  const orphansByKind = new Map<OrphanKind, Array<[string, InputSection[]]>>();
  for (const [name, list] of orphanGroups) {
    const kind = orphanKind(list[0]!);
    const bucket = orphansByKind.get(kind) ?? [];
    bucket.push([name, list]);
    orphansByKind.set(kind, bucket);
  }

  const outputs: OutputSection[] = [];
  for (const rule of RULES) {
    const inputs = fromRules.get(rule.name)!;
    if (inputs.length > 0)
      outputs.push(makeOutput(rule.name, rule.segment, inputs, rule.endAlign === 'word' ? wordAlign : 1));
    if (rule.orphanAnchor) {
      for (const [name, list] of orphansByKind.get(rule.orphanAnchor) ?? [])
        outputs.push(makeOutput(name, rule.segment, list, 1));
    }
  }
  return outputs;
}
