// What the plan needs to set a value once rather than per call: for each call that passes a value born
// there, the function it runs in (a call evaluated inside another call's `run()` with the same value
// needs none of its own), whether that value is the same wherever it is read (a literal, a const or a
// binding nothing reassigns), and the statement holding it. For blocks where two statements hold such
// calls, what moving statements into a `() => { … }` callback would change: declarations read after
// them, `return`/`break`/`continue` leaving them, `await`, and narrowing a new closure would lose.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { CallInfo, RunBlock, RunStatement } from '../types.js';
import { indentationAt, indentUnit, isAssignmentTarget, isFunctionBoundary, newlineOf, skipParentheses } from './syntax.js';

export function describeRunBlocks(
  files: readonly ts.SourceFile[],
  calls: readonly CallInfo[],
  checker: ts.TypeChecker,
): Record<string, RunBlock> {
  const byFile = new Map(files.map((sf) => [path.resolve(sf.fileName), sf]));
  // Each file's calls by position, indexed once: a file with thousands of calls is walked once, not once per call.
  const callIndex = new Map<string, Map<string, ts.Node>>();
  const callAt = (file: string, range: { start: number; end: number }): ts.Node | undefined => {
    let index = callIndex.get(file);
    if (index === undefined) {
      index = new Map();
      const sf = byFile.get(file);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) || ts.isNewExpression(node)) index!.set(`${node.getStart(sf)}:${node.end}`, node);
        ts.forEachChild(node, visit);
      };
      if (sf !== undefined) visit(sf);
      callIndex.set(file, index);
    }
    return index.get(`${range.start}:${range.end}`);
  };
  const statementsByBlock = new Map<ts.Node, Set<number>>();
  const blockIds = new Map<ts.Node, string>();
  for (const call of calls) {
    if (call.untransformed || !call.args.some((a) => a.kind === 'origin')) continue;
    const sf = byFile.get(call.file);
    const node = callAt(call.file, call.span);
    if (sf === undefined || node === undefined) continue;
    const boundary = enclosingBoundary(node);
    if (boundary !== undefined) call.scope = { start: boundary.getStart(), end: boundary.end };
    for (const arg of call.args) {
      if (arg.kind !== 'origin' || arg.expression === undefined) continue;
      const expression = nodeAt(node, arg.expression, sf, ts.isExpression);
      const declaredAt = expression !== undefined ? stableSince(skipParentheses(expression as ts.Expression), checker) : undefined;
      if (declaredAt !== undefined) {
        arg.stable = true;
        if (declaredAt >= 0) arg.valueDeclaredAt = declaredAt;
      }
    }
    const place = statementOf(node);
    if (place === undefined) continue;
    let id = blockIds.get(place.block);
    if (id === undefined) {
      id = `${call.file}:${place.block.pos}`;
      blockIds.set(place.block, id);
    }
    call.statement = { block: id, index: place.index };
    const indexes = statementsByBlock.get(place.block) ?? new Set();
    indexes.add(place.index);
    statementsByBlock.set(place.block, indexes);
  }
  const blocks: Record<string, RunBlock> = {};
  for (const [block, indexes] of statementsByBlock) {
    if (indexes.size < 2) continue;
    blocks[blockIds.get(block)!] = describeBlock(block as ts.Block | ts.SourceFile, checker);
  }
  return blocks;
}

/** The outermost node of a kind spanning exactly `range`, searched from `within` down. */
function nodeAt(within: ts.Node, range: { start: number; end: number }, sf: ts.SourceFile, kind: (node: ts.Node) => boolean): ts.Node | undefined {
  let node: ts.Node | undefined = within;
  while (node !== undefined) {
    if (kind(node) && node.getStart(sf) === range.start && node.end === range.end) return node;
    node = node.getChildren(sf).find((child) => child.pos <= range.start && range.end <= child.end);
  }
  return undefined;
}

function enclosingBoundary(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) if (isFunctionBoundary(current)) return current;
  return undefined;
}

