// What one call site becomes, decided once for the report and for apply alike.
import type { CallEdit, CallInfo, ContextRead, ThreadedParam } from '../types.js';
import type { Decisions } from './decide.js';

/** The threaded parameter of a function by key, to read an argument the caller no longer has. */
export type FindParam = (functionId: string, key: string) => ThreadedParam | undefined;

/** The edit of one call, or undefined when the call stays as it is. */
export function planCall(call: CallInfo, decisions: Decisions, findParam: FindParam): CallEdit | undefined {
  if (call.untransformed) return undefined;
  const calleeStripped = decisions.stripped.has(call.calleeId);
  const edit: CallEdit = {
    id: call.id,
    file: call.file,
    line: call.line,
    calleeId: call.calleeId,
    action: 'drop-argument',
    span: call.span,
    deletions: calleeStripped ? call.args.flatMap((a) => a.removal ?? []) : [],
    runKeys: [],
    dropped: [],
    contextArguments: [],
  };
  for (const arg of call.args) {
    const ownerStripped = arg.kind === 'own-param' && arg.ownerId !== undefined && decisions.stripped.has(arg.ownerId);
    if (calleeStripped) {
      // A defaulted parameter may hold its default where the context has nothing: pass that value on.
      if (ownerStripped && arg.ownerHasDefault !== true) edit.dropped.push(arg.key);
      // The adapter installed at the boundary holds this value for the whole request.
      // (or, for a Nest controller's decorated parameter, the module's handler values hold it).
      else if ((arg.kind === 'origin' || arg.kind === 'own-param') && arg.boundaryInstall !== undefined) edit.dropped.push(arg.key);
      else if ((arg.kind === 'origin' || arg.kind === 'own-param') && arg.expression !== undefined) {
        edit.runKeys.push({ key: arg.key, value: { range: arg.expression, text: arg.expressionText ?? '' } });
      }
      // Not passed: the callee saw `undefined` (or its default) before, so it must not read the caller's value
      // now; where no context holding a value can be active, it reads nothing as it is.
      else if (arg.kind === 'missing' && call.contextFree !== true) edit.runKeys.push({ key: arg.key });
    } else if (ownerStripped && arg.expression !== undefined) {
      const param = findParam(arg.ownerId!, arg.key);
      if (param !== undefined) edit.contextArguments.push({ range: arg.expression, read: contextRead(param) });
    }
  }
  if (edit.runKeys.length > 0) edit.action = 'wrap-in-run';
  else if (edit.contextArguments.length > 0) edit.action = 'pass-from-context';
  else if (edit.dropped.length === 0) return undefined;
  return edit;
}

export function contextRead(param: ThreadedParam): ContextRead {
  const read: ContextRead = { key: param.key, optional: param.optional };
  if (param.defaultText !== undefined) read.defaultText = param.defaultText;
  return read;
}
