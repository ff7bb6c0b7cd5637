/**
 * Formats the results of bench/run.mjs as Markdown: the machine, the table
 * (median CPU seconds and peak RSS per tool, ratios, identical-to-nasm) and
 * the targets of issue 14, each marked met / NOT met / not measured.
 */

const cpuText = (t) => (t?.status === 'ok' ? t.cpu.toFixed(2) : (t?.status ?? 'n/a'));
const mibText = (t) => (t?.status === 'ok' ? (t.rssKiB / 1024).toFixed(0) : '–');
const both = (a, b) => a?.status === 'ok' && b?.status === 'ok';
// /usr/bin/time counts CPU in 0.01 s steps: a tool that measured 0.00 s took less than one step.
const ratio = (x, y) => (y > 0 ? `${(x / y).toFixed(2)}×` : `> ${(x / 0.01).toFixed(0)}×`);

function tableRow(r) {
  const { tsnasm, nasm, yasm } = r.tools;
  const perLine = tsnasm?.status === 'ok' && r.workload !== 'hello' ? ((tsnasm.cpu / r.lines) * 1e6).toFixed(1) : '–';
  return [
    r.workload,
    r.lines.toLocaleString('en-US'),
    cpuText(tsnasm),
    cpuText(nasm),
    cpuText(yasm),
    mibText(tsnasm),
    mibText(nasm),
    mibText(yasm),
    both(tsnasm, nasm) ? ratio(tsnasm.cpu, nasm.cpu) : '–',
    both(tsnasm, yasm) ? ratio(tsnasm.cpu, yasm.cpu) : '–',
    both(tsnasm, yasm) ? ratio(tsnasm.rssKiB, yasm.rssKiB) : '–',
    perLine,
    r.identical,
  ];
}

/** One line per target of issue 14: [description, verdict, evidence]. */
function targets(results, node) {
  const lines = [];
  const verdict = (ok) => (ok ? 'met' : '**NOT met**');
  const hello = results.find((r) => r.workload === 'hello')?.tools.tsnasm;
  if (hello?.status === 'ok' && node.status === 'ok') {
    const x = hello.cpu / node.cpu;
    lines.push(['hello: tsnasm CPU ≤ 2× `node -e 0`', verdict(x <= 2), `${x.toFixed(1)}×`]);
  } else lines.push(['hello: tsnasm CPU ≤ 2× `node -e 0`', 'not measured', '']);

  const code10k = results.find((r) => r.workload === 'code' && r.lines === 10_000);
  if (code10k && both(code10k.tools.tsnasm, code10k.tools.nasm)) {
    const x = code10k.tools.tsnasm.cpu / code10k.tools.nasm.cpu;
    lines.push(['10k code: tsnasm CPU ≤ nasm', verdict(x <= 1), `${x.toFixed(1)}×`]);
  } else lines.push(['10k code: tsnasm CPU ≤ nasm', 'not measured', '']);

  for (const r of results.filter((x) => x.lines >= 100_000)) {
    const { tsnasm, yasm } = r.tools;
    const name = `${r.workload} ${r.lines.toLocaleString('en-US')}`;
    if (both(tsnasm, yasm)) {
      const cpu = tsnasm.cpu / yasm.cpu;
      const rss = tsnasm.rssKiB / yasm.rssKiB;
      lines.push([`${name}: CPU ≤ yasm`, verdict(cpu <= 1), `${cpu.toFixed(1)}×`]);
      lines.push([`${name}: peak RSS ≤ 2× yasm`, verdict(rss <= 2), `${rss.toFixed(1)}×`]);
    } else
      lines.push([
        `${name}: CPU and RSS against yasm`,
        'not measured',
        `tsnasm ${tsnasm?.status}, yasm ${yasm?.status}`,
      ]);
  }

  const byWorkload = new Map();
  for (const r of results) byWorkload.set(`${r.workload}/${r.lines}`, r);
  for (const r of results.filter((x) => x.lines === 1_000_000)) {
    const base = byWorkload.get(`${r.workload}/100000`);
    const name = `${r.workload}: time per line at 1M ≤ 1.3× at 100k`;
    if (base && both(r.tools.tsnasm, base.tools.tsnasm)) {
      const x = r.tools.tsnasm.cpu / 1_000_000 / (base.tools.tsnasm.cpu / 100_000);
      lines.push([name, verdict(x <= 1.3), `${x.toFixed(2)}×`]);
    } else lines.push([name, 'not measured', '']);
  }

  const compared = results.filter((r) => r.identical !== 'n/a');
  const different = compared.filter((r) => r.identical !== 'yes').map((r) => `${r.workload} ${r.lines}`);
  lines.push([
    'identical output to nasm wherever nasm finishes',
    compared.length === 0 ? 'not measured' : verdict(different.length === 0),
    different.length > 0 ? `differs: ${different.join(', ')}` : `${compared.length} inputs compared`,
  ]);
  return lines;
}

