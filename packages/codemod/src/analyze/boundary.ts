// Origins that are the request's own value become one adapter at the boundary. A handler that passes
// `req.requestId` (or a header, `res.locals.x`, `ctx.state.x`, Fastify's `request.id`, Hono's
// `c.get('x')`) passes what every other handler of that request would pass: the framework adapter of
// @unthread/context, installed once right after the middleware that sets the value, puts it in the
// context, and the handlers' calls just lose the argument. What is claimed is proved from the code:
// the value is written once, at the top of a middleware registered on the app; the adapter goes
// right after that registration; every handler relying on it is registered after the adapter on the
// same app. An origin for which any step fails keeps its per-call `run()`, with the reason.
import { ts } from 'ts-morph';
import type { ArgumentUse, Boundary, BoundaryInstall, CallInfo, Range } from '../types.js';
import { AppFinder, enclosingFunction, type App, type Mount } from './boundary-apps.js';
import { destructuredShape, readShape, requestValue, stripTypeWrappers, type Framework, type ReadShape, type RequestValue } from './boundary-reads.js';
import { fieldWrites, headerWrites } from './boundary-writes.js';
import { indentationAt, isFunctionBoundary, lineOf, newlineOf } from './syntax.js';

interface Origin {
  call: CallInfo;
  arg: ArgumentUse;
  shape: ReadShape;
  value: RequestValue;
  role: 'request' | 'response';
  mounts: Mount[];
  /** `const requestId = req.requestId` (or `const { requestId } = ctx.state`) whose local the call passes. */
  carrier?: Carrier;
  /** The argument as written (the carrier's local, or the read itself). */
  argument: ts.Node;
}

const CANONICAL: Record<Framework, { request: string; response: string }> = {
  express: { request: 'req', response: 'res' },
  koa: { request: 'ctx', response: 'ctx' },
  // Not `request`: the context is usually named so, and `values` sits in its call.
  fastify: { request: 'req', response: 'reply' },
  hono: { request: 'c', response: 'c' },
  hapi: { request: 'req', response: 'h' },
};

