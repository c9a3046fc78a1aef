// `node test/real-repos/run.js <recipe> <checkout> [--forced-tests=no] [--no-results]`
//
// Runs the codemod of this workspace (packages/codemod/dist/cli.js: build it with `npx tsc -b`) on a
// local checkout of a real repository, as a user would, and prints one row of what it did:
//
//  1. installs the checkout with the recipe's commands if it has no node_modules yet;
//  2. type-checks and tests the untouched checkout (the "before");
//  3. runs the codemod in its normal mode on a full copy (`.normal`), with --json, measured (wall
//     time, peak RSS); if it wrote, type-checks and tests that copy (the "after");
//  4. forces the write (`--no-verify`) on a second copy (`.forced`) and type-checks it: the errors
//     the repo's own tsc finds there are the actual new errors, set against the ones the normal run
//     predicted; tests that copy too (skip with --forced-tests=no);
//  5. counts, in the sources, the parameter's occurrences, `run()` calls and log fields before and
//     after, and reads the keys of the generated context module against the parameters' types.
//
// The row and its details go to stdout; the result is also saved as bench/results/real-repos/<id>.json
// and bench/results/real-repos.md is rendered again from every saved result (skip with --no-results).
// Copies, logs and the packed runtime live beside the checkout (<checkout>.normal, .forced, .harness),
// never in this repository. Not part of `npm test`: it needs the registry and minutes per repository.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { measureNodeProcess } from '../../bench/lib/child.js';
import { loadAverage } from '../../bench/lib/env.js';
import { distFingerprint } from '../../bench/lib/fingerprint.js';
import { census, contextKeys, sourceFiles } from './census.js';
import { recipeById } from './recipes.js';
import { renderResults, renderRow } from './report.js';
import { runShell } from './shell.js';
import { parseTestCounts } from './test-counts.js';
import { compareErrors, newErrors, parseTypeErrors } from './type-errors.js';
import { changeStats, packContext, prepareCopy, trackedFiles } from './workdir.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repoRoot, 'packages/codemod/dist/cli.js');
const resultsDir = join(repoRoot, 'bench/results/real-repos');
const log = (line) => process.stderr.write(`real-repos: ${line}\n`);

const [recipeId, checkoutArg, ...flags] = process.argv.slice(2);
if (!recipeId || !checkoutArg) {
  process.stderr.write('usage: node test/real-repos/run.js <recipe id> <checkout dir> [--forced-tests=no] [--no-results]\n');
  process.exit(2);
}
const recipe = recipeById(recipeId);
const checkout = resolve(checkoutArg);
if (!existsSync(cli)) {
  log(`${cli} is missing: build the workspace first (npx tsc -b)`);
  process.exit(2);
}
const stateDir = `${checkout}.harness`;
mkdirSync(stateDir, { recursive: true });
const logFile = join(stateDir, `${recipe.id}.log`);
writeFileSync(logFile, `${recipe.id} on ${checkout}, ${new Date().toISOString()}\n`);
log(`commands and their output: ${logFile}`);

const step = (spec) => (typeof spec === 'string' ? { command: spec } : spec);

async function shell(spec, root, what) {
  const { command, cwd } = step(spec);
  log(`${what}: ${command.length > 100 ? `${command.slice(0, 100)}…` : command}`);
  const run = await runShell(command, { cwd: join(root, cwd ?? '.'), logFile });
  log(`${what}: exit ${run.code} in ${Math.round(run.wallMs / 1000)} s`);
  return run;
}

async function typecheck(root, what) {
  const run = await shell(recipe.typecheck, root, `type-check (${what})`);
  return { exit: run.code, errors: parseTypeErrors(run.output), seconds: Math.round(run.wallMs / 1000) };
}

async function tests(root, what) {
  const run = await shell(recipe.test, root, `tests (${what})`);
  const counts = parseTestCounts(recipe.test.format, run.output);
  // A runner that stops before its summary (a compile error in a spec) says why in its first error line.
  const crash = counts ? undefined : run.output.split('\n').find((l) => /error/i.test(l))?.trim().slice(0, 240);
  return { exit: run.code, ...(counts ?? { passed: null, failed: null }), crash, seconds: Math.round(run.wallMs / 1000), timedOut: run.timedOut };
}

