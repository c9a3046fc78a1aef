// Arguments that must be evaluated before `run(...)` rather than inside its `() =>` callback. TypeScript
// does not carry the narrowing of a property read (`if (state.user) greet(state.user.name)`) into a new
// closure, so moving such a call into `run(..., () => greet(state.user.name))` stops type-checking. The
// argument is hoisted into a `const` before the statement instead, where the narrowing still holds.
// Plain identifiers stay: TypeScript keeps the narrowing of a const or never-reassigned binding in closures.
// A `let`, `var` or parameter that is assigned somewhere is narrowed by that assignment (or a check)
// only outside new closures: such an identifier is hoisted too (reassigned-bindings.ts).
//
// Conservative by construction: an argument is hoisted when it reads a property and the call sits where
// narrowing can apply (inside an if/else, loop body or case, or after an earlier `if` or assertion in its
// block). Hoisting is only done where it keeps evaluation: the call must be evaluated exactly once per
// run of its statement (no `?:`, `&&`, `||`, `??` branch, loop condition or callback in between).
import { ts } from 'ts-morph';
import type { Range } from '../types.js';
import { isReassignedBinding } from './reassigned-bindings.js';

export interface HoistedArgument {
  range: Range;
  name: string;
}

export interface Hoist {
  /** Where the `const`s go: the start of the statement holding the call. */
  statement: Range;
  /** The statement is the lone body of an if/loop: the consts need braces around it. */
  needsBraces: boolean;
  /** The indentation of the statement's line. */
  indent: string;
  args: HoistedArgument[];
}

/** The arguments of the call at `span` to evaluate before `run`, or undefined when none need to (or none can). */
export function hoistNarrowedArguments(
  sourceFile: ts.SourceFile,
  span: Range,
  moved: readonly Range[],
  usedNames: Set<string>,
): Hoist | undefined {
  const call = findCall(sourceFile, span);
  if (call === undefined || call.arguments === undefined) return undefined;
  const remaining = call.arguments.filter((a) => !moved.some((m) => m.start <= a.getStart(sourceFile) && a.end <= m.end));
  const reassigned = remaining.filter((a) => ts.isIdentifier(a) && isReassignedBinding(a));
  const needing = remaining.filter((a) => readsProperty(a) || reassigned.includes(a));
  if (needing.length === 0) return undefined;
  const place = statementOf(call);
  // An assignment narrows wherever it is (even in an outer function): a reassigned binding may be narrowed anywhere.
  if (place === undefined || (reassigned.length === 0 && !mayBeNarrowed(place.statement))) return undefined;
  // Evaluation order: every argument up to the last hoisted one that may have an effect moves too.
  const last = needing[needing.length - 1]!;
  const hoisted = remaining.filter((a) => a.pos <= last.pos && (!isLiteralOrIdentifier(a) || reassigned.includes(a)));
  // A moved value before a hoisted argument would now be evaluated after it: only safe when the hoisted ones are reads.
  const firstHoisted = hoisted[0]!.getStart(sourceFile);
  if (moved.some((m) => m.start < firstHoisted) && hoisted.some((a) => !isRead(a))) return undefined;
  // Code of the statement evaluated before the call must not have effects a hoisted non-read would now precede.
  if (hoisted.some((a) => !isRead(a)) && mayActBefore(place.statement, call.getStart(sourceFile))) return undefined;
  const statementStart = place.statement.getStart(sourceFile);
  const lineStart = sourceFile.text.lastIndexOf('\n', statementStart - 1) + 1;
  const indent = /^[ \t]*/.exec(sourceFile.text.slice(lineStart, statementStart))![0];
  return {
    statement: { start: statementStart, end: place.statement.end },
    needsBraces: place.needsBraces,
    indent,
    args: hoisted.map((a) => ({ range: { start: a.getStart(sourceFile), end: a.end }, name: freshName(nameFor(a), usedNames) })),
  };
}

function findCall(node: ts.Node, span: Range): ts.CallExpression | ts.NewExpression | undefined {
  const sf = node.getSourceFile();
  let found: ts.CallExpression | ts.NewExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined || n.end < span.end || n.getStart(sf) > span.start) return;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.getStart(sf) === span.start && n.end === span.end) found = n;
    else n.forEachChild(visit);
  };
  visit(node);
  return found;
}

/** A property or element read outside any nested function: what narrowing in a closure loses. */
function readsProperty(node: ts.Node): boolean {
  if (ts.isFunctionLike(node)) return false;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return true;
  return node.forEachChild(readsProperty) === true;
}

