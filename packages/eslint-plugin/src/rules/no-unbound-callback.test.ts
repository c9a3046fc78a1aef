import rule from './no-unbound-callback.js';
import { createCommonJsRuleTester, createRuleTester, createTypedRuleTester, JS_FILE } from '../test/rule-tester.js';

const header = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;

createRuleTester().run('no-unbound-callback', rule, {
  valid: [
    // Outside any run(): nothing to lose here.
    `${header}emitter.on('data', (chunk) => handle(chunk));`,
    // Bound in each supported way.
    `${header}als.run({}, () => { emitter.on('data', AsyncLocalStorage.bind((chunk) => handle(chunk))); });`,
    `import { AsyncResource } from 'async_hooks'; ${header}als.run({}, () => { emitter.once('end', AsyncResource.bind(done)); });`,
    `${header}als.run({}, () => { const onEnd = AsyncLocalStorage.bind(done); req.on('end', onEnd); });`,
    `${header}als.run({}, () => { const snap = AsyncLocalStorage.snapshot(); req.on('end', (...args) => snap(() => done(...args))); });`,
    `import { createContext, bindCallback, bindEmitter } from '@unthread/context';
     const request = createContext({ name: 'request' });
     request.run({}, () => { req.on('end', bindCallback(done)); bindEmitter(res, request).on('finish', log); });
     request.run({}, () => { res.on('close', request.bind(log)); });`,
    // The emitter was bound once for good.
    `import { bindEmitter } from '@unthread/context'; ${header}bindEmitter(socket); als.run({}, () => socket.on('data', read));`,
    // The false positive users hit first: an emitter created inside the same run, or emitted there.
    `${header}als.run({}, () => { const events = new EventEmitter(); events.on('x', handle); });`,
    `${header}als.run({}, () => { new EventEmitter().on('x', handle); });`,
    `${header}export function test() { als.run({ id: 1 }, () => { bus.on('x', check); bus.emit('x'); }); }`,
    `import { EventEmitterAsyncResource } from 'node:events'; ${header}const bus = new EventEmitterAsyncResource({ name: 'bus' }); als.run({}, () => bus.on('x', handle));`,
    // Queue APIs with data, not callbacks; unrelated objects with the same method.
    `queue.push(job); list.push(() => 1); pool.query('select 1').then(show);`,
    `const item = { id: 1 }; queue.add(item);`,
    { code: `pool.getConnection((err, conn) => use(conn));`, options: [{ queueingApis: ['queue.push'] }] },
    `import { AsyncLocalStorage } from 'node:async_hooks'; pool.getConnection(AsyncLocalStorage.bind((err, conn) => use(conn)));`,
    // False reports seen on real code. Data handed to a queue, with a callback that reads no context:
    `${header}export function send(buffer, cb) { als.run({}, () => sendQueue.add(buffer, cb)); }`,
    `${header}export function fail(error) { const e = error; errorQueue.push(e); logQueue.push({ entry: als.getStore() }); }`,
    // A callback the caller already bound, with a helper of the same file.
    `import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
const als = new AsyncLocalStorage();
const wrap = (fn) => AsyncResource.bind(fn);
export const later = () => queue.push(wrap(() => als.getStore()));`,
    // Completion callbacks that read no context: the promise's resolve, a done callback.
    `${header}export const closed = (stream) => als.run({}, () => new Promise((resolve) => stream.once('close', resolve)));`,
    `${header}export const flushed = (done) => als.run({}, () => { process.on('exit', () => done(null)); queue.push(() => done()); });`,
    // A method of the same class that reads nothing.
    `${header}class Unit { flush() { queue.push(() => this.commit()); } commit() { return 1; } }`,
  ],
  invalid: [
    {
      // The callback reads the store through a method of its class.
      code: `${header}class Unit { flush() { queue.push(() => this.commit()); } commit() { return als.getStore(); } }`,
      errors: [
        {
          messageId: 'unboundQueued',
          line: 3,
          column: 35,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `${header}class Unit { flush() { queue.push(AsyncLocalStorage.bind(() => this.commit())); } commit() { return als.getStore(); } }`,
            },
          ],
        },
      ],
    },
    {
      // `res.on('close')` inside run(), reading the store: on Node 20 it sees none when the response is
      // ended from the request body's `end` (test/behaviour/programs/listener-in-run.mjs).
      code: `${header}export const handle = (req, res) => als.run({ id: req.id }, () => {
  res.on('close', () => log(als.getStore()?.id));
  req.on('end', () => res.end());
});`,
      errors: [
        {
          messageId: 'unboundListener',
          line: 4,
          column: 19,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `${header}export const handle = (req, res) => als.run({ id: req.id }, () => {
  res.on('close', AsyncLocalStorage.bind(() => log(als.getStore()?.id)));
  req.on('end', () => res.end());
});`,
            },
          ],
        },
      ],
    },
    {
      // The headline case: req.on('end') registered inside run() sees undefined for a POST.
      code: `${header}app.post('/', (req, res) => als.run({ id: req.id }, () => {
  req.on('end', () => res.end(String(als.getStore()?.id)));
}));`,
      errors: [
        {
          messageId: 'unboundListener',
          line: 4,
          column: 17,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `${header}app.post('/', (req, res) => als.run({ id: req.id }, () => {
  req.on('end', AsyncLocalStorage.bind(() => res.end(String(als.getStore()?.id))));
}));`,
            },
          ],
        },
      ],
    },
    {
      // No binder imported yet: the suggestion adds the import.
      code: `import { createContext } from '@unthread/context';
const job = createContext({ name: 'job' });
const onClose = () => log(job.get('jobId'));
export const start = (stream) => job.run({ jobId: 1 }, () => stream.once('close', onClose));`,
      errors: [
        {
          messageId: 'unboundListener',
          line: 4,
          column: 83,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `import { AsyncLocalStorage } from 'node:async_hooks';
import { createContext } from '@unthread/context';
const job = createContext({ name: 'job' });
const onClose = () => log(job.get('jobId'));
export const start = (stream) => job.run({ jobId: 1 }, () => stream.once('close', AsyncLocalStorage.bind(onClose)));`,
            },
          ],
        },
      ],
    },
    {
      // bindCallback already imported is preferred; nested functions inside run() still count.
      code: `import { bindCallback } from '@unthread/context';
import * as hooks from 'node:async_hooks';
const als = new hooks.AsyncLocalStorage();
function handle(m) { return [m, als.getStore()]; }
als.run({}, async () => { await ready(); process.on('message', function onMessage(m) { handle(m); }); });`,
      filename: JS_FILE,
      errors: [
        {
          messageId: 'unboundListener',
          line: 5,
          column: 64,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `import { bindCallback } from '@unthread/context';
import * as hooks from 'node:async_hooks';
const als = new hooks.AsyncLocalStorage();
function handle(m) { return [m, als.getStore()]; }
als.run({}, async () => { await ready(); process.on('message', bindCallback(function onMessage(m) { handle(m); })); });`,
            },
          ],
        },
      ],
    },
    {
      // A pool runs queued callbacks from whichever request releases a connection.
      code: `${header}export function load(id, done) {
  this.dbPool.getConnection((err, conn) => done(err, conn, als.getStore()));
}`,
      errors: [
        {
          messageId: 'unboundQueued',
          data: { api: 'pool.getConnection' },
          line: 4,
          column: 29,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `${header}export function load(id, done) {
  this.dbPool.getConnection(AsyncLocalStorage.bind((err, conn) => done(err, conn, als.getStore())));
}`,
            },
          ],
        },
      ],
    },
    {
      code: `function onJob(job) { return requestContext.getStore(); }
jobQueue.push({ id: 1 }, onJob);
tasks.run(() => requestContext.getStore());`,
      options: [{ queueingApis: ['queue.push', '*.run'] }],
      settings: { unthread: { asyncContexts: ['requestContext'] } },
      errors: [
        {
          messageId: 'unboundQueued',
          data: { api: 'queue.push' },
          line: 2,
          column: 26,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `import { AsyncLocalStorage } from 'node:async_hooks';
function onJob(job) { return requestContext.getStore(); }
jobQueue.push({ id: 1 }, AsyncLocalStorage.bind(onJob));
tasks.run(() => requestContext.getStore());`,
            },
          ],
        },
        {
          messageId: 'unboundQueued',
          data: { api: '*.run' },
          line: 3,
          column: 11,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `import { AsyncLocalStorage } from 'node:async_hooks';
function onJob(job) { return requestContext.getStore(); }
jobQueue.push({ id: 1 }, onJob);
tasks.run(AsyncLocalStorage.bind(() => requestContext.getStore()));`,
            },
          ],
        },
      ],
    },
    {
      // A name the new import would take is in use: report without a suggestion.
      code: `class AsyncLocalStorage {}
export const go = () => pool.acquire(() => requestContext.getStore());`,
      settings: { unthread: { asyncContexts: ['requestContext'] } },
      errors: [{ messageId: 'unboundQueued', data: { api: 'pool.acquire' }, line: 2, column: 38, suggestions: [] }],
    },
  ],
});

