import express, { type NextFunction, type Request, type Response } from 'express';
import express4 from 'express4';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { adapterOptions, closeServer, describeAdapter, type AdapterHarness, type AppSetup } from '../test/adapter-suite.js';
import { requestContext } from './express.js';

function expressHarness(name: string, createApp: typeof express): AdapterHarness {
  return {
    name,
    async start(setup: AppSetup) {
      const { context, log } = setup;
      const app = createApp();
      app.use(requestContext(context, adapterOptions(setup, (req: Request, name) => req.get(name))));
      app.get('/store', (_req, res) => {
        setup.inHandler?.();
        log.info('store');
        res.json(context.all());
      });
      app.get('/raw', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('raw');
      });
      app.get('/fail', () => {
        throw new Error('fail');
      });
      app.post('/probe', (req, res, next) => {
        // Express 4 does not handle a rejected promise from a handler.
        setup.probe(req, res).then((report) => res.json(report), next);
      });
      app.post('/self', (req, res) => setup.respondItself(req, res));
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
      return { port: address.port, server, close: () => closeServer(server) };
    },
  };
}

describeAdapter(expressHarness('Express 4', express4));
describeAdapter(expressHarness('Express 5', express));

describe('Express, behind the app\'s own id middleware (assignId: false)', () => {
  const request = createContext<{ requestId?: string | undefined; tenant?: string | undefined }>({ name: 'request' });

  it('stores exactly what values(req, res) returns: no id made, none checked, none echoed', async () => {
    const app = express();
    // The app's own rules for ids, looser than the adapter's: the context must not second-guess them.
    app.use((req: Request, res: Response, next: NextFunction) => {
      res.locals.requestId = req.get('x-request-id');
      next();
    });
    app.use(requestContext(request, { assignId: false, values: (req: Request, res: Response) => ({ requestId: res.locals.requestId as string | undefined, tenant: req.get('x-tenant') }) }));
    app.get('/store', (_req, res) => {
      res.json({ store: request.all() });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const send = async (headers: Record<string, string>) => {
        const response = await fetch(`http://127.0.0.1:${port}/store`, { headers });
        return { echoed: response.headers.get('x-request-id'), store: ((await response.json()) as { store: Record<string, unknown> }).store };
      };
      const underscore = await send({ 'x-request-id': 'id_with underscore', 'x-tenant': 'acme' });
      const none = await send({});
      expect(underscore).toEqual({ echoed: null, store: { requestId: 'id_with underscore', tenant: 'acme' } });
      expect(none).toEqual({ echoed: null, store: {} });
    } finally {
      await closeServer(server);
    }
  });
});
