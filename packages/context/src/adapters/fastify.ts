import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import { bindEmitter } from '../bind.js';
import type { Context, ContextShape } from '../context.js';
import { resolveSettings, type RequestContextOptions } from './settings.js';

export type { RequestContextOptions } from './settings.js';

/**
 * A Fastify 5 plugin: `app.register(requestContext(request))`. Each request's lifecycle, from its
 * `onRequest` hook on, runs in `context` with the request's id (and any `values`). The raw request and
 * reply are bound, so body parsing and listeners added later stay in the request's context. The plugin
 * is not encapsulated: it applies to every route, wherever it is registered.
 */
export function requestContext<T extends ContextShape<T>>(
  context: Context<T>,
  options: RequestContextOptions<T, FastifyRequest> = {},
): FastifyPluginCallback {
  const settings = resolveSettings(options);
  const plugin: FastifyPluginCallback = (fastify, _pluginOptions, done) => {
    fastify.addHook('onRequest', (request, reply, hookDone) => {
      const { id, values } = settings.storeFor(request.headers[settings.header], request);
      // On the raw response, as the Express and Koa adapters do: a handler that hijacks the reply and
      // writes `reply.raw` itself still sends it, and Fastify's getHeader/hasHeader/removeHeader see it.
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
