import { randomUUID } from 'node:crypto';
import { runFresh, type Context, type ContextShape } from './context.js';

export interface JobOptions<T> {
  /** The key that holds the job's id. Default: `requestId`. */
  key?: keyof T & string;
  /** The job's id. Default: a new `crypto.randomUUID()`. */
  id?: string;
  /** More keys for the job's store, e.g. `{ tenantId }`. */
  values?: Partial<T>;
}

/**
 * Runs a background job (a queue consumer, a cron tick) in a fresh store with its own id. The store
 * does not inherit from the caller: a job scheduled during a request must not log that request's id.
 * Returns what `fn` returns, a promise included.
 */
export function runJob<T extends ContextShape<T>, R>(
  context: Context<T>,
  fn: () => R,
  options: JobOptions<T> = {},
): R {
  const key = options.key ?? 'requestId';
  const values = { ...options.values, [key]: options.id ?? randomUUID() } as Partial<T>;
  return runFresh(context, values, fn);
}
