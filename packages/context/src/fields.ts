import { peekStore, type Context } from './context.js';

type AnyContext = Pick<Context<Record<string, unknown>>, 'all'>;

/**
 * The keys of the given contexts where this runs, merged into one plain object (later contexts win),
 * for loggers without a hook of their own: `console.log({ ...fields(request), msg })`, or winston's
 * `format((info) => Object.assign(info, fields(request)))()`.
 */
export function fields(...contexts: AnyContext[]): Record<string, unknown> {
  if (contexts.length === 1) return { ...peekStore(contexts[0]!) };
  const merged: Record<string, unknown> = {};
  for (const context of contexts) Object.assign(merged, peekStore(context));
  return merged;
}
