// ThreadGraph + decisions → the edit plan apply consumes: per stripped function the text it loses and
// the reads its body needs, per call what it becomes, and the context's shape after the change.
import type { EditPlan, FunctionEdit, FunctionInfo, ThreadGraph } from '../types.js';
import { contextRead, planCall } from './call-edit.js';
import type { Decisions } from './decide.js';

export function buildEditPlan(graph: ThreadGraph, decisions: Decisions): EditPlan {
  const byId = new Map(graph.functions.map((f) => [f.id, f]));
  const findParam = (functionId: string, key: string) => byId.get(functionId)?.params.find((p) => p.key === key);
  const functions = graph.functions.filter((f) => decisions.stripped.has(f.id)).map((f) => functionEdit(f, graph));
  const calls = graph.calls.flatMap((c) => planCall(c, decisions, findParam) ?? []);
  const unsetKeys = [...new Set(calls.flatMap((c) => c.runKeys.filter((k) => k.value === undefined).map((k) => k.key)))];
  return {
    contextModule: graph.contextModule,
    contextKeys: contextKeys(graph, functions, unsetKeys),
    unsetKeys,
    fileStyles: graph.fileInfo,
    functions,
    calls,
  };
}

function functionEdit(fn: FunctionInfo, graph: ThreadGraph): FunctionEdit {
  const deletions: FunctionEdit['deletions'] = [];
  for (const param of fn.params) {
    for (const range of param.removal) deletions.push({ file: fn.file, range });
    // A type member in a file this run does not transform stays, like everything in that file.
    const member = param.typeMemberRemoval;
    if (member !== undefined && graph.fileInfo[member.file] !== undefined) deletions.push(member);
  }
  for (const range of fn.jsdocRemovals) deletions.push({ file: fn.file, range });
  const edit: FunctionEdit = { id: fn.id, file: fn.file, deletions };
  const reading = fn.params.filter((p) => p.otherReads > 0);
  if (reading.length > 0 && fn.body !== undefined) {
    edit.reads = { body: fn.body, locals: reading.map((p) => ({ local: p.local, read: contextRead(p) })) };
  }
  return edit;
}

/** Each key a stripped function threaded, typed as its parameters declare it (`string` when unsaid). */
function contextKeys(graph: ThreadGraph, stripped: readonly FunctionEdit[], unsetKeys: readonly string[]): EditPlan['contextKeys'] {
  const strippedIds = new Set(stripped.map((f) => f.id));
  const types = new Map<string, string>();
  for (const fn of graph.functions) {
    if (!strippedIds.has(fn.id)) continue;
    for (const param of fn.params) {
      const known = types.get(param.key);
      if (known === undefined || (known === 'string' && param.typeText !== undefined)) types.set(param.key, param.typeText ?? 'string');
    }
  }
  for (const key of unsetKeys) {
    const type = types.get(key);
    if (type !== undefined) types.set(key, `${type} | undefined`);
  }
  return [...types]
    .sort(([a], [b]) => graph.params.indexOf(a) - graph.params.indexOf(b))
    .map(([key, type]) => ({ key, type }));
}
