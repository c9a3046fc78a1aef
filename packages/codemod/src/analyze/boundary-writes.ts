// Every place the program writes a request field the handlers read: `req.requestId = …`,
// `res.locals.requestId = …`, `ctx.state.requestId = …`, Hono's `c.set('requestId', …)`. One write,
// in a middleware the app runs before its routes, makes it the same value for the whole request;
// a second write anywhere means a handler may see another value than the adapter stored.
import { ts } from 'ts-morph';
import type { RequestValue } from './boundary-reads.js';
import { stripTypeWrappers } from './boundary-reads.js';
import { isAssignmentTarget } from './syntax.js';

type Field = Extract<RequestValue, { kind: 'field' }>;

/**
 * The writes of `field` in `files`. A request field with a declared property (`interface Request {
 * requestId: string }`) is matched by that property, so `this.requestId = …` elsewhere is not one;
 * without a declaration, every write of that name on anything but `this` counts.
 */
export function fieldWrites(field: Field, files: readonly ts.SourceFile[], checker: ts.TypeChecker): ts.Node[] {
  const declared = field.property === undefined ? undefined : propertyDeclarations(field.property, checker);
  const writes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (field.container === 'variables') {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'set') {
        const key = node.arguments[0];
        if (key !== undefined && (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key)) && key.text === field.name) writes.push(node);
      }
    } else if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isWritten(node)) {
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression);
      const object = stripTypeWrappers(node.expression);
      if (name === field.name && matches(field, object, node, declared, checker)) writes.push(node);
      // `res.locals = {…}` / `ctx.state = {…}` replaces the field with everything else.
      if (field.container !== 'request' && name === field.container) writes.push(node);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of files) visit(sf);
  return writes;
}

function matches(field: Field, object: ts.Expression, access: ts.Node, declared: Set<ts.Node> | undefined, checker: ts.TypeChecker): boolean {
  if (field.container === 'request') {
    if (object.kind === ts.SyntaxKind.ThisKeyword) return false;
    if (declared === undefined) return true;
    const name = ts.isPropertyAccessExpression(access) ? access.name : (access as ts.ElementAccessExpression).argumentExpression;
    const found = propertyDeclarations(name, checker);
    return found === undefined || [...found].some((d) => declared.has(d));
  }
  // `x.locals.requestId`, `x.state.requestId`
  return (ts.isPropertyAccessExpression(object) && object.name.text === field.container) || (ts.isElementAccessExpression(object) && literalText(object.argumentExpression) === field.container);
}

function propertyDeclarations(name: ts.Node, checker: ts.TypeChecker): Set<ts.Node> | undefined {
  const symbol = checker.getSymbolAtLocation(name);
  const declarations = symbol?.declarations;
  return declarations === undefined || declarations.length === 0 ? undefined : new Set(declarations);
}

function isWritten(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isDeleteExpression(parent)) return true;
  // `[req.requestId] = …` and `({ a: req.requestId } = …)` write too.
  if (ts.isArrayLiteralExpression(parent) || ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) {
    let top: ts.Node = parent;
    while (ts.isArrayLiteralExpression(top) || ts.isObjectLiteralExpression(top) || ts.isPropertyAssignment(top)) top = top.parent;
    return ts.isBinaryExpression(top) && top.operatorToken.kind === ts.SyntaxKind.EqualsToken && isWithin(node, top.left);
  }
  return isAssignmentTarget(node);
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

function literalText(node: ts.Expression): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/**
 * Writes into a request's headers (`req.headers['x-request-id'] = …`, `req.headers = …`): after one, a
 * handler's header read may differ from what the adapter read first in the chain.
 */
export function headerWrites(files: readonly ts.SourceFile[]): ts.Node[] {
  const writes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isWritten(node)) {
      const object = stripTypeWrappers(node.expression);
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : undefined;
      // `error.output.headers[…]`: the headers of a Boom error's answer (hapi), not of the request.
      const onHeaders = ts.isPropertyAccessExpression(object) && object.name.text === 'headers' && !isOutputOf(object.expression);
      if (name === 'headers' || onHeaders) writes.push(node);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of files) visit(sf);
  return writes;
}

function isOutputOf(node: ts.Expression): boolean {
  const inner = stripTypeWrappers(node);
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'output';
}
