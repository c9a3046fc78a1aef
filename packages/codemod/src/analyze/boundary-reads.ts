// Which expressions read the request's own value: a header, the framework's id, or a field the app
// sets once per request (`req.requestId`, `res.locals.requestId`, `ctx.state.requestId`, Hono's
// `c.get('requestId')`). Told by shape first, then by what the framework passes at that parameter:
// `x.get('x-request-id')` is a header on an Express request and a variable on a Hono context.
import { ts } from 'ts-morph';
import { skipParentheses } from './syntax.js';

export type Framework = 'express' | 'koa' | 'fastify' | 'hono' | 'hapi';

/** What the read is: the same for the whole request once the framework, or one middleware, set it. */
export type RequestValue =
  /** From the client (a header), or made by the framework before any hook (Fastify's `request.id`). */
  | { kind: 'incoming' }
  /** A field the app's own middleware writes: on the request, `res.locals`, Koa's `ctx.state`, Hono's variables. */
  | { kind: 'field'; container: 'request' | 'locals' | 'state' | 'variables'; name: string; property?: ts.Node };

/** A read's syntax: the parameter it starts from and the path after it. */
export interface ReadShape {
  base: ts.Identifier;
  read: ts.Expression;
  form:
    | { kind: 'call'; method: string; literal: string } // $.get('x'), $.header('x')
    | { kind: 'req-header'; literal: string } // $.req.header('x')
    | { kind: 'headers'; literal: string } // $.headers['x'], $.headers.x, $.request.headers[...]
    | { kind: 'property'; name: string; node: ts.Node } // $.requestId
    | { kind: 'member'; of: string; name: string }; // $.locals.x, $.state.x, $.var.x
  /** Set when `read` is the container a destructuring takes `member` from (`const { x } = ctx.state`). */
  member?: string;
}

/** The shape of `const { name } = container` read as `container.name`: only a container like `ctx.state`, `res.locals`, `c.var`. */
export function destructuredShape(container: ts.Expression, name: string): ReadShape | undefined {
  const read = stripTypeWrappers(container);
  const step = memberStep(read);
  if (step === undefined || !ts.isIdentifier(step.object) || step.name === 'headers') return undefined;
  return { base: step.object, read, form: { kind: 'member', of: step.name, name }, member: name };
}

