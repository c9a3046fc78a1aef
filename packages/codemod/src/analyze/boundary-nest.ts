// A Nest controller method receives the threaded value from a parameter decorator (`@ReqContext() ctx`,
// `@Req() req`, `@Headers('x-request-id') requestId`): Nest fills it for each HTTP handler call. The
// context is set once instead, by `RequestContextModule.forRoot({ handlerValues })` of
// @unthread/context/nest in the root module's imports: its interceptor computes, for each handler
// call, what the decorator computed, from the same execution context and at the same stage (after the
// guards, which set `request.user`), and runs the handler in it. What is claimed is proved from the
// code: the method is an HTTP route of a `@Controller` (the interceptor gives values to HTTP handlers
// only), the decorator's value can be written outside it (`nest-param-values.ts`), the method never
// changes the value it received, the root module is the one `NestFactory.create` serves, and every
// Nest app the repo serves HTTP from imports it. The method then loses the parameter (unless it keeps
// it for a reason of its own) and its calls lose the argument; otherwise it keeps the parameter, its
// calls keep their `run()`, and the reason is reported at those calls.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Boundary, BoundaryInstall, CallInfo } from '../types.js';
import type { CandidateIndex } from './collect-functions.js';
import { paramValue, type NeededImport, type ParamValue } from './nest-param-values.js';
import { indentationAt, indentUnit, isAssignmentTarget, lineOf, newlineOf } from './syntax.js';

const HTTP_ROUTES = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head', 'Search']);
const ADAPTER = 'RequestContextModule';

interface Covered {
  id: string;
  keys: Map<string, ParamValue>;
}

export function addNestBoundary(
  files: readonly ts.SourceFile[],
  index: CandidateIndex,
  calls: readonly CallInfo[],
  checker: ts.TypeChecker,
  root: string,
  isTransformable: (file: string) => boolean,
  boundary: Boundary,
  contextName: string,
): void {
  const where = (node: ts.Node): string => `${path.relative(root, node.getSourceFile().fileName)}:${lineOf(node.getSourceFile(), node.getStart())}`;
  const problems = new Map<string, string>();
  const covered: Covered[] = [];
  for (const candidate of index.list) {
    const { info, node } = candidate;
    if (!info.keeps.some((k) => k.reason === 'called-by-framework') || !ts.isMethodDeclaration(node) || !ts.isClassDeclaration(node.parent)) continue;
    const decorated = info.params.map((p) => ({ param: p, node: node.parameters[p.index] }));
    // Only a method whose threaded parameters Nest fills: the others are no route handler's.
    if (decorated.some((d) => d.node === undefined || (ts.getDecorators(d.node)?.length ?? 0) === 0)) continue;
    const fail = (reason: string): void => void problems.set(info.id, reason);
    const route = routeProblem(node, checker);
    if (route !== undefined) {
      fail(route);
      continue;
    }
    const keys = new Map<string, ParamValue>();
    for (const { param, node: parameter } of decorated) {
      const decorators = ts.getDecorators(parameter!)!;
      if (param.shape !== 'positional' || decorators.length !== 1) {
        fail(`${parameter!.getText()} is not one parameter filled by one decorator`);
        break;
      }
      const value = paramValue(decorators[0]!, checker, [contextName]);
      if ('problem' in value) {
        fail(value.problem);
        break;
      }
      const changed = changedAt(parameter!, node, checker);
      if (changed !== undefined) {
        fail(`${node.name.getText()} changes ${param.local} at ${where(changed)}: the context holds the value as the decorator made it`);
        break;
      }
      keys.set(param.key, value);
    }
    if (!problems.has(info.id)) covered.push({ id: info.id, keys });
  }
  if (covered.length === 0 && problems.size === 0) return;

  const changer = covered.length === 0 ? undefined : requestChangingInterceptor(files);
  const app: RootModule | { problem: string } =
    covered.length === 0
      ? { problem: '' }
      : changer !== undefined
        ? { problem: `the interceptor at ${where(changer)} writes a property, maybe of the request, between the module's interceptor and the decorator` }
        : rootModule(files, checker, isTransformable, where);
  const values = new Map<string, ParamValue>();
  const accepted: Covered[] = [];
  for (const c of covered) {
    if ('problem' in app) {
      problems.set(c.id, app.problem);
      continue;
    }
    const clash = [...c.keys].find(([key, value]) => {
      const other = values.get(key);
      return (other !== undefined && other.label !== value.label) || (value.block !== undefined && [...values.values()].some((v) => v.block !== undefined && v.label !== value.label));
    });
    if (clash !== undefined) {
      problems.set(c.id, `${clash[0]} is filled by ${clash[1].label} here and by ${values.get(clash[0])?.label ?? 'another decorator with statements'} elsewhere: the context holds one value per key`);
      continue;
    }
    for (const [key, value] of c.keys) values.set(key, value);
    accepted.push(c);
  }

  let installIndex: number | undefined;
  if (accepted.length > 0 && !('problem' in app)) {
    const install = installFor(app, values, root);
    if ('problem' in install) for (const c of accepted) problems.set(c.id, install.problem);
    else {
      installIndex = boundary.installs.length;
      boundary.installs.push(install);
    }
  }
  const byId = new Map(index.list.map((c) => [c.info.id, c.info]));
  for (const c of accepted) {
    if (installIndex === undefined) continue;
    const info = byId.get(c.id)!;
    info.keeps = info.keeps.filter((k) => k.reason !== 'called-by-framework');
    (boundary.functions ??= []).push({ id: c.id, install: installIndex });
  }
  const coveredIds = new Set(installIndex === undefined ? [] : accepted.map((c) => c.id));
  for (const call of calls) {
    for (const arg of call.args) {
      if (arg.kind !== 'own-param' || arg.ownerId === undefined) continue;
      if (installIndex !== undefined && coveredIds.has(arg.ownerId) && arg.ownerHasDefault !== true) arg.boundaryInstall = installIndex;
      const problem = problems.get(arg.ownerId);
      if (problem !== undefined && problem !== '') {
        boundary.fallbacks.push({ at: { file: call.file, line: call.line }, expression: arg.expressionText ?? arg.key, reason: problem });
      }
    }
  }
}

