// Finds every function that declares one of the threaded parameters, with what stripping it needs
// (ranges, the read statement's place, JSDoc lines) and the reasons visible on the function itself.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Keep } from '../public-types.js';
import type { FunctionInfo, ThreadedParam } from '../types.js';
import {
  functionName,
  indentationAt,
  indentUnit,
  isFunctionLike,
  lineOf,
  listRemovalRanges,
  newlineOf,
  propertyNameText,
  type FunctionLike,
} from './syntax.js';

export interface Candidate {
  info: FunctionInfo;
  node: FunctionLike;
  sf: ts.SourceFile;
  /** Symbols of the parameter locals, to recognise reads and threaded arguments. */
  paramSymbols: Map<ts.Symbol, ThreadedParam>;
}

export interface CandidateIndex {
  byNode: Map<ts.Node, Candidate>;
  /** Declarations (function, variable, method, class) that name a candidate, for value uses. */
  byDeclaration: Map<ts.Node, Candidate>;
  byParamSymbol: Map<ts.Symbol, { candidate: Candidate; param: ThreadedParam }>;
  /** Every name a candidate is reachable by, for the cheap pre-filter before asking the checker. */
  names: Set<string>;
  locals: Set<string>;
  list: Candidate[];
  /** Parameter names searched for, each with the context key it holds (`request_id` → `requestId` under an alias). */
  keyOf: ReadonlyMap<string, string>;
}

