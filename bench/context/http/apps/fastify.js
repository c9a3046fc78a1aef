// Fastify 5 servers. See express.js for the shape; here every variant hooks `onRequest`, the earliest
// hook, as the context plugins themselves do.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { createContext, resolveRequestId } from '@unthread/context';
import { HEADER, simulatedIo } from './shared.js';

const variants = {
  async ours(app) {
    const { requestContext } = await import('@unthread/context/fastify');
    const request = createContext({ name: 'request' });
    app.register(requestContext(request));
    return () => request.get('requestId');
  },
  async raw(app) {
    const als = new AsyncLocalStorage();
    app.addHook('onRequest', (req, _reply, done) => {
      als.run({ requestId: req.headers[HEADER] ?? randomUUID() }, done);
    });
    return () => als.getStore().requestId;
  },
  async 'fastify-request-context'(app) {
    // The default export is the fastify-plugin wrapped one, which applies to routes outside it too.
    const { default: plugin } = await import('@fastify/request-context');
    app.register(plugin, { defaultStoreValues: (req) => ({ requestId: req.headers[HEADER] ?? randomUUID() }) });
    return () => plugin.requestContext.get('requestId');
  },
  async 'cls-rtracer'(app) {
    const { default: rTracer } = await import('cls-rtracer');
    app.register(rTracer.fastifyPlugin, { useHeader: true, headerName: HEADER });
    return () => rTracer.id();
  },
  async 'ours-unbound'(app) {
    const request = createContext({ name: 'request' });
    app.addHook('onRequest', (req, _reply, done) => {
      request.run({ requestId: resolveRequestId(req.headers[HEADER]) }, done);
    });
    return () => request.get('requestId');
  },
};

export async function start(variant) {
  const app = Fastify({ logger: false });
  const readId = await variants[variant](app);
  app.get('/', async () => {
    await simulatedIo();
    return { requestId: readId() };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

export const variantIds = Object.keys(variants);
