/**
 * Which parameters hold a web framework's per-request objects: the request, the response, or a
 * context that holds both (Koa's `ctx`, Hono's `c`). Two rules ask: no-large-store (such an object
 * kept as a store) and no-shared-request-state (a value read from one kept in module state).
 *
 * Without types, a function is a handler or middleware by its place in a registration call
 * (`app.get(path, fn)`, `router.use(fn)`, `fastify.addHook(name, fn)`, `server.route({ handler })`) or by
 * the conventional signatures (`(req, res, next)`, `(ctx, next)`, `(request, reply)`, `(request, h)`),
 * and its parameters are read by position. With types, a parameter is one by its declared type, under
 * any name: `IncomingMessage`, `ServerResponse`, Express's `Request`/`Response`, Koa's `Context`,
 * `FastifyRequest`/`FastifyReply`, Hono's `Context` and hapi's `Request`.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { getCalleeName, getParameterName, getStaticPropertyName, skipWrappers, type FunctionNode } from './ast.js';

/** What a framework object is: `context` holds the request and the response (Koa, Hono). */
export type FrameworkObjectRole = 'request' | 'response' | 'context';

/** Methods that register a route handler or a middleware on an app, router or server. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
const MIDDLEWARE_METHODS = new Set(['use']);
/** `fastify.addHook('onRequest', fn)`, `server.ext('onRequest', fn)`: the name comes first. */
const HOOK_METHODS = new Set(['addHook', 'ext']);
/** `server.route({ method, path, handler })` (hapi, Fastify). */
const ROUTE_OBJECT_METHODS = new Set(['route']);

/** Names of the parameter after the request that are not a response: a continuation or hapi's toolkit. */
const ERROR_NAMES = new Set(['err', 'error', 'e']);
const NOT_A_RESPONSE = new Set(['next', 'done', 'cb', 'callback', 'h', 'toolkit']);

/**
 * The function is passed to a registration call as its handler: `app.get('/x', fn)`, `app.use(fn)`,
 * `app.use('/x', auth, fn)`, `fastify.addHook('onRequest', fn)`, `server.route({ handler: fn })`.
 * A route method needs a path first (`map.get(key, fn)` has none that looks like one).
 */
export function isRegisteredHandler(fn: FunctionNode): boolean {
  let node: TSESTree.Node = fn;
  while (node.parent && isExpressionWrapper(node.parent)) node = node.parent;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === node && getKeyName(parent) === 'handler') {
    const call = parent.parent.parent;
    return call?.type === AST_NODE_TYPES.CallExpression && ROUTE_OBJECT_METHODS.has(getMethodName(call) ?? '');
  }
  if (parent?.type !== AST_NODE_TYPES.CallExpression) return false;
  const index = parent.arguments.indexOf(node as TSESTree.CallExpressionArgument);
  if (index < 0) return false;
  const method = getMethodName(parent);
  if (method === undefined) return false;
  if (MIDDLEWARE_METHODS.has(method)) return looksLikeMiddleware(fn);
  if (HOOK_METHODS.has(method)) return index > 0 && isStringLike(parent.arguments[0]);
  if (ROUTE_METHODS.has(method)) return index > 0 && isPathLike(parent.arguments[0]);
  return false;
}

/** Parameter names a request or a framework context goes by. */
const REQUEST_LIKE_NAMES = new Set(['req', 'request', 'ctx', 'context', 'c']);

/**
 * `use` registers far more than middleware: `axios.interceptors.request.use((config) => …)`,
 * `chai.use((chai, utils) => …)`. A middleware takes `next`, or (req, res, next), or names its first
 * parameter as a request or context is named.
 */
function looksLikeMiddleware(fn: FunctionNode): boolean {
  const names = fn.params.map(getParameterName);
  return fn.params.length >= 3 || names[1] === 'next' || REQUEST_LIKE_NAMES.has(names[0] ?? '');
}

/**
 * What each parameter of a handler or middleware holds, by position, or an empty map when `fn` is
 * neither. Express's error middleware `(err, req, res, next)` has the request second.
 */
export function getFrameworkParameters(fn: FunctionNode): Map<TSESTree.Parameter, FrameworkObjectRole> {
  const roles = new Map<TSESTree.Parameter, FrameworkObjectRole>();
  const names = fn.params.map(getParameterName);
  if (!isRegisteredHandler(fn) && !hasHandlerSignature(names)) return roles;
  const offset = fn.params.length === 4 ? 1 : 0;
  // `cache.get(key, (err, value) => ...)`: a callback, whatever registered it.
  if (offset === 0 && ERROR_NAMES.has(names[0] ?? '')) return roles;
  const first = fn.params[offset];
  const second = fn.params[offset + 1];
  if (!first || names[offset] === undefined) return roles;
  // `(ctx, next)` and Hono's `(c, next)`: one object holds both sides; `(req, res)`: two objects.
  const secondName = names[offset + 1];
  const hasResponse = second !== undefined && secondName !== undefined && !NOT_A_RESPONSE.has(secondName);
  roles.set(first, hasResponse || secondName === 'h' ? 'request' : 'context');
  if (hasResponse) roles.set(second, 'response');
  return roles;
}

