/**
 * Where @opentelemetry/api 1.x keeps what an SDK registered (the context manager among them): one
 * object on `globalThis` that every copy of the API in the process shares. Reading it here, rather
 * than importing the API, costs a process without OpenTelemetry one property read per log line and
 * needs no dependency, optional or not.
 */
const OTEL_API = Symbol.for('opentelemetry.js.api.1');
/** The key the API stores the active span under in its Context (`createContextKey` is `Symbol.for`). */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';

interface OtelGlobal {
  context?: { active(): { getValue(key: symbol): unknown } };
}

interface SpanLike {
  spanContext(): { traceId: string; spanId: string };
}

/** The log fields OpenTelemetry's log correlation uses. */
export interface TraceFields {
  trace_id: string;
  span_id: string;
}

/**
 * The active OpenTelemetry span's `trace_id` and `span_id`, or `undefined` when OpenTelemetry is not
 * set up in this process, or no span with a valid context is active where this runs.
 */
export function traceFields(): TraceFields | undefined {
  const api = (globalThis as Record<symbol, OtelGlobal | undefined>)[OTEL_API];
  if (api?.context === undefined) return undefined;
  const span = api.context.active().getValue(SPAN_KEY) as SpanLike | undefined;
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  return { trace_id: traceId, span_id: spanId };
}