/** `contextName` is the context's export name: the app file may import it under another name. */
export function findBoundary(
  files: readonly ts.SourceFile[],
  calls: readonly CallInfo[],
  checker: ts.TypeChecker,
  root: string,
  contextName: string,
  isTransformable: (file: string) => boolean,
): Boundary {
  const finder = new AppFinder(checker, files, root);
  const sourceFiles = new Map(files.map((sf) => [sf.fileName, sf]));
  const boundary: Boundary = { installs: [], carriers: [], fallbacks: [] };
  const fallBack = (origin: { call: CallInfo; argument: ts.Node }, reason: string): void => {
    boundary.fallbacks.push({ at: { file: origin.call.file, line: origin.call.line }, expression: origin.argument.getText(), reason });
  };

  const byApp = new Map<App, Origin[]>();
  for (const call of calls) {
    const sf = sourceFiles.get(call.file);
    if (call.untransformed || sf === undefined) continue;
    for (const arg of call.args) {
      if (arg.kind !== 'origin' || arg.expression === undefined) continue;
      const argument = nodeAt(sf, arg.expression);
      if (argument === undefined) continue;
      const carrier = carrierOf(argument, checker);
      const shape = carrier === undefined ? readShape(argument as ts.Expression) : carrierShape(carrier);
      if (shape === undefined) continue;
      const parameter = parameterOf(shape.base, checker);
      if (parameter === undefined) continue;
      const handler = parameter.parent;
      const found = frameworkObject(parameter, finder, 0);
      if ('problem' in found) {
        if (couldBeRequestRead(shape)) fallBack({ call, argument }, found.problem);
        continue;
      }
      if (found.mounts.length === 0) continue;
      const apps = new Set(found.mounts.map((m) => m.app));
      const app = found.mounts[0]!.app;
      const role = found.role;
      const value = role === undefined ? undefined : requestValue(shape, app.framework, role);
      if (value === undefined || role === undefined) continue;
      const origin: Origin = { call, arg, shape, value, role, mounts: found.mounts, argument, ...(carrier !== undefined ? { carrier } : {}) };
      if (apps.size > 1) {
        fallBack(origin, 'the handler is registered on more than one app');
        continue;
      }
      if (carrier !== undefined && enclosingFunction(carrier) !== handler) {
        fallBack(origin, `${carrier.name.getText()} is not declared in the handler itself`);
        continue;
      }
      const callNode = nodeAt(sf, call.span);
      if (callNode === undefined || !runsDuringHandler(callNode, handler)) {
        fallBack(origin, 'the call runs in a callback that may run outside the request');
        continue;
      }
      const list = byApp.get(app) ?? [];
      list.push(origin);
      byApp.set(app, list);
    }
  }

  let rewrittenHeaders: ts.Node[] | undefined;
  for (const [app, origins] of byApp) {
    if (!isTransformable(app.sf.fileName)) {
      for (const origin of origins) fallBack(origin, `${app.name} is created in ${finder.where(app.creation)}, a file this run does not change`);
      continue;
    }
    if (app.framework === 'hapi') {
      const problem = hapiRegistrationProblem(app, finder);
      if (problem !== undefined) {
        for (const origin of origins) fallBack(origin, problem);
        continue;
      }
    }
    // Where the adapter goes: first in the chain, or after the middleware that writes a field.
    let anchor = 0;
    const anchors = new Map<Origin, number>();
    const anchorsByField = new Map<string, number | string>();
    for (const origin of origins) {
      if (origin.value.kind === 'incoming' && origin.shape.form.kind !== 'property') {
        rewrittenHeaders ??= headerWrites(files);
        const write = rewrittenHeaders[0];
        if (write !== undefined) fallBack(origin, `request headers are written at ${finder.where(write)}: a handler may read another value than the adapter`);
        continue;
      }
      if (origin.value.kind !== 'field') continue;
      const field = origin.value;
      if (app.framework === 'hapi') {
        // hapi makes the request, applies the plugin's decoration (where `values` is read), and only then
        // runs the extensions and plugins that set such a field: the adapter would read it unset.
        fallBack(origin, `${describeField(field, app.framework)} is set once the request runs, after the hapi plugin reads its values`);
        continue;
      }
      const cacheKey = `${field.container}:${field.name}`;
      // Each field is looked for once per app: a service has many handlers reading the same one.
      const found = anchorsByField.get(cacheKey) ?? fieldAnchor(field, app, files, checker, finder);
      anchorsByField.set(cacheKey, found);
      if (typeof found === 'string') fallBack(origin, found);
      else {
        anchors.set(origin, found);
        anchor = Math.max(anchor, found);
      }
    }
    const anchorStatement = app.statements[anchor]!;
    const values = new Map<string, { text: string; role: 'request' | 'response' }>();
    const covered: Origin[] = [];
    for (const origin of origins) {
      if (origin.value.kind === 'field' && !anchors.has(origin)) continue;
      if (origin.value.kind === 'incoming' && origin.shape.form.kind !== 'property' && rewrittenHeaders !== undefined && rewrittenHeaders.length > 0) continue;
      const early = origin.mounts.find((m) => app.statements.indexOf(m.statement) <= anchor);
      if (early !== undefined) {
        fallBack(origin, `its handler is registered at ${finder.where(early.statement)}, before the context can be set (after ${finder.where(anchorStatement)})`);
        continue;
      }
      // An error middleware also handles errors raised by the middleware before the adapter, outside its context.
      if (anchor > 0 && origin.mounts.some((m) => m.errorHandler)) {
        fallBack(origin, `an error handler also runs for errors raised before the context is set (by the middleware up to ${finder.where(anchorStatement)}, before the adapter)`);
        continue;
      }
      const text = valueText(origin, app.framework);
      const existing = values.get(origin.arg.key);
      if (existing !== undefined && existing.text !== text) {
        fallBack(origin, `${origin.arg.key} is read as ${existing.text} elsewhere in this app: the context holds one value per key`);
        continue;
      }
      values.set(origin.arg.key, { text, role: origin.role });
      covered.push(origin);
    }
    if (covered.length === 0) continue;
    const installIndex = boundary.installs.length;
    boundary.installs.push(installFor(app, anchorStatement, values, contextName));
    for (const origin of covered) origin.arg.boundaryInstall = installIndex;
    boundary.carriers.push(...carriersOf(covered, finder));
  }
  return boundary;
}

