// A threaded signature the repo declares (an interface or type-literal member, a function-typed
// property, an abstract or overridable method) and every function that implements it are one group:
// the parameter leaves all of them or none. The group is found from the declarations, walking from
// each implementing class, object literal (also one cast with `as unknown as T`, as test stand-ins are)
// and assignment to the signature, never from the compiler's verdict: a function with fewer
// parameters is assignable to a wider type, so a clean type-check proves nothing here.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Keep } from '../public-types.js';
import { describeImplementation, type Candidate, type CandidateIndex } from './collect-functions.js';
import { signatureOwners } from './signature-keeps.js';
import { isFunctionLike, lineOf, propertyNameText, skipParentheses, type FunctionLike } from './syntax.js';

export interface SignatureGroups {
  /**
   * Identifiers that name a function only to implement a grouped signature (`return { userExists }`):
   * not a value use, since every call reaches the function through the signature.
   */
  implementingNames: Set<ts.Node>;
  /** Functions written inline as an implementation (`this.onMessage = (requestId) => …`): their callers are the signature's. */
  implementingFunctions: Set<ts.Node>;
}

export function groupSignatures(
  files: readonly ts.SourceFile[],
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
): SignatureGroups {
  const groups: SignatureGroups = { implementingNames: new Set(), implementingFunctions: new Set() };
  describeDeclaredSignatures(index, checker, isTransformable);
  const owners = signatureOwnersByName(index);
  // A function-typed class property's own initializer is its first implementation.
  for (const list of owners.values()) {
    for (const owner of list) {
      const property = owner.node.parent;
      if (ts.isFunctionTypeNode(owner.node) && ts.isPropertyDeclaration(property) && property.initializer !== undefined) {
        implement(owner, property.initializer, property, index, checker, isTransformable, groups);
      }
    }
  }
  for (const sf of files) {
    if (sf.isDeclarationFile) continue;
    // Cheap skip: a file that never spells a signature's name nor mocks a module implements none.
    if (!sf.text.includes('.mock(') && !sf.text.includes('.doMock(') && ![...owners.keys()].some((name) => sf.text.includes(name))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && MODULE_MOCKS.has(node.expression.getText(sf))) mockedModule(node, sf, index, checker, isTransformable, groups);
      else if (ts.isClassLike(node) && node.heritageClauses !== undefined) implementingClass(node, owners, index, checker, isTransformable, groups);
      else if (ts.isObjectLiteralExpression(node)) implementingObject(node, owners, index, checker, isTransformable, groups);
      else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
        const name = node.left.name.text;
        if (owners.has(name)) {
          const assigned = ownersOf(checker.getSymbolAtLocation(node.left.name), index);
          // Assigning an implementation is not a value use of the signature: the value is checked here.
          if (assigned.length > 0) groups.implementingNames.add(node.left);
          for (const owner of assigned) implement(owner, node.right, node, index, checker, isTransformable, groups);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return groups;
}

/**
 * A repo signature that an implementation threads but that names the parameter otherwise
 * (`run(_logger: Logger)` in the interface, `run(logger: Logger)` in the class) is in the group too:
 * described with the implementation's keys, so it changes with it.
 */
function describeDeclaredSignatures(index: CandidateIndex, checker: ts.TypeChecker, isTransformable: (file: string) => boolean): void {
  for (const candidate of [...index.list]) {
    if (candidate.info.kind === 'external' || candidate.info.params.some((p) => p.shape !== 'positional')) continue;
    for (const declaration of signatureOwners(candidate, checker)) {
      if (index.byNode.has(declaration) || index.byDeclaration.has(declaration) || !isFunctionLike(declaration)) continue;
      const sf = declaration.getSourceFile();
      if (sf.isDeclarationFile || !isTransformable(path.resolve(sf.fileName))) continue;
      const offset = declaration.parameters[0] !== undefined && ts.isIdentifier(declaration.parameters[0].name) && declaration.parameters[0].name.text === 'this' ? 1 : 0;
      const keyAt = new Map<number, string>();
      for (const param of candidate.info.params) {
        const parameter = declaration.parameters[param.argumentIndex + offset];
        if (parameter !== undefined && ts.isIdentifier(parameter.name) && parameter.dotDotDotToken === undefined) keyAt.set(param.argumentIndex + offset, param.key);
      }
      if (keyAt.size > 0) describeImplementation(declaration, keyAt, checker, index);
    }
  }
}

/** Calls that replace a module for a test by what a factory returns. */
const MODULE_MOCKS = new Set(['jest.mock', 'vi.mock', 'jest.doMock', 'vi.doMock']);

/**
 * `jest.mock('./mailer.js', () => ({ sendEmail: jest.fn(async (sessionId, to) => …) }))`: each member
 * of the factory's object stands in for the module's export of that name, so it changes with it. The
 * module is the one the same file imports with that specifier.
 */
function mockedModule(
  node: ts.CallExpression,
  sf: ts.SourceFile,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  const [specifier, factory] = node.arguments;
  if (specifier === undefined || !ts.isStringLiteralLike(specifier) || factory === undefined) return;
  const fn = skipParentheses(factory);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return;
  const returned = ts.isBlock(fn.body)
    ? fn.body.statements.find((st): st is ts.ReturnStatement => ts.isReturnStatement(st))?.expression
    : fn.body;
  const literal = returned !== undefined ? skipParentheses(returned) : undefined;
  if (literal === undefined || !ts.isObjectLiteralExpression(literal)) return;
  const imported = sf.statements.find(
    (st): st is ts.ImportDeclaration => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === specifier.text,
  );
  const moduleSymbol = imported !== undefined ? checker.getSymbolAtLocation(imported.moduleSpecifier) : undefined;
  if (moduleSymbol === undefined) return;
  for (const property of literal.properties) {
    const name = property.name !== undefined ? propertyNameText(property.name) : undefined;
    if (name === undefined) continue;
    let exported = checker.tryGetMemberInModuleExports(name, moduleSymbol);
    if (exported !== undefined && exported.flags & ts.SymbolFlags.Alias) exported = checker.getAliasedSymbol(exported);
    for (const declaration of exported?.declarations ?? []) {
      const owner = index.byNode.get(declaration) ?? index.byDeclaration.get(declaration);
      if (owner !== undefined && owner.info.kind !== 'external') implementMember(owner, property, index, checker, isTransformable, groups);
    }
  }
}

/** Repo-owned signatures with a threaded parameter, by member name (the pre-filter for the walk). */
function signatureOwnersByName(index: CandidateIndex): Map<string, Candidate[]> {
  const byName = new Map<string, Candidate[]>();
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external' || candidate.sf.isDeclarationFile) continue;
    const name = memberName(candidate.node);
    if (name === undefined) continue;
    byName.set(name, [...(byName.get(name) ?? []), candidate]);
  }
  return byName;
}

/** The member name a signature is implemented under, for members of classes, interfaces and type literals. */
function memberName(node: FunctionLike): string | undefined {
  if (ts.isMethodSignature(node) || ts.isMethodDeclaration(node)) {
    return ts.isObjectLiteralExpression(node.parent) ? undefined : propertyNameText(node.name);
  }
  if (ts.isFunctionTypeNode(node) && (ts.isPropertySignature(node.parent) || ts.isPropertyDeclaration(node.parent))) {
    return propertyNameText(node.parent.name);
  }
  return undefined;
}

/** The grouped signatures among a property's declarations. */
function ownersOf(symbol: ts.Symbol | undefined, index: CandidateIndex): Candidate[] {
  const result: Candidate[] = [];
  for (const declaration of symbol?.declarations ?? []) {
    const owner = index.byNode.get(declaration) ?? index.byDeclaration.get(declaration);
    if (owner !== undefined && memberName(owner.node) !== undefined && !owner.sf.isDeclarationFile) result.push(owner);
  }
  return result;
}

function implementingClass(
  node: ts.ClassLikeDeclaration,
  owners: Map<string, Candidate[]>,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  const instance = checker.getTypeAtLocation(node);
  for (const clause of node.heritageClauses ?? []) {
    for (const typeNode of clause.types) {
      const base = checker.getTypeAtLocation(typeNode);
      for (const name of owners.keys()) {
        const declared = ownersOf(base.getProperty(name), index);
        if (declared.length === 0) continue;
        // What the class's instances answer to under that name: its own member, or one it inherits.
        for (const declaration of instance.getProperty(name)?.declarations ?? []) {
          for (const owner of declared) {
            if (owner.node === declaration || index.byDeclaration.get(declaration) === owner) continue;
            implementMember(owner, declaration, index, checker, isTransformable, groups);
          }
        }
      }
    }
  }
}

function implementingObject(
  node: ts.ObjectLiteralExpression,
  owners: Map<string, Candidate[]>,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  const members = node.properties.filter((p) => p.name !== undefined && owners.has(propertyNameText(p.name) ?? ''));
  if (members.length === 0) return;
  const asserted = assertedType(node, checker);
  // A stand-in cast to `any` has no type of its own: it takes the type of the parameters it is passed to.
  const types = asserted !== undefined && (asserted.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0 ? parameterTypesReceiving(node, checker) : [asserted ?? checker.getContextualType(node)];
  for (const type of types) {
    if (type === undefined) continue;
    for (const member of members) {
      const name = propertyNameText(member.name!)!;
      for (const owner of ownersOf(type.getProperty(name), index)) implementMember(owner, member, index, checker, isTransformable, groups);
    }
  }
}

/**
 * The declared types of the parameters a value is passed to: `const double = { … } as any` followed by
 * `create(double, …)` hands the double to code typed by a class, which calls its methods as the class's.
 */
function parameterTypesReceiving(node: ts.Expression, checker: ts.TypeChecker): ts.Type[] {
  let holder: ts.Node = node;
  while (ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent) || ts.isTypeAssertionExpression(holder.parent)) holder = holder.parent;
  const declaration = holder.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== holder || !ts.isIdentifier(declaration.name)) return [];
  const symbol = checker.getSymbolAtLocation(declaration.name);
  if (symbol === undefined) return [];
  const types: ts.Type[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.arguments !== undefined) {
      n.arguments.forEach((argument, position) => {
        if (!ts.isIdentifier(argument) || checker.getSymbolAtLocation(argument) !== symbol) return;
        const signature = checker.getResolvedSignature(n);
        const parameter = signature?.parameters[position];
        if (parameter === undefined || parameter.valueDeclaration === undefined) return;
        const type = checker.getTypeOfSymbolAtLocation(parameter, parameter.valueDeclaration);
        if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) === 0 && !types.includes(type)) types.push(type);
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(node.getSourceFile());
  return types;
}

/** The type an object literal is cast to, through `as unknown as T` (how tests hand a stand-in to code typed by a class). */
function assertedType(node: ts.Expression, checker: ts.TypeChecker): ts.Type | undefined {
  let current: ts.Node = node;
  let asserted: ts.TypeNode | undefined;
  for (;;) {
    const parent: ts.Node = current.parent;
    if (ts.isParenthesizedExpression(parent)) current = parent;
    else if (ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent)) {
      asserted = parent.type;
      current = parent;
    } else break;
  }
  return asserted !== undefined ? checker.getTypeFromTypeNode(asserted) : undefined;
}

