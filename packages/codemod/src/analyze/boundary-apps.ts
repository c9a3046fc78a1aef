// Where a handler sits in its app's middleware chain. A function the framework calls is registered on
// an app (`app.get(path, h)`, `app.use(mw)`), or on a router that is mounted on one (`app.use(router)`,
// `app.use(makeRouter())`, `app.route('/x', sub)`, Fastify's `app.register(plugin)`); the chain ends
// in a statement of the block that created the app, and statements there run in order at start-up,
// so its position is the handler's place in the chain. Anything the walk cannot follow is reported.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Framework } from './boundary-reads.js';
import { isFunctionBoundary, lineOf, skipParentheses } from './syntax.js';

export interface App {
  framework: Framework;
  /** The variable holding the app. */
  name: string;
  symbol: ts.Symbol;
  sf: ts.SourceFile;
  /** The statement creating the app, and the statements after it in the same block. */
  creation: ts.Statement;
  statements: readonly ts.Statement[];
}

/** One way the framework reaches a function: through `statement`, a statement of the app's own block. */
export interface Mount {
  app: App;
  statement: ts.Statement;
  /** Express's four-parameter error middleware: runs for errors raised anywhere before it too. */
  errorHandler: boolean;
  /** Registered with `use` (or a Fastify hook) directly on the app, not through a router or a route. */
  direct: boolean;
}

/** The mounts, or why they cannot be known; `mounts` is empty when nothing registers the function. */
export type Mounts = { mounts: Mount[] } | { problem: string };

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'use']);
/**
 * Fastify's `setErrorHandler` and Hono's `onError`: called for an error raised in any hook, middleware
 * or handler of the app, in the flow of the one that raised it (Fastify's reply, Hono's compose catches
 * at each layer), so in the context when that one runs after the adapter.
 */
const ERROR_HANDLER_METHODS = new Set(['setErrorHandler', 'onError']);
const APP_MODULES: Record<string, Framework> = { express: 'express', koa: 'koa', fastify: 'fastify', hono: 'hono', '@hapi/hapi': 'hapi' };
/** hapi's `Hapi.server(…)` and `new Hapi.Server(…)`. */
const HAPI_SERVER_FACTORIES = new Set(['server', 'Server']);
const ROUTER_MODULES = new Set(['@koa/router', 'koa-router']);