createCommonJsRuleTester().run('no-unbound-callback (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      code: `const { AsyncResource: Resource } = require('async_hooks');
pool.query('select 1', (err, rows) => send(rows, requestContext.getStore()));`,
      settings: { unthread: { asyncContexts: ['requestContext'] } },
      errors: [
        {
          messageId: 'unboundQueued',
          data: { api: 'pool.query' },
          line: 2,
          column: 24,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `const { AsyncResource: Resource } = require('async_hooks');
pool.query('select 1', Resource.bind((err, rows) => send(rows, requestContext.getStore())));`,
            },
          ],
        },
      ],
    },
    {
      code: `queue.add(() => work(requestContext.getStore()));`,
      settings: { unthread: { asyncContexts: ['requestContext'] } },
      errors: [
        {
          messageId: 'unboundQueued',
          data: { api: 'queue.add' },
          line: 1,
          column: 11,
          suggestions: [
            {
              messageId: 'bindCallback',
              output: `queue.add(require('node:async_hooks').AsyncLocalStorage.bind(() => work(requestContext.getStore())));`,
            },
          ],
        },
      ],
    },
  ],
});

createTypedRuleTester().run('no-unbound-callback (type information)', rule, {
  valid: [
    // With types, `.on` of something that cannot emit is not a listener registration...
    `import { AsyncLocalStorage } from 'node:async_hooks';
declare const als: AsyncLocalStorage<number>;
declare const widget: { on(event: string, cb: () => void): void };
als.run(1, () => widget.on('click', () => als.getStore()));`,
    // ...and an EventEmitterAsyncResource (here a subclass, passed in) runs listeners in its own context.
    `import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitterAsyncResource } from 'node:events';
