// What a threaded parameter's type is, read the way the project's own compiler options read it: the
// declared type as text the context module can write again (with the names it must import and from
// where), the checker's type to compare parameters with, and whether `undefined` was a legal value
// (then the body reads the context with `tryGet`, which cannot throw where the parameter held nothing).
import path from 'node:path';
import { ts } from 'ts-morph';
import type { KeyType, TypeModule, TypeReference } from '../types.js';
import { admitsUndefined, needsParentheses } from './context-module.js';

export interface ParamType {
  /** The declared type, portable to the context module; absent when the parameter declares none. */
  type?: KeyType;
  /** Why the declared type cannot be named from another module (a type parameter, a type the file does not export). */
  unnameable?: string;
  /**
   * The type without `undefined`/`null`, to tell which parameters hold the same kind of value; absent
   * when untyped (`any`). Set without `type` when the type is inferred (a callback's contextual type).
   */
  checkerType?: ts.Type;
  /** `undefined` was a legal value: optional, a type that admits it, or a project without strictNullChecks. */
  mayBeUndefined: boolean;
  /** Declared with `?` (or an optional property): the context's shape says `?` too. */
  declaredOptional: boolean;
}

export interface TypeReading {
  checker: ts.TypeChecker;
  strictNullChecks: boolean;
  /** JavaScript files are type-checked (`checkJs`): without it nothing holds a caller to a JSDoc type. */
  checkJs: boolean;
  /** Whether relative imports in a file carry `.js` (its own style), to import a type the file declares. */
  jsExtensionIn: (file: string) => boolean;
}

/** A positional parameter: its annotation (or JSDoc `@param {T}` in JavaScript). */
export function readPositionalType(parameter: ts.ParameterDeclaration, reading: TypeReading): ParamType {
  const declaredOptional = parameter.questionToken !== undefined;
  const full = reading.checker.getTypeAtLocation(parameter.name);
  const typeNode = parameter.type ?? (isJavaScript(parameter.getSourceFile()) ? ts.getJSDocType(parameter) : undefined);
  return describeType(typeNode, full, declaredOptional || parameter.initializer !== undefined, declaredOptional, unchecked(parameter, reading));
}

/** In a JavaScript file the compiler does not check, a caller may pass anything, `undefined` too. */
function unchecked(node: ts.Node, reading: TypeReading): TypeReading {
  return isJavaScript(node.getSourceFile()) && !reading.checkJs ? { ...reading, strictNullChecks: false } : reading;
}

/**
 * A key destructured from an options parameter: the property of the parameter's type, found by the
 * checker, so intersections (`{ requestId?: string } & Tracking`), aliases and `Pick<>` are read as
 * the compiler reads them.
 */
export function readPropertyType(parameter: ts.ParameterDeclaration, key: string, hasDefault: boolean, reading: TypeReading): ParamType {
  const { checker } = reading;
  const objectType = checker.getNonNullableType(checker.getTypeAtLocation(parameter.name));
  const property = checker.getPropertyOfType(objectType, key);
  if (property === undefined) return { mayBeUndefined: true, declaredOptional: false };
  const declaredOptional = (property.flags & ts.SymbolFlags.Optional) !== 0;
  const full = checker.getTypeOfSymbolAtLocation(property, parameter);
  const declaration = property.valueDeclaration ?? property.declarations?.[0];
  const typeNode =
    declaration !== undefined && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) ? declaration.type : undefined;
  return describeType(typeNode, full, declaredOptional || hasDefault, declaredOptional, unchecked(parameter, reading));
}

