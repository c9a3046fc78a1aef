// `node bench/context/run.js` (part of `pnpm bench`): measures @unthread/context against raw
// AsyncLocalStorage and its peers, then writes bench/results/context.md and prints the same markdown
// to stdout. Progress goes to stderr, so stdout is exactly the report.
//
// Sections: micro-benchmarks on Node 20 and 24 (micro/), HTTP throughput per framework on both (http/),
// bundle size (size/). Each measurement runs in child processes; this process only schedules,
// drives autocannon and formats.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadAverage, machine, nodeVersion } from '../lib/env.js';
import { display, node24, packageDist, resultsFile as resultsPath } from '../lib/paths.js';
import { installedVersions } from '../lib/versions.js';
import { distFingerprint } from '../lib/fingerprint.js';
import { microCases } from './micro/plan.js';
import { microCommand, runMicro } from './micro/index.js';
import { frameworks } from './http/plan.js';
import { serverCommand } from './http/servers.js';
import { loadOptions } from './http/load.js';
import { httpSettings as plannedHttpSettings, runHttp } from './http/index.js';
import { measureSizes, sizeCommand, sizeEntries } from './size/index.js';
import { renderReport } from './report.js';

// UNTHREAD_BENCH_ROUNDS=<n> overrides the rounds of both sections (1 for a quick look), as in the
// other wings.
const roundsOverride = Number(process.env.UNTHREAD_BENCH_ROUNDS) || undefined;
const MICRO_ROUNDS = roundsOverride ?? 4;
const httpSettings = { ...plannedHttpSettings, rounds: roundsOverride ?? plannedHttpSettings.rounds };
const contextDist = packageDist('context');
const resultsFile = resultsPath('context.md');
// Every child process imports packages/context/dist afresh: a rebuild while the bench runs (another
// `tsc -b` in the workspace) would silently mix two builds in one report, so the hash is compared.
const buildFingerprint = () => distFingerprint(contextDist);
const log = (line) => process.stderr.write(`${line}\n`);

for (const [what, path] of [['the built package (run `tsc -b` first)', join(contextDist, 'index.js')], ['the Node 24 binary', node24]]) {
  if (!existsSync(path)) {
    log(`bench: missing ${what}: ${path}`);
    process.exit(2);
  }
}

const startedAt = new Date();
const started = performance.now();
const loadBefore = loadAverage();
const buildBefore = buildFingerprint();

const nodes = [
  { binary: process.execPath, role: 'micro; HTTP servers and client; size' },
  { binary: node24, role: 'micro; HTTP servers' },
].map((node) => ({ ...node, version: nodeVersion(node.binary), display: display(node.binary) }));

const sectionSeconds = {};
async function timed(name, work) {
  const start = performance.now();
  const result = await work();
  sectionSeconds[name] = (performance.now() - start) / 1000;
  return result;
}

const micro = await timed('micro', () => runMicro(nodes, { rounds: MICRO_ROUNDS, log }));
// Every framework on each Node in turn, the servers on that Node (autocannon stays in this process).
const http = await timed('HTTP', async () => {
  const results = [];
  for (const node of nodes) {
    log(`http on Node ${node.version}`);
    const perNode = await runHttp(node.binary, { settings: httpSettings, log });
    results.push(...perNode.map((framework) => ({ ...framework, node: node.version })));
  }
  return results;
});
log('size');
const sizes = await timed('size', () => measureSizes());

const wallSeconds = (performance.now() - started) / 1000;
const load = { before: loadBefore, after: loadAverage() };
const build = { before: buildBefore, after: buildFingerprint() };
if (build.before !== build.after) log('bench: WARNING packages/context/dist changed during the run; the report mixes two builds');

const report = renderReport({
  startedAt,
  wallSeconds,
  sectionSeconds,
  machine: machine(),
  load,
  build,
  nodes,
  versions: installedVersions([
    'express', 'fastify', 'koa', 'hono', '@hono/node-server', '@hapi/hapi', '@nestjs/core',
    'express-http-context', 'cls-rtracer', '@fastify/request-context', 'autocannon', 'esbuild',
  ]),
  micro,
  microRounds: MICRO_ROUNDS,
  http,
  httpSettings,
  sizes,
  commands: {
    micro: nodes.flatMap((node) =>
      microCases.flatMap((c) => Object.keys(c.variants).map((variant) => microCommand(node.binary, c.id, variant))),
    ),
    servers: nodes.flatMap((node) => frameworks.flatMap((f) => f.variants.map((v) => serverCommand(node.binary, f.id, v.id)))),
    loadOptions: loadOptions(httpSettings),
    loadCli:
      `npx autocannon -c ${httpSettings.connections} -d ${httpSettings.duration} ` +
      `-H ${Object.entries(loadOptions(httpSettings).headers).map(([k, v]) => `${k}=${v}`).join(' ')} http://127.0.0.1:<port>/`,
    size: sizeEntries.map((entry) => sizeCommand(entry.file)),
  },
});

await mkdir(dirname(resultsFile), { recursive: true });
await writeFile(resultsFile, report);
process.stdout.write(report);
log(`bench: wrote ${display(resultsFile)} in ${wallSeconds.toFixed(0)} s`);
