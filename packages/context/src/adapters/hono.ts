import type { EventEmitter } from 'node:events';
import type { Context as HonoContext, MiddlewareHandler } from 'hono';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/** What @hono/node-server puts in `c.env`: Node's own request and response. */
interface NodeBindings {
  incoming?: EventEmitter;
  outgoing?: EventEmitter & { setHeader(name: string, value: string): unknown };
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
    const { id, values } = settings.storeFor(c, undefined);
    const env = c.env as NodeBindings | undefined;
    // Checked, not assumed: elsewhere `c.env` holds the platform's bindings, which may use that name.
    const outgoing = typeof env?.outgoing?.setHeader === 'function' ? env.outgoing : undefined;
    const echo = settings.echoHeader;
    if (echo !== undefined) {
      c.header(echo, id);
      // On Node, also on the response itself: @hono/node-server writes its head with the headers of
      // whatever Response the handler returns (its own `new Response(...)`, a proxied `fetch`, an
      // immutable `Response.redirect`) merged into these, and a handler that writes the response
      // itself (RESPONSE_ALREADY_SENT) still sends it.
      outgoing?.setHeader(echo, id);
    }
    // Not an async function: on Node 20 every promise made while a context is active runs the
    // async_hooks promise hooks, and an async wrapper around next() made one more per request.
    return context.run(values, () => {
      if (env?.incoming) bindEmitter(env.incoming, context);
      if (outgoing) bindEmitter(outgoing, context);
      if (echo === undefined || outgoing !== undefined) return next();
      return next().then(() => {
        // Elsewhere, a handler that returns a Response of its own drops the headers set with
        // c.header() before it ran.
        if (!c.res.headers.has(echo)) c.header(echo, id);
      });
    });
  };
}
