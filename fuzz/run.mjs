/**
 * `npm run fuzz` entry point.
 *
 *   npm run fuzz                         both fuzzers, seed 1, the sizes
 *   npm run fuzz -- probe [flags]        random-instruction differential probe only
 *   npm run fuzz -- mutate [flags]       source-mutation fuzzer only
 *   npm run fuzz -- prefix [flags]       written-prefix probe only (fuzz/prefix-probe.mjs)
 *   npm run fuzz -- all --seed 7         both, another seed
 *
 * Flags are those of fuzz/probe.mjs and fuzz/mutate.mjs (--seed, --count, ...);
 * with `all`, --seed applies to both and --count is not accepted. Exit status 1
 * when the mutation fuzzer found a crash or a hang. Needs `npm run build` first
 * (the fuzzers drive dist/, which is what the CLI runs) and nasm 2.16.01 + ndisasm.
 */
import { parseFlags } from './lib.mjs';
import { PROBE_DEFAULTS, runProbe } from './probe.mjs';
import { MUTATE_DEFAULTS, runMutate } from './mutate.mjs';
import { PREFIX_PROBE_DEFAULTS, runPrefixProbe } from './prefix-probe.mjs';

const [first, ...rest] = process.argv.slice(2);
const command = first && !first.startsWith('--') ? first : 'all';
const args = command === first ? rest : process.argv.slice(2);

if (command === 'probe') {
  await runProbe(parseFlags(args, PROBE_DEFAULTS));
} else if (command === 'prefix') {
  await runPrefixProbe(parseFlags(args, PREFIX_PROBE_DEFAULTS));
} else if (command === 'mutate') {
  const { counts } = await runMutate(parseFlags(args, MUTATE_DEFAULTS));
  process.exitCode = (counts.crash ?? 0) + (counts.hang ?? 0) > 0 ? 1 : 0;
} else if (command === 'all') {
  const { seed } = parseFlags(args, { seed: 1 });
  console.log(`== random-instruction probe (seed ${seed})`);
  await runProbe({ ...PROBE_DEFAULTS, seed });
  console.log(`\n== source-mutation fuzzer (seed ${seed})`);
  const { counts } = await runMutate({ ...MUTATE_DEFAULTS, seed });
  process.exitCode = (counts.crash ?? 0) + (counts.hang ?? 0) > 0 ? 1 : 0;
} else {
  console.error(`unknown command '${command}': use probe, prefix, mutate or all`);
  process.exitCode = 2;
}
