// The plan as the user sees it (the summary, `--json`): every function with its decision and reasons,
// every call that changes, paths relative to the project root. Made from the edit plan, so what the
// report says is what apply does.
import path from 'node:path';
import type { Location, Plan, PlannedCall, PlannedFunction } from '../public-types.js';
import type { EditPlan, ThreadGraph } from '../types.js';
import type { Decisions } from './decide.js';

export function describePlan(graph: ThreadGraph, decisions: Decisions, edits: EditPlan): Plan {
  const rel = (file: string): string => path.relative(graph.root, file) || path.basename(file);
  const calledAndChanged = new Set(edits.calls.map((c) => c.calleeId));
  const functions: PlannedFunction[] = graph.functions
    // A function outside the program (a declaration file) is listed only when a call to it changes.
    .filter((f) => f.kind !== 'external' || calledAndChanged.has(f.id))
    .map((f) => ({
      id: f.id,
      file: rel(f.file),
      line: f.line,
      name: f.name,
      params: f.params.map((p) => p.key),
      decision: decisions.stripped.has(f.id) ? 'strip' : 'keep',
      keeps: (decisions.keeps.get(f.id) ?? []).map((k) => ({ ...k, at: relativeLocation(graph.root, k.at) })),
      readsFromContext: decisions.stripped.has(f.id) && f.params.some((p) => p.otherReads > 0),
    }));
  const names = new Map(graph.functions.map((f) => [f.id, f.name]));
  const calls: PlannedCall[] = edits.calls.map((c) => ({
    id: c.id,
    file: rel(c.file),
    line: c.line,
    callee: c.calleeId,
    calleeName: names.get(c.calleeId) ?? c.calleeId,
    action: c.action,
    wrapped: c.runKeys.flatMap((k) => (k.value !== undefined ? [{ key: k.key, expression: k.value.text }] : [])),
    unset: c.runKeys.filter((k) => k.value === undefined).map((k) => k.key),
    dropped: c.dropped,
    passed: c.contextArguments.map((a) => a.read.key),
  }));
  return {
    root: graph.root,
    params: graph.params,
    contextModule: rel(graph.contextModule.file),
    contextName: graph.contextModule.exportName,
    functions,
    calls,
    unmatched: graph.unmatched,
    alreadyInContext: graph.params.filter((p) => graph.contextModule.existingKeys.includes(p)),
    skippedFiles: graph.skippedFiles.map((s) => ({ file: rel(s.file), reason: s.reason })),
    summary: {
      functionsStripped: functions.filter((f) => f.decision === 'strip').length,
      functionsKept: functions.filter((f) => f.decision === 'keep').length,
      callsRewritten: calls.length,
      originsWrapped: calls.filter((c) => c.wrapped.length > 0).length,
      unsetWrapped: calls.filter((c) => c.unset.length > 0).length,
      sharedRuns: edits.runGroups?.length ?? 0,
    },
  };
}

function relativeLocation(root: string, at: Location): Location {
  return { file: path.isAbsolute(at.file) ? path.relative(root, at.file) : at.file, line: at.line };
}
