// Type-checks the changed program in memory against the original (see after-program.ts for how the
// second program is built), with the TypeScript that judges the repository: its own when it has one
// (then the original is built again with it: the analysis program is ts-morph's), else ts-morph's,
// whose analysis program is the original. Only files that changed or import a changed file (through
// any chain of imports) are compared: nothing else can gain an error. What an error means for the user (its likely cause in the plan, or a missing
// package) is the report's to say.
import path from 'node:path';
import type { ts } from 'ts-morph';
import { createProgramHost, type ProgramHost, useProjectReferenceSources } from '../program/compiler-host.js';
import type { TypeScriptApi, TypeScriptInUse } from '../program/typescript.js';
import type { FileChange } from '../public-types.js';
import type { AddedDiagnostic } from '../types.js';
import { affectedFiles } from './affected-files.js';
import { buildAfterProgram } from './after-program.js';

/** The TypeScript to check with and the compiler options as it read them (for the repository's own). */
export interface Judge {
  typescript: TypeScriptInUse;
  options: ts.CompilerOptions;
}

/** The errors the changed program has that the original did not, in the order of the affected files. */
export function verifyChanges(analysed: ts.Program, analysisHost: ProgramHost, changes: readonly FileChange[], judge?: Judge): AddedDiagnostic[] {
  let program = analysed;
  let programHost = analysisHost;
  if (judge !== undefined && judge.typescript.api !== analysisHost.api) {
    const api = judge.typescript.api;
    programHost = createProgramHost(judge.options, api, api, analysisHost.redirect);
    const projectReferences = analysed.getProjectReferences();
    if (projectReferences !== undefined && projectReferences.length > 0) useProjectReferenceSources(programHost.compilerHost);
    program = api.createProgram({ rootNames: analysed.getRootFileNames(), options: judge.options, host: programHost.compilerHost, ...(projectReferences !== undefined ? { projectReferences } : {}) });
  }
  const api = programHost.api;
  const changed = new Set(changes.map((c) => path.resolve(c.file)));
  const { program: after, resolutions } = buildAfterProgram(program, programHost, changes);
  // Edited and added files import what the new program resolved; unchanged ones what the first one did.
  const importsOf = (file: string): readonly string[] => (resolutions.has(file) ? resolutions : programHost.resolutions).importedFiles(file);
  const affected = affectedFiles(after, changed, importsOf);
  const added: AddedDiagnostic[] = [];
  for (const file of affected) {
    const sf = after.getSourceFile(file);
    if (sf === undefined) continue;
    const afterDiagnostics = diagnosticsOf(api, after, sf);
    if (afterDiagnostics.length === 0) continue;
    // Only a file with errors after the change needs its errors from before, to tell old from new.
    const beforeCounts = new Map<string, number>();
    const original = program.getSourceFile(file);
    for (const d of original !== undefined ? diagnosticsOf(api, program, original) : []) beforeCounts.set(keyOf(api, d), (beforeCounts.get(keyOf(api, d)) ?? 0) + 1);
    for (const d of afterDiagnostics) {
      const key = keyOf(api, d);
      const left = beforeCounts.get(key) ?? 0;
      if (left > 0) {
        beforeCounts.set(key, left - 1);
        continue;
      }
      const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      added.push({ at: { file, line }, code: d.code, message: api.flattenDiagnosticMessageText(d.messageText, ' ') });
    }
  }
  return added;
}

function diagnosticsOf(api: TypeScriptApi, program: ts.Program, sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter(
    (d) => d.category === api.DiagnosticCategory.Error,
  );
}

function keyOf(api: TypeScriptApi, d: ts.Diagnostic): string {
  return `${d.file?.fileName ?? ''}|${d.code}|${api.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}