export class AppFinder {
  readonly #identifiers = new Map<ts.SourceFile, Map<string, ts.Identifier[]>>();
  readonly #apps = new Map<ts.Symbol, App | undefined>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly files: readonly ts.SourceFile[],
    private readonly root: string,
  ) {}

  /** `file:line` of a node, relative to the project root, for reasons. */
  where(node: ts.Node): string {
    const sf = node.getSourceFile();
    return `${path.relative(this.root, sf.fileName)}:${lineOf(sf, node.getStart(sf))}`;
  }

  /** Every way the framework reaches `fn`. */
  mountsOf(fn: ts.SignatureDeclaration): Mounts {
    const sites = this.#valueSites(fn);
    if ('problem' in sites) return sites;
    const mounts: Mount[] = [];
    for (const site of sites.sites) {
      const call = site.parent as ts.CallExpression;
      const callee = call.expression as ts.PropertyAccessExpression;
      const errorHandler = ERROR_HANDLER_METHODS.has(callee.name.text) || (ts.isFunctionLike(fn) && fn.parameters.length === 4 && callee.name.text === 'use');
      const found = this.#mountsOfReceiver(callee.expression, call, 0);
      if ('problem' in found) return found;
      const direct = callee.name.text === 'use' || callee.name.text === 'addHook' || callee.name.text === 'ext';
      mounts.push(...found.mounts.map((m) => ({ ...m, errorHandler, direct: direct && m.direct })));
    }
    return { mounts };
  }

  /** The app a variable holds, when its initializer creates one. */
  appOf(symbol: ts.Symbol): App | undefined {
    if (this.#apps.has(symbol)) return this.#apps.get(symbol);
    let app: App | undefined;
    const declaration = symbol.valueDeclaration;
    if (declaration !== undefined && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer !== undefined) {
      const framework = this.#created(declaration.initializer, 'app');
      const statement = declaration.parent.parent;
      const block = statement.parent;
      if (framework !== undefined && ts.isVariableStatement(statement) && (ts.isBlock(block) || ts.isSourceFile(block))) {
        const statements = block.statements.slice(block.statements.indexOf(statement));
        app = { framework, name: declaration.name.text, symbol, sf: declaration.getSourceFile(), creation: statement, statements };
      }
    }
    this.#apps.set(symbol, app);
    return app;
  }

  /** Places where `fn` itself is an argument of a registration call (`x.get('/p', fn)`, `x.use(fn)`). */
  #valueSites(fn: ts.SignatureDeclaration): { sites: ts.Expression[] } | { problem: string } {
    const asArgument = (node: ts.Expression): ts.Expression | undefined => {
      let current: ts.Node = node;
      while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
      const parent = current.parent;
      if (!ts.isCallExpression(parent) || !parent.arguments.includes(current as ts.Expression) || !ts.isPropertyAccessExpression(parent.expression)) return undefined;
      const method = parent.expression.name.text;
      if (ROUTE_METHODS.has(method) || ERROR_HANDLER_METHODS.has(method) || method === 'register' || method === 'addHook' || method === 'ext') return current as ts.Expression;
      return undefined;
    };
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
      // Hono's `createMiddleware(fn)` returns `fn` itself: the call stands for the function.
      const value = this.#isIdentityWrapper(fn) ? (fn.parent as ts.CallExpression) : fn;
      const site = asArgument(value);
      if (site !== undefined) return { sites: [site] };
      const routed = this.#hapiSites(value);
      if (routed !== undefined) return routed;
      const holder = value.parent;
      if (!ts.isVariableDeclaration(holder) || holder.initializer !== value || !ts.isIdentifier(holder.name)) return { sites: [] };
      return this.#referenceSites(holder.name, asArgument);
    }
    if (ts.isFunctionDeclaration(fn) && fn.name !== undefined) return this.#referenceSites(fn.name, asArgument);
    return { sites: [] };
  }

  /** `fn` is the only argument of a call that returns it unchanged (`createMiddleware` from hono/factory). */
  #isIdentityWrapper(fn: ts.Expression): boolean {
    const call = fn.parent;
    if (!ts.isCallExpression(call) || call.arguments.length !== 1 || call.arguments[0] !== fn || !ts.isIdentifier(call.expression)) return false;
    const origin = this.#importOf(call.expression);
    return origin?.module === 'hono/factory' && origin.name === 'createMiddleware';
  }

  #referenceSites(name: ts.Identifier, asArgument: (node: ts.Expression) => ts.Expression | undefined): { sites: ts.Expression[] } | { problem: string } {
    const sites: ts.Expression[] = [];
    const symbol = this.checker.getSymbolAtLocation(name);
    if (symbol === undefined) return { sites };
    const others: ts.Identifier[] = [];
    for (const reference of this.references(symbol)) {
      if (reference === name || isImportOrExportName(reference)) continue;
      const site = asArgument(reference);
      if (site !== undefined) {
        sites.push(site);
        continue;
      }
      const routed = this.#hapiSites(reference);
      if (routed === undefined) others.push(reference);
      else if ('problem' in routed) return routed;
      else sites.push(...routed.sites);
    }
    // Called by the repo itself as well: then it also runs where no request set anything.
    if (sites.length > 0 && others.length > 0) return { problem: `${name.text} is also used at ${this.where(others[0]!)}, not only registered with the framework` };
    return { sites };
  }

  /**
   * hapi's route and extension configs: `handler: fn` in a route (or its `options`), `method: fn` in an
   * extension, the object alone or in an array, passed to `server.route(…)` / `server.ext(…)` right
   * there or through a const that only those calls take. Undefined when `node` is in no such config.
   */
  #hapiSites(node: ts.Expression): { sites: ts.Expression[] } | { problem: string } | undefined {
    let current: ts.Node = node;
    while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
    const wrapper = current.parent;
    // `handler: validated(async (request, h) => …)`: what the wrapper hands hapi, and when it calls the
    // function with which request, is the wrapper's to say.
    if (ts.isCallExpression(wrapper) && wrapper.arguments.includes(current as ts.Expression) && ts.isPropertyAssignment(wrapper.parent) && wrapper.parent.initializer === wrapper && wrapper.parent.name.getText() === 'handler') {
      return { problem: `its hapi handler is wrapped in ${this.shortly(wrapper.expression)}, which the analysis cannot follow` };
    }
    const property = current.parent;
    if (!(ts.isPropertyAssignment(property) && property.initializer === current) && !ts.isShorthandPropertyAssignment(property)) return undefined;
    const key = property.name.getText();
    if ((key !== 'handler' && key !== 'method') || !ts.isObjectLiteralExpression(property.parent)) return undefined;
    let holder: ts.Expression = property.parent;
    const outer = holder.parent;
    if (key === 'handler' && ts.isPropertyAssignment(outer) && ['options', 'config'].includes(outer.name.getText()) && ts.isObjectLiteralExpression(outer.parent)) holder = outer.parent;
    while (ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
    if (ts.isArrayLiteralExpression(holder.parent)) holder = holder.parent;
    const method = key === 'handler' ? 'route' : 'ext';
    const isRegistration = (value: ts.Expression): boolean => {
      let at: ts.Node = value;
      while (ts.isParenthesizedExpression(at.parent)) at = at.parent;
      const call = at.parent;
      return ts.isCallExpression(call) && call.arguments[0] === at && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === method;
    };
    const argumentOf = (value: ts.Expression): ts.Expression => {
      let at: ts.Node = value;
      while (ts.isParenthesizedExpression(at.parent)) at = at.parent;
      return at as ts.Expression;
    };
    if (isRegistration(holder)) return { sites: [argumentOf(holder)] };
    const declaration = argumentOf(holder).parent;
    if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== argumentOf(holder) || !isConstName(declaration)) return undefined;
    const symbol = this.checker.getSymbolAtLocation(declaration.name);
    if (symbol === undefined) return undefined;
    const sites: ts.Expression[] = [];
    for (const reference of this.references(symbol)) {
      if (reference === declaration.name || isImportOrExportName(reference)) continue;
      if (!isRegistration(reference)) return { problem: `${declaration.name.text} is used at ${this.where(reference)}, not only passed to ${method}()` };
      sites.push(argumentOf(reference));
    }
    return { sites };
  }

  /** Names an expression in a one-line reason: its first line, and where it is. */
  shortly(node: ts.Node): string {
    const lines = node.getText().split('\n');
    return `${lines[0]!.trim()}${lines.length > 1 ? '…' : ''} (${this.where(node)})`;
  }

  /** Where the receiver of a registration (`app`, `router`, a plugin's `instance`) is mounted on an app. */
  #mountsOfReceiver(receiver: ts.Expression, registration: ts.CallExpression, depth: number): Mounts {
    const target = skipParentheses(receiver);
    if (depth <= 8 && (ts.isCallExpression(target) || ts.isNewExpression(target))) {
      // A chained registration (`new Hono().get(a).get(b)`): each route method returns its receiver.
      if (isRouteCall(target)) return this.#mountsOfReceiver(target.expression.expression, target, depth + 1);
      // The router made right there: mounted wherever the whole chain goes (a const, or a mount call).
      if (this.#created(target, 'router') !== undefined) {
        const chain = chainTop(target);
        const holder = chain.parent;
        if (ts.isVariableDeclaration(holder) && holder.initializer === chain && isConstName(holder)) return this.#routerMounts(holder, depth + 1);
        return this.#mountsThrough([chain], 'use', depth);
      }
    }
    if (depth > 8 || !ts.isIdentifier(target)) return { problem: `registered on ${this.shortly(receiver)}, which is not an app or router the analysis can follow` };
    const symbol = this.#resolve(this.checker.getSymbolAtLocation(target));
    if (symbol === undefined) return { problem: `cannot tell what ${target.text} is` };
    const app = this.appOf(symbol);
    if (app !== undefined) {
      const statement = registration.parent;
      if (!ts.isExpressionStatement(statement) || !app.statements.includes(statement)) {
        return { problem: `registered at ${this.where(registration)}, not in the block that creates ${app.name}` };
      }
      return { mounts: [{ app, statement, errorHandler: false, direct: true }] };
    }
    const declaration = symbol.valueDeclaration;
    // A Fastify plugin's instance: the plugin function is registered on the app (or another instance).
    if (declaration !== undefined && ts.isParameter(declaration) && declaration.parent.parameters[0] === declaration) {
      const plugin = declaration.parent;
      const sites = this.#valueSites(plugin);
      if ('problem' in sites) return sites;
      return this.#mountsThrough(sites.sites, 'register', depth);
    }
    if (declaration === undefined || !ts.isVariableDeclaration(declaration) || declaration.initializer === undefined || this.#created(chainRoot(declaration.initializer), 'router') === undefined) {
      return { problem: `${target.text} (${declaration === undefined ? 'unknown' : this.where(declaration)}) is not an app or router the analysis recognises` };
    }
    return this.#routerMounts(declaration, depth);
  }

  /** A router (or a Hono sub-app) held in a variable: wherever it, or the function returning it, is mounted. */
  #routerMounts(declaration: ts.VariableDeclaration, depth: number): Mounts {
    const name = declaration.name as ts.Identifier;
    const symbol = this.checker.getSymbolAtLocation(name);
    if (symbol === undefined) return { problem: `cannot tell what ${name.text} is` };
    const mounted: ts.Expression[] = [];
    for (const reference of this.references(symbol)) {
      if (reference === declaration.name || isImportOrExportName(reference)) continue;
      const parent = reference.parent;
      // `router.get(...)` registers on it; `router.routes()` (Koa) is what gets mounted.
      if (ts.isPropertyAccessExpression(parent) && parent.expression === reference) {
        if (parent.name.text === 'routes' && ts.isCallExpression(parent.parent)) mounted.push(parent.parent);
        else if (!ts.isCallExpression(parent.parent) || (!ROUTE_METHODS.has(parent.name.text) && parent.name.text !== 'allowedMethods' && parent.name.text !== 'route')) {
          return { problem: `${name.text} is used at ${this.where(reference)}` };
        }
        continue;
      }
      if (ts.isReturnStatement(parent)) {
        const maker = enclosingFunction(parent);
        if (maker === undefined) return { problem: `${name.text} is returned at ${this.where(reference)}` };
        const calls = this.#callsOf(maker);
        if ('problem' in calls) return calls;
        mounted.push(...calls.calls);
        continue;
      }
      mounted.push(reference);
    }
    return this.#mountsThrough(mounted, 'use', depth);
  }

  /** Mounts of the apps that `values` (a router, a router factory's call, a plugin) are mounted on. */
  #mountsThrough(values: readonly ts.Expression[], method: 'use' | 'register', depth: number): Mounts {
    const mounts: Mount[] = [];
    for (const value of values) {
      let current: ts.Node = value;
      while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
      const call = current.parent;
      // `const router = makeRouter(); … app.use(router.routes())`: follow the const that holds it.
      if (ts.isVariableDeclaration(call) && call.initializer === current && isConstName(call)) {
        const found = this.#routerMounts(call, depth + 1);
        if ('problem' in found) return found;
        mounts.push(...found.mounts.map((m) => ({ ...m, direct: false })));
        continue;
      }
      const ok =
        ts.isCallExpression(call) &&
        call.arguments.includes(current as ts.Expression) &&
        ts.isPropertyAccessExpression(call.expression) &&
        (call.expression.name.text === method || (method === 'use' && call.expression.name.text === 'route'));
      if (!ok) return { problem: `mounted in a way the analysis cannot follow at ${this.where(value)}` };
      const found = this.#mountsOfReceiver(call.expression.expression, call, depth + 1);
      if ('problem' in found) return found;
      mounts.push(...found.mounts.map((m) => ({ ...m, direct: false })));
    }
    return { mounts };
  }

  /** The calls of a router factory: every reference must call it. */
  #callsOf(fn: ts.SignatureDeclaration): { calls: ts.Expression[] } | { problem: string } {
    const name = ts.isFunctionDeclaration(fn) ? fn.name : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name : undefined;
    const symbol = name === undefined ? undefined : this.checker.getSymbolAtLocation(name);
    if (name === undefined || symbol === undefined) return { problem: `the function at ${this.where(fn)} returns a router and has no name to follow` };
    const calls: ts.Expression[] = [];
    for (const reference of this.references(symbol)) {
      if (reference === name || isImportOrExportName(reference)) continue;
      const call = reference.parent;
      if (!ts.isCallExpression(call) || call.expression !== reference) return { problem: `${name.text} is used at ${this.where(reference)}` };
      calls.push(call);
    }
    return { calls };
  }

  /** The framework whose app (or router) `expression` creates. */
  #created(expression: ts.Expression, what: 'app' | 'router'): Framework | undefined {
    const node = skipParentheses(expression);
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return undefined;
    const callee = node.expression;
    if (ts.isIdentifier(callee)) {
      const origin = this.#importOf(callee);
      if (origin === undefined) return undefined;
      if (what === 'router') {
        if (origin.module === 'express' && origin.name === 'Router') return 'express';
        if (ROUTER_MODULES.has(origin.module) && ts.isNewExpression(node)) return 'koa';
        if (origin.module === 'hono' && origin.name === 'Hono') return 'hono';
        return undefined;
      }
      const framework = APP_MODULES[origin.module];
      if (framework === 'hono') return origin.name === 'Hono' ? 'hono' : undefined;
      if (framework === 'express') return origin.name === 'default' ? 'express' : undefined;
      if (framework === 'fastify') return origin.name === 'default' || origin.name === 'fastify' ? 'fastify' : undefined;
      if (framework === 'hapi') return HAPI_SERVER_FACTORIES.has(origin.name) ? 'hapi' : undefined;
      return framework === 'koa' && ts.isNewExpression(node) ? 'koa' : undefined;
    }
    // `Hapi.server(…)`, `new Hapi.Server(…)`
    if (what === 'app' && ts.isPropertyAccessExpression(callee) && HAPI_SERVER_FACTORIES.has(callee.name.text) && ts.isIdentifier(callee.expression)) {
      return this.#importOf(callee.expression)?.module === '@hapi/hapi' ? 'hapi' : undefined;
    }
    // `express.Router()`
    if (what === 'router' && ts.isPropertyAccessExpression(callee) && callee.name.text === 'Router' && ts.isIdentifier(callee.expression)) {
      return this.#importOf(callee.expression)?.module === 'express' ? 'express' : undefined;
    }
    return undefined;
  }

  /** The module and export an identifier is imported from (`default` for a default or namespace import, or a require). */
  #importOf(identifier: ts.Identifier): { module: string; name: string } | undefined {
    const symbol = this.checker.getSymbolAtLocation(identifier);
    const declaration = symbol?.declarations?.[0];
    if (declaration === undefined) return undefined;
    if (ts.isImportSpecifier(declaration)) {
      const module = declaration.parent.parent.parent.moduleSpecifier;
      return ts.isStringLiteral(module) ? { module: module.text, name: (declaration.propertyName ?? declaration.name).text } : undefined;
    }
    if (ts.isImportClause(declaration) || ts.isNamespaceImport(declaration)) {
      const importDeclaration = ts.isImportClause(declaration) ? declaration.parent : declaration.parent.parent;
      const module = importDeclaration.moduleSpecifier;
      return ts.isStringLiteral(module) ? { module: module.text, name: 'default' } : undefined;
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
      const init = skipParentheses(declaration.initializer);
      if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
        const module = init.arguments[0];
        if (module !== undefined && ts.isStringLiteral(module)) {
          return { module: module.text, name: ts.isIdentifier(declaration.name) ? 'default' : identifier.text };
        }
      }
    }
    return undefined;
  }

  #resolve(symbol: ts.Symbol | undefined): ts.Symbol | undefined {
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) return this.checker.getAliasedSymbol(symbol);
    return symbol;
  }

  symbolAt(node: ts.Node): ts.Symbol | undefined {
    return this.checker.getSymbolAtLocation(node);
  }

  /** Every identifier in the program's own files that names `symbol` (through imports too). */
  references(symbol: ts.Symbol): ts.Identifier[] {
    const target = this.#resolve(symbol);
    const found: ts.Identifier[] = [];
    for (const sf of this.files) {
      for (const identifier of this.#identifiersNamed(sf, symbol.name)) {
        const at = ts.isShorthandPropertyAssignment(identifier.parent)
          ? this.checker.getShorthandAssignmentValueSymbol(identifier.parent)
          : this.checker.getSymbolAtLocation(identifier);
        if (at !== undefined && this.#resolve(at) === target) found.push(identifier);
      }
    }
    return found;
  }

  #identifiersNamed(sf: ts.SourceFile, name: string): ts.Identifier[] {
    let byName = this.#identifiers.get(sf);
    if (byName === undefined) {
      const map = new Map<string, ts.Identifier[]>();
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node)) {
          const list = map.get(node.text);
          if (list === undefined) map.set(node.text, [node]);
          else list.push(node);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
      byName = map;
      this.#identifiers.set(sf, map);
    }
    return byName.get(name) ?? [];
  }
}

