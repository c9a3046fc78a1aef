// One pass over every file: each call whose callee's name could be a candidate is resolved once with the
// checker; every other mention of a candidate is a value use; every read of a threaded local is counted.
import path from 'node:path';
import { ts } from 'ts-morph';
import { configuresDouble, typesItsOwnDouble } from './double-mentions.js';
import type { ArgumentUse, CallInfo, Range } from '../types.js';
import { describeExternal, type Candidate, type CandidateIndex } from './collect-functions.js';
import { registeredAt } from './framework-calls.js';
import {
  isAssignmentTarget,
  isCommonJsExport,
  isFunctionBoundary,
  isFunctionLike,
  isPure,
  lineOf,
  listRemovalRanges,
  propertyNameText,
  skipParentheses,
} from './syntax.js';

interface WalkContext {
  checker: ts.TypeChecker;
  index: CandidateIndex;
  params: readonly string[];
  sf: ts.SourceFile;
  file: string;
  transformable: boolean;
  /** Identifiers already accounted for as threaded arguments. */
  threaded: Set<ts.Node>;
  boundaries: ts.Node[];
  calls: CallInfo[];
  /** Declarations that resolved to nothing threaded, so they are not described twice. */
  notCandidates: Set<ts.Node>;
  fileNames: Set<string>;
  /** Identifiers starting with the context's name, per file, so its import does not shadow them. */
  taken: Set<string>;
  contextName: string;
  /** Names that only implement a grouped signature (`return { userExists }`): not value uses. */
  implementingNames: ReadonlySet<ts.Node>;
}

export interface WalkResult {
  calls: CallInfo[];
  takenNames: Map<string, Set<string>>;
}

export function walkUses(
  program: ts.Program,
  files: readonly ts.SourceFile[],
  index: CandidateIndex,
  params: readonly string[],
  isTransformable: (file: string) => boolean,
  contextName: string,
  implementingNames: ReadonlySet<ts.Node> = new Set(),
): WalkResult {
  const calls: CallInfo[] = [];
  const takenNames = new Map<string, Set<string>>();
  const notCandidates = new Set<ts.Node>();
  const checker = program.getTypeChecker();
  for (const sf of files) {
    if (sf.isDeclarationFile) continue;
    const file = path.resolve(sf.fileName);
    const ctx: WalkContext = {
      checker,
      index,
      params,
      sf,
      file,
      transformable: isTransformable(file),
      threaded: new Set(),
      boundaries: [],
      calls,
      notCandidates,
      fileNames: aliasNames(sf, index.names),
      taken: new Set(),
      contextName,
      implementingNames,
    };
    visit(sf, ctx);
    takenNames.set(file, ctx.taken);
  }
  return { calls, takenNames };
}

/** Local names that imports give candidates (`import g from`, `import { f as g }`). */
function aliasNames(sf: ts.SourceFile, names: Set<string>): Set<string> {
  const result = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) continue;
    const clause = statement.importClause;
    if (clause.name !== undefined) result.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (element.propertyName !== undefined && names.has(element.propertyName.text)) result.add(element.name.text);
      }
    }
  }
  return result;
}

function visit(node: ts.Node, ctx: WalkContext): void {
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) handleCall(node, ctx);
  else if (ts.isIdentifier(node)) handleIdentifier(node, ctx);
  else if (ts.isPropertyAccessExpression(node)) handlePropertyAccess(node, ctx);
  const boundary = isFunctionBoundary(node);
  if (boundary) ctx.boundaries.push(node);
  ts.forEachChild(node, (child) => visit(child, ctx));
  if (boundary) ctx.boundaries.pop();
}

