// Plan → new file texts. Every change is a text edit collected per file and applied once; files the
// plan does not touch are not in the result, so their bytes stay as they were.
import { readFileSync } from 'node:fs';
import type { Decisions } from '../plan/build-plan.js';
import { planCall } from '../plan/build-plan.js';
import type { FileChange, FunctionInfo, ThreadGraph, ThreadedParam } from '../types.js';
import { contextModuleChange } from './context-module.js';
import { importStatement, localContextName } from './imports.js';
import { FileEdits } from './text-edits.js';

export function applyPlan(graph: ThreadGraph, decisions: Decisions, readText: (file: string) => string = (f) => readFileSync(f, 'utf8')): FileChange[] {
  const texts = new Map<string, string>();
  const textOf = (file: string): string => {
    let text = texts.get(file);
    if (text === undefined) {
      text = readText(file);
      texts.set(file, text);
    }
    return text;
  };
  const edits = new Map<string, FileEdits>();
  const editsOf = (file: string): FileEdits => {
    let set = edits.get(file);
    if (set === undefined) {
      set = new FileEdits();
      edits.set(file, set);
    }
    return set;
  };
  const needsContext = new Set<string>();
  const contextFile = graph.contextModule.file;
  const names = new Map<string, string>();
  const ctxName = (file: string): string => {
    let name = names.get(file);
    if (name === undefined) {
      name = file === contextFile ? graph.contextModule.exportName : localContextName(graph.contextModule.exportName, graph.fileInfo[file]);
      names.set(file, name);
    }
    return name;
  };
  const fnById = new Map(graph.functions.map((f) => [f.id, f]));
  const semicolon = (file: string): string => (graph.fileInfo[file]?.semicolon === false ? '' : ';');

  for (const fn of graph.functions) {
    if (!decisions.stripped.has(fn.id)) continue;
    const set = editsOf(fn.file);
    for (const param of fn.params) {
      for (const range of param.removal) set.add({ ...range, text: '' });
      if (param.typeMemberRemoval !== undefined && graph.fileInfo[param.typeMemberRemoval.file] !== undefined) {
        editsOf(param.typeMemberRemoval.file).add({ ...param.typeMemberRemoval.range, text: '' });
      }
    }
    for (const range of fn.jsdocRemovals) set.add({ ...range, text: '' });
    const reading = fn.params.filter((p) => p.otherReads > 0);
    if (reading.length > 0 && fn.body !== undefined) {
      needsContext.add(fn.file);
      addReads(fn, reading, set, ctxName(fn.file), semicolon(fn.file));
    }
  }

  const planned = graph.calls
    .map((call) => ({ call, plan: planCall(call, decisions) }))
    .filter((c) => c.plan !== undefined)
    .sort((a, b) => a.call.call.end - a.call.call.start - (b.call.call.end - b.call.call.start));
  for (const { call } of planned) {
    const set = editsOf(call.file);
    const text = textOf(call.file);
    const name = ctxName(call.file);
    if (decisions.stripped.has(call.calleeId)) {
      const wrapped: string[] = [];
      for (const arg of call.args) {
        const ownerStripped = arg.kind === 'own-param' && arg.ownerId !== undefined && decisions.stripped.has(arg.ownerId);
        const carried = arg.kind === 'origin' || (arg.kind === 'own-param' && (!ownerStripped || arg.ownerHasDefault === true));
        if (carried && arg.expression !== undefined) {
          const moved = set.renderRange(text, arg.expression);
          wrapped.push(moved === arg.key ? arg.key : `${arg.key}: ${moved}`);
        } else if (arg.kind === 'missing') {
          // The callee saw `undefined` (its default) before: unset the key rather than let it read the caller's.
          wrapped.push(`${arg.key}: undefined`);
        }
      }
      for (const arg of call.args) {
        for (const range of arg.removal ?? []) {
          set.dropInside(range);
          set.add({ ...range, text: '' });
        }
      }
      if (wrapped.length > 0) {
        needsContext.add(call.file);
        const length = call.call.end - call.call.start;
        set.add({ start: call.call.start, end: call.call.start, text: `${name}.run({ ${wrapped.join(', ')} }, () => `, rank: -length });
        set.add({ start: call.call.end, end: call.call.end, text: ')', rank: length });
      }
    } else {
      for (const arg of call.args) {
        if (arg.kind !== 'own-param' || arg.ownerId === undefined || !decisions.stripped.has(arg.ownerId) || arg.expression === undefined) continue;
        const param = fnById.get(arg.ownerId)?.params.find((p) => p.key === arg.key);
        if (param === undefined) continue;
        needsContext.add(call.file);
        const read = readExpression(param, name);
        set.take(arg.expression);
        set.add({ ...arg.expression, text: read.includes('??') ? `(${read})` : read });
      }
    }
  }

  for (const file of needsContext) {
    if (file === contextFile) continue;
    const style = graph.fileInfo[file];
    if (style === undefined || style.contextLocal !== undefined) continue;
    const statement = importStatement(file, contextFile, graph.contextModule.exportName, ctxName(file), style);
    const at = style.importInsertAt;
    editsOf(file).add({
      start: at,
      end: at,
      text: style.hasImports ? `${style.newline}${statement}` : `${statement}${style.newline}${style.newline}`,
      rank: -Infinity,
    });
  }

  const changes: FileChange[] = [];
  const contextChange = needsContext.size > 0 ? contextModuleChange(graph, decisions, edits.get(contextFile), textOf) : undefined;
  for (const [file, set] of edits) {
    if (file === contextFile || set.size === 0) continue;
    const before = textOf(file);
    const { text: after, edited } = set.applyTracked(before);
    if (after !== before) changes.push({ file, before, after, edited });
  }
  if (contextChange !== undefined) changes.push(contextChange);
  return changes.sort((a, b) => a.file.localeCompare(b.file));
}

export function readExpression(param: ThreadedParam, contextName: string): string {
  if (param.defaultText !== undefined) return `${contextName}.tryGet('${param.key}') ?? ${param.defaultText}`;
  return `${contextName}.${param.optional ? 'tryGet' : 'get'}('${param.key}')`;
}

function addReads(fn: FunctionInfo, reading: ThreadedParam[], set: FileEdits, name: string, semicolon: string): void {
  const body = fn.body!;
  const statement = (p: ThreadedParam, end: string): string => `const ${p.local} = ${readExpression(p, name)}${end}`;
  if (body.expression !== undefined) {
    const reads = reading.map((p) => statement(p, ';')).join(' ');
    set.add({ start: body.expression.start, end: body.expression.start, text: `{ ${reads} return `, rank: -Infinity });
    set.add({ start: body.expression.end, end: body.expression.end, text: `${semicolon} }`, rank: Infinity });
    return;
  }
  // On a body written on one line the statement joins that line and needs its semicolon.
  const end = body.newline === ' ' ? ';' : semicolon;
  const text = reading.map((p) => `${body.newline}${body.indent}${statement(p, end)}`).join('');
  set.add({ start: body.insertAt, end: body.insertAt, text, rank: -Infinity });
}
