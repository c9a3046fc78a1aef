import rule from './no-large-store.js';
import { createRuleTester, createTypedRuleTester, JS_FILE } from '../test/rule-tester.js';

const header = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;
const many = Array.from({ length: 11 }, (_, i) => `f${i}: ${i}`).join(', ');

createRuleTester().run('no-large-store', rule, {
  valid: [
    `${header}app.use((req, res, next) => als.run({ requestId: req.headers['x-id'], userId: req.user?.id }, next));`,
    // A Map as the whole store is the pattern Node's own docs show.
    `${header}app.use((req, res, next) => als.run(new Map(), next));`,
    // A non-empty array literal is data, not a growing collection.
    `${header}export const run = (fn) => als.run({ roles: ['admin'] }, fn);`,
    // A false report seen on real code: a render request is not an HTTP request; `request` counts as one
    // only next to a response parameter.
    `${header}export const renderPage = (request, page) => als.run({ request, page }, () => page.render());`,
    `${header}export function renderJob(request) { return als.run(request, () => draw(request.template)); }`,
    // A variable merely named like a request is not a handler parameter.
    `${header}const request = 'GET /'; export const run = (fn) => als.run({ request }, fn);`,
    // The allow-list: a transaction client scoped to one run.
    {
      code: `${header}export const inTransaction = (tx, fn) => als.run({ tx: pool.connect() }, fn);`,
      options: [{ allow: ['tx'] }],
    },
    { code: `${header}export const run = (fn) => als.run({ ${many} }, fn);`, options: [{ maxProperties: 11 }] },
    // Not a store: other objects' run.
    `runner.run({ req, cache: new Map() }, fn);`,
    // A parameter in no handler's position: a job, an item, a continuation.
    `${header}queue.process((job, done) => als.run(job, done));`,
    `${header}export const each = (items, fn) => items.map((ctx) => als.run(ctx, fn));`,
    `${header}app.use((ctx, next) => als.run({ requestId: ctx.get('x-request-id') }, next));`,
  ],
  invalid: [
    {
      // Koa: the whole ctx, found by its position in a registered middleware.
      code: `${header}app.use(async (ctx, next) => {
  await als.run(ctx, () => next());
});`,
      errors: [{ messageId: 'heavyStore', data: { what: 'the request context (it holds the request and the response)' }, line: 4, column: 17 }],
    },
    {
      // Hono's \`c\` and an Express route's renamed parameters.
      code: `${header}app.use(async (c, next) => als.run({ c }, next));
router.get('/items', (incoming, outgoing) => als.run({ incoming, outgoing }, list));`,
      errors: [
        { messageId: 'heavyValue', data: { key: 'c', what: 'the request context (it holds the request and the response)' }, line: 3, column: 38 },
        { messageId: 'heavyValue', data: { key: 'incoming', what: 'the request object' }, line: 4, column: 56 },
        { messageId: 'heavyValue', data: { key: 'outgoing', what: 'the response object' }, line: 4, column: 66 },
      ],
    },
    {
      code: `${header}app.use((req, res, next) => {
  als.run({ req, res, id: req.id }, next);
});`,
      errors: [
        { messageId: 'heavyValue', data: { key: 'req', what: 'the request object' }, line: 4, column: 13 },
        { messageId: 'heavyValue', data: { key: 'res', what: 'the response object' }, line: 4, column: 18 },
      ],
    },
    {
      // A miss seen on real code: the store is an object made to hold the request and response.
      code: `${header}app.use((req, res, next) => als.run(new RequestContext(req, res), next));`,
      errors: [{ messageId: 'heavyStore', data: { what: 'a `RequestContext` holding the request object' }, line: 3, column: 37 }],
    },
    {
      code: `${header}fastify.addHook('onRequest', (request, reply, done) => als.run(request, done));`,
      errors: [{ messageId: 'heavyStore', data: { what: 'the request object' }, line: 3, column: 64 }],
    },
    {
      code: `${header}import { Pool } from 'pg';
const pool = new Pool();
export function handle(ctx, fn) {
  const store = { db: pool, raw: ctx.req, body: Buffer.from(ctx.body), seen: new Set(), log: [] };
  return als.run(store, fn);
}`,
      errors: [
        { messageId: 'heavyValue', data: { key: 'db', what: 'a database client or pool' }, line: 6, column: 19 },
        { messageId: 'heavyValue', data: { key: 'raw', what: 'the request object' }, line: 6, column: 29 },
        { messageId: 'heavyValue', data: { key: 'body', what: 'a Buffer' }, line: 6, column: 43 },
        { messageId: 'heavyValue', data: { key: 'seen', what: 'a Map, Set or array that can grow' }, line: 6, column: 72 },
        { messageId: 'heavyValue', data: { key: 'log', what: 'a Map, Set or array that can grow' }, line: 6, column: 89 },
      ],
    },
    {
      code: `${header}export const start = () => als.enterWith({ server: http.createServer(), conn: net.connect(80) });`,
      errors: [
        { messageId: 'heavyValue', data: { key: 'server', what: 'a server' }, line: 3, column: 44 },
        { messageId: 'heavyValue', data: { key: 'conn', what: 'a socket or connection' }, line: 3, column: 73 },
      ],
    },
    {
      code: `${header}export const run = (fn) => als.run({ ${many} }, fn);`,
      errors: [{ messageId: 'tooManyProperties', data: { count: 11, max: 10 }, line: 3, column: 36 }],
    },
    {
      code: `${header}export const run = (fn) => als.run({ a: 1, b: 2, c: 3 }, fn);`,
      options: [{ maxProperties: 2 }],
      errors: [{ messageId: 'tooManyProperties', data: { count: 3, max: 2 }, line: 3, column: 36 }],
    },
    {
      // @unthread/context's run takes the values the same way.
      code: `import { createContext } from '@unthread/context';
const request = createContext({ name: 'request' });
export const middleware = (req, res, next) => request.run({ requestId: req.id, socket: req.socket }, next);`,
      filename: JS_FILE,
      errors: [{ messageId: 'heavyValue', data: { key: 'socket', what: 'a socket' }, line: 3, column: 80 }],
    },
  ],
});