/** A member declaration implementing `owner`: a method, a property holding a function, or a name of one. */
export function implementMember(
  owner: Candidate,
  declaration: ts.Node,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  const sf = declaration.getSourceFile();
  if (sf.isDeclarationFile || sf.fileName.split('/').includes('node_modules')) {
    keepOwner(owner, 'implemented-by-unowned-code', `${describeAt(owner, declaration)} (inherited or implemented outside the repo)`);
    return;
  }
  if (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration)) {
    implement(owner, declaration, declaration, index, checker, isTransformable, groups);
  } else if (ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) {
    if (declaration.initializer !== undefined) implement(owner, declaration.initializer, declaration, index, checker, isTransformable, groups);
    else if (ts.isPropertyDeclaration(declaration) && declaration.type !== undefined && ts.isFunctionTypeNode(declaration.type)) {
      implement(owner, declaration.type, declaration, index, checker, isTransformable, groups);
    }
  } else if (ts.isShorthandPropertyAssignment(declaration)) {
    implement(owner, declaration.name, declaration, index, checker, isTransformable, groups);
  } else if (ts.isPropertySignature(declaration) && declaration.type !== undefined && ts.isFunctionTypeNode(declaration.type)) {
    implement(owner, declaration.type, declaration, index, checker, isTransformable, groups);
  }
}

