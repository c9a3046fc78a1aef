import type { RequestKind, PlannedRequest } from './load.js';
import type { LoadRun } from './load-run.js';

// What each kind of request logs, in order: the app's behaviour written down apart from the app.
export const EXPECTED_MESSAGES: Record<RequestKind, string[]> = {
  list: ['request received', 'kv scan', 'orders listed', 'request finished'],
  found: ['request received', 'kv get', 'order found', 'request finished'],
  missing: ['request received', 'kv get', 'order not found', 'request finished'],
  place: ['request received', 'kv put', 'kv put', 'notification sent', 'order placed', 'request finished'],
  'unknown-sku': ['request received', 'unknown sku, charging list price', 'kv put', 'kv put', 'notification sent', 'order placed', 'request finished'],
  invalid: ['request received', 'order rejected', 'request finished'],
  malformed: ['request received', 'request failed', 'request finished'],
};

/** Jobs make their own ids; these are their prefixes. */
export const JOB_ID_PREFIXES = ['startup-', 'sweep-'];

// The only lines that belong to no request or job: the server's own start and stop.
const LINES_WITHOUT_ID = ['listening', 'stopped'];

/** Every `user-<n>` / `buyer-<n>` anywhere in a line's values. */
function usersIn(value: unknown): string[] {
  if (typeof value === 'string') return value.match(/\b(?:user|buyer)-\d+\b/g) ?? [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(usersIn);
}

/**
 * What is wrong with one run, as readable lines; empty when every request was answered as planned
 * and logged exactly its own lines under its own id, and nothing else logged under an unknown id or none.
 */
export function problemsIn(run: LoadRun, planned: readonly PlannedRequest[]): string[] {
  const problems: string[] = [];
  planned.forEach((spec, n) => {
    const answer = run.answers[n];
    if (answer?.status !== spec.expectedStatus || answer.echoedId !== spec.id) {
      problems.push(`${spec.id}: answered ${answer?.status} with id ${answer?.echoedId}, expected ${spec.expectedStatus}`);
    }
    const lines = run.groups.get(spec.id) ?? [];
    const messages = lines.map((line) => String(line.msg));
    if (messages.join('|') !== EXPECTED_MESSAGES[spec.kind].join('|')) {
      problems.push(`${spec.id}: logged [${messages.join(', ')}], expected [${EXPECTED_MESSAGES[spec.kind].join(', ')}]`);
    }
    const strangers = lines.flatMap(usersIn).filter((user) => user !== spec.user);
    if (strangers.length > 0) problems.push(`${spec.id} (about ${spec.user}) logged lines about ${strangers.join(', ')}`);
  });
  const plannedIds = new Set(planned.map((spec) => spec.id));
  for (const id of run.groups.keys()) {
    if (!plannedIds.has(id) && !JOB_ID_PREFIXES.some((prefix) => id.startsWith(prefix))) {
      problems.push(`lines under an id nobody sent or made: ${id}`);
    }
  }
  const withoutId = run.output.lines.filter((line) => typeof line.requestId !== 'string').map((line) => String(line.msg));
  if (withoutId.join('|') !== LINES_WITHOUT_ID.join('|')) problems.push(`lines without a request id: ${withoutId.join(', ')}`);
  if (run.output.notJson.length > 0) problems.push(`stdout lines that are not JSON: ${run.output.notJson.slice(0, 5).join(' / ')}`);
  return problems;
}