/** The deepest node spanning exactly `range` (an argument, a call). */
function nodeAt(sf: ts.SourceFile, range: Range): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.pos > range.start || node.end < range.end) return;
    if (node.getStart(sf) === range.start && node.end === range.end) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found === undefined ? undefined : outermostSameRange(found);
}

function outermostSameRange(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent !== undefined && current.parent.getStart() === current.getStart() && current.parent.end === current.end && ts.isExpression(current.parent)) {
    current = current.parent;
  }
  return current;
}

/** A const local holding a request value: `const requestId = req.requestId`, or `const { requestId } = ctx.state`. */
type Carrier = (ts.VariableDeclaration & { initializer: ts.Expression }) | ts.BindingElement;

/** The carrier when the argument is such a local. */
function carrierOf(argument: ts.Node, checker: ts.TypeChecker): Carrier | undefined {
  if (!ts.isIdentifier(argument)) return undefined;
  const symbol = ts.isShorthandPropertyAssignment(argument.parent)
    ? checker.getShorthandAssignmentValueSymbol(argument.parent)
    : checker.getSymbolAtLocation(argument);
  const declaration = symbol?.valueDeclaration;
  if (declaration !== undefined && ts.isBindingElement(declaration)) {
    // Only the whole pattern `{ requestId }` (or `{ requestId: id }`): then the statement goes with it.
    const pattern = declaration.parent;
    const holder = pattern.parent;
    const plain = declaration.dotDotDotToken === undefined && declaration.initializer === undefined && ts.isIdentifier(declaration.name);
    const named = declaration.propertyName === undefined || ts.isIdentifier(declaration.propertyName);
    if (!plain || !named || !ts.isObjectBindingPattern(pattern) || pattern.elements.length !== 1 || !ts.isVariableDeclaration(holder) || holder.initializer === undefined) return undefined;
    return isConstList(holder.parent) ? declaration : undefined;
  }
  if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined || !ts.isIdentifier(declaration.name)) return undefined;
  return isConstList(declaration.parent) ? (declaration as Carrier) : undefined;
}

