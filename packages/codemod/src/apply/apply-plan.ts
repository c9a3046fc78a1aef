// Edit plan → new file texts. Every change is a text edit collected per file and applied once; files the
// plan does not touch are not in the result, so their bytes stay as they were. Nothing is decided here
// but how to write what the plan says.
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import type { FileChange } from '../public-types.js';
import type { CallEdit, ContextRead, EditPlan, FunctionEdit } from '../types.js';
import { installEdits } from './boundary-install.js';
import { contextModuleChange } from './context-module.js';
import { importStatement, localContextName } from './imports.js';
import { addLogEdits } from './log-edits.js';
import { type Hoist, hoistNarrowedArguments, identifiersOf } from './narrowed-arguments.js';
import { packageImportEdit, packageImportStatement } from './package-imports.js';
import { addRunGroup } from './run-groups.js';
import { shorthandStarts } from './shorthand-properties.js';
import { FileEdits } from './text-edits.js';

export function applyPlan(plan: EditPlan, readText: (file: string) => string = (f) => readFileSync(f, 'utf8')): FileChange[] {
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
  const contextFile = plan.contextModule.file;
  const names = new Map<string, string>();
  const contextNameIn = (file: string): string => {
    let name = names.get(file);
    if (name === undefined) {
      name = file === contextFile ? plan.contextModule.exportName : localContextName(plan.contextModule.exportName, plan.fileStyles[file]);
      names.set(file, name);
    }
    return name;
  };
  const semicolon = (file: string): string => (plan.fileStyles[file]?.semicolon === false ? '' : ';');
  const quote = (file: string): string => plan.fileStyles[file]?.quote ?? "'";
  // The syntax around a call (shorthand properties, the statement holding it), parsed only for files whose calls need it.
  const parsed = new Map<string, { sourceFile: ts.SourceFile; shorthands?: Set<number>; names?: Set<string> }>();
  const parsedOf = (file: string) => {
    let entry = parsed.get(file);
    if (entry === undefined) {
      entry = { sourceFile: ts.createSourceFile(file, textOf(file), ts.ScriptTarget.Latest, true) };
      parsed.set(file, entry);
    }
    return entry;
  };
  const isShorthand = (file: string, start: number): boolean => {
    const entry = parsedOf(file);
    entry.shorthands ??= shorthandStarts(entry.sourceFile);
    return entry.shorthands.has(start);
  };
  const hoistFor = (call: CallEdit): Hoist | undefined => {
    const entry = parsedOf(call.file);
    entry.names ??= identifiersOf(entry.sourceFile);
    const moved = [...call.runKeys.flatMap((k) => (k.value !== undefined ? [k.value.range] : [])), ...call.deletions];
    return hoistNarrowedArguments(entry.sourceFile, call.span, moved, entry.names);
  };

  for (const fn of plan.functions) {
    for (const { file, range } of fn.deletions) editsOf(file).add({ ...range, text: '' });
    if (fn.reads !== undefined) {
      needsContext.add(fn.file);
      addReads(fn.reads, editsOf(fn.file), contextNameIn(fn.file), semicolon(fn.file), quote(fn.file));
    }
  }

  for (const group of plan.runGroups ?? []) {
    needsContext.add(group.file);
    addRunGroup(group, editsOf(group.file), textOf(group.file), contextNameIn(group.file), semicolon(group.file));
  }

  // Inner calls first: an outer call's moved argument then carries the inner call's edits along.
  const byLength = [...plan.calls].sort((a, b) => spanLength(a) - spanLength(b));
  for (const call of byLength) {
    const set = editsOf(call.file);
    const name = contextNameIn(call.file);
    // Moved values are rendered before the argument deletions swallow the edits inside them.
    const entries = call.runKeys.map(({ key, value }) => {
      if (value === undefined) return `${key}: undefined`;
      const moved = set.renderRange(textOf(call.file), value.range);
      return moved === key ? key : `${key}: ${moved}`;
    });
    for (const range of call.deletions) {
      set.dropInside(range);
      set.add({ ...range, text: '' });
    }
    if (entries.length > 0) {
      needsContext.add(call.file);
      const hoist = hoistFor(call);
      if (hoist !== undefined) addHoist(hoist, set, textOf(call.file), plan.fileStyles[call.file]?.newline ?? '\n', semicolon(call.file));
      const length = spanLength(call);
      set.add({ start: call.span.start, end: call.span.start, text: `${name}.run({ ${entries.join(', ')} }, () => `, rank: -length });
      set.add({ start: call.span.end, end: call.span.end, text: ')', rank: length });
    }
    for (const { range, read } of call.contextArguments) {
      needsContext.add(call.file);
      const expression = readExpression(read, name, quote(call.file));
      set.take(range);
      // `{ requestId }` keeps its key: the value after the colon needs no parentheses.
      if (isShorthand(call.file, range.start)) set.add({ ...range, text: `${textOf(call.file).slice(range.start, range.end)}: ${expression}` });
      else set.add({ ...range, text: expression.includes('??') ? `(${expression})` : expression });
    }
  }

  for (const install of plan.installs ?? []) {
    const style = plan.fileStyles[install.file];
    if (style === undefined) continue;
    needsContext.add(install.file);
    for (const edit of installEdits(install, contextNameIn(install.file), style)) editsOf(install.file).add(edit);
  }
  for (const { file, range } of plan.carrierDeletions ?? []) editsOf(file).add({ ...range, text: '' });
  const loggerImports = plan.logs === undefined ? [] : addLogEdits(plan.logs, editsOf, contextNameIn, (file) => plan.fileStyles[file]?.quote ?? "'");
  for (const mixin of plan.logs?.mixins ?? []) needsContext.add(mixin.file);
  // Added before the context's import: at the same offset (after a file's last package import), the package comes first.
  for (const { file, name, specifier } of loggerImports) {
    const style = plan.fileStyles[file];
    if (style === undefined) continue;
    const statement = packageImportStatement(style, name, specifier);
    const fallback = style.hasImports ? `${style.newline}${statement}` : `${statement}${style.newline}${style.newline}`;
    editsOf(file).add(packageImportEdit(style, specifier, statement, fallback));
  }

  for (const file of needsContext) {
    if (file === contextFile) continue;
    const style = plan.fileStyles[file];
    if (style === undefined || style.contextLocal !== undefined) continue;
    const statement = importStatement(file, contextFile, plan.contextModule.exportName, contextNameIn(file), style);
    const at = style.importInsertAt;
    // The last import goes (its only names were the stripped parameters' types): the new one takes its line.
    const removed = editsOf(file).deletionEndingAt(at);
    const text = textOf(file);
    if (style.hasImports && removed !== undefined && (removed.start === 0 || text[removed.start - 1] === '\n')) {
      editsOf(file).add({ start: removed.start, end: removed.start, text: statement, rank: -Infinity });
      continue;
    }
    editsOf(file).add({
      start: at,
      end: at,
      text: style.hasImports ? `${style.newline}${statement}` : `${statement}${style.newline}${style.newline}`,
      rank: -Infinity,
    });
  }

  // In a monorepo, the package holding the context exports it to the others (analyze/workspace-context.ts).
  const reexport = plan.contextModule.workspace?.reexport;
  if (reexport !== undefined && needsContext.size > 0) {
    editsOf(plan.contextModule.workspace!.entry).add({ start: reexport.at, end: reexport.at, text: reexport.text, rank: Infinity });
  }

  const changes: FileChange[] = [];
  const contextChange = needsContext.size > 0 ? contextModuleChange(plan, edits.get(contextFile), textOf) : undefined;
  for (const [file, set] of edits) {
    if (file === contextFile || set.size === 0) continue;
    const before = textOf(file);
    const { text: after, edited } = set.applyTracked(before);
    if (after !== before) changes.push({ file, before, after, edited });
  }
  if (contextChange !== undefined) changes.push(contextChange);
  return changes.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Evaluates the hoisted arguments into consts before the statement, in argument order, and passes the
 * consts instead. A lone if/loop body gets braces so the consts stay inside the branch.
 */
function addHoist(hoist: Hoist, set: FileEdits, text: string, newline: string, semicolon: string): void {
  const consts = hoist.args.map((a) => `const ${a.name} = ${set.renderRange(text, a.range)}${hoist.needsBraces ? ';' : semicolon}`);
  for (const a of hoist.args) set.add({ ...a.range, text: a.name });
  const { start, end } = hoist.statement;
  if (hoist.needsBraces) {
    set.add({ start, end: start, text: `{ ${consts.join(' ')} `, rank: -Infinity });
    set.add({ start: end, end, text: ' }', rank: Infinity });
  } else {
    set.add({ start, end: start, text: consts.map((c) => `${c}${newline}${hoist.indent}`).join(''), rank: -Infinity });
  }
}

function spanLength(call: CallEdit): number {
  return call.span.end - call.span.start;
}

/** `quote`: the file's own, for the key's string. */
export function readExpression(read: ContextRead, contextName: string, quote = "'"): string {
  const key = `${quote}${read.key}${quote}`;
  if (read.defaultText !== undefined) return `${contextName}.tryGet(${key}) ?? ${read.defaultText}`;
  return `${contextName}.${read.optional ? 'tryGet' : 'get'}(${key})`;
}

function addReads(reads: NonNullable<FunctionEdit['reads']>, set: FileEdits, name: string, semicolon: string, quote: string): void {
  const { body, locals } = reads;
  const statement = (local: string, read: ContextRead, end: string): string => `const ${local} = ${readExpression(read, name, quote)}${end}`;
  if (body.expression !== undefined) {
    const statements = locals.map((l) => statement(l.local, l.read, ';')).join(' ');
    set.add({ start: body.expression.start, end: body.expression.start, text: `{ ${statements} return `, rank: -Infinity });
    set.add({ start: body.expression.end, end: body.expression.end, text: `${semicolon} }`, rank: Infinity });
    return;
  }
  // On a body written on one line the statement joins that line and needs its semicolon.
  const end = body.newline === ' ' ? ';' : semicolon;
  const text = locals.map((l) => `${body.newline}${body.indent}${statement(l.local, l.read, end)}`).join('');
  set.add({ start: body.insertAt, end: body.insertAt, text, rank: -Infinity });
}