function calleeName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  const expression = node.expression;
  if (expression.kind === ts.SyntaxKind.SuperKeyword) return 'super';
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function resolveCallee(node: ts.CallExpression | ts.NewExpression, ctx: WalkContext): Candidate | undefined {
  const bySymbol = resolveBySymbol(node, ctx);
  if (bySymbol !== 'ambiguous') return bySymbol;
  const declaration = ctx.checker.getResolvedSignature(node)?.declaration;
  if (declaration === undefined || ts.isJSDocSignature(declaration)) return undefined;
  const direct = ctx.index.byNode.get(declaration);
  if (direct !== undefined) return direct;
  if (ctx.notCandidates.has(declaration)) return undefined;
  // An overload signature: the implementation carries the decision.
  if ((ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) && declaration.body === undefined) {
    const symbol = declaration.name !== undefined ? ctx.checker.getSymbolAtLocation(declaration.name) : undefined;
    for (const other of symbol?.declarations ?? []) {
      const implementation = ctx.index.byNode.get(other);
      if (implementation !== undefined) return implementation;
    }
  }
  const sf = declaration.getSourceFile();
  if ((sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) && isFunctionLike(declaration)) {
    const external = describeExternal(declaration, ctx.checker, ctx.index);
    if (external !== undefined) return external;
  }
  ctx.notCandidates.add(declaration);
  return undefined;
}

/**
 * The callee through its symbol: for a plain `f(...)` or `obj.m(...)` with one declaration this is what
 * getResolvedSignature would find, without checking every argument's type (the costly part of
 * resolving a call). Overloads, unions, `new` and `super` are left to getResolvedSignature.
 */
function resolveBySymbol(node: ts.CallExpression | ts.NewExpression, ctx: WalkContext): Candidate | undefined | 'ambiguous' {
  if (!ts.isCallExpression(node)) return 'ambiguous';
  const expression = node.expression;
  const name = ts.isIdentifier(expression) ? expression : ts.isPropertyAccessExpression(expression) ? expression.name : undefined;
  if (name === undefined || expression.kind === ts.SyntaxKind.SuperKeyword) return 'ambiguous';
  let symbol = ctx.checker.getSymbolAtLocation(name);
  if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = ctx.checker.getAliasedSymbol(symbol);
  const declarations = symbol?.declarations ?? [];
  if (declarations.length !== 1) return 'ambiguous';
  const declaration = declarations[0]!;
  const candidate = ctx.index.byNode.get(declaration) ?? ctx.index.byDeclaration.get(declaration);
  if (candidate !== undefined) return candidate;
  // Declared where the repo cannot see a body (a .d.ts, node_modules): let the signature decide.
  const sf = declaration.getSourceFile();
  return sf.isDeclarationFile || sf.fileName.includes('/node_modules/') ? 'ambiguous' : undefined;
}

