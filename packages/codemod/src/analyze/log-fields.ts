// Finds the log fields that carry a threaded value (`log.info({ requestId }, …)`, `{ request_id: requestId }`,
// `rootLogger.child({ requestId })`, winston's `logger.info(message, { requestId })`) and the pino or
// winston construction each logger comes from. A field can go only where a mixin (pino) or format
// (winston) reading the context at log time writes what the field wrote: the log call runs
// in the function's own body (a closure may run later, in another request's context), and a child
// logger carrying the value is used at once, in the context it was made in.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { CallInfo, LogAnalysis, LogField, LoggerConstruction, Range } from '../types.js';
import type { CandidateIndex } from './collect-functions.js';
import { LOG_LEVELS, loggerConstruction, loggerLibrary } from './logger-origin.js';
import { isJsonStringify, spreadInsert } from './json-line-wrapper.js';
import { combineInsert } from './winston-format.js';
import { forwardedArgument } from './log-wrappers.js';
import { isFunctionBoundary, lineOf, listRemovalRanges, skipParentheses } from './syntax.js';

export function findLogFields(
  program: ts.Program,
  files: readonly ts.SourceFile[],
  index: CandidateIndex,
  calls: readonly CallInfo[],
  isTransformable: (file: string) => boolean,
): LogAnalysis {
  const checker = program.getTypeChecker();
  const byFile = new Map(program.getSourceFiles().map((sf) => [path.resolve(sf.fileName), sf]));
  const fields: LogField[] = [];
  const loggers = new Map<ts.CallExpression, LoggerConstruction>();
  for (const sf of files) {
    const file = path.resolve(sf.fileName);
    if (sf.isDeclarationFile || !isTransformable(file) || ![...index.locals].some((l) => sf.text.includes(l))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) fields.push(...fieldsOf(node, sf, file, { checker, index, calls, byFile, isTransformable }, loggers));
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { fields, loggers: [...loggers.values()] };
}

interface Lookup {
  checker: ts.TypeChecker;
  index: CandidateIndex;
  calls: readonly CallInfo[];
  byFile: ReadonlyMap<string, ts.SourceFile>;
  isTransformable: (file: string) => boolean;
}

type Found = { index: number; key: string; name: string; local: string; functionNode: ts.Node; functionId: string; defaulted: boolean };

function fieldsOf(call: ts.CallExpression, sf: ts.SourceFile, file: string, lookup: Lookup, loggers: Map<ts.CallExpression, LoggerConstruction>): LogField[] {
  return call.arguments.flatMap((object, argIndex) => {
    if (!ts.isObjectLiteralExpression(object)) return [];
    const found = threadedProperties(object, lookup);
    if (found.length === 0) return [];
    const target = logTarget(call, argIndex, lookup);
    return target === undefined ? [] : describeFields(call, object, found, target, sf, file, lookup, loggers);
  });
}

interface LogTarget {
  kind: LogField['kind'];
  logger: ts.CallExpression | string;
  /** The fields go through the repository's own logging function. */
  wrapper?: true;
  /** winston's meta argument after the message: emptied, it goes with its comma. */
  meta?: true;
}

/**
 * Where an object argument's fields end up: a pino log call (its first argument) or child, a winston
 * log call (the meta after a message), or the repo's function that passes them to one of those.
 */
function logTarget(call: ts.CallExpression, argIndex: number, { checker, isTransformable, index }: Lookup): LogTarget | undefined {
  const forwarded = forwardedArgument(call, argIndex, checker, isTransformable, (fn) => index.byNode.has(fn));
  if (forwarded !== undefined) return { kind: 'call', logger: forwarded.logger, wrapper: true };
  const callee = skipParentheses(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const kind = method === 'child' ? 'binding' : LOG_LEVELS.has(method) ? 'call' : undefined;
  if (kind === undefined) return undefined;
  const meta = kind === 'call' && argIndex === 1 && call.arguments.length === 2;
  if (argIndex !== 0 && !meta) return undefined;
  const logger = loggerConstruction(callee.expression, checker);
  if (typeof logger === 'string') return { kind, logger, ...(meta ? { meta: true as const } : {}) };
  const library = loggerLibrary(logger, checker);
  // pino reads fields from the first argument only, winston from the meta after the message.
  if (library === 'pino' && argIndex !== 0) return undefined;
  if (library === 'winston' && kind === 'call') return meta ? { kind, logger: winstonMetaBlocker(call) ?? logger, meta: true } : undefined;
  return { kind, logger };
}

/** winston merges the meta into the entry only when the message has no `%s`-style token (then `format.splat()` does). */
function winstonMetaBlocker(call: ts.CallExpression): string | undefined {
  const message = call.arguments[0]!;
  if (ts.isObjectLiteralExpression(message)) return 'the log call passes an object as its message';
  if (ts.isStringLiteralLike(message) && /%[sdifjoOc%]/.test(message.text)) return 'its message has a %-token, so winston hands the meta to format.splat() instead of the entry';
  return undefined;
}

/** The properties whose value is a threaded parameter, read by the function that declares it. */
function threadedProperties(object: ts.ObjectLiteralExpression, { checker, index }: Lookup): Found[] {
  const found: Found[] = [];
  object.properties.forEach((property, i) => {
    const value = ts.isShorthandPropertyAssignment(property)
      ? property.name
      : ts.isPropertyAssignment(property) && ts.isIdentifier(skipParentheses(property.initializer))
        ? (skipParentheses(property.initializer) as ts.Identifier)
        : undefined;
    if (value === undefined || !index.locals.has(value.text)) return;
    const symbol = ts.isShorthandPropertyAssignment(property) ? checker.getShorthandAssignmentValueSymbol(property) : checker.getSymbolAtLocation(value);
    const owner = symbol !== undefined ? index.byParamSymbol.get(symbol) : undefined;
    const name = property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (owner === undefined || name === undefined) return;
    found.push({
      index: i,
      key: owner.param.key,
      name,
      local: owner.param.local,
      functionNode: owner.candidate.node,
      functionId: owner.candidate.info.id,
      defaulted: owner.param.defaultText !== undefined,
    });
  });
  return found;
}

function describeFields(
  call: ts.CallExpression,
  object: ts.ObjectLiteralExpression,
  found: readonly Found[],
  { kind, logger: origin, wrapper, meta }: LogTarget,
  sf: ts.SourceFile,
  file: string,
  lookup: Lookup,
  loggers: Map<ts.CallExpression, LoggerConstruction>,
): LogField[] {
  let loggerId: string | undefined;
  let originBlocker: string | undefined;
  if (typeof origin === 'string') originBlocker = origin;
  else loggerId = registerLogger(origin, loggers, lookup).id;
  const library = loggers.get(origin as ts.CallExpression)?.library;

  const everyField = found.length === object.properties.length;
  const removals = listRemovalRanges(object.properties, found.map((f) => f.index), sf);
  const line = lineOf(sf, call.getStart(sf));
  const bindingUse = kind === 'binding' ? childLoggerUse(call, lookup) : undefined;
  // Fields that share one removal (the object left empty, or a run of neighbours) go together or not at all: the plan checks.
  const threaded = new Set(found.map((f) => f.index));
  const others = object.properties.map((_, i) => i).filter((i) => !threaded.has(i));
  return found.map((f) => {
    const field: LogField = {
      file,
      line,
      key: f.key,
      name: f.name,
      functionId: f.functionId,
      local: f.local,
      kind,
      moves: movesInLine(library, kind, others, f.index),
      removal: everyField ? emptiedRemoval(call, object, sf, wrapper !== undefined, meta !== undefined) : { range: removalOf(removals, object.properties[f.index]!, sf), text: '' },
    };
    if (loggerId !== undefined) field.loggerId = loggerId;
    const blocker =
      originBlocker ??
      (f.defaulted ? 'its parameter has a default value, which the context does not hold' : undefined) ??
      closureBlocker(call, f.functionNode) ??
      (typeof bindingUse === 'string' ? bindingUse : undefined);
    if (blocker !== undefined) field.blocker = blocker;
    if (typeof bindingUse === 'object') field.wrapperCalls = bindingUse;
    return field;
  });
}

/**
 * Whether the key lands elsewhere in the line. pino writes a mixin's keys after the child bindings and
 * before the call's own fields. winston's format adds the key to the entry after the message, so its
 * order in the entry always changes; `format.json()` and `format.simple()` sort the keys and print the
 * same line, a format that prints the entry in order does not.
 */
function movesInLine(library: LoggerConstruction['library'] | undefined, kind: LogField['kind'], others: readonly number[], index: number): boolean {
  if (library === 'winston') return true;
  return kind === 'call' ? others.some((i) => i < index) : others.some((i) => i > index);
}

/** The log call must run where the function runs, or the context it finds there is another one. */
function closureBlocker(call: ts.Node, functionNode: ts.Node): string | undefined {
  for (let node = call.parent; node !== undefined; node = node.parent) {
    if (node === functionNode) return undefined;
    if (isFunctionBoundary(node)) return 'it is logged inside a callback, which may run in another context than the function';
  }
  return 'it is logged outside the function that holds the value';
}

/** The removal range holding one property (a run of removed properties shares one range). */
function removalOf(ranges: readonly Range[], property: ts.Node, sf: ts.SourceFile): Range {
  const start = property.getStart(sf);
  return ranges.find((r) => r.start <= start && start < r.end) ?? ranges.find((r) => r.end >= property.end)!;
}

/**
 * A log call left with `{}`: `log.info({ requestId }, 'msg')` becomes `log.info('msg')` (pino writes the
 * same line; winston's emptied meta goes with its comma); a child left without bindings is its parent
 * logger: `rootLogger.child({ requestId })` → `rootLogger`. A lone `{}` argument stays, since
 * `log.info()` logs nothing like `log.info({})`.
 */
function emptiedRemoval(call: ts.CallExpression, object: ts.ObjectLiteralExpression, sf: ts.SourceFile, wrapper: boolean, meta: boolean): { range: Range; text: string } {
  // The repo's own function gets `{}`: without the argument it would see `undefined`, which it may treat otherwise.
  if (wrapper) return { range: { start: object.getStart(sf), end: object.end }, text: '{}' };
  // winston: `logger.info('msg', { requestId })` → `logger.info('msg')`, the same entry less the field.
  if (meta) return { range: { start: call.arguments[0]!.end, end: object.end }, text: '' };
  const callee = call.expression as ts.PropertyAccessExpression;
  if (callee.name.text === 'child' && call.arguments.length === 1) {
    return { range: { start: call.getStart(sf), end: call.end }, text: callee.expression.getText(sf) };
  }
  const next = call.arguments[1];
  if (next !== undefined) return { range: { start: object.getStart(sf), end: next.getStart(sf) }, text: '' };
  return { range: { start: object.getStart(sf), end: object.end }, text: '{}' };
}

/** One entry per construction, with where its mixin (pino) or format (winston) goes. */
function registerLogger(call: ts.CallExpression, loggers: Map<ts.CallExpression, LoggerConstruction>, { checker, isTransformable }: Lookup): LoggerConstruction {
  const existing = loggers.get(call);
  if (existing !== undefined) return existing;
  const sf = call.getSourceFile();
  const file = path.resolve(sf.fileName);
  const library = isJsonStringify(call, checker) ? 'json' : (loggerLibrary(call, checker) ?? 'pino');
  const logger: LoggerConstruction = { id: `${file}:${call.getStart(sf)}`, file, line: lineOf(sf, call.getStart(sf)), library };
  const options = call.arguments[0];
  if (!isTransformable(file)) logger.blocker = 'it is made in a file this run does not change';
  else if (library === 'json') {
    const insert = spreadInsert(call, sf, checker);
    if (typeof insert === 'string') logger.blocker = insert;
    else logger.insert = insert;
  } else if (library === 'winston') {
    const insert = combineInsert(options, sf, checker);
    if (typeof insert === 'string') logger.blocker = insert;
    else logger.insert = insert;
  } else if (options === undefined) logger.insert = { at: call.arguments.pos, before: '{ ', after: ' }' };
  else if (!ts.isObjectLiteralExpression(options)) logger.blocker = 'its options are not an object literal unthread can add a mixin to';
  else if (options.properties.some((p) => ts.isSpreadAssignment(p) || MIXIN_OPTIONS.has(optionName(p, sf)))) {
    logger.blocker = 'it has a mixin, a mixin merge strategy or a nested key already (or spreads options that may hold one)';
  } else logger.insert = mixinInsert(options, sf);
  if (logger.insert !== undefined && library !== 'json') {
    const fixed = fixedKeys(options, library === 'winston' ? 'defaultMeta' : 'base', sf);
    if (typeof fixed === 'string') {
      delete logger.insert;
      logger.blocker = fixed;
    } else if (fixed.length > 0) logger.fixedKeys = fixed;
  }
  loggers.set(call, logger);
  return logger;
}

/**
 * The keys of the option that gives every line fixed fields: one the context writes too would collide
 * (pino writes both keys; winston keeps the fixed value and drops the context's).
 */
function fixedKeys(options: ts.Expression | undefined, option: 'base' | 'defaultMeta', sf: ts.SourceFile): string[] | string {
  if (options === undefined || !ts.isObjectLiteralExpression(options)) return [];
  const property = options.properties.find((p) => optionName(p, sf) === option);
  if (property === undefined) return [];
  const value = ts.isPropertyAssignment(property) ? skipParentheses(property.initializer) : undefined;
  if (value !== undefined && value.kind === ts.SyntaxKind.NullKeyword) return [];
  if (value === undefined || !ts.isObjectLiteralExpression(value) || value.properties.some((p) => p.name === undefined)) {
    return `its ${option} is not an object literal: a key there could hide the one the context writes`;
  }
  return value.properties.map((p) => optionName(p, sf));
}

// Options that a mixin would collide with or that change where its keys land in the line.
const MIXIN_OPTIONS = new Set(['mixin', 'mixinMergeStrategy', 'nestedKey']);

export function optionName(property: ts.ObjectLiteralElementLike, sf: ts.SourceFile): string {
  const name = property.name;
  if (name === undefined) return '';
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText(sf);
}

/** `, mixin: …` after the last option, on a line of its own when the options are written one per line. */
function mixinInsert(options: ts.ObjectLiteralExpression, sf: ts.SourceFile): NonNullable<LoggerConstruction['insert']> {
  const last = options.properties[options.properties.length - 1];
  if (last === undefined) return { at: options.getStart(sf) + 1, before: ' ', after: ' ' };
  const text = sf.text;
  let after = last.end;
  while (/[ \t]/.test(text[after] ?? '')) after++;
  const trailingComma = text[after] === ',';
  const closing = options.end - 1;
  if (!text.slice(last.end, closing).includes('\n')) return { at: last.end, before: ', ', after: '' };
  const lineStart = text.lastIndexOf('\n', last.getStart(sf)) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const newline = text[text.indexOf('\n', last.end) - 1] === '\r' ? '\r\n' : '\n';
  return trailingComma
    ? { at: after + 1, before: `${newline}${indent}`, after: ',' }
    : { at: last.end, before: `,${newline}${indent}`, after: '' };
}

type LoggerUse = { use: 'chained'; logCall: ts.CallExpression } | { use: 'local' } | string;

/**
 * How the logger a `.child({...})` makes is used: at once by a log call, by log calls on a local const in
 * the same function, or (returned by its function, `logFor(id)`) that way by every caller.
 */
function childLoggerUse(child: ts.CallExpression, { checker, index, calls, byFile }: Lookup): LogField['wrapperCalls'] | string {
  const direct = useOf(child, checker);
  if (typeof direct === 'object') return [];
  const returned = returningFunction(child);
  const candidate = returned !== undefined ? index.byNode.get(returned) : undefined;
  if (candidate === undefined) return direct;
  const result: NonNullable<LogField['wrapperCalls']> = [];
  for (const call of calls.filter((c) => c.calleeId === candidate.info.id)) {
    const node = nodeAt(call, byFile);
    if (node === undefined) return `a call of ${candidate.info.name} could not be found again`;
    const use = useOf(node, checker);
    if (typeof use === 'string') return `${candidate.info.name}() at ${path.basename(call.file)}:${call.line}: ${use}`;
    const entry: NonNullable<LogField['wrapperCalls']>[number] = { callId: call.id, use: use.use, awaits: false };
    if (use.use === 'chained') {
      const logSf = use.logCall.getSourceFile();
      entry.logCall = { start: use.logCall.getStart(logSf), end: use.logCall.end };
      entry.awaits = containsAwait(use.logCall, node);
    }
    result.push(entry);
  }
  return result;
}

/** The function whose value is `node` (`return node` in its own body, or its expression body). */
function returningFunction(node: ts.Node): ts.Node | undefined {
  const parent = node.parent;
  if (ts.isArrowFunction(parent) && parent.body === node) return parent;
  if (!ts.isReturnStatement(parent)) return undefined;
  for (let up: ts.Node | undefined = parent.parent; up !== undefined; up = up.parent) if (isFunctionBoundary(up)) return up;
  return undefined;
}

/** A logger used only by log calls in the context it was made in, or why not. */
function useOf(logger: ts.Expression, checker: ts.TypeChecker): LoggerUse {
  const parent = logger.parent;
  if (isLogMethod(parent) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return { use: 'chained', logCall: parent.parent };
  if (!ts.isVariableDeclaration(parent) || parent.initializer !== logger || !ts.isIdentifier(parent.name)) {
    return 'the logger is used where unthread cannot follow it';
  }
  if (!ts.isVariableDeclarationList(parent.parent) || (parent.parent.flags & ts.NodeFlags.Const) === 0) return `\`${parent.name.text}\` is not a const`;
  const declared = parent.name;
  const symbol = checker.getSymbolAtLocation(declared);
  const scope = enclosingFunction(parent);
  if (symbol === undefined || scope === undefined) return 'the logger is used where unthread cannot follow it';
  let problem: string | undefined;
  const visit = (node: ts.Node): void => {
    if (problem !== undefined) return;
    if (ts.isIdentifier(node) && node !== declared && node.text === declared.text && checker.getSymbolAtLocation(node) === symbol) {
      const access = node.parent;
      if (!isLogMethod(access) || access.expression !== node || !ts.isCallExpression(access.parent) || access.parent.expression !== access) {
        problem = `\`${node.text}\` is used other than by a log call`;
      } else if (enclosingFunction(node) !== scope) problem = `\`${node.text}\` is logged to inside a callback`;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return problem ?? { use: 'local' };
}

function isLogMethod(node: ts.Node): node is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(node) && LOG_LEVELS.has(node.name.text);
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let up = node.parent; up !== undefined; up = up.parent) if (isFunctionBoundary(up) || ts.isSourceFile(up)) return up;
  return undefined;
}

/** The call expression a CallInfo describes, found again by its span. */
function nodeAt(call: CallInfo, byFile: ReadonlyMap<string, ts.SourceFile>): ts.CallExpression | undefined {
  const source = byFile.get(call.file);
  if (source === undefined) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined || node.getStart(source) > call.span.start || node.end < call.span.end) return;
    if (ts.isCallExpression(node) && node.getStart(source) === call.span.start && node.end === call.span.end) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The log call awaits or yields outside the logger's own call: it cannot move into a `() =>` callback. */
function containsAwait(logCall: ts.Node, inner: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node === inner || isFunctionBoundary(node)) return;
    if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(logCall, visit);
  return found;
}
