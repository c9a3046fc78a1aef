// A file that does not parse is left unchanged, and the checker cannot be trusted to resolve what it
// calls (the parser's recovery may turn a call into anything). Once its syntax is fixed it calls the
// functions it names, with the arguments it has now: every function its text names keeps its parameter.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { CandidateIndex } from './collect-functions.js';
import { lineOf } from './syntax.js';

export function addUnparsableFileKeeps(program: ts.Program, files: readonly ts.SourceFile[], index: CandidateIndex, isTransformable: (file: string) => boolean): void {
  for (const sf of files) {
    const file = path.resolve(sf.fileName);
    if (sf.isDeclarationFile || isTransformable(file) || program.getSyntacticDiagnostics(sf).length === 0) continue;
    const named = identifiersIn(sf);
    for (const candidate of index.list) {
      const name = candidate.info.name.split('.').pop();
      if (name === undefined || !named.has(name) || candidate.info.kind === 'external') continue;
      if (candidate.info.keeps.some((k) => k.reason === 'called-from-untransformed-file')) continue;
      const at = { file, line: lineOf(sf, named.get(name)!) };
      candidate.info.keeps.push({ reason: 'called-from-untransformed-file', at, detail: `named in a file that does not parse (${path.basename(file)})` });
    }
  }
}

/** Identifier texts by the scanner (not the parser, whose recovery may drop them), with the first position of each. */
function identifiersIn(sf: ts.SourceFile): Map<string, number> {
  const found = new Map<string, number>();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, sf.languageVariant, sf.text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier && !found.has(scanner.getTokenValue())) found.set(scanner.getTokenValue(), scanner.getTokenStart());
  }
  return found;
}
