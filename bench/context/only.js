// Runs part of the bench and prints its numbers, without writing bench/results/context.md: for
// checking one change against its baseline while working on it. `node bench/context/run.js` stays the
// only source of the report.
//
//   node bench/context/only.js micro run run-nested          # these micro cases, every variant, Node 20 and 24
//   node bench/context/only.js micro run:raw,ours --node 20  # two variants of one case, Node 20 only
//   node bench/context/only.js http fastify:ours,raw koa     # these frameworks (and variants)
//   node bench/context/only.js http hono --rounds 8          # more rounds than the report's 4
//   node bench/context/only.js http hapi --node 24           # servers on Node 24 (HTTP default: Node 20)
//
// Variants are the ids in micro/plan.js and http/plan.js; a micro selection must keep `raw`, which
// every ratio divides by (it is added when left out).
import { display, node24 } from '../lib/paths.js';
import { nodeVersion } from '../lib/env.js';
import { microCases } from './micro/plan.js';
import { runMicro } from './micro/index.js';
import { frameworks } from './http/plan.js';
import { httpSettings, runHttp } from './http/index.js';

const log = (line) => process.stderr.write(`${line}\n`);

function usage(problem) {
  log(`bench/context/only.js: ${problem}`);
  log('usage: node bench/context/only.js micro|http <id>[:variant,...] ... [--rounds N] [--node 20|24]');
  process.exit(2);
}

const args = process.argv.slice(2);
const section = args.shift();
const flags = {};
const selections = [];
while (args.length > 0) {
  const arg = args.shift();
  if (arg.startsWith('--')) flags[arg.slice(2)] = args.shift();
  else selections.push(arg);
}
const rounds = flags.rounds === undefined ? undefined : Number(flags.rounds);
if (rounds !== undefined && !(rounds >= 1)) usage(`--rounds must be a positive number, got ${flags.rounds}`);

/** `id:variant,variant` against `items` (each `{ id }` with variants), keeping plan order. */
function select(items, variantsOf, withVariants) {
  if (selections.length === 0) usage('name at least one case or framework');
  return selections.map((selection) => {
    const [id, list] = selection.split(':');
    const item = items.find((candidate) => candidate.id === id);
    if (item === undefined) usage(`unknown ${section} id "${id}"; known: ${items.map((i) => i.id).join(', ')}`);
    if (list === undefined) return item;
    const wanted = new Set(list.split(','));
    for (const variant of wanted) {
      if (!variantsOf(item).includes(variant)) usage(`unknown variant "${variant}" of ${id}`);
    }
    return withVariants(item, wanted);
  });
}

if (section === 'micro') {
  const cases = select(
    microCases,
    (c) => Object.keys(c.variants),
    (c, wanted) => ({
      ...c,
      variants: Object.fromEntries(Object.entries(c.variants).filter(([id]) => id === 'raw' || wanted.has(id))),
    }),
  );
  const binaries = { 20: process.execPath, 24: node24 };
  const chosen = flags.node === undefined ? ['20', '24'] : [flags.node];
  if (chosen.some((major) => binaries[major] === undefined)) usage(`--node takes 20 or 24, got ${flags.node}`);
  const nodes = chosen.map((major) => ({ binary: binaries[major], version: nodeVersion(binaries[major]) }));
  const results = await runMicro(nodes, { rounds, log, cases });
  console.log('| Node | case | variant | ns/op (median) | vs raw (median of rounds) | rounds (ns) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    for (const [variant, r] of Object.entries(result.variants)) {
      const perRound = r.rounds.map((ns) => ns.toFixed(1)).join(' / ');
      console.log(`| ${result.node} | ${result.caseId} | ${variant} | ${r.nsPerOp.toFixed(1)} | ${r.ratio.toFixed(2)}x | ${perRound} |`);
    }
  }
} else if (section === 'http') {
  const only = select(
    frameworks,
    (f) => f.variants.map((v) => v.id),
    (f, wanted) => ({ ...f, variants: f.variants.filter((v) => v.kind === 'raw' || wanted.has(v.id)) }),
  );
  const settings = rounds === undefined ? httpSettings : { ...httpSettings, rounds };
  const binaries = { 20: process.execPath, 24: node24 };
  const chosen = flags.node === undefined ? ['20'] : [flags.node];
  if (chosen.some((major) => binaries[major] === undefined)) usage(`--node takes 20 or 24, got ${flags.node}`);
  console.log('| framework | Node | variant | vs raw (median of rounds) | CPU vs raw (median) | req/s (best) | CPU µs/request (best) | rounds: req/s (CPU µs) | problems |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const major of chosen) {
    const binary = binaries[major];
    const version = nodeVersion(binary);
    log(`http with ${display(binary)} (${version}): ${settings.rounds} rounds of ${settings.warmup} + ${settings.duration} s`);
    const results = await runHttp(binary, { settings, log, only });
    for (const framework of results) {
      for (const v of framework.variants) {
        const perRound = v.rounds.map((r, i) => `${Math.round(r)} (${v.cpuRounds[i].toFixed(1)})`).join(' / ');
        console.log(
          `| ${framework.id} | ${version} | ${v.id} | ${v.ratio?.toFixed(2) ?? '-'}x | ${v.cpuRatio?.toFixed(2) ?? '-'}x | ` +
            `${Math.round(v.best ?? 0)} | ${v.cpuPerRequest?.toFixed(1) ?? '-'} | ${perRound} | ${v.problems.join('; ')} |`,
        );
      }
      console.log(`|  |  | load average before each round: ${framework.loads.map((l) => l.toFixed(1)).join(' / ')} |  |  |  |  |  |  |`);
    }
  }
} else {
  usage(`unknown section "${section ?? ''}"`);
}