/** The shape of `expression` when it reads a value off a parameter-like identifier, else undefined. */
export function readShape(expression: ts.Expression): ReadShape | undefined {
  const read = stripTypeWrappers(expression);
  if (ts.isCallExpression(read) && read.arguments.length === 1) {
    const literal = stringLiteral(read.arguments[0]!);
    const callee = read.expression;
    if (literal === undefined || !ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    if (ts.isIdentifier(callee.expression) && (method === 'get' || method === 'header')) {
      return { base: callee.expression, read, form: { kind: 'call', method, literal } };
    }
    const owner = callee.expression;
    if (method === 'header' && ts.isPropertyAccessExpression(owner) && owner.name.text === 'req' && ts.isIdentifier(owner.expression)) {
      return { base: owner.expression, read, form: { kind: 'req-header', literal } };
    }
    return undefined;
  }
  const step = memberStep(read);
  if (step === undefined) return undefined;
  const { object, name, node } = step;
  if (ts.isIdentifier(object)) return { base: object, read, form: { kind: 'property', name, node } };
  const outer = memberStep(object);
  if (outer === undefined) return undefined;
  if (outer.name === 'headers') {
    if (ts.isIdentifier(outer.object)) return { base: outer.object, read, form: { kind: 'headers', literal: name.toLowerCase() } };
    const raw = memberStep(outer.object);
    // Koa's `ctx.request.headers[…]` and `ctx.req.headers[…]`.
    if (raw !== undefined && ts.isIdentifier(raw.object) && (raw.name === 'request' || raw.name === 'req')) {
      return { base: raw.object, read, form: { kind: 'headers', literal: name.toLowerCase() } };
    }
    return undefined;
  }
  if (ts.isIdentifier(outer.object)) return { base: outer.object, read, form: { kind: 'member', of: outer.name, name } };
  return undefined;
}

/**
 * What a read of `shape` means on the parameter the framework fills at `role`; undefined when it is
 * not the request's own value (a route parameter, the body, a query string).
 */
export function requestValue(shape: ReadShape, framework: Framework, role: 'request' | 'response'): RequestValue | undefined {
  const form = shape.form;
  if (role === 'response') {
    return framework === 'express' && form.kind === 'member' && form.of === 'locals' ? { kind: 'field', container: 'locals', name: form.name } : undefined;
  }
  switch (framework) {
    case 'express':
      if (form.kind === 'call' || form.kind === 'headers') return { kind: 'incoming' };
      // `req.params`, `req.body`, `req.query` hold what the route or a parser made, not one value per request.
      if (form.kind === 'property' && !NOT_PER_REQUEST.has(form.name)) return { kind: 'field', container: 'request', name: form.name, property: form.node };
      return undefined;
    case 'koa':
      if ((form.kind === 'call' && form.method === 'get') || form.kind === 'headers') return { kind: 'incoming' };
      if (form.kind === 'member' && form.of === 'state') return { kind: 'field', container: 'state', name: form.name };
      return undefined;
    case 'fastify':
      if (form.kind === 'headers' || (form.kind === 'property' && form.name === 'id')) return { kind: 'incoming' };
      return undefined;
    case 'hono':
      if (form.kind === 'req-header') return { kind: 'incoming' };
      if (form.kind === 'call' && form.method === 'get') return { kind: 'field', container: 'variables', name: form.literal };
      if (form.kind === 'member' && form.of === 'var') return { kind: 'field', container: 'variables', name: form.name };
      return undefined;
    case 'hapi':
      // hapi's own `request.info.id` is made with the request, before any extension runs.
      if (form.kind === 'headers' || (form.kind === 'member' && form.of === 'info' && form.name === 'id')) return { kind: 'incoming' };
      // `request.logger` (hapi-pino), `request.app.x`: set by an extension or a plugin once the request runs.
      if (form.kind === 'property' && !NOT_PER_REQUEST.has(form.name) && !HAPI_NOT_PER_REQUEST.has(form.name)) return { kind: 'field', container: 'request', name: form.name, property: form.node };
      if (form.kind === 'member' && (form.of === 'app' || form.of === 'plugins')) return { kind: 'field', container: 'request', name: `${form.of}.${form.name}` };
      return undefined;
  }
}

const NOT_PER_REQUEST = new Set(['params', 'body', 'query', 'cookies', 'signedCookies', 'session', 'user', 'files', 'file', 'app', 'res', 'next', 'route', 'headers']);

/** hapi's request fields that hold what the route, the payload or the response made. */
const HAPI_NOT_PER_REQUEST = new Set(['payload', 'state', 'pre', 'response', 'auth', 'info', 'raw', 'path', 'url', 'method', 'route', 'server']);

function memberStep(node: ts.Expression): { object: ts.Expression; name: string; node: ts.Node } | undefined {
  const inner = stripTypeWrappers(node);
  if (ts.isPropertyAccessExpression(inner) && ts.isIdentifier(inner.name)) return { object: stripTypeWrappers(inner.expression), name: inner.name.text, node: inner.name };
  if (ts.isElementAccessExpression(inner)) {
    const literal = stringLiteral(inner.argumentExpression);
    if (literal !== undefined) return { object: stripTypeWrappers(inner.expression), name: literal, node: inner.argumentExpression };
  }
  return undefined;
}

function stringLiteral(node: ts.Expression): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** `(x as string)`, `x!`, `(x)`: the read inside. */
export function stripTypeWrappers(node: ts.Expression): ts.Expression {
  let current = skipParentheses(node);
  while (ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) {
    current = skipParentheses(current.expression);
  }
  return current;
}
