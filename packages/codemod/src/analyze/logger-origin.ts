// Where the logger a log call uses was made: followed through `const` bindings, `.child()` calls and
// functions that return a logger (`logFor(id)`) to one `pino(...)` call, by symbols, never by name.
// A logger that comes from anywhere else (a parameter, a property, a `let`) has no provable origin:
// adding a mixin somewhere would not be known to reach it.
import { ts } from 'ts-morph';
import { isFunctionBoundary, skipParentheses } from './syntax.js';

/** The log methods of pino's default levels: the calls whose first object argument becomes fields of the line. */
export const LOG_LEVELS: ReadonlySet<string> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

const PINO_DECLARATION = /[\\/]node_modules[\\/]pino[\\/]/;

/** The `pino(...)` call the logger comes from, or why it cannot be followed to one. */
export function loggerConstruction(expression: ts.Expression, checker: ts.TypeChecker, seen = new Set<ts.Node>()): ts.CallExpression | string {
  const node = skipParentheses(expression);
  if (seen.has(node) || seen.size > 20) return 'the logger is made in a cycle of functions';
  seen.add(node);
  if (ts.isCallExpression(node)) {
    const callee = skipParentheses(node.expression);
    // A child inherits its parent's options, the mixin among them.
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'child') return loggerConstruction(callee.expression, checker, seen);
    if (isPinoFactory(node, checker)) return node;
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
    return `\`${node.text}\` is not a const bound to a logger unthread can follow`;
  }
  return `the logger comes from \`${shortText(node)}\`, which unthread cannot follow to where it is made`;
}

/** The call resolves to pino's own factory, however it was imported (`import pino`, `{ pino }`, `require('pino')`). */
function isPinoFactory(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  return declaration !== undefined && ts.isFunctionDeclaration(declaration) && declaration.name?.text === 'pino' && PINO_DECLARATION.test(declaration.getSourceFile().fileName);
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