function handleCall(node: ts.CallExpression | ts.NewExpression, ctx: WalkContext): void {
  const name = calleeName(node);
  if (name === undefined || (!ctx.index.names.has(name) && !ctx.fileNames.has(name))) return;
  const callee = resolveCallee(node, ctx);
  if (callee === undefined) return;
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const sf = ctx.sf;
  const uses: ArgumentUse[] = [];
  const positionalPresent: number[] = [];
  const positionalUses: ArgumentUse[] = [];
  const objectGroups = new Map<ts.ObjectLiteralExpression, { positions: number[]; uses: ArgumentUse[] }>();
  let prefixPure = isPure(node.expression);
  const spreadAt = args.findIndex((a) => ts.isSpreadElement(a));

  for (const param of callee.info.params) {
    if (spreadAt !== -1 && spreadAt <= param.argumentIndex) {
      uses.push({ key: param.key, kind: 'unknown', pure: false });
      continue;
    }
    const arg = args[param.argumentIndex];
    if (arg === undefined) {
      uses.push({ key: param.key, kind: 'missing', pure: true });
      continue;
    }
    const before = args.slice(0, param.argumentIndex);
    if (param.shape === 'positional') {
      const use = classify(arg, param.key, undefined, ctx);
      if (use.kind === 'origin' && !before.every((a) => isPure(a))) prefixPure = false;
      uses.push(use);
      positionalPresent.push(param.argumentIndex);
      positionalUses.push(use);
      continue;
    }
    const literal = skipParentheses(arg);
    if (!ts.isObjectLiteralExpression(literal)) {
      uses.push({ key: param.key, kind: 'unknown', pure: false, expression: range(arg, sf), expressionText: arg.getText(sf) });
      continue;
    }
    // The caller's object spells the property as the callee destructures it (`request_id` under an alias).
    const spelled = param.name ?? param.key;
    const position = findLastIndex(literal.properties, (p) => propertyKey(p) === spelled);
    const laterSpread = literal.properties.slice(position + 1).some((p) => ts.isSpreadAssignment(p) && spreadHasKey(p, spelled, ctx));
    const property = literal.properties[position];
    if (laterSpread || (property !== undefined && !ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property))) {
      uses.push({ key: param.key, kind: 'unknown', pure: false });
      continue;
    }
    if (property === undefined) {
      uses.push({ key: param.key, kind: 'missing', pure: true });
      continue;
    }
    const use = ts.isShorthandPropertyAssignment(property)
      ? classify(property.name, param.key, property, ctx)
      : classify(property.initializer, param.key, undefined, ctx);
    const earlier = literal.properties.slice(0, position);
    const earlierPure = earlier.every((p) => ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && isPure(p.initializer)));
    if (use.kind === 'origin' && (!earlierPure || !before.every((a) => isPure(a)))) prefixPure = false;
    uses.push(use);
    const group = objectGroups.get(literal) ?? { positions: [], uses: [] };
    group.positions.push(position);
    group.uses.push(use);
    objectGroups.set(literal, group);
  }
  // Removal ranges per list, so neighbouring removed items share their commas correctly.
  const positionalRanges = listRemovalRanges(args, positionalPresent, sf);
  positionalUses.forEach((use, i) => (use.removal = i === 0 ? positionalRanges : []));
  for (const [literal, group] of objectGroups) {
    const ranges = listRemovalRanges(literal.properties, group.positions, sf);
    group.uses.forEach((use, i) => (use.removal = i === 0 ? ranges : []));
  }

  const caller = ctx.boundaries.length > 0 ? ctx.index.byNode.get(ctx.boundaries[ctx.boundaries.length - 1]!) : undefined;
  const call: CallInfo = {
    id: `call${ctx.calls.length}`,
    file: ctx.file,
    line: lineOf(sf, node.getStart(sf)),
    calleeId: callee.info.id,
    span: range(node, sf),
    prefixPure,
    isSuperCall: node.expression.kind === ts.SyntaxKind.SuperKeyword,
    awaitsInCall: [node.expression, ...args].some(containsAwait),
    args: uses,
    untransformed: !ctx.transformable,
  };
  if (caller !== undefined) call.callerId = caller.info.id;
  ctx.calls.push(call);
}

function classify(expression: ts.Expression, key: string, shorthand: ts.ShorthandPropertyAssignment | undefined, ctx: WalkContext): ArgumentUse {
  const inner = skipParentheses(expression);
  const expressionRange = range(expression, ctx.sf);
  if (ts.isIdentifier(inner)) {
    const symbol =
      shorthand !== undefined ? ctx.checker.getShorthandAssignmentValueSymbol(shorthand) : ctx.checker.getSymbolAtLocation(inner);
    const owner = symbol !== undefined ? ctx.index.byParamSymbol.get(symbol) : undefined;
    if (owner !== undefined && owner.param.key === key && runsInOwnersCall(owner.candidate.node, ctx)) {
      const ownerHasDefault = owner.param.defaultText !== undefined;
      // A defaulted parameter passed on moves into run({ requestId }): the caller's body then reads it.
      if (!ownerHasDefault) ctx.threaded.add(inner);
      const use: ArgumentUse = { key, kind: 'own-param', ownerId: owner.candidate.info.id, expression: expressionRange, expressionText: inner.text, pure: true };
      if (ownerHasDefault) use.ownerHasDefault = true;
      return use;
    }
    const origin: ArgumentUse = { key, kind: 'origin', expression: expressionRange, expressionText: expression.getText(ctx.sf), pure: true };
    if (owner !== undefined && owner.param.key !== key && runsInOwnersCall(owner.candidate.node, ctx)) origin.sameValueAs = owner.param.key;
    return origin;
  }
  return { key, kind: 'origin', expression: expressionRange, expressionText: expression.getText(ctx.sf), pure: isPure(expression) };
}