function isConstList(list: ts.Node): boolean {
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

/** What the carrier reads. */
function carrierShape(carrier: Carrier): ReadShape | undefined {
  if (ts.isVariableDeclaration(carrier)) return readShape(carrier.initializer);
  const holder = carrier.parent.parent as ts.VariableDeclaration;
  return destructuredShape(holder.initializer!, (carrier.propertyName ?? carrier.name).getText());
}

/** The variable declaration a carrier is part of. */
function carrierDeclaration(carrier: Carrier): ts.VariableDeclaration {
  return ts.isVariableDeclaration(carrier) ? carrier : (carrier.parent.parent as ts.VariableDeclaration);
}

function parameterOf(base: ts.Identifier, checker: Pick<ts.TypeChecker, 'getSymbolAtLocation'> | AppFinder): ts.ParameterDeclaration | undefined {
  const declaration = ('symbolAt' in checker ? checker.symbolAt(base) : checker.getSymbolAtLocation(base))?.valueDeclaration;
  return declaration !== undefined && ts.isParameter(declaration) && ts.isIdentifier(declaration.name) ? declaration : undefined;
}

type FrameworkObject = { mounts: Mount[]; role?: 'request' | 'response' } | { problem: string };

/**
 * What the framework passes in `parameter`, and through which mounts: a handler's own parameter, or
 * the parameter of a function that only handlers call, each passing their own request object there
 * from their own flow (`router.get('/', (req, res) => show(req, res))`).
 */
function frameworkObject(parameter: ts.ParameterDeclaration, finder: AppFinder, depth: number): FrameworkObject {
  const fn = parameter.parent;
  const index = fn.parameters.indexOf(parameter);
  const found = finder.mountsOf(fn);
  if ('problem' in found) return found;
  if (found.mounts.length > 0) {
    const framework = found.mounts[0]!.app.framework;
    const role = roleOf(framework, index, found.mounts.some((m) => m.errorHandler));
    return role === undefined ? { mounts: found.mounts } : { mounts: found.mounts, role };
  }
  const name = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
  const symbol = name === undefined ? undefined : finder.symbolAt(name);
  if (depth > 4 || name === undefined || symbol === undefined) return { mounts: [] };
  const mounts: Mount[] = [];
  let role: 'request' | 'response' | undefined;
  let calls = 0;
  for (const reference of finder.references(symbol)) {
    if (reference === name || ts.isImportSpecifier(reference.parent) || ts.isImportClause(reference.parent) || ts.isExportSpecifier(reference.parent)) continue;
    const call = reference.parent;
    const passed = ts.isCallExpression(call) && call.expression === reference ? call.arguments[index] : undefined;
    const caller = enclosingFunction(reference);
    const callerParameter = passed !== undefined && ts.isIdentifier(passed) ? parameterOf(passed, finder) : undefined;
    if (callerParameter === undefined || caller === undefined || callerParameter.parent !== caller || !runsDuringHandler(call, caller)) {
      // Not (only) reached from handlers passing their own request object: nothing says what it holds.
      return { mounts: [] };
    }
    const upstream = frameworkObject(callerParameter, finder, depth + 1);
    if ('problem' in upstream) return upstream;
    if (upstream.mounts.length === 0 || upstream.role === undefined || (role !== undefined && upstream.role !== role)) return { mounts: [] };
    role = upstream.role;
    mounts.push(...upstream.mounts);
    calls++;
  }
  return calls === 0 || role === undefined ? { mounts: [] } : { mounts, role };
}

/** What the framework passes at parameter `index` of a handler. */
function roleOf(framework: Framework, index: number, errorHandler: boolean): 'request' | 'response' | undefined {
  // Error handlers take the error first: Express `(err, req, res, next)`, Fastify `(error, request, reply)`, Hono `(error, c)`.
  const offset = errorHandler ? 1 : 0;
  if (framework === 'express' || framework === 'fastify') return index === offset ? 'request' : index === offset + 1 ? 'response' : undefined;
  // hapi's handlers and extensions take `(request, h)`; `h` holds nothing of the request.
  return index === offset ? 'request' : undefined;
}

function couldBeRequestRead(shape: ReadShape): boolean {
  const frameworks: Framework[] = ['express', 'koa', 'fastify', 'hono', 'hapi'];
  return frameworks.some((f) => requestValue(shape, f, 'request')?.kind === 'field' || requestValue(shape, f, 'response') !== undefined) && /^(req|request|res|ctx|c)$/.test(shape.base.text);
}

const CONTEXT_KEEPING_CALLS = new Set(['then', 'catch', 'finally', 'map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap', 'reduce', 'sort']);
const CONTEXT_KEEPING_FUNCTIONS = new Set(['setTimeout', 'setImmediate', 'queueMicrotask', 'nextTick']);

/**
 * Whether the call runs within the handler's own async flow: in its body, or in callbacks that keep
 * the caller's async context (promise reactions, array methods, timers, a Promise executor). A
 * listener may run from whoever emits, where the adapter's context is not the one active.
 */
function runsDuringHandler(call: ts.Node, handler: ts.SignatureDeclaration): boolean {
  for (let node = call.parent; node !== undefined; node = node.parent) {
    if (node === handler) return true;
    if (!isFunctionBoundary(node)) continue;
    if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
    const parent = node.parent;
    if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise') continue;
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(node)) return false;
    const callee = parent.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name === undefined) return false;
    if (CONTEXT_KEEPING_FUNCTIONS.has(name)) continue;
    if (!CONTEXT_KEEPING_CALLS.has(name)) return false;
  }
  return false;
}

/**
 * The index (in the app's statements) of the registration of the one middleware that writes `field`,
 * or why the value cannot be trusted to be the same for the whole request.
 */
