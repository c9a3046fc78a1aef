import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { LogLine } from './log-lines.js';

// pino's log methods, and `child`, whose object argument becomes fields of every line it writes.
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child']);

/**
 * Every log call under `dir` (`x.info({...})`, `x.child({...})`) whose object argument has a field named
 * `name`, as `file:line`: a value the code still hands the logger itself. Read from the syntax tree.
 */
export async function logFieldsNamed(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name)).sort();
  const found: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && LOG_METHODS.has(node.expression.name.text)) {
        const fields = node.arguments.filter(ts.isObjectLiteralExpression).flatMap((o) => o.properties.map((p) => p.name?.getText(source)));
        if (fields.includes(name)) found.push(`${relative(dir, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * Per request id, the keys of each of its lines in the order the line wrote them: the JSON lines are
 * the same text only if the fields also come in the same order (the comparison of values sorts them).
 */
export function keyOrdersByRequestId(lines: readonly LogLine[]): Map<string, string[]> {
  const orders = new Map<string, string[]>();
  for (const line of lines) {
    if (typeof line.requestId !== 'string') continue;
    const list = orders.get(line.requestId) ?? [];
    list.push(Object.keys(line).join(','));
    orders.set(line.requestId, list);
  }
  return orders;
}