export function collectCandidates(
  program: ts.Program,
  files: readonly ts.SourceFile[],
  keyOf: ReadonlyMap<string, string>,
  isTransformable: (file: string) => boolean,
): CandidateIndex {
  const checker = program.getTypeChecker();
  const index: CandidateIndex = {
    byNode: new Map(),
    byDeclaration: new Map(),
    byParamSymbol: new Map(),
    names: new Set(),
    locals: new Set(),
    list: [],
    keyOf,
  };
  const names = [...keyOf.keys()];
  for (const sf of files) {
    const file = path.resolve(sf.fileName);
    if (!sf.isDeclarationFile && !isTransformable(file)) continue;
    // Cheap skip: a file that never spells a parameter name has no candidate.
    if (!names.some((p) => sf.text.includes(p))) continue;
    const visit = (node: ts.Node): void => {
      // Overload signatures are not functions of their own: the implementation carries the decision.
      // An abstract method has no body either, but it is a signature its subclasses implement.
      const overload =
        (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body === undefined && !sf.isDeclarationFile && !isAbstract(node);
      if (isFunctionLike(node) && !overload) {
        const candidate = describe(node, sf, file, keyOf, checker, index.list.length);
        if (candidate !== undefined) register(index, candidate);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return index;
}

/** A function from a declaration file or node_modules that a call resolves to, described on demand. */
export function describeExternal(node: FunctionLike, checker: ts.TypeChecker, index: CandidateIndex): Candidate | undefined {
  const sf = node.getSourceFile();
  const candidate = describe(node, sf, path.resolve(sf.fileName), index.keyOf, checker, index.list.length);
  if (candidate === undefined) return undefined;
  candidate.info.kind = 'external';
  candidate.info.keeps = [{ reason: 'declaration-file', at: { file: candidate.info.file, line: candidate.info.line } }];
  register(index, candidate);
  return candidate;
}

/**
 * An implementation of a threaded signature whose parameters carry other names (`_logger` for
 * `logger`): it changes with the signature, so it is described with the signature's keys at their
 * positions (`keyAt`: parameter index → key) and reads its own local name where it reads the value.
 */
export function describeImplementation(
  node: FunctionLike,
  keyAt: ReadonlyMap<number, string>,
  checker: ts.TypeChecker,
  index: CandidateIndex,
): Candidate | undefined {
  const sf = node.getSourceFile();
  const candidate = describe(node, sf, path.resolve(sf.fileName), new Map(), checker, index.list.length, keyAt);
  if (candidate !== undefined) register(index, candidate);
  return candidate;
}

function isAbstract(node: ts.FunctionDeclaration | ts.MethodDeclaration): boolean {
  return ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword) === true;
}

function register(index: CandidateIndex, candidate: Candidate): void {
  index.list.push(candidate);
  index.byNode.set(candidate.node, candidate);
  const declaration = namingDeclaration(candidate.node);
  // `onMessage: (requestId: string) => void = (id) => …`: the annotation is what calls resolve to; the
  // initializer is one of its implementations.
  if (declaration !== undefined && !index.byDeclaration.has(declaration)) index.byDeclaration.set(declaration, candidate);
  for (const [symbol, param] of candidate.paramSymbols) {
    index.byParamSymbol.set(symbol, { candidate, param });
    index.locals.add(param.local);
  }
  const name = candidate.info.name.split('.').pop();
  if (name !== undefined) index.names.add(name);
  if (ts.isConstructorDeclaration(candidate.node)) {
    index.names.add('super');
    const className = candidate.node.parent.name?.text;
    if (className !== undefined) index.names.add(className);
  }
}

/** The declaration whose symbol references to the function resolve to. */
export function namingDeclaration(node: FunctionLike): ts.Node | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isMethodSignature(node)) return node;
  if (ts.isConstructorDeclaration(node)) return node.parent;
  if (ts.isFunctionTypeNode(node)) return node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent;
  if (ts.isFunctionExpression(node) && node.name !== undefined) return node;
  return undefined;
}

function describe(
  node: FunctionLike,
  sf: ts.SourceFile,
  file: string,
  wanted: ReadonlyMap<string, string>,
  checker: ts.TypeChecker,
  ordinal: number,
  keyAt?: ReadonlyMap<number, string>,
): Candidate | undefined {
  const params: ThreadedParam[] = [];
  const paramSymbols = new Map<ts.Symbol, ThreadedParam>();
  const keeps: Keep[] = [];
  const at = { file, line: lineOf(sf, node.getStart(sf)) };
  // A `this` parameter is not passed in the argument list.
  const thisOffset = node.parameters[0] !== undefined && ts.isIdentifier(node.parameters[0].name) && node.parameters[0].name.text === 'this' ? 1 : 0;
  // Two names of one key in one function (`requestId, request_id`) may hold two values: the first is threaded, the other stays a parameter.
  const taken = (key: string): boolean => params.some((p) => p.key === key);
  node.parameters.forEach((parameter, parameterIndex) => {
    const found = ts.isIdentifier(parameter.name) ? (keyAt?.get(parameterIndex) ?? wanted.get(parameter.name.text)) : undefined;
    const key = found !== undefined && !taken(found) ? found : undefined;
    if (ts.isIdentifier(parameter.name) && key !== undefined) {
      const param: ThreadedParam = {
        key,
        local: parameter.name.text,
        ...(keyAt === undefined && parameter.name.text !== key ? { name: parameter.name.text } : {}),
        index: parameterIndex,
        argumentIndex: parameterIndex - thisOffset,
        shape: 'positional',
        optional: parameter.questionToken !== undefined || parameter.initializer !== undefined,
        removal: listRemovalRanges(node.parameters, [parameterIndex], sf),
        otherReads: 0,
        ...(parameter.initializer !== undefined ? { defaultText: parameter.initializer.getText(sf) } : {}),
      };
      if ((ts.getModifiers(parameter)?.length ?? 0) > 0) {
        keeps.push({ reason: 'parameter-property', at });
      }
      params.push(param);
      const symbol = checker.getSymbolAtLocation(parameter.name);
      if (symbol !== undefined) paramSymbols.set(symbol, param);
    } else if (ts.isObjectBindingPattern(parameter.name)) {
      const elements = parameter.name.elements;
      const picked: { element: ts.BindingElement; key: string; name: string }[] = [];
      elements.forEach((element) => {
        const name = element.propertyName !== undefined ? propertyNameText(element.propertyName) : propertyNameText(element.name);
        const key = name !== undefined ? wanted.get(name) : undefined;
        if (key !== undefined && !taken(key) && !picked.some((p) => p.key === key) && ts.isIdentifier(element.name) && element.dotDotDotToken === undefined) {
          picked.push({ element, key, name: name! });
        }
      });
      for (const { element, key, name } of picked) {
        const local = (element.name as ts.Identifier).text;
        const typeMember = findTypeMember(parameter, name, checker);
        const param: ThreadedParam = {
          key,
          local,
          ...(name !== key ? { name } : {}),
          index: parameterIndex,
          argumentIndex: parameterIndex - thisOffset,
          shape: 'property',
          optional: element.initializer !== undefined || typeMember?.optional === true,
          removal: listRemovalRanges(elements, [elements.indexOf(element)], sf),
          otherReads: 0,
          ...(element.initializer !== undefined ? { defaultText: element.initializer.getText(sf) } : {}),
          ...(typeMember !== undefined ? { typeMemberRemoval: typeMember.removal } : {}),
        };
        params.push(param);
        const symbol = checker.getSymbolAtLocation(element.name);
        if (symbol !== undefined) paramSymbols.set(symbol, param);
      }
    }
  });
  if (params.length === 0) return undefined;
  if (sf.isDeclarationFile || file.split(path.sep).includes('node_modules')) keeps.push({ reason: 'declaration-file', at });
  // Several keys from one pattern: one removal range set for all, so commas stay right.
  mergeBindingRemovals(node, params, sf);

  const info: FunctionInfo = {
    id: `fn${ordinal}`,
    file,
    line: lineOf(sf, node.getStart(sf)),
    name: functionName(node),
    kind: kindOf(node),
    params,
    keeps,
    linked: [],
    jsdocRemovals: jsdocRemovals(node, params, sf),
  };
  const body = bodyInsertion(node, sf, paramSymbols, checker);
  if (body !== undefined) info.body = body;
  return { info, node, sf, paramSymbols };
}

function kindOf(node: FunctionLike): FunctionInfo['kind'] {
  if (ts.isFunctionDeclaration(node)) return 'function';
  if (ts.isArrowFunction(node)) return 'arrow';
  if (ts.isFunctionExpression(node)) return ts.isPropertyAssignment(node.parent) ? 'object-method' : 'function-expression';
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isMethodDeclaration(node)) return ts.isObjectLiteralExpression(node.parent) ? 'object-method' : 'method';
  return 'signature';
}

