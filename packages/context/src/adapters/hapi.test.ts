import * as Hapi21 from '@hapi/hapi';
import type { Request, ResponseToolkit, Server, ServerOptions } from '@hapi/hapi';
import * as Hapi20 from 'hapi20';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { adapterOptions, describeAdapter, PROBE_TYPE, type AppSetup } from '../test/adapter-suite.js';
import { KeepAliveClient, until } from '../test/load-client.js';
import { requestContext, type HapiRequestContextOptions } from './hapi.js';

type CreateServer = (options?: ServerOptions) => Server;

/** Both majors, typed as hapi 21: the tests use only the API they share. */
const majors: [string, CreateServer][] = [
  ['hapi 20', Hapi20.server],
  ['hapi 21', Hapi21.server],
];

/** A server on 127.0.0.1 and a free port that prints nothing of the errors the tests cause on purpose. */
function serverOptions(options: ServerOptions = {}): ServerOptions {
  return { host: '127.0.0.1', port: 0, debug: false, ...options };
}

async function stop(server: Server): Promise<void> {
  server.listener.closeAllConnections();
  await server.stop({ timeout: 1_000 });
}

function hapiHeader(request: Request, name: string): string | undefined {
  // Through hapi's `request.headers`, which Node's request reaches only as `req.headers`: given
  // anything but hapi's request, `info` is missing and this throws.
  if (request.info.id === undefined) throw new Error('not a hapi request');
  const value = request.headers[name] as string | string[] | undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The body left for the handler to read: hapi hands over the raw request unread. */
const unreadPayload = { output: 'stream', parse: false } as const;

function randomDelay(maxMs: number): number {
  return Math.floor(Math.random() * (maxMs + 1));
}

for (const [name, createServer] of majors) {
  describeAdapter({
    name,
    async start(setup: AppSetup) {
      const { context, log } = setup;
      const server = createServer(serverOptions());
      await server.register(requestContext(context, adapterOptions(setup, hapiHeader)));
      server.route([
        {
          method: 'GET',
          path: '/store',
          handler: () => {
            setup.inHandler?.();
            log.info('store');
            return context.all();
          },
        },
        {
          method: 'GET',
          path: '/raw',
          handler: (request, h) => {
            request.raw.res.writeHead(200, { 'content-type': 'text/plain' });
            request.raw.res.end('raw');
            return h.abandon;
          },
        },
        {
          method: 'GET',
          path: '/fail',
          handler: () => {
            throw new Error('fail');
          },
        },
        {
          method: 'POST',
          path: '/probe',
          options: { payload: { ...unreadPayload, allow: PROBE_TYPE } },
          handler: (request) => setup.probe(request.raw.req, request.raw.res),
        },
        {
          method: 'POST',
          path: '/self',
          options: { payload: { ...unreadPayload, allow: PROBE_TYPE } },
          handler: (request, h) => {
            setup.respondItself(request.raw.req, request.raw.res);
            return h.abandon;
          },
        },
      ]);
      await server.start();
      return { port: server.info.port as number, server: server.listener, close: () => stop(server) };
    },
  });

  describe(`${name} specifics`, () => {
    const request = createContext<{ requestId: string }>({ name: 'request' });
    const id = () => request.tryGet('requestId');
    let server: Server | undefined;
    let client: KeepAliveClient | undefined;

    afterEach(async () => {
      client?.close();
      if (server) await stop(server);
      server = client = undefined;
    });

    async function start(
      configure: (server: Server) => void | Promise<void>,
      options: HapiRequestContextOptions<{ requestId: string }> = { echoHeader: true },
      maxSockets = 1,
    ): Promise<KeepAliveClient> {
      server = createServer(serverOptions());
      await server.register(requestContext(request, options));
      await configure(server);
      await server.start();
      client = new KeepAliveClient(server.info.port as number, maxSockets);
      return client;
    }

    /** What each step saw, per id the client sent. */
    class Steps {
      readonly seen = new Map<string, Map<string, (string | undefined)[]>>();

      record(step: string, hapiRequest: Request): void {
        const sent = hapiRequest.headers['x-request-id'] as string;
        let steps = this.seen.get(sent);
        if (steps === undefined) this.seen.set(sent, (steps = new Map<string, (string | undefined)[]>()));
        let ids = steps.get(step);
        if (ids === undefined) steps.set(step, (ids = []));
        ids.push(id());
      }

      /** Every step that is missing for a request, or saw another id than the one it sent. */
      wrong(sent: readonly string[], steps: readonly string[]): string[] {
        return sent.flatMap((expected) =>
          steps.flatMap((step) => {
            const ids = this.seen.get(expected)?.get(step) ?? [];
            if (ids.length === 0) return [`${expected}: ${step} never ran`];
            return ids.filter((seen) => seen !== expected).map((seen) => `${expected}: ${step} saw ${String(seen)}`);
          }),
        );
      }

      count(step: string): number {
        let n = 0;
        for (const steps of this.seen.values()) if (steps.has(step)) n++;
        return n;
      }
    }

    const EVERY_STEP = [
      'onRequest',
      'onRequest after await',
      'onPreAuth',
      'authenticate',
      'request peek',
      'request finish',
      'onCredentials',
      'onPostAuth',
      'validate payload',
      'onPreHandler',
      'pre',
      'handler',
      'handler after await',
      "server 'request' event",
      'stream read',
      'onPostHandler',
      'onPreResponse',
      'response peek',
      'response finish',
      "server 'response' event",
      'onPostResponse',
    ];

    /** Every extension point, an auth scheme, a payload validator, a pre-handler, events and a streamed response. */
    function everyStep(steps: Steps): (server: Server) => void {
      return (server) => {
        server.ext('onRequest', async (req, h) => {
          steps.record('onRequest', req);
          req.events.on('peek', () => steps.record('request peek', req));
          req.events.once('finish', () => steps.record('request finish', req));
          await sleep(randomDelay(2));
          steps.record('onRequest after await', req);
          return h.continue;
        });
        for (const point of ['onPreAuth', 'onCredentials', 'onPostAuth', 'onPreHandler', 'onPostHandler'] as const) {
          server.ext(point, (req, h) => {
            steps.record(point, req);
            return h.continue;
          });
        }
        server.ext('onPreResponse', (req, h) => {
          steps.record('onPreResponse', req);
          const response = req.response as Hapi21.ResponseObject;
          response.events.on('peek', () => steps.record('response peek', req));
          response.events.once('finish', () => steps.record('response finish', req));
          return h.continue;
        });
        server.ext('onPostResponse', (req, h) => {
          steps.record('onPostResponse', req);
          return h.continue;
        });
        server.events.on('response', (req) => steps.record("server 'response' event", req));
        server.events.on({ name: 'request', channels: 'app' }, (req) => steps.record("server 'request' event", req));
        server.auth.scheme('probe', () => ({
          authenticate: (req, h) => {
            steps.record('authenticate', req);
            return h.authenticated({ credentials: { user: req.headers['x-request-id'] } });
          },
        }));
        server.auth.strategy('probe', 'probe');
        server.route({
          method: 'POST',
          path: '/steps',
          options: {
            auth: 'probe',
            validate: {
              payload: async (value: unknown, _options: unknown) => {
                await sleep(randomDelay(1));
                steps.record('validate payload', currentRequest(value));
                return value;
              },
            },
            pre: [
              {
                method: (req: Request) => {
                  steps.record('pre', req);
                  return req.headers['x-request-id'] as string;
                },
                assign: 'sent',
              },
            ],
          },
          handler: async (req: Request, h: ResponseToolkit) => {
            steps.record('handler', req);
            await sleep(randomDelay(2));
            steps.record('handler after await', req);
            req.log(['probe'], 'handled');
            const { sent } = req.payload as { sent: string };
            let chunk = 0;
            // Read in two parts a timer apart: the second read is started from the first push's aftermath.
            const body = new Readable({
              read() {
                steps.record('stream read', req);
                if (chunk === 2) return void this.push(null);
                chunk++;
                setTimeout(() => this.push(`${sent};`), randomDelay(1));
              },
            });
            return h.response(body).type('text/plain');
          },
        });
      };
    }

    /** Payload validators get no request: the payload carries the id its request was sent with. */
    function currentRequest(payload: unknown): Request {
      return { headers: { 'x-request-id': (payload as { sent: string }).sent } } as unknown as Request;
    }

    // 2,000 on the current major; fewer on hapi 20, which runs the same code, to keep the suite lean.
    const stepRequests = name === 'hapi 21' ? 2_000 : 500;

    it(`every step of ${stepRequests} interleaved keep-alive POSTs, parsed by hapi, sees its own request id`, async () => {
      const steps = new Steps();
      const http = await start(everyStep(steps), { echoHeader: true }, 50);
      const ids = Array.from({ length: stepRequests }, (_, i) => `steps-${i}-${Math.random().toString(36).slice(2, 8)}`);
      const results = await http.sendAll(
        ids.map((sent) => {
          const json = JSON.stringify({ sent });
          return {
            method: 'POST',
            path: '/steps',
            headers: { 'x-request-id': sent, 'content-type': 'application/json' },
            // The rest of the payload reaches hapi's parser from the socket, after the lifecycle has started.
            body: [json.slice(0, 5), json.slice(5)],
            gapMs: randomDelay(3),
          };
        }),
      );
      expect(results.filter((result, i) => result.status !== 200 || result.body !== `${ids[i]};${ids[i]};`)).toEqual([]);
      expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
      // The server's 'response' event and onPostResponse may come a moment after the client has the response.
      await until(() => steps.count('onPostResponse') >= ids.length, 5_000);
      expect(steps.wrong(ids, EVERY_STEP).slice(0, 20)).toEqual([]);
      expect(steps.seen.size).toBe(ids.length);
    });

    it("an aborted request: 'disconnect', hapi's log event of the abort and the 'response' event see its id", async () => {
      const steps = new Steps();
      let waiting = 0;
      await start((server) => {
        server.ext('onRequest', (req, h) => {
          req.events.once('disconnect', () => steps.record('disconnect', req));
          return h.continue;
        });
        server.events.on({ name: 'request', channels: 'internal' }, (req, event) => {
          if (event.tags.includes('abort')) steps.record('abort logged', req);
        });
        server.events.on('response', (req) => steps.record("server 'response' event", req));
        server.route({
          method: 'POST',
          path: '/upload',
          options: { payload: { ...unreadPayload, allow: PROBE_TYPE } },
          handler: (req) => {
            waiting++;
            // Never answers: the request ends when its client goes away.
            return new Promise(() => req.raw.req.resume());
          },
        });
      });
      const ids = Array.from({ length: 10 }, (_, i) => `aborted-${i}`);
      const port = server!.info.port as number;
      const clients = ids.map((sent) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/upload',
          headers: { 'x-request-id': sent, 'content-type': PROBE_TYPE, 'content-length': '100' },
        });
        req.on('error', () => undefined);
        req.write('part of the body');
        return req;
      });
      expect(await until(() => waiting === ids.length, 5_000)).toBe(true);
      for (const req of clients) req.destroy();
      await until(() => steps.count("server 'response' event") >= ids.length, 5_000);
      // Hapi skips onPreResponse for a request whose client is gone.
      expect(steps.wrong(ids, ['disconnect', 'abort logged', "server 'response' event"])).toEqual([]);
    });

    it("a request refused under load (load.maxRssBytes): onPreResponse and the 'response' event see its id", async () => {
      const steps = new Steps();
      server = createServer(serverOptions({ load: { sampleInterval: 5, maxRssBytes: 1 } }));
      await server.register(requestContext(request, { echoHeader: true }));
      server.ext('onPreResponse', (req, h) => {
        steps.record('onPreResponse', req);
        return h.continue;
      });
      server.events.on('response', (req) => steps.record("server 'response' event", req));
      server.route({ method: 'GET', path: '/', handler: () => 'not served' });
      await server.start();
      // Hapi refuses requests once its first sample shows the process over the limit.
      await sleep(50);
      client = new KeepAliveClient(server.info.port as number, 5);
      const ids = Array.from({ length: 20 }, (_, i) => `refused-${i}`);
      const results = await client.sendAll(ids.map((sent) => ({ path: '/', headers: { 'x-request-id': sent } })));
      expect(results.map((result) => result.status)).toEqual(ids.map(() => 503));
      expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
      await until(() => steps.count("server 'response' event") >= ids.length, 5_000);
      expect(steps.wrong(ids, ['onPreResponse', "server 'response' event"])).toEqual([]);
    });

    it("a request hapi times out (timeout.server): onPreResponse and the 'response' event see its id", async () => {
      const steps = new Steps();
      const http = await start(
        (server) => {
          server.ext('onPreResponse', (req, h) => {
            steps.record('onPreResponse', req);
            return h.continue;
          });
          server.events.on('response', (req) => steps.record("server 'response' event", req));
          server.route({
            method: 'GET',
            path: '/',
            options: { timeout: { server: 20 } },
            handler: async () => {
              await sleep(200);
              return 'too late';
            },
          });
        },
        { echoHeader: true },
        10,
      );
      const ids = Array.from({ length: 10 }, (_, i) => `timed-out-${i}`);
      const results = await http.sendAll(ids.map((sent) => ({ path: '/', headers: { 'x-request-id': sent } })));
      expect(results.map((result) => result.status)).toEqual(ids.map(() => 503));
      expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
      await until(() => steps.count("server 'response' event") >= ids.length, 5_000);
      expect(steps.wrong(ids, ['onPreResponse', "server 'response' event"])).toEqual([]);
    });

    it("a streamed response is read in the request's context, also after backpressure", async () => {
      // Chunks larger than the response's buffer: later reads are started by the socket's 'drain'.
      const padding = 'x'.repeat(48 * 1024);
      const http = await start(
        (server) =>
          server.route({
            method: 'GET',
            path: '/',
            handler: (_req, h) => {
              async function* lines(): AsyncGenerator<string> {
                for (let i = 0; i < 4; i++) {
                  await sleep(randomDelay(1));
                  yield `${id() ?? 'none'} ${padding}\n`;
                }
              }
              return h.response(Readable.from(lines(), { objectMode: false })).type('text/plain');
            },
          }),
        { echoHeader: true },
        10,
      );
      const ids = Array.from({ length: 40 }, (_, i) => `streamed-${i}`);
      const results = await http.sendAll(ids.map((sent) => ({ path: '/', headers: { 'x-request-id': sent } })));
      const seenPerRequest = results.map((result) => result.body.split('\n').filter(Boolean).map((line) => line.split(' ')[0]));
      expect(seenPerRequest).toEqual(ids.map((sent) => [sent, sent, sent, sent]));
    });

    it('server.inject runs in the context too, and request.requestId is the id the context holds', async () => {
      await start((server) =>
        server.route({ method: 'GET', path: '/', handler: (req) => ({ decorated: req.requestId, context: id() ?? null }) }),
      );
      const given = await server!.inject({ url: '/', headers: { 'x-request-id': 'injected-1' } });
      expect(given.result).toEqual({ decorated: 'injected-1', context: 'injected-1' });
      expect(given.headers['x-request-id']).toBe('injected-1');
      const made = await server!.inject({ url: '/' });
      const { decorated, context } = made.result as { decorated: string; context: string };
      expect(decorated).toBe(context);
      expect(made.headers['x-request-id']).toBe(context);
    });

    it("useHapiId: the context, the echo and hapi's request.info.id are one id", async () => {
      const http = await start(
        (server) => server.route({ method: 'GET', path: '/', handler: (req) => ({ hapi: req.info.id, context: id() ?? null }) }),
        { echoHeader: 'x-request-id', useHapiId: true },
      );
      const results = [await http.send({ path: '/', headers: { 'x-request-id': 'from-client' } }), await http.send({ path: '/' })];
      const bodies = results.map((result) => JSON.parse(result.body) as { hapi: string; context: string });
      for (const body of bodies) expect(body.context).toBe(body.hapi);
      expect(new Set(bodies.map((body) => body.hapi)).size).toBe(2);
      expect(results.map((result) => result.headers['x-request-id'])).toEqual(bodies.map((body) => body.hapi));
    });

    it('an options callback that throws fails its request with a 500, and the server goes on', async () => {
      const http = await start(
        (server) => server.route({ method: 'GET', path: '/', handler: () => ({ context: id() ?? null }) }),
        {
          generateId: (req) => {
            if (req.headers['x-fail'] === 'yes') throw new Error('no id today');
            return 'made';
          },
        },
      );
      const failed = await http.send({ path: '/', headers: { 'x-fail': 'yes' } });
      expect(failed.status).toBe(500);
      const served = await http.send({ path: '/' });
      expect(JSON.parse(served.body)).toEqual({ context: 'made' });
    });

    it('a second registration is refused by name rather than wrapping the lifecycle twice', async () => {
      server = createServer(serverOptions());
      await server.register(requestContext(request));
      await expect(server.register(requestContext(request))).rejects.toThrow(/already registered/);
    });
  });
}
