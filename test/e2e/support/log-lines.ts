/** One parsed pino line. */
export type LogLine = Record<string, unknown>;

// Differ from run to run whatever the code does: when and where the line was written.
const VOLATILE_FIELDS = new Set(['time', 'pid', 'hostname']);

/** The line without its volatile fields, keys sorted: two lines with the same fields compare equal as JSON. */
export function withoutVolatileFields(line: LogLine): LogLine {
  const kept = Object.entries(line).filter(([key]) => !VOLATILE_FIELDS.has(key));
  return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Lines by their `requestId`, each group in the order written, volatile fields removed. Lines without an id are left out. */
export function groupByRequestId(lines: readonly LogLine[]): Map<string, LogLine[]> {
  const groups = new Map<string, LogLine[]>();
  for (const line of lines) {
    if (typeof line.requestId !== 'string') continue;
    const group = groups.get(line.requestId) ?? [];
    group.push(withoutVolatileFields(line));
    groups.set(line.requestId, group);
  }
  return groups;
}

export function messagesOf(lines: readonly LogLine[] | undefined): string[] {
  return (lines ?? []).map((line) => String(line.msg));
}

/**
 * Where two runs' groups differ for the given ids, one readable entry per id: the lines only one side
 * has, or the first position where they disagree. Empty when identical.
 */
export function differencesBetween(
  before: ReadonlyMap<string, readonly LogLine[]>,
  after: ReadonlyMap<string, readonly LogLine[]>,
  ids: readonly string[],
): string[] {
  const differences: string[] = [];
  for (const id of ids) {
    const left = (before.get(id) ?? []).map((line) => JSON.stringify(line));
    const right = (after.get(id) ?? []).map((line) => JSON.stringify(line));
    const at = left.findIndex((line, i) => line !== right[i]);
    if (at < 0 && left.length === right.length) continue;
    const position = at < 0 ? left.length : at;
    differences.push(
      `${id}: line ${position + 1} of ${left.length} before / ${right.length} after\n` +
        `    before: ${left[position] ?? '(no line)'}\n    after:  ${right[position] ?? '(no line)'}`,
    );
  }
  return differences;
}

/** The distinct message sequences of the groups whose id starts with `prefix` (jobs make their own ids). */
export function shapesOfJobs(groups: ReadonlyMap<string, readonly LogLine[]>, prefix: string): string[] {
  const shapes = new Set<string>();
  for (const [id, lines] of groups) if (id.startsWith(prefix)) shapes.add(messagesOf(lines).join(' → '));
  return [...shapes].sort();
}
