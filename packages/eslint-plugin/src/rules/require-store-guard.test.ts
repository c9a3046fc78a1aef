import rule from './require-store-guard.js';
import { createCommonJsRuleTester, createRuleTester, createTypedRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const imported = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<{ user: string }>();
`;

ruleTester.run('require-store-guard', rule, {
  valid: [
    `${imported}export const user = () => als.getStore()?.user;`,
    // False reports seen on real code: a function only ever run through run() of this file always has
    // a store, and so do callbacks nested inside a run().
    `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<Map<string, string>>();
function work() { return als.getStore().get('user'); }
const later = () => als.getStore().get('user');
export const handle = () => { als.run(new Map(), work); als.run(new Map([['user', 'u']]), later); };`,
    `${imported}export const handle = (items: string[]) => als.run({ user: 'u' }, () => items.map((item) => als.getStore().user + item));`,
    `${imported}export function user() { const store = als.getStore(); if (!store) throw new Error('no request context'); return store.user; }`,
    `${imported}export function user() { const store = als.getStore(); return store ? store.user : 'anonymous'; }`,
    `${imported}export function user() { const store = als.getStore(); assertStore(store); return store.user; }`,
    // Inside the callback of run() on the same instance the store is the one just passed in.
    `${imported}als.run({ user: 'a' }, () => console.log(als.getStore().user));`,
    `${imported}als.run({ user: 'a' }, async () => { await work(); return als.getStore()!.user; });`,
    // Guarded by calling getStore() again in the condition.
    `${imported}export const user = () => (als.getStore() ? als.getStore().user : undefined);`,
    `${imported}export function user() { if (als.getStore() !== undefined) { return als.getStore().user; } }`,
    // Checked by an earlier statement of the block.
    `${imported}export function user() { assert.ok(als.getStore()); return als.getStore().user; }`,
    `${imported}export function user() { if (!als.getStore()) throw new Error('outside a request'); const { user } = als.getStore(); return user; }`,
    // Not an AsyncLocalStorage.
    `export const user = (cache: { getStore(): { user: string } }) => cache.getStore().user;`,
    `import { AsyncLocalStorage } from 'node:async_hooks';
     export const read = (als: { getStore(): { user: string } }) => als.getStore().user;`,
    // @unthread/context throws its own clear error from get().
    `import { createContext } from '@unthread/context';
     const request = createContext<{ requestId: string }>({ name: 'request' });
     export const id = () => request.get('requestId');`,
    // The store passed along as a whole is not dereferenced here.
    `${imported}export const store = () => als.getStore();`,
  ],
  invalid: [
    {
      code: `${imported}export const user = () => als.getStore().user;`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 3,
          column: 27,
          endColumn: 46,
          suggestions: [{ messageId: 'useOptionalChain', output: `${imported}export const user = () => als.getStore()?.user;` }],
        },
      ],
    },
    {
      code: `${imported}export const read = (key: 'user') => als.getStore()[key];`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 3,
          column: 38,
          suggestions: [{ messageId: 'useOptionalChain', output: `${imported}export const read = (key: 'user') => als.getStore()?.[key];` }],
        },
      ],
    },
    {
      // A comment between the call and the dot stays.
      code: `${imported}export const user = () => als.getStore() /* the request */ .user;`,
      errors: [
        {
          messageId: 'unguardedAccess',
          suggestions: [
            { messageId: 'useOptionalChain', output: `${imported}export const user = () => als.getStore() /* the request */ ?.user;` },
          ],
        },
      ],
    },
    {
      code: `${imported}export const user = () => als.getStore()!.user;`,
      errors: [
        {
          messageId: 'nonNullAssertion',
          line: 3,
          column: 27,
          endColumn: 42,
          suggestions: [{ messageId: 'useOptionalChain', output: `${imported}export const user = () => als.getStore()?.user;` }],
        },
      ],
    },
    {
      // No member read to make optional: the store, or an error that says it is missing.
      code: `${imported}export const store = () => { const s = als.getStore()!; return s; };`,
      errors: [
        {
          messageId: 'nonNullAssertion',
          line: 3,
          column: 40,
          suggestions: [
            {
              messageId: 'throwIfMissing',
              output: `${imported}export const store = () => { const s = (als.getStore() ?? (() => { throw new Error('No store: this code ran outside run()'); })()); return s; };`,
            },
          ],
        },
      ],
    },
    {
      // A function run by run() here but also called directly elsewhere may run without a store.
      code: `${imported}function work() { return als.getStore().user; }
export const handle = () => als.run({ user: 'u' }, work);
export const direct = () => work();`,
      errors: [{ messageId: 'unguardedAccess', line: 3, column: 26, suggestions: [{ messageId: 'useOptionalChain', output: `${imported}function work() { return als.getStore()?.user; }
export const handle = () => als.run({ user: 'u' }, work);
export const direct = () => work();` }] }],
    },
    {
      code: `${imported}export function user() { const { user } = als.getStore(); return user; }`,
      errors: [{ messageId: 'unguardedDestructuring', line: 3, column: 32 }],
    },
    {
      // The variable is only ever dereferenced: the first dereference is reported.
      code: `${imported}export function user() {
  const store = als.getStore();
  return store.user + store.user;
}`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 5,
          column: 10,
          endColumn: 20,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `${imported}export function user() {
  const store = als.getStore();
  return store?.user + store.user;
}`,
            },
          ],
        },
      ],
    },
    {
      // An assignment target cannot take `?.`: reported without a suggestion.
      code: `${imported}export function rename() { als.getStore().user = 'b'; }`,
      errors: [{ messageId: 'unguardedAccess', line: 3, column: 28, suggestions: [] }],
    },
    {
      // Inside run() of ANOTHER instance the store may still be missing.
      code: `${imported}const other = new AsyncLocalStorage();
other.run({}, () => als.getStore().user);`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 4,
          column: 21,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `${imported}const other = new AsyncLocalStorage();
other.run({}, () => als.getStore()?.user);`,
            },
          ],
        },
      ],
    },
    {
      code: `import * as hooks from 'async_hooks';
const als = new hooks.AsyncLocalStorage();
export const user = () => (als.getStore() as { user: string }).user;`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 3,
          column: 27,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `import * as hooks from 'async_hooks';
const als = new hooks.AsyncLocalStorage();
export const user = () => (als.getStore() as { user: string })?.user;`,
            },
          ],
        },
      ],
    },
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
class Tracer { static storage = new AsyncLocalStorage(); id() { return Tracer.storage.getStore().id; } }`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 2,
          column: 72,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `import { AsyncLocalStorage } from 'node:async_hooks';
class Tracer { static storage = new AsyncLocalStorage(); id() { return Tracer.storage.getStore()?.id; } }`,
            },
          ],
        },
      ],
    },
    {
      // An instance imported from another module, named in the settings.
      code: `import { als } from './context.js';
export const user = () => als.getStore().user;`,
      filename: JS_FILE,
      settings: { unthread: { asyncContexts: ['als'] } },
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 2,
          column: 27,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `import { als } from './context.js';
export const user = () => als.getStore()?.user;`,
            },
          ],
        },
      ],
    },
  ],
});

