import Koa from 'koa';
import Koa2 from 'koa2';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { adapterOptions, closeServer, describeAdapter, type AppSetup, type Ids } from '../test/adapter-suite.js';
import { KeepAliveClient } from '../test/load-client.js';
import { requestContext } from './koa.js';

async function listen(app: Koa): Promise<{ server: Server; port: number }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Both majors, typed as Koa 3: the tests use only the API they share. */
const majors: [string, typeof Koa][] = [
  ['Koa 2', Koa2],
  ['Koa 3', Koa],
];

function koaHeader(ctx: Koa.ParameterizedContext, name: string): string | undefined {
  // Koa's own getter, which Node's request does not have; it answers '' for a missing header.
  return ctx.get(name) || undefined;
}

for (const [name, KoaApp] of majors) {
  describeAdapter({
    name,
    async start(setup: AppSetup) {
      const { context, log } = setup;
      const app = new KoaApp();
      // Koa prints every server error; /fail throws on purpose.
      app.silent = true;
      app.use(requestContext<Ids, Koa.ParameterizedContext>(context, adapterOptions(setup, koaHeader)));
      app.use(async (ctx) => {
        if (ctx.method === 'GET' && ctx.path === '/store') {
          setup.inHandler?.();
          log.info('store');
          ctx.body = context.all();
        } else if (ctx.method === 'GET' && ctx.path === '/raw') {
          ctx.respond = false;
          ctx.res.writeHead(200, { 'content-type': 'text/plain' });
          ctx.res.end('raw');
        } else if (ctx.method === 'GET' && ctx.path === '/fail') {
          throw new Error('fail');
        } else if (ctx.method === 'POST' && ctx.path === '/probe') {
          ctx.body = await setup.probe(ctx.req, ctx.res);
        } else if (ctx.method === 'POST' && ctx.path === '/self') {
          ctx.respond = false;
          setup.respondItself(ctx.req, ctx.res);
        }
      });
      const { server, port } = await listen(app);
      return { port, server, close: () => closeServer(server) };
    },
  });

describe(`${name} specifics`, () => {
  const request = createContext<{ requestId: string }>({ name: 'request' });
  let server: Server | undefined;
  let client: KeepAliveClient | undefined;

  afterEach(async () => {
    client?.close();
    if (server) await closeServer(server);
    server = client = undefined;
  });

  async function start(
    handler: Koa.Middleware,
    maxSockets = 1,
    configure: (app: Koa) => void = () => undefined,
  ): Promise<KeepAliveClient> {
    const app = new KoaApp();
    app.silent = true;
    configure(app);
    app.use(requestContext(request, { echoHeader: true }));
    app.use(handler);
    const listening = await listen(app);
    server = listening.server;
    client = new KeepAliveClient(listening.port, maxSockets);
    return client;
  }

  it('errors keep the headers they carry next to the echoed id', async () => {
    const http = await start((ctx) => ctx.throw(401, 'who are you', { headers: { 'WWW-Authenticate': 'Bearer' } }));
    const result = await http.send({ path: '/', headers: { 'x-request-id': 'err-401' } });
    expect(result.status).toBe(401);
    expect(result.headers['www-authenticate']).toBe('Bearer');
    expect(result.headers['x-request-id']).toBe('err-401');
  });

  it('errors: concurrent requests that throw one shared error object each echo their own id', async () => {
    const shared = Object.assign(new Error('unavailable'), { status: 503 });
    const http = await start(async () => {
      await sleep(Math.floor(Math.random() * 3));
      throw shared;
    }, 20);
    const ids = Array.from({ length: 200 }, (_, i) => `shared-${i}`);
    const results = await http.sendAll(ids.map((id) => ({ path: '/', headers: { 'x-request-id': id } })));
    expect(results.map((result) => result.status)).toEqual(ids.map(() => 503));
    expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
    expect(shared).not.toHaveProperty('headers');
  });

  it("app.on('error') listeners see the failing request's context", async () => {
    const seen: { sent: string; id: string | undefined }[] = [];
    const http = await start(
      async (ctx) => {
        await sleep(Math.floor(Math.random() * 3));
        ctx.throw(500, 'broken');
      },
      10,
      (app) => app.on('error', (_error: unknown, ctx: Koa.Context) => seen.push({ sent: ctx.get('x-request-id'), id: request.tryGet('requestId') })),
    );
    const ids = Array.from({ length: 100 }, (_, i) => `failing-${i}`);
    const results = await http.sendAll(ids.map((id) => ({ path: '/', headers: { 'x-request-id': id } })));
    expect(results.map((result) => result.status)).toEqual(ids.map(() => 500));
    expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
    expect(seen.filter(({ sent, id }) => sent !== id)).toEqual([]);
    expect(seen.map(({ sent }) => sent).sort()).toEqual([...ids].sort());
  });

  it("a stream body (Readable.from) is read in the request's context, also after backpressure", async () => {
    // Chunks larger than the response's buffer: later reads are started by the socket's 'drain'.
    const padding = 'x'.repeat(48 * 1024);
    const http = await start(
      (ctx) => {
        async function* lines(): AsyncGenerator<string> {
          for (let i = 0; i < 4; i++) {
            await sleep(Math.floor(Math.random() * 2));
            yield `${request.tryGet('requestId') ?? 'none'} ${padding}\n`;
          }
        }
        ctx.body = Readable.from(lines());
      },
      10,
    );
    const ids = Array.from({ length: 40 }, (_, i) => `streamed-${i}`);
    const results = await http.sendAll(ids.map((id) => ({ path: '/', headers: { 'x-request-id': id } })));
    const seenPerRequest = results.map((result) => result.body.split('\n').filter(Boolean).map((line) => line.split(' ')[0]));
    expect(seenPerRequest).toEqual(ids.map((id) => [id, id, id, id]));
  });
});
}