class Bus extends EventEmitterAsyncResource {}
declare const als: AsyncLocalStorage<number>;
export function wire(bus: Bus) { als.run(1, () => bus.on('x', () => als.getStore())); }`,
    `declare const p: Promise<number>; p.then((n) => n + 1);`,
    `declare const p: PromiseLike<number>; p.then((n) => n + 1);`,
    `import { Deferred } from './thenable.js'; declare const d: Deferred<number>; export async function f() { return await d; }`,
  ],
  invalid: [
    {
      // The instance is known only through its type alias; the emitter through its type.
      code: `import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
type RequestStorage = AsyncLocalStorage<{ id: string }>;
export function wire(storage: RequestStorage, req: IncomingMessage) {
  storage.run({ id: '1' }, () => req.on('end', () => storage.getStore()));
}`,
      errors: [
        {
          messageId: 'unboundListener',
          line: 5,
          column: 48,
          suggestions: [],
        },
      ],
    },
    {
      code: `import { Deferred } from './thenable.js';
declare const deferred: Deferred<number>;
deferred.then((value) => log(value, requestContext.getStore()));`,
      settings: { unthread: { asyncContexts: ['requestContext'] } },
      errors: [
        {
          messageId: 'thenableCallback',
          line: 3,
          column: 15,
          suggestions: [
            {
              messageId: 'resolveFirst',
              output: `import { Deferred } from './thenable.js';
declare const deferred: Deferred<number>;
Promise.resolve(deferred).then((value) => log(value, requestContext.getStore()));`,
            },
          ],
        },
      ],
    },
  ],
});
