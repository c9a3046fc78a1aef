// Functions a framework calls: a controller method whose parameters a decorator fills (`@Req()`,
// `@ReqContext() ctx`, a createParamDecorator), a handler registered with a router (`app.get(path, h)`,
// `router.post`, `fastify.route({ handler })`), a GraphQL resolver. The framework passes the threaded
// value, not the repo, so stripping it is only right once the context is set at the boundary: until
// then they keep it, and the reason says so.
import { ts } from 'ts-morph';
import type { Keep } from '../public-types.js';
import type { CandidateIndex } from './collect-functions.js';
import { lineOf, propertyNameText } from './syntax.js';

/** Router and emitter methods whose function arguments the framework calls with its own values. */
const REGISTRATIONS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'use', 'route', 'handle', 'on', 'once', 'addListener', 'subscribe', 'consume', 'process', 'ext', 'method']);

export function addFrameworkKeeps(index: CandidateIndex): void {
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external') continue;
    const reason = frameworkCaller(candidate.node, candidate.sf);
    if (reason === undefined || candidate.info.keeps.some((k) => k.reason === 'called-by-framework')) continue;
    const keep: Keep = { reason: 'called-by-framework', at: { file: candidate.info.file, line: candidate.info.line }, detail: reason };
    candidate.info.keeps.push(keep);
  }
}

/** Why the framework calls `node`, or undefined when nothing shows it does. */
export function frameworkCaller(node: ts.Node, sf: ts.SourceFile): string | undefined {
  if (!ts.isFunctionLike(node)) return undefined;
  const decorated = node.parameters.find((p) => (ts.getDecorators(p)?.length ?? 0) > 0);
  if (decorated !== undefined) return `its parameter ${decorated.name.getText(sf)} is filled by ${ts.getDecorators(decorated)![0]!.getText(sf)}`;
  if (ts.isMethodDeclaration(node) && ts.isClassLike(node.parent)) {
    const method = ts.getDecorators(node)?.[0];
    const owner = ts.getDecorators(node.parent)?.[0];
    // A decorated method of a decorated class (`@Controller` + `@Get`, `@Resolver` + `@Query`) is a route.
    if (method !== undefined && owner !== undefined) return `${method.getText(sf)} in ${owner.getText(sf)} ${node.parent.name?.text ?? 'class'}`;
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return registeredAt(node, sf) ?? resolverAt(node, sf);
  return undefined;
}

/** `app.get('/x', handler)` and `fastify.route({ handler })`: the function is an argument of a registration. */
export function registeredAt(node: ts.Expression, sf: ts.SourceFile): string | undefined {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  let parent = current.parent;
  // `{ handler }` / `{ handler: fn }` inside `.route({...})`.
  if ((ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) && ts.isObjectLiteralExpression(parent.parent)) {
    current = parent.parent;
    parent = current.parent;
    // hapi's `server.route([{ handler }, …])` and `server.ext([{ type, method }, …])`.
    if (ts.isArrayLiteralExpression(parent)) {
      current = parent;
      parent = current.parent;
    }
  }
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(current as ts.Expression)) return undefined;
  const callee = parent.expression;
  if (!ts.isPropertyAccessExpression(callee) || !REGISTRATIONS.has(callee.name.text)) return undefined;
  // `list.get(i)` or `map.get(k)` pass no function; a route takes a path or options first.
  const first = parent.arguments[0];
  if (first === undefined || (first === current && !ts.isObjectLiteralExpression(current) && !ts.isArrayLiteralExpression(current) && callee.name.text !== 'use')) return undefined;
  return `registered with ${callee.getText(sf)}() at line ${lineOf(sf, parent.getStart(sf))}`;
}

/** A function inside an object literal held by a `resolvers` variable or property (GraphQL servers call those). */
function resolverAt(node: ts.Expression, sf: ts.SourceFile): string | undefined {
  let current: ts.Node = node.parent;
  for (let depth = 0; depth < 8; depth++) {
    const name =
      (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) || (ts.isPropertyAssignment(current) && current.name !== undefined)
        ? propertyNameText(current.name)
        : undefined;
    if (name !== undefined && /resolvers$/i.test(name)) return `a resolver in ${name} (line ${lineOf(sf, current.getStart(sf))})`;
    if (!ts.isPropertyAssignment(current) && !ts.isObjectLiteralExpression(current)) return undefined;
    current = current.parent;
  }
  return undefined;
}
