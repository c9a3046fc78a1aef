// Reasons a function keeps its parameter that its own declaration shows: generators, overloads, a
// signature it implements or overrides (linked when the repo owns it, kept when it does not), a type
// annotation it must match, or being written inline where only its receiver calls it.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Keep } from '../public-types.js';
import type { Candidate, CandidateIndex } from './collect-functions.js';
import { lineOf, propertyNameText } from './syntax.js';

export function addSignatureKeeps(index: CandidateIndex, checker: ts.TypeChecker, implementingFunctions: ReadonlySet<ts.Node> = new Set()): void {
  for (const candidate of [...index.list]) {
    const node = candidate.node;
    const at = { file: candidate.info.file, line: candidate.info.line };
    const keep = (reason: Keep['reason'], detail?: string): void => {
      candidate.info.keeps.push(detail !== undefined ? { reason, at, detail } : { reason, at });
    };
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.asteriskToken !== undefined) {
      keep('generator');
    }
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name !== undefined) {
      const symbol = checker.getSymbolAtLocation(node.name);
      const declarations = symbol?.declarations?.filter((d) => d.kind === node.kind) ?? [];
      if (declarations.length > 1) keep('overloads');
    }
    const declaredIn = signatureOwners(candidate, checker);
    for (const declaration of declaredIn) {
      const owner = index.byNode.get(declaration) ?? index.byDeclaration.get(declaration);
      if (owner !== undefined && owner !== candidate && !owner.sf.isDeclarationFile) {
        link(candidate, owner);
      } else if (owner !== candidate) {
        const sf = declaration.getSourceFile();
        keep('implements-unowned-signature', `${path.relative(path.dirname(candidate.info.file), sf.fileName)}:${lineOf(sf, declaration.getStart(sf))}`);
        break;
      }
    }
    // An inline implementation of a grouped signature is called through that signature only.
    if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && !implementingFunctions.has(node)) {
      const parent = node.parent;
      if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.type !== undefined) {
        keep('typed-by-signature', parent.type.getText(candidate.sf));
      } else if (!ts.isVariableDeclaration(parent) && !ts.isPropertyAssignment(parent) && !ts.isPropertyDeclaration(parent)) {
        // Written inline (a callback): whoever receives it calls it with values the repo does not control.
        keep('used-as-value');
      }
    }
  }
}

function link(a: Candidate, b: Candidate): void {
  if (!a.info.linked.includes(b.info.id)) a.info.linked.push(b.info.id);
  if (!b.info.linked.includes(a.info.id)) b.info.linked.push(a.info.id);
}

/** Declarations of the same member in base classes, implemented interfaces or the object's contextual type. */
export function signatureOwners(candidate: Candidate, checker: ts.TypeChecker): ts.Node[] {
  const node = candidate.node;
  const member: ts.Node = ts.isMethodDeclaration(node) || ts.isMethodSignature(node) ? node : node.parent;
  const name =
    ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isPropertyAssignment(member) || ts.isPropertyDeclaration(member) || ts.isPropertySignature(member)
      ? propertyNameText(member.name)
      : undefined;
  if (name === undefined) return [];
  const container = member.parent;
  const types: ts.Type[] = [];
  // An interface member restates what the interfaces it extends declare (possibly a package's).
  if (ts.isClassLike(container) || ts.isInterfaceDeclaration(container)) {
    for (const clause of container.heritageClauses ?? []) {
      for (const typeNode of clause.types) types.push(checker.getTypeAtLocation(typeNode));
    }
  } else if (ts.isObjectLiteralExpression(container)) {
    const contextual = checker.getContextualType(container);
    if (contextual !== undefined) types.push(contextual);
  }
  const owners: ts.Node[] = [];
  for (const type of types) {
    for (const declaration of type.getProperty(name)?.declarations ?? []) {
      if (ts.isPropertySignature(declaration) && declaration.type !== undefined && ts.isFunctionTypeNode(declaration.type)) {
        owners.push(declaration.type);
      } else owners.push(declaration);
    }
  }
  return owners;
}
