// The programmatic API: load → analyze → plan → apply → verify → report, nothing written. The CLI writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildThreadGraph } from './analyze/build-graph.js';
import { applyPlan } from './apply/apply-plan.js';
import { formatChanges } from './apply/format-changes.js';
import { loadProject, type LoadedProject } from './load/load-project.js';
import { repositoryRoot } from './load/repository-root.js';
import { decide } from './plan/decide.js';
import { isPackageInstalled } from './program/installed-package.js';
import { describePlan } from './plan/describe-plan.js';
import { buildEditPlan } from './plan/edit-plan.js';
import { locateInstalls } from './report/boundary.js';
import { attributeCauses } from './report/causes.js';
import type { UnthreadOptions, UnthreadResult } from './public-types.js';
import { verifyChanges } from './verify/verify.js';
import { createdFilesWithNewline, dominantNewline } from './write/line-endings.js';
import { leaveSymlinkedFiles } from './write/symlinked-files.js';

export interface RunTimings {
  loadMs: number;
  analyzeMs: number;
  applyMs: number;
  verifyMs: number;
}

export function runUnthread(options: UnthreadOptions): UnthreadResult & { timings: RunTimings } {
  const cwd = options.cwd ?? process.cwd();
  const { params, typeChoices, aliases } = parseParams(options.params !== undefined && options.params.length > 0 ? options.params : ['requestId']);
  const progress = options.onProgress ?? ((): void => undefined);
  const count = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}`;
  const t0 = performance.now();
  progress('loading the program');
  const loaded: LoadedProject = loadProject(options.paths.length > 0 ? options.paths : ['.'], cwd, options.tsconfig, options.contextModule);
  leaveSymlinkedFiles(loaded);
  const t1 = performance.now();
  progress(`analysing ${count(loaded.transformable.size, 'files')} (${count(loaded.program.getSourceFiles().length, 'in the program')})`);
  const graph = buildThreadGraph(loaded, params, options.contextModule, typeChoices, aliases);
  const decisions = decide(graph);
  const edits = buildEditPlan(graph, decisions);
  const plan = describePlan(graph, decisions, edits);
  const t2 = performance.now();
  progress(`applying: ${count(plan.summary.functionsStripped, 'functions')} to strip, ${count(plan.summary.callsRewritten, 'calls')} to rewrite`);
  const textOf = (file: string): string => loaded.program.getSourceFile(file)?.text ?? readFileSync(file, 'utf8');
  const applied = applyPlan(edits, textOf);
  // Formatted by the repository's own formatter (if it has one) before verification checks the text it writes.
  const { changes, notes: formatNotes } = formatChanges(createdFilesWithNewline(applied, dominantNewline([...loaded.transformable].map(textOf))), loaded.root, repositoryRoot(loaded.root));
  locateInstalls(plan, changes);
  const t3 = performance.now();
  let newErrors: UnthreadResult['newErrors'];
  const notes: string[] = [...formatNotes];
  const { version, path: typescriptPath, source, skipped } = loaded.typescript;
  if (skipped !== undefined) notes.push(`${skipped}: checked with the TypeScript bundled with unthread instead.`);
  for (const [name, key] of Object.entries(graph.mergedKeys ?? {})) {
    notes.push(`${name} and ${key} carry one value (one is passed on as the other): the context holds it as ${key} (--param ${key}=${name} holds it as ${name}).`);
  }
  if (options.verify !== false && changes.length > 0) {
    progress(`verifying ${count(changes.length, 'changed files')} and the files that import them`);
    const diagnostics = verifyChanges(loaded.program, loaded.programHost, changes, { typescript: loaded.typescript, options: loaded.compilerOptions });
    const contextDir = path.dirname(path.resolve(loaded.root, plan.contextModule));
    const attributed = attributeCauses(diagnostics, plan, isPackageInstalled('@unthread/context', contextDir));
    newErrors = attributed.newErrors;
    notes.push(...attributed.notes);
  }
  const t4 = performance.now();
  return {
    plan,
    typescript: { version, path: typescriptPath, source },
    changes,
    newErrors,
    notes,
    timings: { loadMs: t1 - t0, analyzeMs: t2 - t1, applyMs: t3 - t2, verifyMs: t4 - t3 },
  };
}

/**
 * `--param` values: a name; `name:Type` where parameters of that name hold values of several types and
 * the user picks the one the context key holds (`req:BridgeRequest`); `name=key` where parameters named
 * `name` hold the value of the key `key` (`request_id=requestId`: parameters of both names thread one
 * value, the context holds it as `requestId`); and both, `name=key:Type`, the type then being the key's.
 * The type comes after the first `:`, so a function type (`onDone:() => void`) keeps its `=`.
 */
export function parseParams(values: readonly string[]): { params: string[]; typeChoices: Map<string, string>; aliases: Map<string, string> } {
  const params: string[] = [];
  const typeChoices = new Map<string, string>();
  const aliases = new Map<string, string>();
  for (const value of values) {
    const colon = value.indexOf(':');
    const names = colon === -1 ? value : value.slice(0, colon);
    const type = colon === -1 ? '' : value.slice(colon + 1).trim();
    const equals = names.indexOf('=');
    const name = (equals === -1 ? names : names.slice(0, equals)).trim();
    const key = equals === -1 ? name : names.slice(equals + 1).trim();
    if (!params.includes(key)) params.push(key);
    if (name !== key) aliases.set(name, key);
    if (type !== '') typeChoices.set(key, type);
  }
  // A name given as an alias is not a key of its own as well (`--param request_id --param request_id=requestId`).
  return { params: params.filter((p) => !aliases.has(p)), typeChoices, aliases };
}
