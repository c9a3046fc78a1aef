// A test double stands in for a function, and an assertion on it (`stub.calledWith(sessionId, x)`,
// `expect(fn).toHaveBeenCalledWith(sessionId, x)`) spells that function's argument list. When the
// parameter leaves the function, its callers stop passing it, so the assertion must stop expecting it
// too, or the tests fail at runtime though everything type-checks. Each assertion found here records
// the text to delete on the function it stands for; the plan deletes it with the parameter.
import { ts } from 'ts-morph';
import type { Keep } from '../public-types.js';
import type { Candidate, CandidateIndex } from './collect-functions.js';
import { lineOf, listRemovalRanges, skipParentheses } from './syntax.js';

/**
 * Assertions whose arguments are the call's arguments from the first on, by method name (sinon,
 * chai-sinon, jest, vitest); sinon's `withArgs` narrows a stub to calls with those arguments the same way.
 */
const ARGUMENT_ASSERTIONS = new Set([
  'withArgs',
  'calledWith',
  'calledWithExactly',
  'calledOnceWith',
  'calledOnceWithExactly',
  'alwaysCalledWith',
  'alwaysCalledWithExactly',
  'neverCalledWith',
  'calledWithMatch',
  'toHaveBeenCalledWith',
  'toHaveBeenLastCalledWith',
  'toBeCalledWith',
  'lastCalledWith',
]);
/** Assertions whose first argument is a call number (`toHaveBeenNthCalledWith(2, …)`). */
const NTH_ASSERTIONS = new Set(['toHaveBeenNthCalledWith', 'nthCalledWith']);
/** Calls that make a double of `object[name]`: `sinon.stub(service, 'find')`, `jest.spyOn(obj, 'find')`. */
const DOUBLE_MAKERS = new Set(['stub', 'spy', 'spyOn', 'replace']);
/** Words of a chai chain between `expect(x)` and the assertion (`expect(x).to.have.been.calledWith`). */
const CHAIN_WORDS = new Set(['to', 'be', 'been', 'have', 'has', 'and', 'not', 'always', 'that', 'which', 'is']);

/**
 * Records on each candidate the argument deletions its doubles' assertions need (`assertionRemovals`),
 * or keeps it where an assertion's arguments cannot be separated (a spread) or lie in a file this run
 * does not change. Returns the nodes that name a candidate only as an assertion's subject
 * (`expect(service.find)`), which are not value uses.
 */
