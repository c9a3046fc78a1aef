// How a file writes its imports (ESM or require, quotes, semicolons, `.js` extensions), so the import of
// the context that the codemod adds looks like the file's own.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { ContextModuleInfo, FileStyle } from '../types.js';
import { type ImportStatement, packageImportSlot } from './import-order.js';
import type { AliasSpecifiers } from './path-alias.js';
import type { CompiledSources } from '../load/compiled-sources.js';

export function describeFileStyle(
  sf: ts.SourceFile,
  program: ts.Program,
  contextModule: ContextModuleInfo,
  takenNames: string[],
  aliases?: AliasSpecifiers,
  compiled?: CompiledSources,
): FileStyle {
  const text = sf.text;
  const imports: ImportStatement[] = [];
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteralLike(statement.moduleSpecifier)) {
      imports.push({ statement, specifier: statement.moduleSpecifier });
    } else if (ts.isVariableStatement(statement)) {
      const init = statement.declarationList.declarations[0]?.initializer;
      const required = init !== undefined ? requireSpecifier(init) : undefined;
      if (required !== undefined) imports.push({ statement, specifier: required });
    }
  }
  const esm = sf.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || hasExportModifier(s));
  const isTs = /\.[cm]?tsx?$/.test(sf.fileName);
  const module: FileStyle['module'] =
    isTs || esm || sf.fileName.endsWith('.mjs') ? 'esm' : imports.length > 0 || sf.fileName.endsWith('.cjs') ? 'cjs' : contextModule.module;
  const first = imports[0];
  const quote = first !== undefined && text[first.specifier.getStart(sf)] === '"' ? '"' : "'";
  const sample = first?.statement ?? firstTerminatedStatement(sf);
  const semicolon = sample === undefined ? true : text[sample.end - 1] === ';';
  const relative = imports.map((i) => i.specifier.text).filter((s) => s.startsWith('.'));
  const options = program.getCompilerOptions();
  const nodeNext =
    options.moduleResolution === ts.ModuleResolutionKind.NodeNext || options.moduleResolution === ts.ModuleResolutionKind.Node16;
  const jsExtension =
    relative.length > 0 ? relative.some((s) => /\.[cm]?js$/.test(s)) : module === 'esm' && (nodeNext || !isTs);
  const last = imports[imports.length - 1];
  const prologueEnd = sf.statements.find((s) => !isPrologue(s));
  const specifiers = [...imports.map((i) => i.specifier), ...reExportSpecifiers(sf)];
  const isContextModule = path.resolve(sf.fileName) === contextModule.file;
  // A file that reaches the code through its build output reaches the context there too: one module, one store.
  const compiledContext = isContextModule ? undefined : compiled?.outputFor(sf.fileName, specifiers.map((s) => s.text), contextModule.file);
  const contextLocal = existingContextImport(sf, contextModule, aliases, compiledContext);
  // Another package of a monorepo imports the context by its package's name (workspace-context.ts).
  const workspace = contextModule.workspace;
  const otherPackage = workspace !== undefined && !path.resolve(sf.fileName).startsWith(workspace.packageDir + path.sep);
  const contextSpecifier = otherPackage
    ? workspace.packageName
    : compiledContext !== undefined
      ? compiledSpecifier(sf.fileName, compiledContext, contextModule.file, jsExtension)
      : aliases !== undefined && !isContextModule
        ? aliases.specifierFor(sf, specifiers, contextModule.file)
        : undefined;
  const isPackage = (s: ts.StringLiteralLike): boolean => !s.text.startsWith('.') && !s.text.startsWith('/') && aliases?.resolvedFile(sf, s) === undefined;
  const slot = packageImportSlot(sf, imports, isPackage);
  return {
    module,
    quote,
    semicolon,
    jsExtension,
    importInsertAt: last !== undefined ? last.statement.end : prologueEnd !== undefined ? startWithDocComment(prologueEnd, sf) : text.length,
    hasImports: last !== undefined,
    ...(slot !== undefined ? { packageImportSlot: slot } : {}),
    ...(contextLocal !== undefined ? { contextLocal } : {}),
    ...(contextSpecifier !== undefined ? { contextSpecifier } : {}),
    takenNames,
    newline: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** The first statement that ends with a semicolon when the file writes them. */
function firstTerminatedStatement(sf: ts.SourceFile): ts.Node | undefined {
  const visit = (node: ts.Node): ts.Node | undefined => {
    if (ts.isVariableStatement(node) || ts.isExpressionStatement(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node)) {
      return node;
    }
    return ts.forEachChild(node, visit);
  };
  return visit(sf);
}

/** A statement's start, moved before the JSDoc comment attached to it (a header comment stays above). */
function startWithDocComment(statement: ts.Statement, sf: ts.SourceFile): number {
  const comments = ts.getLeadingCommentRanges(sf.text, statement.pos) ?? [];
  const lastComment = comments[comments.length - 1];
  if (lastComment !== undefined && sf.text.startsWith('/**', lastComment.pos)) return lastComment.pos;
  return statement.getStart(sf);
}

/** The local name of the context when the file already imports it (`import { request as ctx }`), relatively or through an alias. */
function existingContextImport(
  sf: ts.SourceFile,
  contextModule: ContextModuleInfo,
  aliases: AliasSpecifiers | undefined,
  compiledContext: string | undefined,
): string | undefined {
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteralLike(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier === contextModule.workspace?.packageName) {
      const local = importedName(statement, contextModule.exportName);
      if (local !== undefined) return local;
      continue;
    }
    const target = specifier.startsWith('.') ? path.resolve(path.dirname(sf.fileName), specifier) : aliases?.resolvedFile(sf, statement.moduleSpecifier);
    if (target === undefined) continue;
    if (stripExtension(target) !== stripExtension(contextModule.file) && stripExtension(target) !== compiledContext) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === contextModule.exportName);
    if (element !== undefined) return element.name.text;
  }
  return undefined;
}

