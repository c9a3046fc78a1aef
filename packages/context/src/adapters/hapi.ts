import type { Plugin, ReqRef, ReqRefDefaults, Request } from '@hapi/hapi';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
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
 * The request methods through which hapi runs a request: `_listen` adds its listeners on the raw
 * request and response (whose 'close' and 'aborted' end an aborted request), `_execute` runs the
 * lifecycle from `onRequest` to the last byte, `_reply` is also called from outside `_execute` (an
 * abort, a server timeout, a load rejection). Hapi 20 and 21 call them on each request in this order,
 * right after applying the request decorations.
 */
const ENTRY_POINTS = ['_listen', '_execute', '_reply'] as const;

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
 * bound, so listeners added to them later stay in the request's context. Decorates `request.requestId`.
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

  /**
   * Hapi applies this decoration to each request as it is made, before it calls any of the entry
   * points. Hapi's extension points are awaited from inside those methods, so no extension can put the
   * rest of the lifecycle in a context; running the methods themselves in it can, with `run` and no
   * `enterWith`: only what they start sees the store, and the next request on the socket does not.
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
    context.run(values, () => {
      bindEmitter(req, context);
      bindEmitter(res, context);
      // Own properties over the prototype's methods, bound to this store: no new store per call.
      methods._listen = context.bind(methods._listen!);
      methods._execute = context.bind(methods._execute!);
      methods._reply = context.bind(methods._reply!);
    });
    return id;
  }

  return {
    name: PLUGIN_NAME,
    register(server) {
      server.decorate('request', 'requestId', enter, { apply: true });
    },
  };
}
