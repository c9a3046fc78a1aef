import type { Plugin, ReqRef, ReqRefDefaults, Request } from '@hapi/hapi';
import { storageOf, storeToEnter, type Context, type ContextShape } from '../context.js';
import { hasListeners, objectStores } from '../object-store.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

declare module '@hapi/hapi' {
  // The type parameters must match hapi's declaration for the interfaces to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Request<Refs extends ReqRef = ReqRefDefaults> {
    /**
     * The request's id: what the context holds under the adapter's `key` and what the echoed header
     * carries. Set from the request's first step on, so it can be read where only `request` is at hand.
     * Empty for a request whose `generateId`, `values` or `trustHeader` threw: hapi answers it 500.
     */
    readonly requestId: string;
  }
}

export interface HapiRequestContextOptions<T extends ContextShape<T>> extends RequestContextOptions<T, Request> {
  /**
   * Use hapi's own `request.info.id` as the request's id, so that hapi's logs and the context carry
   * the same one. `trustHeader` has no effect then, and `header` only names the echoed header when
   * `echoHeader` is `true`. An unsafe id is still replaced. Default: `false`.
   */
  useHapiId?: boolean;
}

/**
 * The request methods through which hapi runs a request: `_execute` runs the lifecycle from
 * `onRequest` to the last byte; `_reply` is also called from outside it (a load rejection, right after
 * the request is made). Hapi 20 and 21 call `_execute` on each request right after applying the
 * request decorations. (`_listen`, called in between, only adds listeners to req and res, whose emits
 * run in the store anyway.)
 */
const ENTRY_POINTS = ['_execute', '_reply'] as const;

type EntryPoints = Record<(typeof ENTRY_POINTS)[number], ((this: Request, ...args: unknown[]) => unknown) | undefined>;

function readHapiHeader(request: Request, name: string): unknown {
  return request.headers[name];
}

function hapiId(request: Request): unknown {
  return request.info.id;
}

const PLUGIN_NAME = '@unthread/context';

/** Replaces the request's lifecycle with hapi's reply to `error`, so that no step of it runs. */
function failLifecycle(request: EntryPoints, error: unknown): void {
  const reply = request._reply;
  if (reply === undefined) throw error;
  request._execute = function (this: Request) {
    return reply.call(this, error);
  };
}

/**
 * A hapi 20 or 21 plugin: `await server.register(requestContext(request))`. Every step of each
 * request runs in `context` with the request's id (and any `values`): the extension points from
 * `onRequest` to `onPostResponse`, pre-handlers, the handler, payload parsing, `request.events` and
 * the response's events, the server's 'response' and 'request' events, the writing of a streamed
 * response, and the steps of an aborted or timed-out request. The raw request and response are
 * bound: their listeners run in the request's context, whoever emits the event. Decorates `request.requestId`.
 */
export function requestContext<T extends ContextShape<T>>(
  context: Context<T>,
  options: HapiRequestContextOptions<T> = {},
): Plugin<void> {
  const settings = resolveSettings(options, {
    readHeader: readHapiHeader,
    ...(options.useHapiId === true ? { frameworkId: hapiId } : {}),
  });
  const echo = settings.echoHeader;

  const storage = storageOf(context);
  if (storage === undefined) throw new TypeError(`${PLUGIN_NAME}: the context was not made by createContext.`);
  const stores = objectStores(storage);

  /**
   * Hapi applies this decoration to each request as it is made, before it calls any of the entry
   * points. Hapi's extension points are awaited from inside those methods, so no extension can put the
   * rest of the lifecycle in a context; running the methods themselves in it can, with `run` and no
   * `enterWith`: only what they start sees the store, and the next request on the socket does not.
   * Nothing is made per request but the store: hapi's request, req and res carry it, and the methods
   * of their classes, replaced once, run in the store of the object they are called on (every emit of
   * req and res that has a listener, so hapi's own listeners and the app's alike).
   */
  function enter(request: Request): string {
    const methods = request as unknown as EntryPoints;
    let store: ReturnType<typeof settings.storeFor>;
    try {
      const missing = ENTRY_POINTS.find((name) => typeof methods[name] !== 'function');
      if (missing !== undefined) {
        throw new TypeError(`${PLUGIN_NAME}: this hapi has no request.${missing}(); the plugin supports hapi 20 and 21.`);
      }
      store = settings.storeFor(request, undefined);
    } catch (error) {
      // Thrown here, it would escape hapi's request listener and end the process. Fail as the other
      // frameworks do with a middleware that throws: hapi answers 500 through its own error handling.
      failLifecycle(methods, error);
      return '';
    }
    const { id, values } = store;
    const { req, res } = request.raw;
    // On the raw response, as the other adapters do: it is sent with every response, an error or a
    // takeover one included, and with one a handler writes itself after `h.abandon`.
    if (echo !== undefined) res.setHeader(echo, id);
    const entered = storeToEnter(storage!, values);
    stores.attach(request, entered);
    stores.attach(req, entered);
    stores.attach(res, entered);
    // Once per class: hapi's per-server request class, Node's (or shot's) request and response.
    for (const name of ENTRY_POINTS) stores.runMethodInStore(request, name);
    stores.runMethodInStore(req, 'emit', hasListeners);
    stores.runMethodInStore(res, 'emit', hasListeners);
    return id;
  }

  return {
    name: PLUGIN_NAME,
    register(server) {
      server.decorate('request', 'requestId', enter, { apply: true });
    },
  };
}
