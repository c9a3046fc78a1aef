// Where a package import the codemod adds (`@unthread/context/pino`) goes: with the file's package
// imports when the file keeps them before its local ones, in their alphabetical place when they are
// sorted; above the local imports when the file has no package import yet. A file whose imports mix
// the two gives no order to follow: the import then goes after the last one, as before.
import { builtinModules } from 'node:module';
import type { ts } from 'ts-morph';
import type { FileStyle } from '../types.js';

export interface ImportStatement {
  statement: ts.Statement;
  specifier: ts.StringLiteralLike;
}

/** `isPackage`: the specifier names a package (or a Node built-in), not a file of the repository. */
export function packageImportSlot(
  sf: ts.SourceFile,
  imports: readonly ImportStatement[],
  isPackage: (specifier: ts.StringLiteralLike) => boolean,
): FileStyle['packageImportSlot'] {
  if (imports.length === 0) return undefined;
  const kinds = imports.map((i) => isPackage(i.specifier));
  const lastPackage = kinds.lastIndexOf(true);
  const firstLocal = kinds.indexOf(false);
  if (lastPackage === -1) return { before: imports[0]!.statement.getStart(sf) };
  if (firstLocal !== -1 && firstLocal < lastPackage) return undefined;
  const runs: ImportStatement[][] = [];
  for (const [i, current] of imports.slice(0, lastPackage + 1).entries()) {
    const previous = imports[i - 1];
    const blankLine = previous !== undefined && /\n[ \t]*\r?\n/.test(sf.text.slice(previous.statement.end, current.statement.getStart(sf)));
    if (previous === undefined || blankLine) runs.push([current]);
    else runs[runs.length - 1]!.push(current);
  }
  // Built-ins often have a group of their own above the packages: a package joins the packages' group.
  const run = [...runs].reverse().find((r) => r.some((i) => !isBuiltin(i.specifier.text))) ?? runs[runs.length - 1]!;
  const entries = run.map((i) => ({ specifier: i.specifier.text, start: i.statement.getStart(sf), end: i.statement.end }));
  const sorted = entries.length > 1 && entries.every((e, i) => i === 0 || entries[i - 1]!.specifier.toLowerCase() <= e.specifier.toLowerCase());
  return { run: entries, sorted };
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
}
