import type { IncomingMessage, ServerResponse } from 'node:http';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
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
 * `values`, computed from Koa's `ctx`), and binds `ctx.req` and `ctx.res` so that listeners added
 * later see the request's context. What Koa does after the middleware has returned runs in the
 * request's context too: its error handling with the app's 'error' listeners, and the reading of a
 * stream body. `app.use(requestContext(request))`, first.
 */
export function requestContext<T extends ContextShape<T>, Ctx extends KoaContextLike = KoaContextLike>(
  context: Context<T>,
  options: RequestContextOptions<T, Ctx> = {},
): KoaMiddleware<Ctx> {
  const settings = resolveSettings(options, { readHeader: readKoaHeader });
  return function unthreadRequestContext(ctx, next) {
    const { id, values } = settings.storeFor(ctx, undefined);
    const echo = settings.echoHeader;
    if (echo !== undefined) ctx.set(echo, id);
    bindStreamBodies(ctx.response);
    return context.run(values, () => {
      bindEmitter(ctx.req, context);
      bindEmitter(ctx.res, context);
      ctx.onerror = onerrorInContext(context, ctx, echo, id);
      return next();
    });
  };
}

/**
 * Koa handles an error after the middleware has returned, outside the request's context, in
 * `ctx.onerror`, which emits the app's 'error' event and writes the error response. Koa looks the
 * method up on `ctx` at each call, so an own one made here, in the context, runs that in the context.
 */
function onerrorInContext<T extends ContextShape<T>>(
  context: Context<T>,
  ctx: KoaContextLike,
  echo: string | undefined,
  id: string,
): (error: unknown) => void {
  // The app's handler, or one a middleware before this one set.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with ctx as `this`
  const koaOnerror = ctx.onerror;
  const handle = context.bind((error: unknown) => {
    if (echo !== undefined) keepEchoOnError(ctx.res, echo, id);
    koaOnerror.call(ctx, error);
  });
  // Koa also calls it with no error at the end of every response: nothing to do then, and no run.
  return (error) => {
    if (error !== null && error !== undefined) handle(error);
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