/** Why `method` is not an HTTP route of a Nest controller, or undefined when it is one. */
function routeProblem(method: ts.MethodDeclaration, checker: ts.TypeChecker): string | undefined {
  const owner = method.parent as ts.ClassDeclaration;
  const isController = (ts.getDecorators(owner) ?? []).some((d) => nestName(d, checker) === 'Controller');
  const isRoute = (ts.getDecorators(method) ?? []).some((d) => HTTP_ROUTES.has(nestName(d, checker) ?? ''));
  if (isController && isRoute) return undefined;
  return `${owner.name?.text ?? 'its class'}.${method.name.getText()} is not an HTTP route of a @Controller: the module gives its values to HTTP handlers only`;
}

/** The name of the @nestjs/common export a decorator calls, if it calls one. */
function nestName(decorator: ts.Decorator, checker: ts.TypeChecker): string | undefined {
  const call = decorator.expression;
  const callee = ts.isCallExpression(call) ? call.expression : call;
  if (!ts.isIdentifier(callee)) return undefined;
  let symbol = checker.getSymbolAtLocation(callee);
  if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.[0];
  if (declaration === undefined || !declaration.getSourceFile().fileName.includes('/@nestjs/common/')) return undefined;
  return symbol!.name;
}

/** A write to the parameter or to one of its properties in the method (`ctx = …`, `ctx.user = …`). */
function changedAt(parameter: ts.ParameterDeclaration, method: ts.MethodDeclaration, checker: ts.TypeChecker): ts.Node | undefined {
  const symbol = checker.getSymbolAtLocation(parameter.name);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isIdentifier(node) && node !== parameter.name && checker.getSymbolAtLocation(node) === symbol) {
      let target: ts.Node = node;
      while ((ts.isPropertyAccessExpression(target.parent) || ts.isElementAccessExpression(target.parent)) && target.parent.expression === target) target = target.parent;
      if (isAssignmentTarget(target) || ts.isDeleteExpression(target.parent)) found = target;
    }
    ts.forEachChild(node, visit);
  };
  if (method.body !== undefined) visit(method.body);
  return found;
}

/**
 * An assignment to a property of something other than `this` in an interceptor's `intercept` before
 * it hands on (`request.user = …`): the decorator, which runs after every interceptor, could read a
 * value the module's interceptor, which may run before it, did not see.
 */
function requestChangingInterceptor(files: readonly ts.SourceFile[]): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isMethodDeclaration(node) && node.name.getText() === 'intercept' && node.body !== undefined && ts.isClassLike(node.parent)) {
      const inBody = (child: ts.Node): void => {
        if (found !== undefined) return;
        // What the interceptor does after the handler (inside `pipe(tap(…))`) cannot change what the handler saw.
        if (ts.isFunctionLike(child)) return;
        if (ts.isPropertyAccessExpression(child) || ts.isElementAccessExpression(child)) {
          if (isAssignmentTarget(child) && child.expression.kind !== ts.SyntaxKind.ThisKeyword) found = child;
        }
        ts.forEachChild(child, inBody);
      };
      ts.forEachChild(node.body, inBody);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of files) if (!sf.isDeclarationFile && sf.text.includes('intercept')) visit(sf);
  return found;
}