function mergeBindingRemovals(node: FunctionLike, params: ThreadedParam[], sf: ts.SourceFile): void {
  const byIndex = new Map<number, ThreadedParam[]>();
  for (const p of params) if (p.shape === 'property') byIndex.set(p.index, [...(byIndex.get(p.index) ?? []), p]);
  for (const [parameterIndex, group] of byIndex) {
    if (group.length < 2) continue;
    const pattern = node.parameters[parameterIndex]!.name as ts.ObjectBindingPattern;
    const positions = group.map((p) =>
      pattern.elements.findIndex((e) => ts.isIdentifier(e.name) && e.name.text === p.local),
    );
    const ranges = listRemovalRanges(pattern.elements, positions, sf);
    group.forEach((p, i) => (p.removal = i === 0 ? ranges : []));
  }
  const positional = params.filter((p) => p.shape === 'positional');
  if (positional.length > 1) {
    const ranges = listRemovalRanges(node.parameters, positional.map((p) => p.index), sf);
    positional.forEach((p, i) => (p.removal = i === 0 ? ranges : []));
  }
}

/** The property `key` of the options parameter's object type, when the repo declares it. */
function findTypeMember(
  parameter: ts.ParameterDeclaration,
  key: string,
  checker: ts.TypeChecker,
): { removal: { file: string; range: { start: number; end: number } }; optional: boolean } | undefined {
  let literal: ts.TypeLiteralNode | ts.InterfaceDeclaration | undefined;
  const type = parameter.type;
  if (type !== undefined && ts.isTypeLiteralNode(type)) literal = type;
  else if (type !== undefined && ts.isTypeReferenceNode(type)) {
    const symbol = checker.getSymbolAtLocation(type.typeName);
    const resolved = symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = resolved?.declarations?.[0];
    if (declaration !== undefined && ts.isInterfaceDeclaration(declaration)) literal = declaration;
    else if (declaration !== undefined && ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type)) {
      literal = declaration.type;
    }
  }
  if (literal === undefined) return undefined;
  const sf = literal.getSourceFile();
  if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) return undefined;
  const members = literal.members;
  const member = members.find((m) => m.name !== undefined && propertyNameText(m.name) === key);
  if (member === undefined) return undefined;
  const text = sf.text;
  const start = member.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEndIndex = text.indexOf('\n', member.end);
  const lineEnd = lineEndIndex === -1 ? text.length : lineEndIndex + 1;
  const ownLine = text.slice(lineStart, start).trim() === '' && text.slice(member.end, lineEnd).trim() === '';
  let range: { start: number; end: number };
  if (ownLine) range = { start: lineStart, end: lineEnd };
  else {
    const position = members.indexOf(member);
    const next = members[position + 1];
    const previous = members[position - 1];
    if (next !== undefined) range = { start, end: next.getStart(sf) };
    else if (previous !== undefined) {
      // Take the separator that ends the previous member, so `{ a: A; b: B }` becomes `{ a: A }`.
      const separated = /[;,]/.test(text[previous.end - 1] ?? '');
      range = { start: separated ? previous.end - 1 : previous.end, end: member.end };
    }
    else range = { start, end: member.end };
  }
  return {
    removal: { file: path.resolve(sf.fileName), range },
    optional: ts.isPropertySignature(member) && member.questionToken !== undefined,
  };
}