function loadNote(load, cores) {
  const fmt = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  const busy = Math.max(load.before[0], load.after[0]) > cores * 0.5;
  return (
    `Load average (1/5/15 min) ${fmt(load.before)} at the start, ${fmt(load.after)} at the end, on ${cores} cores.` +
    (busy
      ? ' **Measured under load**: the machine was shared with other work, so the CPU times are noisy' +
        ' (CPU time rises when caches and cores are contended) — compare ratios within one run, not across runs.'
      : '')
  );
}

export function formatReport({ results, node, machine, started, load, options }) {
  const out = [];
  out.push('# Benchmark results', '');
  out.push(
    `Produced by \`npm run bench${options.argv.length > 0 ? ' -- ' + options.argv.join(' ') : ''}\` ` +
      `(bench/run.mjs) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
  );
  out.push(
    `- Machine: ${machine.cpu}, ${machine.cores} cores, Linux ${machine.kernel}`,
    `- Node ${machine.node}; tsnasm run as \`node ${options.tsnasm}\``,
    `- ${machine.nasm}; ${machine.yasm}`,
    `- ${options.runs} run(s) per tool and input, median reported; a run over ${options.repeatLimit} s is not repeated, ` +
      `over ${options.timeout} s it is killed (timeout). CPU = user + sys seconds and peak RSS from /usr/bin/time.`,
    `- ${loadNote(load, machine.cores)}`,
  );
  if (options.note) out.push(`- ${options.note}`);
  out.push('');
  if (node.status === 'ok') {
    out.push(`Floor: \`node -e 0\` takes ${node.cpu.toFixed(2)} s CPU and ${(node.rssKiB / 1024).toFixed(0)} MiB.`, '');
  }
  const header = [
    'workload',
    'lines',
    'tsnasm s',
    'nasm s',
    'yasm s',
    'tsnasm MiB',
    'nasm MiB',
    'yasm MiB',
    'tsnasm/nasm CPU',
    'tsnasm/yasm CPU',
    'tsnasm/yasm RSS',
    'tsnasm µs/line',
    '= nasm',
  ];
  out.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 1 ? '---' : '---:')).join('|')}|`);
  for (const r of results) out.push(`| ${tableRow(r).join(' | ')} |`);
  out.push('');
  const failures = results.flatMap((r) =>
    Object.entries(r.tools)
      .filter(([, t]) => t.status === 'failed')
      .map(([tool, t]) => `- ${tool} on ${r.name}: failed — ${t.message || '(no message)'}`),
  );
  if (failures.length > 0)
    out.push('Failures (shown as `failed` above; yasm failing means n/a for that workload):', '', ...failures, '');
  out.push('## Targets (issue 14)', '', '| target | verdict | measured |', '|---|---|---|');
  for (const [target, verdict, evidence] of targets(results, node))
    out.push(`| ${target} | ${verdict} | ${evidence} |`);
  out.push('');
  return out.join('\n');
}