/** `value` implements `owner`: link it when it threads the same keys, describe it when it names them otherwise, keep the group when it cannot change. */
export function implement(
  owner: Candidate,
  value: ts.Node,
  site: ts.Node,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  const fn = functionOf(value, checker, groups);
  if (fn === undefined) {
    keepOwner(owner, 'implementation-not-rewritable', `${describeAt(owner, site)} is not a function the repo declares`);
    return;
  }
  if (fn === owner.node || fn === NO_PARAMETERS) return;
  const fnFile = path.resolve(fn.getSourceFile().fileName);
  if (fn.getSourceFile().isDeclarationFile || fnFile.split(path.sep).includes('node_modules')) {
    keepOwner(owner, 'implemented-by-unowned-code', describeAt(owner, fn));
    return;
  }
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    if (value === fn) groups.implementingFunctions.add(fn);
  }
  // Where the implementation reads each of the signature's threaded arguments.
  const thisOffset = (f: FunctionLike): number =>
    f.parameters[0] !== undefined && ts.isIdentifier(f.parameters[0].name) && f.parameters[0].name.text === 'this' ? 1 : 0;
  const keyAt = new Map<number, string>();
  for (const param of owner.info.params) {
    if (param.shape !== 'positional') {
      keepOwner(owner, 'implementation-not-rewritable', `${describeAt(owner, fn)}: a destructured key leaves signatures only where every implementation destructures it too`);
      continue;
    }
    const position = param.argumentIndex + thisOffset(fn);
    const parameter = fn.parameters[position];
    // An implementation that declares fewer parameters never reads that argument: it stays as it is.
    if (parameter === undefined) continue;
    if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken !== undefined) {
      keepOwner(owner, 'implementation-not-rewritable', `${describeAt(owner, fn)} takes that argument as ${parameter.name.getText()}`);
      return;
    }
    keyAt.set(position, param.key);
  }
  if (keyAt.size === 0) return;
  let candidate = index.byNode.get(fn);
  if (candidate === undefined) {
    if (!isTransformable(fnFile)) {
      keepOwner(owner, 'implementation-not-rewritable', `${describeAt(owner, fn)} is in a file this run does not change`);
      return;
    }
    candidate = describeImplementation(fn, keyAt, checker, index);
    if (candidate === undefined) return;
  } else {
    const same = [...keyAt].every(([position, key]) => candidate!.info.params.some((p) => p.index === position && p.key === key));
    if (!same) {
      keepOwner(owner, 'implementation-not-rewritable', `${describeAt(owner, fn)} threads other parameters at those positions`);
      link(owner, candidate);
      return;
    }
  }
  link(owner, candidate);
}

