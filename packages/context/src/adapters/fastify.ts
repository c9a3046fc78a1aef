import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

export interface FastifyRequestContextOptions<T extends ContextShape<T>> extends RequestContextOptions<T, FastifyRequest, FastifyReply> {
  /**
   * Use Fastify's own `request.id` (what its `genReqId` and `requestIdHeader` options make) as the
   * request's id, so that Fastify's log lines (`reqId`) and the context carry the same one. Reading
   * a header is then Fastify's business: `trustHeader` has no effect, and `header` only names the
   * echoed header when `echoHeader` is `true`. An unsafe id is still replaced. Default: `false`.
   */
  useFastifyId?: boolean;
}

function readFastifyHeader(request: FastifyRequest, name: string): unknown {
  return request.headers[name];
}

function fastifyId(request: FastifyRequest): unknown {
  return request.id;
}

/**
 * A Fastify 4 or 5 plugin: `app.register(requestContext(request))`. Each request's lifecycle, from its
 * `onRequest` hook on, runs in `context` with the request's id (and any `values`). The raw request and
 * reply are bound, so body parsing and listeners added later stay in the request's context. The plugin
 * is not encapsulated: it applies to every route, wherever it is registered.
 */
export function requestContext<T extends ContextShape<T>>(
  context: Context<T>,
  options: FastifyRequestContextOptions<T> = {},
): FastifyPluginCallback {
  const settings = resolveSettings(options, {
    readHeader: readFastifyHeader,
    ...(options.useFastifyId === true ? { frameworkId: fastifyId } : {}),
  });
  const plugin: FastifyPluginCallback = (fastify, _pluginOptions, done) => {
    fastify.addHook('onRequest', (request, reply, hookDone) => {
      const { id, values } = settings.storeFor(request, reply);
      // On the raw response, as the Express and Koa adapters do: a handler that hijacks the reply and
      // writes `reply.raw` itself still sends it, and Fastify's getHeader/hasHeader see it (Fastify 5's
      // removeHeader too; Fastify 4's removes only headers set through the reply).
      if (settings.echoHeader !== undefined) reply.raw.setHeader(settings.echoHeader, id);
      context.run(values, () => {
        bindEmitter(request.raw, context);
        bindEmitter(reply.raw, context);
        hookDone();
      });
    });
    done();
  };
  // What fastify-plugin sets: the hook then applies outside the scope the plugin was registered in.
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@unthread/context',
  });
  return plugin;
}
