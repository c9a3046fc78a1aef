import rule from './no-shared-store.js';
import { createCommonJsRuleTester, createRuleTester, JS_FILE } from '../test/rule-tester.js';

const header = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage();
`;

createRuleTester().run('no-shared-store', rule, {
  valid: [
    // A fresh object per call.
    `${header}app.use((req, res, next) => als.run({ id: req.id }, next));`,
    `${header}const defaults = { user: null }; app.use((req, res, next) => als.run({ ...defaults }, next));`,
    // A module-level primitive is not shared mutable state; a frozen object cannot be written.
    `${header}const ROOT = 'root'; export const main = () => als.run(ROOT, start);`,
    `${header}const EMPTY = Object.freeze({}); export const main = () => als.run(EMPTY, start);`,
    // The module-level run happens once (no-unsafe-enter-with speaks about module-level enterWith).
    `${header}const store = {}; als.run(store, start);`,
    // Reassigned with a new object before each run.
    `${header}let current = {}; export function handle(req) { current = { id: req.id }; return als.run(current, work); }`,
    // A local object made inside the function is per call.
    `${header}export function handle() { const store = {}; return als.run(store, work); }`,
    // Extending the store that exists, for a subtree.
    `${header}export function sub(fn) { const current = als.getStore(); if (current) return als.run({ ...current, sub: true }, fn); return fn(); }`,
    // @unthread/context copies values into a new frozen store on every run.
    `import { createContext } from '@unthread/context';
     const request = createContext({ name: 'request' });
     const values = { requestId: 'x' };
     export const handle = (fn) => request.run(values, fn);`,
    // A guard on a different instance.
    `${header}const other = new AsyncLocalStorage(); export const mw = (req, res, next) => other.getStore() ? next() : als.run({}, next);`,
  ],
  invalid: [
    {
      code: `${header}const store = { user: undefined };
app.use((req, res, next) => {
  als.run(store, next);
});`,
      errors: [
        {
          messageId: 'sharedStore',
          data: { name: 'store', method: 'run' },
          line: 5,
          column: 11,
          suggestions: [
            {
              messageId: 'copyStore',
              data: { name: 'store' },
              output: `${header}const store = { user: undefined };
app.use((req, res, next) => {
  als.run({ ...store }, next);
});`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}const state = new Map();
export function middleware(req, res, next) { als.enterWith(state); next(); }`,
      filename: JS_FILE,
      errors: [{ messageId: 'sharedStore', data: { name: 'state', method: 'enterWith' }, line: 4, column: 60, suggestions: [] }],
    },
    {
      code: `${header}const store = {} as { id?: string };
export const run = (fn: () => void) => als.run(store!, fn);`,
      errors: [{ messageId: 'sharedStore', data: { name: 'store', method: 'run' }, line: 4, column: 48, suggestions: [] }],
    },
    {
      // The "run only if there is no store yet" middleware, in its usual spellings.
      code: `${header}export function a(req, res, next) {
  if (!als.getStore()) {
    als.run({ id: req.id }, next);
  } else {
    next();
  }
}
export const b = (req, res, next) => (als.getStore() ? next() : als.run({}, next));
export const c = (req, res, next) => als.getStore() || als.run({}, next);
export function d(req, res, next) {
  if (als.getStore() !== undefined) return next();
  als.run({}, next);
}
export const e = (fn) => (als.getStore() == null ? als.run({}, fn) : fn());`,
      errors: [
        { messageId: 'runIfMissing', line: 5, column: 5 },
        { messageId: 'runIfMissing', line: 10, column: 65 },
        { messageId: 'runIfMissing', line: 11, column: 56 },
        { messageId: 'runIfMissing', line: 14, column: 3 },
        { messageId: 'runIfMissing', line: 16, column: 52 },
      ],
    },
  ],
});

createCommonJsRuleTester().run('no-shared-store (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      // express-http-context's middleware: the instance lives on a global key, read through an alias.
      code: `const { AsyncLocalStorage } = require('async_hooks');
const STORAGE_KEY = Symbol.for('ctx');
globalThis[STORAGE_KEY] = globalThis[STORAGE_KEY] ?? new AsyncLocalStorage();
function middleware(req, res, next) {
  const asyncLocalStorage = globalThis[STORAGE_KEY];
  if (!asyncLocalStorage.getStore()) {
    asyncLocalStorage.run(new Map(), () => next());
  } else {
    next();
  }
}
module.exports = { middleware };`,
      errors: [{ messageId: 'runIfMissing', line: 7, column: 5 }],
    },
    {
      code: `const { AsyncLocalStorage } = require('async_hooks');
const storage = new AsyncLocalStorage();
const context = {};
module.exports = (req, res, next) => { if (storage.getStore()) { return next(); } storage.run(context, next); };`,
      errors: [
        { messageId: 'runIfMissing', line: 4, column: 83 },
        {
          messageId: 'sharedStore',
          data: { name: 'context', method: 'run' },
          line: 4,
          column: 95,
          suggestions: [
            {
              messageId: 'copyStore',
              data: { name: 'context' },
              output: `const { AsyncLocalStorage } = require('async_hooks');
const storage = new AsyncLocalStorage();
const context = {};
module.exports = (req, res, next) => { if (storage.getStore()) { return next(); } storage.run({ ...context }, next); };`,
            },
          ],
        },
      ],
    },
  ],
});