function fieldAnchor(field: Extract<RequestValue, { kind: 'field' }>, app: App, files: readonly ts.SourceFile[], checker: ts.TypeChecker, finder: AppFinder): number | string {
  const what = describeField(field, app.framework);
  const writes = fieldWrites(field, files, checker);
  if (writes.length === 0) return `nothing in the repository sets ${what}: where a library sets it in the chain is unknown`;
  if (writes.length > 1) return `${what} is written at ${writes.map((w) => finder.where(w)).join(' and at ')}: a handler may see another value than the one set first`;
  const write = writes[0]!;
  const statement = write.parent !== undefined && ts.isExpressionStatement(write.parent) ? write.parent : write.parent?.parent;
  const middleware = statement === undefined ? undefined : enclosingFunction(statement);
  if (statement === undefined || !ts.isExpressionStatement(statement) || middleware === undefined || !isTopLevelIn(statement, middleware)) {
    return `${what} is set at ${finder.where(write)}, not as a statement of its own at the top of a middleware`;
  }
  const mounts = finder.mountsOf(middleware);
  if ('problem' in mounts) return mounts.problem;
  const mount = mounts.mounts[0];
  if (mounts.mounts.length !== 1 || mount === undefined || mount.app !== app || !mount.direct || mount.errorHandler) {
    return `the middleware that sets ${what} (${finder.where(middleware)}) is not registered once with ${app.name}.use()`;
  }
  // `next()` (or a return) before the write would run the rest of the chain without the value.
  const body = (middleware as ts.FunctionLikeDeclaration).body as ts.Block;
  const nextName = middleware.parameters[app.framework === 'express' ? 2 : 1]?.name.getText();
  for (const earlier of body.statements.slice(0, body.statements.indexOf(statement))) {
    if (ts.isReturnStatement(earlier) || (nextName !== undefined && mentions(earlier, nextName))) {
      return `the middleware that sets ${what} may hand on the request before setting it (${finder.where(earlier)})`;
    }
  }
  return app.statements.indexOf(mount.statement);
}

/**
 * Why the hapi plugin cannot be registered right after the server is made: `server.register` is async,
 * and only an awaited registration is proved done before the server takes its first request.
 */
function hapiRegistrationProblem(app: App, finder: AppFinder): string | undefined {
  const fn = enclosingFunction(app.creation);
  const isAsync = fn !== undefined && (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
  if (isAsync) return undefined;
  const where = fn === undefined ? 'at the top level of its module' : `in a function that is not async (${finder.where(fn)})`;
  return `${app.name} is created ${where}: the hapi plugin's registration could not be awaited there`;
}

function isTopLevelIn(statement: ts.Statement, fn: ts.SignatureDeclaration): boolean {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  return body !== undefined && ts.isBlock(body) && body.statements.includes(statement);
}

function mentions(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node) && node.text === name) return true;
  return ts.forEachChild(node, (child) => mentions(child, name) || undefined) === true;
}

function describeField(field: Extract<RequestValue, { kind: 'field' }>, framework: Framework): string {
  switch (field.container) {
    case 'request':
      return `${framework === 'hapi' ? 'request' : CANONICAL[framework].request}.${field.name}`;
    case 'locals':
      return `res.locals.${field.name}`;
    case 'state':
      return `ctx.state.${field.name}`;
    case 'variables':
      return `c.get('${field.name}')`;
  }
}

/** The read with its parameter renamed to the one `values` takes: `req.requestId`, `res.locals.requestId`. */
function valueText(origin: Origin, framework: Framework): string {
  const { base, read } = origin.shape;
  const readText = stripTypeWrappers(read);
  const text = readText.getText() + (origin.shape.member === undefined ? '' : `.${origin.shape.member}`);
  return CANONICAL[framework][origin.role] + text.slice(base.end - readText.getStart()) + assertedType(origin);
}

/**
 * ` as string` when the code asserted the read's type (`request.headers['x-request-id'] as string`, hapi
 * types headers `unknown`): the value in the plugin's `values` needs the same assertion to type-check.
 */
function assertedType(origin: Origin): string {
  const written = origin.carrier !== undefined && ts.isVariableDeclaration(origin.carrier) ? origin.carrier.initializer : origin.argument;
  for (let node: ts.Node = written; ; ) {
    if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
    else if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) return ` as ${node.type.getText()}`;
    else return '';
  }
}

