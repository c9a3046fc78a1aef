import { peekStore, type Context } from './context.js';
import { traceFields } from './trace-fields.js';

type AnyContext = Pick<Context<Record<string, unknown>>, 'all'>;

/**
 * The keys of the given contexts where this runs, merged into one plain object (later contexts win),
 * for loggers without a hook of their own: `console.log({ ...fields(request), msg })` (winston has
 * `winstonFormat` in `/winston`). When an OpenTelemetry span is active,
 * its `trace_id` and `span_id` come first (a context key of the same name wins).
 */
export function fields(...contexts: AnyContext[]): Record<string, unknown> {
  const trace = traceFields();
  if (contexts.length === 1) {
    return trace === undefined ? { ...peekStore(contexts[0]!) } : { ...trace, ...peekStore(contexts[0]!) };
  }
  const merged: Record<string, unknown> = { ...trace };
  for (const context of contexts) Object.assign(merged, peekStore(context));
  return merged;
}