/** `(req, res, next)`, `(req, res)`, `(ctx, next)`, `(request, reply)`, `(request, h)`, `(err, req, res, next)`. */
function hasHandlerSignature(names: readonly (string | undefined)[]): boolean {
  const [a, b, c] = names;
  if (names.length === 4) return ERROR_NAMES.has(a ?? '') && b === 'req' && c === 'res';
  if (a === 'req' && (b === 'res' || b === 'response')) return true;
  if (a === 'ctx' && b === 'next' && names.length === 2) return true;
  return a === 'request' && (b === 'reply' || b === 'h') && names.length <= 3;
}

/** Type names and the packages that declare them; a name alone (`Context`, `Request`) is too common. */
const FRAMEWORK_TYPES: readonly { names: ReadonlySet<string>; declaredIn: RegExp | undefined; role: FrameworkObjectRole }[] = [
  { names: new Set(['IncomingMessage', 'Http2ServerRequest']), declaredIn: undefined, role: 'request' },
  { names: new Set(['ServerResponse', 'Http2ServerResponse']), declaredIn: undefined, role: 'response' },
  { names: new Set(['FastifyRequest']), declaredIn: /[\\/]fastify[\\/]/u, role: 'request' },
  { names: new Set(['FastifyReply']), declaredIn: /[\\/]fastify[\\/]/u, role: 'response' },
  { names: new Set(['Request']), declaredIn: /[\\/](@types[\\/]express(-serve-static-core)?|@hapi[\\/]hapi)[\\/]/u, role: 'request' },
  { names: new Set(['Response']), declaredIn: /[\\/]@types[\\/]express(-serve-static-core)?[\\/]/u, role: 'response' },
  {
    names: new Set(['Context', 'ParameterizedContext', 'ExtendableContext', 'BaseContext', 'DefaultContext']),
    declaredIn: /[\\/](@types[\\/]koa|koa|hono)[\\/]/u,
    role: 'context',
  },
];

/**
 * The framework object a type is (or extends, or is a union member of), or undefined. Asked only
 * when a rule has type information and the syntax said nothing.
 */
export function getFrameworkObjectRole(checker: ts.TypeChecker, type: ts.Type): FrameworkObjectRole | undefined {
  const queue: ts.Type[] = type.isUnion() || type.isIntersection() ? [...type.types, type] : [type];
  const seen = new Set<ts.Type>();
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (seen.has(current) || seen.size > 20) continue;
    seen.add(current);
    for (const symbol of [current.aliasSymbol, current.getSymbol()]) {
      const role = symbol ? roleOfSymbol(symbol) : undefined;
      if (role) return role;
    }
    if (current.isIntersection()) queue.push(...current.types);
    if (current.isClassOrInterface()) queue.push(...(checker.getBaseTypes(current) ?? []));
    const target = (current as ts.TypeReference).target as ts.Type | undefined;
    if (target && target !== current) queue.push(target);
  }
  return undefined;
}

function roleOfSymbol(symbol: ts.Symbol): FrameworkObjectRole | undefined {
  const name = symbol.getName();
  for (const entry of FRAMEWORK_TYPES) {
    if (!entry.names.has(name)) continue;
    if (!entry.declaredIn) return entry.role;
    const declared = symbol.getDeclarations()?.some((declaration) => entry.declaredIn!.test(declaration.getSourceFile().fileName));
    if (declared) return entry.role;
  }
  return undefined;
}

function getMethodName(call: TSESTree.CallExpression): string | undefined {
  const callee = skipWrappers(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? getStaticPropertyName(callee) : getCalleeName(callee);
}

function getKeyName(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
  return property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : undefined;
}

function isExpressionWrapper(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.TSAsExpression || node.type === AST_NODE_TYPES.TSSatisfiesExpression;
}

function isStringLike(node: TSESTree.Node | undefined): boolean {
  return (node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') || node?.type === AST_NODE_TYPES.TemplateLiteral;
}

/** `'/users/:id'`, `` `/x/${y}` ``, `/^\/x/`, `['/a', '/b']`, or a variable holding a path. */
function isPathLike(node: TSESTree.Node | undefined): boolean {
  if (!node) return false;
  if (isStringLike(node)) return true;
  if (node.type === AST_NODE_TYPES.Literal && 'regex' in node) return true;
  if (node.type === AST_NODE_TYPES.ArrayExpression) return node.elements.some((element) => element !== null && isPathLike(element));
  // `router.get(paths.charge, fn)` or `app.get(ROUTE, fn)`: a path kept in a constant or config.
  return node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.MemberExpression;
}
