#!/usr/bin/env node
// unthread [paths...]: moves threaded context parameters into @unthread/context.
// Exit codes: 0 done or nothing to do, 1 verification failed or nothing could be changed safely,
// 2 bad usage or input.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { acquireLock, lockFileFor, type Lock } from './cli/lock.js';
import { gitRepositoryOf, refuseDirtyTree } from './cli/git.js';
import { invalidParamName } from './cli/param-names.js';
import { InputError } from './errors.js';
import type { Plan } from './public-types.js';
import { formatDiff } from './report/diff.js';
import { formatNewErrors, formatSummary } from './report/summary.js';
import { runUnthread } from './run.js';
import { repositoryRoot } from './write/symlinks.js';
import { writeAllOrNothing } from './write/write-files.js';

interface CliOptions {
  param?: string[];
  contextModule?: string;
  tsconfig?: string;
  dry?: boolean;
  json?: string;
  force?: boolean;
  verify: boolean;
}

/** This package's version, from its package.json (dist/ and src/ sit at the same depth below it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export function main(argv: readonly string[]): number {
  const program = new Command()
    .name('unthread')
    .version(packageVersion(), '-V, --version', 'print the version of unthread')
    .description('Replace hand-threaded request context parameters with @unthread/context (AsyncLocalStorage).')
    .argument('[paths...]', 'files or folders to transform (a folder with tsconfig.json loads that config)', ['.'])
    .addOption(new Option('--param <name>', 'parameter to move into the context (repeatable; default requestId); name=key holds parameters named name as the key key; name:Type picks one of several same-name values').argParser(collectParam))
    .option('--context-module <file>', 'module that creates the context (default src/context.ts, .js in JS projects)')
    .option('--tsconfig <file>', 'tsconfig to load instead of the one found in the path')
    .option('--dry', 'print the diff and the summary, write nothing')
    .option('--json <file>', 'write the whole plan as JSON to this file (- for stdout)')
    .option('--force', 'run even when the git working tree has uncommitted changes')
    .option('--no-verify', 'skip the before/after type-check')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<CliOptions>();
  const paths = program.args.length > 0 ? program.args : ['.'];
  try {
    return execute(paths, options);
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`unthread: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`unthread: ${(error as Error).message}; nothing was written\n`);
    return 1;
  }
}

function collectParam(value: string, previous: string[] | undefined): string[] {
  const invalid = invalidParamName(value);
  if (invalid !== undefined) throw new InvalidArgumentError(`${invalid}.`);
  return [...(previous ?? []), value];
}

function execute(paths: string[], options: CliOptions): number {
  const cwd = process.cwd();
  const dry = options.dry === true;
  // With `--json -` stdout carries the JSON alone; what people read goes to stderr.
  const jsonToStdout = options.json === '-';
  const human = jsonToStdout ? process.stderr : process.stdout;
  const first = path.resolve(cwd, paths[0]!);
  const firstDir = existsSync(first) && !statSync(first).isDirectory() ? path.dirname(first) : first;
  const repository = existsSync(firstDir) ? gitRepositoryOf(firstDir) : undefined;
  if (!dry && repository === undefined && existsSync(firstDir)) {
    process.stderr.write(
      `unthread: note: ${firstDir} is not in a git repository, so nothing can be checked before writing: no clean tree to compare, no commit to go back to. ` +
        'The files are changed in place; run with --dry first to see the diff.\n',
    );
  }
  const lock: Lock | undefined = dry || !existsSync(firstDir) ? undefined : acquireLock(lockFileFor(repository, firstDir));
  try {
    // Checked under the lock: no other run can write between this check and this run's reading.
    if (!dry && repository !== undefined && options.force !== true) refuseDirtyTree(paths, cwd);
    return runAndReport(paths, options, cwd, human, jsonToStdout);
  } finally {
    lock?.release();
  }
}

function runAndReport(paths: string[], options: CliOptions, cwd: string, human: NodeJS.WriteStream, jsonToStdout: boolean): number {
  const dry = options.dry === true;
  const started = performance.now();
  // Stage lines on a terminal only: logs and pipes get the summary, not a play-by-play.
  const progress = (message: string): void => {
    if (process.stderr.isTTY) process.stderr.write(`unthread: ${((performance.now() - started) / 1000).toFixed(1)} s: ${message}...\n`);
  };
  const result = runUnthread({
    paths,
    cwd,
    verify: options.verify,
    onProgress: progress,
    ...(options.param !== undefined ? { params: options.param } : {}),
    ...(options.contextModule !== undefined ? { contextModule: options.contextModule } : {}),
    ...(options.tsconfig !== undefined ? { tsconfig: options.tsconfig } : {}),
  });
  const { plan, changes, newErrors, notes, typescript } = result;
  if (options.json !== undefined) {
    const json = `${JSON.stringify({ ...plan, typescript, newErrors: newErrors ?? null, notes }, null, 2)}\n`;
    if (jsonToStdout) process.stdout.write(json);
    else writeFileSync(path.resolve(cwd, options.json), json);
  }
  for (const note of notes) process.stderr.write(`unthread: note: ${note}\n`);
  const color = human.isTTY === true;
  const failed = newErrors !== undefined && newErrors.length > 0;
  // Under --dry the diff is shown even when verification fails: it is what the user must look at.
  if (dry && changes.length > 0) {
    progress(`formatting the diff of ${changes.length.toLocaleString('en-US')} files`);
    human.write(formatDiff(changes, plan.root, color));
  }
  const unknown = unknownParams(plan);
  if (failed) {
    human.write(`${formatSummary(plan, false, dry, typescript)}\n`);
    process.stderr.write(`${formatNewErrors(newErrors)}\n`);
    return 1;
  }
  if (unknown.length > 0) {
    human.write(`${formatSummary(plan, false, dry, typescript)}\n`);
    process.stderr.write(
      `unthread: --param ${unknown.join(', --param ')}: no parameter of that name in the loaded files and not in ${plan.contextModule}; ` +
        `check the spelling. ${dry ? 'This was a dry run.' : 'Nothing was written.'}\n`,
    );
    return 1;
  }
  if (dry) {
    human.write(`${formatSummary(plan, false, true, typescript)}\n`);
    return exitCodeFor(plan, changes.length);
  }
  if (changes.length > 0) {
    progress(`writing ${changes.length.toLocaleString('en-US')} files`);
    writeAllOrNothing(changes, { repository: repositoryRoot(plan.root) });
  }
  human.write(`${formatSummary(plan, changes.length > 0, false, typescript)}\n`);
  if (changes.length === 0) human.write('Nothing to do: no file changes.\n');
  return exitCodeFor(plan, changes.length);
}

/** Names given with --param that match nothing and that the context module does not hold either: typos. */
function unknownParams(plan: Plan): string[] {
  return plan.unmatched.filter((name) => !plan.alreadyInContext.includes(name));
}

/**
 * 1 when nothing changed although threaded functions exist and every one had to be kept; a repo that
 * an earlier run migrated (its context already holds the params) is simply done.
 */
function exitCodeFor(plan: Plan, changed: number): number {
  const pending = plan.params.some((p) => !plan.alreadyInContext.includes(p));
  return changed === 0 && plan.summary.functionsStripped === 0 && plan.summary.functionsKept > 0 && pending ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
