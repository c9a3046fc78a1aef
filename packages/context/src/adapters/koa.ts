import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { storageOf, storeToEnter, type Context, type ContextShape } from '../context.js';
import { hasListeners, objectStores } from '../object-store.js';
import { bindStreamBodies } from './koa-stream-body.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/** The part of Koa's context this middleware uses, so that @types/koa is not required. */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  response: object;
  set(field: string, value: string): void;
  onerror(error: unknown): void;
}

export type KoaMiddleware<Ctx extends KoaContextLike> = (ctx: Ctx, next: () => Promise<unknown>) => Promise<unknown>;

function readKoaHeader(ctx: KoaContextLike, name: string): unknown {
  return ctx.req.headers[name];
}

/**
 * Koa 2 or 3 middleware: runs the downstream middleware in `context` with the request's id (and any
 * `values`, computed from Koa's `ctx`), and binds `ctx.req` and `ctx.res` so that their listeners
 * run in the request's context, whoever emits the event. What Koa does after the middleware has returned runs in the
 * request's context too: its error handling with the app's 'error' listeners, and the reading of a
 * stream body. `app.use(requestContext(request))`, first.
 */
export function requestContext<T extends ContextShape<T>, Ctx extends KoaContextLike = KoaContextLike>(
  context: Context<T>,
  options: RequestContextOptions<T, Ctx> = {},
): KoaMiddleware<Ctx> {
  const settings = resolveSettings(options, { readHeader: readKoaHeader });
  const storage = storageOf(context);
  if (storage === undefined) throw new TypeError('requestContext: the context was not made by createContext.');
  const stores = objectStores(storage);
  return function unthreadRequestContext(ctx, next) {
    const { id, values } = settings.storeFor(ctx, undefined);
    const echo = settings.echoHeader;
    if (echo !== undefined) ctx.set(echo, id);
    bindStreamBodies(ctx.response);
    const store = storeToEnter(storage, values);
    // req and res carry the store, and their emits with a listener run in it (see object-store.ts):
    // no closure per listener, nor per request.
    const { req, res } = ctx;
    stores.attach(req, store);
    stores.attach(res, store);
    stores.runMethodInStore(req, 'emit', hasListeners);
    stores.runMethodInStore(res, 'emit', hasListeners);
    ctx.onerror = onerrorInContext(storage, store, ctx, echo, id);
    return storage.run(store, next);
  };
}

/**
 * Koa handles an error after the middleware has returned, outside the request's context, in
 * `ctx.onerror`, which emits the app's 'error' event and writes the error response. Koa looks the
 * method up on `ctx` at each call, so an own one made here, in the context, runs that in the context.
 */
function onerrorInContext(
  storage: AsyncLocalStorage<object>,
  store: object,
  ctx: KoaContextLike,
  echo: string | undefined,
  id: string,
): (error: unknown) => void {
  // The app's handler, or one a middleware before this one set.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with ctx as `this`
  const koaOnerror = ctx.onerror;
  // One closure per request; Koa also calls it with no error at the end of every response: nothing
  // to do then, and no run.
  return (error) => {
    if (error === null || error === undefined) return;
    storage.run(store, () => {
      if (echo !== undefined) keepEchoOnError(ctx.res, echo, id);
      koaOnerror.call(ctx, error);
    });
  };
}

/**
 * Koa answers an error by removing every header set so far, so the id would be missing from exactly
 * the responses it is most needed on. Put it back just before the head is written, as on-headers
 * does, rather than through `error.headers`: an error object may be shared by concurrent requests,
 * and each would write its id into it.
 */
function keepEchoOnError(res: ServerResponse, echo: string, id: string): void {
  if (res.headersSent) return;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    if (!res.hasHeader(echo)) res.setHeader(echo, id);
    return writeHead(...args);
  };
}
