// Which log fields go and which loggers get a mixin. A field goes only when its logger is one pino
// construction that takes the mixin, its function loses the parameter (so the context holds what the
// parameter held), and nothing keeps the value as a child binding on that logger: pino writes a
// binding and a mixin key both, so such a line would carry the key twice.
import path from 'node:path';
import type { CallEdit, LogEdits, LogField, LoggerConstruction, Range, ThreadGraph } from '../types.js';
import type { Decisions } from './decide.js';

export interface LogDecisions {
  removed: LogField[];
  kept: { field: LogField; reason: string }[];
  /** The loggers that get a mixin, with the name each key is written under. */
  configured: { logger: LoggerConstruction; names: Record<string, string> }[];
  /** Wrapped calls of a logger wrapper whose `run()` takes in the whole log call (`logFor(id).info(…)`). */
  logCallSpans: Map<string, Range>;
  /** Reads of each function's local that the removed fields took: `functionId\0local` → count. */
  readsTaken: Map<string, number>;
}

export function decideLogs(graph: ThreadGraph, decisions: Decisions, callEdits: ReadonlyMap<string, CallEdit>): LogDecisions {
  const fields = graph.logs?.fields ?? [];
  const loggers = new Map((graph.logs?.loggers ?? []).map((l) => [l.id, l]));
  const names = new Map(graph.functions.map((f) => [f.id, f.name]));
  const where = (at: { file: string; line: number }): string => `${path.relative(graph.root, at.file)}:${at.line}`;
  const reasons = new Map<LogField, string>();

  for (const field of fields) {
    const reason = ownReason(field);
    if (reason !== undefined) reasons.set(field, reason);
  }
  function ownReason(field: LogField): string | undefined {
    if (field.blocker !== undefined) return field.blocker;
    if (!decisions.stripped.has(field.functionId)) return `${names.get(field.functionId) ?? 'its function'} keeps its parameter`;
    const logger = field.loggerId !== undefined ? loggers.get(field.loggerId) : undefined;
    if (logger === undefined) return 'its logger cannot be followed to where it is made';
    if (logger.blocker !== undefined) return `the logger made at ${where(logger)} takes no mixin: ${logger.blocker}`;
    for (const use of field.wrapperCalls ?? []) {
      const edit = callEdits.get(use.callId);
      if (edit?.action !== 'wrap-in-run') continue;
      const at = where(edit);
      if (use.use === 'local') return `${at} sets the value for ${names.get(edit.calleeId)}() and keeps the logger in a const: a run() cannot take in its log calls`;
      if (use.awaits) return `${at}: the log call awaits in its arguments and cannot move into run()`;
    }
    return undefined;
  }

  // One name per key and logger: the one most fields use; a field under another name stays.
  const chosen = new Map<string, string>();
  const open = (f: LogField): boolean => !reasons.has(f);
  for (const [id] of loggers) {
    const counts = new Map<string, Map<string, number>>();
    for (const f of fields.filter((f) => f.loggerId === id && open(f))) {
      const byName = counts.get(f.key) ?? new Map<string, number>();
      byName.set(f.name, (byName.get(f.name) ?? 0) + 1);
      counts.set(f.key, byName);
    }
    for (const [key, byName] of counts) chosen.set(`${id}\0${key}`, [...byName].sort((a, b) => b[1] - a[1])[0]![0]);
  }
  for (const f of fields.filter(open)) {
    const name = chosen.get(`${f.loggerId}\0${f.key}`);
    if (name !== undefined && name !== f.name) reasons.set(f, `the logger writes ${f.key} as \`${name}\`; this field names it \`${f.name}\``);
    const logger = f.loggerId !== undefined ? loggers.get(f.loggerId) : undefined;
    if (logger?.fixedKeys?.includes(f.name) === true) {
      reasons.set(f, `the logger made at ${where(logger)} gives every line a fixed \`${f.name}\` already, which would hide or repeat the context's`);
    }
  }

  // Fields that share one deletion (an object left empty, neighbouring properties) go together or stay together.
  const byRemoval = groupBy(fields, (f) => `${f.file}\0${f.removal.range.start}\0${f.removal.range.end}`);
  for (const group of byRemoval.values()) {
    const staying = group.find((f) => reasons.has(f));
    if (staying === undefined) continue;
    for (const f of group) if (!reasons.has(f)) reasons.set(f, `it shares its deletion with a field that stays (${reasons.get(staying)})`);
  }

  // A binding that stays would be written twice once the logger has a mixin: its logger takes none.
  const untracedBinding = fields.find((f) => f.kind === 'binding' && f.loggerId === undefined);
  for (const [id, logger] of loggers) {
    const binding = untracedBinding ?? fields.find((f) => f.loggerId === id && f.kind === 'binding' && reasons.has(f));
    if (binding === undefined) continue;
    const why = `a child logger at ${where(binding)} keeps the value as a binding, which a mixin on the logger made at ${where(logger)} would write twice`;
    for (const f of fields) if (f.loggerId === id && !reasons.has(f)) reasons.set(f, why);
  }

  const removed = fields.filter((f) => !reasons.has(f));
  const configured = [...loggers.values()].flatMap((logger) => {
    const mine = removed.filter((f) => f.loggerId === logger.id);
    if (mine.length === 0) return [];
    return [{ logger, names: Object.fromEntries(mine.map((f) => [f.key, f.name])) }];
  });
  const logCallSpans = new Map<string, Range>();
  for (const f of removed) {
    for (const use of f.wrapperCalls ?? []) {
      if (use.logCall !== undefined && callEdits.get(use.callId)?.action === 'wrap-in-run') logCallSpans.set(use.callId, use.logCall);
    }
  }
  const readsTaken = new Map<string, number>();
  for (const f of removed) readsTaken.set(`${f.functionId}\0${f.local}`, (readsTaken.get(`${f.functionId}\0${f.local}`) ?? 0) + 1);
  return { removed, kept: fields.filter((f) => reasons.has(f)).map((field) => ({ field, reason: reasons.get(field)! })), configured, logCallSpans, readsTaken };
}

/** The text edits for apply: the removals (once per shared range) and each mixin to insert. */
export function logEdits(logs: LogDecisions): LogEdits {
  const removals = [...groupBy(logs.removed, (f) => `${f.file}\0${f.removal.range.start}\0${f.removal.range.end}`).values()].map((group) => ({
    file: group[0]!.file,
    ...group[0]!.removal,
  }));
  const mixins = logs.configured.flatMap(({ logger, names }) => {
    if (logger.insert === undefined) return [];
    // The repo's own JSON line writes each key by name: it always needs them.
    const renamed = logger.library === 'json' || Object.entries(names).some(([key, name]) => key !== name);
    const mixin: LogEdits['mixins'][number] = { file: logger.file, line: logger.line, ...logger.insert, ...(logger.library !== 'pino' ? { library: logger.library } : {}) };
    if (renamed) mixin.fields = Object.entries(names).map(([key, name]) => ({ key, name }));
    return [mixin];
  });
  return {
    removals,
    mixins,
    removed: logs.removed.map((f) => ({ file: f.file, line: f.line, field: f.name, key: f.key, ...(f.moves ? { movesInLine: true as const } : {}) })),
    kept: logs.kept.map(({ field: f, reason }) => ({ file: f.file, line: f.line, field: f.name, key: f.key, reason })),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
