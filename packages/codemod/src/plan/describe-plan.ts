// The plan as the user sees it (the summary, `--json`): every function with its decision and reasons,
// every call that changes, paths relative to the project root. Made from the edit plan, so what the
// report says is what apply does.
import path from 'node:path';
import type { Location, Plan, PlannedCall, PlannedFunction, PlannedLogs } from '../public-types.js';
import type { EditPlan, LogEdits, ThreadGraph } from '../types.js';
import type { Decisions } from './decide.js';

export function describePlan(graph: ThreadGraph, decisions: Decisions, edits: EditPlan): Plan {
  const rel = (file: string): string => path.relative(graph.root, file) || path.basename(file);
  const calledAndChanged = new Set(edits.calls.map((c) => c.calleeId));
  const reading = new Set(edits.functions.filter((f) => f.reads !== undefined).map((f) => f.id));
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
      readsFromContext: reading.has(f.id),
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
    ...describeBoundary(graph, edits, rel),
    ...(edits.logs !== undefined && (edits.logs.removed.length > 0 || edits.logs.kept.length > 0) ? { logs: plannedLogs(edits.logs, rel, graph.contextModule.exportName) } : {}),
    summary: {
      functionsStripped: functions.filter((f) => f.decision === 'strip').length,
      functionsKept: functions.filter((f) => f.decision === 'keep').length,
      callsRewritten: calls.length,
      originsWrapped: calls.filter((c) => c.wrapped.length > 0).length,
      unsetWrapped: calls.filter((c) => c.unset.length > 0).length,
      ...(edits.logs !== undefined && edits.logs.removed.length > 0 ? { logFieldsRemoved: edits.logs.removed.length } : {}),
      sharedRuns: edits.runGroups?.length ?? 0,
    },
  };
}

function plannedLogs(logs: LogEdits, rel: (file: string) => string, contextName: string): PlannedLogs {
  return {
    configured: logs.mixins.map((m) => ({ file: rel(m.file), line: m.line, library: m.library ?? 'pino', mixin: mixinText(m, contextName) })),
    fieldsRemoved: logs.removed.map((f) => ({ ...f, file: rel(f.file) })),
    kept: logs.kept.map((f) => ({ ...f, file: rel(f.file) })),
  };
}

/** The mixin or format as apply writes it, named with the context's export (a file may import it under another name). */
function mixinText(mixin: LogEdits['mixins'][number], contextName: string): string {
  if (mixin.library === 'json') return (mixin.fields ?? []).map((f) => `${f.name}: ${contextName}.tryGet('${f.key}')`).join(', ');
  const factory = mixin.library === 'winston' ? 'winstonFormat' : 'pinoMixin';
  if (mixin.fields === undefined) return `${factory}(${contextName})`;
  const read = `() => ({ ${mixin.fields.map((f) => `${f.name}: ${contextName}.tryGet('${f.key}')`).join(', ')} })`;
  return mixin.library === 'winston' ? `winstonFormat(${read})` : read;
}

function relativeLocation(root: string, at: Location): Location {
  return { file: path.isAbsolute(at.file) ? path.relative(root, at.file) : at.file, line: at.line };
}

/**
 * The adapters installed, where (the line after the statement they follow; the report refines it from
 * the written text), and the origins that read the request's value but stay wrapped, with why.
 */
function describeBoundary(graph: ThreadGraph, edits: EditPlan, rel: (file: string) => string): Pick<Plan, 'boundary'> {
  const installs = (edits.installs ?? []).map((i) => ({
    file: rel(i.file),
    line: i.line + 1,
    framework: i.framework,
    statement: i.template !== undefined ? i.template.replace('{context}', graph.contextModule.exportName) : `${i.mount}(${i.adapterLocal}(${graph.contextModule.exportName}, ${i.options}))`,
  }));
  // Reported only where it changes the outcome: a call to a function that keeps its parameter is not rewritten at all.
  const wrapped = new Set(edits.calls.filter((c) => c.runKeys.length > 0).map((c) => `${c.file}:${c.line}`));
  const fallbacks = (graph.boundary?.fallbacks ?? [])
    .filter((f) => wrapped.has(`${f.at.file}:${f.at.line}`))
    .map((f) => ({ file: rel(f.at.file), line: f.at.line, expression: f.expression, reason: f.reason }));
  return installs.length === 0 && fallbacks.length === 0 ? {} : { boundary: { installs, fallbacks } };
}
