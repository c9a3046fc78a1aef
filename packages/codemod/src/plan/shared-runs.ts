// As few `run()` wrappers as the semantics allow. A call evaluated inside another call's `run()` that
// sets the same key to the same value needs no `run()` of its own; consecutive statements of a block
// whose calls set the same value share one `run()` around the statements, where moving them into a
// callback keeps what they do. "The same value" is the same text of an expression that reads the same
// value wherever it is read (a literal, a const, a binding nothing reassigns).
import type { CallEdit, CallInfo, RunBlock, RunGroup, ThreadGraph } from '../types.js';

type Entry = { key: string; text: string; declaredAt?: number };

export function shareRuns(graph: ThreadGraph, calls: CallEdit[]): RunGroup[] {
  const infos = new Map(graph.calls.map((c) => [c.id, c]));
  const within = editsWithin(calls);
  const stableEntries = (edit: CallEdit): Entry[] | undefined => {
    const info = infos.get(edit.id);
    const entries: Entry[] = [];
    for (const k of edit.runKeys) {
      if (k.value === undefined) return undefined;
      const arg = info?.args.find((a) => a.key === k.key && a.expression?.start === k.value!.range.start);
      if (arg?.stable !== true) return undefined;
      entries.push({ key: k.key, text: k.value.text, ...(arg.valueDeclaredAt !== undefined ? { declaredAt: arg.valueDeclaredAt } : {}) });
    }
    return entries.length > 0 ? entries : undefined;
  };
  const inherited = new Set<string>();
  // The same key, text and binding (a name declared at the same place): one value.
  const same = (a: Entry, b: Entry): boolean => a.key === b.key && a.text === b.text && a.declaredAt === b.declaredAt;
  const unwrap = (edit: CallEdit, set: readonly Entry[]): void => {
    const own = stableEntries(edit) ?? [];
    const kept = edit.runKeys.filter((k) => !own.some((e) => e.key === k.key && set.some((s) => same(s, e))));
    for (const k of edit.runKeys) {
      if (kept.includes(k)) continue;
      edit.dropped.push(k.key);
      inherited.add(`${edit.id}:${k.key}`);
    }
    edit.runKeys = kept;
    if (kept.length === 0) edit.action = edit.contextArguments.length > 0 ? 'pass-from-context' : 'drop-argument';
  };

  // A call inside another's run() (its callee or arguments, not the value run() is given), in the same function.
  const entriesOf = new Map(calls.filter((c) => c.action === 'wrap-in-run').map((c) => [c, stableEntries(c)]));
  for (const [o, outerEntries] of entriesOf) {
    if (outerEntries === undefined) continue;
    const scope = infos.get(o.id)?.scope;
    for (const inner of within(o.file, o.span.start, o.span.end)) {
      if (inner === o || entriesOf.get(inner) === undefined || !sameScope(infos.get(inner.id)?.scope, scope)) continue;
      if (o.runKeys.some((k) => k.value !== undefined && k.value.range.start <= inner.span.start && inner.span.end <= k.value.range.end)) continue;
      unwrap(inner, outerEntries);
    }
  }

  const groups: RunGroup[] = [];
  const inBlock = new Map<string, CallEdit[]>();
  for (const edit of calls) {
    const block = infos.get(edit.id)?.statement?.block;
    if (block === undefined) continue;
    const list = inBlock.get(block);
    if (list === undefined) inBlock.set(block, [edit]);
    else list.push(edit);
  }
  for (const [id, block] of Object.entries(graph.runBlocks ?? {})) {
    if (block.narrowedAbove) continue;
    const members = new Map<number, { edit: CallEdit; signature: string; entries: Entry[] }[]>();
    for (const edit of inBlock.get(id) ?? []) {
      const info = infos.get(edit.id);
      if (info?.statement === undefined || edit.action !== 'wrap-in-run') continue;
      const entries = stableEntries(edit);
      if (entries === undefined) continue;
      const list = members.get(info.statement.index) ?? [];
      list.push({ edit, signature: JSON.stringify(entries), entries });
      members.set(info.statement.index, list);
    }
    const used = new Set<number>();
    for (const signature of new Set([...members.values()].flat().map((m) => m.signature))) {
      const entries = [...members.values()].flat().find((m) => m.signature === signature)!.entries;
      const qualifies = (i: number): boolean => !used.has(i) && (members.get(i) ?? []).some((m) => m.signature === signature);
      for (let i = 0; i < block.statements.length; i++) {
        if (!qualifies(i)) continue;
        let end = i;
        while (end + 1 < block.statements.length && qualifies(end + 1)) end++;
        // The value is read where run() now starts: its binding must be declared before that.
        const declared = (x: number): boolean => entries.every((e) => e.declaredAt === undefined || e.declaredAt <= block.statements[x]!.range.start);
        const span = largestValid(block, i, end, (x, y) => declared(x) && !conflicts(block, x, y, entries, within, inherited));
        if (span !== undefined) {
          const [x, y] = span;
          for (let k = x; k <= y; k++) used.add(k);
          groups.push(groupOf(block, x, y, entries));
          const first = block.statements[x]!.range.start;
          const last = block.statements[y]!.range.end;
          const scope = infos.get(members.get(x)!.find((m) => m.signature === signature)!.edit.id)?.scope;
          for (const edit of within(block.file, first, last)) {
            if (edit.action !== 'wrap-in-run') continue;
            if (sameScope(infos.get(edit.id)?.scope, scope) && stableEntries(edit) !== undefined) unwrap(edit, entries);
          }
        }
        i = end;
      }
    }
  }
  return groups;
}

