import rule, { type Options } from './no-shared-request-state.js';
import { createCommonJsRuleTester, createRuleTester, createTypedRuleTester } from '../test/rule-tester.js';

/** The message's data: what is written (as code), the request's value, and where other code reads it. */
const seen = (target: string, value: string, where: string) => ({ target: `\`${target}\``, value, where });

createRuleTester().run('no-shared-request-state', rule, {
  valid: [
    // A lazily initialised singleton: written once, by the first request.
    `let baseUrl;
app.get('/', (req, res) => {
  if (!baseUrl) baseUrl = req.protocol + '://' + req.get('host');
  res.send(link());
});
function link() { return baseUrl + '/next'; }`,
    `let origin;
app.use((req, res, next) => { origin ??= req.get('origin'); next(); });
export const getOrigin = () => origin;`,
    `let cached;
app.get('/config', async (req, res) => {
  if (cached) return res.json(cached);
  cached = await load(req.query.version);
  res.json(cached);
});
export const current = () => cached;`,
    // Counters and metrics.
    `let requests = 0;
let bytes = 0;
app.use((req, res, next) => {
  requests += 1;
  bytes = bytes + Number(req.headers['content-length']);
  next();
});
export const stats = () => ({ requests, bytes });`,
    // Collections keyed by the request's own value: every request its own entry.
    `const sessions = {};
const pending = new Map();
const seen = new Set();
app.use((req, res, next) => {
  sessions[req.id] = req.session;
  pending.set(req.id, Date.now());
  seen.add(req.id);
  next();
});
export const lookup = (id) => [sessions[id], pending.get(id)];`,
    // Written at start-up, not from a request.
    `let port;
let baseUrl;
port = Number(process.env.PORT);
export function configure(options) { baseUrl = options.baseUrl; }
export const url = () => baseUrl + ':' + port;`,
    // Inside run() of a store the code owns (a shared store is no-shared-store's finding).
    `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
const store = {};
app.use((req, res, next) => als.run(store, () => { store.user = req.user; next(); }));
export const user = () => store.user;`,
    // Written but never read by other code, or read only before the handler yields.
    `let lastSeen;
app.use((req, res, next) => { lastSeen = req.ip; next(); });`,
    `let current;
app.get('/', (req, res) => { current = req.params.id; res.send(current); });`,
    // The request's own objects and instance state: one per request.
    `app.use((req, res, next) => { req.user = decode(req.headers.authorization); res.locals.id = req.id; next(); });`,
    `class Handler { handle(req) { this.id = req.id; } read() { return this.id; } }`,
    // One instance per request, or a class others may instantiate: not a singleton.
    `export class Session { remember(req) { this.user = req.user; } user() { return this.user; } }`,
    `class Tracker { track(req) { this.id = req.id; } id() { return this.id; } }
app.use((req, res, next) => { new Tracker().track(req); next(); });`,
    `@Injectable({ scope: Scope.REQUEST })
export class RequestUser { set(@Req() req) { this.user = req.user; } get() { return this.user; } }`,
    // A singleton's constructor runs once, at start-up.
    `class Client { constructor(request) { this.agent = request.agent; } send() { return this.agent; } }
module.exports = new Client(defaults);`,
    // Named like a request id, but not handed in: a counter's own next value, a constant.
    `let requestIdSeed;
export function reset() { requestIdSeed = 1000; }
export const seed = () => requestIdSeed;`,
    // Not a request: a value of some other callback.
    `let lastMessage;
queue.on('message', (message) => { lastMessage = message.id; });
export const last = () => lastMessage;`,
    // \`use\` of things that are not apps: an HTTP client's interceptor, a test library's plugin.
    `let lastConfig;
let chaiInstance;
axios.interceptors.request.use((config) => { lastConfig = config.headers; return config; });
chai.use((instance, utils) => { chaiInstance = instance; });
export const last = () => [lastConfig, chaiInstance];`,
    `let cachedHeaders;
cache.get(key, (err, value) => { cachedHeaders = value.headers; });
export const headers = () => cachedHeaders;`,
    // A test keeping what its server received, for its assertions.
    `let received;
describe('server', () => {
  it('sends the id', async () => {
    app.get('/', (req, res) => { received = req.headers['x-id']; res.end(); });
    await request(app).get('/');
    check();
  });
});
function check() { expect(received).toBe('a'); }`,
    // Without types, a handler whose parameters have other names is found only by its registration.
    `import type { Request } from 'express';
let tenant: unknown;
export function fromExpress(incoming: Request) { tenant = incoming.get('x-tenant'); }
export const current = () => tenant;`,
    // A test's mock server, in a test file.
    {
      code: `let lastRequest;
export const server = http.createServer((req, res) => { lastRequest = req.headers; res.end(); });
export const received = () => lastRequest;`,
      filename: 'test/mock-server.js',
    },
    // Koa's ctx outside middleware reads nothing of the request here.
    `let canvasSize;
export function draw(ctx) { canvasSize = ctx.canvas.width; }
export const size = () => canvasSize;`,
  ],
  invalid: [
    {
      // Express: a module-level let written by the handler, read by the client call.
      code: `let correlationId;
export function send(body) {
  return fetch(url, { method: 'POST', body, headers: { 'x-correlation-id': correlationId } });
}
app.post('/charge', async (req, res) => {
  correlationId = req.headers['x-correlation-id'];
  res.json(await send(req.body));
});`,
      errors: [
        {
          messageId: 'requestState',
          data: seen('correlationId', "req.headers['x-correlation-id']", 'in `send` (line 3)'),
          line: 6,
          column: 3,
        },
      ],
    },
    {
      // A property of an imported singleton, from Express's `req.get()`.
      code: `import config from './config.js';
app.use((req, res, next) => {
  config.correlationId = req.get('x-correlation-id');
  next();
});`,
      errors: [{ messageId: 'requestState', data: seen('config.correlationId', "req.get('x-correlation-id')", 'wherever `config` is imported'), line: 3, column: 3 }],
    },
    {
      // A property of a module-level object, read by another function.
      code: `const state = {};
router.use(function (req, res, next) {
  state.user = req.user;
  next();
});
export function currentUser() { return state.user; }`,
      errors: [{ messageId: 'requestState', data: seen('state.user', 'req.user', 'in `currentUser` (line 6)'), line: 3, column: 3 }],
    },
    {
      // Express's app.locals: every view reads them, for every request (res.locals is the request's own).
      code: `const app = express();
app.use((req, res, next) => { app.locals.currentUser = req.user; next(); });`,
      errors: [{ messageId: 'requestState', data: seen('app.locals.currentUser', 'req.user', 'by every view the app renders'), line: 2, column: 31 }],
    },
    {
      // A class's static property, written from a request in a static method.
      code: `export class RequestInfo {
  static remember(req) { this.current = req.headers['x-request-id']; }
  static id() { return this.current; }
}`,
      errors: [{ messageId: 'requestState', data: seen('RequestInfo.current', "req.headers['x-request-id']", 'in `id` (line 3)'), line: 2, column: 26 }],
    },
    {
      code: `class Tracker {}
app.use((req, res, next) => { Tracker.last = req.id; next(); });
export const last = () => Tracker.last;`,
      errors: [{ messageId: 'requestState', data: seen('Tracker.last', 'req.id', 'in `last` (line 3)'), line: 2, column: 31 }],
    },
    {
      // Koa: `globalThis`, from `ctx.get()`.
      code: `app.use(async (ctx, next) => {
  globalThis.requestId = ctx.get('x-request-id');
  await next();
});`,
      errors: [{ messageId: 'requestState', data: seen('globalThis.requestId', "ctx.get('x-request-id')", 'by any module of the process'), line: 2, column: 3 }],
    },
    {
      // Fastify: `process.env`, in a hook.
      code: `fastify.addHook('onRequest', async (request, reply) => {
  process.env.TENANT = request.headers['x-tenant'];
});`,
      errors: [{ messageId: 'requestState', data: seen('process.env.TENANT', "request.headers['x-tenant']", 'by any module of the process'), line: 2, column: 3 }],
    },
    {
      // hapi: read back in the same handler, after an await that lets other requests run.
      code: `let currentId;
server.route({
  method: 'GET',
  path: '/',
  handler: async (incoming, h) => {
    currentId = incoming.info.id;
    await db.query('select 1');
    return h.response(currentId);
  },
});`,
      errors: [{ messageId: 'requestState', data: seen('currentId', 'incoming.info.id', 'after an `await` (line 8)'), line: 6, column: 5 }],
    },
    {
      // Hono: `(c)` registered with a path; a value read from the request through a local.
      code: `let tenant;
app.get('/items', async (c) => {
  const header = c.req.header('x-tenant');
  tenant = header.toLowerCase();
  return c.json(await list());
});
async function list() { return db.items(tenant); }`,
      errors: [{ messageId: 'requestState', data: seen('tenant', 'header.toLowerCase()', 'in `list` (line 7)'), line: 4, column: 3 }],
    },
    {
      // A `ctx` parameter outside a recognised middleware, read for the request's state.
      code: `let currentUser;
export function remember(ctx) { currentUser = ctx.state.user; }
export const who = () => currentUser;`,
      errors: [{ messageId: 'requestState', line: 2, column: 33 }],
    },
    {
      // An ES module's live binding: every importer reads it.
      code: `export let requestId;
app.use((req, res, next) => { requestId = req.id; next(); });`,
      errors: [{ messageId: 'requestState', data: seen('requestId', 'req.id', 'wherever this module is imported'), line: 2, column: 31 }],
    },
    {
      // The same mock server outside test files: a server's handler, whatever it is registered with.
      code: `let lastRequest;
export const server = http.createServer((req, res) => { lastRequest = req.headers; res.end(); });
export const received = () => lastRequest;`,
      filename: 'src/server.js',
      errors: [{ messageId: 'requestState', data: seen('lastRequest', 'req.headers', 'in `received` (line 3)'), line: 2, column: 57 }],
    },
    {
      // The id arrives as a parameter: the codemod can move it into the context.
      code: `let correlationIdFromRequest;
function headers() { return { 'x-correlation-id': correlationIdFromRequest }; }
export function configureClient(client, baseUrl, correlationId) {
  correlationIdFromRequest = correlationId;
  client.configure(baseUrl, { headers });
}`,
      errors: [
        {
          messageId: 'threadedRequestState',
          data: { ...seen('correlationIdFromRequest', 'correlationId', 'in `headers` (line 2)'), parameter: 'correlationId' },
          line: 4,
          column: 3,
        },
      ],
    },
    {
      // A setter: the state's name says it holds a request id, handed in by a caller in another file.
      code: `let currentCorrelationId;
export function setCorrelationId(id) { currentCorrelationId = id; }
export const headers = () => ({ 'x-correlation-id': currentCorrelationId });`,
      errors: [{ messageId: 'requestState', data: seen('currentCorrelationId', 'id', 'in `headers` (line 3)'), line: 2, column: 40 }],
    },
    {
      // NestJS: a decorated parameter of a controller method.
      code: `let lastId: string | undefined;
@Controller('items')
export class ItemsController {
  @Get()
  find(@Headers('x-request-id') id: string) {
    lastId = id;
    return this.items.find();
  }
}
export const last = () => lastId;`,
      errors: [{ messageId: 'requestState', line: 6, column: 5 }],
    },
    {
      // An instance made once at module level: its fields are shared like a module-level variable.
      code: `class Connector {
  configure(req) { this.correlationId = req.get('x-correlation-id'); }
  async charge(id) { return post('/charges/' + id, { 'x-correlation-id': this.correlationId }); }
}
export default new Connector();`,
      errors: [
        {
          messageId: 'requestState',
          data: { target: '`this.correlationId` of the `Connector` singleton', value: "req.get('x-correlation-id')", where: 'in `charge` (line 3)' },
          line: 2,
          column: 20,
        },
      ],
    },
    {
      // A NestJS provider: one instance for the whole application unless its scope says otherwise.
      code: `@Injectable()
export class AuditService {
  private user?: string;
  remember(@Req() req: { user: string }) { this.user = req.user; }
  async write(event: string) { await this.repository.save({ event, user: this.user }); }
}`,
      errors: [
        {
          messageId: 'requestState',
          data: { target: '`this.user` of the `AuditService` singleton', value: 'req.user', where: 'in `write` (line 5)' },
          line: 4,
          column: 44,
        },
      ],
    },
  ],
});