/** Calls that make a test double, whose first argument (if any) is its implementation. */
const MOCK_FACTORIES = new Set(['jest.fn', 'vi.fn', 'sinon.fake', 'sinon.stub', 'mock.fn']);

/** Chained calls that configure a double; the `Implementation` ones give it a body. */
const IMPLEMENTATIONS = new Set(['mockImplementation', 'mockImplementationOnce', 'callsFake', 'implementation']);

/**
 * The implementations a test double is given (`jest.fn(impl)`, `vi.fn().mockImplementation(impl)`), or
 * undefined when the expression is not a double; `jest.fn().mockResolvedValue(x)` has none.
 */
function testDouble(expression: ts.Expression): ts.Expression[] | undefined {
  const implementations: ts.Expression[] = [];
  let current = expression;
  while (ts.isCallExpression(current)) {
    const callee = current.expression;
    if (MOCK_FACTORIES.has(callee.getText())) {
      if (current.arguments[0] !== undefined) implementations.push(current.arguments[0]);
      return implementations;
    }
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (IMPLEMENTATIONS.has(callee.name.text) && current.arguments[0] !== undefined) implementations.push(current.arguments[0]);
    current = callee.expression;
  }
  return undefined;
}

/** A double without an implementation reads no argument: nothing of it changes. */
const NO_PARAMETERS = 'no-parameters' as const;