function describeType(
  typeNode: ts.TypeNode | undefined,
  full: ts.Type,
  optional: boolean,
  declaredOptional: boolean,
  reading: TypeReading,
): ParamType {
  const { checker } = reading;
  const untyped = (full.flags & ts.TypeFlags.Any) !== 0 && typeNode === undefined;
  const mayBeUndefined = !reading.strictNullChecks || optional || typeAdmitsUndefined(full);
  const result: ParamType = { mayBeUndefined, declaredOptional };
  if (untyped) return result;
  const checkerType = checker.getNonNullableType(full);
  result.checkerType = checkerType;
  const display = checker.typeToString(checkerType, undefined, ts.TypeFormatFlags.NoTruncation);
  if (typeNode === undefined) {
    // Inferred (a property of a mapped type, say): only a primitive can be written without its declaration.
    const primitive = ts.TypeFlags.String | ts.TypeFlags.Number | ts.TypeFlags.Boolean | ts.TypeFlags.BigInt;
    if ((checkerType.flags & primitive) !== 0) {
      result.type = { text: display, references: [], display, admitsUndefined: false, needsParentheses: false };
    }
    return result;
  }
  const portable = portableType(typeNode, reading);
  if (typeof portable === 'string') result.unnameable = portable;
  else result.type = { ...portable, display };
  return result;
}

function typeAdmitsUndefined(type: ts.Type): boolean {
  const open = ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown;
  if ((type.flags & open) !== 0) return true;
  return type.isUnion() && type.types.some((t) => (t.flags & open) !== 0);
}

function isJavaScript(sf: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/.test(sf.fileName);
}

/**
 * The type node's text and every name in it that is declared in another module (imported into the
 * declaring file, or exported by it), or a string explaining why a name cannot be reached from there.
 */
function portableType(typeNode: ts.TypeNode, reading: TypeReading): Omit<KeyType, 'display'> | string {
  const sf = typeNode.getSourceFile();
  const start = typeNode.getStart(sf);
  const text = sf.text.slice(start, typeNode.end);
  const references: TypeReference[] = [];
  let problem: string | undefined;
  const dir = path.dirname(path.resolve(sf.fileName));

  const reference = (leftmost: ts.Identifier): void => {
    const found = referenceTo(leftmost, typeNode, sf, dir, reading);
    if (typeof found === 'string') problem ??= found;
    else if (found !== undefined) references.push({ ...found, start: leftmost.getStart(sf) - start, end: leftmost.end - start });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) reference(leftmostOfEntity(node.typeName));
    else if (ts.isTypeQueryNode(node)) reference(leftmostOfEntity(node.exprName));
    else if (ts.isExpressionWithTypeArguments(node)) {
      const leftmost = leftmostOfExpression(node.expression);
      if (leftmost !== undefined) reference(leftmost);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal) && argument.literal.text.startsWith('.')) {
        const literal = argument.literal;
        references.push({
          kind: 'specifier',
          module: { specifier: literal.text, relativeTo: dir },
          start: literal.getStart(sf) + 1 - start,
          end: literal.end - 1 - start,
        });
      }
    } else if (node.kind === ts.SyntaxKind.ThisType) problem ??= '`this` names the enclosing class';
    ts.forEachChild(node, visit);
  };
  visit(typeNode);
  if (problem !== undefined) return problem;
  return { text, references, admitsUndefined: admitsUndefined(typeNode), needsParentheses: needsParentheses(typeNode) };
}

function leftmostOfEntity(name: ts.EntityName): ts.Identifier {
  let current = name;
  while (ts.isQualifiedName(current)) current = current.left;
  return current;
}

function leftmostOfExpression(expression: ts.Expression): ts.Identifier | undefined {
  let current = expression;
  while (ts.isPropertyAccessExpression(current)) current = current.expression;
  return ts.isIdentifier(current) ? current : undefined;
}

type Found = { kind: 'named' | 'default' | 'namespace'; module: TypeModule; name: string };

