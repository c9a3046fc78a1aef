// An inline test harness, in the spirit of jscodeshift's defineInlineTest: a small project given as
// file texts goes through load → analyze → plan → apply, so a keep or planning rule gets a unit test
// without a fixture folder. The files live in a temporary folder only while the program loads (the
// loader reads the real file system, as the CLI does); paths in the result are relative to it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildThreadGraph } from '../analyze/build-graph.js';
import { applyPlan } from '../apply/apply-plan.js';
import { loadProject } from '../load/load-project.js';
import { decide, type Decisions } from '../plan/decide.js';
import { describePlan } from '../plan/describe-plan.js';
import { buildEditPlan } from '../plan/edit-plan.js';
import type { KeepReason, Plan, PlannedFunction } from '../public-types.js';
import { locateInstalls } from '../report/boundary.js';
import { parseParams } from '../run.js';
import type { EditPlan, ThreadGraph } from '../types.js';

export interface InlineOptions {
  /** Parameter names to move, `name:Type` as with `--param` (default `['requestId']`). */
  params?: string[];
  /** Paths to transform, relative to the project (default the whole project). */
  paths?: string[];
  contextModule?: string;
}

export interface InlineRun {
  graph: ThreadGraph;
  decisions: Decisions;
  edits: EditPlan;
  plan: Plan;
  /** The new text of every file the run changes or creates, by relative path; unchanged files are absent. */
  output: Record<string, string>;
  /** A function of the plan by name; throws when no function has that name, so a typo cannot pass. */
  fn: (name: string) => PlannedFunction;
  /** The reasons a function keeps its parameters, with where each was found (`file:line`). */
  keeps: (name: string) => { reason: KeepReason; at: string; detail?: string }[];
}

/**
 * What a project holds unless its files say otherwise: an ES module package (the boundary the loader
 * stops at) and a strict tsconfig over every file. The ES2022 lib alone keeps each program small: the
 * default one adds the DOM, which takes most of a load and decides nothing here.
 */
const DEFAULT_FILES: Record<string, string> = {
  'package.json': '{ "private": true, "type": "module" }\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] },
  }),
};

export function unthreadInline(files: Record<string, string>, options: InlineOptions = {}): InlineRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'unthread-inline-'));
  try {
    for (const [name, text] of Object.entries({ ...DEFAULT_FILES, ...files })) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const loaded = loadProject(options.paths ?? ['.'], dir);
    const { params, typeChoices, aliases } = parseParams(options.params ?? ['requestId']);
    const graph = buildThreadGraph(loaded, params, options.contextModule, typeChoices, aliases);
    const decisions = decide(graph);
    const edits = buildEditPlan(graph, decisions);
    const plan = describePlan(graph, decisions, edits);
    const changes = applyPlan(edits, (file) => loaded.program.getSourceFile(file)?.text ?? files[path.relative(dir, file)] ?? '');
    locateInstalls(plan, changes);
    const output = Object.fromEntries(changes.map((c) => [path.relative(dir, c.file), c.after]));
    const fn = (name: string): PlannedFunction => {
      const found = plan.functions.find((f) => f.name === name);
      if (found === undefined) throw new Error(`no function ${name} in the plan (${plan.functions.map((f) => f.name).join(', ')})`);
      return found;
    };
    const keeps: InlineRun['keeps'] = (name) =>
      fn(name).keeps.map((k) => ({ reason: k.reason, at: `${k.at.file}:${k.at.line}`, ...(k.detail !== undefined ? { detail: k.detail } : {}) }));
    return { graph, decisions, edits, plan, output, fn, keeps };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
