import { addAbortListener } from 'node:events';
import { bindCallback } from './bind.js';

/**
 * `signal.addEventListener('abort', listener)` in its bound form: the listener runs in every context
 * current at this call. An `abort` listener otherwise runs in the context of whoever calls `abort()`:
 * for a process-wide shutdown signal that is the shutdown code, and for a signal shared between
 * requests it is another request. Runs at once (in a microtask) when `signal` is already aborted,
 * and returns a `Disposable` that removes the listener.
 */
export function onAbort(signal: AbortSignal, listener: (event: Event) => void): Disposable {
  if (typeof listener !== 'function') throw new TypeError('onAbort(signal, listener): listener must be a function.');
  return addAbortListener(signal, bindCallback(listener));
}
