// Small syntax helpers shared by the analysis: ranges with their commas, purity, names, lines.
import { ts } from 'ts-morph';
import type { Range } from '../types.js';

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.MethodSignature
  | ts.FunctionTypeNode;

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isMethodSignature(node) ||
    // A function-typed property (of an interface, or of a class that others assign it on) is a signature too.
    (ts.isFunctionTypeNode(node) && (ts.isPropertySignature(node.parent) || ts.isPropertyDeclaration(node.parent)))
  );
}

/** Functions that start a new `arguments`/`this` scope and run whenever someone calls them. */
export function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) && !ts.isFunctionTypeNode(node) && !ts.isMethodSignature(node);
}

export function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

/**
 * Ranges that delete the items at `removed` from a comma-separated list (parameters, arguments, object
 * properties, binding elements): a run of removed items takes the comma after it, or the comma before
 * it when it ends the list, so what stays reads as if written without them.
 */
export function listRemovalRanges(items: readonly ts.Node[], removed: readonly number[], sf: ts.SourceFile): Range[] {
  const set = new Set(removed);
  const ranges: Range[] = [];
  let i = 0;
  while (i < items.length) {
    if (!set.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < items.length && set.has(j + 1)) j++;
    const first = items[i]!;
    const last = items[j]!;
    const next = items[j + 1];
    const previous = items[i - 1];
    const lined = linedRemoval(first, last, next, previous, sf);
    if (lined !== undefined) ranges.push(...lined);
    else if (next !== undefined) ranges.push({ start: first.getStart(sf), end: next.getStart(sf) });
    else if (previous !== undefined) ranges.push({ start: previous.end, end: last.end });
    else ranges.push({ start: first.getStart(sf), end: trailingCommaEnd(sf, last.end) });
    i = j + 1;
  }
  return ranges;
}

/**
 * A list written one item a line stays that way: the removed items' lines go whole (with the comment
 * at their end, which speaks of them), the comments above the next item stay with it, and the list
 * keeps its trailing comma or its lack of one. A list left empty closes up: `f(\n  requestId,\n)`
 * becomes `f()`. Undefined when the removed items share a line with what stays.
 */
function linedRemoval(first: ts.Node, last: ts.Node, next: ts.Node | undefined, previous: ts.Node | undefined, sf: ts.SourceFile): Range[] | undefined {
  const text = sf.text;
  const start = first.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, start))) return undefined;
  const end = endOfItemLine(text, last.end);
  if (end === undefined) return undefined;
  const lines = { start: lineStart, end: end.lineEnd };
  if (next !== undefined) return next.getStart(sf) >= end.lineEnd ? [lines] : undefined;
  if (previous !== undefined) {
    if (end.comma) return [lines];
    // The list had no trailing comma: the comma that ended the previous item goes, its comment stays.
    const comma = skipBlanks(text, previous.end);
    return text[comma] === ',' ? [{ start: comma, end: comma + 1 }, lines] : [lines];
  }
  let open = lineStart - 1;
  while (open >= 0 && /\s/.test(text[open]!)) open--;
  const close = skipWhitespace(text, end.lineEnd);
  if (!'([{<'.includes(text[open] ?? ' ') || !')]}>'.includes(text[close] ?? ' ')) return [lines];
  return [{ start: open + 1, end: close }];
}

/** After an item: its comma, a comment, then the line's end; undefined when something else follows on the line. */
function endOfItemLine(text: string, from: number): { lineEnd: number; comma: boolean } | undefined {
  let k = skipBlanks(text, from);
  const comma = text[k] === ',';
  if (comma) k = skipBlanks(text, k + 1);
  if (text.startsWith('//', k)) {
    const newline = text.indexOf('\n', k);
    k = newline === -1 ? text.length : newline;
  } else if (text.startsWith('/*', k)) {
    const close = text.indexOf('*/', k + 2);
    if (close === -1 || text.slice(k, close).includes('\n')) return undefined;
    k = skipBlanks(text, close + 2);
  }
  if (text[k] === '\r') k++;
  if (text[k] !== '\n') return undefined;
  return { lineEnd: k + 1, comma };
}

function skipBlanks(text: string, from: number): number {
  let k = from;
  while (k < text.length && /[ \t]/.test(text[k]!)) k++;
  return k;
}

function skipWhitespace(text: string, from: number): number {
  let k = from;
  while (k < text.length && /\s/.test(text[k]!)) k++;
  return k;
}

/** When the only items of a list go, a trailing comma after them goes too. */
function trailingCommaEnd(sf: ts.SourceFile, end: number): number {
  const text = sf.text;
  let k = end;
  while (k < text.length && /[ \t]/.test(text[k]!)) k++;
  return text[k] === ',' ? k + 1 : end;
}

