// Where the context is set once per request, as the report tells it: the adapter's file and line in
// the written file, and the origins that still get a `run()` of their own, with why.
import type { FileChange, Plan } from '../public-types.js';
import path from 'node:path';

export function formatBoundary(plan: Plan): string[] {
  const boundary = plan.boundary;
  if (boundary === undefined) return [];
  const lines: string[] = [];
  for (const install of boundary.installs) {
    lines.push(`Context set once per request at ${install.file}:${install.line} (line in the written file): ${install.statement}`);
  }
  if (boundary.fallbacks.length > 0) {
    lines.push(`Read from the request but wrapped in ${plan.contextName}.run() at the call (the adapter cannot be shown to hold it there):`);
    for (const f of boundary.fallbacks) lines.push(`  ${f.file}:${f.line} ${f.expression}: ${f.reason}`);
  }
  return lines;
}

/** Each install's line and statement as written in the changed file (imports added above it move it down). */
export function locateInstalls(plan: Plan, changes: readonly FileChange[]): void {
  for (const install of plan.boundary?.installs ?? []) {
    const change = changes.find((c) => path.relative(plan.root, c.file) === install.file);
    // `app.use(requestContext(`: the context's local name in that file may differ from the export's.
    const head = install.statement.slice(0, install.statement.indexOf('(', install.statement.indexOf('(') + 1) + 1);
    const at = change?.after.indexOf(head);
    if (change === undefined || at === undefined || at < 0) continue;
    install.line = change.after.slice(0, at).split('\n').length;
    const lineEnd = change.after.indexOf('\n', at);
    install.statement = change.after.slice(at, lineEnd === -1 ? undefined : lineEnd).trimEnd();
  }
}