/** The function a member's value is: written there, or named there (`{ userExists }`, `handle: handleImpl`). */
function functionOf(value: ts.Node, checker: ts.TypeChecker, groups: SignatureGroups): FunctionLike | typeof NO_PARAMETERS | undefined {
  if (isFunctionLike(value)) return value;
  if (ts.isFunctionTypeNode(value)) return value;
  if (!ts.isExpression(value)) return undefined;
  const inner = skipParentheses(value);
  if (isFunctionLike(inner)) return inner;
  const double = testDouble(inner);
  if (double !== undefined) {
    // A test double: its implementation, if it has one, is the function that changes with the signature.
    if (double.length === 0) return NO_PARAMETERS;
    const implementation = double.length === 1 ? skipParentheses(double[0]!) : undefined;
    if (implementation !== undefined && (ts.isArrowFunction(implementation) || ts.isFunctionExpression(implementation))) {
      groups.implementingFunctions.add(implementation);
      return implementation;
    }
    return undefined;
  }
  if (!ts.isIdentifier(inner)) return undefined;
  const parent = inner.parent;
  let symbol = ts.isShorthandPropertyAssignment(parent) ? checker.getShorthandAssignmentValueSymbol(parent) : checker.getSymbolAtLocation(inner);
  if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declarations = symbol?.declarations ?? [];
  if (declarations.length !== 1) return undefined;
  const declaration = declarations[0]!;
  let fn: FunctionLike | undefined;
  if (ts.isFunctionDeclaration(declaration)) fn = declaration;
  else if (ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
    const initializer = skipParentheses(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) fn = initializer;
    // `const sendEmail = jest.fn()` named in a mock factory: the double it holds.
    else if (testDouble(initializer) !== undefined) return functionOf(initializer, checker, groups);
  }
  if (fn !== undefined) groups.implementingNames.add(inner);
  return fn;
}

export function describeAt(owner: Candidate, node: ts.Node): string {
  const sf = node.getSourceFile();
  return `${path.relative(path.dirname(owner.info.file), sf.fileName) || path.basename(sf.fileName)}:${lineOf(sf, node.getStart(sf))}`;
}

export function keepOwner(owner: Candidate, reason: Keep['reason'], detail: string): void {
  if (owner.info.keeps.some((k) => k.reason === reason)) return;
  owner.info.keeps.push({ reason, at: { file: owner.info.file, line: owner.info.line }, detail });
}

export function link(a: Candidate, b: Candidate): void {
  if (!a.info.linked.includes(b.info.id)) a.info.linked.push(b.info.id);
  if (!b.info.linked.includes(a.info.id)) b.info.linked.push(a.info.id);
}
