// What a Nest parameter decorator gives a controller method, written as code that computes it from the
// execution context Nest hands the decorator: `@Req()` is the request, `@Headers('x-request-id')` one
// of its headers, and a `createParamDecorator(factory)` of the repo is its factory's body. The body
// is copied, so everything it names must be importable where the copy goes; a factory that reads its
// `data` argument, returns early, or names a local of its file that is not exported is not copied.
import path from 'node:path';
import { ts } from 'ts-morph';

/** A decorator's value as code over the execution context named `execution`. */
export interface ParamValue {
  /** The expression of the value; for a block factory, over the locals its `statements` declare. */
  expression: (execution: string) => string;
  /** A block factory's statements before its `return`, with the execution context named as the factory named it. */
  block?: { execution: string; statements: string; indent: string };
  /** Names the copied code needs, and where they come from (a package, or an absolute file path). */
  imports: NeededImport[];
  /** How the report names the decorator: `@ReqContext()`. */
  label: string;
}

export interface NeededImport {
  name: string;
  /** `named`: `{ name }`; `default`: `name`; `namespace`: `* as name`. */
  kind: 'named' | 'default' | 'namespace';
  /** The exported name for `named` (differs from `name` after `as`). */
  exported: string;
  /** A package specifier, or the absolute path of a file (without extension). */
  from: { package: string } | { file: string };
  /** Only named in types (`getRequest<HttpRequest>()`): imported with `type`. */
  typeOnly: boolean;
}

/** Nest's own request decorators and the member of the request each reads (`''`: the request itself). */
const NEST_REQUEST_MEMBERS: Record<string, string> = {
  Req: '',
  Request: '',
  Headers: 'headers',
  Ip: 'ip',
  Param: 'params',
  Query: 'query',
};

/** The value, or why it cannot be reproduced outside the decorator. */
/** `avoid`: names the copy must not declare (the context's, where it goes). */
export function paramValue(decorator: ts.Decorator, checker: ts.TypeChecker, avoid: readonly string[] = []): ParamValue | { problem: string } {
  const label = decorator.getText();
  const call = decorator.expression;
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return { problem: `${label} is not a decorator call the codemod can follow` };
  const target = aliasedDeclaration(call.expression, checker);
  if (target === undefined) return { problem: `${label} cannot be resolved to its declaration` };
  const fromNest = target.getSourceFile().fileName.includes('/@nestjs/common/');
  if (fromNest) return nestDecoratorValue(call, declarationName(target), label);
  if (!ts.isVariableDeclaration(target) || target.initializer === undefined || !ts.isCallExpression(target.initializer)) {
    return { problem: `${label} is not made by createParamDecorator` };
  }
  const maker = target.initializer;
  const made = ts.isIdentifier(maker.expression) ? aliasedDeclaration(maker.expression, checker) : undefined;
  const madeName = made === undefined ? undefined : declarationName(made);
  if (made === undefined || !made.getSourceFile().fileName.includes('/@nestjs/common/') || madeName !== 'createParamDecorator') {
    return { problem: `${label} is not made by createParamDecorator` };
  }
  const factory = maker.arguments[0];
  if (factory === undefined || (!ts.isArrowFunction(factory) && !ts.isFunctionExpression(factory))) return { problem: `${label}'s factory is not a function written in place` };
  return factoryValue(factory, call, label, checker, avoid);
}

function declarationName(declaration: ts.Declaration): string | undefined {
  const name = (declaration as { name?: ts.Node }).name;
  return name !== undefined && ts.isIdentifier(name) ? name.text : undefined;
}