/** Lines `@param requestId ...` (and `@param options.requestId ...`) of the function's JSDoc (up to the next tag or the comment's end). */
function jsdocRemovals(node: FunctionLike, params: ThreadedParam[], sf: ts.SourceFile): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  const text = sf.text;
  const threaded = new Set(params.filter((p) => p.shape === 'positional').map((p) => p.local));
  const documentsOnlyThreaded = (doc: ts.JSDoc): boolean =>
    doc.comment === undefined &&
    (doc.tags ?? []).every((t) => ts.isJSDocParameterTag(t) && ts.isIdentifier(t.name) && threaded.has(t.name.text));
  const removedDocs = new Set<ts.Node>();
  for (const param of params) {
    if (param.shape !== 'positional') continue;
    const parameter = node.parameters[param.index];
    if (parameter === undefined) continue;
    for (const tag of ts.getJSDocParameterTags(parameter)) {
      const doc = tag.parent;
      if (removedDocs.has(doc)) continue;
      if (ts.isJSDoc(doc) && documentsOnlyThreaded(doc)) {
        // A comment that only documents these parameters goes whole, with its line when it has one.
        removedDocs.add(doc);
        const docStart = doc.getStart(sf);
        const docLineStart = text.lastIndexOf('\n', docStart - 1) + 1;
        const docLineEnd = text.indexOf('\n', doc.end);
        const alone = text.slice(docLineStart, docStart).trim() === '' && text.slice(doc.end, docLineEnd === -1 ? text.length : docLineEnd).trim() === '';
        ranges.push(alone ? { start: docLineStart, end: docLineEnd === -1 ? text.length : docLineEnd + 1 } : { start: docStart, end: doc.end });
        continue;
      }
      const lines = tagLines(tag, sf);
      if (lines !== undefined) ranges.push(lines);
    }
  }
  ranges.push(...destructuredKeyTags(node, params, sf));
  return ranges;
}

/**
 * The tags that document a destructured key (`@param options.requestId`, or a property of
 * `@param {Object} options`): the key's owner is any name but another parameter's.
 */