function sameScope(a: CallInfo['scope'], b: CallInfo['scope']): boolean {
  return a?.start === b?.start && a?.end === b?.end;
}

/** The longest run of statements within [from, to], two or more, that can move into one callback; the earliest of equals. */
function largestValid(block: RunBlock, from: number, to: number, free: (x: number, y: number) => boolean): [number, number] | undefined {
  for (let length = to - from + 1; length >= 2; length--) {
    for (let x = from; x + length - 1 <= to; x++) {
      const y = x + length - 1;
      if (movable(block, x, y) && free(x, y)) return [x, y];
    }
  }
  return undefined;
}

function movable(block: RunBlock, x: number, y: number): boolean {
  const statements = block.statements;
  if (statements.slice(0, x).some((s) => s.narrows)) return false;
  const start = statements[x]!.range.start;
  const end = statements[y]!.range.end;
  for (let k = x; k <= y; k++) {
    const s = statements[k]!;
    if (!s.movable || s.declarationsReadFrom < x || s.declarationsReadUntil > y) return false;
    if (s.returns && !(block.endsFunction && y === statements.length - 1)) return false;
    if (s.reassignedOutside.some((at) => at < start || at >= end)) return false;
  }
  return true;
}

/**
 * Code in the statements that reads a key from the context as it was (a call passing its caller's own
 * value on, an argument read from the context) would see the group's value instead.
 */
function conflicts(block: RunBlock, x: number, y: number, entries: readonly Entry[], within: EditsWithin, inherited: ReadonlySet<string>): boolean {
  const start = block.statements[x]!.range.start;
  const end = block.statements[y]!.range.end;
  const keys = new Set(entries.map((e) => e.key));
  return within(block.file, start, end).some(
    (c) => c.dropped.some((k) => keys.has(k) && !inherited.has(`${c.id}:${k}`)) || c.contextArguments.some((a) => keys.has(a.read.key)),
  );
}

type EditsWithin = (file: string, start: number, end: number) => CallEdit[];

/** The edits whose call lies within `[start, end)` of a file: each file's edits sorted once, found by binary search. */
function editsWithin(calls: readonly CallEdit[]): EditsWithin {
  const byFile = new Map<string, CallEdit[]>();
  for (const call of calls) {
    const list = byFile.get(call.file) ?? [];
    list.push(call);
    byFile.set(call.file, list);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.span.start - b.span.start);
  return (file, start, end) => {
    const list = byFile.get(file) ?? [];
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle]!.span.start < start) low = middle + 1;
      else high = middle;
    }
    const found: CallEdit[] = [];
    for (let i = low; i < list.length && list[i]!.span.start < end; i++) if (list[i]!.span.end <= end) found.push(list[i]!);
    return found;
  };
}

function groupOf(block: RunBlock, x: number, y: number, entries: Entry[]): RunGroup {
  const statements = block.statements.slice(x, y + 1);
  return {
    file: block.file,
    range: { start: statements[0]!.range.start, end: statements[statements.length - 1]!.range.end },
    keys: entries.map(({ key, text }) => ({ key, text })),
    returns: statements.some((s) => s.returns),
    awaits: statements.some((s) => s.awaits),
    indent: statements[0]!.indent,
    indentUnit: block.indentUnit,
    newline: block.newline,
    // The first statement's own line already holds `run(`; lines above it stay outside.
    lineStarts: statements.flatMap((s) => s.lineStarts).filter((at) => at > statements[0]!.range.start),
  };
}
