// `node bench/codemod/run.js` (part of `pnpm bench`): the codemod's wall time and peak memory
// against `tsc --noEmit` on generated services of 100, 1,000 and 3,000 files, in the same run.
// Writes bench/results/codemod.md and prints it on stdout; progress goes to stderr.
//
// Then one big file at two sizes (big-file.js): how time grows with one file's size.
//
// UNTHREAD_BENCH_ROUNDS=<n> overrides the rounds per size (e.g. 1 for a quick look);
// UNTHREAD_BENCH_SIZES=100,1000 runs only those sizes (`none`: only the big file);
// UNTHREAD_BENCH_BIG_FILE=0 skips the big file; UNTHREAD_BENCH_KEEP=1 keeps the services.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadAverage, machine, nodeVersion } from '../lib/env.js';
import { bigFile, measureBigFile } from './big-file.js';
import { writeService } from './generate.js';
import { distFingerprint } from '../lib/fingerprint.js';
import { repoRoot, resultsFile as resultsPath } from '../lib/paths.js';
import { freshDir, removeScratch } from '../lib/workdir.js';
import { measureSize } from './measure.js';
import { diagnosticSize, sizes } from './plan.js';
import { renderCodemodReport } from './report.js';
import { codemodDist, codemodUnavailable } from './subjects.js';
import { toolVersions } from './versions.js';

const resultsFile = resultsPath('codemod.md');
const log = (line) => process.stderr.write(`${line}\n`);

const roundsOverride = Number(process.env.UNTHREAD_BENCH_ROUNDS) || undefined;
const onlySizes = process.env.UNTHREAD_BENCH_SIZES?.split(',').map(Number);
const plan = sizes
  .filter((s) => !onlySizes || onlySizes.includes(s.files))
  .map((s) => ({ ...s, rounds: roundsOverride ?? s.rounds }));

const startedAt = new Date();
const started = performance.now();
const loadBefore = loadAverage();
const buildBefore = distFingerprint(codemodDist);
const unavailable = codemodUnavailable();
if (unavailable) log(`bench codemod: ${unavailable}; measuring the tsc baseline only`);

const results = [];
try {
  for (const { files, rounds } of plan) {
    log(`bench codemod: generating ${files} files`);
    const pristineDir = freshDir(`service-${files}`);
    writeService(pristineDir, files);
    const names = unavailable ? ['tsc'] : files === diagnosticSize ? ['tsc', 'codemod', 'codemodNoVerify'] : ['tsc', 'codemod'];
    const result = await measureSize({ size: files, pristineDir, rounds, names, log });
    results.push(unavailable ? { ...result, unavailable } : result);
  }
} finally {
  if (!process.env.UNTHREAD_BENCH_KEEP) removeScratch(plan.flatMap(({ files }) => [`service-${files}`, `work-${files}`]));
}
let bigFileResult;
if (!unavailable && process.env.UNTHREAD_BENCH_BIG_FILE !== '0') {
  log(`bench codemod: one big file of ${bigFile.functions} and ${bigFile.functions * 2} functions`);
  bigFileResult = await measureBigFile({ rounds: roundsOverride ?? bigFile.rounds, log });
}

const report = renderCodemodReport({
  results,
  bigFile: bigFileResult,
  environment: {
    command: 'node bench/codemod/run.js',
    startedAt,
    wallMs: performance.now() - started,
    machine: machine(),
    load: { before: loadBefore, after: loadAverage() },
    nodeVersion: nodeVersion(process.execPath),
    builds: [{ dir: 'packages/codemod/dist', before: buildBefore, after: distFingerprint(codemodDist) }],
    versions: toolVersions(repoRoot),
  },
});
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, report);
process.stdout.write(report);
log(`bench codemod: wrote bench/results/codemod.md in ${Math.round((performance.now() - started) / 1000)} s`);
