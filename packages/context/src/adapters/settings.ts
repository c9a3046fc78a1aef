import { randomUUID } from 'node:crypto';
import type { ContextShape } from '../context.js';
import { isSafeRequestId } from '../request-id.js';

/**
 * What every framework adapter accepts. `Req` is the framework's request object; `Res` what the
 * framework gives beside it (Express's `res`, Fastify's `reply`), for `values`.
 */
export interface RequestContextOptions<T extends ContextShape<T>, Req, Res = unknown> {
  /** The context key that holds the request id. Default: `requestId`. */
  key?: keyof T & string;
  /** The incoming header that may carry the id (case-insensitive). Default: `x-request-id`. */
  header?: string;
  /**
   * Whether the id in `header` is taken: `false` ignores it (an id is always made), a function
   * decides per request, e.g. only behind your own proxy. Default: `true`.
   */
  trustHeader?: boolean | ((req: Req) => boolean);
  /**
   * Echo the id in a response header: `true` uses the incoming header's name, a string names
   * another header. Default: no echo.
   */
  echoHeader?: boolean | string;
  /**
   * Makes an id when the request brings none, or one that is unsafe. It receives the framework's
   * request. Default: `crypto.randomUUID()`.
   */
  generateId?: (req: Req) => string;
  /**
   * More keys for the request's store, e.g. `(req) => ({ tenantId: req.headers['x-tenant'] })`. When
   * it returns the id's key, that value is the request's id (checked like a header's, and echoed).
   * Express also passes `res` (for `res.locals`), Fastify its `reply`.
   */
  values?: (req: Req, res: Res) => Partial<T>;
  /**
   * `false` when the app's own middleware already gave the request its id: the adapter then reads no
   * header, makes no id and echoes none, and the store holds exactly what `values` returns, so code
   * that read the app's value before reads the same one from the context. Default: `true`.
   */
  assignId?: boolean;
}

/** What an adapter knows of its framework: how to read a header, and an id the framework made. */
export interface FrameworkAccess<Req> {
  readHeader: (req: Req, name: string) => unknown;
  /** The framework's own id for the request, when the user asked to reuse it. */
  frameworkId?: (req: Req) => unknown;
}

/** Options resolved once, when the middleware is made, so the per-request path only reads fields. */
export interface RequestContextSettings<T extends ContextShape<T>, Req, Res = unknown> {
  /** The response header to echo the id in, or `undefined` for none. */
  readonly echoHeader: string | undefined;
  /**
   * The request's id and its store. The id is the first of `values(req)[key]`, the framework's id
   * (when asked for) and the trusted header that is set; if that one is unsafe, or none is set, a
   * generated one. The store's key always holds the id, so what is echoed is what is logged. With
   * `assignId: false` the id is `''` (nothing is echoed then) and the store is what `values` returns.
   */
  storeFor(req: Req, res: Res): { id: string; values: Partial<T> };
}

function defaultId(): string {
  // Not `randomUUID` itself: it would receive the request as its options argument.
  return randomUUID();
}

export function resolveSettings<T extends ContextShape<T>, Req, Res = unknown>(
  options: RequestContextOptions<T, Req, Res>,
  access: FrameworkAccess<Req>,
): RequestContextSettings<T, Req, Res> {
  const key = options.key ?? 'requestId';
  // Lower-case, as Node's `IncomingMessage.headers` keys are.
  const header = (options.header ?? 'x-request-id').toLowerCase();
  const echoHeader = options.echoHeader === true ? header : options.echoHeader || undefined;
  const generateId = options.generateId ?? defaultId;
  const trustHeader = options.trustHeader ?? true;
  const { readHeader, frameworkId } = access;
  const extra = options.values;
  if (options.assignId === false) {
    return {
      echoHeader: undefined,
      storeFor: (req, res) => ({ id: '', values: extra === undefined ? {} : { ...extra(req, res) } }),
    };
  }

  /** The id the request brings, before the safety check: framework's first, then the header. */
  function incomingId(req: Req): unknown {
    if (frameworkId !== undefined) return frameworkId(req);
    if (trustHeader === true || (trustHeader !== false && trustHeader(req))) return readHeader(req, header);
    return undefined;
  }

  return {
    echoHeader,
    storeFor(req, res) {
      if (extra === undefined) {
        const candidate = incomingId(req);
        const id = isSafeRequestId(candidate) ? candidate : generateId(req);
        return { id, values: { [key]: id } as Partial<T> };
      }
      const more = extra(req, res) as Record<string, unknown>;
      const derived = more[key];
      const candidate = derived === undefined ? incomingId(req) : derived;
      // A derived id is checked like a header's: it often comes from another header the client sets.
      const id = isSafeRequestId(candidate) ? candidate : generateId(req);
      return { id, values: { ...more, [key]: id } as Partial<T> };
    },
  };
}