function installFor(app: App, after: ts.Statement, values: Map<string, { text: string; role: 'request' | 'response' }>, contextName: string): BoundaryInstall {
  const sf = app.sf;
  const framework = app.framework;
  const names = CANONICAL[framework];
  const typed = /\.[cm]?tsx?$/.test(sf.fileName);
  const usesResponse = [...values.values()].some((v) => v.role === 'response' && names.response !== names.request);
  const parameter = (role: 'request' | 'response', name: string): string => {
    const type = typed ? parameterType(sf, framework, role) : undefined;
    return type === undefined ? name : `${name}: ${type}`;
  };
  const params = usesResponse
    ? `(${parameter('request', [...values.values()].some((v) => v.role === 'request') ? names.request : `_${names.request}`)}, ${parameter('response', names.response)})`
    : `(${parameter('request', names.request)})`;
  const entries = [...values].map(([key, v]) => (v.text === key ? key : `${key}: ${v.text}`)).join(', ');
  const taken = identifierNames(sf);
  // The context is imported as `requestContext` where the file already names something `request`.
  const contextLocal = taken.has(contextName) ? `${contextName}Context` : contextName;
  const adapterLocal = taken.has('requestContext') || contextLocal === 'requestContext' ? `${framework}RequestContext` : 'requestContext';
  return {
    file: sf.fileName,
    line: lineOf(sf, after.end),
    framework,
    insertAt: after.end,
    lead: `${newlineOf(sf)}${indentationAt(sf.text, after.getStart(sf))}`,
    mount: framework === 'hapi' ? `await ${app.name}.register` : `${app.name}.${framework === 'fastify' ? 'register' : 'use'}`,
    adapterModule: `@unthread/context/${framework}`,
    adapterLocal,
    options: `{ assignId: false, values: ${params} => ({ ${entries} }) }`,
  };
}

/** The type `values` needs for the framework's object to have the app's fields, as the app file can name it. */
function parameterType(sf: ts.SourceFile, framework: Framework, role: 'request' | 'response'): string | undefined {
  const wanted = framework === 'express' ? (role === 'request' ? 'Request' : 'Response') : framework === 'koa' ? 'Context' : undefined;
  if (wanted === undefined) return undefined;
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== framework) continue;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      const named = bindings.elements.find((e) => (e.propertyName ?? e.name).text === wanted);
      if (named !== undefined) return named.name.text;
    }
    if (clause?.name !== undefined) return `${clause.name.text}.${wanted}`;
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) return `${bindings.name.text}.${wanted}`;
  }
  return `import('${framework}').${wanted}`;
}

/** Locals whose every use is an argument the adapter now provides: they go with those arguments. */
function carriersOf(covered: readonly Origin[], finder: AppFinder): Boundary['carriers'] {
  const byCarrier = new Map<Carrier, Origin[]>();
  for (const origin of covered) {
    if (origin.carrier === undefined) continue;
    byCarrier.set(origin.carrier, [...(byCarrier.get(origin.carrier) ?? []), origin]);
  }
  const carriers: Boundary['carriers'] = [];
  for (const [carrier, origins] of byCarrier) {
    const declaration = carrierDeclaration(carrier);
    const list = declaration.parent;
    const statement = list.parent;
    if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(statement) || list.declarations.length !== 1) continue;
    const uses = referencesExcept(finder, carrier);
    if (uses.some((u) => !origins.some((o) => o.argument === u))) continue;
    const sf = statement.getSourceFile();
    carriers.push({ file: sf.fileName, range: statementRemoval(sf, statement), uses: origins.map((o) => ({ callId: o.call.id, key: o.arg.key })) });
  }
  return carriers;
}

function referencesExcept(finder: AppFinder, declaration: Carrier): ts.Identifier[] {
  const name = declaration.name as ts.Identifier;
  const symbol = finder.symbolAt(name);
  // Unknown to the checker: keep the local, as if it had a use the analysis cannot see.
  return symbol === undefined ? [name] : finder.references(symbol).filter((r) => r !== name);
}

/** A statement with its own line when it has one, else with the spaces after it. */
function statementRemoval(sf: ts.SourceFile, statement: ts.Statement): Range {
  const text = sf.text;
  const start = statement.getStart(sf);
  const lineBreak = text.lastIndexOf('\n', start - 1);
  if (lineBreak > 0 && /^[ \t]*$/.test(text.slice(lineBreak + 1, start))) {
    return { start: text[lineBreak - 1] === '\r' ? lineBreak - 1 : lineBreak, end: statement.end };
  }
  const after = /^[ \t]*/.exec(text.slice(statement.end))![0].length;
  return { start, end: statement.end + after };
}

function identifierNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}