createTypedRuleTester().run('no-large-store (type information)', rule, {
  valid: [
    `import { AsyncLocalStorage } from 'node:async_hooks';
import { currentRequest } from './heavy.js';
const als = new AsyncLocalStorage<object>();
export const run = (fn: () => void) => als.run({ userId: currentRequest().user?.id }, fn);`,
  ],
  invalid: [
    {
      // Each framework's request objects by type, under names and in places syntax cannot tell.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import type { ParameterizedContext } from 'koa';
import type { Context } from 'hono';
import type { FastifyRequest, FastifyReply } from 'fastify';
import type { Request } from '@hapi/hapi';
const als = new AsyncLocalStorage<object>();
export const koa = (k: ParameterizedContext, fn: () => void) => als.run(k, fn);
export const hono = (h: Context, fn: () => void) => als.run({ h }, fn);
export const fastify = (q: FastifyRequest, p: FastifyReply, fn: () => void) => als.run({ q, p }, fn);
export const hapi = (r: Request, fn: () => void) => als.run(r, fn);
export const node = (out: ServerResponse, fn: () => void) => als.run({ out }, fn);`,
      errors: [
        { messageId: 'heavyStore', data: { what: 'the request context (it holds the request and the response)' }, line: 8, column: 73 },
        { messageId: 'heavyValue', data: { key: 'h', what: 'the request context (it holds the request and the response)' }, line: 9, column: 63 },
        { messageId: 'heavyValue', data: { key: 'q', what: 'the request object' }, line: 10, column: 90 },
        { messageId: 'heavyValue', data: { key: 'p', what: 'the response object' }, line: 10, column: 93 },
        { messageId: 'heavyStore', data: { what: 'the request object' }, line: 11, column: 61 },
        { messageId: 'heavyValue', data: { key: 'out', what: 'the response object' }, line: 12, column: 72 },
      ],
    },
    {
      // Only the checker knows these hold an IncomingMessage subtype and a Map.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
import { currentRequest, loadTags } from './heavy.js';
const als = new AsyncLocalStorage<object>();
export const run = (fn: () => void) => als.run({ incoming: currentRequest(), tags: loadTags() }, fn);
export const whole = (fn: () => void) => als.run(currentRequest(), fn);`,
      errors: [
        { messageId: 'heavyValue', data: { key: 'incoming', what: 'the request object' }, line: 4, column: 50 },
        { messageId: 'heavyValue', data: { key: 'tags', what: 'a Map, Set or array that can grow' }, line: 4, column: 78 },
        { messageId: 'heavyStore', data: { what: 'the request object' }, line: 5, column: 50 },
      ],
    },
  ],
});
