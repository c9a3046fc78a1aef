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
import { skipParentheses, type FunctionLike } from './syntax.js';

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
  for (const sf of files) {
    // No cheap skip by name: the file that hands the value over need not spell the member's name.
    if (sf.isDeclarationFile) continue;
    const visit = (node: ts.Node): void => {
      for (const value of valuesAt(node)) compare(value, names, seen, index, checker, isTransformable, groups);
      if (ts.isClassLike(node) && statics.size > 0) joinStaticSide(node, statics, index, checker, isTransformable, groups);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

/** Expressions whose value goes to a place with a declared type: arguments, properties, typed variables, returns, assignments. */
function valuesAt(node: ts.Node): ts.Expression[] {
  if (ts.isShorthandPropertyAssignment(node)) return [node.name];
  if (ts.isPropertyAssignment(node)) return [node.initializer];
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments !== undefined) return [...node.arguments];
  if (ts.isVariableDeclaration(node) && node.type !== undefined && node.initializer !== undefined) return [node.initializer];
  if (ts.isReturnStatement(node) && node.expression !== undefined) return [node.expression];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) return [node.right];
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
  const inner = skipParentheses(value);
  // Literals of objects and functions are matched to their type where they are written (signature-groups).
  if (ts.isObjectLiteralExpression(inner) || ts.isFunctionLike(inner) || ts.isLiteralExpression(inner) || ts.isSpreadElement(inner)) return;
  const contextual = checker.getContextualType(value);
  if (contextual === undefined) return;
  const target = checker.getNonNullableType(contextual);
  const source = checker.getNonNullableType(checker.getTypeAtLocation(value));
  if (source === target || target.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  for (const property of target.getProperties()) {
    if (!names.has(property.name)) continue;
    const members = (property.declarations ?? []).map(signatureOf).filter((m): m is FunctionLike => m !== undefined);
    if (members.length === 0) continue;
    for (const declaration of source.getProperty(property.name)?.declarations ?? []) {
      const implementation = index.byDeclaration.get(declaration) ?? index.byNode.get(declaration);
      if (implementation === undefined || implementation.info.kind === 'external') continue;
      for (const member of members) {
        const key = `${implementation.info.id}>${member.pos}:${member.getSourceFile().fileName}`;
        if (seen.has(key)) continue;
        seen.add(key);
        joinMember(implementation, declaration, member, value, index, checker, isTransformable, groups);
      }
    }
  }
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