const SYNC_ARRAY_METHODS = new Set(['map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'reduce', 'reduceRight', 'sort']);

/**
 * Whether code at the current position runs during the owner's own call: directly in its body, or in
 * callbacks that run synchronously (array methods, a Promise executor). Any other nested function may run later, from another
 * context (a listener, a queued callback), so a value it captured is not the context's.
 */
function runsInOwnersCall(owner: ts.Node, ctx: WalkContext): boolean {
  for (let i = ctx.boundaries.length - 1; i >= 0; i--) {
    const boundary = ctx.boundaries[i]!;
    if (boundary === owner) return true;
    const call = boundary.parent;
    // `new Promise(executor)` runs the executor before the constructor returns.
    if (ts.isNewExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'Promise' && call.arguments?.[0] === boundary) {
      continue;
    }
    if (
      !(ts.isArrowFunction(boundary) || ts.isFunctionExpression(boundary)) ||
      !ts.isCallExpression(call) ||
      !call.arguments.includes(boundary) ||
      !ts.isPropertyAccessExpression(call.expression) ||
      !SYNC_ARRAY_METHODS.has(call.expression.name.text) ||
      !ctx.checker.isArrayType(ctx.checker.getTypeAtLocation(call.expression.expression))
    ) {
      return false;
    }
  }
  return false;
}

function handleIdentifier(node: ts.Identifier, ctx: WalkContext): void {
  const text = node.text;
  const parent = node.parent;
  if (text.startsWith(ctx.contextName)) ctx.taken.add(text);
  if (text === 'arguments' && !(ts.isPropertyAccessExpression(parent) && parent.name === node)) {
    const owner = [...ctx.boundaries].reverse().find((b) => !ts.isArrowFunction(b));
    const candidate = owner !== undefined ? ctx.index.byNode.get(owner) : undefined;
    if (candidate !== undefined) addKeep(candidate, 'uses-arguments', node, ctx);
    return;
  }
  if (ctx.index.locals.has(text) && !ctx.threaded.has(node)) countRead(node, ctx);
  if ((ctx.index.names.has(text) || ctx.fileNames.has(text)) && isValueReference(node) && !ctx.implementingNames.has(node)) {
    const symbol = ts.isShorthandPropertyAssignment(parent)
      ? ctx.checker.getShorthandAssignmentValueSymbol(parent)
      : ctx.checker.getSymbolAtLocation(node);
    const candidate = candidateOf(symbol, ctx);
    if (candidate === undefined) return;
    if (ts.isConstructorDeclaration(candidate.node) && !isClassPassedAsValue(node)) return;
    addKeep(candidate, 'used-as-value', node, ctx);
    const registration = registeredAt(node, ctx.sf);
    if (registration !== undefined && !candidate.info.keeps.some((k) => k.reason === 'called-by-framework')) {
      candidate.info.keeps.push({ reason: 'called-by-framework', at: { file: ctx.file, line: lineOf(ctx.sf, node.getStart(ctx.sf)) }, detail: registration });
    }
  }
}

function countRead(node: ts.Identifier, ctx: WalkContext): void {
  const parent = node.parent;
  if ((ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return;
  if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name === node) return;
  const symbol = ts.isShorthandPropertyAssignment(parent)
    ? ctx.checker.getShorthandAssignmentValueSymbol(parent)
    : ctx.checker.getSymbolAtLocation(node);
  const owner = symbol !== undefined ? ctx.index.byParamSymbol.get(symbol) : undefined;
  if (owner === undefined) return;
  owner.param.otherReads++;
  if (isAssignmentTarget(node)) addKeep(owner.candidate, 'reassigns-parameter', node, ctx);
}

function handlePropertyAccess(node: ts.PropertyAccessExpression, ctx: WalkContext): void {
  const name = node.name.text;
  if (!ctx.index.names.has(name)) return;
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node) return;
  if (ctx.implementingNames.has(node) || readsOnlyMetadata(node) || isTestDoubleLookup(node) || configuresDouble(node)) return;
  const candidate = candidateOf(ctx.checker.getSymbolAtLocation(node.name), ctx);
  if (candidate === undefined || ts.isConstructorDeclaration(candidate.node)) return;
  addKeep(candidate, 'used-as-value', node, ctx);
}

function candidateOf(symbol: ts.Symbol | undefined, ctx: WalkContext): Candidate | undefined {
  if (symbol === undefined) return undefined;
  const resolved = symbol.flags & ts.SymbolFlags.Alias ? ctx.checker.getAliasedSymbol(symbol) : symbol;
  for (const declaration of resolved.declarations ?? []) {
    const candidate = ctx.index.byDeclaration.get(declaration);
    if (candidate !== undefined) return candidate;
  }
  return undefined;
}

/** `fn.name`: reading the name (for a log line, say) neither calls nor passes the function. `fn.length` does depend on the parameters. */
function readsOnlyMetadata(node: ts.Expression): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'name') || checksPresence(node);
}

