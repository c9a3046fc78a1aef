import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Every parameter or destructured binding named `name` in the .ts files under `dir`, as `file:line`:
 * what is left of the hand-threading after a transform. Read from the syntax tree, so comments and
 * strings that mention the name do not count.
 */
export async function parametersNamed(dir: string, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of await typeScriptFiles(dir)) {
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const isParameter = ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === name;
      const isDestructured =
        ts.isBindingElement(node) &&
        (node.propertyName ?? node.name).getText(source) === name &&
        isInsideParameter(node);
      if (isParameter || isDestructured) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${relative(dir, file)}:${line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function isInsideParameter(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isParameter(at)) return true;
    if (!ts.isBindingElement(at) && !ts.isObjectBindingPattern(at) && !ts.isArrayBindingPattern(at)) return false;
  }
  return false;
}

async function typeScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
