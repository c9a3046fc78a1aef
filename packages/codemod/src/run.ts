// The programmatic API: load → analyze → plan → apply → verify → report, nothing written. The CLI writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildThreadGraph } from './analyze/build-graph.js';
import { applyPlan } from './apply/apply-plan.js';
import { loadProject, type LoadedProject } from './load/load-project.js';
import { decide } from './plan/decide.js';
import { isPackageInstalled } from './program/installed-package.js';
import { describePlan } from './plan/describe-plan.js';
import { buildEditPlan } from './plan/edit-plan.js';
import { attributeCauses } from './report/causes.js';
import type { UnthreadOptions, UnthreadResult } from './public-types.js';
import { verifyChanges } from './verify/verify.js';

export interface RunTimings {
  loadMs: number;
  analyzeMs: number;
  applyMs: number;
  verifyMs: number;
}

export function runUnthread(options: UnthreadOptions): UnthreadResult & { timings: RunTimings } {
  const cwd = options.cwd ?? process.cwd();
  const params = options.params !== undefined && options.params.length > 0 ? options.params : ['requestId'];
  const t0 = performance.now();
  const loaded: LoadedProject = loadProject(options.paths.length > 0 ? options.paths : ['.'], cwd, options.tsconfig, options.contextModule);
  const t1 = performance.now();
  const graph = buildThreadGraph(loaded, params, options.contextModule);
  const decisions = decide(graph);
  const edits = buildEditPlan(graph, decisions);
  const plan = describePlan(graph, decisions, edits);
  const t2 = performance.now();
  const changes = applyPlan(edits, (file) => loaded.program.getSourceFile(file)?.text ?? readFileSync(file, 'utf8'));
  const t3 = performance.now();
  let newErrors: UnthreadResult['newErrors'];
  const notes: string[] = [];
  const { version, path: typescriptPath, source, skipped } = loaded.typescript;
  if (skipped !== undefined) notes.push(`${skipped}: checked with the TypeScript bundled with unthread instead.`);
  if (options.verify !== false && changes.length > 0) {
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