/**
 * `Page.initialize ? Page.initialize(…) : …`, `if (hooks.before)`, `!x.f`, `typeof x.f`, `x.f && …`:
 * an optional function tested for presence is neither passed nor called there (`x.f && y` is never the
 * function itself).
 */
function checksPresence(node: ts.Expression): boolean {
  const parent = node.parent;
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent)) return parent.expression === node;
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isTypeOfExpression(parent)) return true;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken;
}

/** Test helpers that look a function up to type or stub it (`jest.mocked(fn)`, `vi.mocked(fn)`), without calling it with other arguments. */
const TEST_DOUBLE_LOOKUPS = new Set(['jest.mocked', 'vi.mocked', 'mocked']);

function isTestDoubleLookup(node: ts.Expression): boolean {
  const parent = node.parent;
  return ts.isCallExpression(parent) && parent.arguments[0] === node && TEST_DOUBLE_LOOKUPS.has(parent.expression.getText());
}

/** Whether an identifier mentions a function as a value rather than calling, declaring or exporting it. */
function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (readsOnlyMetadata(node) || isTestDoubleLookup(node) || configuresDouble(node) || typesItsOwnDouble(node)) return false;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ('name' in parent && (parent as { name?: ts.Node }).name === node && !ts.isShorthandPropertyAssignment(parent)) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isImportClause(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isNamespaceImport(parent)) {
    return false;
  }
  if (ts.isExportAssignment(parent) || ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isQualifiedName(parent)) {
    return false;
  }
  if (ts.isJSDoc(parent) || ts.isJSDocLink(parent) || ts.isJSDocMemberName(parent)) return false;
  return !isCommonJsExport(node);
}

/** A class mentioned where its constructor may be called by someone else (passed, stored, returned). */
function isClassPassedAsValue(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isCallExpression(parent) && parent.arguments.includes(node)) ||
    (ts.isNewExpression(parent) && parent.arguments?.includes(node) === true) ||
    (ts.isVariableDeclaration(parent) && parent.initializer === node) ||
    ts.isReturnStatement(parent) ||
    ts.isShorthandPropertyAssignment(parent) ||
    (ts.isPropertyAssignment(parent) && parent.initializer === node) ||
    ts.isArrayLiteralExpression(parent) ||
    (ts.isBinaryExpression(parent) && parent.right === node)
  );
}

function addKeep(candidate: Candidate, reason: 'used-as-value' | 'uses-arguments' | 'reassigns-parameter', node: ts.Node, ctx: WalkContext): void {
  if (candidate.info.keeps.some((k) => k.reason === reason)) return;
  candidate.info.keeps.push({ reason, at: { file: ctx.file, line: lineOf(ctx.sf, node.getStart(ctx.sf)) } });
}

function propertyKey(property: ts.ObjectLiteralElementLike): string | undefined {
  if (ts.isSpreadAssignment(property) || property.name === undefined) return undefined;
  return propertyNameText(property.name);
}

function spreadHasKey(spread: ts.SpreadAssignment, key: string, ctx: WalkContext): boolean {
  return ctx.checker.getTypeAtLocation(spread.expression).getProperty(key) !== undefined;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}

/** An `await` or `yield` outside nested functions: it would not survive a move into `() => call`. */
function containsAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) return true;
  if (isFunctionBoundary(node)) return false;
  return ts.forEachChild(node, containsAwait) === true;
}

function range(node: ts.Node, sf: ts.SourceFile): Range {
  return { start: node.getStart(sf), end: node.end };
}
