import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestContextOptions } from '../adapters/settings.js';
import { onAbort } from '../abort.js';
import { bindCallback } from '../bind.js';
import { createContext, type Context } from '../context.js';
import { CallbackPool } from './callback-pool.js';
import { Collectable, collectUntil } from './gc.js';
import { KeepAliveClient, until, type HttpResult } from './load-client.js';
import { LogCapture, stringsIn } from './log-capture.js';
import { headerValues, rawRequest } from './raw-http.js';

export interface Ids {
  requestId: string;
  correlationId: string;
  tenantId: string;
}

/**
 * Reads a request header through the framework's own request API (Express `req.get`, Fastify
 * `request.raw`, Koa `ctx.get`, Hono `c.req.header`): an option that received anything but the
 * framework's request object throws.
 */
export type HeaderReader = (name: string) => string | undefined;

/** The adapter options that take no request. */
export type SharedOptions = Omit<RequestContextOptions<Ids, never>, 'values' | 'generateId' | 'trustHeader'> & {
  trustHeader?: boolean;
};

export interface AppSetup {
  context: Context<Ids>;
  options: SharedOptions;
  /** The adapter's `values(req)`, given a reader of the framework's request. */
  values?: (header: HeaderReader) => Partial<Ids>;
  /** The adapter's `generateId(req)`, given a reader of the framework's request. */
  generateId?: (header: HeaderReader) => string;
  /** The adapter's `trustHeader(req)`, given a reader of the framework's request. */
  trustHeader?: (header: HeaderReader) => boolean;
  log: Logger;
  /** The user code behind `POST /probe`; the route responds with its result as JSON. */
  probe: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;
  /** The user code behind `POST /self`, which writes the whole response itself. */
  respondItself: (req: IncomingMessage, res: ServerResponse) => void;
  /** Runs inside `GET /store`, in the request's context, before it responds. */
  inHandler?: () => void;
}

/**
 * The options to mount the adapter with: `setup.options`, and the request-taking options of `setup`
 * wired to the framework's request through `headerOf`.
 */
export function adapterOptions<Req>(
  setup: AppSetup,
  headerOf: (req: Req, name: string) => string | undefined,
): RequestContextOptions<Ids, Req> {
  const { values, generateId, trustHeader } = setup;
  const reader = (req: Req): HeaderReader => (name) => headerOf(req, name);
  return {
    ...setup.options,
    ...(values === undefined ? {} : { values: (req: Req) => values(reader(req)) }),
    ...(generateId === undefined ? {} : { generateId: (req: Req) => generateId(reader(req)) }),
    ...(trustHeader === undefined ? {} : { trustHeader: (req: Req) => trustHeader(reader(req)) }),
  };
}

export interface RunningApp {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * One framework wired to its adapter. `start` mounts `requestContext(setup.context, options)` first
 * and serves, on 127.0.0.1 and a free port:
 * - `GET /store`: calls `setup.inHandler`, logs `store`, and at once responds with `context.all()` as JSON,
 *   the framework's usual way;
 * - `GET /raw`: at once writes the response through the raw Node response (for Hono, a plain `Response`);
 * - `GET /fail`: throws synchronously, leaving the response to the framework's error handling;
 * - `POST /probe` with content type {@link PROBE_TYPE}: leaves the body unread and responds with the
 *   JSON result of `setup.probe(rawReq, rawRes)`;
 * - `POST /self` with content type {@link PROBE_TYPE}: leaves the body unread, calls
 *   `setup.respondItself(rawReq, rawRes)` and writes nothing itself.
 */
export interface AdapterHarness {
  name: string;
  start(setup: AppSetup): Promise<RunningApp>;
}

export const PROBE_TYPE = 'text/x-probe';

/** Closes a Node server with keep-alive connections still open. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const LOAD = { requests: 1000, maxSockets: 50, poolSize: 5 } as const;

const thisFile = fileURLToPath(import.meta.url);

/** The store's `tenantId` for a header value, as a `values(req)` would compute it. */
function tenantValues(value: string | undefined): Partial<Ids> {
  return value === undefined || value === '' ? {} : { tenantId: value };
}

function randomDelay(maxMs: number): number {
  return Math.floor(Math.random() * (maxMs + 1));
}

function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/**
 * Takes a slot from `pool`, reports the id the callback saw, and holds the slot for a moment so that
 * other requests queue behind it and are run later from this one's `release()`.
 */
function throughPool(
  context: Context<Ids>,
  pool: CallbackPool,
  wrap: (callback: () => void) => () => void,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    pool.acquire(
      wrap(() => {
        const seen = context.tryGet('requestId');
        setTimeout(() => {
          pool.release();
          resolve(seen);
        }, randomDelay(2));
      }),
    );
  });
}

