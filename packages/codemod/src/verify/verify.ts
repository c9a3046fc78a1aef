// Type-checks the changed program in memory against the original (see after-program.ts for how the
// second program is built). Only files that changed or import a changed file are compared: nothing
// else can gain an error.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { LoadHost } from '../load/compiler-host.js';
import type { FileChange, NewDiagnostic, Plan } from '../types.js';
import { affectedFiles } from './affected-files.js';
import { buildAfterProgram } from './after-program.js';

export interface Verification {
  newErrors: NewDiagnostic[];
  notes: string[];
}

export function verifyChanges(program: ts.Program, loadHost: LoadHost, changes: readonly FileChange[], plan: Plan): Verification {
  const changed = new Set(changes.map((c) => path.resolve(c.file)));
  const { program: after, resolutions } = buildAfterProgram(program, loadHost, changes);
  // Edited and added files import what the new program resolved; unchanged ones what the first one did.
  const importsOf = (file: string): readonly string[] => (resolutions.has(file) ? resolutions : loadHost.resolutions).importedFiles(file);
  const affected = affectedFiles(after, changed, importsOf);
  const notes: string[] = [];
  const newErrors: NewDiagnostic[] = [];
  for (const file of affected) {
    const sf = after.getSourceFile(file);
    if (sf === undefined) continue;
    const afterDiagnostics = diagnosticsOf(after, sf);
    if (afterDiagnostics.length === 0) continue;
    // Only a file with errors after the change needs its errors from before, to tell old from new.
    const beforeCounts = new Map<string, number>();
    const original = program.getSourceFile(file);
    for (const d of original !== undefined ? diagnosticsOf(program, original) : []) beforeCounts.set(keyOf(d), (beforeCounts.get(keyOf(d)) ?? 0) + 1);
    for (const d of afterDiagnostics) {
      const key = keyOf(d);
      const left = beforeCounts.get(key) ?? 0;
      if (left > 0) {
        beforeCounts.set(key, left - 1);
        continue;
      }
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (d.code === 2307 && message.includes('@unthread/context')) {
        notes.push('@unthread/context is not installed in this project: add it to your dependencies (npm install @unthread/context).');
        continue;
      }
      const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      const relative = path.relative(plan.root, file);
      newErrors.push({
        file: relative,
        line,
        code: d.code,
        message,
        causes: [
          ...plan.functions.filter((f) => f.file === relative && f.decision === 'strip').map((f) => `${f.id} ${f.name} (${f.file}:${f.line})`),
          ...plan.calls.filter((c) => c.file === relative).map((c) => `${c.id} ${c.action} ${c.calleeName}(...) (${c.file}:${c.line})`),
        ].slice(0, 8),
      });
    }
  }
  return { newErrors, notes: [...new Set(notes)] };
}

function diagnosticsOf(program: ts.Program, sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
}

function keyOf(d: ts.Diagnostic): string {
  return `${d.file?.fileName ?? ''}|${d.code}|${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}