createCommonJsRuleTester().run('no-shared-request-state (CommonJS)', rule, {
  valid: [
    // `module.exports = { id }` exports the value the variable holds then, not later writes.
    `let baseUrl;
module.exports = function (options = {}) { baseUrl = options.baseUrl; return { get: () => baseUrl }; };`,
  ],
  invalid: [
    {
      // A client factory called per request with the request's id as an option.
      code: `let baseUrl;
let correlationId;
function _get(url) { return client.get(baseUrl + url, { correlationId }); }
module.exports = function (clientOptions = {}) {
  baseUrl = clientOptions.baseUrl || process.env.CONNECTOR_HOST;
  correlationId = clientOptions.correlationId;
  return { find: (id) => _get('/charges/' + id) };
};`,
      errors: [{ messageId: 'requestState', data: seen('correlationId', 'clientOptions.correlationId', 'in `_get` (line 3)'), line: 6, column: 3 }],
    },
    {
      // The exports object, written per request.
      code: `app.use((req, res, next) => { module.exports.requestId = req.id; next(); });`,
      errors: [{ messageId: 'requestState', data: seen('module.exports.requestId', 'req.id', 'wherever this module is imported'), line: 1, column: 31 }],
    },
    {
      // An object exported for other modules.
      code: `const context = {};
app.use((req, res, next) => { context.user = req.user; next(); });
module.exports = context;`,
      errors: [{ messageId: 'requestState', data: seen('context.user', 'req.user', 'wherever this module is imported'), line: 2, column: 31 }],
    },
  ],
});