/** `x.get(…)`, `x.use(…)`: a registration call, which returns `x` on Hono, Koa routers and Express. */
function isRouteCall(node: ts.Node): node is ts.CallExpression & { expression: ts.PropertyAccessExpression } {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ROUTE_METHODS.has(node.expression.name.text);
}

/** The outermost call of the registration chain that starts at `node` (`node.get(a).post(b)`). */
function chainTop(node: ts.Expression): ts.Expression {
  let current: ts.Expression = node;
  while (ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current && isRouteCall(current.parent.parent)) {
    current = current.parent.parent;
  }
  return current;
}

/** The expression a registration chain starts from (`new Hono()` in `new Hono().get(a).get(b)`). */
function chainRoot(node: ts.Expression): ts.Expression {
  let current = skipParentheses(node);
  while (isRouteCall(current)) current = skipParentheses(current.expression.expression);
  return current;
}

/** A `const` declaration of a plain name: the value it holds cannot change. */
function isConstName(declaration: ts.VariableDeclaration): declaration is ts.VariableDeclaration & { name: ts.Identifier } {
  const list = declaration.parent;
  return ts.isIdentifier(declaration.name) && ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

function isImportOrExportName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isExportSpecifier(parent) || ts.isNamespaceImport(parent);
}

export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isFunctionBoundary(current)) return current as ts.SignatureDeclaration;
  }
  return undefined;
}
