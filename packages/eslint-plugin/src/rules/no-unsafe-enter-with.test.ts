import rule from './no-unsafe-enter-with.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const header = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;
const enterWith = { method: 'enterWith' };

ruleTester.run('no-unsafe-enter-with', rule, {
  valid: [
    // After the first await the store no longer reaches the caller.
    `${header}async function handle(id) { await ready(); als.enterWith({ id }); return work(); }`,
    `${header}async function handle(items) { for await (const item of items) {} als.enterWith({}); }`,
    // A top-level enterWith(undefined) (nestjs-cls does this) sets no store for handlers to share.
    `${header}als.enterWith(undefined); als.enterWith(void 0); als.enterWith(null);`,
    // A plain synchronous helper is not one of the leaking places.
    `${header}function setup() { als.enterWith({ id: 'boot' }); }`,
    // run() is the safe form.
    `${header}app.use((req, res, next) => als.run({ id: req.id }, next));`,
    // Not an AsyncLocalStorage.
    `const als = { enterWith() {} }; als.enterWith({}); app.use((req, res, next) => { als.enterWith({}); next(); });`,
    // A callback inside the handler is its own function: its enterWith is judged there.
    `${header}app.get('/', (req, res) => { db.query('x', () => { als.enterWith({}); }); });`,
    // An async listener after its await.
    `${header}emitter.on('x', async () => { await tick(); als.enterWith({}); });`,
  ],
  invalid: [
    {
      // Misses seen on real code: hapi's request extension point...
      code: `${header}server.ext('onRequest', (request, h) => { als.enterWith({ id: request.info.id }); return h.continue; });`,
      errors: [{ messageId: 'handler', data: enterWith, line: 3, column: 43, suggestions: [{ messageId: 'useRun', data: { instance: 'als' }, output: `${header}server.ext('onRequest', (request, h) => { return als.run({ id: request.info.id }, () => h.continue); });` }] }],
    },
    {
      // ...Koa 1's generator middleware...
      code: `${header}app.use(function* (next) { als.enterWith({ id: this.request.id }); yield next; });`,
      filename: JS_FILE,
      errors: [{ messageId: 'handler', data: enterWith, line: 3, column: 28, suggestions: [] }],
    },
    {
      // ...and an async guard method before its first await.
      code: `${header}export class AuthGuard { async canActivate(context) { als.enterWith({ user: context.user }); await check(context); return true; } }`,
      filename: JS_FILE,
      errors: [{ messageId: 'beforeAwait', data: enterWith, line: 3, column: 55, suggestions: [{ messageId: 'useRun', data: { instance: 'als' }, output: `${header}export class AuthGuard { async canActivate(context) { return als.run({ user: context.user }, async () => { await check(context); return true;
}); } }` }] }],
    },
    {
      code: `${header}als.enterWith({ id: 'root' });`,
      errors: [{ messageId: 'topLevel', data: enterWith, line: 3, column: 1, suggestions: [] }],
    },
    {
      // The headline case: the middleware form, with the run() suggestion from the issue.
      code: `${header}app.use((req, res, next) => {
  als.enterWith({ id: req.headers['x-id'] });
  next();
});`,
      errors: [
        {
          messageId: 'handler',
          data: enterWith,
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}app.use((req, res, next) => {
  als.run({ id: req.headers['x-id'] }, () => next());
});`,
            },
          ],
        },
      ],
    },
    {
      // Several statements move verbatim, comments included; `return` is kept by returning run().
      code: `${header}export async function handle(id: string) {
  als.enterWith({ id });
  // load first
  const user = await load(id);
  return render(user);
}`,
      errors: [
        {
          messageId: 'beforeAwait',
          data: enterWith,
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}export async function handle(id: string) {
  return als.run({ id }, async () => {
  // load first
  const user = await load(id);
  return render(user);
  });
}`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}const handler = async function (job) { als.enterWith(job); return process(job); };`,
      errors: [
        {
          messageId: 'beforeAwait',
          data: enterWith,
          line: 3,
          column: 40,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}const handler = async function (job) { return als.run(job, () => process(job)); };`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}fastify.addHook('onRequest', async (request, reply) => { als.enterWith({ id: request.id }); });`,
      errors: [{ messageId: 'handler', data: enterWith, line: 3, column: 58, suggestions: [] }],
    },
    {
      code: `${header}router.use(async (ctx, next) => { als.enterWith({ ctx }); await next(); });`,
      errors: [
        {
          messageId: 'handler',
          data: enterWith,
          line: 3,
          column: 35,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}router.use(async (ctx, next) => { return als.run({ ctx }, async () => await next()); });`,
            },
          ],
        },
      ],
    },
    {
      // Registered as middleware, whatever the parameters are called.
      code: `${header}app.use(function (incoming, outgoing, proceed) { als.enterWith({}); proceed(); });
http.createServer((a, b) => { als.enterWith({}); });`,
      errors: [
        {
          messageId: 'handler',
          data: enterWith,
          line: 3,
          column: 50,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}app.use(function (incoming, outgoing, proceed) { als.run({}, () => proceed()); });
http.createServer((a, b) => { als.enterWith({}); });`,
            },
          ],
        },
        { messageId: 'handler', data: enterWith, line: 4, column: 31, suggestions: [] },
      ],
    },
    {
      code: `${header}socket.on('message', (msg) => { als.enterWith({ msg }); handle(msg); });`,
      errors: [
        {
          messageId: 'listener',
          data: enterWith,
          line: 3,
          column: 33,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}socket.on('message', (msg) => { als.run({ msg }, () => handle(msg)); });`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}setInterval(() => { als.enterWith({ tick: Date.now() }); }, 1000);`,
      errors: [{ messageId: 'interval', data: enterWith, line: 3, column: 21, suggestions: [] }],
    },
    {
      code: `${header}als.run({}, () => als.exit(() => { als.enterWith({ id: 1 }); work(); }));`,
      errors: [
        {
          messageId: 'insideExit',
          data: enterWith,
          line: 3,
          column: 36,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}als.run({}, () => als.exit(() => { als.run({ id: 1 }, () => work()); }));`,
            },
          ],
        },
      ],
    },
    {
      // A `break` that leaves the block cannot move into a function: report without a suggestion.
      code: `${header}for (const id of ids) { emitter.on('x', (e) => { als.enterWith(e); }); }
while (true) { server.on('request', (req, res) => { if (x) { als.enterWith({}); for (;;) { break; } } }); }`,
      errors: [
        { messageId: 'listener', data: enterWith, line: 3, column: 50, suggestions: [] },
        {
          messageId: 'handler',
          data: enterWith,
          line: 4,
          column: 62,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'als' },
              output: `${header}for (const id of ids) { emitter.on('x', (e) => { als.enterWith(e); }); }
while (true) { server.on('request', (req, res) => { if (x) { als.run({}, () => { for (;;) { break; }
}); } }); }`,
            },
          ],
        },
      ],
    },
    {
      // Hoisted `var` and comments inside the call: report, but no rewrite.
      code: `${header}app.use((req, res, next) => { als.enterWith(/* the request */ {}); var later = 1; next(later); });
app.use((req, res, next) => { als.enterWith({}, /* extra */); next(); });`,
      errors: [
        { messageId: 'handler', data: enterWith, line: 3, column: 31, suggestions: [] },
        { messageId: 'handler', data: enterWith, line: 4, column: 31, suggestions: [] },
      ],
    },
    {
      // withScope (Node >= 24.20) leaks the same way; `using` is not rewritten.
      code: `${header}async function handle() { using _scope = als.withScope({ id: 1 }); return work(); }`,
      errors: [{ messageId: 'beforeAwait', data: { method: 'withScope' }, line: 3, column: 42, suggestions: [] }],
    },
    {
      code: `import * as hooks from 'async_hooks';
export const storage = new hooks.AsyncLocalStorage();
export function middleware(req, res, next) { storage.enterWith(new Map()); next(); }`,
      filename: JS_FILE,
      errors: [
        {
          messageId: 'handler',
          data: enterWith,
          line: 3,
          column: 46,
          suggestions: [
            {
              messageId: 'useRun',
              data: { instance: 'storage' },
              output: `import * as hooks from 'async_hooks';
export const storage = new hooks.AsyncLocalStorage();
export function middleware(req, res, next) { storage.run(new Map(), () => next()); }`,
            },
          ],
        },
      ],
    },
    {
      // Instances the recogniser knows only from settings.
      code: `import { requestStorage } from './context.js';
requestStorage.enterWith({});`,
      settings: { unthread: { asyncContexts: ['requestStorage'] } },
      errors: [{ messageId: 'topLevel', data: enterWith, line: 2, column: 1 }],
    },
  ],
});

createCommonJsRuleTester().run('no-unsafe-enter-with (CommonJS)', rule, {
  valid: [`const { AsyncLocalStorage } = require('async_hooks'); const als = new AsyncLocalStorage(); als.run({}, main);`],
  invalid: [
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
als.enterWith({ requestId: 'startup' });
module.exports = als;`,
      errors: [{ messageId: 'topLevel', data: enterWith, line: 3, column: 1 }],
    },
  ],
});
