// Where the logger a log call uses was made: followed through `const` bindings, `.child()` calls and
// functions that return a logger (`logFor(id)`) to one `pino(...)` or winston `createLogger(...)` call,
// by symbols, never by name. A logger that comes from anywhere else (a parameter, a property, a `let`)
// has no provable origin: configuring something somewhere would not be known to reach it.
import { ts } from 'ts-morph';
import { isFunctionBoundary, skipParentheses } from './syntax.js';

/**
 * The log methods of pino's and winston's default levels: the calls whose object argument becomes
 * fields of the line (pino's first argument, winston's meta after the message).
 */
export const LOG_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'http', 'verbose', 'silly']);

/** The loggers whose construction unthread can configure to read the context. */
export type LoggerLibrary = 'pino' | 'winston';

const PACKAGE_DECLARATION: Record<LoggerLibrary | 'bunyan', RegExp> = {
  pino: /[\\/]node_modules[\\/]pino[\\/]/,
  winston: /[\\/]node_modules[\\/]winston[\\/]/,
  bunyan: /[\\/]node_modules[\\/](@types[\\/])?bunyan[\\/]/,
};

/** The `pino(...)` or `createLogger(...)` call the logger comes from, or why it cannot be followed to one. */
export function loggerConstruction(expression: ts.Expression, checker: ts.TypeChecker, seen = new Set<ts.Node>()): ts.CallExpression | string {
  const node = skipParentheses(expression);
  if (seen.has(node) || seen.size > 20) return 'the logger is made in a cycle of functions';
  seen.add(node);
  if (ts.isCallExpression(node)) {
    const callee = skipParentheses(node.expression);
    // A child inherits its parent's options, the mixin among them.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'child') return loggerConstruction(callee.expression, checker, seen);
    if (loggerLibrary(node, checker) !== undefined) return node;
    if (isFactory(node, checker, 'bunyan', 'createLogger')) {
      return 'bunyan has no hook that adds fields to every record when it is written (only to each child logger when it is made)';
    }
    const returned = onlyReturnedExpression(declarationOf(callee, checker));
    if (returned !== undefined) return loggerConstruction(returned, checker, seen);
    return `the logger comes from \`${shortText(node)}\`, which does not return one logger unthread can follow`;
  }
  if (ts.isIdentifier(node)) {
    const declaration = declarationOf(node, checker);
    if (declaration !== undefined && ts.isVariableDeclaration(declaration) && isConst(declaration) && declaration.initializer !== undefined) {
      return loggerConstruction(declaration.initializer, checker, seen);
    }
    if (declaration !== undefined && ts.isParameter(declaration)) return `\`${node.text}\` is a parameter: which logger it holds is up to each caller`;
    if (node.text === 'console' && declaration !== undefined && declaration.getSourceFile().isDeclarationFile) {
      return 'console has no hook to add fields to what it prints, and a wrapper around it would change every call';
    }
    return `\`${node.text}\` is not a const bound to a logger unthread can follow`;
  }
  return `the logger comes from \`${shortText(node)}\`, which unthread cannot follow to where it is made`;
}

/** The library whose own factory the call resolves to, however it was imported (`import pino`, `{ pino }`, `require('winston')`). */
export function loggerLibrary(call: ts.CallExpression, checker: ts.TypeChecker): LoggerLibrary | undefined {
  if (isFactory(call, checker, 'pino', 'pino')) return 'pino';
  if (isFactory(call, checker, 'winston', 'createLogger')) return 'winston';
  return undefined;
}

/** pino declares `function pino`; winston a `let createLogger` in its namespace: either names the factory. */
function isFactory(call: ts.CallExpression, checker: ts.TypeChecker, library: keyof typeof PACKAGE_DECLARATION, name: string): boolean {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration() ?? declarationOf(skipParentheses(call.expression), checker);
  if (declaration === undefined || !PACKAGE_DECLARATION[library].test(declaration.getSourceFile().fileName)) return false;
  let named: ts.Node | undefined = declaration;
  // `let createLogger: (options?) => Logger`: the signature is the type literal, its name is the variable's.
  while (named !== undefined && !ts.isFunctionDeclaration(named) && !ts.isVariableDeclaration(named) && !ts.isSourceFile(named)) named = named.parent;
  if (named === undefined || ts.isSourceFile(named)) return false;
  return named.name !== undefined && ts.isIdentifier(named.name) && named.name.text === name;
}

function resolvedSymbol(node: ts.Node, checker: ts.TypeChecker): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
  if (symbol === undefined) return undefined;
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function declarationOf(node: ts.Node, checker: ts.TypeChecker): ts.Declaration | undefined {
  const symbol = resolvedSymbol(node, checker);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** The function a declaration names (`function f`, `const f = () =>`), if it is one. */
export function functionOf(declaration: ts.Declaration | undefined): ts.FunctionLikeDeclaration | undefined {
  if (declaration === undefined) return undefined;
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
    const init = skipParentheses(declaration.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** What a function returns when it has exactly one `return <expression>` (or an expression body). */
export function onlyReturnedExpression(declaration: ts.Declaration | undefined): ts.Expression | undefined {
  const fn = functionOf(declaration);
  if (fn?.body === undefined) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  const returns: ts.ReturnStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionBoundary(node)) return;
    if (ts.isReturnStatement(node)) returns.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returns.length === 1 ? returns[0]!.expression : undefined;
}

function shortText(node: ts.Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
