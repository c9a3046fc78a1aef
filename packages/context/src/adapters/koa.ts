import type { IncomingMessage, ServerResponse } from 'node:http';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/** The part of Koa's context this middleware uses, so that @types/koa is not required. */
export interface KoaContextLike {
  req: IncomingMessage;
  res: ServerResponse;
  set(field: string, value: string): void;
}

export type KoaMiddleware<Ctx extends KoaContextLike> = (ctx: Ctx, next: () => Promise<unknown>) => Promise<unknown>;

function readKoaHeader(ctx: KoaContextLike, name: string): unknown {
  return ctx.req.headers[name];
}

/**
 * Koa 2 or 3 middleware: runs the downstream middleware in `context` with the request's id (and any
 * `values`, computed from Koa's `ctx`), and binds `ctx.req` and `ctx.res` so that listeners added
 * later see the request's context. `app.use(requestContext(request))`, first.
 */
export function requestContext<T extends ContextShape<T>, Ctx extends KoaContextLike = KoaContextLike>(
  context: Context<T>,
  options: RequestContextOptions<T, Ctx> = {},
): KoaMiddleware<Ctx> {
  const settings = resolveSettings(options, { readHeader: readKoaHeader });
  return function unthreadRequestContext(ctx, next) {
    const { id, values } = settings.storeFor(ctx);
    if (settings.echoHeader !== undefined) ctx.set(settings.echoHeader, id);
    return context.run(values, () => {
      bindEmitter(ctx.req, context);
      bindEmitter(ctx.res, context);
      const echo = settings.echoHeader;
      if (echo === undefined) return next();
      return next().catch((error: unknown) => {
        // Koa answers an error by removing every header set so far, so the id would be missing from
        // exactly the responses it is most needed on. Put it back just before the head is written,
        // as on-headers does, rather than through `error.headers`: an error object may be shared by
        // concurrent requests, and each would write its id into it.
        const res = ctx.res;
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
        res.writeHead = (...args: unknown[]) => {
          if (!res.hasHeader(echo)) res.setHeader(echo, id);
          return writeHead(...args);
        };
        throw error;
      });
    });
  };
}