/** Whether evaluating `node` cannot have side effects, so it may move before or after other code. */
export function isPure(node: ts.Expression): boolean {
  if (
    ts.isIdentifier(node) ||
    ts.isStringLiteral(node) ||
    ts.isNumericLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isBigIntLiteral(node)
  ) {
    return true;
  }
  switch (node.kind) {
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.SuperKeyword:
      return true;
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) {
    return isPure(node.expression);
  }
  if (ts.isPropertyAccessExpression(node)) return isPure(node.expression);
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => isPure(span.expression));
  if (ts.isTypeOfExpression(node)) return isPure(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((e) => !ts.isSpreadElement(e) && isPure(e));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every(
      (p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isPure(p.initializer)),
    );
  }
  return false;
}

export function skipParentheses(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

/** The name a function is known by in the report. */
export function functionName(node: FunctionLike): string {
  const owner = (n: ts.Node): string | undefined => {
    const parent = n.parent;
    if (ts.isClassLike(parent)) return parent.name?.text ?? '<class>';
    if (ts.isInterfaceDeclaration(parent)) return parent.name.text;
    if (ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent)) return parent.parent.name.text;
    if (ts.isObjectLiteralExpression(parent) && ts.isVariableDeclaration(parent.parent) && ts.isIdentifier(parent.parent.name)) {
      return parent.parent.name.text;
    }
    return undefined;
  };
  const qualified = (n: ts.Node, name: string): string => {
    const o = owner(n);
    return o === undefined ? name : `${o}.${name}`;
  };
  if (ts.isConstructorDeclaration(node)) return qualified(node, 'constructor');
  if (ts.isFunctionTypeNode(node)) {
    const signature = node.parent as ts.PropertySignature;
    return qualified(signature, propertyNameText(signature.name) ?? '<property>');
  }
  if (ts.isFunctionDeclaration(node)) return node.name?.text ?? 'default';
  if (ts.isMethodDeclaration(node) || ts.isMethodSignature(node)) return qualified(node, propertyNameText(node.name) ?? '<method>');
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent)) return qualified(parent, propertyNameText(parent.name) ?? '<property>');
  if (ts.isPropertyDeclaration(parent)) return qualified(parent, propertyNameText(parent.name) ?? '<property>');
  if (ts.isFunctionExpression(node) && node.name !== undefined) return node.name.text;
  return '<anonymous>';
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** Leading whitespace of the line `pos` is on. */
export function indentationAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const match = /^[ \t]*/.exec(text.slice(lineStart));
  return match?.[0] ?? '';
}

// Per-file answers that scan the whole text, asked once per function: remembered, or one big file
// with thousands of functions would be read thousands of times.
const newlines = new WeakMap<ts.SourceFile, string>();
const indentUnits = new WeakMap<ts.SourceFile, string>();

/** The file's line break: `\r\n` when it has any. */
export function newlineOf(sf: ts.SourceFile): string {
  let newline = newlines.get(sf);
  if (newline === undefined) {
    newline = sf.text.includes('\r\n') ? '\r\n' : '\n';
    newlines.set(sf, newline);
  }
  return newline;
}

/** One indentation step as the file writes it (two spaces when it cannot tell). */
export function indentUnit(sf: ts.SourceFile): string {
  let unit = indentUnits.get(sf);
  if (unit === undefined) {
    unit = scanIndentUnit(sf.text);
    indentUnits.set(sf, unit);
  }
  return unit;
}

function scanIndentUnit(text: string): string {
  const match = /\n( +|\t)\S/.exec(text);
  if (match?.[1] === '\t') return '\t';
  const widths = [...text.matchAll(/\n( +)\S/g)].map((m) => m[1]!.length);
  const smallest = Math.min(...widths);
  return Number.isFinite(smallest) && smallest > 0 && smallest <= 8 ? ' '.repeat(smallest) : '  ';
}

export function isAssignmentTarget(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node) {
    return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  }
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && parent.operand === node) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return false;
}

/** `module.exports = { f }`, `module.exports.f = f`, `exports.f = f`: exports, not value uses. */
export function isCommonJsExport(node: ts.Identifier): boolean {
  const parent = node.parent;
  const isExportsTarget = (e: ts.Expression): boolean => {
    const text = e.getText();
    return text === 'module.exports' || text.startsWith('module.exports.') || text.startsWith('exports.');
  };
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return isExportsTarget(parent.left);
  }
  const literal = ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node) ? parent.parent : undefined;
  if (literal !== undefined && ts.isObjectLiteralExpression(literal)) {
    const assignment = literal.parent;
    return ts.isBinaryExpression(assignment) && assignment.right === literal && isExportsTarget(assignment.left);
  }
  return false;
}