function isLiteralOrIdentifier(node: ts.Expression): boolean {
  return ts.isIdentifier(node) || ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword;
}

/** Reads only (identifiers, property and element reads, literals): evaluating it earlier changes nothing. */
function isRead(node: ts.Node): boolean {
  if (ts.isIdentifier(node) || ts.isLiteralExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) {
    return node.forEachChild((c) => (isRead(c) ? undefined : true)) !== true;
  }
  return false;
}

/** Whether a call, `new`, await, yield, assignment, `++`/`--` or `delete` of the statement ends before `offset`. */
function mayActBefore(statement: ts.Node, offset: number): boolean {
  const visit = (node: ts.Node): boolean => {
    if (node.pos >= offset || ts.isFunctionLike(node)) return false;
    if (node.end <= offset && acts(node)) return true;
    return node.forEachChild(visit) === true;
  };
  return visit(statement);
}

function acts(node: ts.Node): boolean {
  if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isAwaitExpression(node) || ts.isYieldExpression(node)) return true;
  if (ts.isTaggedTemplateExpression(node) || ts.isDeleteExpression(node) || ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    return !ts.isPrefixUnaryExpression(node) || node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
  }
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    return op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment;
  }
  return false;
}

const STATEMENT_LISTS = new Set([ts.SyntaxKind.Block, ts.SyntaxKind.SourceFile, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause, ts.SyntaxKind.ModuleBlock]);
const LONE_BODIES = new Set([
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.LabeledStatement,
]);

/**
 * The statement that evaluates the call once each time it runs, or undefined when the path from the
 * call up to it crosses a branch, a loop condition or a function.
 */
function statementOf(call: ts.Node): { statement: ts.Statement; needsBraces: boolean } | undefined {
  let node: ts.Node = call;
  for (;;) {
    const parent = node.parent;
    if (ts.isFunctionLike(parent) || ts.isClassLike(parent)) return undefined;
    if (ts.isConditionalExpression(parent) && node !== parent.condition) return undefined;
    if (ts.isBinaryExpression(parent) && node === parent.right) {
      const op = parent.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return undefined;
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment && op !== ts.SyntaxKind.EqualsToken) return undefined;
    }
    if (ts.isOptionalChain(parent) || (ts.isCaseClause(parent) && node === parent.expression)) return undefined;
    if (STATEMENT_LISTS.has(parent.kind) || LONE_BODIES.has(parent.kind)) {
      const evaluatedOnce =
        ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node);
      if (!evaluatedOnce) return undefined;
      return { statement: node as ts.Statement, needsBraces: !STATEMENT_LISTS.has(parent.kind) };
    }
    if (ts.isVariableDeclarationList(parent) && parent.declarations.length > 1) return undefined;
    node = parent;
  }
}

/** Whether narrowing can reach the statement: an if/loop/case around it, or an earlier `if` or assertion in a block holding it. */
function mayBeNarrowed(statement: ts.Statement): boolean {
  let node: ts.Node = statement;
  while (!ts.isSourceFile(node) && !ts.isFunctionLike(node)) {
    const parent = node.parent;
    if ((LONE_BODIES.has(parent.kind) && !ts.isLabeledStatement(parent)) || ts.isCaseClause(parent)) return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) {
      const earlier = parent.statements.slice(0, parent.statements.indexOf(node as ts.Statement));
      if (earlier.some((s) => ts.isIfStatement(s) || ts.isSwitchStatement(s) || isAssertion(s))) return true;
    }
    node = parent;
  }
  return false;
}

function isAssertion(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = ts.isAwaitExpression(statement.expression) ? statement.expression.expression : statement.expression;
  if (!ts.isCallExpression(expression)) return false;
  const callee = ts.isPropertyAccessExpression(expression.expression) ? expression.expression.name : expression.expression;
  return ts.isIdentifier(callee) && /^(assert|expect|invariant|ensure)/i.test(callee.text);
}

function nameFor(argument: ts.Expression): string {
  let node: ts.Expression = argument;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node)) node = node.expression;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isIdentifier(node)) return node.text;
  return 'arg';
}

function freshName(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
}

/**
 * Every name a file binds or reads (property names aside): a hoisted `const` takes a name none of them
 * uses, so it shadows and collides with nothing.
 */
export function identifiersOf(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isPropertyName(node)) names.add(node.text);
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return names;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent)) &&
    parent.name === node
  );
}