function destructuredKeyTags(node: FunctionLike, params: ThreadedParam[], sf: ts.SourceFile): { start: number; end: number }[] {
  const keys = new Set(params.filter((p) => p.shape === 'property').map((p) => p.key));
  if (keys.size === 0) return [];
  const named = new Set(node.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
  const ranges: { start: number; end: number }[] = [];
  const visit = (tag: ts.JSDocParameterTag | ts.JSDocPropertyTag): void => {
    const name = tag.name;
    if (ts.isQualifiedName(name) && keys.has(name.right.text) && ts.isIdentifier(name.left) && !named.has(name.left.text)) {
      const lines = tagLines(tag, sf);
      if (lines !== undefined) ranges.push(lines);
      return;
    }
    const type = tag.typeExpression?.type;
    if (type !== undefined && ts.isJSDocTypeLiteral(type)) for (const nested of type.jsDocPropertyTags ?? []) visit(nested as ts.JSDocPropertyTag);
  };
  for (const tag of ts.getJSDocTags(node)) if (ts.isJSDocParameterTag(tag)) visit(tag);
  return ranges;
}

/** A tag's lines (up to the next tag or the comment's end), when it starts its line and does not end the comment. */
function tagLines(tag: ts.JSDocTag, sf: ts.SourceFile): { start: number; end: number } | undefined {
  const text = sf.text;
  const start = tag.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^[ \t]*\*[ \t]*$/.test(text.slice(lineStart, start))) return undefined;
  let last = tag.end - 1;
  while (last > start && /[\s*/]/.test(text[last]!)) last--;
  const lineEndIndex = text.indexOf('\n', last);
  // A tag that shares its line with the comment's end would take `*/` with it: leave that one.
  if (text.slice(last + 1, lineEndIndex === -1 ? text.length : lineEndIndex).includes('*/')) return undefined;
  return { start: lineStart, end: lineEndIndex === -1 ? text.length : lineEndIndex + 1 };
}

function bodyInsertion(
  node: FunctionLike,
  sf: ts.SourceFile,
  paramSymbols: Map<ts.Symbol, ThreadedParam>,
  checker: ts.TypeChecker,
): FunctionInfo['body'] {
  if (ts.isFunctionTypeNode(node) || ts.isMethodSignature(node)) return undefined;
  const body = node.body;
  if (body === undefined) return undefined;
  const text = sf.text;
  const newline = newlineOf(sf);
  if (!ts.isBlock(body)) {
    return {
      insertAt: body.getStart(sf),
      indent: indentationAt(text, node.getStart(sf)),
      newline,
      expression: { start: body.getStart(sf), end: body.end },
    };
  }
  const open = body.getStart(sf) + 1;
  const statements = body.statements;
  const first = statements[0];
  // A derived constructor reads after `super(...)` so `this` rules stay satisfied, unless super needs the value.
  if (ts.isConstructorDeclaration(node) && first !== undefined && isSuperCallStatement(first) && !mentions(first, paramSymbols, checker)) {
    return { insertAt: first.end, indent: indentationAt(text, first.getStart(sf)), newline };
  }
  if (first !== undefined && lineOf(sf, first.getStart(sf)) === lineOf(sf, open)) {
    return { insertAt: open, indent: '', newline: ' ' };
  }
  const indent = first !== undefined ? indentationAt(text, first.getStart(sf)) : indentationAt(text, node.getStart(sf)) + indentUnit(sf);
  return { insertAt: open, indent, newline };
}

function isSuperCallStatement(statement: ts.Statement): boolean {
  return (
    ts.isExpressionStatement(statement) &&
    ts.isCallExpression(statement.expression) &&
    statement.expression.expression.kind === ts.SyntaxKind.SuperKeyword
  );
}

function mentions(node: ts.Node, symbols: Map<ts.Symbol, ThreadedParam>, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      const symbol = checker.getSymbolAtLocation(n);
      if (symbol !== undefined && symbols.has(symbol)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
