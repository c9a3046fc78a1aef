import type { NewDiagnostic, Plan, TypeScriptUsed } from '../public-types.js';
import { KEEP_REASON_TEXT } from './keep-reasons.js';

/** The human summary: counts, then every kept function with `file:line` and why, then skipped files. */
export function formatSummary(plan: Plan, written: boolean, dry: boolean, typescript?: TypeScriptUsed): string {
  const lines: string[] = [];
  const s = plan.summary;
  const verb = dry ? 'would change' : written ? 'changed' : 'found';
  lines.push(
    `unthread ${verb}: ${s.functionsStripped} function(s) stripped of ${plan.params.join(', ')}, ` +
      `${s.callsRewritten} call site(s) rewritten, ${s.originsWrapped} origin(s) wrapped in ${plan.contextName}.run()` +
      (s.sharedRuns > 0 ? `, ${s.sharedRuns} ${plan.contextName}.run() around consecutive statements` : '') +
      (s.unsetWrapped > 0 ? `, ${s.unsetWrapped} call(s) that leave it out wrapped to keep it unset` : '') +
      '; ' +
      `${s.functionsKept} kept.`,
  );
  if (s.functionsStripped > 0) lines.push(`Context module: ${plan.contextModule} (export ${plan.contextName}).`);
  const kept = plan.functions.filter((f) => f.decision === 'keep');
  if (kept.length > 0) {
    lines.push('Kept (parameter left in place; callers pass the value read from the context):');
    for (const f of kept) {
      for (const k of f.keeps) {
        lines.push(`  ${f.file}:${f.line} ${f.name}: ${KEEP_REASON_TEXT[k.reason]}${k.detail !== undefined ? ` (${k.detail})` : ''} [at ${k.at.file}:${k.at.line}]`);
      }
    }
  }
  for (const name of plan.unmatched) {
    lines.push(
      plan.alreadyInContext.includes(name)
        ? `${name}: no parameter left to migrate; ${plan.contextModule} already holds it.`
        : `--param ${name} matches no parameter in the loaded files.`,
    );
  }
  for (const skipped of plan.skippedFiles) lines.push(`Skipped ${skipped.file}: ${skipped.reason}`);
  if (typescript !== undefined) lines.push(formatTypeScript(typescript));
  return lines.join('\n');
}

/** Which compiler read the tsconfig and verified the change: its verdict is the one to expect from `tsc`. */
export function formatTypeScript(used: TypeScriptUsed): string {
  const whose = used.source === 'repo' ? "the repository's own" : 'bundled with unthread: the repository has none';
  return `TypeScript ${used.version} (${whose}, ${used.path}).`;
}

export function formatNewErrors(errors: readonly NewDiagnostic[]): string {
  const lines = [`Verification failed: the change would add ${errors.length} type error(s); nothing was written.`];
  for (const e of errors) {
    lines.push(`  ${e.file}:${e.line} TS${e.code}: ${e.message}`);
    for (const cause of e.causes) lines.push(`      from plan entry ${cause}`);
  }
  lines.push('Re-run with --no-verify to write anyway, or --json FILE to inspect the plan.');
  return lines.join('\n');
}
