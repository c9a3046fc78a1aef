import { serve, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context as HonoContext } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { adapterOptions, closeServer, describeAdapter, type AppSetup } from '../test/adapter-suite.js';
import { KeepAliveClient } from '../test/load-client.js';
import { requestContext } from './hono.js';

describeAdapter({
  name: 'Hono',
  async start(setup: AppSetup) {
    const { context, log } = setup;
    const app = new Hono<{ Bindings: HttpBindings }>();
    app.use(requestContext(context, adapterOptions(setup, (c: HonoContext, name) => c.req.header(name))));
    app.get('/store', (c) => {
      setup.inHandler?.();
      log.info('store');
      return c.json(context.all());
    });
    app.get('/raw', () => new Response('raw'));
    app.get('/fail', () => {
      throw new Error('fail');
    });
    // The default handler prints the error; this one answers the same way without the noise.
    app.onError((_error, c) => c.text('Internal Server Error', 500));
    app.post('/probe', async (c) => c.json(await setup.probe(c.env.incoming, c.env.outgoing)));
    app.post('/self', (c) => {
      setup.respondItself(c.env.incoming, c.env.outgoing);
      return RESPONSE_ALREADY_SENT;
    });
    const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve({ server: server as Server, port: info.port }),
      );
    });
    return { port, server, close: () => closeServer(server) };
  },
});

describe('Hono responses a handler builds itself', () => {
  const request = createContext<{ requestId: string }>({ name: 'request' });
  let server: Server | undefined;
  let client: KeepAliveClient | undefined;

  afterEach(async () => {
    client?.close();
    if (server) await closeServer(server);
    server = client = undefined;
  });

  async function start(configure: (app: Hono) => void): Promise<KeepAliveClient> {
    const app = new Hono();
    app.use(requestContext(request, { echoHeader: true }));
    configure(app);
    const port = await new Promise<number>((resolve) => {
      const listening = (info: AddressInfo) => resolve(info.port);
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, listening) as Server;
    });
    client = new KeepAliveClient(port, 1);
    return client;
  }

  it('carry the id also when their headers are immutable', async () => {
    const http = await start((app) => app.get('/', () => Response.redirect('http://127.0.0.1/elsewhere', 302)));
    const result = await http.send({ path: '/', headers: { 'x-request-id': 'redirected' } });
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('http://127.0.0.1/elsewhere');
    expect(result.headers['x-request-id']).toBe('redirected');
  });

  it('keep an id header the handler set on purpose', async () => {
    const http = await start((app) =>
      app.get('/', () => new Response('own', { headers: { 'x-request-id': `upstream-${request.get('requestId')}` } })),
    );
    const result = await http.send({ path: '/', headers: { 'x-request-id': 'mine' } });
    expect(result.headers['x-request-id']).toBe('upstream-mine');
  });
});
