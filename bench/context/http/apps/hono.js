// Hono 4 servers on @hono/node-server. See express.js for the shape.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { createContext, resolveRequestId } from '@unthread/context';
import { HEADER, simulatedIo } from './shared.js';

const variants = {
  async ours(app) {
    const { requestContext } = await import('@unthread/context/hono');
    const request = createContext({ name: 'request' });
    app.use(requestContext(request));
    return () => request.get('requestId');
  },
  async raw(app) {
    const als = new AsyncLocalStorage();
    app.use((c, next) => als.run({ requestId: c.req.header(HEADER) ?? randomUUID() }, next));
    return () => als.getStore().requestId;
  },
  async 'ours-unbound'(app) {
    const request = createContext({ name: 'request' });
    app.use((c, next) => request.run({ requestId: resolveRequestId(c.req.header(HEADER)) }, next));
    return () => request.get('requestId');
  },
};

export async function start(variant) {
  const app = new Hono();
  const readId = await variants[variant](app);
  app.get('/', async (c) => {
    await simulatedIo();
    return c.json({ requestId: readId() });
  });
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

export const variantIds = Object.keys(variants);
