// Imports that only a threaded parameter's type annotation uses (`import type { Logger } from './log.js'`
// for `logger: Logger`, or for the `requestId: RequestId` member a destructured key leaves): once the
// parameter goes, nothing uses them, which `noUnusedLocals` reports. The plan removes them when every
// function whose parameter used them is stripped.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { ImportUses } from '../types.js';
import type { CandidateIndex } from './collect-functions.js';

export function findParamTypeImports(
  index: CandidateIndex,
  checker: ts.TypeChecker,
  isTransformable: (file: string) => boolean,
  sourceFileOf: (file: string) => ts.SourceFile | undefined = () => undefined,
): ImportUses[] {
  // Per file, the ranges a stripped parameter takes away with the function they belong to: a positional
  // parameter with its annotation, or the member of an options type a destructured key leaves (`requestId: RequestId`).
  const byFile = new Map<ts.SourceFile, { functionId: string; start: number; end: number }[]>();
  const add = (sf: ts.SourceFile, functionId: string, start: number, end: number): void => {
    const list = byFile.get(sf) ?? [];
    list.push({ functionId, start, end });
    byFile.set(sf, list);
  };
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external' || !isTransformable(candidate.info.file)) continue;
    for (const param of candidate.info.params) {
      const parameter = candidate.node.parameters[param.index];
      if (param.shape === 'positional' && parameter?.type !== undefined) add(candidate.sf, candidate.info.id, parameter.getStart(candidate.sf), parameter.end);
      const member = param.typeMemberRemoval;
      const memberFile = member === undefined ? undefined : member.file === path.resolve(candidate.sf.fileName) ? candidate.sf : sourceFileOf(member.file);
      if (member !== undefined && memberFile !== undefined && isTransformable(member.file)) add(memberFile, candidate.info.id, member.range.start, member.range.end);
    }
  }
  const result: ImportUses[] = [];
  for (const [sf, params] of byFile) {
    const bindings = importBindings(sf, checker);
    if (bindings.length === 0) continue;
    const wanted = new Map<string, (typeof bindings)[number]>(bindings.map((b) => [b.name.text, b]));
    const uses = new Map<ts.Identifier, { total: number; inParams: Map<string, number> }>();
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const binding = wanted.get(node.text);
        if (binding !== undefined && node !== binding.name && checker.getSymbolAtLocation(node) === binding.symbol) {
          const entry = uses.get(binding.name) ?? { total: 0, inParams: new Map<string, number>() };
          entry.total++;
          const owner = params.find((p) => node.pos >= p.start && node.end <= p.end);
          if (owner !== undefined) entry.inParams.set(owner.functionId, (entry.inParams.get(owner.functionId) ?? 0) + 1);
          uses.set(binding.name, entry);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    for (const declaration of new Set(bindings.map((b) => b.declaration))) {
      const own = bindings.filter((b) => b.declaration === declaration);
      const listed = own.flatMap((b) => {
        const entry = uses.get(b.name);
        // Only a name every use of which lies in threaded parameters can become unused.
        if (entry === undefined || entry.inParams.size === 0 || [...entry.inParams.values()].reduce((a, n) => a + n, 0) !== entry.total) return [];
        return [{ name: b.name.text, functions: [...entry.inParams.keys()], removal: b.removal }];
      });
      if (listed.length === 0) continue;
      result.push({ file: path.resolve(sf.fileName), statement: statementRemoval(declaration, sf), bindingCount: own.length, bindings: listed });
    }
  }
  return result;
}

interface Binding {
  declaration: ts.ImportDeclaration;
  name: ts.Identifier;
  symbol: ts.Symbol | undefined;
  /** Deletes this binding alone: a named one with the comma after it (before it when it is last). */
  removal: { start: number; end: number; last: boolean; whole?: boolean };
}

function importBindings(sf: ts.SourceFile, checker: ts.TypeChecker): Binding[] {
  const bindings: Binding[] = [];
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) continue;
    const clause = statement.importClause;
    // A default or namespace binding goes only with its whole statement.
    const whole = { start: statement.getStart(sf), end: statement.end, last: true, whole: true };
    if (clause.name !== undefined) bindings.push({ declaration: statement, name: clause.name, symbol: checker.getSymbolAtLocation(clause.name), removal: whole });
    const named = clause.namedBindings;
    if (named !== undefined && ts.isNamespaceImport(named)) bindings.push({ declaration: statement, name: named.name, symbol: checker.getSymbolAtLocation(named.name), removal: whole });
    if (named !== undefined && ts.isNamedImports(named)) {
      named.elements.forEach((element, i) => {
        const next = named.elements[i + 1];
        const previous = named.elements[i - 1];
        const removal =
          next !== undefined
            ? { start: element.getStart(sf), end: next.getStart(sf), last: false }
            : previous !== undefined
              ? { start: previous.end, end: element.end, last: true }
              : { start: element.getStart(sf), end: element.end, last: true };
        bindings.push({ declaration: statement, name: element.name, symbol: checker.getSymbolAtLocation(element.name), removal });
      });
    }
  }
  return bindings;
}

/**
 * The whole import statement with its line when it stands alone on it. The last import keeps its end
 * where it is (the import of the context may be added right there) and takes the line break before it.
 */
function statementRemoval(statement: ts.ImportDeclaration, sf: ts.SourceFile): { start: number; end: number } {
  const text = sf.text;
  const start = statement.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', statement.end);
  const lineEnd = newline === -1 ? text.length : newline + 1;
  const alone = text.slice(lineStart, start).trim() === '' && text.slice(statement.end, lineEnd).trim() === '';
  if (!alone) return { start, end: statement.end };
  const last = !sf.statements.some((s) => s.pos >= statement.end && ts.isImportDeclaration(s));
  if (!last) return { start: lineStart, end: lineEnd };
  return lineStart > 0 ? { start: text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1, end: statement.end } : { start, end: statement.end };
}
