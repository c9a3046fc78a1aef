/**
 * The plugin's modules import one another one way: no module reaches itself through its imports,
 * type-only imports included (a circle of types still ties the modules' meaning together).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('../src/', import.meta.url));

/** Module → the modules of src it imports, from every import and re-export form TypeScript knows. */
function importGraph(root: string): Map<string, string[]> {
  const modules = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => path.join(root, file));
  const known = new Set(modules);
  const graph = new Map<string, string[]>();
  for (const module of modules) {
    const { importedFiles } = ts.preProcessFile(readFileSync(module, 'utf8'), true, true);
    graph.set(
      module,
      importedFiles
        .map(({ fileName }) => fileName)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => path.resolve(path.dirname(module), specifier.replace(/\.js$/u, '.ts')))
        .filter((target) => known.has(target)),
    );
  }
  return graph;
}

/** Each circle as `a.ts -> b.ts -> a.ts`, found by a depth-first walk. */
function findCircles(graph: Map<string, string[]>, root: string): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const circles: string[] = [];
  const visit = (module: string): void => {
    state.set(module, 'open');
    stack.push(module);
    for (const target of graph.get(module) ?? []) {
      if (state.get(target) === 'open') {
        circles.push([...stack.slice(stack.indexOf(target)), target].map((file) => path.relative(root, file)).join(' -> '));
      } else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module);
  return circles;
}

describe('the import graph of src/', () => {
  it('finds a circle when there is one', () => {
    const graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/a.ts']],
    ]);
    expect(findCircles(graph, '/')).toEqual(['a.ts -> b.ts -> a.ts']);
  });

  it('has no circle', () => {
    const graph = importGraph(source);
    expect(graph.size).toBeGreaterThan(20);
    expect(findCircles(graph, source)).toEqual([]);
  });
});