interface RootModule {
  sf: ts.SourceFile;
  /** The `@Module({...})` argument. */
  metadata: ts.ObjectLiteralExpression;
  className: string;
}

/**
 * The module `NestFactory.create(AppModule)` serves, when it is the only one the repo serves HTTP
 * from: every testing module made into an HTTP app (`createNestApplication()`) must import it too,
 * or its routes would run without the context.
 */
function rootModule(files: readonly ts.SourceFile[], checker: ts.TypeChecker, isTransformable: (file: string) => boolean, where: (node: ts.Node) => string): RootModule | { problem: string } {
  const roots = new Map<ts.ClassDeclaration | undefined, ts.Node>();
  const testApps: ts.CallExpression[] = [];
  for (const sf of files) {
    if (sf.isDeclarationFile || !/NestFactory|createNestApplication/.test(sf.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const name = node.expression.name.text;
        if (name === 'createNestApplication') testApps.push(node);
        if (name === 'create' && node.expression.expression.getText() === 'NestFactory') {
          const first = node.arguments[0];
          roots.set(first !== undefined && ts.isIdentifier(first) ? classOf(first, checker) : undefined, node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  if (roots.size === 0) return { problem: 'no NestFactory.create(…) names the root module in the files this run reads' };
  if (roots.size > 1) return { problem: `NestFactory.create(…) serves several modules (${[...roots.values()].map(where).join(', ')}): the codemod installs the context in one` };
  const [declaration, creation] = [...roots][0]!;
  if (declaration === undefined) return { problem: `the module NestFactory.create(…) serves at ${where(creation)} is not a class the codemod can follow` };
  const className = declaration.name?.text ?? 'the root module';
  if (!isTransformable(declaration.getSourceFile().fileName)) return { problem: `${className} is declared in ${where(declaration)}, a file this run does not change` };
  const moduleDecorator = (ts.getDecorators(declaration) ?? []).find((d) => nestName(d, checker) === 'Module');
  const metadata = moduleDecorator !== undefined && ts.isCallExpression(moduleDecorator.expression) ? moduleDecorator.expression.arguments[0] : undefined;
  if (metadata === undefined || !ts.isObjectLiteralExpression(metadata)) return { problem: `${className} (${where(declaration)}) has no @Module({ … }) object the codemod can add an import to` };
  const rootSymbol = declaration.name === undefined ? undefined : checker.getSymbolAtLocation(declaration.name);
  for (const testApp of testApps) {
    if (!mentionsClass(testApp.getSourceFile(), rootSymbol, checker)) {
      return { problem: `an HTTP app is made at ${where(testApp)} from a module that does not import ${className}: its routes would run without the context` };
    }
  }
  return { sf: declaration.getSourceFile(), metadata, className };
}

function classOf(identifier: ts.Identifier, checker: ts.TypeChecker): ts.ClassDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.[0];
  return declaration !== undefined && ts.isClassDeclaration(declaration) ? declaration : undefined;
}

function mentionsClass(sf: ts.SourceFile, symbol: ts.Symbol | undefined, checker: ts.TypeChecker): boolean {
  if (symbol === undefined) return false;
  const visit = (node: ts.Node): boolean => {
    if (ts.isIdentifier(node)) {
      let found = checker.getSymbolAtLocation(node);
      if (found !== undefined && (found.flags & ts.SymbolFlags.Alias) !== 0) found = checker.getAliasedSymbol(found);
      if (found === symbol && !ts.isImportSpecifier(node.parent) && !ts.isImportClause(node.parent)) return true;
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(sf);
}

/** The module import, first in the root module's `imports` (so its interceptor runs before the app's own global ones). */
function installFor(app: RootModule, values: Map<string, ParamValue>, root: string): BoundaryInstall | { problem: string } {
  const { sf, metadata } = app;
  const newline = newlineOf(sf);
  const unit = indentUnit(sf);
  const importsProperty = metadata.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'imports') as ts.PropertyAssignment | undefined;
  if (importsProperty !== undefined && !ts.isArrayLiteralExpression(importsProperty.initializer)) {
    return { problem: `${app.className}'s imports are not an array written in place` };
  }
  const taken = topLevelNames(sf);
  if (taken.has(ADAPTER)) return { problem: `${ADAPTER} already names something in ${path.relative(root, sf.fileName)}` };
  const imports: NonNullable<BoundaryInstall['imports']> = [];
  for (const value of values.values()) {
    for (const needed of value.imports) {
      const specifier = specifierFor(needed, sf);
      const existing = taken.get(needed.name);
      if (existing !== undefined && existing !== `${specifier}#${needed.exported}`) return { problem: `${value.label}'s factory uses ${needed.name}, another binding in ${path.relative(root, sf.fileName)}` };
      if (existing === undefined && !imports.some((i) => i.name === needed.name)) imports.push({ name: needed.name, kind: needed.kind, exported: needed.exported, specifier, typeOnly: needed.typeOnly });
    }
  }

  const block = [...values.values()].some((v) => v.block !== undefined);
  let insertAt: number;
  let lead: string;
  let trail: string;
  let indent: string;
  if (importsProperty !== undefined) {
    const array = importsProperty.initializer as ts.ArrayLiteralExpression;
    const first = array.elements[0];
    insertAt = array.getStart(sf) + 1;
    if (first === undefined) {
      indent = indentationAt(sf.text, importsProperty.getStart(sf));
      lead = '';
      trail = '';
    } else if (lineOf(sf, first.getStart(sf)) !== lineOf(sf, array.getStart(sf))) {
      indent = indentationAt(sf.text, first.getStart(sf));
      lead = `${newline}${indent}`;
      trail = ',';
    } else {
      indent = indentationAt(sf.text, importsProperty.getStart(sf));
      lead = '';
      trail = ', ';
    }
  } else {
    const first = metadata.properties[0];
    insertAt = metadata.getStart(sf) + 1;
    const multiLine = first !== undefined && lineOf(sf, first.getStart(sf)) !== lineOf(sf, metadata.getStart(sf));
    indent = multiLine ? indentationAt(sf.text, first.getStart(sf)) : indentationAt(sf.text, metadata.getStart(sf));
    lead = multiLine ? `${newline}${indent}imports: [` : ' imports: [';
    trail = multiLine || first === undefined ? '],' : '], ';
    // A module over several lines in a new array: one element per line, as the other properties are written.
    if (multiLine && block) {
      lead = `${lead}${newline}${indent}${unit}`;
      trail = `,${newline}${indent}],`;
      indent = `${indent}${unit}`;
    }
  }
  const handlerValues = handlerValuesText(values, `${indent}${unit}`, unit, newline);
  // Written over several lines when the values function is: the repo's formatter, if any, has the last word.
  const template = block
    ? `${ADAPTER}.forRoot({${newline}${indent}${unit}context: {context},${newline}${indent}${unit}assignId: false,${newline}${indent}${unit}handlerValues: ${handlerValues},${newline}${indent}})`
    : `${ADAPTER}.forRoot({ context: {context}, assignId: false, handlerValues: ${handlerValues} })`;
  return {
    file: sf.fileName,
    line: lineOf(sf, insertAt),
    framework: 'nest',
    insertAt,
    lead,
    mount: '',
    adapterModule: '@unthread/context/nest',
    adapterLocal: ADAPTER,
    options: `{ assignId: false, handlerValues: ${handlerValues} }`,
    template,
    trail,
    imports,
  };
}

/** `(execution) => ({ requestId: … })`, or a block when a factory's statements come along. */
function handlerValuesText(values: Map<string, ParamValue>, indent: string, unit: string, newline: string): string {
  const block = [...values.values()].find((v) => v.block !== undefined)?.block;
  const execution = block?.execution ?? 'execution';
  const entries = [...values].map(([key, value]) => {
    const expression = value.expression(execution);
    return expression === key ? key : `${key}: ${expression}`;
  });
  if (block === undefined) return `(${execution}) => ({ ${entries.join(', ')} })`;
  const inner = `${indent}${unit}`;
  const statements = block.statements
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? '' : `${inner}${line.startsWith(block.indent) ? line.slice(block.indent.length) : line.trimStart()}`))
    .join(newline);
  const body = statements === '' ? '' : `${statements}${newline}${newline}`;
  return `(${execution}) => {${newline}${body}${inner}return { ${entries.join(', ')} };${newline}${indent}}`;
}

/** Relative to the root module's file, as its own relative imports are written (with `.js` or without). */
function specifierFor(needed: NeededImport, sf: ts.SourceFile): string {
  if ('package' in needed.from) return needed.from.package;
  let relative = path.relative(path.dirname(sf.fileName), needed.from.file).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const withJs = sf.statements.some((s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text.startsWith('.') && s.moduleSpecifier.text.endsWith('.js'));
  return withJs ? `${relative}.js` : relative;
}

/** The file's top-level bindings, by name: `specifier#exported` for an import, `''` for its own declarations. */
function topLevelNames(sf: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name !== undefined) names.set(clause.name.text, `${specifier}#default`);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.set(bindings.name.text, `${specifier}#*`);
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) names.set(element.name.text, `${specifier}#${(element.propertyName ?? element.name).text}`);
      }
    } else if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name !== undefined) {
      names.set(statement.name.text, '');
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.set(d.name.text, '');
    }
  }
  return names;
}