/** Where the context module imports a name from; undefined for a global (lib, `@types`, a script); a string when it cannot. */
function referenceTo(name: ts.Identifier, typeNode: ts.TypeNode, sf: ts.SourceFile, dir: string, reading: TypeReading): Found | undefined | string {
  const { checker } = reading;
  const symbol = checker.getSymbolAtLocation(name);
  if (symbol === undefined) return `cannot resolve \`${name.text}\``;
  const moduleOf = (specifier: string): TypeModule => (specifier.startsWith('.') ? { specifier, relativeTo: dir } : { specifier });
  if (symbol.flags & ts.SymbolFlags.Alias) {
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined) return `cannot resolve \`${name.text}\``;
    if (ts.isImportSpecifier(declaration)) {
      const specifier = declaration.parent.parent.parent.moduleSpecifier;
      if (!ts.isStringLiteral(specifier)) return `cannot resolve \`${name.text}\``;
      return { kind: 'named', module: moduleOf(specifier.text), name: (declaration.propertyName ?? declaration.name).text };
    }
    if (ts.isImportClause(declaration) && ts.isStringLiteral(declaration.parent.moduleSpecifier)) {
      return { kind: 'default', module: moduleOf(declaration.parent.moduleSpecifier.text), name: name.text };
    }
    if (ts.isNamespaceImport(declaration) && ts.isStringLiteral(declaration.parent.parent.moduleSpecifier)) {
      return { kind: 'namespace', module: moduleOf(declaration.parent.parent.moduleSpecifier.text), name: name.text };
    }
    if (ts.isImportEqualsDeclaration(declaration) && ts.isExternalModuleReference(declaration.moduleReference)) {
      const expression = declaration.moduleReference.expression;
      if (ts.isStringLiteral(expression)) return { kind: 'namespace', module: moduleOf(expression.text), name: name.text };
    }
    // JavaScript: `const pino = require('pino')`, `const { Logger } = require('./log')`.
    const required = requiredFrom(declaration);
    if (required !== undefined) return { ...required, module: moduleOf(required.specifier) };
    return `\`${name.text}\` is an alias the context module cannot import`;
  }
  const declarations = symbol.declarations ?? [];
  if (symbol.flags & ts.SymbolFlags.TypeParameter) {
    // A type parameter declared inside the type itself (`{ [K in keyof T]: … }`, `infer U`) travels with it.
    const inside = declarations.every((d) => d.getSourceFile() === sf && d.pos >= typeNode.pos && d.end <= typeNode.end);
    return inside ? undefined : `\`${name.text}\` is a type parameter: each call may pass another type`;
  }
  if (!declarations.some((d) => d.getSourceFile() === sf)) return undefined;
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (moduleSymbol === undefined) return undefined; // A script: its declarations are global.
  const exportSymbol = checker.getExportSymbolOfSymbol(symbol);
  const exported = checker
    .getExportsOfModule(moduleSymbol)
    .find((e) => e === symbol || e === exportSymbol || (e.flags & ts.SymbolFlags.Alias && checker.getAliasedSymbol(e) === symbol));
  if (exported === undefined) return `\`${name.text}\` is not exported from ${path.basename(sf.fileName)}`;
  const base = path.basename(sf.fileName).replace(/(\.d)?\.([cm]?)[jt]sx?$/, '');
  const extension = reading.jsExtensionIn(path.resolve(sf.fileName)) ? (/\.[cm]ts$/.test(sf.fileName) ? `.${sf.fileName.slice(-3, -2)}js` : '.js') : '';
  return { kind: 'named', module: { specifier: `./${base}${extension}`, relativeTo: dir }, name: exported.name };
}

function requiredFrom(declaration: ts.Declaration): { kind: 'named' | 'namespace'; specifier: string; name: string } | undefined {
  const requireOf = (node: ts.Expression | undefined): string | undefined =>
    node !== undefined &&
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments[0] !== undefined &&
    ts.isStringLiteral(node.arguments[0])
      ? node.arguments[0].text
      : undefined;
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name)) {
    const specifier = requireOf(declaration.initializer);
    return specifier !== undefined ? { kind: 'namespace', specifier, name: declaration.name.text } : undefined;
  }
  if (ts.isBindingElement(declaration) && ts.isVariableDeclaration(declaration.parent.parent)) {
    const specifier = requireOf(declaration.parent.parent.initializer);
    const property = declaration.propertyName ?? declaration.name;
    if (specifier !== undefined && ts.isIdentifier(property)) return { kind: 'named', specifier, name: property.text };
  }
  return undefined;
}
