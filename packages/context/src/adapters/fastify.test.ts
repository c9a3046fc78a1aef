import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { describeAdapter, PROBE_TYPE, tenantValues, type AppSetup } from '../test/adapter-suite.js';
import { KeepAliveClient } from '../test/load-client.js';
import { requestContext } from './fastify.js';

describeAdapter({
  name: 'Fastify',
  async start(setup: AppSetup) {
    const { context, log, tenantHeader } = setup;
    const app = Fastify();
    await app.register(
      requestContext(context, {
        ...setup.options,
        ...(tenantHeader === undefined ? {} : { values: (request) => tenantValues(request.headers[tenantHeader]) }),
      }),
    );
    // Leaves the body unread, so that the handler reads request.raw with listeners of its own.
    app.addContentTypeParser(PROBE_TYPE, (_request, _payload, done) => done(null));
    app.get('/store', (_request, reply) => {
      setup.inHandler?.();
      log.info('store');
      return reply.send(context.all());
    });
    app.get('/raw', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.end('raw');
    });
    app.get('/fail', () => {
      throw new Error('fail');
    });
    app.post('/probe', (request, reply) => setup.probe(request.raw, reply.raw));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
    return {
      port: address.port,
      server: app.server,
      close: async () => {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  },
});

describe('Fastify reply headers', () => {
  const request = createContext<{ requestId: string }>({ name: 'request' });
  let app: FastifyInstance | undefined;
  let client: KeepAliveClient | undefined;

  afterEach(async () => {
    client?.close();
    app?.server.closeAllConnections();
    await app?.close();
    app = client = undefined;
  });

  async function start(configure: (app: FastifyInstance) => void): Promise<KeepAliveClient> {
    app = Fastify();
    await app.register(requestContext(request, { echoHeader: true }));
    configure(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    client = new KeepAliveClient((app.server.address() as AddressInfo).port, 1);
    return client;
  }

  it("show the echoed id through Fastify's own header API, which can still remove it", async () => {
    const seen: unknown[] = [];
    const http = await start((app) => {
      app.addHook('onSend', (_request, reply, payload, done) => {
        seen.push(reply.getHeader('x-request-id'));
        done(null, payload);
      });
      app.get('/', (_request, reply) => reply.send('kept'));
      app.get('/removed', (_request, reply) => reply.removeHeader('x-request-id').send('removed'));
    });
    const kept = await http.send({ path: '/', headers: { 'x-request-id': 'via-reply' } });
    expect(kept.headers['x-request-id']).toBe('via-reply');
    const removed = await http.send({ path: '/removed', headers: { 'x-request-id': 'to-remove' } });
    expect(removed.body).toBe('removed');
    expect(removed.headers['x-request-id']).toBeUndefined();
    expect(seen).toEqual(['via-reply', undefined]);
  });
});
