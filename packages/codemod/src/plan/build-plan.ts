// ThreadGraph → Plan: which functions lose their parameters and what each call site becomes. Keeping is
// contagious along signatures that must stay identical (an interface member and its implementations).
import path from 'node:path';
import type { CallInfo, FunctionInfo, Keep, Plan, PlannedCall, PlannedFunction, ThreadGraph } from '../types.js';

export interface Decisions {
  stripped: Set<string>;
  keeps: Map<string, Keep[]>;
}

export function decide(graph: ThreadGraph): Decisions {
  const keeps = new Map<string, Keep[]>(graph.functions.map((f) => [f.id, [...f.keeps]]));
  const addKeep = (id: string, keep: Keep): boolean => {
    const list = keeps.get(id);
    if (list === undefined || list.some((k) => k.reason === keep.reason)) return false;
    list.push(keep);
    return true;
  };
  const isKept = (id: string): boolean => (keeps.get(id)?.length ?? 1) > 0;

  // Keeps from call sites, then along linked signatures, until nothing changes: a super() call's
  // verdict depends on whether its caller keeps its own parameter.
  let changed = true;
  while (changed) {
    changed = false;
    for (const call of graph.calls) {
      const at = `${call.file}:${call.line}`;
      // Leaving the argument out counts too: that call cannot be wrapped to keep the key unset.
      if (call.untransformed) {
        changed = addKeep(call.calleeId, { reason: 'called-from-untransformed-file', at }) || changed;
      }
      if (call.args.some((a) => a.kind === 'unknown')) {
        changed = addKeep(call.calleeId, { reason: 'unknown-argument', at, detail: 'a spread or an options object that is not a literal' }) || changed;
      }
      // A missing argument moves too: the call runs inside `run({ key: undefined }, () => call)`.
      const moved = call.args.filter(
        (a) =>
          a.kind === 'origin' ||
          a.kind === 'missing' ||
          (a.kind === 'own-param' && a.ownerId !== undefined && (isKept(a.ownerId) || a.ownerHasDefault === true)),
      );
      if (moved.some((a) => !a.pure) && !call.prefixPure) {
        changed = addKeep(call.calleeId, { reason: 'evaluation-order', at, detail: 'moving the value before the call would reorder side effects' }) || changed;
      }
      if (call.awaitsInCall && moved.length > 0) {
        changed = addKeep(call.calleeId, { reason: 'evaluation-order', at, detail: 'the call awaits or yields in its arguments' }) || changed;
      }
      if (call.isSuperCall && moved.length > 0) {
        changed = addKeep(call.calleeId, { reason: 'evaluation-order', at, detail: 'super() cannot move into a callback' }) || changed;
      }
    }
    for (const fn of graph.functions) {
      if (!isKept(fn.id)) continue;
      for (const other of fn.linked) {
        changed = addKeep(other, { reason: 'shares-signature-with-kept', at: `${fn.file}:${fn.line}`, detail: fn.name }) || changed;
      }
    }
  }
  const stripped = new Set(graph.functions.filter((f) => f.kind !== 'external' && !isKept(f.id)).map((f) => f.id));
  return { stripped, keeps };
}

/** What each call site turns into, given the decisions. Calls that stay as they are have no entry. */
export function planCall(call: CallInfo, decisions: Decisions, calleeName = call.calleeId): PlannedCall | undefined {
  if (call.untransformed) return undefined;
  const calleeStripped = decisions.stripped.has(call.calleeId);
  const planned: PlannedCall = {
    id: call.id,
    file: call.file,
    line: call.line,
    callee: call.calleeId,
    calleeName,
    action: 'drop-argument',
    wrapped: [],
    unset: [],
    dropped: [],
    passed: [],
  };
  for (const arg of call.args) {
    const ownerStripped = arg.kind === 'own-param' && arg.ownerId !== undefined && decisions.stripped.has(arg.ownerId);
    if (calleeStripped) {
      // A defaulted parameter may hold its default where the context has nothing: pass that value on.
      if (ownerStripped && arg.ownerHasDefault !== true) planned.dropped.push(arg.key);
      else if (arg.kind === 'origin' || arg.kind === 'own-param') planned.wrapped.push({ key: arg.key, expression: arg.expressionText ?? '' });
      // Not passed: the callee saw `undefined` (or its default) before, so it must not read the caller's value now.
      else if (arg.kind === 'missing') planned.unset.push(arg.key);
    } else if (ownerStripped) {
      planned.passed.push(arg.key);
    }
  }
  if (planned.wrapped.length > 0 || planned.unset.length > 0) planned.action = 'wrap-in-run';
  else if (planned.passed.length > 0) planned.action = 'pass-from-context';
  else if (planned.dropped.length === 0) return undefined;
  return planned;
}

/**
 * Keys some call sets to `undefined` (an optional parameter not passed), so the context's shape must
 * allow `undefined` for them: `run` takes `Partial<T>`, which under exactOptionalPropertyTypes refuses
 * an explicit `undefined` unless the key's type includes it.
 */
export function unsetKeys(graph: ThreadGraph, decisions: Decisions): Set<string> {
  const keys = new Set<string>();
  for (const call of graph.calls) for (const key of planCall(call, decisions)?.unset ?? []) keys.add(key);
  return keys;
}

export function buildPlan(graph: ThreadGraph, decisions: Decisions): Plan {
  const rel = (file: string): string => path.relative(graph.root, file) || path.basename(file);
  const functions: PlannedFunction[] = graph.functions
    .filter((f) => f.kind !== 'external' || graph.calls.some((c) => c.calleeId === f.id && planCall(c, decisions) !== undefined))
    .map((f: FunctionInfo) => ({
      id: f.id,
      file: rel(f.file),
      line: f.line,
      name: f.name,
      params: f.params.map((p) => p.key),
      decision: decisions.stripped.has(f.id) ? 'strip' : 'keep',
      keeps: (decisions.keeps.get(f.id) ?? []).map((k) => ({ ...k, at: relAt(graph.root, k.at) })),
      readsFromContext: decisions.stripped.has(f.id) && f.params.some((p) => p.otherReads > 0),
    }));
  const names = new Map(graph.functions.map((f) => [f.id, f.name]));
  const calls = graph.calls.flatMap((c) => {
    const planned = planCall(c, decisions, names.get(c.calleeId));
    return planned === undefined ? [] : [{ ...planned, file: rel(planned.file) }];
  });
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
    },
  };
}

function relAt(root: string, at: string): string {
  const match = /^(.*):(\d+)$/.exec(at);
  if (match === null) return at;
  const file = path.isAbsolute(match[1]!) ? path.relative(root, match[1]!) : match[1]!;
  return `${file}:${match[2]}`;
}
