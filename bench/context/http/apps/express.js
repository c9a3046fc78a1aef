// Express 5 servers. Each variant installs its context middleware and returns how the handler reads
// the id; peers are imported only by their own variant, so no other library's module-level
// AsyncLocalStorage exists in the process being measured.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { createContext, resolveRequestId } from '@unthread/context';
import { HEADER, listen, simulatedIo } from './shared.js';

const variants = {
  async ours(app) {
    const { requestContext } = await import('@unthread/context/express');
    const request = createContext({ name: 'request' });
    app.use(requestContext(request));
    return () => request.get('requestId');
  },
  async raw(app) {
    const als = new AsyncLocalStorage();
    app.use((req, _res, next) => als.run({ requestId: req.headers[HEADER] ?? randomUUID() }, next));
    return () => als.getStore().requestId;
  },
  async 'express-http-context'(app) {
    const { default: httpContext } = await import('express-http-context');
    // The library only opens an empty store; setting the id is the app's job, as its README shows.
    app.use(httpContext.middleware);
    app.use((req, _res, next) => {
      httpContext.set('requestId', req.headers[HEADER] ?? randomUUID());
      next();
    });
    return () => httpContext.get('requestId');
  },
  async 'cls-rtracer'(app) {
    const { default: rTracer } = await import('cls-rtracer');
    app.use(rTracer.expressMiddleware({ useHeader: true, headerName: HEADER }));
    return () => rTracer.id();
  },
  async 'ours-unbound'(app) {
    const request = createContext({ name: 'request' });
    app.use((req, _res, next) => request.run({ requestId: resolveRequestId(req.headers[HEADER]) }, next));
    return () => request.get('requestId');
  },
};

export async function start(variant) {
  const app = express();
  const readId = await variants[variant](app);
  app.get('/', async (_req, res) => {
    await simulatedIo();
    res.json({ requestId: readId() });
  });
  return listen(app);
}

export const variantIds = Object.keys(variants);