async function codemod(root, extra, jsonFile, what) {
  const args = [...recipe.codemod.paths, ...recipe.codemod.params.flatMap((p) => ['--param', p]), ...(recipe.codemod.args ?? []), ...extra, '--json', jsonFile];
  log(`codemod (${what}): unthread ${args.join(' ')}`);
  const run = await measureNodeProcess({ script: cli, args, cwd: root });
  writeFileSync(logFile, `\n$ node ${cli} ${args.join(' ')}\n${run.stdout}\n${run.stderr}\n[exit ${run.code}]\n`, { flag: 'a' });
  log(`codemod (${what}): exit ${run.code} in ${(run.wallMs / 1000).toFixed(1)} s, ${Math.round(run.maxRssKiB / 1024)} MiB`);
  const report = existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, 'utf8')) : undefined;
  // Why a run that did not write stopped: its verdict line, not a note printed before it.
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const firstError = run.code === 0 ? undefined
    : lines.find((l) => /failed|refus|nothing was written|invalid|cannot|error/i.test(l) && !l.startsWith('unthread: note')) ?? lines.at(-1);
  return { exit: run.code, seconds: run.wallMs / 1000, peakMiB: Math.round(run.maxRssKiB / 1024), report, firstError, summaryLine: run.stdout.trim().split('\n')[0] ?? '' };
}

const censusRoots = recipe.census ?? recipe.codemod.paths;
const censusOf = (root, contextName) => census(root, sourceFiles(trackedFiles(root), censusRoots), recipe.codemod.params, contextName);
// tsc prints paths relative to where the type-check runs; the codemod, relative to the copy's root.
const fromRoot = (errors) => errors.map((e) => ({ ...e, file: e.file && step(recipe.typecheck).cwd ? join(step(recipe.typecheck).cwd, e.file) : e.file }));
const errorSummary = (errors) => errors.slice(0, 8).map((e) => `${e.file}:${e.line} ${e.code} ${e.message.slice(0, 160)}`);

const started = new Date();
// Which codemod ran: this workspace's last commit touching packages/codemod and a hash of its dist.
const codemodBuild = {
  commit: execFileSync('git', ['log', '-1', '--format=%h', '--', 'packages/codemod'], { cwd: repoRoot, encoding: 'utf8' }).trim(),
  dist: distFingerprint(join(repoRoot, 'packages/codemod/dist')),
};
const result = { id: recipe.id, repo: recipe.repo, commit: recipe.commit, params: recipe.codemod.params, codemodArgs: recipe.codemod.args ?? [], date: started.toISOString().slice(0, 10), codemodBuild };

// 1. Install.
if (!existsSync(join(checkout, 'node_modules'))) {
  for (const command of recipe.install) {
    const run = await shell(command, checkout, 'install');
    if (run.code !== 0) {
      log('install failed; see the log');
      process.exit(1);
    }
  }
}

// 2. Copies first (the checkout must still be untouched by any build), then the "before".
const tarball = packContext(repoRoot, stateDir);
const normalDir = prepareCopy(checkout, `${checkout}.normal`, tarball);
const forcedDir = prepareCopy(checkout, `${checkout}.forced`, tarball);
log('copies ready');
const before = { typecheck: await typecheck(checkout, 'before'), tests: await tests(checkout, 'before') };
result.before = { typeErrors: before.typecheck.errors.length, typecheckExit: before.typecheck.exit, tests: before.tests };