// Types recognise the framework's request objects under any parameter name, outside any registration.
// The typed fixture lives under test/, so these cases turn the test-file patterns off.
const notTestCode: Options = [{ testFilePatterns: [] }];

createTypedRuleTester().run('no-shared-request-state (type information)', rule, {
  valid: [
    {
      code: `let lastName: string | undefined;
export function greet(person: { name: string }) { lastName = person.name; }
export const last = () => lastName;`,
      options: notTestCode,
    },
  ],
  invalid: [
    {
      options: notTestCode,
      code: `import type { Request } from 'express';
import type { Context } from 'hono';
import type { FastifyRequest } from 'fastify';
import type { ParameterizedContext } from 'koa';
import type { Request as HapiRequest } from '@hapi/hapi';
let tenant: unknown;
export function fromExpress(incoming: Request) { tenant = incoming.get('x-tenant'); }
export function fromHono(c2: Context) { tenant = c2.req.header('x-tenant'); }
export function fromFastify(r: FastifyRequest) { tenant = r.headers['x-tenant']; }
export function fromKoa(k: ParameterizedContext) { tenant = k.get('x-tenant'); }
export function fromHapi(h: HapiRequest) { tenant = h.headers['x-tenant']; }
export const current = () => tenant;`,
      errors: [
        { messageId: 'requestState', line: 7, column: 50 },
        { messageId: 'requestState', line: 8, column: 41 },
        { messageId: 'requestState', line: 9, column: 50 },
        { messageId: 'requestState', line: 10, column: 52 },
        { messageId: 'requestState', line: 11, column: 44 },
      ],
    },
  ],
});
