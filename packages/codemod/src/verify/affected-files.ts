// The files a change can give a new error: the changed files and every file that imports one of them,
// directly or through any chain of imports. A file that imports `makeOptions` from an unchanged module
// can still gain an error when the type `makeOptions` returns lost a key in a changed one; re-exports
// (a barrel `index.ts`) are one such chain.
import path from 'node:path';
import type { ts } from 'ts-morph';

/**
 * `importsOf` answers from the module resolutions the programs already made (imports, re-exports,
 * `import x = require`, `require` in JS files and `import("...")` types), so nothing is resolved again.
 */
export function affectedFiles(program: ts.Program, changed: ReadonlySet<string>, importsOf: (file: string) => readonly string[]): Set<string> {
  const importers = new Map<string, Set<string>>();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
    const from = path.resolve(sf.fileName);
    for (const target of importsOf(from)) {
      let set = importers.get(target);
      if (set === undefined) importers.set(target, (set = new Set()));
      set.add(from);
    }
  }
  const result = new Set(changed);
  const queue = [...changed];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const importer of importers.get(file) ?? []) {
      if (result.has(importer)) continue;
      result.add(importer);
      queue.push(importer);
    }
  }
  return result;
}