/** The local name of `exportName` in an `import { … }` statement, if it imports it. */
function importedName(statement: ts.ImportDeclaration, exportName: string): string | undefined {
  const bindings = statement.importClause?.namedBindings;
  if (bindings === undefined || !ts.isNamedImports(bindings) || statement.importClause?.isTypeOnly === true) return undefined;
  const element = bindings.elements.find((e) => (e.propertyName ?? e.name).text === exportName && !e.isTypeOnly);
  return element?.name.text;
}

/** The relative specifier of the context module's compiled output (`../../lib/context`). */
function compiledSpecifier(file: string, output: string, contextFile: string, jsExtension: boolean): string {
  let specifier = path.relative(path.dirname(path.resolve(file)), output).split(path.sep).join('/');
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  if (!jsExtension) return specifier;
  return `${specifier}${contextFile.endsWith('.mts') ? '.mjs' : contextFile.endsWith('.cts') ? '.cjs' : '.js'}`;
}

/** `export … from '…'`: a module the file names as much as one it imports. */
function reExportSpecifiers(sf: ts.SourceFile): ts.StringLiteralLike[] {
  return sf.statements.flatMap((s) =>
    ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined && ts.isStringLiteralLike(s.moduleSpecifier) ? [s.moduleSpecifier] : [],
  );
}

function requireSpecifier(init: ts.Expression): ts.StringLiteralLike | undefined {
  let expression = init;
  while (ts.isPropertyAccessExpression(expression)) expression = expression.expression;
  if (
    ts.isCallExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === 'require' &&
    expression.arguments[0] !== undefined &&
    ts.isStringLiteralLike(expression.arguments[0])
  ) {
    return expression.arguments[0];
  }
  return undefined;
}

function hasExportModifier(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
}

function isPrologue(statement: ts.Statement): boolean {
  return ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression);
}

function stripExtension(file: string): string {
  return file.replace(/\.[cm]?[jt]sx?$/, '');
}
