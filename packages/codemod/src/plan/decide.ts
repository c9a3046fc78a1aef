// Which functions lose their parameters and which keep them, and why. Keeping is contagious along
// signatures that must stay identical (an interface member and its implementations), and a call site
// can keep its callee (its value cannot move without reordering evaluation, say).
import type { Keep } from '../public-types.js';
import type { ThreadGraph } from '../types.js';

export interface Decisions {
  /** Ids of the functions that lose their threaded parameters. */
  stripped: Set<string>;
  /** Every function's reasons to keep its parameters (empty for a stripped one). */
  keeps: Map<string, Keep[]>;
}

export function decide(graph: ThreadGraph): Decisions {
  const keeps = new Map<string, Keep[]>(graph.functions.map((f) => [f.id, [...f.keeps]]));
  const addKeep = (id: string, keep: Keep): boolean => {
    const list = keeps.get(id);
    if (list === undefined || list.some((k) => k.reason === keep.reason)) return false;
    list.push(keep);
    return true;
  };
  const isKept = (id: string): boolean => (keeps.get(id)?.length ?? 1) > 0;

  // Keeps from call sites, then along linked signatures, until nothing changes: a super() call's
  // verdict depends on whether its caller keeps its own parameter.
  let changed = true;
  while (changed) {
    changed = false;
    for (const call of graph.calls) {
      const at = { file: call.file, line: call.line };
      // Leaving the argument out counts too: that call cannot be wrapped to keep the key unset.
      // Leaving it out where no context holding a value is active needs no wrapper, so no rewrite either.
      const unsetFree = call.contextFree === true && call.args.every((a) => a.kind === 'missing');
      if (call.untransformed && !unsetFree) {
        changed = addKeep(call.calleeId, { reason: 'called-from-untransformed-file', at }) || changed;
      }
      if (call.args.some((a) => a.kind === 'unknown')) {
        changed = addKeep(call.calleeId, { reason: 'unknown-argument', at, detail: 'a spread or an options object that is not a literal' }) || changed;
      }
      // A missing argument moves too: the call runs inside `run({ key: undefined }, () => call)`.
      const moved = call.args.filter(
        (a) =>
          // The request's own value, which the adapter sets at the boundary, leaves the call without moving.
          (a.kind === 'origin' && a.boundaryInstall === undefined) ||
          (a.kind === 'missing' && call.contextFree !== true) ||
          (a.kind === 'own-param' && a.boundaryInstall === undefined && a.ownerId !== undefined && (isKept(a.ownerId) || a.ownerHasDefault === true)),
      );
      if (moved.some((a) => !a.pure) && !call.prefixPure) {
        changed = addKeep(call.calleeId, { reason: 'evaluation-order', at, detail: 'moving the value before the call would reorder side effects' }) || changed;
      }
      if (call.awaitsInCall && moved.length > 0) {
        changed = addKeep(call.calleeId, { reason: 'evaluation-order', at, detail: 'the call awaits or yields in its arguments' }) || changed;
      }
      if (call.isSuperCall && moved.length > 0) {
        changed = addKeep(call.calleeId, { reason: 'evaluation-order', at, detail: 'super() cannot move into a callback' }) || changed;
      }
    }
    for (const fn of graph.functions) {
      if (!isKept(fn.id)) continue;
      for (const other of fn.linked) {
        changed = addKeep(other, { reason: 'shares-signature-with-kept', at: { file: fn.file, line: fn.line }, detail: fn.name }) || changed;
      }
    }
  }
  const stripped = new Set(graph.functions.filter((f) => f.kind !== 'external' && !isKept(f.id)).map((f) => f.id));
  return { stripped, keeps };
}
