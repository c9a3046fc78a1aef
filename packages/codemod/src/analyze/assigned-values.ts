// A value of a class (or of a mock of it) handed to a place typed by an object type
// (`new Page({ people })` where the parameter is `{ people: { find: (config, id) => … } }`, a
// `Pick<Service, 'find'>`, a `.d.ts` type of the repo) makes each of its methods an implementation of
// that type's function-typed member of the same name: callers through the type pass the argument the
// method receives. So the method and the member are one group, found here from where the value flows,
// never from the compiler's verdict (a method with fewer parameters is assignable to the wider member).
import path from 'node:path';
import { ts } from 'ts-morph';
import { describeImplementation, type Candidate, type CandidateIndex } from './collect-functions.js';
import { describeAt, implement, implementMember, keepOwner, link, type SignatureGroups } from './signature-groups.js';
import { propertyNameText, skipParentheses, type FunctionLike } from './syntax.js';

export function groupAssignedValues(
  files: readonly ts.SourceFile[],
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  const names = new Set(index.list.filter((c) => c.info.kind !== 'external').map((c) => c.info.name.split('.').pop() ?? ''));
  if (names.size === 0) return;
  const seen = new Set<string>();
  const statics = staticSideMembers(index);
  const handles = slotHandles(files, names);
  for (const sf of files) {
    if (sf.isDeclarationFile) continue;
    const visit = (node: ts.Node): void => {
      if (handles.names.size > 0) {
        for (const value of valuesAt(node, handles)) compare(value, names, seen, index, checker, isTransformable, groups);
      }
      if (ts.isClassLike(node) && statics.size > 0) joinStaticSide(node, statics, index, checker, isTransformable, groups);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

/**
 * The names a value passes through on its way to a function-typed member named like a threaded
 * function: the member's enclosing properties, type aliases and interfaces (`people`, `Helpers` for
 * `type Helpers = { people: { find: (config, id) => … } }`). Asking the checker where a value goes
 * costs a check of the whole call, so only places spelled with one of these names are asked.
 */
interface Handles {
  names: Set<string>;
  /** Functions, methods and classes (called with `new`) by name, with the positions of their parameters whose type is spelled with a handle. */
  callees: Map<string, Set<number>>;
}

function slotHandles(files: readonly ts.SourceFile[], names: ReadonlySet<string>): Handles {
  const handles: Handles = { names: new Set(), callees: new Map() };
  for (const sf of files) {
    if (sf.fileName.includes('/node_modules/') || ![...names].some((name) => sf.text.includes(name))) continue;
    const visit = (node: ts.Node): void => {
      const member = ts.isMethodSignature(node) || (ts.isPropertySignature(node) && node.type !== undefined && ts.isFunctionTypeNode(node.type));
      if (member && node.name !== undefined && names.has(propertyNameText(node.name) ?? '')) {
        for (let up: ts.Node = node.parent; !ts.isSourceFile(up); up = up.parent) {
          if ((ts.isPropertySignature(up) || ts.isInterfaceDeclaration(up) || ts.isTypeAliasDeclaration(up)) && ts.isIdentifier(up.name)) handles.names.add(up.name.text);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  if (handles.names.size === 0) return handles;
  // By name only: resolving each call's callee would check the whole program.
  for (const sf of files) {
    if (sf.fileName.includes('/node_modules/') || ![...handles.names].some((name) => sf.text.includes(name))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isParameter(node) && node.type !== undefined && [...handles.names].some((h) => node.type!.getText().includes(h))) {
        const fn = node.parent;
        const name = ts.isConstructorDeclaration(fn) ? fn.parent.name : 'name' in fn ? fn.name : ts.isVariableDeclaration(fn.parent) ? fn.parent.name : undefined;
        if (name !== undefined && ts.isIdentifier(name)) {
          const positions = handles.callees.get(name.text) ?? new Set<number>();
          positions.add(fn.parameters.indexOf(node));
          handles.callees.set(name.text, positions);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return handles;
}

/** Expressions whose value goes to a place whose declared type is spelled with a handle. */
function valuesAt(node: ts.Node, handles: Handles): ts.Expression[] {
  const spelled = (type: ts.TypeNode | undefined): boolean => type !== undefined && [...handles.names].some((h) => type.getText().includes(h));
  if (ts.isShorthandPropertyAssignment(node)) return handles.names.has(node.name.text) ? [node.name] : [];
  if (ts.isPropertyAssignment(node)) return handles.names.has(propertyNameText(node.name) ?? '') ? [node.initializer] : [];
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments !== undefined && node.arguments.length > 0) {
    const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
    const positions = ts.isIdentifier(callee) ? handles.callees.get(callee.text) : undefined;
    return positions === undefined ? [] : node.arguments.filter((_, i) => positions.has(i));
  }
  if (ts.isVariableDeclaration(node) && node.initializer !== undefined) return spelled(node.type) ? [node.initializer] : [];
  if (ts.isReturnStatement(node) && node.expression !== undefined) {
    let fn: ts.Node = node.parent;
    while (!ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
    return ts.isFunctionLike(fn) && spelled(fn.type) ? [node.expression] : [];
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return ts.isPropertyAccessExpression(node.left) && handles.names.has(node.left.name.text) ? [node.right] : [];
  }
  return [];
}

function compare(
  value: ts.Expression,
  names: ReadonlySet<string>,
  seen: Set<string>,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  // Only a value that names an object can carry methods (object and function literals are matched to
  // their type where they are written, in signature-groups). Asking the cheap question first (does the
  // value's own type have a threaded method?) spares the contextual type, which checks the whole call.
  if (!mayHoldObject(skipParentheses(value))) return;
  const source = checker.getNonNullableType(checker.getTypeAtLocation(value));
  const implementations = new Map<string, { declaration: ts.Node; candidate: Candidate }[]>();
  for (const property of source.getProperties()) {
    if (!names.has(property.name)) continue;
    for (const declaration of property.declarations ?? []) {
      const candidate = index.byDeclaration.get(declaration) ?? index.byNode.get(declaration);
      if (candidate === undefined || candidate.info.kind === 'external') continue;
      implementations.set(property.name, [...(implementations.get(property.name) ?? []), { declaration, candidate }]);
    }
  }
  if (implementations.size === 0) return;
  const contextual = checker.getContextualType(value);
  if (contextual === undefined) return;
  const target = checker.getNonNullableType(contextual);
  if (source === target || target.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  for (const [name, found] of implementations) {
    const property = target.getProperty(name);
    const members = (property?.declarations ?? []).map(signatureOf).filter((m): m is FunctionLike => m !== undefined);
    if (members.length === 0) continue;
    for (const { declaration, candidate: implementation } of found) {
      for (const member of members) {
        const key = `${implementation.info.id}>${member.pos}:${member.getSourceFile().fileName}`;
        if (seen.has(key)) continue;
        seen.add(key);
        joinMember(implementation, declaration, member, value, index, checker, isTransformable, groups);
      }
    }
  }
}

/** Expressions that may evaluate to an instance or a class: names, property reads, `new`, calls, casts. */
function mayHoldObject(node: ts.Expression): boolean {
  if (ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) {
    return mayHoldObject(skipParentheses(node.expression));
  }
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isNewExpression(node) || ts.isCallExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword;
}

/** The function a member of an object type declares: a method signature, or the function type of a property. */
function signatureOf(declaration: ts.Declaration): FunctionLike | undefined {
  if (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if ((ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.type !== undefined && ts.isFunctionTypeNode(declaration.type)) {
    return declaration.type;
  }
  return undefined;
}

/** `implementation` (declared at `declaration`) is assigned where `member` types it: one group. */
function joinMember(
  implementation: Candidate,
  declaration: ts.Node,
  member: FunctionLike,
  site: ts.Node,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  if (member === implementation.node) return;
  const owner = index.byNode.get(member) ?? index.byDeclaration.get(ts.isFunctionTypeNode(member) ? member.parent : member);
  if (owner === implementation) return;
  // The member threads the parameter too (by the same name): the implementation joins it as any other.
  if (owner !== undefined && owner.info.kind !== 'external') {
    implementMember(owner, declaration, index, checker, isTransformable, groups);
    return;
  }
  const sf = member.getSourceFile();
  const file = path.resolve(sf.fileName);
  if (file.split(path.sep).includes('node_modules')) {
    keepOwner(implementation, 'implemented-by-unowned-code', `${describeAt(implementation, site)} hands it to a type declared outside the repo`);
    return;
  }
  if (!sf.isDeclarationFile) {
    // A member naming the parameter otherwise (`(config: CallConfig) => …`) is described with the implementation's keys.
    implement(implementation, member, site, index, checker, isTransformable, groups);
    return;
  }
  // A type of the repo's own `.d.ts`: described like the file's other members, it keeps as they do, and
  // the implementation with it (one group, one reason).
  const keyAt = new Map<number, string>();
  for (const param of implementation.info.params) {
    const parameter = member.parameters[param.argumentIndex];
    if (param.shape === 'positional' && parameter !== undefined && ts.isIdentifier(parameter.name) && parameter.dotDotDotToken === undefined) {
      keyAt.set(param.argumentIndex, param.key);
    }
  }
  if (keyAt.size === 0) return;
  const described = describeImplementation(member, keyAt, checker, index);
  if (described !== undefined) link(implementation, described);
}

/**
 * Members of the repo's interfaces that describe a class's static side (the interface also holds a
 * construct signature, `new (body) => Page`), by name. Classes reach such a type through registries
 * the checker cannot follow (decorator metadata, `as unknown as`), so every class's static method of
 * that name is taken as an implementation.
 */
function staticSideMembers(index: CandidateIndex): Map<string, Candidate[]> {
  const byName = new Map<string, Candidate[]>();
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external' || candidate.sf.isDeclarationFile) continue;
    const node = candidate.node;
    const member = ts.isMethodSignature(node) ? node : ts.isFunctionTypeNode(node) && ts.isPropertySignature(node.parent) ? node.parent : undefined;
    if (member === undefined || member.name === undefined || !ts.isIdentifier(member.name)) continue;
    const container = member.parent;
    if (!(ts.isInterfaceDeclaration(container) || ts.isTypeLiteralNode(container))) continue;
    if (!container.members.some((m) => ts.isConstructSignatureDeclaration(m))) continue;
    byName.set(member.name.text, [...(byName.get(member.name.text) ?? []), candidate]);
  }
  return byName;
}

function joinStaticSide(
  node: ts.ClassLikeDeclaration,
  statics: ReadonlyMap<string, Candidate[]>,
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  groups: SignatureGroups,
): void {
  for (const member of node.members) {
    if (!ts.isMethodDeclaration(member) || member.body === undefined || !ts.isIdentifier(member.name)) continue;
    if (!ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
    for (const owner of statics.get(member.name.text) ?? []) implementMember(owner, member, index, checker, isTransformable, groups);
  }
}
