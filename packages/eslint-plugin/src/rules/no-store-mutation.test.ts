import rule from './no-store-mutation.js';
import { createCommonJsRuleTester, createRuleTester, createTypedRuleTester, JS_FILE } from '../test/rule-tester.js';

const ruleTester = createRuleTester();
const imported = `import { AsyncLocalStorage } from 'node:async_hooks';
const als = new AsyncLocalStorage<Record<string, unknown>>();
`;

ruleTester.run('no-store-mutation', rule, {
  valid: [
    // A nested run() with a new object: the suggested form.
    `${imported}export const withUser = (user: string, next: () => void) => als.run({ ...als.getStore(), user }, next);`,
    // Reading is fine.
    `${imported}export const user = () => als.getStore()?.user;`,
    // False reports seen on real code: a Map made fresh for each run() and filled in afterwards is the
    // documented pattern (express-http-context's set(), MikroORM's RequestContext).
    `import { AsyncLocalStorage } from 'node:async_hooks';
const storage = new AsyncLocalStorage<Map<string, unknown>>();
export const middleware = (next: () => void) => storage.run(new Map(), () => next());
export function set(key: string, value: unknown) { storage.getStore()?.set(key, value); }`,
    // ...also through an alias of the instance and a variable made just before run() (a removal stack).
    `import { AsyncLocalStorage } from 'node:async_hooks';
declare const KEY: unique symbol;
(globalThis as any)[KEY] ??= new AsyncLocalStorage<Set<string>>();
export async function collect(cb: () => Promise<void>) { const stack = new Set<string>(); await (globalThis as any)[KEY].run(stack, cb); }
export function remove(key: string) { const storage = (globalThis as any)[KEY]; const stack = storage.getStore(); if (stack) stack.add(key); }`,
    // The object handed to run() is the caller's own, before it becomes the store.
    `${imported}export function handle(next: () => void) { const store: Record<string, unknown> = {}; store.user = 'a'; als.run(store, next); }`,
    // A copy of the store.
    `${imported}export function copy() { const mine = { ...als.getStore() }; mine.user = 'b'; return mine; }`,
    // A variable that later holds something else is not known to be the store.
    `${imported}export function later() { let target = als.getStore(); target = {}; target.user = 'c'; }`,
    // Not an AsyncLocalStorage.
    `export function set(cache: { getStore(): Map<string, string> }) { cache.getStore().set('a', 'b'); }`,
    `${imported}export function local(map: Map<string, string>) { map.set('a', 'b'); Object.assign({}, als.getStore()); }`,
  ],
  invalid: [
    {
      code: `${imported}export function login(user: string) { als.getStore()!.user = user; }`,
      errors: [{ messageId: 'mutation', data: { what: 'Assigning into' }, line: 3, column: 39, endColumn: 66 }],
    },
    {
      code: `${imported}export function login(user: string) {
  const store = als.getStore();
  if (store) store.user = user;
}`,
      errors: [{ messageId: 'mutation', data: { what: 'Assigning into' }, line: 5, column: 14 }],
    },
    {
      code: `${imported}export function count() { const store = als.getStore() as { hits: number; nested: { deep: number } }; store.hits++; store.nested.deep += 1; delete store.nested; }`,
      errors: [
        { messageId: 'mutation', data: { what: 'Incrementing a value in' }, line: 3, column: 103 },
        { messageId: 'mutation', data: { what: 'Assigning into' }, line: 3, column: 117 },
        { messageId: 'mutation', data: { what: 'Deleting from' }, line: 3, column: 141 },
      ],
    },
    {
      code: `${imported}export function merge(extra: object) { Object.assign(als.getStore()!, extra); }`,
      errors: [{ messageId: 'mutation', data: { what: '`Object.assign()` on' }, line: 3, column: 40 }],
    },
    {
      code: `import { AsyncLocalStorage } from 'async_hooks';
const storage = new AsyncLocalStorage<Map<string, string>>();
export function tag(value: string) { storage.getStore()?.set('tag', value); }`,
      errors: [{ messageId: 'collectionMutation', data: { what: '`.set()` on' }, line: 3, column: 38 }],
    },
    {
      // A Map made once at module level and handed to every run(): shared, so its mutation is reported.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
const storage = new AsyncLocalStorage();
const shared = new Map();
export const handle = (next) => storage.run(shared, next);
export function tag(value) { storage.getStore().set('tag', value); }`,
      filename: JS_FILE,
      errors: [{ messageId: 'collectionMutation', line: 5, column: 30 }],
    },
    {
      // One run() of the instance gets a fresh Map, another an object from elsewhere: still reported.
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
const storage = new AsyncLocalStorage();
export const handle = (next) => storage.run(new Map(), next);
export const resume = (saved, next) => storage.run(saved, next);
export function tag(value) { storage.getStore().set('tag', value); }`,
      filename: JS_FILE,
      errors: [{ messageId: 'collectionMutation', line: 5, column: 30 }],
    },
    {
      code: `import hooks from 'node:async_hooks';
const als = new hooks.AsyncLocalStorage();
export function login(user) { const store = als.getStore(); Reflect.set(store, 'user', user); }`,
      filename: JS_FILE,
      errors: [{ messageId: 'mutation', data: { what: '`Reflect.set()` on' }, line: 3, column: 61 }],
    },
    {
      code: `import { als } from './context.js';
export function login(user) { als.getStore()['user'] = user; }`,
      filename: JS_FILE,
      settings: { unthread: { asyncContexts: ['als'] } },
      errors: [{ messageId: 'mutation', line: 2, column: 31 }],
    },
  ],
});

createCommonJsRuleTester().run('no-store-mutation (CommonJS)', rule, {
  valid: [],
  invalid: [
    {
      code: `const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
exports.login = (user) => { als.getStore().user = user; };`,
      filename: JS_FILE,
      errors: [{ messageId: 'mutation', line: 3, column: 29 }],
    },
  ],
});

createTypedRuleTester().run('no-store-mutation (type-checked)', rule, {
  valid: [
    `declare const stores: { request: { getStore(): { user: string } } };
export function login(user: string) { stores.request.getStore().user = user; }`,
  ],
  invalid: [
    {
      code: `import type { AsyncLocalStorage } from 'node:async_hooks';
declare const stores: { request: AsyncLocalStorage<{ user: string }> };
export function login(user: string) { const store = stores.request.getStore(); if (store) store.user = user; }`,
      errors: [{ messageId: 'mutation', data: { what: 'Assigning into' }, line: 3, column: 91 }],
    },
  ],
});
