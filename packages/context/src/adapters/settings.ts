import { randomUUID } from 'node:crypto';
import type { ContextShape } from '../context.js';
import { resolveRequestId } from '../request-id.js';

/** What every framework adapter accepts. `Req` is the framework's request object. */
export interface RequestContextOptions<T extends ContextShape<T>, Req> {
  /** The context key that holds the request id. Default: `requestId`. */
  key?: keyof T & string;
  /** The incoming header that may carry the id (case-insensitive). Default: `x-request-id`. */
  header?: string;
  /**
   * Echo the id in a response header: `true` uses the incoming header's name, a string names
   * another header. Default: no echo.
   */
  echoHeader?: boolean | string;
  /** Makes an id when the request brings none, or one that is unsafe. Default: `crypto.randomUUID`. */
  generateId?: () => string;
  /** More keys for the request's store, e.g. `(req) => ({ tenantId: req.headers['x-tenant'] })`. */
  values?: (req: Req) => Partial<T>;
}

/** Options resolved once, when the middleware is made, so the per-request path only reads fields. */
export interface RequestContextSettings<T extends ContextShape<T>, Req> {
  /** Lower-case, as Node's `IncomingMessage.headers` keys are. */
  readonly header: string;
  /** The response header to echo the id in, or `undefined` for none. */
  readonly echoHeader: string | undefined;
  /** The request's id and its store: the id from `headerValue` if safe, else a generated one. */
  storeFor(headerValue: unknown, req: Req): { id: string; values: Partial<T> };
}

export function resolveSettings<T extends ContextShape<T>, Req>(
  options: RequestContextOptions<T, Req>,
): RequestContextSettings<T, Req> {
  const key = options.key ?? 'requestId';
  const header = (options.header ?? 'x-request-id').toLowerCase();
  const echoHeader = options.echoHeader === true ? header : options.echoHeader || undefined;
  const generateId = options.generateId ?? randomUUID;
  const extra = options.values;
  return {
    header,
    echoHeader,
    storeFor(headerValue, req) {
      const id = resolveRequestId(headerValue, generateId);
      // The user's function runs last so it may deliberately override any key, the id included.
      const values = (extra === undefined ? { [key]: id } : { [key]: id, ...extra(req) }) as Partial<T>;
      return { id, values };
    },
  };
}
