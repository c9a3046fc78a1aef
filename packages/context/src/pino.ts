import type { Context } from './context.js';
import { fields } from './fields.js';

type AnyContext = Pick<Context<Record<string, unknown>>, 'all'>;

/**
 * A pino `mixin` that adds the keys of the given contexts to every log line:
 * `pino({ mixin: pinoMixin(request) })`. Keys passed to the log call itself win over the context's.
 * When an OpenTelemetry span is active, the line also gets its `trace_id` and `span_id`.
 */
export function pinoMixin(...contexts: AnyContext[]): () => Record<string, unknown> {
  if (contexts.length === 0) throw new TypeError('pinoMixin(...contexts): pass at least one context.');
  return () => fields(...contexts);
}
