// Whether an identifier names a binding that is assigned after its declaration: a `let` or `var`, a
// parameter or a catch variable that some `=`, compound assignment, `++`/`--` or destructuring
// assignment writes. TypeScript narrows such a binding by its assignments and checks, but not inside a
// closure created where the binding could still change, so an argument naming one cannot move into a
// new `() =>` as it is. Found from syntax: the nearest enclosing scope that declares the name, then any
// write to that name inside it (a write to a shadowing binding counts too: a needless hoist is harmless).
import { ts } from 'ts-morph';

export function isReassignedBinding(identifier: ts.Identifier): boolean {
  const found = declaringScope(identifier);
  return found !== undefined && mayNarrow(found.declaration) && writesName(found.scope, identifier.text);
}

/**
 * Whether the binding's declared type leaves room to narrow: no annotation (the type is inferred, as
 * `Map.get`'s `T | undefined`), a union, `any` or `unknown`. `let service: Service` narrows to nothing.
 */
function mayNarrow(declaration: ts.Node | undefined): boolean {
  const type = declaration !== undefined && (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) && ts.isIdentifier(declaration.name) ? declaration.type : undefined;
  if (type === undefined) return true;
  let node: ts.TypeNode = type;
  while (ts.isParenthesizedTypeNode(node)) node = node.type;
  return ts.isUnionTypeNode(node) || node.kind === ts.SyntaxKind.AnyKeyword || node.kind === ts.SyntaxKind.UnknownKeyword;
}

/**
 * The function, block or file that declares the name as something assignable, with its declaration
 * (none for a `var` found in a nested block), or undefined (a const, an import, a global).
 */
function declaringScope(identifier: ts.Identifier): { scope: ts.Node; declaration?: ts.Node } | undefined {
  const name = identifier.text;
  for (let node: ts.Node = identifier.parent; ; node = node.parent) {
    if (ts.isFunctionLike(node)) {
      const parameter = node.parameters.find((p) => bindsName(p.name, name));
      if (parameter !== undefined) return { scope: node, declaration: parameter };
    }
    if (ts.isCatchClause(node) && node.variableDeclaration !== undefined && bindsName(node.variableDeclaration.name, name)) {
      return { scope: node, declaration: node.variableDeclaration };
    }
    if (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const init = node.initializer;
      const declaration = init !== undefined && ts.isVariableDeclarationList(init) ? init.declarations.find((d) => bindsName(d.name, name)) : undefined;
      if (declaration !== undefined) return isMutable(init as ts.VariableDeclarationList) ? { scope: node, declaration } : undefined;
    }
    if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseBlock(node)) {
      const statements = ts.isCaseBlock(node) ? node.clauses.flatMap((c) => [...c.statements]) : node.statements;
      for (const statement of statements) {
        if (!ts.isVariableStatement(statement)) continue;
        const declaration = statement.declarationList.declarations.find((d) => bindsName(d.name, name));
        if (declaration !== undefined) return isMutable(statement.declarationList) ? { scope: node, declaration } : undefined;
      }
      // `var` is function-scoped: declared in a nested block, it is found by the walk's function level.
      if (ts.isSourceFile(node)) return undefined;
    }
    if (ts.isFunctionLike(node) && hasNestedVar(node, name)) return { scope: node };
    if (ts.isSourceFile(node)) return undefined;
  }
}

function isMutable(list: ts.VariableDeclarationList): boolean {
  return (list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}

/** A `var` of that name anywhere in the function's own body (not in nested functions). */
function hasNestedVar(fn: ts.SignatureDeclaration, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    if (node !== fn && ts.isFunctionLike(node)) return false;
    if (ts.isVariableDeclarationList(node) && isMutable(node) && (node.flags & ts.NodeFlags.BlockScoped) === 0) {
      if (node.declarations.some((d) => bindsName(d.name, name))) return true;
    }
    return node.forEachChild(visit) === true;
  };
  return visit(fn);
}

function writesName(scope: ts.Node, name: string): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment && targetNames(node.left, name)) return true;
    }
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand) && node.operand.text === name) {
      const op = node.operator;
      if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) return true;
    }
    if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer) && targetNames(node.initializer, name)) return true;
    return node.forEachChild(visit) === true;
  };
  return visit(scope);
}

/** Whether an assignment target (an identifier, or an array or object destructuring pattern) writes the name. */
function targetNames(target: ts.Node, name: string): boolean {
  if (ts.isParenthesizedExpression(target)) return targetNames(target.expression, name);
  if (ts.isIdentifier(target)) return target.text === name;
  if (ts.isArrayLiteralExpression(target)) return target.elements.some((e) => targetNames(ts.isSpreadElement(e) ? e.expression : e, name));
  if (ts.isObjectLiteralExpression(target)) {
    return target.properties.some((p) =>
      ts.isShorthandPropertyAssignment(p) ? p.name.text === name
      : ts.isPropertyAssignment(p) ? targetNames(p.initializer, name)
      : ts.isSpreadAssignment(p) ? targetNames(p.expression, name)
      : false,
    );
  }
  if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) return targetNames(target.left, name);
  return false;
}
