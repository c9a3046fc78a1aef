// Type-checks the changed program in memory against the original (see after-program.ts for how the
// second program is built). Only files that changed or import a changed file are compared: nothing
// else can gain an error. What an error means for the user (its likely cause in the plan, or a missing
// package) is the report's to say.
import path from 'node:path';
import { ts } from 'ts-morph';
import type { ProgramHost } from '../program/compiler-host.js';
import type { FileChange } from '../public-types.js';
import type { AddedDiagnostic } from '../types.js';
import { affectedFiles } from './affected-files.js';
import { buildAfterProgram } from './after-program.js';

/** The errors the changed program has that the original did not, in the order of the affected files. */
export function verifyChanges(program: ts.Program, programHost: ProgramHost, changes: readonly FileChange[]): AddedDiagnostic[] {
  const changed = new Set(changes.map((c) => path.resolve(c.file)));
  const { program: after, resolutions } = buildAfterProgram(program, programHost, changes);
  // Edited and added files import what the new program resolved; unchanged ones what the first one did.
  const importsOf = (file: string): readonly string[] => (resolutions.has(file) ? resolutions : programHost.resolutions).importedFiles(file);
  const affected = affectedFiles(after, changed, importsOf);
  const added: AddedDiagnostic[] = [];
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
      const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      added.push({ at: { file, line }, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') });
    }
  }
  return added;
}

function diagnosticsOf(program: ts.Program, sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
}

function keyOf(d: ts.Diagnostic): string {
  return `${d.file?.fileName ?? ''}|${d.code}|${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}
