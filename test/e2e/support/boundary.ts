import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Where a syntax tree node starts, as `file:line` relative to `dir`. */
function locationOf(dir: string, file: string, source: ts.SourceFile, node: ts.Node): string {
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  return `${relative(dir, file)}:${line + 1}`;
}

async function parse(file: string): Promise<ts.SourceFile> {
  return ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function callsIn(source: ts.SourceFile, matches: (call: ts.CallExpression) => boolean): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && matches(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Every `<something>.run(…)` call in the given files (relative to `dir`), as `file:line`: a request
 * handler whose calls are wrapped one by one, where one adapter at the boundary would have set the context.
 */
export async function runCallsIn(dir: string, files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files.map((name) => join(dir, name))) {
    const source = await parse(file);
    const runs = callsIn(source, (call) => ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'run');
    found.push(...runs.map((call) => locationOf(dir, file, source, call)));
  }
  return found;
}

/**
 * Every call of a function imported from `module` (such as `@unthread/context/fastify`) in the .ts files
 * under `dir`, as `file:line`: where a framework adapter is installed.
 */
export async function adapterInstalls(dir: string, module: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => join(entry.parentPath, entry.name));
  for (const file of files.sort()) {
    const source = await parse(file);
    const imported = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      if (statement.moduleSpecifier.text !== module) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) imported.add(element.name.text);
    }
    if (imported.size === 0) continue;
    const installs = callsIn(source, (call) => ts.isIdentifier(call.expression) && imported.has(call.expression.text));
    found.push(...installs.map((call) => locationOf(dir, file, source, call)));
  }
  return found;
}
