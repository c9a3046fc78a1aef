// Koa 3 servers. See express.js for the shape.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { createContext, resolveRequestId } from '@unthread/context';
import { HEADER, listen, simulatedIo } from './shared.js';

const variants = {
  async ours(app) {
    const { requestContext } = await import('@unthread/context/koa');
    const request = createContext({ name: 'request' });
    app.use(requestContext(request));
    return () => request.get('requestId');
  },
  async raw(app) {
    const als = new AsyncLocalStorage();
    app.use((ctx, next) => als.run({ requestId: ctx.req.headers[HEADER] ?? randomUUID() }, next));
    return () => als.getStore().requestId;
  },
  async 'cls-rtracer'(app) {
    const { default: rTracer } = await import('cls-rtracer');
    app.use(rTracer.koaMiddleware({ useHeader: true, headerName: HEADER }));
    return () => rTracer.id();
  },
  async 'ours-unbound'(app) {
    const request = createContext({ name: 'request' });
    app.use((ctx, next) => request.run({ requestId: resolveRequestId(ctx.req.headers[HEADER]) }, next));
    return () => request.get('requestId');
  },
};

export async function start(variant) {
  const app = new Koa();
  const readId = await variants[variant](app);
  app.use(async (ctx) => {
    await simulatedIo();
    ctx.body = { requestId: readId() };
  });
  return listen(app.callback());
}

export const variantIds = Object.keys(variants);
