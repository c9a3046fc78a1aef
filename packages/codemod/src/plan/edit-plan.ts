// ThreadGraph + decisions → the edit plan apply consumes: per stripped function the text it loses and
// the reads its body needs, per call what it becomes, and the context's shape after the change.
import type { CallEdit, ContextKey, EditPlan, FunctionEdit, FunctionInfo, KeyType, ThreadedParam, ThreadGraph } from '../types.js';
import { contextRead, planCall } from './call-edit.js';
import type { Decisions } from './decide.js';
import { decideLogs, logEdits, type LogDecisions } from './log-plan.js';
import { shareRuns } from './shared-runs.js';

export function buildEditPlan(graph: ThreadGraph, decisions: Decisions, logs?: LogDecisions): EditPlan {
  const byId = new Map(graph.functions.map((f) => [f.id, f]));
  const findParam = (functionId: string, key: string) => byId.get(functionId)?.params.find((p) => p.key === key);
  const calls = graph.calls.flatMap((c) => planCall(c, decisions, findParam) ?? []);
  logs ??= decideLogs(graph, decisions, new Map(calls.map((c) => [c.id, c])));
  // A logger wrapper that now reads the context at log time: the value set for it must still be set when the line is written.
  for (const call of calls) call.span = logs.logCallSpans.get(call.id) ?? call.span;
  const readsLeft = (fn: FunctionInfo, param: ThreadedParam): number => param.otherReads - (logs.readsTaken.get(`${fn.id}\0${param.local}`) ?? 0);
  const functions = graph.functions.filter((f) => decisions.stripped.has(f.id)).map((f) => functionEdit(f, graph, readsLeft));
  removeUnusedTypeImports(graph, decisions, functions);
  const runGroups = shareRuns(graph, calls);
  const unsetKeys = [...new Set(calls.flatMap((c) => c.runKeys.filter((k) => k.value === undefined).map((k) => k.key)))];
  const boundary = boundaryEdits(graph, calls, decisions.stripped);
  return {
    ...boundary,
    contextModule: graph.contextModule,
    contextKeys: contextKeys(graph, functions, unsetKeys),
    unsetKeys,
    fileStyles: graph.fileInfo,
    functions,
    calls,
    logs: logEdits(logs),
    runGroups,
  };
}

function functionEdit(fn: FunctionInfo, graph: ThreadGraph, readsLeft: (fn: FunctionInfo, param: ThreadedParam) => number): FunctionEdit {
  const deletions: FunctionEdit['deletions'] = [];
  for (const param of fn.params) {
    for (const range of param.removal) deletions.push({ file: fn.file, range });
    // A type member in a file this run does not transform stays, like everything in that file.
    const member = param.typeMemberRemoval;
    if (member !== undefined && graph.fileInfo[member.file] !== undefined) deletions.push(member);
  }
  for (const range of fn.jsdocRemovals) deletions.push({ file: fn.file, range });
  for (const removal of fn.assertionRemovals ?? []) deletions.push(removal);
  const edit: FunctionEdit = { id: fn.id, file: fn.file, deletions };
  const reading = fn.params.filter((p) => readsLeft(fn, p) > 0);
  if (reading.length > 0 && fn.body !== undefined) {
    edit.reads = { body: fn.body, locals: reading.map((p) => ({ local: p.local, read: contextRead(p) })) };
  }
  return edit;
}

/**
 * An import only stripped parameters' types used goes with them (under `noUnusedLocals` it would be an
 * error): the whole statement when all its bindings go, else each binding whose deletion does not
 * touch another's (a last binding and the one before it share a comma; that one stays).
 */