/** The statement of a block (or of the module) holding `node`, reached without leaving its function. */
function statementOf(node: ts.Node): { block: ts.Node; index: number } | undefined {
  let current = node;
  while (current.parent !== undefined && !isFunctionBoundary(current.parent)) {
    const parent = current.parent;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) return { block: parent, index: parent.statements.indexOf(current as ts.Statement) };
    current = parent;
  }
  return undefined;
}

/**
 * A literal, or a binding that holds one value for as long as its scope lives: a `const`, an import, or
 * a parameter or `let` that nothing assigns. Read twice, it is the same value. Returns where the binding
 * is declared (a `run()` moved up must stay after it), -1 for a literal or an import, undefined when
 * the expression is not such a value.
 */
function stableSince(expression: ts.Expression, checker: ts.TypeChecker): number | undefined {
  if (ts.isStringLiteral(expression) || ts.isNumericLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return -1;
  if (!ts.isIdentifier(expression)) return undefined;
  const symbol = checker.getSymbolAtLocation(expression);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (symbol === undefined || declaration === undefined) return undefined;
  if (ts.isImportSpecifier(declaration) || ts.isImportClause(declaration) || ts.isNamespaceImport(declaration)) return -1;
  if (declaration.getSourceFile() !== expression.getSourceFile()) return undefined;
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
    const constant = (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
    return constant || !isReassigned(symbol, declaration.parent.parent.parent, checker) ? declaration.end : undefined;
  }
  if (ts.isParameter(declaration) && ts.isIdentifier(declaration.name)) {
    return isReassigned(symbol, declaration.parent, checker) ? undefined : declaration.end;
  }
  return undefined;
}

/** Asked for every read of a binding in a block: remembered per binding, or a long function is scanned once per read. */
const reassignedBindings = new WeakMap<ts.Symbol, boolean>();

function isReassigned(symbol: ts.Symbol, scope: ts.Node, checker: ts.TypeChecker): boolean {
  let known = reassignedBindings.get(symbol);
  if (known === undefined) {
    known = scanAssignments(symbol, scope, checker);
    reassignedBindings.set(symbol, known);
  }
  return known;
}

function scanAssignments(symbol: ts.Symbol, scope: ts.Node, checker: ts.TypeChecker): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node) && node.text === symbol.name && isAssignmentTarget(node) && checker.getSymbolAtLocation(node) === symbol) return true;
    return ts.forEachChild(node, visit) === true;
  };
  return visit(scope);
}

function describeBlock(block: ts.Block | ts.SourceFile, checker: ts.TypeChecker): RunBlock {
  const sf = block.getSourceFile();
  const statements = block.statements.map((s) => describeStatement(s, sf, checker));
  const names = block.statements.map((s) => identifierTexts(s));
  statements.forEach((statement, i) => {
    const declared = declaredNames(block.statements[i]!);
    let first = i;
    let last = -1;
    for (let k = 0; k < names.length; k++) {
      if (k === i || !declared.some((name) => names[k]!.has(name))) continue;
      first = Math.min(first, k);
      last = k;
    }
    statement.declarationsReadFrom = first;
    statement.declarationsReadUntil = last;
  });
  const parent = block.parent;
  return {
    file: path.resolve(sf.fileName),
    endsFunction: ts.isSourceFile(block) || (parent !== undefined && isFunctionBoundary(parent) && (parent as ts.FunctionLikeDeclaration).body === block),
    narrowedAbove: narrowedAbove(block),
    indentUnit: indentUnit(sf),
    newline: newlineOf(sf),
    statements,
  };
}

