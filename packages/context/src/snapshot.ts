import { AsyncResource } from 'node:async_hooks';

/** Runs a function in the contexts captured by {@link snapshot}. */
export type ContextSnapshot = <A extends unknown[], R>(fn: (...args: A) => R, ...args: A) => R;

/**
 * Captures every context current now (every AsyncLocalStorage, this package's and others' such as
 * OpenTelemetry's) and returns a runner that restores them all for the function it is given.
 */
export function snapshot(): ContextSnapshot {
  // What AsyncLocalStorage.snapshot() does, without the bound function it builds and pays for on Node 20.
  const resource = new AsyncResource('unthread.snapshot');
  return (fn, ...args) => resource.runInAsyncScope(fn, undefined, ...args);
}