function removeUnusedTypeImports(graph: ThreadGraph, decisions: Decisions, functions: FunctionEdit[]): void {
  // Whole statements removed so far: the last import takes the line break before it, which the one
  // before it, removed too, takes as its own end; the two become one deletion.
  const statements: { file: string; range: { start: number; end: number } }[] = [];
  for (const uses of graph.typeImports) {
    if (graph.fileInfo[uses.file] === undefined) continue;
    const unused = uses.bindings.filter((b) => b.functions.every((id) => decisions.stripped.has(id)));
    const owner = functions.find((f) => unused.some((b) => b.functions.includes(f.id)));
    if (unused.length === 0 || owner === undefined) continue;
    if (unused.length === uses.bindingCount) {
      const touching = statements.find((d) => d.file === uses.file && d.range.start <= uses.statement.end && uses.statement.start <= d.range.end);
      if (touching !== undefined) {
        touching.range.start = Math.min(touching.range.start, uses.statement.start);
        touching.range.end = Math.max(touching.range.end, uses.statement.end);
        continue;
      }
      const deletion = { file: uses.file, range: { ...uses.statement } };
      statements.push(deletion);
      owner.deletions.push(deletion);
      continue;
    }
    const ranges = unused.filter((b) => b.removal.whole !== true).map((b) => ({ start: b.removal.start, end: b.removal.end }));
    for (const range of ranges) {
      if (ranges.some((other) => other !== range && other.start < range.end && range.start < other.end && other.start < range.start)) continue;
      owner.deletions.push({ file: uses.file, range });
    }
  }
}

/** A key no parameter declares a type for is a `string`, as ids threaded through plain JavaScript are. */
const UNSAID: KeyType = { text: 'string', references: [], display: 'string', admitsUndefined: false, needsParentheses: false };

/**
 * Each key a stripped function threaded, typed as the value its parameters hold (the analysis chose one
 * per key and kept the parameters holding another), optional where a parameter was declared so.
 */
function contextKeys(graph: ThreadGraph, stripped: readonly FunctionEdit[], unsetKeys: readonly string[]): ContextKey[] {
  const strippedIds = new Set(stripped.map((f) => f.id));
  const keys = new Map<string, ContextKey>();
  for (const fn of graph.functions) {
    if (!strippedIds.has(fn.id)) continue;
    for (const param of fn.params) {
      const entry = keys.get(param.key) ?? { key: param.key, type: graph.keyTypes[param.key] ?? UNSAID, optional: false, undefinable: false };
      if (param.declaredOptional === true) entry.optional = true;
      // `string | undefined` on one parameter: the value may be undefined, whichever parameter's text names the type.
      if (param.type?.admitsUndefined === true) entry.undefinable = true;
      keys.set(param.key, entry);
    }
  }
  for (const key of unsetKeys) {
    const entry = keys.get(key);
    if (entry !== undefined) entry.undefinable = true;
  }
  return [...keys.values()].sort((a, b) => graph.params.indexOf(a.key) - graph.params.indexOf(b.key));
}

/**
 * The adapters some changed call now relies on (a call whose callee kept its parameter still passes the
 * value itself), and the locals that carried the value only to arguments that are gone.
 */
function boundaryEdits(graph: ThreadGraph, calls: readonly CallEdit[], stripped: ReadonlySet<string>): Pick<EditPlan, 'installs' | 'carrierDeletions'> {
  const boundary = graph.boundary;
  if (boundary === undefined || boundary.installs.length === 0) return {};
  const edits = new Map(calls.map((c) => [c.id, c]));
  const dropped = new Set<string>();
  const used = new Set<number>();
  for (const call of graph.calls) {
    for (const arg of call.args) {
      if (arg.boundaryInstall === undefined || edits.get(call.id)?.dropped.includes(arg.key) !== true) continue;
      dropped.add(`${call.id}:${arg.key}`);
      used.add(arg.boundaryInstall);
    }
  }
  // A stripped controller method reads the value from the context even where it passes it to no call.
  for (const fn of boundary.functions ?? []) if (stripped.has(fn.id)) used.add(fn.install);
  if (used.size === 0) return {};
  return {
    installs: boundary.installs.filter((_, i) => used.has(i)),
    carrierDeletions: boundary.carriers.filter((c) => c.uses.every((u) => dropped.has(`${u.callId}:${u.key}`))).map(({ file, range }) => ({ file, range })),
  };
}
