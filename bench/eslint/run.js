// `node bench/eslint/run.js` (part of `pnpm bench`): ESLint's time on a generated 1,000-file service
// with typescript-eslint's `recommended` alone and with @unthread/eslint-plugin's `recommended` or
// `strict` added, in the same run, plus the time of every rule. Writes bench/results/eslint.md and
// prints it on stdout; progress goes to stderr.
//
// UNTHREAD_BENCH_ROUNDS=<n> overrides the timed rounds; UNTHREAD_BENCH_KEEP=1 keeps the service.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadAverage, machine, nodeVersion } from '../lib/env.js';
import { distFingerprint } from '../lib/fingerprint.js';
import { benchRoot, repoRoot, resultsFile as resultsPath } from '../lib/paths.js';
import { freshDir, removeScratch } from '../lib/workdir.js';
import { writeLintService } from './generate.js';
import { measureRuleTimes, measureTimed } from './measure.js';
import { files, rounds as plannedRounds, statsRounds } from './plan.js';
import { renderEslintReport } from './report.js';
import { pluginUnavailable, variants } from './variants.js';

const resultsFile = resultsPath('eslint.md');
const pluginDist = join(repoRoot, 'packages/eslint-plugin/dist');
const log = (line) => process.stderr.write(`${line}\n`);
const rounds = Number(process.env.UNTHREAD_BENCH_ROUNDS) || plannedRounds;

const startedAt = new Date();
const started = performance.now();
const loadBefore = loadAverage();
const buildBefore = distFingerprint(pluginDist);
const unavailable = await pluginUnavailable();
if (unavailable) log(`bench eslint: ${unavailable}; measuring the baseline only`);

let timed;
const ruleTimes = [];
try {
  log(`bench eslint: generating ${files} files`);
  const dir = freshDir(`lint-${files}`);
  writeLintService(dir, files);
  const measured = unavailable ? ['base'] : Object.keys(variants);
  timed = await measureTimed({ dir, variants: measured, rounds, log });
  if (!unavailable) {
    for (const variant of ['recommended', 'strict']) ruleTimes.push(await measureRuleTimes({ dir, variant, rounds: statsRounds, log }));
  }
} finally {
  if (!process.env.UNTHREAD_BENCH_KEEP) removeScratch([`lint-${files}`]);
}

const fromBench = createRequire(join(benchRoot, 'package.json'));
const fromPlugin = createRequire(join(repoRoot, 'packages/eslint-plugin/package.json'));
const report = renderEslintReport({
  unavailable,
  timed,
  ruleTimes,
  rounds,
  environment: {
    command: 'node bench/eslint/run.js',
    startedAt,
    wallMs: performance.now() - started,
    machine: machine(),
    load: { before: loadBefore, after: loadAverage() },
    nodeVersion: nodeVersion(process.execPath),
    builds: [{ dir: 'packages/eslint-plugin/dist', before: buildBefore, after: distFingerprint(pluginDist) }],
    versions: {
      eslint: fromBench('eslint/package.json').version,
      'typescript-eslint': fromBench('typescript-eslint/package.json').version,
      '@unthread/eslint-plugin': fromPlugin('./package.json').version,
    },
  },
});
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, report);
process.stdout.write(report);
log(`bench eslint: wrote bench/results/eslint.md in ${Math.round((performance.now() - started) / 1000)} s`);