// 3. Normal mode.
// The machine is shared: the load average beside the codemod's time says how much to trust it.
const loadBefore = loadAverage();
const normal = await codemod(normalDir, [], join(stateDir, `${recipe.id}.normal.json`), 'normal');
const plan = normal.report;
const contextName = plan?.contextName ?? 'request';
result.codemod = {
  exit: normal.exit,
  seconds: Math.round(normal.seconds * 10) / 10,
  peakMiB: normal.peakMiB,
  load: { before: loadBefore, after: loadAverage() },
  summary: normal.summaryLine,
  firstError: normal.firstError,
  predictedNewErrors: plan ? (plan.newErrors === null ? null : plan.newErrors.length) : undefined,
  plan: plan?.summary,
  contextModule: plan?.contextModule,
  notes: plan?.notes ?? [],
  keepReasons: countBy((plan?.functions ?? []).flatMap((f) => f.keeps.map((k) => k.reason))),
  skippedFiles: plan?.skippedFiles?.length ?? 0,
  predictedCodes: countBy((plan?.newErrors ?? []).map((e) => `TS${e.code}`)),
};
// The "before" census reads the forced copy while it is still pristine.
const censusBefore = censusOf(forcedDir, contextName);
result.census = { files: censusBefore.files, before: pick(censusBefore) };
const normalChanges = changeStats(normalDir);
result.normal = { changes: omitNames(normalChanges) };
if (normalChanges.files > 0) {
  const after = censusOf(normalDir, contextName);
  const check = await typecheck(normalDir, 'after normal write');
  const added = newErrors(before.typecheck.errors, check.errors);
  result.normal = { ...result.normal, census: pick(after), newTypeErrors: added.length, newErrorCodes: countBy(added.map((e) => e.code)), newErrorSamples: errorSummary(fromRoot(added)), tests: await tests(normalDir, 'after normal write') };
}

// 4. Forced write: what the repo's own compiler says of the change the normal run judged.
const forced = await codemod(forcedDir, ['--no-verify'], join(stateDir, `${recipe.id}.forced.json`), 'forced, --no-verify');
const forcedChanges = changeStats(forcedDir);
result.forced = { exit: forced.exit, seconds: Math.round(forced.seconds * 10) / 10, changes: omitNames(forcedChanges) };
if (forcedChanges.files > 0) {
  const after = censusOf(forcedDir, contextName);
  // The report's paths are relative to its root: the folder the codemod was pointed at.
  const moduleFile = forced.report ? resolve(forced.report.root, forced.report.contextModule) : undefined;
  const keys = moduleFile ? contextKeys(moduleFile) : undefined;
  const check = await typecheck(forcedDir, 'after forced write');
  const added = newErrors(before.typecheck.errors, check.errors);
  const predicted = (plan?.newErrors ?? []).map((e) => ({ file: relative(normalDir, resolve(plan.root, e.file)), code: `TS${e.code}` }));
  const comparison = plan?.newErrors ? compareErrors(predicted, fromRoot(added)) : undefined;
  writeFileSync(join(stateDir, `${recipe.id}.forced-new-errors.json`), `${JSON.stringify(fromRoot(added), null, 2)}\n`);
  result.forced = {
    ...result.forced,
    census: pick(after),
    contextKeys: keys,
    actualNewErrors: added.length,
    actualCodes: countBy(added.map((e) => e.code)),
    predictedVsActual: comparison && { matched: comparison.matched, predictedOnly: comparison.predictedOnly.slice(0, 12), actualOnly: comparison.actualOnly.slice(0, 12), predictedOnlyCount: comparison.predictedOnly.length, actualOnlyCount: comparison.actualOnly.length },
    newErrorSamples: errorSummary(fromRoot(added)),
    tests: flags.includes('--forced-tests=no') ? undefined : await tests(forcedDir, 'after forced write'),
  };
}
result.minutes = Math.round((Date.now() - started.getTime()) / 6000) / 10;

function countBy(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}
function pick(c) {
  return { occurrences: c.occurrences, declaredTypes: c.declaredTypes, logFields: c.logFields, runCalls: c.runCalls };
}
function omitNames({ files, added, removed }) {
  return { files, added, removed };
}

process.stdout.write(`${renderRow(result)}\n`);
if (!flags.includes('--no-results')) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${recipe.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
  renderResults(resultsDir, join(repoRoot, 'bench/results/real-repos.md'));
  log('wrote bench/results/real-repos.md');
}