function describeStatement(statement: ts.Statement, sf: ts.SourceFile, checker: ts.TypeChecker): RunStatement {
  const start = statement.getStart(sf);
  const facts: RunStatement = {
    range: { start, end: statement.end },
    indent: indentationAt(sf.text, start),
    movable: isMovableKind(statement),
    returns: false,
    awaits: false,
    narrows: narrows(statement),
    declarationsReadFrom: 0,
    declarationsReadUntil: -1,
    lineStarts: [],
    reassignedOutside: [],
  };
  const templates: { start: number; end: number }[] = [];
  const outside = new Set<number>();
  const visit = (node: ts.Node, inFunction: boolean, inLoop: boolean, inSwitch: boolean): void => {
    if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) templates.push({ start: node.getStart(sf), end: node.end });
    if (!inFunction) {
      if (ts.isReturnStatement(node)) facts.returns = true;
      if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) facts.awaits = true;
      if (ts.isYieldExpression(node) || ts.isLabeledStatement(node)) facts.movable = false;
      // `super(...)` cannot be called from a callback.
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) facts.movable = false;
      if (ts.isVariableDeclarationList(node) && !(node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) facts.movable = false;
      if ((ts.isBreakStatement(node) || ts.isContinueStatement(node)) && (node.label !== undefined || !(ts.isBreakStatement(node) ? inLoop || inSwitch : inLoop))) {
        facts.movable = false;
      }
    }
    // A binding declared outside the statement and assigned somewhere: a closure loses its narrowing.
    if (ts.isIdentifier(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      const declaration = symbol?.valueDeclaration;
      if (
        symbol !== undefined &&
        declaration !== undefined &&
        declaration.getSourceFile() === sf &&
        (declaration.getStart(sf) < start || declaration.end > statement.end) &&
        ((ts.isVariableDeclaration(declaration) && !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) || ts.isParameter(declaration)) &&
        isReassigned(symbol, ts.isParameter(declaration) ? declaration.parent : declaration.parent.parent.parent, checker)
      ) {
        outside.add(declaration.getStart(sf));
      }
    }
    const loop = inLoop || ts.isIterationStatement(node, false);
    const inner = inSwitch || ts.isSwitchStatement(node);
    const fn = inFunction || isFunctionBoundary(node);
    ts.forEachChild(node, (child) => visit(child, fn, fn ? false : loop, fn ? false : inner));
  };
  visit(statement, false, false, false);
  facts.reassignedOutside = [...outside];
  // From the end of the statement before, so comment lines above this one are indented with it.
  for (let at = sf.text.indexOf('\n', statement.pos); at !== -1 && at + 1 < statement.end; at = sf.text.indexOf('\n', at + 1)) {
    const line = at + 1;
    if (!templates.some((t) => t.start < line && line < t.end)) facts.lineStarts.push(line);
  }
  return facts;
}

/** Statements that can live inside a callback: not declarations of the module or its types, not hoisted functions or classes. */
function isMovableKind(statement: ts.Statement): boolean {
  if (
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isExportAssignment(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement)
  ) {
    return false;
  }
  return !(ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword));
}

/** A statement after which TypeScript may have narrowed a property read: a closure created later would not see it. */
function narrows(statement: ts.Statement): boolean {
  if (ts.isIfStatement(statement) || ts.isSwitchStatement(statement)) return true;
  if (!ts.isExpressionStatement(statement)) return false;
  const expression = ts.isAwaitExpression(statement.expression) ? statement.expression.expression : statement.expression;
  if (!ts.isCallExpression(expression)) return false;
  const callee = ts.isPropertyAccessExpression(expression.expression) ? expression.expression.name : expression.expression;
  return ts.isIdentifier(callee) && /^(assert|expect|invariant|ensure)/i.test(callee.text);
}

/** The block sits in a branch or loop, or after a narrowing statement of an enclosing block, within its function. */
function narrowedAbove(block: ts.Node): boolean {
  let node = block;
  while (!ts.isSourceFile(node) && !isFunctionBoundary(node.parent)) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent) || ts.isForStatement(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isConditionalExpression(parent)) return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      const index = parent.statements.indexOf(node as ts.Statement);
      if (parent.statements.slice(0, index).some(narrows)) return true;
    }
    node = parent;
  }
  return false;
}

function declaredNames(statement: ts.Statement): string[] {
  if (!ts.isVariableStatement(statement)) return [];
  const names: string[] = [];
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  for (const declaration of statement.declarationList.declarations) collect(declaration.name);
  return names;
}

function identifierTexts(node: ts.Node): Set<string> {
  const texts = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child)) texts.add(child.text);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return texts;
}