/** Reads a raw body the way user code does, with listeners of its own; reports the id each one saw. */
function readBody(
  context: Context<Ids>,
  req: IncomingMessage,
): Promise<{ body: string; data: (string | undefined)[]; end: string | undefined }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const data: (string | undefined)[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      data.push(context.tryGet('requestId'));
    });
    req.on('end', () => {
      resolve({ body: Buffer.concat(chunks).toString('utf8'), data, end: context.tryGet('requestId') });
    });
    req.on('error', reject);
  });
}

interface ProbeReport {
  steps: Record<string, string | undefined>;
  data: (string | null)[];
  body: string;
  control: string | null;
}

export function describeAdapter(harness: AdapterHarness): void {
  const request = createContext<Ids>({ name: 'request' });
  const noProbe = () => Promise.reject(new Error('this test does not use /probe'));
  const noSelf = () => {
    throw new Error('this test does not use /self');
  };

  describe(harness.name, () => {
    let app: RunningApp | undefined;
    let client: KeepAliveClient | undefined;
    let interval: NodeJS.Timeout | undefined;

    afterEach(async () => {
      clearInterval(interval);
      interval = undefined;
      client?.close();
      client = undefined;
      await app?.close();
      app = undefined;
    });

    async function start(setup: Partial<AppSetup> & { log: Logger }, maxSockets = 1): Promise<KeepAliveClient> {
      app = await harness.start({ context: request, options: { echoHeader: true }, probe: noProbe, respondItself: noSelf, ...setup });
      client = new KeepAliveClient(app.port, maxSockets);
      return client;
    }

    it(`keeps every step of ${LOAD.requests} interleaved keep-alive requests on its own id`, async () => {
      const capture = new LogCapture();
      const log = capture.logger(request);
      const boundPool = new CallbackPool(LOAD.poolSize);
      const unboundPool = new CallbackPool(LOAD.poolSize);
      const finished: { sent: string | undefined; seen: string | undefined }[] = [];
      const id = () => request.tryGet('requestId');

      const probe = async (req: IncomingMessage, res: ServerResponse): Promise<ProbeReport> => {
        const sent = req.headers['x-request-id'] as string | undefined;
        const steps: Record<string, string | undefined> = { handler: id() };
        res.on('finish', () => finished.push({ sent, seen: id() }));
        await stat(thisFile);
        steps.afterAwait = id();
        await sleep(randomDelay(3));
        steps.afterTimer = id();
        const { body, data, end } = await readBody(request, req);
        steps.end = end;
        steps.pool = await throughPool(request, boundPool, bindCallback);
        // The same pool without bindCallback: the callback runs in whichever request released.
        const control = await throughPool(request, unboundPool, (callback) => callback);
        log.info({ sent }, 'probe');
        return { steps, data: data.map((seen) => seen ?? null), body, control: control ?? null };
      };

      const load = await start({ log, probe }, LOAD.maxSockets);
      let connections = 0;
      app!.server.on('connection', () => connections++);

      const ids = Array.from({ length: LOAD.requests }, (_, i) => uniqueId(`load-${i}`));
      const results = await load.sendAll(
        ids.map((sent) => ({
          method: 'POST',
          path: '/probe',
          headers: { 'x-request-id': sent, 'content-type': PROBE_TYPE },
          // The rest of the body comes from the socket after the handler has added its listeners.
          body: ['payload ', `of ${sent}`],
          gapMs: 4 + randomDelay(4),
        })),
      );

      const leaks: string[] = [];
      let controlMismatches = 0;
      results.forEach((result, i) => {
        const sent = ids[i]!;
        if (result.status !== 200) return leaks.push(`${sent}: status ${result.status} ${result.body}`);
        const echoed = result.headers['x-request-id'];
        if (echoed !== sent) leaks.push(`${sent}: echoed ${String(echoed)}`);
        const report = JSON.parse(result.body) as ProbeReport;
        for (const step of ['handler', 'afterAwait', 'afterTimer', 'end', 'pool']) {
          if (report.steps[step] !== sent) leaks.push(`${sent}: ${step} saw ${report.steps[step]}`);
        }
        if (report.data.length === 0 || report.data.some((seen) => seen !== sent)) {
          leaks.push(`${sent}: data listeners saw ${report.data.join(',')}`);
        }
        if (report.body !== `payload of ${sent}`) leaks.push(`${sent}: read body ${report.body}`);
        if (report.control !== sent) controlMismatches++;
      });
      expect(leaks.slice(0, 20), `${leaks.length} wrong ids (first 20 shown)`).toEqual([]);

      const logged = capture.withMessage('probe');
      expect(logged.filter((line) => line.requestId !== line.sent)).toEqual([]);
      expect(logged.map((line) => line.requestId).sort()).toEqual([...ids].sort());

      // 'finish' may come a moment after the client has the whole response.
      await until(() => finished.length >= ids.length, 5_000);
      expect(finished.filter(({ sent, seen }) => seen !== sent)).toEqual([]);
      expect(finished.map(({ sent }) => sent).sort()).toEqual([...ids].sort());

      // Each socket carried many requests in sequence: the situation where a context can outlive its request.
      expect(connections).toBeGreaterThan(0);
      expect(connections).toBeLessThanOrEqual(LOAD.maxSockets);
      // Without bindCallback the same pool hands callbacks to other requests: the load interleaves.
      expect(controlMismatches).toBeGreaterThan(0);
    });

    describe('hostile request ids are replaced by a generated UUID', () => {
      const valid128 = 'Az09._:/-'.repeat(15).slice(0, 128);
      const nonAscii = 'ïd-🙂';
      interface HostileCase {
        name: string;
        lines: Buffer[];
        /** Text that must appear neither in a response nor in a log line. */
        forbidden: string[];
        /** Node's HTTP parser answers 400 before any framework code runs. */
        rejectedByParser?: true;
      }
      const header = (value: string | Buffer) => Buffer.concat([Buffer.from('X-Request-Id: '), Buffer.from(value)]);
      const cases: HostileCase[] = [
        {
          name: 'a bare LF forging a log line',
          lines: [header('abc\n{"level":60,"msg":"forged"}')],
          forbidden: ['forged'],
          rejectedByParser: true,
        },
        {
          name: 'a bare CR injecting a header',
          lines: [header('abc\rSet-Cookie: session=stolen')],
          forbidden: ['stolen'],
          rejectedByParser: true,
        },
        {
          name: 'an obs-fold continuation line',
          lines: [header('abc'), Buffer.from(' X-Injected: folded')],
          forbidden: ['folded'],
          rejectedByParser: true,
        },
        { name: 'a 10 KB id', lines: [header('k'.repeat(10 * 1024))], forbidden: ['k'.repeat(10 * 1024)] },
        {
          name: 'non-ASCII UTF-8 bytes',
          lines: [header(Buffer.from(nonAscii, 'utf8'))],
          // Node decodes header bytes as latin1: forbid both what was meant and what the server sees.
          forbidden: [nonAscii, Buffer.from(nonAscii, 'utf8').toString('latin1')],
        },
        { name: 'spaces', lines: [header('abc def')], forbidden: ['abc def'] },
        { name: 'quotes', lines: [header(`abc"def'ghi`)], forbidden: [`abc"def'ghi`] },
        { name: 'a JSON fragment', lines: [header('{"level":60}')], forbidden: ['{"level":60}'] },
        { name: 'an id of 129 characters', lines: [header(`${valid128}x`)], forbidden: [`${valid128}x`] },
        { name: 'an empty id', lines: [header('')], forbidden: [] },
        {
          name: 'two ids in repeated headers',
          lines: [header('first-id'), header('second-id')],
          forbidden: ['first-id', 'second-id'],
        },
      ];
      const generated = new Set<string>();

      it.each(cases)('$name', async ({ lines, forbidden, rejectedByParser }) => {
        const capture = new LogCapture();
        await start({ log: capture.logger(request) });
        const response = await rawRequest(app!.port, 'GET /store HTTP/1.1', lines);
        const echoed = headerValues(response, 'x-request-id');
        const received = response.bytes.toString('latin1');
        for (const text of forbidden) {
          expect(received).not.toContain(text);
          for (const line of capture.lines) expect(stringsIn(line).filter((value) => value.includes(text))).toEqual([]);
        }
        if (rejectedByParser) {
          expect(response.status).toBe(400);
          expect(echoed).toEqual([]);
          expect(capture.lines).toEqual([]);
          return;
        }
        expect(response.status).toBe(200);
        expect(echoed).toHaveLength(1);
        const id = echoed[0]!;
        expect(id).toMatch(UUID_V4);
        expect(JSON.parse(response.body)).toEqual({ requestId: id });
        expect(capture.withMessage('store').map((line) => line.requestId)).toEqual([id]);
        expect(generated.has(id)).toBe(false);
        generated.add(id);
      });

      it('a valid id of 128 characters is kept', async () => {
        const capture = new LogCapture();
        await start({ log: capture.logger(request) });
        const response = await rawRequest(app!.port, 'GET /store HTTP/1.1', [header(valid128)]);
        expect(response.status).toBe(200);
        expect(headerValues(response, 'x-request-id')).toEqual([valid128]);
        expect(JSON.parse(response.body)).toEqual({ requestId: valid128 });
        expect(capture.withMessage('store').map((line) => line.requestId)).toEqual([valid128]);
      });
    });

    describe('options', () => {
      it('reads a custom header into a custom key, echoes it under another name, adds values(req)', async () => {
        const capture = new LogCapture();
        const made: string[] = [];
        const generateId = () => {
          const id = uniqueId(`made-${made.length}`);
          made.push(id);
          return id;
        };
        const http = await start({
          log: capture.logger(request),
          options: { key: 'correlationId', header: 'X-Correlation-Id', echoHeader: 'X-Echoed-Id' },
          generateId,
          values: (header) => tenantValues(header('x-tenant')),
        });
        const store = (result: HttpResult) => JSON.parse(result.body) as Partial<Ids>;

        const sent = uniqueId('corr');
        const given = await http.send({
          path: '/store',
          headers: { 'x-correlation-id': sent, 'x-tenant': 'acme', 'x-request-id': 'not-the-header' },
        });
        expect(given.status).toBe(200);
        expect(store(given)).toEqual({ correlationId: sent, tenantId: 'acme' });
        expect(given.headers['x-echoed-id']).toBe(sent);
        expect(given.headers['x-correlation-id']).toBeUndefined();
        expect(given.headers['x-request-id']).toBeUndefined();
        expect(made).toEqual([]);

        // The default header means nothing now: the id is generated.
        const defaultHeader = await http.send({ path: '/store', headers: { 'x-request-id': uniqueId('ignored') } });
        expect(made).toHaveLength(1);
        expect(store(defaultHeader)).toEqual({ correlationId: made[0] });
        expect(defaultHeader.headers['x-echoed-id']).toBe(made[0]);

        const unsafe = await http.send({
          path: '/store',
          headers: { 'x-correlation-id': 'has space', 'x-tenant': 't2' },
        });
        expect(made).toHaveLength(2);
        expect(store(unsafe)).toEqual({ correlationId: made[1], tenantId: 't2' });
        expect(unsafe.headers['x-echoed-id']).toBe(made[1]);

        const logged = capture.withMessage('store').map(({ correlationId, tenantId, requestId }) => ({
          correlationId,
          tenantId,
          requestId,
        }));
        expect(logged).toEqual([
          { correlationId: sent, tenantId: 'acme', requestId: undefined },
          { correlationId: made[0], tenantId: undefined, requestId: undefined },
          { correlationId: made[1], tenantId: 't2', requestId: undefined },
        ]);
      });

      it('echoHeader: true echoes under the incoming header name', async () => {
        const http = await start({
          log: new LogCapture().logger(request),
          options: { header: 'x-correlation-id', key: 'correlationId', echoHeader: true },
        });
        const sent = uniqueId('corr');
        const result = await http.send({ path: '/store', headers: { 'x-correlation-id': sent } });
        expect(JSON.parse(result.body)).toEqual({ correlationId: sent });
        expect(result.headers['x-correlation-id']).toBe(sent);
        expect(result.headers['x-request-id']).toBeUndefined();
      });

      it.each([
        { name: 'left out', options: {} },
        { name: 'false', options: { echoHeader: false } },
      ])('echoHeader $name: no response header carries the id', async ({ options }) => {
        const http = await start({ log: new LogCapture().logger(request), options });
        const sent = uniqueId('quiet');
        const result = await http.send({ path: '/store', headers: { 'x-request-id': sent } });
        expect(JSON.parse(result.body)).toEqual({ requestId: sent });
        expect(Object.entries(result.headers).filter(([, value]) => String(value).includes(sent))).toEqual([]);
      });
    });

    describe('request ids', () => {
      const storeOf = (result: HttpResult) => JSON.parse(result.body) as Partial<Ids>;
      const loggedIds = (capture: LogCapture) => capture.withMessage('store').map((line) => line.requestId);

      it("generateId(req) receives the framework's request", async () => {
        const capture = new LogCapture();
        const http = await start({
          log: capture.logger(request),
          generateId: (header) => `made-for-${header('x-seed') ?? 'nobody'}`,
        });
        const none = await http.send({ path: '/store', headers: { 'x-seed': 'first' } });
        const unsafe = await http.send({ path: '/store', headers: { 'x-seed': 'second', 'x-request-id': 'a b' } });
        const kept = await http.send({ path: '/store', headers: { 'x-seed': 'third', 'x-request-id': 'given-3' } });
        expect([none, unsafe, kept].map(storeOf)).toEqual([
          { requestId: 'made-for-first' },
          { requestId: 'made-for-second' },
          { requestId: 'given-3' },
        ]);
        expect([none, unsafe, kept].map((result) => result.headers['x-request-id'])).toEqual([
          'made-for-first',
          'made-for-second',
          'given-3',
        ]);
        expect(loggedIds(capture)).toEqual(['made-for-first', 'made-for-second', 'given-3']);
      });

      it('an id that values(req) derives is the one echoed and logged', async () => {
        const capture = new LogCapture();
        const http = await start({
          log: capture.logger(request),
          values: (header) => {
            const trace = header('x-trace');
            return trace === undefined ? { tenantId: 'acme' } : { requestId: trace, tenantId: 'acme' };
          },
        });
        const derived = await http.send({ path: '/store', headers: { 'x-trace': 'trace-1', 'x-request-id': 'other-1' } });
        // values(req) gave no id: the header's is used, as without values.
        const fallback = await http.send({ path: '/store', headers: { 'x-request-id': 'header-2' } });
        // A derived id is checked as a header's is: often it is another header a client controls.
        const unsafe = await http.send({ path: '/store', headers: { 'x-trace': 'trace 3', 'x-request-id': 'other-3' } });
        const ids = [derived, fallback, unsafe].map((result) => storeOf(result).requestId);
        expect(ids.slice(0, 2)).toEqual(['trace-1', 'header-2']);
        expect(ids[2]).toMatch(UUID_V4);
        expect([derived, fallback, unsafe].map(storeOf).map((store) => store.tenantId)).toEqual(['acme', 'acme', 'acme']);
        expect([derived, fallback, unsafe].map((result) => result.headers['x-request-id'])).toEqual(ids);
        expect(loggedIds(capture)).toEqual(ids);
      });

      it('trustHeader: false never takes the id from the request', async () => {
        const capture = new LogCapture();
        const http = await start({ log: capture.logger(request), options: { echoHeader: true, trustHeader: false } });
        const results = await http.sendAll(
          ['client-1', 'client-2'].map((sent) => ({ path: '/store', headers: { 'x-request-id': sent } })),
        );
        const ids = results.map((result) => storeOf(result).requestId);
        for (const id of ids) expect(id).toMatch(UUID_V4);
        expect(new Set(ids).size).toBe(2);
        expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
        expect(loggedIds(capture).sort()).toEqual([...ids].sort());
      });

      it('trustHeader(req) decides per request', async () => {
        const http = await start({
          log: new LogCapture().logger(request),
          trustHeader: (header) => header('x-from-proxy') === 'yes',
        });
        const trusted = await http.send({ path: '/store', headers: { 'x-request-id': 'proxied', 'x-from-proxy': 'yes' } });
        const direct = await http.send({ path: '/store', headers: { 'x-request-id': 'direct' } });
        expect(storeOf(trusted)).toEqual({ requestId: 'proxied' });
        expect(storeOf(direct).requestId).toMatch(UUID_V4);
        expect(direct.headers['x-request-id']).toBe(storeOf(direct).requestId);
      });
    });

    describe('listeners that run after the handler', () => {
      const id = () => request.tryGet('requestId');

      it("res 'finish' and 'close' listeners see the request's context when the body's 'end' ends the response", async () => {
        interface Seen {
          sent: unknown;
          end?: string | undefined;
          finish?: string | undefined;
          close?: string | undefined;
        }
        const seen: Seen[] = [];
        const http = await start(
          {
            log: new LogCapture().logger(request),
            respondItself(req, res) {
              const record: Seen = { sent: req.headers['x-request-id'] };
              res.on('finish', () => (record.finish = id()));
              res.on('close', () => {
                record.close = id();
                seen.push(record);
              });
              req.on('data', () => undefined);
              req.on('end', () => {
                record.end = id();
                res.end('ended');
              });
            },
          },
          10,
        );
        const ids = Array.from({ length: 100 }, (_, i) => uniqueId(`close-${i}`));
        const results = await http.sendAll(
          ids.map((sent) => ({
            method: 'POST',
            path: '/self',
            headers: { 'x-request-id': sent, 'content-type': PROBE_TYPE },
            body: ['first ', 'second'],
            gapMs: randomDelay(3),
          })),
        );
        expect(results.map((result) => result.body)).toEqual(ids.map(() => 'ended'));
        expect(results.map((result) => result.headers['x-request-id'])).toEqual(ids);
        await until(() => seen.length >= ids.length, 5_000);
        const wrong = seen.filter(({ sent, end, finish, close }) => end !== sent || finish !== sent || close !== sent);
        expect(wrong).toEqual([]);
        expect(seen.map(({ sent }) => sent).sort()).toEqual([...ids].sort());
      });

      it("an AbortSignal's 'abort' listener runs in the aborting request's context; onAbort's in its own", async () => {
        const shutdown = new AbortController();
        let waiting = 0;
        const http = await start(
          {
            log: new LogCapture().logger(request),
            respondItself(req, res) {
              let plain: string | undefined;
              shutdown.signal.addEventListener('abort', () => (plain = id()), { once: true });
              onAbort(shutdown.signal, () => res.end(JSON.stringify({ plain: plain ?? null, bound: id() ?? null })));
              req.resume();
              waiting++;
            },
            inHandler: () => shutdown.abort(),
          },
          4,
        );
        const waiters = ['waiter-1', 'waiter-2', 'waiter-3'];
        const answers = Promise.all(
          waiters.map((sent) =>
            http.send({ method: 'POST', path: '/self', headers: { 'x-request-id': sent, 'content-type': PROBE_TYPE } }),
          ),
        );
        expect(await until(() => waiting === waiters.length, 5_000)).toBe(true);
        const aborter = await http.send({ path: '/store', headers: { 'x-request-id': 'aborter' } });
        expect(JSON.parse(aborter.body)).toEqual({ requestId: 'aborter' });
        expect((await answers).map((result) => JSON.parse(result.body) as unknown)).toEqual(
          waiters.map((sent) => ({ plain: 'aborter', bound: sent })),
        );
      });
    });

    describe('the echoed header is set before the handler writes', () => {
      it.each([
        { route: '/store', how: 'responding at once', status: 200 },
        { route: '/raw', how: 'writing the raw response', status: 200 },
        { route: '/fail', how: 'throwing', status: 500 },
      ])('$route: $how', async ({ route, status }) => {
        const http = await start({ log: new LogCapture().logger(request) });
        const sent = uniqueId('early');
        const result = await http.send({ path: route, headers: { 'x-request-id': sent } });
        expect(result.status).toBe(status);
        expect(result.headers['x-request-id']).toBe(sent);
      });
    });

    describe('garbage collection', () => {
      /** Serves one request to `/store`, then closes client and server: nothing of the request should remain. */
      async function serveOnce(inHandler: () => void): Promise<void> {
        const http = await start({ log: new LogCapture().logger(request), inHandler });
        const sent = uniqueId('gc');
        const result = await http.send({ path: '/store', headers: { 'x-request-id': sent } });
        expect(JSON.parse(result.body)).toEqual({ requestId: sent });
        http.close();
        client = undefined;
        await app!.close();
        app = undefined;
      }

      it('a store is collectable once its request has ended', async () => {
        let store: Collectable | undefined;
        await serveOnce(() => (store = new Collectable(request.all())));
        expect(store).toBeDefined();
        expect(await collectUntil(() => store!.collected)).toBe(true);
      });

      it('a setInterval started in the request keeps its store alive until it is cleared', async () => {
        let store: Collectable | undefined;
        await serveOnce(() => {
          store = new Collectable(request.all());
          interval = setInterval(() => undefined, 60_000);
        });
        expect(await collectUntil(() => store!.collected)).toBe(false);
        expect(store!.alive).toBe(true);
        clearInterval(interval);
        // The timer object itself carries the context: drop the last reference to it as well.
        interval = undefined;
        expect(await collectUntil(() => store!.collected)).toBe(true);
      });
    });
  });
}