function nestDecoratorValue(call: ts.CallExpression, name: string | undefined, label: string): ParamValue | { problem: string } {
  const member = name === undefined ? undefined : NEST_REQUEST_MEMBERS[name];
  if (member === undefined) return { problem: `${label} is not one of Nest's request decorators` };
  const [first, ...rest] = call.arguments;
  // A pipe after the property (`@Param('id', ParseIntPipe)`) transforms the value: the context would hold another one.
  if (rest.length > 0 || (first !== undefined && !ts.isStringLiteralLike(first))) return { problem: `${label} passes its value through a pipe` };
  if (first !== undefined && member === '') return { problem: `${label} takes an argument the codemod does not know` };
  // Nest looks headers up in lower case, as Node stores them.
  const key = first === undefined ? undefined : name === 'Headers' ? first.text.toLowerCase() : first.text;
  const read = (execution: string): string =>
    `${execution}.switchToHttp().getRequest()${member === '' ? '' : `.${member}`}${key === undefined ? '' : `[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`}`;
  return { expression: read, imports: [], label };
}

function factoryValue(factory: ts.ArrowFunction | ts.FunctionExpression, call: ts.CallExpression, label: string, checker: ts.TypeChecker, avoid: readonly string[]): ParamValue | { problem: string } {
  const [dataParam, executionParam, ...more] = factory.parameters;
  if (more.length > 0 || factory.asteriskToken !== undefined || (factory.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
    return { problem: `${label}'s factory is not a plain (data, execution) function` };
  }
  if (dataParam !== undefined && (!ts.isIdentifier(dataParam.name) || readsSymbol(factory.body, dataParam.name, checker))) {
    return { problem: `${label}'s factory reads its data argument${call.arguments.length > 0 ? ` (${call.arguments.map((a) => a.getText()).join(', ')})` : ''}` };
  }
  if (executionParam !== undefined && !ts.isIdentifier(executionParam.name)) return { problem: `${label}'s factory destructures the execution context` };
  const executionName = executionParam?.name as ts.Identifier | undefined;
  const imports = neededImports(factory, checker);
  if ('problem' in imports) return { problem: `${label}'s factory ${imports.problem}` };
  const sf = factory.getSourceFile();
  const body = factory.body;
  /** The text from `start` to `end` with the identifiers of `renames`' symbols renamed. */
  const renamed = (from: number, to: number, renames: Map<ts.Symbol, string>): string => {
    const spots: { at: number; length: number; name: string }[] = [];
    const visit = (child: ts.Node): void => {
      if (child.end <= from || child.getStart(sf) >= to) return;
      const symbol = ts.isIdentifier(child) ? checker.getSymbolAtLocation(child) : undefined;
      const name = symbol === undefined ? undefined : renames.get(symbol);
      if (name !== undefined) spots.push({ at: child.getStart(sf), length: child.getWidth(sf), name });
      ts.forEachChild(child, visit);
    };
    visit(body);
    let text = sf.text.slice(from, to);
    for (const spot of spots.sort((a, b) => b.at - a.at)) text = text.slice(0, spot.at - from) + spot.name + text.slice(spot.at - from + spot.length);
    return text;
  };
  const executionSymbol = executionName === undefined ? undefined : checker.getSymbolAtLocation(executionName);
  if (!ts.isBlock(body)) {
    const expression = (execution: string): string =>
      renamed(body.getStart(sf), body.end, new Map<ts.Symbol, string>(executionSymbol === undefined ? [] : [[executionSymbol, execution]]));
    return { expression, imports: imports.list, label };
  }
  const last = body.statements[body.statements.length - 1];
  if (last === undefined || !ts.isReturnStatement(last) || last.expression === undefined) return { problem: `${label}'s factory does not end in a return of its value` };
  if (body.statements.slice(0, -1).some((s) => returnsFrom(s))) return { problem: `${label}'s factory returns in more than one place` };
  const execution = executionName?.text ?? 'execution';
  // A local named as the context would hide it where the copy goes: `request` becomes `httpRequest`.
  const renames = new Map<ts.Symbol, string>();
  for (const local of declaredNames(body)) {
    const symbol = checker.getSymbolAtLocation(local);
    if (symbol !== undefined && avoid.includes(local.text)) renames.set(symbol, `http${local.text[0]!.toUpperCase()}${local.text.slice(1)}`);
  }
  const first = body.statements[0]!;
  const statements = first === last ? '' : renamed(first.getStart(sf), last.getFullStart(), renames).trimEnd();
  const indent = sf.text.slice(sf.text.lastIndexOf('\n', first.getStart(sf) - 1) + 1, first.getStart(sf));
  const value = last.expression;
  return { expression: () => renamed(value.getStart(sf), value.end, renames), block: { execution, statements, indent }, imports: imports.list, label };
}

/** The identifiers a block declares (variables, destructured names), outside nested functions too. */
function declaredNames(node: ts.Node): ts.Identifier[] {
  const names: ts.Identifier[] = [];
  const visit = (child: ts.Node): void => {
    if ((ts.isVariableDeclaration(child) || ts.isBindingElement(child)) && ts.isIdentifier(child.name)) names.push(child.name);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

function readsSymbol(node: ts.Node, name: ts.Identifier, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(name);
  const visit = (child: ts.Node): boolean => (ts.isIdentifier(child) && child !== name && checker.getSymbolAtLocation(child) === symbol) || (ts.forEachChild(child, visit) ?? false);
  return visit(node);
}

function returnsFrom(node: ts.Node): boolean {
  if (ts.isReturnStatement(node)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, returnsFrom) ?? false;
}

/**
 * The names the factory's body takes from outside it, as imports: its file's own imports again, or
 * its file's exported declarations. Globals need none.
 */
function neededImports(factory: ts.ArrowFunction | ts.FunctionExpression, checker: ts.TypeChecker): { list: NeededImport[] } | { problem: string } {
  const sf = factory.getSourceFile();
  const list = new Map<string, NeededImport>();
  let problem: string | undefined;
  const visit = (node: ts.Node): void => {
    if (problem !== undefined) return;
    if (ts.isIdentifier(node) && isReference(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      const declaration = symbol?.declarations?.[0];
      if (declaration !== undefined && declaration.getSourceFile() === sf && !(declaration.pos >= factory.pos && declaration.end <= factory.end)) {
        const needed = importOf(declaration, node.text, sf, inType(node, factory));
        if (needed === undefined) problem = `uses ${node.text}, which its file does not export`;
        else list.set(needed.name, { ...needed, typeOnly: needed.typeOnly && (list.get(needed.name)?.typeOnly ?? true) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(factory.body);
  return problem === undefined ? { list: [...list.values()] } : { problem };
}

function inType(node: ts.Node, within: ts.Node): boolean {
  for (let at = node.parent; at !== within; at = at.parent) if (ts.isTypeNode(at)) return true;
  return false;
}

function importOf(declaration: ts.Declaration, name: string, sf: ts.SourceFile, typeOnly: boolean): NeededImport | undefined {
  const importDeclaration = ts.findAncestor(declaration, ts.isImportDeclaration);
  if (importDeclaration !== undefined && ts.isStringLiteral(importDeclaration.moduleSpecifier)) {
    const specifier = importDeclaration.moduleSpecifier.text;
    const from = specifier.startsWith('.') ? { file: path.resolve(path.dirname(sf.fileName), specifier).replace(/\.[cm]?[jt]sx?$/, '') } : { package: specifier };
    if (ts.isImportSpecifier(declaration)) return { name, kind: 'named', exported: (declaration.propertyName ?? declaration.name).text, from, typeOnly };
    if (ts.isImportClause(declaration)) return { name, kind: 'default', exported: 'default', from, typeOnly };
    if (ts.isNamespaceImport(declaration)) return { name, kind: 'namespace', exported: '*', from, typeOnly };
    return undefined;
  }
  // A top-level declaration of the factory's file, exported: imported from that file.
  const statement = ts.findAncestor(declaration, (n) => n.parent === sf) as ts.Statement | undefined;
  const exported = statement !== undefined && ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (!exported) return undefined;
  return { name, kind: 'named', exported: name, from: { file: sf.fileName.replace(/\.[cm]?[jt]sx?$/, '') }, typeOnly };
}

/** An identifier that names a binding (not a property name after `.`, nor a key). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && (parent as ts.PropertyAccessExpression).name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  return true;
}

/** The declaration an identifier finally names, through imports. */
function aliasedDeclaration(identifier: ts.Identifier, checker: ts.TypeChecker): ts.Declaration | undefined {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0];
}
