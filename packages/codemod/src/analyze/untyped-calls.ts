// Calls the checker cannot tie to a function: `handler.getStatus(logger)` where `handler` is `any` (a
// test table whose type a broken `@types` setup lost, a JavaScript value). The rewrite never sees them,
// so they would go on passing the value to a function that no longer takes it and reads the context
// instead, where no run() set it. A function such a call may reach, by its name and by the argument it
// passes at the parameter's position, keeps its parameter.
import { ts } from 'ts-morph';
import type { Keep } from '../public-types.js';
import type { Candidate, CandidateIndex } from './collect-functions.js';
import { lineOf } from './syntax.js';

export function addUntypedCallKeeps(files: readonly ts.SourceFile[], index: CandidateIndex, checker: ts.TypeChecker): void {
  const byName = new Map<string, Candidate[]>();
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external' || candidate.info.params.every((p) => p.shape !== 'positional')) continue;
    const name = candidate.info.name.split('.').pop()!;
    byName.set(name, [...(byName.get(name) ?? []), candidate]);
  }
  if (byName.size === 0) return;
  for (const sf of files) {
    if (sf.isDeclarationFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const candidates = byName.get(node.expression.name.text);
        if (candidates !== undefined && isUntyped(node.expression.expression, checker)) {
          for (const candidate of candidates) keepFor(candidate, node, sf);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

/** A receiver typed `any` (or not typed at all): the checker resolves none of its members. */
function isUntyped(receiver: ts.Expression, checker: ts.TypeChecker): boolean {
  return (checker.getTypeAtLocation(receiver).flags & ts.TypeFlags.Any) !== 0;
}

function keepFor(candidate: Candidate, call: ts.CallExpression, sf: ts.SourceFile): void {
  // Only a call that passes what the parameter holds, by its name: `getStatus(logger)`, `send(x, this.logger)`.
  const passes = candidate.info.params.some((p) => p.shape === 'positional' && namesParam(call.arguments[p.argumentIndex], p.local, p.key));
  if (!passes || candidate.info.keeps.some((k) => k.reason === 'called-untyped')) return;
  const at = { file: sf.fileName, line: lineOf(sf, call.getStart(sf)) };
  const keep: Keep = { reason: 'called-untyped', at, detail: `${call.expression.getText(sf)}(…) on a value of type any` };
  candidate.info.keeps.push(keep);
}

function namesParam(argument: ts.Expression | undefined, local: string, key: string): boolean {
  if (argument === undefined) return false;
  const name = ts.isIdentifier(argument) ? argument.text : ts.isPropertyAccessExpression(argument) ? argument.name.text : undefined;
  return name === local || name === key;
}
