import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import Fastify4 from 'fastify4';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { adapterOptions, describeAdapter, PROBE_TYPE, type AppSetup } from '../test/adapter-suite.js';
import { KeepAliveClient } from '../test/load-client.js';
import { requestContext, type FastifyRequestContextOptions } from './fastify.js';

type CreateFastify = (options?: FastifyServerOptions) => FastifyInstance;

/**
 * Both majors, typed as Fastify 5: the tests use only the API they share. An application on Fastify 4
 * alone resolves the adapter's `fastify` types to its own version.
 */
const majors: [string, CreateFastify][] = [
  ['Fastify 4', Fastify4 as unknown as CreateFastify],
  ['Fastify 5', Fastify as CreateFastify],
];

function rawHeader(request: FastifyRequest, name: string): string | undefined {
  // Through `raw`, which only Fastify's request has: Node's own request would make this throw.
  const value = request.raw.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

for (const [name, createFastify] of majors) {
  describeAdapter({
    name,
    async start(setup: AppSetup) {
      const { context, log } = setup;
      const app = createFastify();
      await app.register(requestContext(context, adapterOptions(setup, rawHeader)));
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
      app.post('/self', (request, reply) => {
        reply.hijack();
        setup.respondItself(request.raw, reply.raw);
      });
      const port = await listen(app);
      return {
        port,
        server: app.server,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    },
  });

  describe(`${name} specifics`, () => {
    const request = createContext<{ requestId: string }>({ name: 'request' });
    let app: FastifyInstance | undefined;
    let client: KeepAliveClient | undefined;

    afterEach(async () => {
      client?.close();
      app?.server.closeAllConnections();
      await app?.close();
      app = client = undefined;
    });

    async function start(
      configure: (app: FastifyInstance) => void,
      options: FastifyRequestContextOptions<{ requestId: string }> = { echoHeader: true },
      serverOptions: FastifyServerOptions = {},
    ): Promise<KeepAliveClient> {
      app = createFastify(serverOptions);
      await app.register(requestContext(request, options));
      configure(app);
      client = new KeepAliveClient(await listen(app), 1);
      return client;
    }

    it("reply headers: the echoed id shows through Fastify's own header API, and can be removed", async () => {
      const seen: unknown[] = [];
      const http = await start((app) => {
        app.addHook('onSend', (_request, reply, payload, done) => {
          seen.push(reply.getHeader('x-request-id'));
          done(null, payload);
        });
        app.get('/', (_request, reply) => reply.send('kept'));
        app.get('/removed', (_request, reply) => {
          // Fastify 4's removeHeader forgets only the headers Fastify holds, not the raw response's.
          if (name === 'Fastify 4') reply.raw.removeHeader('x-request-id');
          return reply.removeHeader('x-request-id').send('removed');
        });
      });
      const kept = await http.send({ path: '/', headers: { 'x-request-id': 'via-reply' } });
      expect(kept.headers['x-request-id']).toBe('via-reply');
      const removed = await http.send({ path: '/removed', headers: { 'x-request-id': 'to-remove' } });
      expect(removed.body).toBe('removed');
      expect(removed.headers['x-request-id']).toBeUndefined();
      expect(seen).toEqual(['via-reply', undefined]);
    });

    it("useFastifyId: the context, the echo and Fastify's request.id are one id, made by genReqId", async () => {
      let made = 0;
      const http = await start(
        (app) => app.get('/', (req, reply) => reply.send({ fastify: req.id, context: request.get('requestId') })),
        { echoHeader: 'x-request-id', useFastifyId: true },
        { genReqId: () => `fastify-${++made}` },
      );
      // The header is Fastify's to read (requestIdHeader), and this server does not read it.
      const results = [
        await http.send({ path: '/', headers: { 'x-request-id': 'from-client' } }),
        await http.send({ path: '/' }),
      ];
      expect(results.map((result) => JSON.parse(result.body) as unknown)).toEqual([
        { fastify: 'fastify-1', context: 'fastify-1' },
        { fastify: 'fastify-2', context: 'fastify-2' },
      ]);
      expect(results.map((result) => result.headers['x-request-id'])).toEqual(['fastify-1', 'fastify-2']);
    });

    it("useFastifyId with Fastify's requestIdHeader: a client's id is taken only when it is safe", async () => {
      const http = await start(
        (app) => app.get('/', (req, reply) => reply.send({ fastify: req.id, context: request.get('requestId') })),
        { echoHeader: true, useFastifyId: true, generateId: (req) => `replaces-${req.id.length}` },
        { requestIdHeader: 'x-request-id' },
      );
      const safe = await http.send({ path: '/', headers: { 'x-request-id': 'client-7' } });
      expect(JSON.parse(safe.body)).toEqual({ fastify: 'client-7', context: 'client-7' });
      const unsafe = await http.send({ path: '/', headers: { 'x-request-id': '{"level":60}' } });
      expect(JSON.parse(unsafe.body)).toEqual({ fastify: '{"level":60}', context: 'replaces-12' });
      expect(unsafe.headers['x-request-id']).toBe('replaces-12');
    });
  });
}
