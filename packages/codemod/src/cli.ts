#!/usr/bin/env node
// unthread [paths...]: moves threaded context parameters into @unthread/context.
// Exit codes: 0 done or nothing to do, 1 verification failed or nothing could be changed safely,
// 2 bad usage or input.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { InputError } from './errors.js';
import type { Plan } from './public-types.js';
import { formatDiff } from './report/diff.js';
import { formatNewErrors, formatSummary } from './report/summary.js';
import { runUnthread } from './run.js';
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

export function main(argv: readonly string[]): number {
  const program = new Command()
    .name('unthread')
    .description('Replace hand-threaded request context parameters with @unthread/context (AsyncLocalStorage).')
    .argument('[paths...]', 'files or folders to transform (a folder with tsconfig.json loads that config)', ['.'])
    .addOption(new Option('--param <name>', 'parameter to move into the context (repeatable; default requestId)').argParser(collect))
    .option('--context-module <file>', 'module that creates the context (default src/context.ts, .js in JS projects)')
    .option('--tsconfig <file>', 'tsconfig to load instead of the one found in the path')
    .option('--dry', 'print the diff and the summary, write nothing')
    .option('--json <file>', 'write the whole plan as JSON to this file')
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

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function execute(paths: string[], options: CliOptions): number {
  const cwd = process.cwd();
  if (options.dry !== true && options.force !== true) refuseDirtyTree(paths, cwd);
  const progress = (stage: string): void => {
    if (process.stderr.isTTY) process.stderr.write(`unthread: ${stage}\n`);
  };
  progress('loading and analysing the program...');
  const result = runUnthread({
    paths,
    cwd,
    verify: options.verify,
    ...(options.param !== undefined ? { params: options.param } : {}),
    ...(options.contextModule !== undefined ? { contextModule: options.contextModule } : {}),
    ...(options.tsconfig !== undefined ? { tsconfig: options.tsconfig } : {}),
  });
  const { plan, changes, newErrors, notes, typescript } = result;
  if (options.json !== undefined) {
    writeFileSync(path.resolve(cwd, options.json), `${JSON.stringify({ ...plan, typescript, newErrors: newErrors ?? null, notes }, null, 2)}\n`);
  }
  for (const note of notes) process.stderr.write(`unthread: note: ${note}\n`);
  if (newErrors !== undefined && newErrors.length > 0) {
    process.stdout.write(`${formatSummary(plan, false, options.dry === true, typescript)}\n`);
    process.stderr.write(`${formatNewErrors(newErrors)}\n`);
    return 1;
  }
  if (options.dry === true) {
    if (changes.length > 0) process.stdout.write(formatDiff(changes, plan.root, process.stdout.isTTY === true));
    process.stdout.write(`${formatSummary(plan, false, true, typescript)}\n`);
    return exitCodeFor(plan, changes.length);
  }
  if (changes.length > 0) {
    progress(`writing ${changes.length} file(s)...`);
    writeAllOrNothing(changes);
  }
  process.stdout.write(`${formatSummary(plan, changes.length > 0, false, typescript)}\n`);
  if (changes.length === 0) process.stdout.write('Nothing to do: no file changes.\n');
  return exitCodeFor(plan, changes.length);
}

/**
 * 1 when nothing changed although threaded functions exist and every one had to be kept; a repo that
 * an earlier run migrated (its context already holds the params) is simply done.
 */
function exitCodeFor(plan: Plan, changed: number): number {
  const pending = plan.params.some((p) => !plan.alreadyInContext.includes(p));
  return changed === 0 && plan.summary.functionsStripped === 0 && plan.summary.functionsKept > 0 && pending ? 1 : 0;
}

function refuseDirtyTree(paths: string[], cwd: string): void {
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain', '--', ...paths], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return; // Not a git repository (or no git): nothing to protect.
  }
  const dirty = status.split('\n').filter((l) => l.trim() !== '');
  if (dirty.length > 0) {
    throw new InputError(
      `the git working tree has ${dirty.length} uncommitted change(s) (${dirty[0]!.slice(3)}${dirty.length > 1 ? ', ...' : ''}); commit or stash them first, or pass --force`,
    );
  }
}

process.exitCode = main(process.argv.slice(2));
