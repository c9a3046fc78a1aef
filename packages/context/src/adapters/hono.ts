import type { EventEmitter } from 'node:events';
import type { Context as HonoContext, MiddlewareHandler } from 'hono';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/** What @hono/node-server puts in `c.env`: Node's own request and response. */
interface NodeBindings {
  incoming?: EventEmitter;
  outgoing?: EventEmitter;
}

function readHonoHeader(c: HonoContext, name: string): unknown {
  return c.req.header(name);
}

/**
 * Hono 4 middleware: `app.use(requestContext(request))`. Runs the rest of each request in `context`
 * with the request's id (and any `values`). On @hono/node-server it also binds Node's request and
 * response (`c.env.incoming`, `c.env.outgoing`) so that listeners added later see the request's context.
 */
export function requestContext<T extends ContextShape<T>>(
  context: Context<T>,
  options: RequestContextOptions<T, HonoContext> = {},
): MiddlewareHandler {
  const settings = resolveSettings(options, { readHeader: readHonoHeader });
  return function unthreadRequestContext(c, next) {
    const { id, values } = settings.storeFor(c);
    if (settings.echoHeader !== undefined) c.header(settings.echoHeader, id);
    // Not an async function: on Node 20 every promise made while a context is active runs the
    // async_hooks promise hooks, and an async wrapper around next() made one more per request.
    return context.run(values, () => {
      const env = c.env as NodeBindings | undefined;
      if (env?.incoming) bindEmitter(env.incoming, context);
      if (env?.outgoing) bindEmitter(env.outgoing, context);
      const echo = settings.echoHeader;
      if (echo === undefined) return next();
      return next().then(() => {
        // A handler that returns a Response of its own (`new Response(...)`, a proxied `fetch`) drops
        // the headers set with c.header() before it ran.
        if (!c.res.headers.has(echo)) c.header(echo, id);
      });
    });
  };
}