export function rewriteDoubleAssertions(
  files: readonly ts.SourceFile[],
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
): Set<ts.Node> {
  const subjects = new Set<ts.Node>();
  for (const sf of files) {
    if (sf.isDeclarationFile || !/[cC]alledWith|CalledWith/.test(sf.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const assertion = readAssertion(node, sf);
        if (assertion !== undefined) {
          const candidate = candidateOfDouble(assertion.subject, index, checker);
          if (candidate !== undefined) {
            if (namesCandidate(assertion.subject, candidate, index, checker)) subjects.add(assertion.subject);
            recordRemoval(candidate, node, assertion.first, sf, isTransformable);
          } else if (node.arguments.length > assertion.first && !declaredElsewhere(assertion.subject, checker)) {
            keepSameNamed(assertion.subject, node, index, sf);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return subjects;
}

interface Assertion {
  /** The expression holding the double. */
  subject: ts.Expression;
  /** Index in the call's arguments of the double's first argument. */
  first: number;
}

function readAssertion(call: ts.CallExpression, sf: ts.SourceFile): Assertion | undefined {
  const access = call.expression as ts.PropertyAccessExpression;
  const method = access.name.text;
  const nth = NTH_ASSERTIONS.has(method);
  if (!nth && !ARGUMENT_ASSERTIONS.has(method)) return undefined;
  // `sinon.assert.calledWith(stub, …)`: the double is the first argument.
  if (access.expression.getText(sf).endsWith('assert')) {
    const subject = call.arguments[0];
    return subject === undefined ? undefined : { subject, first: 1 };
  }
  let receiver: ts.Expression = access.expression;
  while (ts.isPropertyAccessExpression(receiver) && CHAIN_WORDS.has(receiver.name.text)) receiver = receiver.expression;
  // `expect(fn).toHaveBeenCalledWith(…)`, `expect(stub).to.have.been.calledWith(…)`.
  if (ts.isCallExpression(receiver) && ts.isIdentifier(receiver.expression) && receiver.expression.text === 'expect') {
    const subject = receiver.arguments[0];
    return subject === undefined ? undefined : { subject, first: nth ? 1 : 0 };
  }
  // `stub.calledWith(…)`: sinon's own assertions on the double.
  if (nth) return undefined;
  return { subject: receiver, first: 0 };
}

/** The candidate a double stands for: named directly (a spied method, a mocked import, a grouped stand-in member) or made by `sinon.stub(obj, 'name')` / `jest.spyOn(obj, 'name')`. */
function candidateOfDouble(subject: ts.Expression, index: CandidateIndex, checker: ts.TypeChecker): Candidate | undefined {
  const expression = skipParentheses(subject);
  const direct = candidateOfSymbol(symbolOf(expression, checker), index, checker);
  if (direct !== undefined) return direct;
  const symbol = symbolOf(expression, checker);
  // `sinon.stub(obj, 'name').withArgs(…)`: the double is made right there.
  for (const made of [expression, ...valuesAssignedTo(symbol, expression.getSourceFile(), checker)]) {
    const maker = doubleMaker(made);
    if (maker === undefined) continue;
    const [object, name] = maker.arguments;
    if (object === undefined || name === undefined || !ts.isStringLiteralLike(name)) continue;
    const property = checker.getTypeAtLocation(object).getProperty(name.text);
    const candidate = candidateOfSymbol(property, index, checker);
    if (candidate !== undefined) return candidate;
  }
  return undefined;
}

function namesCandidate(subject: ts.Expression, candidate: Candidate, index: CandidateIndex, checker: ts.TypeChecker): boolean {
  return candidateOfSymbol(symbolOf(skipParentheses(subject), checker), index, checker) === candidate;
}

function symbolOf(expression: ts.Expression, checker: ts.TypeChecker): ts.Symbol | undefined {
  if (ts.isPropertyAccessExpression(expression)) return checker.getSymbolAtLocation(expression.name);
  return ts.isIdentifier(expression) ? checker.getSymbolAtLocation(expression) : undefined;
}

function candidateOfSymbol(symbol: ts.Symbol | undefined, index: CandidateIndex, checker: ts.TypeChecker): Candidate | undefined {
  if (symbol === undefined) return undefined;
  const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  for (const declaration of resolved.declarations ?? []) {
    const candidate = index.byDeclaration.get(declaration) ?? index.byNode.get(declaration);
    if (candidate !== undefined) return candidate;
  }
  return undefined;
}

/** The initializer of the variable or property a double is held in, and what the same file assigns to it. */
function valuesAssignedTo(symbol: ts.Symbol | undefined, sf: ts.SourceFile, checker: ts.TypeChecker): ts.Expression[] {
  if (symbol === undefined) return [];
  const values: ts.Expression[] = [];
  for (const declaration of symbol.declarations ?? []) {
    if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer !== undefined) {
      values.push(declaration.initializer);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipParentheses(node.left);
      if ((ts.isIdentifier(left) || ts.isPropertyAccessExpression(left)) && symbolOf(left, checker) === symbol) values.push(node.right);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return values;
}

/** The `stub(obj, 'name')` call at the root of a chain (`sinon.stub(obj, 'name').resolves(x)`). */
function doubleMaker(value: ts.Expression): ts.CallExpression | undefined {
  let node = skipParentheses(value);
  while (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (name !== undefined && DOUBLE_MAKERS.has(name) && node.arguments.length >= 2) return node;
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    node = skipParentheses(callee.expression);
  }
  return undefined;
}

function recordRemoval(candidate: Candidate, call: ts.CallExpression, first: number, sf: ts.SourceFile, isTransformable: (file: string) => boolean): void {
  const info = candidate.info;
  const at = { file: sf.fileName, line: lineOf(sf, call.getStart(sf)) };
  const args = call.arguments;
  const spreadAt = args.findIndex((a) => ts.isSpreadElement(a));
  const positions: number[] = [];
  for (const param of info.params) {
    const position = first + param.argumentIndex;
    if (spreadAt !== -1 && spreadAt <= position) {
      return keep(info.keeps, { reason: 'unknown-argument', at, detail: 'an assertion on a test double spreads its arguments' });
    }
    // An options object in an assertion is usually a matcher (`sinon.match({ … })`): its key cannot be told apart safely.
    if (param.shape === 'property' && args[position] !== undefined) {
      return keep(info.keeps, { reason: 'unknown-argument', at, detail: 'an assertion on a test double passes the options object' });
    }
    if (param.shape === 'positional' && args[position] !== undefined) positions.push(position);
  }
  if (positions.length === 0) return;
  if (!isTransformable(sf.fileName)) {
    return keep(info.keeps, { reason: 'called-from-untransformed-file', at, detail: 'an assertion on a test double names the argument' });
  }
  const removals = (info.assertionRemovals ??= []);
  for (const range of listRemovalRanges(args, positions, sf)) removals.push({ file: sf.fileName, range });
}

/**
 * A double whose origin the checker cannot follow (`{ find: sinon.fake() }` or `{ find: jest.fn() }`
 * built by a helper, handed to the code under test through a parameter or a DI container) still spells
 * the argument list of the function of that name: nothing ties it to one function, so every function of
 * that name keeps its parameter rather than leave the assertion expecting an argument no caller passes.
 */
function keepSameNamed(subject: ts.Expression, call: ts.CallExpression, index: CandidateIndex, sf: ts.SourceFile): void {
  const expression = skipParentheses(subject);
  const name = ts.isPropertyAccessExpression(expression) ? expression.name.text : ts.isIdentifier(expression) ? expression.text : undefined;
  if (name === undefined || !index.names.has(name)) return;
  const at = { file: sf.fileName, line: lineOf(sf, call.getStart(sf)) };
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external' || candidate.info.name.split('.').pop() !== name) continue;
    keep(candidate.info.keeps, { reason: 'unknown-argument', at, detail: `an assertion on a test double named ${name}, made where the codemod cannot follow, spells its arguments` });
  }
}

/**
 * A double the checker ties to a declared function that is not a candidate (`jest.Mocked<Client>`'s
 * `fetch`, a spy on another class's method): it stands for that function, not for a candidate that
 * shares its name.
 */
function declaredElsewhere(subject: ts.Expression, checker: ts.TypeChecker): boolean {
  let symbol = symbolOf(skipParentheses(subject), checker);
  if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declarations = symbol?.declarations ?? [];
  return (
    declarations.length > 0 &&
    declarations.every(
      (d) =>
        ts.isMethodDeclaration(d) ||
        ts.isMethodSignature(d) ||
        ts.isFunctionDeclaration(d) ||
        ((ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) && d.type !== undefined && ts.isFunctionTypeNode(d.type)),
    )
  );
}

function keep(keeps: Keep[], keep: Keep): void {
  if (!keeps.some((k) => k.reason === keep.reason && k.at.file === keep.at.file && k.at.line === keep.at.line)) keeps.push(keep);
}