createCommonJsRuleTester().run('require-store-guard (CommonJS)', rule, {
  valid: [
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
module.exports.user = () => als.getStore() && als.getStore().user;`,
      filename: JS_FILE,
    },
  ],
  invalid: [
    {
      code: `const hooks = require('async_hooks');
const als = new hooks.AsyncLocalStorage();
module.exports.user = () => als.getStore().user;`,
      filename: JS_FILE,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 3,
          column: 29,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `const hooks = require('async_hooks');
const als = new hooks.AsyncLocalStorage();
module.exports.user = () => als.getStore()?.user;`,
            },
          ],
        },
      ],
    },
  ],
});

// With type information an instance is recognised wherever it comes from, here a property of an object.
createTypedRuleTester().run('require-store-guard (type-checked)', rule, {
  valid: [
    `import type { AsyncLocalStorage } from 'node:async_hooks';
declare const stores: { request: AsyncLocalStorage<{ user: string }> };
export const user = () => stores.request.getStore()?.user;`,
    // A getStore() that is not an AsyncLocalStorage's.
    `declare const stores: { request: { getStore(): { user: string } } };
export const user = () => stores.request.getStore().user;`,
  ],
  invalid: [
    {
      code: `import type { AsyncLocalStorage } from 'node:async_hooks';
declare const stores: { request: AsyncLocalStorage<{ user: string }> };
export const user = () => stores.request.getStore().user;`,
      errors: [
        {
          messageId: 'unguardedAccess',
          line: 3,
          column: 27,
          suggestions: [
            {
              messageId: 'useOptionalChain',
              output: `import type { AsyncLocalStorage } from 'node:async_hooks';
declare const stores: { request: AsyncLocalStorage<{ user: string }> };
export const user = () => stores.request.getStore()?.user;`,
            },
          ],
        },
      ],
    },
  ],
});
