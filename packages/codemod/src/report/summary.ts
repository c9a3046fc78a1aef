import type { NewDiagnostic, Plan, TypeScriptUsed } from '../public-types.js';
import { formatBoundary } from './boundary.js';
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
  lines.push(...formatBoundary(plan));
  const kept = plan.functions.filter((f) => f.decision === 'keep');
  if (kept.length > 0) {
    lines.push('Kept (parameter left in place; callers pass the value read from the context):');
    for (const f of kept) {
      for (const k of f.keeps) {
        lines.push(`  ${f.file}:${f.line} ${f.name}: ${KEEP_REASON_TEXT[k.reason]}${k.detail !== undefined ? ` (${k.detail})` : ''} [at ${k.at.file}:${k.at.line}]`);
      }
    }
  }
  lines.push(...formatLogs(plan));
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

/** Where the loggers now read the context, how many fields that took off log calls, and each field kept with why. */
function formatLogs(plan: Plan): string[] {
  const logs = plan.logs;
  if (logs === undefined) return [];
  const lines: string[] = [];
  if (logs.fieldsRemoved.length > 0) {
    const where = logs.configured.map((c) => `${c.file}:${c.line} (${c.library === 'winston' ? 'format' : c.library === 'json' ? 'line' : 'mixin'}: ${c.mixin})`).join(', ');
    const moved = logs.fieldsRemoved.filter((f) => f.movesInLine === true).length;
    lines.push(
      `Logs: ${logs.fieldsRemoved.length} field(s) removed from log calls; the logger writes them from the context, configured at ${where}` +
        (moved > 0 ? `; ${moved} of them change place among the line's keys (same value; winston's json() sorts the keys)` : '') +
        '. Its other lines written inside a context carry its keys too.',
    );
  }
  if (logs.kept.length > 0) {
    lines.push('Log fields kept (the logger still gets the value from the call):');
    for (const k of logs.kept) lines.push(`  ${k.file}:${k.line} ${k.field}: ${k.reason}`);
  }
  return lines;
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
