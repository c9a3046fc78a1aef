import rule from './no-floating-run.js';
import { createCommonJsRuleTester, createRuleTester, createTypedRuleTester, JS_FILE } from '../test/rule-tester.js';

const header = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;
const data = { call: 'als.run()' };

createRuleTester().run('no-floating-run', rule, {
  valid: [
    `${header}export async function main() { await als.run({}, async () => work()); }`,
    `${header}export function main() { return als.run({}, async () => work()); }`,
    `${header}export const main = () => als.run({}, async () => work());`,
    `${header}als.run({}, async () => work()).catch(report);`,
    `${header}als.run({}, async () => work()).then(done, report);`,
    `${header}void als.run({}, async () => work());`,
    `${header}const pending = als.run({}, async () => work()); track(pending);`,
    `${header}await Promise.all([als.run({}, async () => a()), als.run({}, async () => b())]);`,
    `import { createContext, runJob } from '@unthread/context';
     const job = createContext({ name: 'job' });
     export const consume = (msg) => runJob(job, async () => handle(msg));`,
    // A synchronous callback returns no promise.
    `${header}als.run({}, () => work());`,
    `${header}function sync() {} als.run({}, sync);`,
    // Not an AsyncLocalStorage: a task runner's run.
    `runner.run({}, async () => work());`,
  ],
  invalid: [
    {
      // Fixed: the last statement of an async function that returns nothing. Awaiting it delays no
      // later statement and returns the same undefined, once the run has settled.
      code: `${header}export async function handle(req) {
  log('start');
  als.run({ id: req.id }, async () => work());
}`,
      output: `${header}export async function handle(req) {
  log('start');
  await als.run({ id: req.id }, async () => work());
}`,
      errors: [
        {
          messageId: 'floating',
          data,
          line: 5,
          column: 3,
          suggestions: [
            {
              messageId: 'addAwait',
              output: `${header}export async function handle(req) {
  log('start');
  await als.run({ id: req.id }, async () => work());
}`,
            },
            {
              messageId: 'addReturn',
              output: `${header}export async function handle(req) {
  log('start');
  return als.run({ id: req.id }, async () => work());
}`,
            },
          ],
        },
      ],
    },
    {
      // Not fixed: the function returns a value elsewhere, which awaiting here would not change, but a
      // reader would have to check; only suggested.
      code: `${header}export async function handle(req) {
  if (!req) return 'none';
  als.run({ id: req.id }, async () => work());
}`,
      output: null,
      errors: [
        {
          messageId: 'floating',
          data,
          line: 5,
          column: 3,
          suggestions: [
            {
              messageId: 'addAwait',
              output: `${header}export async function handle(req) {
  if (!req) return 'none';
  await als.run({ id: req.id }, async () => work());
}`,
            },
            {
              messageId: 'addReturn',
              output: `${header}export async function handle(req) {
  if (!req) return 'none';
  return als.run({ id: req.id }, async () => work());
}`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}export async function handle(req) {
  als.run({ id: req.id }, async () => {
    await work();
  });
  log('done');
}`,
      errors: [
        {
          messageId: 'floating',
          data,
          line: 4,
          column: 3,
          suggestions: [
            {
              messageId: 'addAwait',
              output: `${header}export async function handle(req) {
  await als.run({ id: req.id }, async () => {
    await work();
  });
  log('done');
}`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}export function handle(req) { als.run({ id: req.id }, async function () { await work(); }); }`,
      errors: [
        {
          messageId: 'floating',
          data,
          line: 3,
          column: 31,
          suggestions: [
            {
              messageId: 'addReturn',
              output: `${header}export function handle(req) { return als.run({ id: req.id }, async function () { await work(); }); }`,
            },
          ],
        },
      ],
    },
    {
      // `.then(onFulfilled)` and `.finally()` leave a rejection unhandled; optional chaining too.
      code: `${header}async function job() {}
als.run({}, job).then(() => log('ok'));
als?.run({}, job).finally(cleanup);`,
      errors: [
        { messageId: 'floating', data, line: 4, column: 1, suggestions: [] },
        { messageId: 'floating', data: { call: 'als?.run()' }, line: 5, column: 1, suggestions: [] },
      ],
    },
    {
      code: `import { createContext } from '@unthread/context';
const request = createContext({ name: 'request' });
const handler = async () => {};
export function onMessage(msg) { request.run({ requestId: msg.id }, handler); }`,
      filename: JS_FILE,
      errors: [
        {
          messageId: 'floating',
          data: { call: 'request.run()' },
          line: 4,
          column: 34,
          suggestions: [
            {
              messageId: 'addReturn',
              output: `import { createContext } from '@unthread/context';
const request = createContext({ name: 'request' });
const handler = async () => {};
export function onMessage(msg) { return request.run({ requestId: msg.id }, handler); }`,
            },
          ],
        },
      ],
    },
    {
      // runJob from @unthread/context runs its callback in a fresh store, and returns its promise.
      code: `import { createContext, runJob } from '@unthread/context';
const request = createContext({ name: 'request' });
consumer.on('message', (msg) => { runJob(request, async () => handle(msg)); });`,
      errors: [
        {
          messageId: 'floating',
          data: { call: 'runJob()' },
          line: 3,
          column: 35,
          suggestions: [
            {
              messageId: 'addReturn',
              output: `import { createContext, runJob } from '@unthread/context';
const request = createContext({ name: 'request' });
consumer.on('message', (msg) => { return runJob(request, async () => handle(msg)); });`,
            },
          ],
        },
      ],
    },
  ],
});

createCommonJsRuleTester().run('no-floating-run (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      code: `const hooks = require('async_hooks');
const als = new hooks.AsyncLocalStorage();
queue.process((job) => { als.run(job, async () => run(job)); log(job); });`,
      errors: [{ messageId: 'floating', data, line: 3, column: 26, suggestions: [] }],
    },
  ],
});

createTypedRuleTester().run('no-floating-run (type information)', rule, {
  valid: [
    `import { AsyncLocalStorage } from 'node:async_hooks';
declare const als: AsyncLocalStorage<number>;
declare function sync(): number;
als.run(1, sync);`,
  ],
  invalid: [
    {
      // Only the checker knows the imported handler returns a promise.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
declare const als: AsyncLocalStorage<number>;
declare function handle(): Promise<void>;
als.run(1, handle);`,
      errors: [{ messageId: 'floating', data, line: 4, column: 1 }],
    },
  ],
});
