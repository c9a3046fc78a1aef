import rule from './no-long-lived-resource-in-run.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const imported = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;
const interval = { what: '`setInterval()`', lifetime: 'the interval runs' };
const listen = { what: '`listen()`', lifetime: 'the server is open' };

ruleTester.run('no-long-lived-resource-in-run', rule, {
  valid: [
    // At startup, outside any run().
    `${imported}setInterval(() => flush(), 1000); server.listen(3000);`,
    // Inside exit(): the suggested form.
    `${imported}als.run({ id: 1 }, () => { als.exit(() => setInterval(() => flush(), 1000)); });`,
    // Short-lived timers and values.
    `${imported}als.run({ id: 1 }, () => { setTimeout(() => flush(), 10); const cache = new Map(); cache.set(1, 2); });`,
    // A function declared inside run() runs whenever it is called, not now.
    `${imported}als.run({ id: 1 }, () => { function later() { setInterval(tick, 10); } register(later); });`,
    // A listener registered in run() runs in the emitter's context.
    `${imported}als.run({ id: 1 }, () => { process.on('SIGUSR2', () => server.listen(3000)); });`,
    // A local function called setInterval.
    `${imported}const setInterval = (fn: () => void) => fn(); als.run({}, () => setInterval(() => {}));`,
    // A module-level counter updated in run() holds no resource.
    `${imported}let last = 0; als.run({}, () => { last = Date.now(); });`,
    // Let go of before the run ends: the store is not kept.
    `${imported}als.run({ id: 1 }, async () => { const timer = setInterval(report, 100); try { await work(); } finally { clearInterval(timer); } });`,
    `${imported}import { createServer } from 'node:http';
     als.run({ id: 1 }, async () => { const server = createServer(); server.listen(0); await exercise(server); server.close(); });`,
    `${imported}import { Pool } from 'pg';
     als.run({ id: 1 }, async () => { const pool = new Pool(); try { await pool.query('select 1'); } finally { await pool.end(); } });`,
    // Not a context.
    `const queue = { run(_: unknown, fn: () => void) { fn(); } }; queue.run({}, () => setInterval(() => {}, 10));`,
  ],
  invalid: [
    {
      code: `${imported}als.run({ id: 1 }, () => {
  setInterval(() => flush(), 1000);
});`,
      errors: [
        {
          messageId: 'resourceInRun',
          data: interval,
          line: 4,
          column: 3,
          endColumn: 35,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}als.run({ id: 1 }, () => {
  als.exit(() => setInterval(() => flush(), 1000));
});`,
            },
          ],
        },
      ],
    },
    {
      // Through callbacks that keep the context.
      code: `${imported}als.run({ id: 1 }, async () => { await ready.then(() => { const timer = setInterval(tick, 10); return timer; }); });`,
      errors: [
        {
          messageId: 'resourceInRun',
          data: interval,
          line: 3,
          column: 73,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}als.run({ id: 1 }, async () => { await ready.then(() => { const timer = als.exit(() => setInterval(tick, 10)); return timer; }); });`,
            },
          ],
        },
      ],
    },
    {
      code: `${imported}export function start(server: { listen(port: number): void }) {
  als.run({ requestId: 'startup' }, () => server.listen(3000));
}`,
      errors: [
        {
          messageId: 'resourceInRun',
          data: listen,
          line: 4,
          column: 43,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}export function start(server: { listen(port: number): void }) {
  als.run({ requestId: 'startup' }, () => als.exit(() => server.listen(3000)));
}`,
            },
          ],
        },
      ],
    },
    {
      // A pool created lazily by the first request.
      code: `${imported}import { Pool } from 'pg';
let pool: Pool | undefined;
export const handle = (next: () => void) => als.run({}, () => { pool ??= new Pool(); next(); });`,
      errors: [
        {
          messageId: 'resourceInRun',
          data: { what: '`new Pool()`', lifetime: 'the resource lives' },
          line: 5,
          column: 74,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}import { Pool } from 'pg';
let pool: Pool | undefined;
export const handle = (next: () => void) => als.run({}, () => { pool ??= als.exit(() => new Pool()); next(); });`,
            },
          ],
        },
      ],
    },
    {
      // A lazily created singleton of any class, and a factory named in the options.
      code: `${imported}let client;
als.run({}, async () => { client = await connectRedis(); createClient(); });`,
      filename: JS_FILE,
      options: [{ resourceFactories: ['createClient'] }],
      errors: [
        {
          messageId: 'resourceInRun',
          data: { what: 'The module-level singleton `client`', lifetime: 'the singleton lives (its timers and sockets hold it)' },
          line: 4,
          column: 27,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}let client;
als.run({}, async () => { client = await als.exit(() => connectRedis()); createClient(); });`,
            },
          ],
        },
        {
          messageId: 'resourceInRun',
          data: { what: '`createClient()`', lifetime: 'the resource lives' },
          line: 4,
          column: 58,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}let client;
als.run({}, async () => { client = await connectRedis(); als.exit(() => createClient()); });`,
            },
          ],
        },
      ],
    },
    {
      // Cleared somewhere else, later: the store is kept until then.
      code: `${imported}let timer;
als.run({}, () => { timer = setInterval(tick, 10); });
export const stop = () => clearInterval(timer);`,
      filename: JS_FILE,
      errors: [
        {
          messageId: 'resourceInRun',
          data: interval,
          line: 4,
          column: 29,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'als' },
              output: `${imported}let timer;
als.run({}, () => { timer = als.exit(() => setInterval(tick, 10)); });
export const stop = () => clearInterval(timer);`,
            },
          ],
        },
      ],
    },
    {
      // An @unthread/context context has no exit(): reported without a suggestion.
      code: `import { createContext } from '@unthread/context';
const request = createContext<{ requestId: string }>({ name: 'request' });
request.run({ requestId: 'a' }, () => { setInterval(() => {}, 1000); });`,
      errors: [{ messageId: 'resourceInRun', data: interval, line: 3, column: 41, suggestions: [] }],
    },
  ],
});

createCommonJsRuleTester().run('no-long-lived-resource-in-run (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      code: `const { AsyncLocalStorage } = require('async_hooks');
const timers = require('node:timers');
const storage = new AsyncLocalStorage();
storage.run(new Map(), function () { timers.setInterval(function () {}, 5); });`,
      filename: JS_FILE,
      errors: [
        {
          messageId: 'resourceInRun',
          data: interval,
          line: 4,
          column: 38,
          suggestions: [
            {
              messageId: 'createInExit',
              data: { instance: 'storage' },
              output: `const { AsyncLocalStorage } = require('async_hooks');
const timers = require('node:timers');
const storage = new AsyncLocalStorage();
storage.run(new Map(), function () { storage.exit(() => timers.setInterval(function () {}, 5)); });`,
            },
          ],
        },
      ],
    },
  ],
});
