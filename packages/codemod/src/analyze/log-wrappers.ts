// The repository's own logging function (`logInfo(message, extra: ExtraLogFields)`, `log.info(message, extra)`)
// that hands one of its parameters to a pino or winston log call: a field its callers put in that argument is a
// field of the line, so it can go the same way as one written to pino directly.
import path from 'node:path';
import { ts } from 'ts-morph';
import { jsonLineTaking } from './json-line-wrapper.js';
import { LOG_LEVELS, loggerConstruction, loggerLibrary } from './logger-origin.js';
import { isFunctionBoundary, skipParentheses } from './syntax.js';

/** What a call's argument at `argIndex` reaches: a pino construction, why it cannot be followed, or nothing (no wrapper). */
export interface ForwardedArgument {
  /** The function called. */
  wrapper: string;
  logger: ts.CallExpression | string;
}

/** `threads`: the function threads a parameter itself; its arguments are the call rewrite's to change, not the log's. */
export function forwardedArgument(
  call: ts.CallExpression,
  argIndex: number,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  threads: (fn: ts.Node) => boolean,
): ForwardedArgument | undefined {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  if (declaration === undefined || !isFunctionWithBody(declaration) || threads(declaration)) return undefined;
  if (!isTransformable(path.resolve(declaration.getSourceFile().fileName))) return undefined;
  const param = declaration.parameters[argIndex];
  if (param === undefined || param.dotDotDotToken !== undefined || !ts.isIdentifier(param.name)) return undefined;
  const symbol = checker.getSymbolAtLocation(param.name);
  const wrapper = declaration.name !== undefined ? declaration.name.getText() : 'the logging function';
  const forwards: LogCallArgument[] = [];
  const jsonLines: ts.CallExpression[] = [];
  let otherUse = false;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== param.name && node.text === param.name.getText() && checker.getSymbolAtLocation(node) === symbol) {
      const logCall = logCallTaking(node);
      const jsonLine = logCall === undefined ? jsonLineTaking(node, checker) : undefined;
      const own = enclosingFunction(node) === declaration;
      if (logCall !== undefined && own) forwards.push(logCall);
      else if (jsonLine !== undefined && own) jsonLines.push(jsonLine);
      else otherUse = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(declaration.body, visit);
  // A function that prints its own JSON line: it is the logger, configured where it spreads the fields.
  if (forwards.length === 0 && jsonLines.length === 1 && !otherUse) return { wrapper, logger: jsonLines[0]! };
  if (forwards.length === 0 && jsonLines.length === 0) return undefined;
  if (jsonLines.length > 0) return { wrapper, logger: `${wrapper}() uses \`${param.name.getText()}\` other than by spreading it once into its line` };
  if (otherUse) return { wrapper, logger: `${wrapper}() uses \`${param.name.getText()}\` other than by passing it to the logger` };
  const loggers = forwards.map(({ receiver }) => loggerConstruction(receiver, checker));
  const unfollowed = loggers.find((l): l is string => typeof l === 'string');
  if (unfollowed !== undefined) return { wrapper, logger: unfollowed };
  // pino takes the fields first, winston after the message: a parameter passed where its logger reads no fields is not one.
  const misplaced = forwards.some(({ position }, i) => (loggerLibrary(loggers[i] as ts.CallExpression, checker) === 'winston') !== (position === 'meta'));
  if (misplaced) return { wrapper, logger: `${wrapper}() passes \`${param.name.getText()}\` where its logger does not read fields` };
  if (new Set(loggers).size > 1) return { wrapper, logger: `${wrapper}() writes to more than one logger` };
  return { wrapper, logger: loggers[0]! };
}

function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration & { body: ts.Node } {
  return (
    (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.body !== undefined
  );
}

interface LogCallArgument {
  receiver: ts.Expression;
  /** `first`: `log.info(extra, …)` (pino); `meta`: `log.info(message, extra)` (winston). */
  position: 'first' | 'meta';
}

/**
 * The log call that takes `reference` as its fields: `log.info(extra, …)`, `log.info(message, extra)`,
 * or either with `{ ...extra, … }`. Undefined for any other use.
 */
function logCallTaking(reference: ts.Identifier): LogCallArgument | undefined {
  let argument: ts.Node = reference;
  if (ts.isSpreadAssignment(reference.parent) && ts.isObjectLiteralExpression(reference.parent.parent)) argument = reference.parent.parent;
  const call = argument.parent;
  if (!ts.isCallExpression(call)) return undefined;
  const position = call.arguments[0] === argument ? 'first' : call.arguments.length === 2 && call.arguments[1] === argument ? 'meta' : undefined;
  const callee = skipParentheses(call.expression);
  if (position === undefined || !ts.isPropertyAccessExpression(callee) || !LOG_LEVELS.has(callee.name.text)) return undefined;
  return { receiver: callee.expression, position };
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let up = node.parent; up !== undefined; up = up.parent) if (isFunctionBoundary(up)) return up;
  return undefined;
}
