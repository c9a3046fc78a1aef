// The errors verification found, told to the user: each with the plan entries in its file that likely
// caused it. An error that only says `@unthread/context` cannot be found is not the change's fault when
// the package is not installed: it becomes a note. When it is installed, the repository's compiler
// options cannot resolve it (Node 10 resolution does not read a package's `exports`, say): that stays
// an error, since the written code would not compile, and a note says why.
import path from 'node:path';
import type { NewDiagnostic, Plan } from '../public-types.js';
import type { AddedDiagnostic } from '../types.js';

export interface AttributedDiagnostics {
  newErrors: NewDiagnostic[];
  notes: string[];
}

/** At most this many causes per error: past that the list says nothing a reader can act on. */
const MAX_CAUSES = 8;

export function attributeCauses(diagnostics: readonly AddedDiagnostic[], plan: Plan, contextPackageInstalled: boolean): AttributedDiagnostics {
  const notes = new Set<string>();
  const newErrors: NewDiagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code === 2307 && d.message.includes('@unthread/context')) {
      if (!contextPackageInstalled) {
        notes.add('@unthread/context is not installed in this project: add it to your dependencies (npm install @unthread/context).');
        continue;
      }
      notes.add(
        "@unthread/context is installed, but this project's compiler options do not resolve it: it is found through its package.json `exports`, " +
          'which `moduleResolution` node16, nodenext or bundler read and node10 (the default of `module: commonjs` before TypeScript 6) does not.',
      );
    }
    const file = path.relative(plan.root, d.at.file);
    newErrors.push({
      file,
      line: d.at.line,
      code: d.code,
      message: d.message,
      causes: [
        ...plan.functions.filter((f) => f.file === file && f.decision === 'strip').map((f) => `${f.id} ${f.name} (${f.file}:${f.line})`),
        ...plan.calls.filter((c) => c.file === file).map((c) => `${c.id} ${c.action} ${c.calleeName}(...) (${c.file}:${c.line})`),
      ].slice(0, MAX_CAUSES),
    });
  }
  return { newErrors, notes: [...notes] };
}
